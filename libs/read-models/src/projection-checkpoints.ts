import { Collection, Db } from 'mongodb';

interface CheckpointDocument {
  _id: string;
  generation: string;
  topic: string;
  partition: number;
  /** The next offset to read: every message before it is reflected in the generation's collection. */
  offset: number;
  /** The highest transparency-log position among the messages read (a partition's messages are in log order). */
  logIndex?: number;
  lastEventRecordedAt: string;
  eventsApplied: number;
  duplicates: number;
  gapsFilled: number;
  parked: number;
}

export interface BatchProgress {
  nextOffset: number;
  logIndex?: number;
  lastEventRecordedAt?: string;
  applied: number;
  duplicates: number;
  gapsFilled: number;
  parked: number;
}

export interface Watermark {
  generation: string;
  partitions: { partition: number; offset: number; logIndex?: number }[];
  lastEventRecordedAt: string | null;
  eventsApplied: number;
  duplicatesIgnored: number;
  gapsFilled: number;
  eventsParked: number;
}

/**
 * Per-partition progress of a read-model generation, stored beside the read model: a report can say exactly
 * which events it reflects, and a crash never leaves the checkpoint ahead of the data (it is written after).
 */
export class ProjectionCheckpoints {
  private readonly checkpoints: Collection<CheckpointDocument>;

  constructor(db: Db) {
    this.checkpoints = db.collection<CheckpointDocument>('projection_checkpoints');
  }

  async record(generation: string, topic: string, partition: number, progress: BatchProgress): Promise<void> {
    await this.checkpoints.updateOne(
      { _id: `${generation}:${topic}:${partition}` },
      {
        $set: { generation, topic, partition },
        $max: {
          offset: progress.nextOffset,
          ...(progress.logIndex !== undefined ? { logIndex: progress.logIndex } : {}),
          ...(progress.lastEventRecordedAt ? { lastEventRecordedAt: progress.lastEventRecordedAt } : {}),
        },
        $inc: {
          eventsApplied: progress.applied,
          duplicates: progress.duplicates,
          gapsFilled: progress.gapsFilled,
          parked: progress.parked,
        },
      },
      { upsert: true },
    );
  }

  /** The next offset of `partition` the generation reflects, by `_id`; undefined before its first batch. */
  async offset(generation: string, topic: string, partition: number): Promise<number | undefined> {
    const doc = await this.checkpoints.findOne({ _id: `${generation}:${topic}:${partition}` });
    return doc?.offset;
  }

  async watermark(generation: string): Promise<Watermark> {
    const docs = await this.checkpoints.find({ generation }).sort({ partition: 1 }).toArray();
    return {
      generation,
      partitions: docs.map((d) => ({
        partition: d.partition,
        offset: d.offset,
        ...(d.logIndex !== undefined ? { logIndex: d.logIndex } : {}),
      })),
      lastEventRecordedAt: docs.reduce<string | null>(
        (max, d) =>
          d.lastEventRecordedAt && (!max || d.lastEventRecordedAt > max) ? d.lastEventRecordedAt : max,
        null,
      ),
      eventsApplied: docs.reduce((n, d) => n + (d.eventsApplied ?? 0), 0),
      duplicatesIgnored: docs.reduce((n, d) => n + (d.duplicates ?? 0), 0),
      gapsFilled: docs.reduce((n, d) => n + (d.gapsFilled ?? 0), 0),
      eventsParked: docs.reduce((n, d) => n + (d.parked ?? 0), 0),
    };
  }

  async drop(generation: string): Promise<void> {
    await this.checkpoints.deleteMany({ generation });
  }
}
