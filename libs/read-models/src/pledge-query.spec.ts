import { foldPledge, PledgeEvent } from '@ledger/domain';
import { ACTOR, pledgeSubmitted, progressReported, someTerms } from '@ledger/domain/testing/pledge-fixtures';
import { indexChange, indexKeysOf } from './pledge-index';
import { filterKeys, lapseCutoff, matchesFilters, snapshotKeyOf, walkKey } from './pledge-query';
import { PledgeSummaryDocument, provenanceOf, toSummaryDocument } from './pledge-summary.document';

// The provenance filter over summaries folded from real events (no I/O: the index lists' keys and the checks
// every walked candidate goes through).

const IMPORTED = {
  kind: 'import',
  importId: 'import-1',
  source: { name: 'WSIS Stocktaking 2024', retrievedOn: '2026-11-30' },
  originalAuthor: 'Secretariat',
  sourceRef: 'ws-17',
  row: 2,
  rowHash: 'a'.repeat(64),
} as const;

const LAST = { eventId: 'e-1', recordedAt: '2026-12-01T00:00:00.000Z' };

function submission(pledgeId: string, imported: boolean): PledgeEvent {
  const submitted = pledgeSubmitted(someTerms());
  return {
    ...submitted,
    data: { ...(submitted.data as object), pledgeId, actor: ACTOR },
    ...(imported ? { provenance: IMPORTED } : {}),
  } as PledgeEvent;
}

function documentOf(events: PledgeEvent[]): PledgeSummaryDocument {
  return toSummaryDocument(foldPledge(events), LAST);
}

describe('provenance in the summary read model', () => {
  const imported = documentOf([submission('p-imported', true)]);
  const direct = documentOf([submission('p-direct', false)]);
  const cutoff = lapseCutoff(new Date('2025-06-15T00:00:00.000Z'), 3650);

  it('stores it from the submission: imported history added to a direct pledge leaves it direct', () => {
    expect(imported.provenance).toBe('imported');
    expect(direct.provenance).toBe('direct');
    const later = documentOf([
      submission('p-direct', false),
      { ...progressReported(), provenance: IMPORTED },
    ]);
    expect(later.provenance).toBe('direct');
    expect(later.state.importedEvents).toBe(1);
  });

  it('lists each pledge under exactly one of provenance:imported and provenance:direct', () => {
    expect(indexKeysOf(imported, 'active')).toContain('provenance:imported');
    expect(indexKeysOf(imported, 'active')).not.toContain('provenance:direct');
    expect(indexKeysOf(direct, 'active')).toContain('provenance:direct');
    expect(indexKeysOf(direct, 'active')).not.toContain('provenance:imported');
  });

  it('never moves a pledge between those lists after its submission', () => {
    const before = documentOf([submission('p-imported', true)]);
    const after = documentOf([submission('p-imported', true), progressReported()]);
    expect(indexChange(before, after)).toBeNull();
    expect(indexChange(null, before)?.add).toContain('provenance:imported');
  });

  it('is a keyed filter: walked after the actor type and before the status', () => {
    expect(walkKey({ provenance: 'imported' })).toBe('provenance:imported');
    expect(filterKeys({ status: 'active', provenance: 'direct', actorType: 'government' })).toEqual([
      'actorType:government',
      'provenance:direct',
      'status:active',
    ]);
    expect(filterKeys({ provenance: 'imported', status: 'lapsed' })).toEqual([
      'provenance:imported',
      'status:active',
    ]);
    expect(filterKeys({ country: 'KE', provenance: 'imported' })).toEqual([
      'country:KE',
      'provenance:imported',
    ]);
  });

  it('has report snapshots of its own when it is the only filter', () => {
    expect(snapshotKeyOf({ provenance: 'imported' })).toBe('provenance:imported');
    expect(snapshotKeyOf({ provenance: 'direct' })).toBe('provenance:direct');
    expect(snapshotKeyOf({ provenance: 'direct', country: 'KE' })).toBeUndefined();
  });

  it('matches a summary by its provenance', () => {
    expect(matchesFilters(imported, { provenance: 'imported' }, cutoff)).toBe(true);
    expect(matchesFilters(imported, { provenance: 'direct' }, cutoff)).toBe(false);
    expect(matchesFilters(direct, { provenance: 'direct' }, cutoff)).toBe(true);
    expect(matchesFilters(direct, { provenance: 'imported' }, cutoff)).toBe(false);
    expect(matchesFilters(imported, { provenance: 'imported', country: 'KE' }, cutoff)).toBe(true);
    expect(matchesFilters(imported, { provenance: 'imported', country: 'UG' }, cutoff)).toBe(false);
  });

  it('reads a summary stored before the field existed as its state says, else as direct', () => {
    const { provenance: _1, ...oldImported } = imported;
    const { provenance: _2, ...oldDirect } = direct;
    const stateless = { ...oldDirect, state: { ...oldDirect.state, importedSubmission: undefined } };
    expect(provenanceOf(oldImported)).toBe('imported');
    expect(provenanceOf(oldDirect)).toBe('direct');
    expect(provenanceOf(stateless)).toBe('direct');
    const asStored = (doc: object) => doc as PledgeSummaryDocument;
    expect(matchesFilters(asStored(stateless), { provenance: 'direct' }, cutoff)).toBe(true);
    expect(matchesFilters(asStored(stateless), { provenance: 'imported' }, cutoff)).toBe(false);
    expect(indexKeysOf(stateless, 'active')).toContain('provenance:direct');
  });
});
