import { emptyTreeHash, HASH_SIZE, isPowerOfTwo, isTreeSize, nodeHash, splitPoint } from './merkle-hash';

/**
 * MTH(D[start:end]), the Merkle tree hash of the leaves start (inclusive) to end (exclusive).
 * Proof generation asks only for ranges that RFC 9162's recursion visits: either a complete,
 * aligned subtree (what a hash tile stores) or the right edge of the tree. So a source may be
 * an array in memory, stored tiles, or anything else that can answer those.
 */
export type SubtreeHash = (start: number, end: number) => Buffer;

function assertSize(name: string, n: number): void {
  if (!isTreeSize(n)) throw new RangeError(`${name} must be a non-negative safe integer, got ${n}`);
}

/** The root hash of the first `size` leaves. */
export function treeHash(size: number, subtreeHash: SubtreeHash): Buffer {
  assertSize('tree size', size);
  return size === 0 ? emptyTreeHash() : subtreeHash(0, size);
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path of leaf `index` in the tree of `size` leaves. */
export function inclusionProof(index: number, size: number, subtreeHash: SubtreeHash): Buffer[] {
  assertSize('tree size', size);
  if (!isTreeSize(index) || index >= size) {
    throw new RangeError(`leaf index ${index} is not in a tree of ${size} leaves`);
  }
  const path: Buffer[] = [];
  // Walk from the root down to the leaf, collecting siblings; the path lists them leaf first.
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      path.push(subtreeHash(start + k, end));
      end = start + k;
    } else {
      path.push(subtreeHash(start, start + k));
      start += k;
    }
  }
  return path.reverse();
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1: that the tree of `first` leaves is a prefix of the tree of `second`. */
export function consistencyProof(first: number, second: number, subtreeHash: SubtreeHash): Buffer[] {
  assertSize('first tree size', first);
  assertSize('second tree size', second);
  if (first > second) throw new RangeError(`tree size ${first} is larger than ${second}`);
  // Nothing to prove for an empty first tree or for a tree and itself.
  if (first === 0 || first === second) return [];
  const proof: Buffer[] = [];
  // SUBPROOF(m, D[start:end], b), unrolled: the nodes are found root first and listed leaf first.
  let m = first;
  let start = 0;
  let end = second;
  let wholeFirstTree = true;
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      proof.push(subtreeHash(start + k, end));
      end = start + k;
    } else {
      proof.push(subtreeHash(start, start + k));
      start += k;
      m -= k;
      wholeFirstTree = false;
    }
  }
  if (!wholeFirstTree) proof.push(subtreeHash(start, end));
  return proof.reverse();
}

function isHash(b: Buffer): boolean {
  return Buffer.isBuffer(b) && b.length === HASH_SIZE;
}

/**
 * "If LSB(fn) is not set, right-shift both fn and sn equally until either LSB(fn) is set or fn is 0"
 * (RFC 9162 §2.1.3.2 and §2.1.4.2): skips the levels where the node is its parent's only child.
 */
function climbLeftEdge(fn: number, sn: number): [number, number] {
  while (fn % 2 === 0 && fn !== 0) {
    fn /= 2;
    sn = Math.floor(sn / 2);
  }
  return [fn, sn];
}

export interface InclusionClaim {
  /** The Merkle leaf hash, leafHash(event hash), not the event hash itself. */
  readonly leafHash: Buffer;
  readonly index: number;
  readonly treeSize: number;
  readonly proof: readonly Buffer[];
  readonly rootHash: Buffer;
}

/** RFC 9162 §2.1.3.2: true only if `proof` leads from the leaf at `index` to `rootHash`. */
export function verifyInclusion(claim: InclusionClaim): boolean {
  const { leafHash, index, treeSize, proof, rootHash } = claim;
  if (!isTreeSize(index) || !isTreeSize(treeSize) || index >= treeSize) return false;
  if (!isHash(leafHash) || !isHash(rootHash) || !proof.every(isHash)) return false;
  // Arithmetic rather than bit operators: JavaScript's are 32-bit.
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      [fn, sn] = climbLeftEdge(fn, sn);
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(rootHash);
}

export interface ConsistencyClaim {
  readonly firstSize: number;
  readonly firstRootHash: Buffer;
  readonly secondSize: number;
  readonly secondRootHash: Buffer;
  readonly proof: readonly Buffer[];
}

/** RFC 9162 §2.1.4.2: true only if the first tree head is a prefix of the second. */
export function verifyConsistency(claim: ConsistencyClaim): boolean {
  const { firstSize, firstRootHash, secondSize, secondRootHash, proof } = claim;
  if (!isTreeSize(firstSize) || !isTreeSize(secondSize) || firstSize > secondSize) return false;
  if (!isHash(firstRootHash) || !isHash(secondRootHash) || !proof.every(isHash)) return false;
  // The two cases with nothing to prove: the empty tree precedes every tree, and a tree is itself.
  if (firstSize === 0) return proof.length === 0 && firstRootHash.equals(emptyTreeHash());
  if (firstSize === secondSize) return proof.length === 0 && firstRootHash.equals(secondRootHash);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(firstSize) ? [firstRootHash, ...proof] : [...proof];
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      [fn, sn] = climbLeftEdge(fn, sn);
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(firstRootHash) && sr.equals(secondRootHash);
}
