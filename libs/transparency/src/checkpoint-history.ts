import { Checkpoint } from './checkpoint';
import { verifyConsistency } from './merkle-proofs';
import { TileProofs } from './tile-proofs';
import { tilePath } from './tiles';

/** A checkpoint a verifier or witness saw before (kept in its local file). */
export interface SeenCheckpoint {
  origin: string;
  treeSize: number;
  /** base64, as in the checkpoint */
  rootHash: string;
  seenAt: string;
  source: string;
}

export type HistoryFindingCode =
  'forked' | 'rewritten' | 'tiles-mismatch' | 'rolled-back' | 'tiles-unavailable';

export interface HistoryFinding {
  code: HistoryFindingCode;
  message: string;
}

/**
 * Checks a newly fetched (and signature-checked) checkpoint against those seen before, with tiles of the new
 * tree (from any mirror; they are checked against the new root first):
 * - `forked`: a checkpoint seen before has the same size and another root (two views of one log);
 * - `rewritten`: the root of a size seen before, recomputed from the new tree, differs from the root seen
 *   (entries below it were changed or dropped: the new tree does not extend the old);
 * - `rolled-back`: the log now shows fewer entries than it showed before;
 * - `tiles-mismatch`: the tiles do not hash to the new checkpoint's root.
 */
export async function checkAgainstSeen(
  seen: readonly SeenCheckpoint[],
  checkpoint: Checkpoint,
  tiles: TileProofs,
): Promise<HistoryFinding[]> {
  const findings: HistoryFinding[] = [];
  const root = checkpoint.rootHash.toString('base64');
  const mine = seen.filter((s) => s.origin === checkpoint.origin);
  for (const old of mine.filter((s) => s.treeSize === checkpoint.treeSize && s.rootHash !== root))
    findings.push({
      code: 'forked',
      message: `FORKED: two checkpoints of size ${checkpoint.treeSize} with different roots: ${old.rootHash} (seen ${old.seenAt} from ${old.source}) and ${root} (now)`,
    });
  const largest = mine.reduce((max, s) => Math.max(max, s.treeSize), 0);
  if (largest > checkpoint.treeSize)
    findings.push({
      code: 'rolled-back',
      message: `ROLLED BACK: the log shows ${checkpoint.treeSize} entries; it showed ${largest} before`,
    });
  if (checkpoint.treeSize === 0) return findings;
  try {
    const fromTiles = await tiles.rootHash(checkpoint.treeSize);
    if (!fromTiles.equals(checkpoint.rootHash)) {
      findings.push({
        code: 'tiles-mismatch',
        message: `the tiles hash to ${fromTiles.toString('base64')}, the checkpoint of size ${checkpoint.treeSize} says ${root}`,
      });
      return findings;
    }
    for (const old of mine.filter((s) => s.treeSize > 0 && s.treeSize < checkpoint.treeSize)) {
      // A consistency proof, not only the recomputed prefix root: tiles off the new root's own path are
      // vouched for by nothing else, so a server could serve old hashes there to make the prefix match.
      const proof = await tiles.consistency(old.treeSize, checkpoint.treeSize);
      const extendsOld = verifyConsistency({
        firstSize: old.treeSize,
        firstRootHash: Buffer.from(old.rootHash, 'base64'),
        secondSize: checkpoint.treeSize,
        secondRootHash: checkpoint.rootHash,
        proof,
      });
      const prefix = (await tiles.rootHash(old.treeSize, checkpoint.treeSize)).toString('base64');
      if (!extendsOld)
        findings.push({
          code: 'rewritten',
          message: `REWRITTEN: the first ${old.treeSize} entries of the tree of size ${checkpoint.treeSize} hash to ${prefix}, but the checkpoint of that size seen ${old.seenAt} had ${old.rootHash}: the log changed entries it had published`,
        });
    }
  } catch (error) {
    findings.push({
      code: 'tiles-unavailable',
      message: `cannot read the tiles: ${(error as Error).message}`,
    });
  }
  return findings;
}

/** What to keep after a check: the new checkpoint beside those seen (one record per size and root). */
export function rememberCheckpoint(
  seen: readonly SeenCheckpoint[],
  checkpoint: Checkpoint,
  source: string,
  now = new Date(),
): SeenCheckpoint[] {
  const root = checkpoint.rootHash.toString('base64');
  if (
    seen.some(
      (s) => s.origin === checkpoint.origin && s.treeSize === checkpoint.treeSize && s.rootHash === root,
    )
  )
    return [...seen];
  return [
    ...seen,
    {
      origin: checkpoint.origin,
      treeSize: checkpoint.treeSize,
      rootHash: root,
      seenAt: now.toISOString(),
      source,
    },
  ];
}

/** Tiles over HTTP (C2SP tlog-tiles paths under `base`, e.g. https://ledger.example/log/). */
export function httpTileReader(base: string, fetchImpl: typeof fetch = fetch) {
  const root = base.endsWith('/') ? base : `${base}/`;
  return async (tile: { level: number; index: number; width: number }): Promise<Buffer | null> => {
    const response = await fetchImpl(new URL(tilePath(tile), root));
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`GET ${tilePath(tile)}: HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  };
}
