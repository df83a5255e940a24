import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  createFileOnce,
  formatWitnessSignerKey,
  formatWitnessVerifierKey,
  generateWitnessSigner,
  parseVerifierKey,
  parseWitnessSignerKey,
  readSeenFile,
  witnessRound,
  WitnessSigner,
  writeSeenFile,
} from '@ledger/transparency';

export const WITNESS_USAGE = `  witness --log-url URL (--log-key VKEY | --log-key-file F) [--key-file F] [--name NAME] [--state F]
          [--interval SECONDS] [--once] [--print-key]
                      follow the log's checkpoints, check each extends every one seen before (from the
                      log's tiles), and cosign it (C2SP tlog-cosignature); refuses, loudly, a forked,
                      rewritten or rolled-back log. The key is generated into --key-file
                      (.infra/witness/witness.key) on first use; --print-key prints its verifier key for
                      the log's LOG_WITNESS_KEYS. No database or Kafka needed.`;

function option(args: string[], name: string): string | undefined {
  const at = args.lastIndexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

/** The witness's key: read from its file, or generated into it once (mode 0600, never replaced). */
function witnessKey(file: string, name: string): WitnessSigner {
  createFileOnce(file, () => `${formatWitnessSignerKey(generateWitnessSigner(name))}\n`);
  return parseWitnessSignerKey(readFileSync(file, 'utf8').trim());
}

export async function witness(args: string[]): Promise<number> {
  const keyFile = option(args, 'key-file') ?? '.infra/witness/witness.key';
  const signer = witnessKey(keyFile, option(args, 'name') ?? 'witness.localhost/w1');
  if (args.includes('--print-key')) {
    process.stdout.write(`${formatWitnessVerifierKey(signer)}\n`);
    return 0;
  }
  const logUrl = option(args, 'log-url');
  const logKeyFile = option(args, 'log-key-file');
  const logKeyText = option(args, 'log-key') ?? (logKeyFile ? readFileSync(logKeyFile, 'utf8') : undefined);
  if (!logUrl || !logKeyText) {
    process.stderr.write(
      `ledger-cli witness needs --log-url and --log-key or --log-key-file\n${WITNESS_USAGE}\n`,
    );
    return 2;
  }
  const logKey = parseVerifierKey(logKeyText.trim());
  const statePath = option(args, 'state') ?? `${dirname(keyFile)}/witness-state.json`;
  const interval = Number(option(args, 'interval') ?? 10) * 1000;
  let stopping = false;
  process.once('SIGTERM', () => (stopping = true));
  process.once('SIGINT', () => (stopping = true));
  for (;;) {
    try {
      const round = await witnessRound({ logUrl, logKey, signer, seen: readSeenFile(statePath) });
      if (round.status === 'refused') {
        for (const finding of round.findings) process.stderr.write(`REFUSED: ${finding.message}\n`);
        if (args.includes('--once')) return 1;
      } else {
        writeSeenFile(statePath, round.seen);
        const answer = round.submitted
          ? `; the log answered ${round.submitted.status} ${round.submitted.body}`
          : '';
        process.stdout.write(
          `cosigned the checkpoint of ${round.treeSize} entries as ${signer.name}${answer}\n`,
        );
        if (round.submitted && round.submitted.status !== 200 && args.includes('--once')) return 1;
      }
    } catch (error) {
      process.stderr.write(`witness round failed: ${(error as Error).message}\n`);
      if (args.includes('--once')) return 2;
    }
    if (args.includes('--once') || stopping) return 0;
    await new Promise((resolve) => setTimeout(resolve, interval));
    if (stopping) return 0;
  }
}
