import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Real servers for the integration and e2e tiers, from the first of:
 *   1. KAFKA_BROKERS and MONGODB_URI already set (servers someone else runs),
 *   2. a Docker engine that answers: testcontainers (Apache Kafka in KRaft mode, MongoDB 7),
 *   3. the project's own scripts: a Kafka broker from Maven Central jars and FerretDB (or mongod).
 * Environment variables set here reach every test worker.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.KAFKA_BROKERS && process.env.MONGODB_URI) {
    process.env.LEDGER_INFRA_PATH ??= 'env';
    return;
  }
  const started = Date.now();
  if (await dockerAnswers()) {
    await startContainers();
  } else {
    const output = execFileSync('bash', [resolve(__dirname, '../infra/scripts/infra.sh'), 'up'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    for (const line of output.split('\n')) {
      const match = /^(KAFKA_BROKERS|MONGODB_URI|LEDGER_INFRA_STARTED)=(.*)$/.exec(line.trim());
      if (match) process.env[match[1]] = match[2];
    }
    process.env.LEDGER_INFRA_PATH = 'scripts';
  }
  process.stdout.write(
    `\n[test infra] path=${process.env.LEDGER_INFRA_PATH} kafka=${process.env.KAFKA_BROKERS} mongodb=${process.env.MONGODB_URI} ready in ${Date.now() - started} ms\n`,
  );
}

async function dockerAnswers(): Promise<boolean> {
  if (process.env.LEDGER_TEST_INFRA === 'scripts') return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await Promise.race([
      getContainerRuntimeClient(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000)),
    ]);
    return Boolean(client);
  } catch {
    return false;
  }
}

async function startContainers(): Promise<void> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const kafkaPort = 9092;
  const kafka = await new GenericContainer('apache/kafka:3.9.1')
    .withExposedPorts(kafkaPort)
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  // The advertised listener must carry the host-mapped port, known only after start.
  const mapped = kafka.getMappedPort(kafkaPort);
  await kafka.exec([
    'bash',
    '-c',
    `/opt/kafka/bin/kafka-configs.sh --bootstrap-server localhost:9092 --alter --entity-type brokers --entity-name 1 --add-config advertised.listeners=[PLAINTEXT://${kafka.getHost()}:${mapped}] || true`,
  ]);
  const mongo = await new MongoDBContainer('mongo:7').start();
  process.env.KAFKA_BROKERS = `${kafka.getHost()}:${mapped}`;
  process.env.MONGODB_URI = `${mongo.getConnectionString()}/?directConnection=true`;
  process.env.LEDGER_INFRA_PATH = 'testcontainers';
  (globalThis as Record<string, unknown>).__ledgerContainers = [kafka, mongo];
}
