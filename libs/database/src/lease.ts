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
  /** Until when this holder may go on without asking the database again (half the term it last got). */
  private heldUntil = 0;

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
      const held = result?.owner === this.owner;
      this.heldUntil = held ? now.getTime() + this.ttlMs / 2 : 0;
      return held;
    } catch (error) {
      // The upsert raced another holder's live lease (its document exists but did not match).
      this.heldUntil = 0;
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /**
   * As acquire, but renews only once half the term it last got has passed: a holder that works in a tight
   * loop (the relay) then writes the lease document every ttl/2 instead of every round, and no other holder
   * can take it meanwhile (the stored term runs ttl/2 longer).
   */
  async keep(now = new Date()): Promise<boolean> {
    return now.getTime() < this.heldUntil ? true : this.acquire(now);
  }

  async release(): Promise<void> {
    this.heldUntil = 0;
    await this.leases.deleteOne({ _id: this.name, owner: this.owner });
  }
}
