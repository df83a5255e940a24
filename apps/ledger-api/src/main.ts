import 'reflect-metadata';
import { listen } from '@ledger/config';
import { createLedgerApi } from './ledger-api.setup';

async function bootstrap(): Promise<void> {
  const app = await createLedgerApi();
  const url = await listen(app, 'ledger API');
  process.stdout.write(`LEDGER_API_URL=${url}\nLEDGER_DOCS_URL=${url}/docs\n`);
}

void bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `ledger API failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
