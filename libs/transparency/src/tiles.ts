import { TransparencyError } from './transparency-error';
import { isTreeSize } from './merkle-hash';
import { SubtreeHash } from './merkle-proofs';

// C2SP tlog-tiles (c2sp.org/tlog-tiles): the tree served as static tiles of 256 hashes (height 8).
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
const MAX_TILE_LEVEL = 63;

export interface Tile {
  /** 0 holds leaf hashes; level l holds hashes of full subtrees of 256^l leaves. */
  readonly level: number;
  /** The tile's place within its level. */
  readonly index: number;
  /** Hashes in the tile: 256 when full, 1 to 255 when partial. */
  readonly width: number;
}

export enum TilePathErrorCode {
  MalformedTilePath = 'malformed-tile-path',
}

export class TilePathError extends TransparencyError<TilePathErrorCode> {}

/** 1234067 → `x001/x234/067`: zero-padded groups of three digits, all but the last prefixed with `x`. */
export function formatTileIndex(index: number): string {
  if (!isTreeSize(index)) throw new RangeError(`tile index ${index} is not a safe integer ≥ 0`);
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
}

function widthSuffix(width: number): string {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH)
    throw new RangeError(`tile width ${width} is not 1 to 256`);
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

/** `tile/<L>/<N>[.p/<W>]` */
export function tilePath(tile: Tile): string {
  if (!Number.isInteger(tile.level) || tile.level < 0 || tile.level > MAX_TILE_LEVEL) {
    throw new RangeError(`tile level ${tile.level} is not 0 to ${MAX_TILE_LEVEL}`);
  }
  return `tile/${tile.level}/${formatTileIndex(tile.index)}${widthSuffix(tile.width)}`;
}

/** `tile/entries/<N>[.p/<W>]`: the entry bundle beside the level-0 tile of the same index and width. */
export function entryBundlePath(index: number, width: number = TILE_WIDTH): string {
  return `tile/entries/${formatTileIndex(index)}${widthSuffix(width)}`;
}

/** The inverse of tilePath, accepting only the canonical spelling (so one tile has one URL). */
export function parseTilePath(path: string): Tile {
  const match = /^tile\/(0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(path);
  if (!match)
    throw new TilePathError(
      TilePathErrorCode.MalformedTilePath,
      `${JSON.stringify(path)} is not tile/<L>/<N>[.p/<W>]`,
    );
  const level = Number(match[1]);
  const index = Number(match[2].replace(/x/g, '').replace(/\//g, ''));
  if (level > MAX_TILE_LEVEL)
    throw new TilePathError(
      TilePathErrorCode.MalformedTilePath,
      `tile level ${level} is above ${MAX_TILE_LEVEL}`,
    );
  const width = match[3] === undefined ? TILE_WIDTH : Number(match[3]);
  if (match[3] !== undefined && width >= TILE_WIDTH) {
    throw new TilePathError(
      TilePathErrorCode.MalformedTilePath,
      `partial tile width ${width} is not 1 to 255`,
    );
  }
  if (!isTreeSize(index) || formatTileIndex(index) !== match[2]) {
    throw new TilePathError(
      TilePathErrorCode.MalformedTilePath,
      `tile index ${JSON.stringify(match[2])} is not in canonical form`,
    );
  }
  return { level, index, width };
}

/** Leaves spanned by one hash at `level`: 256^level. */
function leavesPerHash(level: number): number {
  return TILE_WIDTH ** level;
}

/** How many hashes a tree of `treeSize` leaves has at tile level `level` (full subtrees of 256^level leaves). */
function hashesAtLevel(level: number, treeSize: number): number {
  return Math.floor(treeSize / leavesPerHash(level));
}

/**
 * The tiles a tree of `treeSize` leaves consists of at its right edge: the partial tile of each level
 * (`floor(s / 256^l) mod 256` wide), which a log must serve for every size it signs a checkpoint of.
 */
export function partialTiles(treeSize: number): Tile[] {
  if (!isTreeSize(treeSize)) throw new RangeError(`tree size ${treeSize} is not a safe integer ≥ 0`);
  const tiles: Tile[] = [];
  for (let level = 0; hashesAtLevel(level, treeSize) > 0; level += 1) {
    const hashes = hashesAtLevel(level, treeSize);
    const width = hashes % TILE_WIDTH;
    if (width > 0) tiles.push({ level, index: Math.floor(hashes / TILE_WIDTH), width });
  }
  return tiles;
}

/** The tiles, full or partial, whose contents change when the tree grows from `oldSize` to `newSize` leaves. */
export function tilesToWrite(oldSize: number, newSize: number): Tile[] {
  if (!isTreeSize(oldSize) || !isTreeSize(newSize) || oldSize > newSize) {
    throw new RangeError(`cannot grow a tree from ${oldSize} to ${newSize} leaves`);
  }
  const tiles: Tile[] = [];
  for (let level = 0; hashesAtLevel(level, newSize) > 0; level += 1) {
    const before = hashesAtLevel(level, oldSize);
    const after = hashesAtLevel(level, newSize);
    if (after === before) continue;
    for (let index = Math.floor(before / TILE_WIDTH); index * TILE_WIDTH < after; index += 1) {
      tiles.push({ level, index, width: Math.min(TILE_WIDTH, after - index * TILE_WIDTH) });
    }
  }
  return tiles;
}

/**
 * The bytes of a hash tile: for i from 0 to width-1, MTH(D[(n·256 + i)·256^l : (n·256 + i + 1)·256^l]),
 * 32 bytes each, concatenated.
 */
export function hashTileContents(tile: Tile, subtreeHash: SubtreeHash): Buffer {
  widthSuffix(tile.width);
  const span = leavesPerHash(tile.level);
  const first = tile.index * TILE_WIDTH;
  const hashes: Buffer[] = [];
  for (let i = 0; i < tile.width; i += 1)
    hashes.push(subtreeHash((first + i) * span, (first + i + 1) * span));
  return Buffer.concat(hashes);
}
