import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/**
 * Starts one of the ledger's apps as its own OS process, as an operator would: from the build in dist/ when
 * there is one (the test command builds first), otherwise from source through ts-node.
 */
export function startApp(
  app: 'ledger-api' | 'relay' | 'projector' | 'ledger-cli' | 'ledger-verify',
  env: Record<string, string>,
  args: string[] = [],
): ChildProcess & { output: () => string } {
  const built = resolve(ROOT, 'dist/apps', app, 'main.js');
  const fromBuild = existsSync(built) && process.env.LEDGER_TEST_FROM_SOURCE !== 'true';
  const nodeArgs = fromBuild
    ? [built]
    : [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        resolve(ROOT, 'apps', app, 'src/main.ts'),
      ];
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: resolve(ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20000)));
  return Object.assign(child, { output: () => output });
}

/** Nest's shutdown hooks close everything, then re-raise the signal: a clean stop ends by SIGTERM, not code 0. */
export function stopApp(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolveExit) => {
    // 'close', not 'exit': only then has the child's last output been read (its shutdown log lines).
    child.once('close', (code, exitSignal) => resolveExit({ code, signal: exitSignal }));
    child.kill(signal);
  });
}

/** Runs an operator command of ledger-cli to its end. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = startApp('ledger-cli', env, args);
  const code = await new Promise<number | null>((resolveExit) => child.once('close', (c) => resolveExit(c)));
  return { code, output: child.output() };
}
