import { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from './mongo-errors';

interface LeaseDocument {
  _id: string;
  owner: string;
  expiresAt: Date;
}

/**
 * One holder at a time of a named job across processes: one relay publishes (two would publish the same events
 * twice and could interleave a stream's versions on the topic), one projector compiles the report snapshots.
 * The lease expires, so a crashed holder is replaced within `ttlMs`.
 */
export class Lease {
  private readonly leases: Collection<LeaseDocument>;

  constructor(
    db: Db,
    private readonly name: string,
    private readonly owner: string,
    private readonly ttlMs: number,
  ) {
    this.leases = db.collection<LeaseDocument>('leases');
  }

  /** Takes or renews the lease; false while another live holder has it. */
  async acquire(now = new Date()): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    try {
      const result = await this.leases.findOneAndUpdate(
        { _id: this.name, $or: [{ owner: this.owner }, { expiresAt: { $lt: now } }] },
        { $set: { owner: this.owner, expiresAt } },
        { upsert: true, returnDocument: 'after' },
      );
      return result?.owner === this.owner;
    } catch (error) {
      // The upsert raced another holder's live lease (its document exists but did not match).
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async release(): Promise<void> {
    await this.leases.deleteOne({ _id: this.name, owner: this.owner });
  }
}
