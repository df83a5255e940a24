import { Collection, Db } from 'mongodb';

export interface DeadLetter {
  _id: string;
  topic: string;
  partition: number;
  offset: string;
  eventId: string | null;
  streamId: string | null;
  version: number | null;
  error: string;
  attempts: number;
  parkedAt: string;
  deadLetterTopic: string;
}

/** Events the projector gave up on, kept visible (health, status endpoint) besides the dead-letter topic. */
export class DeadLetters {
  private readonly letters: Collection<DeadLetter>;

  constructor(db: Db) {
    this.letters = db.collection<DeadLetter>('dead_letters');
  }

  async park(letter: DeadLetter): Promise<void> {
    await this.letters.updateOne({ _id: letter._id }, { $setOnInsert: letter }, { upsert: true });
  }

  count(): Promise<number> {
    return this.letters.countDocuments({});
  }

  latest(limit = 20): Promise<DeadLetter[]> {
    return this.letters.find({}).sort({ parkedAt: -1 }).limit(limit).toArray();
  }
}
