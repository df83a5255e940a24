import { randomBytes } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { createKafka } from '@ledger/messaging';
import { createMongoClient } from '@ledger/database';

/** Each test file gets names of its own, so runs (and parallel workers) never share a topic or database. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export function testKafkaBrokers(): string {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers)
    throw new Error('KAFKA_BROKERS is not set: run integration tests through jest (test/global-setup.ts)');
  return brokers;
}

export function testMongoUri(): string {
  const uri = process.env.MONGODB_URI;
  if (!uri)
    throw new Error('MONGODB_URI is not set: run integration tests through jest (test/global-setup.ts)');
  return uri;
}

export function testKafka(clientId = uniqueName('test')): Kafka {
  return createKafka({ brokers: testKafkaBrokers(), clientId, logLevel: 'error' });
}

export async function testMongoClient(): Promise<MongoClient> {
  return createMongoClient(testMongoUri()).connect();
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}
