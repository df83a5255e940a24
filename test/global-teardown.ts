import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Stops only what global-setup started; servers named by the environment are left running. */
export default async function globalTeardown(): Promise<void> {
  const containers = (globalThis as Record<string, unknown>).__ledgerContainers as
    { stop(): Promise<unknown> }[] | undefined;
  if (containers) {
    await Promise.all(containers.map((c) => c.stop()));
    delete (globalThis as Record<string, unknown>).__ledgerContainers;
    return;
  }
  if (process.env.LEDGER_INFRA_PATH === 'scripts' && process.env.LEDGER_INFRA_STARTED === 'yes') {
    process.env.LEDGER_INFRA_STARTED = 'stopped';
    execFileSync('bash', [resolve(__dirname, '../infra/scripts/infra.sh'), 'down'], { stdio: 'inherit' });
  }
}
