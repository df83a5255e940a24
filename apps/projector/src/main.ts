import 'reflect-metadata';
import { createLedgerHttpApp, listen } from '@ledger/config';
import { ProjectorAppModule } from './projector-app.module';

/** The projector: keeps the MongoDB read models up to date from the pledge-event topic. */
async function bootstrap(): Promise<void> {
  const app = await createLedgerHttpApp(ProjectorAppModule);
  await listen(app, 'projector');
}

void bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `projector failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
