import { isPowerOfTwo, isTreeSize, leafHash, nodeHash, splitPoint } from './merkle-hash';
import { consistencyProof, inclusionProof, SubtreeHash, treeHash } from './merkle-proofs';

/**
 * A SubtreeHash over leaf hashes read one at a time, recomputing every interior node: O(end - start)
 * hashes a call. Right for small trees and for checking a faster source against.
 */
export function subtreeHashFromLeafHashes(leafHashAt: (index: number) => Buffer): SubtreeHash {
  const hashRange = (start: number, end: number): Buffer => {
    if (end - start === 1) return leafHashAt(start);
    const k = splitPoint(end - start);
    return nodeHash(hashRange(start, start + k), hashRange(start + k, end));
  };
  return (start, end) => {
    if (!isTreeSize(start) || !isTreeSize(end) || start >= end) {
      throw new RangeError(`no subtree over leaves [${start}, ${end})`);
    }
    return hashRange(start, end);
  };
}

/**
 * The whole tree in memory: every complete aligned subtree's hash, level by level (2n hashes for n leaves),
 * so any subtree hash costs O(log n) and a proof O(log² n). The same layout tiles store on disk.
 */
export class InMemoryMerkleTree {
  // levels[l][i] = MTH of the leaves [i·2^l, (i+1)·2^l)
  private readonly levels: Buffer[][] = [[]];

  /** Leaves are the logged data (here: events' SHA-256 hashes); they are hashed as RFC 9162 leaves. */
  static fromLeaves(leaves: readonly Buffer[]): InMemoryMerkleTree {
    const tree = new InMemoryMerkleTree();
    for (const leaf of leaves) tree.append(leaf);
    return tree;
  }

  get size(): number {
    return this.levels[0].length;
  }

  /** Appends one leaf and returns its index. */
  append(leaf: Buffer): number {
    const index = this.size;
    let hash = leafHash(leaf);
    let level = 0;
    let position = index;
    for (;;) {
      if (this.levels.length === level) this.levels.push([]);
      this.levels[level].push(hash);
      if (position % 2 === 0) break;
      hash = nodeHash(this.levels[level][position - 1], hash);
      level += 1;
      position = (position - 1) / 2;
    }
    return index;
  }

  leafHash(index: number): Buffer {
    this.assertWithin(index + 1);
    return this.levels[0][index];
  }

  readonly subtreeHash: SubtreeHash = (start, end) => {
    if (!isTreeSize(start) || start >= end) throw new RangeError(`no subtree over leaves [${start}, ${end})`);
    this.assertWithin(end);
    return this.rangeHash(start, end);
  };

  rootHash(size: number = this.size): Buffer {
    this.assertWithin(size);
    return treeHash(size, this.subtreeHash);
  }

  inclusionProof(index: number, size: number = this.size): Buffer[] {
    this.assertWithin(size);
    return inclusionProof(index, size, this.subtreeHash);
  }

  consistencyProof(first: number, second: number = this.size): Buffer[] {
    this.assertWithin(second);
    return consistencyProof(first, second, this.subtreeHash);
  }

  private rangeHash(start: number, end: number): Buffer {
    const width = end - start;
    if (isPowerOfTwo(width) && start % width === 0) return this.levels[Math.log2(width)][start / width];
    const k = splitPoint(width);
    return nodeHash(this.rangeHash(start, start + k), this.rangeHash(start + k, end));
  }

  private assertWithin(size: number): void {
    if (!isTreeSize(size) || size > this.size) {
      throw new RangeError(`the tree has ${this.size} leaves, not ${size}`);
    }
  }
}
