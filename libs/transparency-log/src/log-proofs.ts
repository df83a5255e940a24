import { TileProofs } from '@ledger/transparency';
import { hashTileKey, MongoLogStore } from './log-store';

/**
 * Proofs the API serves, computed from the stored tiles (TileProofs): a proof at a million leaves reads a
 * handful of tile documents by `_id`. One instance per answer: it keeps the tiles it read (a proof bundle
 * proves many events in one tree).
 */
export function logProofs(store: MongoLogStore): TileProofs {
  return new TileProofs((tile) => store.readTile(hashTileKey(tile.level, tile.index)));
}
