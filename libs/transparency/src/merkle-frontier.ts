import { emptyTreeHash, HASH_SIZE, isTreeSize, leafHash, nodeHash } from './merkle-hash';

/**
 * What a sequencer must persist to continue the same tree after a restart: the tree size and the
 * roots of the complete subtrees its binary expansion splits into, largest (leftmost) first.
 */
export interface MerkleFrontierState {
  readonly size: number;
  /** Lower-case hex, one per set bit of `size`. */
  readonly hashes: readonly string[];
}

function bitCount(n: number): number {
  let count = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}

/**
 * The right edge of a Merkle tree (a compact range from leaf 0): appends leaves and gives the root
 * in O(log n) memory and O(log n) hashes, without the leaves themselves.
 */
export class MerkleFrontier {
  private constructor(
    private treeSize: number,
    private readonly subtrees: Buffer[],
  ) {}

  static empty(): MerkleFrontier {
    return new MerkleFrontier(0, []);
  }

  static fromState(state: MerkleFrontierState): MerkleFrontier {
    if (!isTreeSize(state.size))
      throw new RangeError(`frontier size must be a safe integer, got ${state.size}`);
    const expected = bitCount(state.size);
    if (state.hashes.length !== expected) {
      throw new RangeError(
        `a tree of ${state.size} leaves has ${expected} frontier hashes, not ${state.hashes.length}`,
      );
    }
    const subtrees = state.hashes.map((hex, i) => {
      if (!/^[0-9a-f]{64}$/.test(hex))
        throw new RangeError(`frontier hash ${i} is not 64 lower-case hex digits`);
      return Buffer.from(hex, 'hex');
    });
    return new MerkleFrontier(state.size, subtrees);
  }

  get size(): number {
    return this.treeSize;
  }

  /** Appends the leaf (an event's hash) and returns its index. */
  append(leaf: Buffer): number {
    return this.appendLeafHash(leafHash(leaf));
  }

  /** Appends an already computed RFC 9162 leaf hash and returns its index. */
  appendLeafHash(hash: Buffer): number {
    if (hash.length !== HASH_SIZE)
      throw new RangeError(`a leaf hash has ${HASH_SIZE} bytes, not ${hash.length}`);
    const index = this.treeSize;
    let merged = hash;
    // Each trailing one bit of the old size is a subtree of the new leaf's height: merge it in.
    for (let rest = index; rest % 2 === 1; rest = Math.floor(rest / 2)) {
      merged = nodeHash(this.subtrees.pop() as Buffer, merged);
    }
    this.subtrees.push(merged);
    this.treeSize = index + 1;
    return index;
  }

  /** MTH of all leaves appended so far. */
  rootHash(): Buffer {
    if (this.subtrees.length === 0) return emptyTreeHash();
    let root = this.subtrees[this.subtrees.length - 1];
    for (let i = this.subtrees.length - 2; i >= 0; i -= 1) root = nodeHash(this.subtrees[i], root);
    return root;
  }

  state(): MerkleFrontierState {
    return { size: this.treeSize, hashes: this.subtrees.map((h) => h.toString('hex')) };
  }
}
