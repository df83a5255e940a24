/*
 * What every benchmark does around its work: undo what it started (also on SIGINT/SIGTERM), run its main, keep
 * its summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Infra, infraDown, infraUp, ROOT } from '../bench-support';

/** Clean-up steps, run once, last added first; a failing step is logged and the others still run. */
export class CleanUps {
  private readonly steps: { name: string; run: () => unknown }[] = [];
  private running?: Promise<void>;

  constructor(private readonly log: (message: string) => void) {}

  push(step: { name: string; run: () => unknown }): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const { name, run } of this.steps.reverse()) {
        try {
          await run();
        } catch (error) {
          this.log(`clean-up "${name}" failed: ${(error as Error).message}`);
        }
      }
    })();
    return this.running;
  }
}

/** The servers (bench-support infraUp), and a clean-up step that stops those the run started. */
export function serversUp(cleanups: CleanUps, log: (message: string) => void): Infra {
  const infra = infraUp();
  cleanups.push({
    name: 'infra',
    run: () => {
      const stopped = infraDown(infra);
      if (stopped.length) log(`stopped the servers this run started: ${stopped.join(', ')}`);
    },
  });
  return infra;
}

/** On SIGINT or SIGTERM: `cleanUp`, then exit 130. */
export function cleanUpOnSignals(cleanUp: () => Promise<void>, log: (message: string) => void): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      log(`${signal}: stopping what the benchmark started`);
      void cleanUp().finally(() => process.exit(130));
    });
}

/** Runs a benchmark's main: on failure logs it, cleans up and exits 1; then exits (the drivers may keep timers). */
export function runBenchmark(
  main: () => Promise<void>,
  cleanUp: () => Promise<void>,
  log: (message: string) => void,
): void {
  void main()
    .catch(async (error: unknown) => {
      log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
      await cleanUp();
    })
    .finally(() => {
      // kafkajs and the Mongo driver may keep timers; everything of ours is closed by now.
      setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
    });
}

/** Writes a run's summary as .infra/bench/<file>.json; returns its path. */
export function saveSummary(file: string, summary: unknown): string {
  const dir = resolve(ROOT, '.infra/bench');
  mkdirSync(dir, { recursive: true });
  const path = resolve(dir, `${file}.json`);
  writeFileSync(path, `${JSON.stringify(summary, null, 2)}\n`);
  return path;
}
