import type { ImportedFrom, RecordedEvent, ReportGroup } from './api';
import {
  byEffectiveTime,
  httpUrl,
  importedCount,
  importOf,
  pledgeImport,
  provenanceOf,
  reportCountsImported,
  timesDiffer,
} from './provenance';

const FROM: ImportedFrom = {
  kind: 'import',
  importId: 'imp-2025-01',
  source: { name: 'WSIS stocktaking', url: 'https://example.org/stocktaking.csv', retrievedOn: '2025-01-15' },
  originalAuthor: 'Ministry of ICT',
  sourceRef: 'WSIS-2016-0042',
  row: 42,
  rowHash: 'ab'.repeat(32),
};

function event(
  version: number,
  type: string,
  occurredAt: string,
  recordedAt = occurredAt,
  provenance?: ImportedFrom,
): RecordedEvent {
  return {
    eventId: `e${version}`,
    streamId: 'pledge-1',
    version,
    type,
    occurredAt,
    recordedAt,
    principal: { id: 'admin-1', role: 'admin', name: 'Import admin' },
    payload: {},
    ...(provenance ? { provenance } : {}),
    prevHash: '0'.repeat(64),
    hash: String(version).repeat(64),
  };
}

describe('imported history on the dashboard', () => {
  it('links a source only by an absolute http(s) address', () => {
    expect(httpUrl('https://example.org/a?b=1')).toBe('https://example.org/a?b=1');
    expect(httpUrl('http://example.org')).toBe('http://example.org/');
    expect(httpUrl('javascript:alert(1)')).toBeNull();
    expect(httpUrl(' JavaScript:alert(1)')).toBeNull();
    expect(httpUrl('data:text/html,<script>alert(1)</script>')).toBeNull();
    expect(httpUrl('ftp://example.org/file')).toBeNull();
    expect(httpUrl('//example.org/file')).toBeNull();
    expect(httpUrl('/relative/path')).toBeNull();
    expect(httpUrl('https://')).toBeNull();
    expect(httpUrl(undefined)).toBeNull();
    expect(httpUrl(42)).toBeNull();
  });

  it('reads an imported event’s provenance, and none from a direct one', () => {
    expect(importOf(event(1, 'PledgeSubmitted', '2026-01-01T00:00:00.000Z'))).toBeNull();
    expect(importOf({ provenance: { ...FROM, kind: 'other' } as unknown as ImportedFrom })).toBeNull();
    expect(importOf({ provenance: FROM })).toEqual({
      importId: 'imp-2025-01',
      sourceName: 'WSIS stocktaking',
      sourceUrl: 'https://example.org/stocktaking.csv',
      retrievedOn: '2025-01-15',
      sourceRef: 'WSIS-2016-0042',
      row: 42,
      originalAuthor: 'Ministry of ICT',
    });
    // An unsafe address is no link; a source without a name is named by its reference.
    const odd = {
      ...FROM,
      source: { url: 'javascript:alert(1)', retrievedOn: '2025-01-15' },
    } as ImportedFrom;
    expect(importOf({ provenance: odd })).toMatchObject({ sourceName: 'WSIS-2016-0042', sourceUrl: null });
    const bare = { kind: 'import' } as ImportedFrom;
    expect(importOf({ provenance: bare })).toEqual({
      importId: null,
      sourceName: '—',
      sourceUrl: null,
      retrievedOn: null,
      sourceRef: null,
      row: null,
      originalAuthor: null,
    });
  });

  it('says when an event happened at another time than it was recorded', () => {
    expect(timesDiffer(event(1, 'PledgeSubmitted', '2026-01-01T00:00:00.000Z'))).toBe(false);
    // The same instant written two ways is the same time.
    expect(timesDiffer(event(1, 'PledgeSubmitted', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z'))).toBe(
      false,
    );
    expect(
      timesDiffer(event(1, 'PledgeSubmitted', '2016-03-08T00:00:00.000Z', '2026-01-01T00:00:00.000Z')),
    ).toBe(true);
  });

  it('places events by when they happened, the stream’s order between equal times, keeping their positions', () => {
    const direct = [
      event(1, 'PledgeSubmitted', '2026-01-01T00:00:00.000Z'),
      event(2, 'ProgressReported', '2026-01-01T00:00:00.000Z'),
      event(3, 'PledgeAmended', '2026-02-01T00:00:00.000Z'),
    ];
    expect(byEffectiveTime(direct).map((p) => p.index)).toEqual([0, 1, 2]);

    const recorded = '2026-03-01T10:00:00.000Z';
    const mixed = [
      event(1, 'PledgeSubmitted', '2026-01-01T00:00:00.000Z'),
      // History imported later that happened before the pledge's direct submission, and between its events.
      event(2, 'ProgressReported', '2019-06-30T00:00:00.000Z', recorded, FROM),
      event(3, 'ProgressReported', '2026-02-01T00:00:00.000Z', recorded, FROM),
      event(4, 'PledgeAmended', '2016-03-08T00:00:00.000Z', recorded, FROM),
      event(5, 'VerificationRecorded', 'not a date', '2026-03-02T00:00:00.000Z'),
    ];
    const placed = byEffectiveTime(mixed);
    expect(placed.map((p) => p.event.version)).toEqual([4, 2, 1, 3, 5]);
    expect(placed.map((p) => p.index)).toEqual([3, 1, 0, 2, 4]);
    expect(mixed.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('says a pledge’s history was imported, from which sources, by its summary or its events', () => {
    const direct = [event(1, 'PledgeSubmitted', '2026-01-01T00:00:00.000Z')];
    expect(pledgeImport({ provenance: 'direct', importedEvents: 0, importSources: [] }, direct)).toBeNull();
    expect(pledgeImport(null, direct)).toBeNull();
    // An older API's summary says nothing of provenance.
    expect(pledgeImport({}, direct)).toBeNull();

    const imported = [
      event(1, 'PledgeSubmitted', '2016-03-08T00:00:00.000Z', '2026-03-01T10:00:00.000Z', FROM),
      event(2, 'ProgressReported', '2019-06-30T00:00:00.000Z', '2026-03-01T10:00:00.000Z', {
        ...FROM,
        source: { name: 'Gender caucus archive', retrievedOn: '2025-02-01' },
      }),
      event(3, 'ProgressReported', '2026-03-02T00:00:00.000Z'),
    ];
    expect(
      pledgeImport(
        {
          provenance: 'imported',
          importedEvents: 2,
          importSources: ['WSIS stocktaking', 'Gender caucus archive'],
        },
        imported,
      ),
    ).toEqual({
      sources: [
        { name: 'WSIS stocktaking', url: 'https://example.org/stocktaking.csv' },
        { name: 'Gender caucus archive', url: null },
      ],
      importedEvents: 2,
      submissionImported: true,
    });
    // Not projected yet, or an older summary: the history's events say it.
    expect(pledgeImport(null, imported)).toMatchObject({ importedEvents: 2, submissionImported: true });
    // A direct pledge with imported events after its submission.
    expect(
      pledgeImport({ provenance: 'direct', importedEvents: 1, importSources: ['WSIS stocktaking'] }, [
        event(1, 'PledgeSubmitted', '2026-01-01T00:00:00.000Z'),
        event(2, 'ProgressReported', '2025-12-31T00:00:00.000Z', '2026-01-02T00:00:00.000Z', FROM),
      ]),
    ).toEqual({
      sources: [{ name: 'WSIS stocktaking', url: 'https://example.org/stocktaking.csv' }],
      importedEvents: 1,
      submissionImported: false,
    });
    // The summary's word alone (its events not in the history shown yet).
    expect(pledgeImport({ provenance: 'imported', importedEvents: 1, importSources: ['X'] }, [])).toEqual({
      sources: [{ name: 'X', url: null }],
      importedEvents: 0,
      submissionImported: true,
    });
  });

  it('reads a listed pledge’s provenance and a report’s imported counts, tolerating an older API', () => {
    expect(provenanceOf({ provenance: 'imported' })).toBe('imported');
    expect(provenanceOf({ provenance: 'direct' })).toBe('direct');
    expect(provenanceOf({})).toBeUndefined();

    const group = (imported?: number) =>
      ({
        key: 'KE',
        label: 'Kenya',
        pledges: 3,
        ...(imported === undefined ? {} : { imported }),
      }) as ReportGroup;
    expect(importedCount(group(2))).toBe(2);
    expect(importedCount(group(0))).toBe(0);
    expect(importedCount(group())).toBeUndefined();
    expect(importedCount(undefined)).toBeUndefined();
    expect(reportCountsImported({ totals: group(0), groups: [] })).toBe(true);
    expect(reportCountsImported({ totals: group(), groups: [group(1)] })).toBe(true);
    expect(reportCountsImported({ totals: group(), groups: [group()] })).toBe(false);
  });
});
