import { Injectable } from '@nestjs/common';
import { Db } from 'mongodb';
import { InjectLedgerDb } from '@ledger/database';
import { LogProofs, MongoLogStore, reflectedTreeSize } from '@ledger/transparency-log';

/** The log's latest signed checkpoint, as a report or list cites it. */
export interface CheckpointReference {
  treeSize: number;
  /** The C2SP signed note (origin, size, base64 root, signatures). */
  note: string;
}

/** Which entries of the transparency log an answer reflects. */
export interface LogBinding {
  /** Every log entry below this position is reflected (entries from it on may be too). */
  treeSize: number;
  /** The newest signed checkpoint; its tree has the reflected one as a prefix (ask for a consistency proof). */
  checkpoint: CheckpointReference | null;
}

/** The API's read side of the transparency log: checkpoints, tiles and proofs, by `_id` lookups only. */
@Injectable()
export class TransparencyLog {
  readonly store: MongoLogStore;

  constructor(@InjectLedgerDb() db: Db) {
    this.store = new MongoLogStore(db);
  }

  proofs(cache?: Map<string, Promise<Buffer | null>>): LogProofs {
    return new LogProofs(this.store, cache);
  }

  async bind(watermark: { partitions: { partition: number; logIndex?: number }[] }): Promise<LogBinding> {
    const [state, checkpoint] = await Promise.all([this.store.readState(), this.store.latestCheckpoint()]);
    return {
      treeSize: Math.min(reflectedTreeSize(watermark.partitions, state), checkpoint?.size ?? 0),
      checkpoint: checkpoint ? { treeSize: checkpoint.size, note: checkpoint.note } : null,
    };
  }
}
