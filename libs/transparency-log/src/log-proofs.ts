import {
  consistencyProof,
  HASH_SIZE,
  inclusionProof,
  isPowerOfTwo,
  nodeHash,
  splitPoint,
  SubtreeHash,
  TILE_WIDTH,
  treeHash,
} from '@ledger/transparency';
import { hashTileKey, MongoLogStore } from './log-store';

/** Where an aligned subtree's hash is kept: entry `offset` of tile `tile` of `level`, hashed `span` at once. */
interface TileSlot {
  level: number;
  tile: number;
  first: number;
  count: number;
}

export class TileUnavailableError extends Error {}

/**
 * Proofs computed from the stored tiles: any complete aligned subtree of 2^k leaves is 2^(k mod 8) consecutive
 * hashes of one tile of level ⌊k/8⌋, so a proof at a million leaves reads a handful of tiles by `_id`.
 * A first pass learns which subtrees the proof needs (its shape depends on sizes only), the second hashes.
 */
export class LogProofs {
  /** `cache`: tiles read before, kept by the caller for a set of proofs of one tree size (a proof bundle). */
  constructor(
    private readonly store: MongoLogStore,
    private readonly cache?: Map<string, Promise<Buffer | null>>,
  ) {}

  private tile(key: string): Promise<Buffer | null> {
    if (!this.cache) return this.store.readTile(key);
    let tile = this.cache.get(key);
    if (!tile) this.cache.set(key, (tile = this.store.readTile(key)));
    return tile;
  }

  async inclusion(index: number, size: number): Promise<Buffer[]> {
    return this.run((subtree) => inclusionProof(index, size, subtree));
  }

  async consistency(first: number, second: number): Promise<Buffer[]> {
    return this.run((subtree) => consistencyProof(first, second, subtree));
  }

  async rootHash(size: number): Promise<Buffer> {
    return this.run((subtree) => treeHash(size, subtree));
  }

  private async run<T>(compute: (subtree: SubtreeHash) => T): Promise<T> {
    const slots: TileSlot[] = [];
    const zero = Buffer.alloc(HASH_SIZE);
    compute(this.subtreeHash((slot) => (slots.push(slot), zero)));
    const keys = [...new Set(slots.map((s) => hashTileKey(s.level, s.tile)))];
    const tiles = new Map(await Promise.all(keys.map(async (key) => [key, await this.tile(key)] as const)));
    return compute(
      this.subtreeHash((slot) => {
        const tile = tiles.get(hashTileKey(slot.level, slot.tile));
        if (!tile || tile.length < (slot.first + slot.count) * HASH_SIZE)
          throw new TileUnavailableError(`tile ${slot.level}/${slot.tile} does not reach that far yet`);
        let hashes: Buffer[] = [];
        for (let i = slot.first; i < slot.first + slot.count; i += 1)
          hashes.push(tile.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
        while (hashes.length > 1) {
          const up: Buffer[] = [];
          for (let i = 0; i < hashes.length; i += 2) up.push(nodeHash(hashes[i], hashes[i + 1]));
          hashes = up;
        }
        return hashes[0];
      }),
    );
  }

  private subtreeHash(aligned: (slot: TileSlot) => Buffer): SubtreeHash {
    const hash = (start: number, end: number): Buffer => {
      const width = end - start;
      if (isPowerOfTwo(width) && start % width === 0) {
        const k = Math.log2(width);
        const level = Math.floor(k / 8);
        const span = TILE_WIDTH ** level;
        const position = start / span; // index among level's hashes
        return aligned({
          level,
          tile: Math.floor(position / TILE_WIDTH),
          first: position % TILE_WIDTH,
          count: width / span,
        });
      }
      const k = splitPoint(width);
      return nodeHash(hash(start, start + k), hash(start + k, end));
    };
    return hash;
  }
}
