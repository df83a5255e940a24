// `ledger-cli import FILE`: imports a CSV or JSON Lines file into a running ledger with a progress bar.
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { importFile, ImportRejectedError, type ImportProgress } from './import-client';

export const IMPORT_USAGE = `  import FILE         import existing pledges with their real dates (docs/import-template.md) through the
                      running API, with a progress bar. Options: --source NAME (required: where the history
                      comes from), --source-url URL, --retrieved-on YYYY-MM-DD (default today), --format
                      csv|jsonl (default from the extension), --dry-run (check only). The API key is
                      LEDGER_API_KEY (an organisation's: its own pledges), else the admin key of npm start.`;

const MIB = 1024 * 1024;

/** One bar per phase on a terminal; a line now and then otherwise (CI logs, pipes). */
class ProgressView {
  private bar?: SingleBar;
  private phase?: string;
  private lastLine = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  show(progress: ImportProgress): void {
    const { phase, status } = progress;
    const [value, total, unit] =
      phase === 'sending'
        ? [progress.bytesSent / MIB, progress.bytesTotal / MIB, 'MiB sent']
        : phase === 'checking'
          ? [status?.rowsRead ?? 0, 0, 'rows checked']
          : [status?.rowsApplied ?? 0, status?.accepted ?? 0, 'rows recorded'];
    const details = status
      ? `read ${status.rowsRead}, accepted ${status.accepted}, rejected ${status.rejected}, recorded ${status.recorded}, already there ${status.alreadyRecorded}`
      : '';
    if (phase === 'done') {
      this.bar?.stop();
      return;
    }
    if (!this.tty) {
      if (phase !== this.phase || Date.now() - this.lastLine > 5000) {
        process.stderr.write(
          `${phase}: ${value.toFixed(phase === 'sending' ? 1 : 0)}${total ? `/${total.toFixed(phase === 'sending' ? 1 : 0)}` : ''} ${unit}${details ? ` (${details})` : ''}\n`,
        );
        this.lastLine = Date.now();
      }
      this.phase = phase;
      return;
    }
    if (phase !== this.phase) {
      this.bar?.stop();
      this.bar = new SingleBar(
        {
          format: `${phase.padEnd(9)} [{bar}] {value}/{total} ${unit} {details}`,
          hideCursor: true,
          clearOnComplete: false,
        },
        Presets.shades_classic,
      );
      this.bar.start(Math.max(total, value, 1), value, { details });
      this.phase = phase;
    }
    this.bar!.setTotal(Math.max(total, value, 1));
    this.bar!.update(Math.round(value * 10) / 10, { details });
  }
}

export async function importCommand(
  args: string[],
  defaults: { apiUrl?: string; adminKey?: string },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        source: { type: 'string' },
        'source-url': { type: 'string' },
        'retrieved-on': { type: 'string' },
        format: { type: 'string' },
        'dry-run': { type: 'boolean' },
      },
    });
  } catch (error) {
    process.stderr.write(`import: ${(error as Error).message}\n${IMPORT_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const file = positionals[0];
  const apiUrl = process.env.LEDGER_API_URL ?? defaults.apiUrl;
  const apiKey = process.env.LEDGER_API_KEY ?? defaults.adminKey;
  const problems: string[] = [];
  if (!file || positionals.length > 1) problems.push('name one file to import');
  if (!values.source)
    problems.push('--source NAME is required: where the history comes from (kept on every event)');
  if (values.format !== undefined && values.format !== 'csv' && values.format !== 'jsonl')
    problems.push('--format is csv or jsonl');
  if (!apiUrl || !apiKey)
    problems.push('start the ledger first (npm start), or set LEDGER_API_URL and LEDGER_API_KEY');
  if (problems.length) {
    process.stderr.write(`import: ${problems.join('; ')}\n${IMPORT_USAGE}\n`);
    return 2;
  }
  const view = new ProgressView();
  try {
    const status = await importFile({
      apiUrl: apiUrl!,
      apiKey: apiKey!,
      file: file!,
      ...(values.format ? { format: values.format as 'csv' | 'jsonl' } : {}),
      source: {
        name: values.source!,
        ...(values['source-url'] ? { url: values['source-url'] } : {}),
        retrievedOn: values['retrieved-on'] ?? new Date().toISOString().slice(0, 10),
      },
      dryRun: values['dry-run'] ?? false,
      onProgress: (progress) => view.show(progress),
    });
    process.stdout.write(
      `${status.dryRun ? 'checked (dry run, nothing recorded)' : 'imported'} ${basename(file!)}: ${status.rowsRead} rows, ` +
        `${status.pledges} pledges, ${status.recorded} events recorded, ${status.alreadyRecorded} rows already in the ledger (import ${status.id})\n`,
    );
    return 0;
  } catch (error) {
    view.show({ phase: 'done', bytesSent: 0, bytesTotal: 0 });
    if (!(error instanceof ImportRejectedError)) throw error;
    const problem = error.problem as { 'invalid-params'?: { row?: number; name: string; reason: string }[] };
    process.stderr.write(`import: ${error.message}\n`);
    for (const p of problem?.['invalid-params'] ?? [])
      process.stderr.write(`  row ${p.row ?? '-'}, ${p.name}: ${p.reason}\n`);
    const total = error.status?.errorsTotal;
    if (total && total > (problem?.['invalid-params']?.length ?? 0))
      process.stderr.write(
        `  … ${total} problems in all (the first ${problem?.['invalid-params']?.length} listed)\n`,
      );
    return 1;
  }
}
