import { createHash } from 'node:crypto';
import { InMemoryMerkleTree, subtreeHashFromLeafHashes } from './merkle-tree';
import { treeHash } from './merkle-proofs';
import {
  entryBundlePath,
  formatTileIndex,
  hashTileContents,
  parseTilePath,
  partialTiles,
  Tile,
  TILE_WIDTH,
  TilePathError,
  tilePath,
  tilesToWrite,
} from './tiles';

describe('tile paths (c2sp.org/tlog-tiles)', () => {
  it('encodes indices in three-digit path elements, all but the last prefixed with x', () => {
    expect(formatTileIndex(1234067)).toBe('x001/x234/067');
    expect(formatTileIndex(0)).toBe('000');
    expect(formatTileIndex(999)).toBe('999');
    expect(formatTileIndex(1000)).toBe('x001/000');
    expect(formatTileIndex(1000000)).toBe('x001/x000/000');
  });

  it('writes full and partial tile paths and entry bundle paths', () => {
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(tilePath({ level: 2, index: 5, width: 17 })).toBe('tile/2/005.p/17');
    expect(entryBundlePath(1234067)).toBe('tile/entries/x001/x234/067');
    expect(entryBundlePath(3, 112)).toBe('tile/entries/003.p/112');
    expect(() => tilePath({ level: 64, index: 0, width: 256 })).toThrow(RangeError);
    expect(() => tilePath({ level: 0, index: 0, width: 0 })).toThrow(RangeError);
  });

  it('reads back exactly the paths it writes', () => {
    const tiles: Tile[] = [
      { level: 0, index: 0, width: 1 },
      { level: 1, index: 1234067, width: 256 },
      { level: 63, index: 999, width: 255 },
      { level: 10, index: 1000, width: 256 },
    ];
    for (const tile of tiles) expect(parseTilePath(tilePath(tile))).toEqual(tile);
  });

  it.each([
    'tile/00/000',
    'tile/64/000',
    'tile/0/1',
    'tile/0/x000/001',
    'tile/0/001/002',
    'tile/0/x001/x2/067',
    'tile/0/000.p/0',
    'tile/0/000.p/256',
    'tile/0/000.p/017',
    'tile/entries/000',
    '/tile/0/000',
  ])('refuses %s', (path) => {
    expect(() => parseTilePath(path)).toThrow(TilePathError);
  });
});

describe('which tiles a tree has', () => {
  it('matches the specification: a tree of 70,000 leaves', () => {
    expect(partialTiles(70000)).toEqual([
      { level: 0, index: 273, width: 112 },
      { level: 1, index: 1, width: 17 },
      { level: 2, index: 0, width: 1 },
    ]);
    const written = tilesToWrite(0, 70000);
    expect(written.filter((t) => t.level === 0 && t.width === TILE_WIDTH)).toHaveLength(273);
    expect(written.filter((t) => t.level === 1 && t.width === TILE_WIDTH)).toHaveLength(1);
    expect(written).toHaveLength(273 + 1 + 1 + 1 + 1);
  });

  it('matches the specification: a tree of 256 leaves is one full tile and a partial level-1 tile', () => {
    expect(tilesToWrite(0, 256)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 0, width: 1 },
    ]);
    expect(partialTiles(256)).toEqual([{ level: 1, index: 0, width: 1 }]);
    expect(partialTiles(0)).toEqual([]);
  });

  it('names the tiles a growing tree changes', () => {
    expect(tilesToWrite(10, 10)).toEqual([]);
    expect(tilesToWrite(10, 20)).toEqual([{ level: 0, index: 0, width: 20 }]);
    expect(tilesToWrite(250, 520)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 0, index: 1, width: 256 },
      { level: 0, index: 2, width: 8 },
      { level: 1, index: 0, width: 2 },
    ]);
    expect(() => tilesToWrite(5, 4)).toThrow(RangeError);
  });
});

describe('hash tile contents', () => {
  const size = 3 * 256 + 5;
  const tree = InMemoryMerkleTree.fromLeaves(
    Array.from({ length: size }, (_, i) => createHash('sha256').update(`event ${i}`).digest()),
  );
  const recomputed = subtreeHashFromLeafHashes((i) => tree.leafHash(i));

  it('holds the leaf hashes at level 0', () => {
    const contents = hashTileContents({ level: 0, index: 3, width: 5 }, tree.subtreeHash);
    expect(contents).toHaveLength(5 * 32);
    for (let i = 0; i < 5; i += 1)
      expect(contents.subarray(i * 32, (i + 1) * 32).equals(tree.leafHash(768 + i))).toBe(true);
  });

  it('holds at level 1 the root of each full level-0 tile', () => {
    const contents = hashTileContents({ level: 1, index: 0, width: 3 }, recomputed);
    for (let i = 0; i < 3; i += 1) {
      const tileLeaves = subtreeHashFromLeafHashes((j) => tree.leafHash(i * 256 + j));
      expect(contents.subarray(i * 32, (i + 1) * 32).equals(treeHash(256, tileLeaves))).toBe(true);
    }
    expect(contents.equals(hashTileContents({ level: 1, index: 0, width: 3 }, tree.subtreeHash))).toBe(true);
  });
});
