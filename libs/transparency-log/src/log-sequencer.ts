import {
  HASH_SIZE,
  leafHash,
  MerkleFrontier,
  perfectTreeHash,
  NoteSigner,
  signCheckpoint,
  TILE_WIDTH,
} from '@ledger/transparency';
import {
  entryBundleKey,
  hashTileKey,
  LogEntry,
  LogPositionTakenError,
  MongoLogStore,
  SequencerState,
} from './log-store';

/** An event to give a position: its key in the event store, its id and its SHA-256 hash (the leaf). */
export interface Sequenceable {
  key: string;
  eventId: string;
  hash: string;
}

export interface LogSequencerOptions {
  /** The log's name in its checkpoints (C2SP origin line). */
  origin: string;
  signer: NoteSigner;
  /** A new checkpoint at most this often while the log grows. */
  checkpointIntervalMs: number;
  /** Whether an event is still waiting in the outbox (its publication not yet acknowledged). */
  isPending(key: string): Promise<boolean>;
  /** The topic partition an event's message goes to. */
  partitionOf(key: string): number;
  clock?: () => Date;
  logger?: { log(message: string): void };
}

function split(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += HASH_SIZE) out.push(data.subarray(i, i + HASH_SIZE));
  return out;
}

/**
 * The single sequencer of the transparency log (run by the relay that holds the outbox lease): it gives each
 * event the next position of one global log, in the order it publishes them, keeps the RFC 9162 tree's
 * frontier and its rightmost tiles in memory, and persists them so a restart or another relay continues the
 * same tree.
 *
 * Positions are claimed by unique-key inserts before the events are published; the tree state is persisted
 * only once every position below it is published. A sequencer that restarts (or takes over) continues from
 * that state and first reads the positions claimed after it: their events keep their positions when they are
 * published again. Another sequencer's claim on a position this one wanted makes this one start over from the
 * store, so a position never holds two events and an event is never given two positions.
 */
export class LogSequencer {
  private frontier = MerkleFrontier.empty();
  /** levels[L]: the hashes of the rightmost, not yet full, tile of level L. */
  private levels: Buffer[][] = [];
  /** The event hashes of the rightmost entry bundle. */
  private bundle: Buffer[] = [];
  /** Tiles changed since they were last written: full ones with their content, partial ones by key. */
  private readonly fullTiles = new Map<string, Buffer>();
  private readonly dirty = new Set<string>();
  /** Events given a position whose publication is not yet known to be acknowledged. */
  private readonly assigned = new Map<string, number>();
  private partitionLast: Record<string, number> = {};
  private ready = false;
  private lastCheckpoint = { size: -1, at: 0 };
  private readonly clock: () => Date;
  readonly stats = { sequenced: 0, checkpoints: 0, recoveries: 0, conflicts: 0 };

  constructor(
    private readonly store: MongoLogStore,
    private readonly options: LogSequencerOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  get size(): number {
    return this.frontier.size;
  }

  rootHash(): Buffer {
    return this.frontier.rootHash();
  }

  /** Positions for a batch about to be published, in its order (positions an earlier attempt gave are kept). */
  async assign(batch: readonly Sequenceable[]): Promise<number[]> {
    if (!this.ready) await this.recover();
    let next = this.frontier.size;
    const fresh: LogEntry[] = [];
    const indexes = batch.map((event) => {
      const known = this.assigned.get(event.key);
      if (known !== undefined) return known;
      const index = next++;
      fresh.push({ index, key: event.key, eventId: event.eventId, hash: event.hash });
      return index;
    });
    try {
      await this.store.claim(fresh);
    } catch (error) {
      if (error instanceof LogPositionTakenError) {
        // Another sequencer is (or was, until just now) at work: start over from what is stored.
        this.stats.conflicts += 1;
        this.ready = false;
      }
      throw error;
    }
    for (const entry of fresh) {
      this.append(entry);
      this.assigned.set(entry.key, entry.index);
    }
    this.stats.sequenced += fresh.length;
    return indexes;
  }

  /**
   * The batch's publication was acknowledged: writes the tiles that changed, the tree state when nothing
   * below it waits for publication any more, and a checkpoint when one is due.
   */
  async published(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.assigned.delete(key);
    await this.flush();
    await this.checkpointIfDue();
  }

  /** Another sequencer holds the lease: forget the in-memory tree; it is read again before the next batch. */
  suspend(): void {
    this.ready = false;
  }

  /** Between batches: signs a checkpoint of what is sequenced if one is due. */
  async idle(): Promise<void> {
    if (!this.ready) await this.recover();
    await this.checkpointIfDue();
  }

  private append(entry: LogEntry): void {
    const data = Buffer.from(entry.hash, 'hex');
    if (data.length !== HASH_SIZE) throw new Error(`event hash of ${entry.key} is not SHA-256 hex`);
    const hash = leafHash(data);
    const index = this.frontier.appendLeafHash(hash);
    const bundleIndex = Math.floor(index / TILE_WIDTH);
    this.bundle.push(data);
    this.dirty.add(entryBundleKey(bundleIndex));
    if (this.bundle.length === TILE_WIDTH) {
      this.fullTiles.set(entryBundleKey(bundleIndex), Buffer.concat(this.bundle));
      this.bundle = [];
    }
    this.addHash(0, bundleIndex, hash);
    const partition = String(this.options.partitionOf(entry.key));
    this.partitionLast[partition] = Math.max(this.partitionLast[partition] ?? -1, index);
  }

  private addHash(level: number, tileIndex: number, hash: Buffer): void {
    const hashes = (this.levels[level] ??= []);
    hashes.push(hash);
    const key = hashTileKey(level, tileIndex);
    this.dirty.add(key);
    if (hashes.length < TILE_WIDTH) return;
    this.fullTiles.set(key, Buffer.concat(hashes));
    this.levels[level] = [];
    this.addHash(level + 1, Math.floor(tileIndex / TILE_WIDTH), perfectTreeHash(hashes));
  }

  private async flush(): Promise<void> {
    const tiles = [...this.dirty].map((key) => {
      const full = this.fullTiles.get(key);
      if (full) return { key, hashes: full };
      if (key.startsWith('entries/')) return { key, hashes: Buffer.concat(this.bundle) };
      return { key, hashes: Buffer.concat(this.levels[Number(key.split('/')[0])]) };
    });
    await this.store.writeTiles(tiles.filter((t) => t.hashes.length > 0));
    this.dirty.clear();
    this.fullTiles.clear();
    if (this.assigned.size === 0) {
      const state: SequencerState = {
        frontier: this.frontier.state(),
        partitionLast: { ...this.partitionLast },
        updatedAt: this.clock().toISOString(),
      };
      await this.store.writeState(state);
    }
  }

  private async checkpointIfDue(): Promise<void> {
    const size = this.frontier.size;
    const now = this.clock().getTime();
    if (size === this.lastCheckpoint.size) return;
    if (this.lastCheckpoint.size >= 0 && now - this.lastCheckpoint.at < this.options.checkpointIntervalMs)
      return;
    if (this.dirty.size > 0) await this.flush();
    const rootHash = this.frontier.rootHash();
    const note = signCheckpoint({ origin: this.options.origin, treeSize: size, rootHash, extensions: [] }, [
      this.options.signer,
    ]);
    await this.store.storeCheckpoint({
      size,
      rootHash: rootHash.toString('hex'),
      note,
      createdAt: new Date(now).toISOString(),
    });
    this.lastCheckpoint = { size, at: now };
    this.stats.checkpoints += 1;
  }

  /**
   * Continues the tree from the store: the persisted frontier, the rightmost tiles at its size (rebuilt from
   * the positions and full tiles below when a tile was written behind), then every position claimed after it.
   */
  async recover(): Promise<void> {
    this.stats.recoveries += 1;
    this.assigned.clear();
    this.dirty.clear();
    this.fullTiles.clear();
    const state = await this.store.readState();
    this.frontier = state ? MerkleFrontier.fromState(state.frontier) : MerkleFrontier.empty();
    this.partitionLast = { ...(state?.partitionLast ?? {}) };
    const size = this.frontier.size;
    this.levels = [];
    for (let level = 0, span = 1; Math.floor(size / span) > 0; level += 1, span *= TILE_WIDTH) {
      const count = Math.floor(size / span);
      this.levels[level] = await this.rightmostHashes(
        level,
        Math.floor(count / TILE_WIDTH),
        count % TILE_WIDTH,
      );
    }
    const bundleWidth = size % TILE_WIDTH;
    const bundleStart = size - bundleWidth;
    const storedBundle = await this.store.readTile(entryBundleKey(bundleStart / TILE_WIDTH));
    this.bundle =
      storedBundle && storedBundle.length >= bundleWidth * HASH_SIZE
        ? split(storedBundle.subarray(0, bundleWidth * HASH_SIZE))
        : (await this.entriesFrom(bundleStart, bundleWidth)).map((e) => Buffer.from(e.hash, 'hex'));
    // Positions claimed after the persisted state (by this sequencer before a crash, or another one).
    const tail: LogEntry[] = [];
    for (let index = size; ; index += 1) {
      const entry = await this.store.entryAt(index);
      if (!entry) break;
      tail.push(entry);
      this.append(entry);
    }
    await this.store.index(tail);
    for (const entry of tail)
      if (await this.options.isPending(entry.key)) this.assigned.set(entry.key, entry.index);
    const checkpoint = await this.store.latestCheckpoint();
    this.lastCheckpoint = { size: checkpoint?.size ?? -1, at: 0 };
    this.ready = true;
    this.options.logger?.log(
      `log sequencer continues a tree of ${this.frontier.size} entries (${tail.length} claimed after the stored state, ${this.assigned.size} of them still to publish)`,
    );
    await this.flush();
  }

  private async entriesFrom(start: number, count: number): Promise<LogEntry[]> {
    const entries = await Promise.all(Array.from({ length: count }, (_, i) => this.store.entryAt(start + i)));
    return entries.map((entry, i) => {
      if (!entry) throw new Error(`log position ${start + i} is missing below the stored tree size`);
      return entry;
    });
  }

  /** The first `width` hashes of tile `tileIndex` of `level`, from the stored tile or from what lies below it. */
  private async rightmostHashes(level: number, tileIndex: number, width: number): Promise<Buffer[]> {
    if (width === 0) return [];
    const stored = await this.store.readTile(hashTileKey(level, tileIndex));
    if (stored && stored.length >= width * HASH_SIZE) return split(stored.subarray(0, width * HASH_SIZE));
    const first = tileIndex * TILE_WIDTH;
    if (level === 0)
      return (await this.entriesFrom(first, width)).map((e) => leafHash(Buffer.from(e.hash, 'hex')));
    return Promise.all(
      Array.from({ length: width }, async (_, i) => {
        const below = await this.store.readTile(hashTileKey(level - 1, first + i));
        if (!below || below.length !== TILE_WIDTH * HASH_SIZE)
          throw new Error(`log tile ${level - 1}/${first + i} is missing below the stored tree size`);
        return perfectTreeHash(split(below));
      }),
    );
  }
}
