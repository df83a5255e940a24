import type { RecordedEvent } from '@ledger/event-store/recorded-event';
import { hashEvent } from '@ledger/event-store/event-hash';
import { CheckpointError, CheckpointErrorCode, openCheckpoint } from './checkpoint';
import { verifyCosignatures, VerifiedCosignature, WitnessKey } from './cosignature';
import { leafHash } from './merkle-hash';
import { verifyInclusion } from './merkle-proofs';
import { NoteVerifier } from './signed-note';

export const PROOF_BUNDLE_FORMAT = 'pledge-ledger-proof-bundle/v1';
const GENESIS = '0'.repeat(64);

/** What `GET /pledges/:id/proof-bundle` answers: a pledge's events with their proofs in one checkpoint. */
export interface ProofBundle {
  format: string;
  pledgeId: string;
  origin: string;
  checkpoint: string;
  treeSize: number;
  events: { logIndex: number; event: RecordedEvent; inclusionProof: string[] }[];
  pendingEvents?: number;
}

export type FindingCode =
  | 'malformed-bundle'
  | 'bad-checkpoint-signature'
  | 'unexpected-origin'
  | 'tree-size-mismatch'
  | 'missing-witness-cosignature'
  | 'bad-witness-cosignature'
  | 'wrong-stream'
  | 'event-altered'
  | 'chain-broken'
  | 'event-missing'
  | 'duplicate-index'
  | 'not-included';

export interface Finding {
  code: FindingCode;
  message: string;
  version?: number;
  eventId?: string;
  logIndex?: number;
}

export interface BundleVerification {
  ok: boolean;
  findings: Finding[];
  pledgeId: string;
  treeSize: number;
  rootHash?: string;
  eventsChecked: number;
  cosignedBy: VerifiedCosignature[];
}

export interface BundleTrust {
  logKeys: readonly NoteVerifier[];
  witnessKeys?: readonly WitnessKey[];
  /** How many of witnessKeys must have cosigned the checkpoint (default: none). */
  requireWitnesses?: number;
  origin?: string;
}

const HEX32 = /^[0-9a-f]{64}$/;

/**
 * Checks a proof bundle with nothing but the log's public key (and witnesses' keys): the checkpoint is the
 * log's (and cosigned), every event's hash is the hash of its content, each event follows the one before
 * (prevHash, versions from 1 without a gap), and each is included in the checkpoint's tree at its position.
 * Every problem is a named finding; the bundle is good only with none.
 */
export function verifyProofBundle(bundle: ProofBundle, trust: BundleTrust): BundleVerification {
  const findings: Finding[] = [];
  const result = (extra: Partial<BundleVerification> = {}): BundleVerification => ({
    ok: findings.length === 0,
    findings,
    pledgeId: String(bundle?.pledgeId),
    treeSize: Number(bundle?.treeSize),
    eventsChecked: 0,
    cosignedBy: [],
    ...extra,
  });
  if (
    !bundle ||
    bundle.format !== PROOF_BUNDLE_FORMAT ||
    typeof bundle.checkpoint !== 'string' ||
    !Array.isArray(bundle.events)
  ) {
    findings.push({ code: 'malformed-bundle', message: `not a ${PROOF_BUNDLE_FORMAT} document` });
    return result();
  }
  let opened;
  try {
    opened = openCheckpoint(bundle.checkpoint, trust.logKeys, trust.origin ? { origin: trust.origin } : {});
  } catch (error) {
    const code =
      error instanceof CheckpointError && error.code === CheckpointErrorCode.UnexpectedOrigin
        ? 'unexpected-origin'
        : 'bad-checkpoint-signature';
    findings.push({ code, message: `the checkpoint is not the log's: ${(error as Error).message}` });
    return result();
  }
  const { checkpoint } = opened;
  if (checkpoint.treeSize !== bundle.treeSize)
    findings.push({
      code: 'tree-size-mismatch',
      message: `the bundle says tree size ${bundle.treeSize}, its checkpoint ${checkpoint.treeSize}`,
    });
  const cosignatures = verifyCosignatures(bundle.checkpoint, trust.witnessKeys ?? []);
  const cosignedBy: VerifiedCosignature[] = [...cosignatures.cosigned];
  for (const bad of cosignatures.invalid)
    findings.push({ code: 'bad-witness-cosignature', message: `witness ${bad.witness}: ${bad.reason}` });
  const required = trust.requireWitnesses ?? 0;
  if (cosignedBy.length < required)
    findings.push({
      code: 'missing-witness-cosignature',
      message: `the checkpoint is cosigned by ${cosignedBy.length} of the witnesses given, ${required} required`,
    });
  const streamId = `pledge-${bundle.pledgeId}`;
  const seenIndexes = new Map<number, number>();
  let previous: RecordedEvent | undefined;
  let checked = 0;
  const events = [...bundle.events].sort((a, b) => (a?.event?.version ?? 0) - (b?.event?.version ?? 0));
  for (const item of events) {
    const event = item?.event;
    if (!event || typeof event.version !== 'number' || !Array.isArray(item.inclusionProof)) {
      findings.push({
        code: 'malformed-bundle',
        message: 'an entry of events is not {logIndex, event, inclusionProof}',
      });
      continue;
    }
    const at = { version: event.version, eventId: event.eventId, logIndex: item.logIndex };
    const name = `version ${event.version} (event ${event.eventId}, log index ${item.logIndex})`;
    checked += 1;
    if (event.streamId !== streamId)
      findings.push({
        code: 'wrong-stream',
        message: `${name} belongs to ${event.streamId}, not ${streamId}`,
        ...at,
      });
    const { hash, ...unhashed } = event;
    let recomputed: string | undefined;
    try {
      recomputed = hashEvent(unhashed);
    } catch {
      recomputed = undefined;
    }
    if (recomputed !== hash)
      findings.push({
        code: 'event-altered',
        message: `${name} was altered: its content hashes to ${recomputed}, it states ${hash}`,
        ...at,
      });
    const expectedVersion = (previous?.version ?? 0) + 1;
    if (event.version > expectedVersion)
      findings.push({
        code: 'event-missing',
        message: `version${event.version - expectedVersion > 1 ? 's' : ''} ${expectedVersion}${event.version - expectedVersion > 1 ? `-${event.version - 1}` : ''} missing before ${name}`,
        ...at,
      });
    const expectedPrev =
      event.version === 1
        ? GENESIS
        : previous && event.version === expectedVersion
          ? previous.hash
          : undefined;
    if (expectedPrev !== undefined && event.prevHash !== expectedPrev)
      findings.push({
        code: 'chain-broken',
        message: `${name} does not follow its predecessor: prevHash ${event.prevHash}, expected ${expectedPrev}`,
        ...at,
      });
    const twin = seenIndexes.get(item.logIndex);
    if (twin !== undefined)
      findings.push({
        code: 'duplicate-index',
        message: `${name} and version ${twin} claim the same log index`,
        ...at,
      });
    seenIndexes.set(item.logIndex, event.version);
    const proof = item.inclusionProof.every((h) => typeof h === 'string' && HEX32.test(h))
      ? item.inclusionProof.map((h) => Buffer.from(h, 'hex'))
      : undefined;
    const included =
      proof !== undefined &&
      typeof hash === 'string' &&
      HEX32.test(hash) &&
      Number.isSafeInteger(item.logIndex) &&
      item.logIndex >= 0 &&
      item.logIndex < checkpoint.treeSize &&
      verifyInclusion({
        index: item.logIndex,
        treeSize: checkpoint.treeSize,
        leafHash: leafHash(Buffer.from(hash, 'hex')),
        proof,
        rootHash: checkpoint.rootHash,
      });
    if (!included)
      findings.push({
        code: 'not-included',
        message: `${name} is not in the log's tree of size ${checkpoint.treeSize}: its inclusion proof does not lead to the checkpoint's root`,
        ...at,
      });
    previous = event;
  }
  return result({ eventsChecked: checked, rootHash: checkpoint.rootHash.toString('hex'), cosignedBy });
}
