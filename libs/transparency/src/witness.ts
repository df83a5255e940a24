import { openCheckpoint } from './checkpoint';
import {
  checkAgainstSeen,
  HistoryFinding,
  httpTileReader,
  rememberCheckpoint,
  SeenCheckpoint,
} from './checkpoint-history';
import { cosignNote, WitnessSigner } from './cosignature';
import { NoteVerifier } from './signed-note';
import { TileProofs } from './tile-proofs';

export interface WitnessRound {
  status: 'cosigned' | 'refused' | 'unchanged';
  treeSize: number;
  findings: HistoryFinding[];
  seen: SeenCheckpoint[];
  /** What the log answered to the cosignature (status, body). */
  submitted?: { status: number; body: string };
}

/**
 * One round of a witness: fetch the log's latest checkpoint, check its signature, check it against every
 * checkpoint this witness saw (with the log's tiles: no fork, no rewrite, no rollback), and only then
 * cosign it (C2SP tlog-cosignature) and hand the cosignature to the log, which serves it with the checkpoint.
 */
export async function witnessRound(options: {
  logUrl: string;
  logKey: NoteVerifier;
  signer: WitnessSigner;
  seen: SeenCheckpoint[];
  fetchImpl?: typeof fetch;
  now?: Date;
}): Promise<WitnessRound> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const base = options.logUrl.endsWith('/') ? options.logUrl : `${options.logUrl}/`;
  const response = await fetchImpl(new URL('log/checkpoint', base));
  if (!response.ok) throw new Error(`GET log/checkpoint: HTTP ${response.status}`);
  const note = await response.text();
  const { checkpoint } = openCheckpoint(note, [options.logKey]);
  const proofs = new TileProofs(httpTileReader(new URL('log/', base).toString(), fetchImpl));
  const findings = await checkAgainstSeen(options.seen, checkpoint, proofs);
  if (findings.length > 0)
    return { status: 'refused', treeSize: checkpoint.treeSize, findings, seen: options.seen };
  const seen = rememberCheckpoint(options.seen, checkpoint, base, options.now);
  // The note as the log signed it, without the cosignatures of others.
  const body = note.slice(0, note.indexOf('\n\n') + 1);
  const own = note.split('\n').filter((line) => line.startsWith(`\u2014 ${options.logKey.name} `));
  const cosigned = cosignNote(`${body}\n${own.join('\n')}\n`, options.signer);
  const posted = await fetchImpl(new URL('log/cosignatures', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ note: cosigned }),
  });
  return {
    status: 'cosigned',
    treeSize: checkpoint.treeSize,
    findings,
    seen,
    submitted: { status: posted.status, body: await posted.text() },
  };
}
