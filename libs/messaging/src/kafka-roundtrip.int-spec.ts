import { Kafka, Partitioners } from 'kafkajs';
import { testKafka, uniqueName } from '@ledger/testing';
import { ensureTopic } from './topics';

describe('Kafka broker (real)', () => {
  let kafka: Kafka;
  beforeAll(() => {
    kafka = testKafka();
  });

  it('creates a topic kept forever, and a consumer group reads back what was produced, in order per key', async () => {
    const topic = uniqueName('roundtrip');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopic(admin, { topic, numPartitions: 3, replicationFactor: 1, retainForever: true });
    await ensureTopic(admin, { topic, numPartitions: 3, replicationFactor: 1, retainForever: true }); // idempotent
    const [described] = (
      await admin.describeConfigs({
        resources: [{ type: 2, name: topic, configNames: ['retention.ms'] }],
        includeSynonyms: false,
      })
    ).resources;
    expect(described.configEntries.find((e) => e.configName === 'retention.ms')?.configValue).toBe('-1');

    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `pledge-${i % 3}`, value: String(i) }));
    await producer.send({ topic, messages: sent });

    const received: { key: string; value: string; partition: number }[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message, partition }) => {
          received.push({ key: message.key!.toString(), value: message.value!.toString(), partition });
          if (received.length === sent.length) resolve();
        },
      });
    });
    await done;
    await Promise.all([consumer.disconnect(), producer.disconnect()]);

    for (const key of ['pledge-0', 'pledge-1', 'pledge-2']) {
      const forKey = received.filter((r) => r.key === key);
      expect(forKey.map((r) => r.value)).toEqual(sent.filter((s) => s.key === key).map((s) => s.value));
      expect(new Set(forKey.map((r) => r.partition)).size).toBe(1);
    }
    const offsets = await admin.fetchOffsets({ groupId: 'absent-group', topics: [topic] });
    expect(offsets[0].partitions).toHaveLength(3);
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });
});
