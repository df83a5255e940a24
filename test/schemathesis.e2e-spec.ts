import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { testKafkaBrokers, testMongoUri } from '@ledger/testing';

const ROOT = resolve(__dirname, '..');

/**
 * Schemathesis fuzzes the ledger as it runs (infra/scripts/schemathesis.sh: the built apps on their own
 * database and topics, an organisation's and a verifier's keys, the document's links followed) and must find
 * nothing: no failed check, no 5xx, and a 2xx from every operation.
 */
describe('schemathesis against the running ledger', () => {
  it('finds no failure and no 5xx, and every operation answers 2xx at least once', async () => {
    const run = await promisify(execFile)('bash', ['infra/scripts/schemathesis.sh'], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_BROKERS: testKafkaBrokers(), MONGODB_URI: testMongoUri() },
      timeout: 330_000,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    const summary = readFileSync(resolve(ROOT, '.infra/schemathesis/summary.txt'), 'utf8');
    expect(summary).toMatch(/0 failed checks, 0 errors, 0 5xx, (\d+)\/\1 operations reached 2xx/);
    expect(run.stdout).toContain('schemathesis:');
  }, 360_000);
});
