import 'reflect-metadata';
import { createLedgerHttpApp, listen } from '@ledger/config';
import { RelayAppModule } from './relay-app.module';

/** The outbox relay: publishes every stored pledge event to Kafka, in order per pledge. */
async function bootstrap(): Promise<void> {
  const app = await createLedgerHttpApp(RelayAppModule);
  await listen(app, 'outbox relay');
}

void bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `outbox relay failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
