import { SwaggerModule } from '@nestjs/swagger';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLedgerHttpApp, LedgerConfig } from '@ledger/config';
import { AppModule } from './app.module';
import { ledgerValidationPipe } from './problem';
import { useStrictJsonBodies } from './problem/json-body';
import { ledgerOpenApiDocument } from './openapi/ledger-openapi';
import { serveDashboard } from './dashboard/serve-dashboard';
import { acceptImportUploads } from './imports/import-upload';

/** The ledger API as main.ts serves it; tests boot the very same app. */
export async function createLedgerApi(): Promise<NestFastifyApplication> {
  const app = await createLedgerHttpApp(AppModule, {
    bodyParser: false,
    uploadTimeoutMs: Number(process.env.IMPORT_TIMEOUT_MS ?? 30 * 60 * 1000),
  });
  if (!app.get(LedgerConfig).ADMIN_API_KEY) {
    await app.close();
    throw new Error(
      'Invalid configuration:\n  - ADMIN_API_KEY: required by the ledger API (at least 24 characters)',
    );
  }
  app.useGlobalPipes(ledgerValidationPipe());
  // Commands are JSON only (strictly checked): anything else is 415, not a string for the validator to puzzle over.
  useStrictJsonBodies(app.getHttpAdapter().getInstance());
  // Import files (CSV, JSON Lines) reach their handler as a stream, unparsed (apps/ledger-api/src/imports).
  acceptImportUploads(app.getHttpAdapter().getInstance());
  const document = ledgerOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  // The public dashboard (apps/dashboard) under `/`, beside the API it reads.
  await serveDashboard(app);
  return app;
}
