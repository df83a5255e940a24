import { hashEvent } from '@ledger/event-store/event-hash';
import type { RecordedEvent } from '@ledger/event-store/recorded-event';
import { signCheckpoint } from './checkpoint';
import { checkAgainstSeen, SeenCheckpoint } from './checkpoint-history';
import {
  cosignNote,
  formatWitnessVerifierKey,
  generateWitnessSigner,
  parseWitnessVerifierKey,
} from './cosignature';
import { InMemoryMerkleTree } from './merkle-tree';
import { PROOF_BUNDLE_FORMAT, ProofBundle, verifyProofBundle } from './proof-bundle';
import { generateNoteSigner } from './signed-note';
import { TileProofs } from './tile-proofs';
import { hashTileContents, tilesToWrite } from './tiles';

const origin = 'ledger.test/log';
const log = generateNoteSigner(origin);
const pledgeId = '6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5';

function chain(count: number): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  for (let version = 1; version <= count; version += 1) {
    const unhashed = {
      eventId: `00000000-0000-4000-8000-${String(version).padStart(12, '0')}`,
      streamId: `pledge-${pledgeId}`,
      version,
      type: version === 1 ? 'PledgeSubmitted' : 'ProgressReported',
      schemaVersion: 1,
      occurredAt: '2026-01-01T00:00:00.000Z',
      recordedAt: '2026-01-01T00:00:00.000Z',
      principal: { id: 'org-1', role: 'organisation', name: 'Org' },
      correlationId: 'c',
      causationId: 'c',
      idempotencyKey: null,
      payload: { amount: version * 100 },
      prevHash: events.at(-1)?.hash ?? '0'.repeat(64),
    };
    events.push({ ...unhashed, hash: hashEvent(unhashed) });
  }
  return events;
}

/** A log of other pledges' events with this pledge's events spread in it, and the bundle the API would serve. */
function logWith(events: RecordedEvent[]) {
  const tree = new InMemoryMerkleTree();
  const indexes: number[] = [];
  for (const event of events) {
    for (let i = 0; i < 7; i += 1) tree.append(Buffer.alloc(32, (tree.size * 31) % 251));
    indexes.push(tree.append(Buffer.from(event.hash, 'hex')));
  }
  const note = signCheckpoint({ origin, treeSize: tree.size, rootHash: tree.rootHash(), extensions: [] }, [
    log,
  ]);
  const bundle: ProofBundle = {
    format: PROOF_BUNDLE_FORMAT,
    pledgeId,
    origin,
    checkpoint: note,
    treeSize: tree.size,
    events: events.map((event, i) => ({
      logIndex: indexes[i],
      event,
      inclusionProof: tree.inclusionProof(indexes[i]).map((h) => h.toString('hex')),
    })),
  };
  return { tree, bundle };
}

const codes = (bundle: ProofBundle, trust = {}) =>
  verifyProofBundle(bundle, { logKeys: [log], ...trust }).findings.map((f) => f.code);

describe('verifyProofBundle: a pledge history checked with only the log key', () => {
  it('a bundle as the log serves it verifies: every event unaltered, chained and included', () => {
    const { bundle } = logWith(chain(300));
    const result = verifyProofBundle(bundle, { logKeys: [log], origin });
    expect(result.findings).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.eventsChecked).toBe(300);
  });

  it('a rewritten event (content changed, stated hash kept) is named event-altered', () => {
    const { bundle } = logWith(chain(5));
    bundle.events[2].event = { ...bundle.events[2].event, payload: { amount: 1 } };
    const result = verifyProofBundle(bundle, { logKeys: [log] });
    expect(result.findings.map((f) => [f.code, f.version])).toEqual([['event-altered', 3]]);
    expect(result.findings[0].message).toMatch(/version 3 .* was altered/);
  });

  it('an event rewritten with a fresh hash and chain is not in the signed log: not-included', () => {
    const events = chain(4);
    const { bundle } = logWith(events);
    const { hash: _old, ...unhashed } = { ...events[3], payload: { amount: 1 } };
    bundle.events[3].event = { ...unhashed, hash: hashEvent(unhashed) };
    expect(codes(bundle)).toEqual(['not-included']);
  });

  it('a dropped event is named event-missing (once: its successor is not also blamed)', () => {
    const { bundle } = logWith(chain(5));
    bundle.events.splice(2, 1);
    const result = verifyProofBundle(bundle, { logKeys: [log] });
    expect(result.findings.map((f) => f.code)).toEqual(['event-missing']);
    expect(result.findings[0].message).toMatch(/version 3 missing before version 4/);
  });

  it('a checkpoint not signed by the log key, or of another log, is refused before anything else', () => {
    const { bundle } = logWith(chain(2));
    expect(codes(bundle, { logKeys: [generateNoteSigner(origin)] })).toEqual(['bad-checkpoint-signature']);
    expect(codes(bundle, { origin: 'other.test/log' })).toEqual(['unexpected-origin']);
  });

  it('with witnesses required, a checkpoint no witness cosigned is refused; cosigned, it passes', () => {
    const { bundle } = logWith(chain(2));
    const witness = generateWitnessSigner('witness.test/w1');
    const witnessKeys = [parseWitnessVerifierKey(formatWitnessVerifierKey(witness))];
    expect(codes(bundle, { witnessKeys, requireWitnesses: 1 })).toEqual(['missing-witness-cosignature']);
    bundle.checkpoint = cosignNote(bundle.checkpoint, witness);
    expect(codes(bundle, { witnessKeys, requireWitnesses: 1 })).toEqual([]);
  });
});

describe('checkAgainstSeen: the verifier remembers checkpoints', () => {
  function served(tree: InMemoryMerkleTree): TileProofs {
    const tiles = new Map(
      tilesToWrite(0, tree.size).map((t) => [`${t.level}/${t.index}`, hashTileContents(t, tree.subtreeHash)]),
    );
    return new TileProofs(async (t) => tiles.get(`${t.level}/${t.index}`)?.subarray(0, t.width * 32) ?? null);
  }
  const seenOf = (tree: InMemoryMerkleTree, size = tree.size): SeenCheckpoint => ({
    origin,
    treeSize: size,
    rootHash: tree.rootHash(size).toString('base64'),
    seenAt: '2026-12-01T00:00:00.000Z',
    source: 'test',
  });
  const checkpointOf = (tree: InMemoryMerkleTree) => ({
    origin,
    treeSize: tree.size,
    rootHash: tree.rootHash(),
    extensions: [],
  });

  it('a forked log (two checkpoints of one size with different roots) is named', async () => {
    const { tree } = logWith(chain(40));
    const { tree: other } = logWith(
      chain(39).concat(
        chain(40)
          .slice(39)
          .map((e) => ({ ...e, hash: 'ab'.repeat(32) })),
      ),
    );
    expect(other.size).toBe(tree.size);
    const findings = await checkAgainstSeen([seenOf(tree)], checkpointOf(other), served(other));
    expect(findings.map((f) => f.code)).toEqual(['forked']);
    expect(findings[0].message).toMatch(/^FORKED: two checkpoints of size 320/);
  });

  it('a log that grew passes; one that dropped an entry it had published is named rewritten', async () => {
    const events = chain(60);
    const { tree: before } = logWith(events.slice(0, 40));
    const { tree: grown } = logWith(events);
    expect(await checkAgainstSeen([seenOf(before)], checkpointOf(grown), served(grown))).toEqual([]);
    const { tree: dropped } = logWith([...events.slice(0, 10), ...events.slice(11)]);
    const findings = await checkAgainstSeen([seenOf(before)], checkpointOf(dropped), served(dropped));
    expect(findings.map((f) => f.code)).toEqual(['rewritten']);
  });
});
