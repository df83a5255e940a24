import { createHash } from 'node:crypto';
import { checkAgainstSeen, rememberCheckpoint } from './checkpoint-history';
import { InMemoryMerkleTree } from './merkle-tree';
import { TileProofs, TileReader } from './tile-proofs';
import { hashTileContents, Tile, tilesToWrite } from './tiles';

const ORIGIN = 'ledger.example/pledges';
const leaf = (i: number, variant = '') => createHash('sha256').update(`event ${i}${variant}`).digest();

/** The tiles a log serves for `tree` (every tile at its widest), read at any width up to that. */
function tileServer(
  tree: InMemoryMerkleTree,
  forge: (tile: Tile, bytes: Buffer) => Buffer = (_, b) => b,
): TileReader {
  const stored = new Map<string, Buffer>();
  for (const tile of tilesToWrite(0, tree.size))
    stored.set(`${tile.level}/${tile.index}`, forge(tile, hashTileContents(tile, tree.subtreeHash)));
  return async (tile) => stored.get(`${tile.level}/${tile.index}`)?.subarray(0, tile.width * 32) ?? null;
}

const checkpointOf = (tree: InMemoryMerkleTree) => ({
  origin: ORIGIN,
  treeSize: tree.size,
  rootHash: tree.rootHash(),
  extensions: [],
});

describe('checkAgainstSeen with tiles a dishonest server chose', () => {
  // Seen before: 300 entries. Now: 512 entries in which entry 260 was changed (a rewritten log).
  const old = InMemoryMerkleTree.fromLeaves(Array.from({ length: 300 }, (_, i) => leaf(i)));
  const rewritten = InMemoryMerkleTree.fromLeaves(
    Array.from({ length: 512 }, (_, i) => leaf(i, i === 260 ? ' (rewritten)' : '')),
  );
  const seen = rememberCheckpoint([], checkpointOf(old), 'https://ledger.example/log/');

  it('names an honestly served rewritten log', async () => {
    const findings = await checkAgainstSeen(
      seen,
      checkpointOf(rewritten),
      new TileProofs(tileServer(rewritten)),
    );
    expect(findings.map((f) => f.code)).toEqual(['rewritten']);
  });

  it('is not fooled by old leaf hashes served in a tile the new root does not cover', async () => {
    // The root of 512 reads only the level-1 tile, so level-0 tile 1 can hold the old entries 256-299 and
    // make the recomputed root of 300 match what was seen; only a consistency proof ties the two roots.
    const forged = tileServer(rewritten, (tile, bytes) =>
      tile.level === 0 && tile.index === 1 ? hashTileContents(tile, forgedLeaves(old, rewritten)) : bytes,
    );
    const findings = await checkAgainstSeen(seen, checkpointOf(rewritten), new TileProofs(forged));
    expect(findings.map((f) => f.code)).toEqual(['rewritten']);
  });

  it('accepts a log that only grew', async () => {
    const grown = InMemoryMerkleTree.fromLeaves(Array.from({ length: 512 }, (_, i) => leaf(i)));
    expect(await checkAgainstSeen(seen, checkpointOf(grown), new TileProofs(tileServer(grown)))).toEqual([]);
  });
});

/** Level-0 tile entries (leaf hashes) of the old tree where it has them, of the current one beyond. */
function forgedLeaves(old: InMemoryMerkleTree, current: InMemoryMerkleTree) {
  return (start: number): Buffer => (start < old.size ? old.leafHash(start) : current.leafHash(start));
}
