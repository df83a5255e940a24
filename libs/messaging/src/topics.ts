import { Admin } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  /** Kept forever: the pledge-event topic is the ledger's public log (DESIGN.md §3). */
  retainForever?: boolean;
}

/** Creates the topic if missing; an existing topic is left as it is (partition counts never shrink). */
export async function ensureTopic(admin: Admin, spec: TopicSpec): Promise<void> {
  const existing = await admin.listTopics();
  if (existing.includes(spec.topic)) return;
  const configEntries = spec.retainForever
    ? [
        { name: 'retention.ms', value: '-1' },
        { name: 'retention.bytes', value: '-1' },
        { name: 'cleanup.policy', value: 'delete' },
      ]
    : [];
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: spec.topic,
          numPartitions: spec.numPartitions,
          replicationFactor: spec.replicationFactor,
          configEntries,
        },
      ],
    });
  } catch (error) {
    // Another process created it between listTopics and createTopics.
    if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
  }
}
