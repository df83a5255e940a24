import { Binary, Collection, Db } from 'mongodb';
import { deadlineOptions, isDuplicateKeyError } from '@ledger/database';
import { HASH_SIZE, MerkleFrontierState, TILE_WIDTH } from '@ledger/transparency';

/** A position of the log: the event stored under `key` (`<streamId>:<version>`) with its SHA-256 hash. */
export interface LogEntry {
  index: number;
  key: string;
  eventId: string;
  hash: string;
}

interface LogEntryDocument extends LogEntry {
  _id: string;
}

/** Reverse lookups of a position: by event key (`k:<key>`) and by event id (`i:<eventId>`). */
interface LogKeyDocument {
  _id: string;
  index: number;
}

/**
 * The rightmost or a full tile of the log: hash tiles (`<level>/<index>`) hold `width` hashes of 32 bytes,
 * entry bundles (`entries/<index>`) the `width` event hashes (the leaves' data). A partial tile is replaced as
 * it grows (its first entries never change); a full one is written once.
 */
interface TileDocument {
  _id: string;
  width: number;
  data: Binary;
}

/** What the sequencer persisted last: the tree's frontier at `size`, every position below it published. */
export interface SequencerState {
  frontier: MerkleFrontierState;
  /** Per topic partition, the highest log index the sequencer published there (below `size`). */
  partitionLast: Record<string, number>;
  updatedAt: string;
}

interface StateDocument extends SequencerState {
  _id: 'sequencer';
}

export interface StoredCheckpoint {
  size: number;
  rootHash: string;
  note: string;
  createdAt: string;
}

interface CheckpointDocument extends StoredCheckpoint {
  _id: string;
}

interface LatestDocument {
  _id: string;
  size: number;
  note?: string;
  vkey?: string;
}

export interface StoredCosignature {
  size: number;
  witness: string;
  /** The signature line, as the witness added it to the checkpoint note. */
  line: string;
  timestamp: number;
}

interface CosignatureDocument extends StoredCosignature {
  _id: string;
}

export const LOG_COLLECTIONS = {
  entries: 'log_entries',
  keys: 'log_keys',
  tiles: 'log_tiles',
  state: 'log_state',
  checkpoints: 'log_checkpoints',
  cosignatures: 'log_cosignatures',
} as const;

/** Keys sort by position: 16 digits hold every safe integer below 10^16. */
export function positionKey(index: number): string {
  return String(index).padStart(16, '0');
}

export function hashTileKey(level: number, index: number): string {
  return `${level}/${index}`;
}

export function entryBundleKey(index: number): string {
  return `entries/${index}`;
}

export class LogPositionTakenError extends Error {
  constructor(
    readonly index: number,
    readonly insertedBefore: number,
  ) {
    super(`log position ${index} is taken by another sequencer`);
  }
}

/**
 * The transparency log in MongoDB, written by one sequencer at a time and read by anyone, by `_id` only
 * (FerretDB v1 serves nothing else from an index). A position is claimed by a unique-key insert, so two
 * sequencers that both believe they hold the lease can never give one position two events: the second
 * insert collides and its sequencer starts over from what is stored.
 */
export class MongoLogStore {
  readonly entries: Collection<LogEntryDocument>;
  readonly keys: Collection<LogKeyDocument>;
  readonly tiles: Collection<TileDocument>;
  readonly state: Collection<StateDocument | LatestDocument>;
  readonly checkpoints: Collection<CheckpointDocument>;
  readonly cosignatures: Collection<CosignatureDocument>;

  constructor(db: Db) {
    this.entries = db.collection(LOG_COLLECTIONS.entries);
    this.keys = db.collection(LOG_COLLECTIONS.keys);
    this.tiles = db.collection(LOG_COLLECTIONS.tiles);
    this.state = db.collection(LOG_COLLECTIONS.state);
    this.checkpoints = db.collection(LOG_COLLECTIONS.checkpoints);
    this.cosignatures = db.collection(LOG_COLLECTIONS.cosignatures);
  }

  // ---- positions ----------------------------------------------------------------------------------

  /**
   * Claims consecutive positions, in order; stops at the first one already taken and throws
   * LogPositionTakenError saying how many were claimed before it (those are this caller's).
   */
  async claim(entries: readonly LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await this.entries.insertMany(
        entries.map((e) => ({ _id: positionKey(e.index), ...e })),
        { ordered: true },
      );
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const inserted = (error as { result?: { insertedCount?: number } }).result?.insertedCount;
      const before = typeof inserted === 'number' ? inserted : await this.countClaimed(entries);
      throw new LogPositionTakenError(entries[before]?.index ?? entries[0].index, before);
    }
    await this.index(entries);
  }

  private async countClaimed(entries: readonly LogEntry[]): Promise<number> {
    let n = 0;
    for (const entry of entries) {
      const stored = await this.entryAt(entry.index);
      if (stored?.key !== entry.key) break;
      n += 1;
    }
    return n;
  }

  /** Writes the reverse lookups of positions (again after a crash: a lookup already there is kept). */
  async index(entries: readonly LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const docs = entries.flatMap((e) => [
      { _id: `k:${e.key}`, index: e.index },
      { _id: `i:${e.eventId}`, index: e.index },
    ]);
    try {
      await this.keys.insertMany(docs, { ordered: false });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async entryAt(index: number): Promise<LogEntry | null> {
    const doc = await this.entries.findOne({ _id: positionKey(index) }, deadlineOptions());
    if (!doc) return null;
    const { _id, ...entry } = doc;
    return entry;
  }

  async indexOfKey(key: string): Promise<number | null> {
    return (await this.keys.findOne({ _id: `k:${key}` }, deadlineOptions()))?.index ?? null;
  }

  async indexOfEventId(eventId: string): Promise<number | null> {
    return (await this.keys.findOne({ _id: `i:${eventId}` }, deadlineOptions()))?.index ?? null;
  }

  // ---- tiles --------------------------------------------------------------------------------------

  async writeTiles(tiles: readonly { key: string; hashes: Buffer }[]): Promise<void> {
    if (tiles.length === 0) return;
    await this.tiles.bulkWrite(
      tiles.map((tile) => ({
        replaceOne: {
          filter: { _id: tile.key },
          replacement: { width: tile.hashes.length / HASH_SIZE, data: new Binary(tile.hashes) },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  /** A tile's hashes as stored now (a partial tile may have grown past what a caller asks for). */
  async readTile(key: string): Promise<Buffer | null> {
    const doc = await this.tiles.findOne({ _id: key }, deadlineOptions());
    if (!doc) return null;
    const data = Buffer.from(doc.data.buffer);
    if (data.length !== doc.width * HASH_SIZE || doc.width > TILE_WIDTH) return null;
    return data;
  }

  // ---- sequencer state ----------------------------------------------------------------------------

  async readState(): Promise<SequencerState | null> {
    const doc = (await this.state.findOne({ _id: 'sequencer' })) as StateDocument | null;
    if (!doc) return null;
    const { _id, ...state } = doc;
    return state;
  }

  async writeState(state: SequencerState): Promise<void> {
    await this.state.replaceOne({ _id: 'sequencer' }, { ...state }, { upsert: true });
  }

  // ---- checkpoints --------------------------------------------------------------------------------

  async storeCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    try {
      await this.checkpoints.insertOne({ _id: positionKey(checkpoint.size), ...checkpoint });
    } catch (error) {
      // Signed before (checkpoint text and Ed25519 signatures are deterministic): the same note.
      if (!isDuplicateKeyError(error)) throw error;
    }
    await this.state.replaceOne(
      { _id: 'checkpoint' },
      { size: checkpoint.size, note: checkpoint.note },
      { upsert: true },
    );
  }

  async latestCheckpoint(): Promise<{ size: number; note: string } | null> {
    const doc = (await this.state.findOne({ _id: 'checkpoint' }, deadlineOptions())) as LatestDocument | null;
    return doc?.note ? { size: doc.size, note: doc.note } : null;
  }

  async checkpointOfSize(size: number): Promise<StoredCheckpoint | null> {
    const doc = await this.checkpoints.findOne({ _id: positionKey(size) }, deadlineOptions());
    if (!doc) return null;
    const { _id, ...checkpoint } = doc;
    return checkpoint;
  }

  /** The log's public key (C2SP vkey), published by the sequencer that signs. */
  async publishKey(vkey: string): Promise<void> {
    await this.state.replaceOne({ _id: 'public-key' }, { size: 0, vkey }, { upsert: true });
  }

  async publicKey(): Promise<string | null> {
    const doc = (await this.state.findOne({ _id: 'public-key' }, deadlineOptions())) as LatestDocument | null;
    return doc?.vkey ?? null;
  }

  // ---- witness cosignatures -----------------------------------------------------------------------

  async storeCosignature(cosignature: StoredCosignature): Promise<void> {
    await this.cosignatures.replaceOne(
      { _id: `${positionKey(cosignature.size)}|${cosignature.witness}` },
      cosignature,
      { upsert: true },
    );
    const latestKey = `witnessed|${cosignature.witness}`;
    const latest = (await this.state.findOne({ _id: latestKey })) as LatestDocument | null;
    if (!latest || latest.size < cosignature.size)
      await this.state.replaceOne({ _id: latestKey }, { size: cosignature.size }, { upsert: true });
  }

  async cosignature(size: number, witness: string): Promise<StoredCosignature | null> {
    const doc = await this.cosignatures.findOne(
      { _id: `${positionKey(size)}|${witness}` },
      deadlineOptions(),
    );
    if (!doc) return null;
    const { _id, ...cosignature } = doc;
    return cosignature;
  }

  async latestWitnessedSize(witness: string): Promise<number | null> {
    const doc = (await this.state.findOne(
      { _id: `witnessed|${witness}` },
      deadlineOptions(),
    )) as LatestDocument | null;
    return doc?.size ?? null;
  }
}
