import { readFileSync } from 'node:fs';
import {
  checkAgainstSeen,
  httpTileReader,
  openCheckpoint,
  parseVerifierKey,
  parseWitnessVerifierKey,
  ProofBundle,
  readSeenFile,
  rememberCheckpoint,
  TileProofs,
  verifyCosignatures,
  verifyProofBundle,
  writeSeenFile,
} from '@ledger/transparency';

const USAGE = `ledger-verify: check the pledge ledger's transparency log without trusting its operator
  ledger-verify checkpoint --log-url URL (--key VKEY | --key-file F) [--state F] [--witness-key VKEY]... [--require-witnesses N]
      fetch URL/log/checkpoint (URL/log/checkpoint/witnessed with --require-witnesses), check its signature and
      cosignatures, and check it against every checkpoint seen before (kept in --state, default
      ./ledger-verify-state.json) using the log's tiles: a fork, a rewritten or a rolled-back log is named.
  ledger-verify bundle (FILE | --log-url URL --pledge ID) (--key VKEY | --key-file F) [--state F] [--witness-key VKEY]... [--require-witnesses N]
      check a proof bundle (GET /pledges/ID/proof-bundle): the checkpoint's signature, each event's hash and
      chain, and each event's inclusion in the checkpoint's tree; with --log-url also the checkpoint as above.
  --json prints the result as JSON. Exit 0: verified; 1: a finding; 2: usage or network error.
  The log's public key is published at URL/.well-known/pledge-ledger/log-key: get it once, from a source you trust.`;

interface Args {
  command?: string;
  file?: string;
  options: Map<string, string[]>;
}

function parseArgs(argv: string[]): Args {
  const options = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    const value = name === 'json' ? 'true' : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  return { command: positional[0], file: positional[1], options };
}

class UsageError extends Error {}

function one(args: Args, name: string): string | undefined {
  return args.options.get(name)?.at(-1);
}

async function get(url: URL): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.text();
}

interface Outcome {
  ok: boolean;
  lines: string[];
  json: Record<string, unknown>;
}

async function checkCheckpoint(args: Args, note?: string): Promise<Outcome> {
  const logUrl = one(args, 'log-url');
  if (!logUrl) throw new UsageError('--log-url is required');
  const base = logUrl.endsWith('/') ? logUrl : `${logUrl}/`;
  const key = logKey(args);
  const witnesses = (args.options.get('witness-key') ?? []).map(parseWitnessVerifierKey);
  const required = Number(one(args, 'require-witnesses') ?? 0);
  const text =
    note ?? (await get(new URL(required > 0 ? 'log/checkpoint/witnessed' : 'log/checkpoint', base)));
  const lines: string[] = [];
  let opened;
  try {
    opened = openCheckpoint(text, [key]);
  } catch (error) {
    return {
      ok: false,
      lines: [`BAD SIGNATURE: ${(error as Error).message}`],
      json: { findings: ['bad-checkpoint-signature'] },
    };
  }
  const { checkpoint } = opened;
  const { cosigned, invalid } = verifyCosignatures(text, witnesses);
  if (invalid.length > 0)
    return {
      ok: false,
      lines: invalid.map((i) => `BAD COSIGNATURE: witness ${i.witness}: ${i.reason}`),
      json: { findings: ['bad-witness-cosignature'] },
    };
  if (cosigned.length < required)
    return {
      ok: false,
      lines: [`NOT WITNESSED: cosigned by ${cosigned.length} of the witnesses given, ${required} required`],
      json: { findings: ['missing-witness-cosignature'] },
    };
  const statePath = one(args, 'state') ?? 'ledger-verify-state.json';
  const seen = readSeenFile(statePath);
  const proofs = new TileProofs(httpTileReader(new URL('log/', base).toString()));
  const findings = await checkAgainstSeen(seen, checkpoint, proofs);
  if (findings.length === 0) {
    writeSeenFile(statePath, rememberCheckpoint(seen, checkpoint, base));
    lines.push(
      `OK: checkpoint of ${checkpoint.origin}, ${checkpoint.treeSize} entries, root ${checkpoint.rootHash.toString('base64')}; signed by the log${cosigned.length ? `, cosigned by ${cosigned.map((c) => c.witness).join(', ')}` : ''}; consistent with ${seen.length} checkpoint(s) seen before`,
    );
  } else lines.push(...findings.map((f) => f.message));
  return {
    ok: findings.length === 0,
    lines,
    json: {
      origin: checkpoint.origin,
      treeSize: checkpoint.treeSize,
      cosignedBy: cosigned.map((c) => c.witness),
      findings,
    },
  };
}

function logKey(args: Args) {
  const file = one(args, 'key-file');
  const text = one(args, 'key') ?? (file ? readFileSync(file, 'utf8').trim() : undefined);
  if (!text) throw new UsageError('--key or --key-file is required (the log public key)');
  return parseVerifierKey(text);
}

async function checkBundle(args: Args): Promise<Outcome> {
  const logUrl = one(args, 'log-url');
  const pledge = one(args, 'pledge');
  let text: string;
  if (args.file) text = readFileSync(args.file, 'utf8');
  else if (logUrl && pledge)
    text = await get(
      new URL(
        `pledges/${encodeURIComponent(pledge)}/proof-bundle`,
        logUrl.endsWith('/') ? logUrl : `${logUrl}/`,
      ),
    );
  else throw new UsageError('give a bundle FILE, or --log-url and --pledge');
  const bundle = JSON.parse(text) as ProofBundle;
  const witnesses = (args.options.get('witness-key') ?? []).map(parseWitnessVerifierKey);
  const result = verifyProofBundle(bundle, {
    logKeys: [logKey(args)],
    witnessKeys: witnesses,
    requireWitnesses: Number(one(args, 'require-witnesses') ?? 0),
  });
  const lines = result.ok
    ? [
        `OK: pledge ${result.pledgeId}: ${result.eventsChecked} event(s) unaltered, chained and included in the log's tree of ${result.treeSize} entries (root ${result.rootHash})`,
      ]
    : result.findings.map((f) => `${f.code.toUpperCase()}: ${f.message}`);
  let ok = result.ok;
  const json: Record<string, unknown> = { ...result };
  if (logUrl && result.ok) {
    const history = await checkCheckpoint(args, bundle.checkpoint);
    ok = history.ok;
    lines.push(...history.lines);
    json.checkpoint = history.json;
  }
  return { ok, lines, json };
}

async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
    const run =
      args.command === 'checkpoint' ? checkCheckpoint : args.command === 'bundle' ? checkBundle : undefined;
    if (!run) {
      process.stdout.write(`${USAGE}\n`);
      return args.command === undefined || args.command === 'help' ? 0 : 2;
    }
    const outcome = await run(args);
    if (one(args, 'json'))
      process.stdout.write(`${JSON.stringify({ ok: outcome.ok, ...outcome.json }, null, 2)}\n`);
    else process.stdout.write(`${outcome.lines.join('\n')}\n`);
    return outcome.ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`ledger-verify: ${(error as Error).message}\n`);
    if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    return 2;
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
