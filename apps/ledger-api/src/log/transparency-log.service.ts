import { Injectable } from '@nestjs/common';
import { Db } from 'mongodb';
import { LedgerConfig } from '@ledger/config';
import { InjectLedgerDb } from '@ledger/database';
import { parseWitnessVerifierKey, TileProofs, WitnessVerifier } from '@ledger/transparency';
import { logProofs, MongoLogStore, reflectedTreeSize } from '@ledger/transparency-log';

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
  /** The witnesses whose cosignatures this log accepts and serves (LOG_WITNESS_KEYS). */
  readonly witnesses: WitnessVerifier[];

  constructor(@InjectLedgerDb() db: Db, config: LedgerConfig) {
    this.store = new MongoLogStore(db);
    this.witnesses = (config.LOG_WITNESS_KEYS ?? '')
      .split(',')
      .filter((key) => key.length > 0)
      .map((key) => parseWitnessVerifierKey(key));
  }

  /** A stored checkpoint note with the cosignatures of configured witnesses for its size appended. */
  async withCosignatures(size: number, note: string): Promise<{ note: string; witnesses: string[] }> {
    const found = await Promise.all(this.witnesses.map((w) => this.store.cosignature(size, w.name)));
    const present = found.filter((c): c is NonNullable<typeof c> => c !== null);
    return {
      note: `${note}${present.map((c) => `${c.line}\n`).join('')}`,
      witnesses: present.map((c) => c.witness),
    };
  }

  /** The newest checkpoint every configured witness cosigned, or null. */
  async witnessed(): Promise<{ size: number; note: string } | null> {
    if (this.witnesses.length === 0) return null;
    const sizes = await Promise.all(this.witnesses.map((w) => this.store.latestWitnessedSize(w.name)));
    const candidates = [...new Set(sizes.filter((s): s is number => s !== null))].sort((a, b) => b - a);
    for (const size of candidates) {
      const checkpoint = await this.store.checkpointOfSize(size);
      if (!checkpoint) continue;
      const cosigned = await this.withCosignatures(size, checkpoint.note);
      if (cosigned.witnesses.length === this.witnesses.length) return { size, note: cosigned.note };
    }
    return null;
  }

  /** Proofs from the stored tiles; one instance per answer (it keeps the tiles it read). */
  proofs(): TileProofs {
    return logProofs(this.store);
  }

  async bind(watermark: { partitions: { partition: number; logIndex?: number }[] }): Promise<LogBinding> {
    const [state, checkpoint] = await Promise.all([this.store.readState(), this.store.latestCheckpoint()]);
    return {
      treeSize: Math.min(reflectedTreeSize(watermark.partitions, state), checkpoint?.size ?? 0),
      checkpoint: checkpoint ? { treeSize: checkpoint.size, note: checkpoint.note } : null,
    };
  }
}
