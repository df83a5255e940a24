/* Starting the ledger's apps as their own processes for a benchmark and waiting until they answer /health. */
import type { ChildProcess } from 'node:child_process';
import { startApp } from '../../support/app-process';
import { httpJson, sleep } from '../bench-support';

export type App = ChildProcess & { output: () => string };

/**
 * Starts `app` (test/support/app-process: from dist/ when built) and waits up to 180 s for its /health to answer
 * 200: the ledger API at the URL it prints (`LEDGER_API_URL=`, so HTTP_PORT may be 0), the others on HTTP_PORT.
 * `onSpawn` sees the child before the wait, so a caller can stop it whatever happens next.
 */
export async function launchApp(
  app: 'ledger-api' | 'relay' | 'projector',
  env: Record<string, string>,
  onSpawn: (child: App) => void = () => undefined,
): Promise<{ child: App; url: URL; startupMs: number }> {
  const started = Date.now();
  const child = startApp(app, env) as App;
  onSpawn(child);
  const portUrl = `http://127.0.0.1:${env.HTTP_PORT}`;
  while (Date.now() - started < 180_000) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${app} exited during start-up (${child.exitCode ?? child.signalCode}):\n${child.output()}`,
      );
    }
    const printed = app === 'ledger-api' ? /LEDGER_API_URL=(\S+)/.exec(child.output())?.[1] : portUrl;
    if (printed) {
      const health = await httpJson(new URL(printed), 'GET', '/health', { timeoutMs: 5000 }).catch(
        () => null,
      );
      if (health?.status === 200) return { child, url: new URL(printed), startupMs: Date.now() - started };
    }
    await sleep(200);
  }
  throw new Error(`${app} not healthy within 180 s:\n${child.output()}`);
}
