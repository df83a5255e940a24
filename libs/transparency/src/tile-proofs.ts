import { HASH_SIZE, isPowerOfTwo, nodeHash, splitPoint } from './merkle-hash';
import { consistencyProof, inclusionProof, SubtreeHash, treeHash } from './merkle-proofs';
import { Tile, TILE_WIDTH } from './tiles';

/** Reads one hash tile of a tree (its first `width` hashes at least); null when there is none (yet). */
export type TileReader = (tile: Tile) => Promise<Buffer | null>;

export class TileUnavailableError extends Error {}

/** The root over 2^k consecutive aligned subtree hashes (a full tile's 256, or a run of one), pair by pair. */
export function perfectTreeHash(hashes: readonly Buffer[]): Buffer {
  let level = [...hashes];
  while (level.length > 1) {
    const up: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(nodeHash(level[i], level[i + 1]));
    level = up;
  }
  return level[0];
}

/** Entry `first`..`first + count` of a tile: a complete aligned subtree of count·256^level leaves. */
interface Slot {
  level: number;
  index: number;
  first: number;
  count: number;
}

/**
 * Proofs and tree hashes computed from C2SP tlog-tiles alone: a complete aligned subtree of 2^k leaves is
 * 2^(k mod 8) consecutive hashes of one tile of level ⌊k/8⌋, so a proof at a million leaves reads a handful
 * of tiles. A first pass learns which subtrees are needed (a proof's shape depends on sizes only), the tiles
 * holding them are read at once, the second pass hashes. The server serves proofs this way from its stored
 * tiles; a verifier computes them itself from tiles a mirror serves, trusting no one's proofs.
 */
export class TileProofs {
  private readonly cache = new Map<string, Promise<Buffer | null>>();

  constructor(private readonly read: TileReader) {}

  inclusion(index: number, treeSize: number): Promise<Buffer[]> {
    return this.run(treeSize, (subtree) => inclusionProof(index, treeSize, subtree));
  }

  consistency(first: number, second: number): Promise<Buffer[]> {
    return this.run(second, (subtree) => consistencyProof(first, second, subtree));
  }

  /** The root of the tree of `size` leaves, from the tiles of the tree of `tilesOf` ≥ size leaves. */
  rootHash(size: number, tilesOf: number = size): Promise<Buffer> {
    if (tilesOf < size) throw new RangeError(`tiles of ${tilesOf} leaves cannot hash a tree of ${size}`);
    return this.run(tilesOf, (subtree) => treeHash(size, subtree));
  }

  private tile(tile: Tile): Promise<Buffer | null> {
    const key = `${tile.level}/${tile.index}/${tile.width}`;
    let read = this.cache.get(key);
    if (!read) this.cache.set(key, (read = this.read(tile)));
    return read;
  }

  private async run<T>(treeSize: number, compute: (subtree: SubtreeHash) => T): Promise<T> {
    const slots: Slot[] = [];
    const zero = Buffer.alloc(HASH_SIZE);
    compute(this.subtreeHash((slot) => (slots.push(slot), zero)));
    const tileOf = (slot: Slot): Tile => {
      const hashes = Math.floor(treeSize / TILE_WIDTH ** slot.level);
      return {
        level: slot.level,
        index: slot.index,
        width: Math.min(TILE_WIDTH, hashes - slot.index * TILE_WIDTH),
      };
    };
    const keyOf = (slot: Slot) => `${slot.level}/${slot.index}`;
    const tiles = new Map<string, Buffer | null>();
    await Promise.all(slots.map(async (slot) => tiles.set(keyOf(slot), await this.tile(tileOf(slot)))));
    return compute(
      this.subtreeHash((slot) => {
        const tile = tiles.get(keyOf(slot));
        if (!tile || tile.length < (slot.first + slot.count) * HASH_SIZE)
          throw new TileUnavailableError(
            `tile ${slot.level}/${slot.index} does not reach entry ${slot.first + slot.count - 1}`,
          );
        const hashes: Buffer[] = [];
        for (let i = slot.first; i < slot.first + slot.count; i += 1)
          hashes.push(tile.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
        return perfectTreeHash(hashes);
      }),
    );
  }

  private subtreeHash(aligned: (slot: Slot) => Buffer): SubtreeHash {
    const hash = (start: number, end: number): Buffer => {
      const width = end - start;
      if (isPowerOfTwo(width) && start % width === 0) {
        const level = Math.floor(Math.log2(width) / 8);
        const span = TILE_WIDTH ** level;
        const position = start / span;
        return aligned({
          level,
          index: Math.floor(position / TILE_WIDTH),
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
