import { createHash } from 'node:crypto';
import { emptyTreeHash, leafHash, nodeHash } from './merkle-hash';
import {
  consistencyProof,
  inclusionProof,
  treeHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle-proofs';
import { InMemoryMerkleTree, subtreeHashFromLeafHashes } from './merkle-tree';

// Written out from RFC 9162 §2.1.1 with nothing but SHA-256, independent of the code under test.
const sha256 = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const H_LEAF = (d: Buffer): Buffer => sha256(Buffer.from([0]), d);
const H_NODE = (l: Buffer, r: Buffer): Buffer => sha256(Buffer.from([1]), l, r);
const hex = (b: Buffer): string => b.toString('hex');

/** Stand-ins for events' SHA-256 hashes. */
const eventHashes = (n: number): Buffer[] =>
  Array.from({ length: n }, (_, i) => sha256(Buffer.from(`event ${i}`)));

// The certificate-transparency reference vectors (testonly/constants.go of transparency-dev/merkle,
// quoted alike by several independent implementations): leaves, roots of the first n leaves, proofs.
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => Buffer.from(h, 'hex'));
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('Merkle tree hash (RFC 9162 §2.1.1)', () => {
  it('hashes the empty tree as SHA-256 of the empty string', () => {
    expect(hex(emptyTreeHash())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(InMemoryMerkleTree.fromLeaves([]).rootHash().equals(sha256())).toBe(true);
  });

  it('prefixes leaves with 0x00 and nodes with 0x01', () => {
    const [a, b] = eventHashes(2);
    expect(leafHash(a).equals(H_LEAF(a))).toBe(true);
    expect(nodeHash(a, b).equals(H_NODE(a, b))).toBe(true);
  });

  it('computes 1-, 2-, 3- and 7-leaf trees as the RFC defines them', () => {
    const d = eventHashes(7);
    const [a, b, c, e, f, g, h] = d.map(H_LEAF); // leaf hashes
    const root = (n: number): string => hex(InMemoryMerkleTree.fromLeaves(d.slice(0, n)).rootHash());
    expect(root(1)).toBe(hex(a));
    expect(root(2)).toBe(hex(H_NODE(a, b)));
    // n = 3 splits at k = 2: MTH(D[0:2]) then MTH(D[2:3]).
    expect(root(3)).toBe(hex(H_NODE(H_NODE(a, b), c)));
    // n = 7 splits at 4, then the right part [4:7] at 2.
    expect(root(7)).toBe(hex(H_NODE(H_NODE(H_NODE(a, b), H_NODE(c, e)), H_NODE(H_NODE(f, g), h))));
  });

  it('reproduces the certificate-transparency roots for 0 to 8 leaves', () => {
    for (let n = 0; n <= 8; n += 1) {
      expect(hex(InMemoryMerkleTree.fromLeaves(CT_LEAVES.slice(0, n)).rootHash())).toBe(CT_ROOTS[n]);
    }
  });

  it('gives the same subtree hashes from stored levels as from recomputing the leaves', () => {
    const tree = InMemoryMerkleTree.fromLeaves(eventHashes(40));
    const recomputed = subtreeHashFromLeafHashes((i) => tree.leafHash(i));
    for (let n = 1; n <= 40; n += 1) {
      expect(hex(treeHash(n, recomputed))).toBe(hex(tree.rootHash(n)));
      for (let start = 0; start < n; start += 1)
        expect(hex(tree.subtreeHash(start, n))).toBe(hex(recomputed(start, n)));
    }
  });
});

describe('proofs of the RFC 6962 §2.1.3 example tree of seven leaves', () => {
  // d0..d6 with leaf hashes a..f... named as in the RFC figure: a b c d e f j are leaves, g h i k l interior.
  const leaves = eventHashes(7);
  const tree = InMemoryMerkleTree.fromLeaves(leaves);
  const [a, b, c, d, e, f, j] = leaves.map(H_LEAF);
  const g = H_NODE(a, b);
  const h = H_NODE(c, d);
  const i = H_NODE(e, f);
  const k = H_NODE(g, h);
  const l = H_NODE(i, j);
  const hexes = (proof: Buffer[]): string[] => proof.map(hex);

  it('gives the audit paths the RFC lists', () => {
    expect(hexes(tree.inclusionProof(0, 7))).toEqual(hexes([b, h, l]));
    expect(hexes(tree.inclusionProof(3, 7))).toEqual(hexes([c, g, l]));
    expect(hexes(tree.inclusionProof(4, 7))).toEqual(hexes([f, j, k]));
    expect(hexes(tree.inclusionProof(6, 7))).toEqual(hexes([i, k]));
  });

  it('gives the consistency proofs the RFC lists', () => {
    expect(hexes(tree.consistencyProof(3, 7))).toEqual(hexes([c, d, g, l]));
    expect(hexes(tree.consistencyProof(4, 7))).toEqual(hexes([l]));
    expect(hexes(tree.consistencyProof(6, 7))).toEqual(hexes([i, j, k]));
  });
});

describe('certificate-transparency proof vectors', () => {
  // Both the audit path of leaf 0 and the proof that the first leaf alone is a prefix of all eight.
  const PATH_OF_LEAF_0_IN_8 = [
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ];
  const tree = InMemoryMerkleTree.fromLeaves(CT_LEAVES);
  const proofs: Array<[string, Buffer[], string[]]> = [
    ['inclusion of leaf 0 in 8', tree.inclusionProof(0, 8), PATH_OF_LEAF_0_IN_8],
    [
      'inclusion of leaf 5 in 8',
      tree.inclusionProof(5, 8),
      [
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    ],
    ['consistency of 1 with 1', tree.consistencyProof(1, 1), []],
    ['consistency of 1 with 8', tree.consistencyProof(1, 8), PATH_OF_LEAF_0_IN_8],
    [
      'consistency of 6 with 8',
      tree.consistencyProof(6, 8),
      [
        '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    ],
    [
      'consistency of 2 with 5',
      tree.consistencyProof(2, 5),
      [
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      ],
    ],
  ];

  it.each(proofs)('%s', (_name, proof, expected) => {
    expect(proof.map(hex)).toEqual(expected);
  });

  it('verifies them against the published roots', () => {
    const root = (n: number): Buffer => Buffer.from(CT_ROOTS[n], 'hex');
    expect(
      verifyInclusion({
        leafHash: leafHash(CT_LEAVES[5]),
        index: 5,
        treeSize: 8,
        proof: proofs[1][1],
        rootHash: root(8),
      }),
    ).toBe(true);
    const consistent = (m: number, n: number, proof: Buffer[]): boolean =>
      verifyConsistency({
        firstSize: m,
        firstRootHash: root(m),
        secondSize: n,
        secondRootHash: root(n),
        proof,
      });
    expect(consistent(6, 8, proofs[4][1])).toBe(true);
    expect(consistent(2, 5, proofs[5][1])).toBe(true);
    expect(consistent(5, 8, proofs[4][1])).toBe(false);
  });
});

describe('every inclusion and consistency proof up to 17 leaves', () => {
  const MAX = 17;
  const leaves = eventHashes(MAX);
  const tree = InMemoryMerkleTree.fromLeaves(leaves);
  const recomputed = subtreeHashFromLeafHashes((i) => tree.leafHash(i));
  const other = H_LEAF(Buffer.from('not an event'));
  const flipBit = (b: Buffer): Buffer => {
    const copy = Buffer.from(b);
    copy[copy.length - 1] ^= 1;
    return copy;
  };
  const pairs = (lowest: number): Array<[number, number]> =>
    Array.from({ length: MAX }, (_, n) => n + 1).flatMap((n) =>
      Array.from({ length: n - lowest + 1 }, (_, i): [number, number] => [i + lowest, n]),
    );

  it.each(pairs(1).map(([i, n]) => [i - 1, n]))('inclusion of leaf %i in %i', (index, size) => {
    const proof = inclusionProof(index, size, tree.subtreeHash);
    expect(proof.map(hex)).toEqual(inclusionProof(index, size, recomputed).map(hex));
    const claim = {
      leafHash: tree.leafHash(index),
      index,
      treeSize: size,
      proof,
      rootHash: tree.rootHash(size),
    };
    expect(verifyInclusion(claim)).toBe(true);

    // A tampered leaf, root, index or proof is refused. (A wrong size with the same root can pass when the
    // path has the same shape: the signed checkpoint, not the proof, binds a size to its root.)
    expect(verifyInclusion({ ...claim, leafHash: other })).toBe(false);
    expect(verifyInclusion({ ...claim, rootHash: flipBit(claim.rootHash) })).toBe(false);
    if (size > 1) expect(verifyInclusion({ ...claim, index: (index + 1) % size })).toBe(false);
    expect(verifyInclusion({ ...claim, index: size })).toBe(false);
    proof.forEach((_, i) => {
      const tampered = proof.map((p, j) => (j === i ? flipBit(p) : p));
      expect(verifyInclusion({ ...claim, proof: tampered })).toBe(false);
    });
    expect(verifyInclusion({ ...claim, proof: [...proof, other] })).toBe(false);
    if (proof.length > 0) expect(verifyInclusion({ ...claim, proof: proof.slice(0, -1) })).toBe(false);
  });

  it.each(pairs(0))('consistency of %i with %i', (first, second) => {
    const proof = consistencyProof(first, second, tree.subtreeHash);
    expect(proof.map(hex)).toEqual(consistencyProof(first, second, recomputed).map(hex));
    const claim = {
      firstSize: first,
      firstRootHash: tree.rootHash(first),
      secondSize: second,
      secondRootHash: tree.rootHash(second),
      proof,
    };
    expect(verifyConsistency(claim)).toBe(true);

    // A rewritten history (a root of another tree) or a tampered proof is refused.
    expect(verifyConsistency({ ...claim, firstRootHash: flipBit(claim.firstRootHash) })).toBe(false);
    // The empty tree is a prefix of every tree, so only a non-empty first tree constrains the second root.
    if (first > 0)
      expect(verifyConsistency({ ...claim, secondRootHash: flipBit(claim.secondRootHash) })).toBe(false);
    proof.forEach((_, i) => {
      const tampered = proof.map((p, j) => (j === i ? flipBit(p) : p));
      expect(verifyConsistency({ ...claim, proof: tampered })).toBe(false);
    });
    expect(verifyConsistency({ ...claim, proof: [...proof, other] })).toBe(false);
    if (proof.length > 0) expect(verifyConsistency({ ...claim, proof: proof.slice(0, -1) })).toBe(false);
    if (first < second) {
      // The sizes swapped: a log cannot shrink.
      expect(
        verifyConsistency({
          firstSize: second,
          firstRootHash: claim.secondRootHash,
          secondSize: first,
          secondRootHash: claim.firstRootHash,
          proof,
        }),
      ).toBe(false);
    }
  });

  it('refuses a proof for a leaf or size outside the tree', () => {
    expect(() => tree.inclusionProof(MAX, MAX)).toThrow(RangeError);
    expect(() => tree.inclusionProof(0, MAX + 1)).toThrow(RangeError);
    expect(() => tree.consistencyProof(5, 4)).toThrow(RangeError);
    expect(() => tree.consistencyProof(1, MAX + 1)).toThrow(RangeError);
  });

  it('catches a fork: two trees of the same size with different roots are not consistent', () => {
    const forked = InMemoryMerkleTree.fromLeaves([
      ...leaves.slice(0, 9),
      sha256(Buffer.from('rewritten')),
      ...leaves.slice(10),
    ]);
    for (let first = 10; first <= MAX; first += 1) {
      const proof = forked.consistencyProof(first, MAX);
      expect(
        verifyConsistency({
          firstSize: first,
          firstRootHash: tree.rootHash(first),
          secondSize: MAX,
          secondRootHash: forked.rootHash(MAX),
          proof,
        }),
      ).toBe(false);
    }
  });
});
