import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Logger } from '@nestjs/common';
import { pledgeStreamId } from '@ledger/domain';
import { LedgerConfig } from '@ledger/config';
import { READ_MODEL_DB } from '@ledger/database';
import { ChainVerification, MongoEventStore, PLEDGE_UPCASTERS } from '@ledger/event-store';
import { KafkaConnection, reconcileLog } from '@ledger/messaging';
import { rebuildPledgeSummaries } from '@ledger/read-models';
import { Db } from 'mongodb';
import { CliModule } from './cli.module';
import { importCommand, IMPORT_USAGE } from './import/import-command';
import { witness, WITNESS_USAGE } from './witness';

const USAGE = `ledger-cli: operator commands of the pledge ledger
  verify [pledgeId]   verify the hash chain of one pledge, or of every stream; exit 1 naming the first broken link
  audit-log           reconcile the event store with the pledge-event topic; exit 1 if any stored event is
                      missing from the topic (or the topic holds events the store does not)
  rebuild             replay the pledge-event topic into a fresh read model and switch readers to it
  demo [--tag NAME]   load the demo set (a multi-year history since 2015) through the running API's import
                      (LEDGER_API_URL, ADMIN_API_KEY); once loaded, --tag NAME adds another set beside it
${IMPORT_USAGE}
${WITNESS_USAGE}
Configuration comes from the environment (MONGODB_URI, KAFKA_BROKERS, ...), as for the apps.`;

function describeBreak(result: ChainVerification): string {
  const b = result.firstBreak!;
  if (b.kind === 'version-gap')
    return `${b.streamId}: version ${b.expectedVersion} is missing (next stored is ${b.version})`;
  return `${b.streamId} v${b.version} (event ${b.eventId}): ${b.kind}, expected ${b.expected}, stored ${b.stored}`;
}

async function withContext<T>(run: (get: <S>(token: unknown) => S) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  try {
    return await run(<S>(token: unknown) => app.get(token as never) as S);
  } finally {
    await app.close();
  }
}

async function verify(pledgeId?: string): Promise<number> {
  return withContext(async (get) => {
    const store = get<MongoEventStore>(MongoEventStore);
    const results = pledgeId ? [await store.verifyStream(pledgeStreamId(pledgeId))] : [];
    if (!pledgeId) for await (const result of store.verifyAll()) results.push(result);
    const broken = results.filter((r) => !r.valid);
    const events = results.reduce((n, r) => n + r.eventsChecked, 0);
    for (const result of broken) process.stdout.write(`BROKEN ${describeBreak(result)}\n`);
    process.stdout.write(
      `${broken.length ? 'FAILED' : 'OK'}: ${results.length} stream(s), ${events} event(s) checked, ${broken.length} broken\n`,
    );
    return broken.length ? 1 : 0;
  });
}

async function auditLog(): Promise<number> {
  return withContext(async (get) => {
    const config = get<LedgerConfig>(LedgerConfig);
    const result = await reconcileLog(
      get<MongoEventStore>(MongoEventStore),
      get<KafkaConnection>(KafkaConnection).kafka,
      config.PLEDGE_EVENTS_TOPIC,
    );
    for (const e of result.missing)
      process.stdout.write(
        `MISSING ${e.streamId} v${e.version} (event ${e.eventId}, recorded ${e.recordedAt})\n`,
      );
    for (const e of result.unknownOnTopic)
      process.stdout.write(
        `UNKNOWN ${e.streamId} v${e.version} (event ${e.eventId}) at partition ${e.partition} offset ${e.offset}\n`,
      );
    for (const e of result.mismatched)
      process.stdout.write(
        `MISMATCH ${e.streamId} v${e.version}: topic event ${e.eventId} hash ${e.topicHash}, stored ${e.storedEventId} hash ${e.storedHash}\n`,
      );
    for (const e of result.orderViolations)
      process.stdout.write(
        `ORDER ${e.streamId} v${e.version} after v${e.after} at partition ${e.partition} offset ${e.offset}\n`,
      );
    const { missing, unknownOnTopic, mismatched, orderViolations, ...counts } = result;
    process.stdout.write(
      `${JSON.stringify({ ...counts, missing: missing.length, unknownOnTopic: unknownOnTopic.length, mismatched: mismatched.length, orderViolations: orderViolations.length })}\n`,
    );
    process.stdout.write(
      `${result.ok ? 'OK' : 'FAILED'}: ${result.stored} stored, ${result.onTopic} on the topic, ${result.pending} pending, ${missing.length} missing, ${result.duplicates} duplicates\n`,
    );
    return result.ok ? 0 : 1;
  });
}

async function rebuild(): Promise<number> {
  return withContext(async (get) => {
    const config = get<LedgerConfig>(LedgerConfig);
    const result = await rebuildPledgeSummaries(
      get<KafkaConnection>(KafkaConnection).kafka,
      get<Db>(READ_MODEL_DB),
      get<MongoEventStore>(MongoEventStore),
      {
        topic: config.PLEDGE_EVENTS_TOPIC,
        deadLetterTopic: config.DEAD_LETTER_TOPIC,
        maxAttempts: config.PROJECTOR_MAX_ATTEMPTS,
        upcasters: PLEDGE_UPCASTERS,
      },
      new Logger('Rebuild'),
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  });
}

function fromStateFile(name: string): string | undefined {
  try {
    return readFileSync(resolve(__dirname, '../../../.infra', name), 'utf8').trim();
  } catch {
    return undefined;
  }
}

async function demo(args: string[]): Promise<number> {
  const apiUrl = process.env.LEDGER_API_URL ?? fromStateFile('apps/api-url');
  const adminKey = process.env.ADMIN_API_KEY ?? fromStateFile('admin-api-key');
  if (!apiUrl || !adminKey) {
    process.stderr.write(
      'demo: start the ledger first (npm start), or set LEDGER_API_URL and ADMIN_API_KEY\n',
    );
    return 2;
  }
  const { loadDemo, parseDemoArgs, DemoAlreadyLoadedError } = await import('./demo/load-demo');
  let tag: string | undefined;
  try {
    ({ tag } = parseDemoArgs(args));
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    const summary = await loadDemo({
      apiUrl,
      adminKey,
      ...(tag !== undefined ? { tag } : {}),
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof DemoAlreadyLoadedError)) throw error;
    process.stderr.write(`demo: ${error.message}\n`);
    return 3;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'verify':
      return verify(rest[0]);
    case 'rebuild':
      return rebuild();
    case 'audit-log':
      return auditLog();
    case 'demo':
      return demo(rest);
    case 'witness':
      return witness(rest);
    case 'import':
      return importCommand(rest, {
        apiUrl: fromStateFile('apps/api-url'),
        adminKey: process.env.ADMIN_API_KEY ?? fromStateFile('admin-api-key'),
      });
    default:
      process.stdout.write(`${USAGE}\n`);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ledger-cli: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
