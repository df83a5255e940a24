import { calendarDateOf, IMPORT_COLUMNS, importedPledgeId, parseImportRow } from '@ledger/domain';
import { buildDemoPlan, type DemoPlan } from './demo-data';
import {
  DEMO_SOURCE_NAME,
  demoFigures,
  demoImportRows,
  demoPledgeRef,
  demoSource,
  replayDemoRows,
  toJsonLines,
  type DemoActorIds,
  type DemoDirectory,
  type DemoImportRow,
} from './demo-import';

const NOW = new Date('2026-11-25T15:00:00.000Z');

/** Stand-in ids, as the ledger would give them at registration. */
function idsFor(plan: DemoPlan): { ids: DemoActorIds; directory: DemoDirectory } {
  return {
    ids: {
      organisations: new Map(plan.organisations.map((o, i) => [o.key, `org-${i}`])),
      verifiers: new Map(plan.verifiers.map((v, i) => [v.key, `ver-${i}`])),
    },
    directory: {
      organisations: new Map(
        plan.organisations.map((o, i) => [
          `org-${i}`,
          { id: `org-${i}`, name: o.name, type: o.type, country: o.country },
        ]),
      ),
      verifiers: new Map(plan.verifiers.map((v, i) => [`ver-${i}`, { id: `ver-${i}`, name: v.name }])),
    },
  };
}

function fixture(tag = '') {
  const plan = buildDemoPlan({ now: NOW, tag });
  const { ids, directory } = idsFor(plan);
  return { plan, ids, rows: demoImportRows(plan, ids), directory };
}

/** The rows of each pledge, in file order, with their line numbers. */
function groups(rows: readonly DemoImportRow[]): Map<string, { row: DemoImportRow; line: number }[]> {
  const byPledge = new Map<string, { row: DemoImportRow; line: number }[]>();
  rows.forEach((row, index) => {
    const list = byPledge.get(String(row.pledgeId)) ?? [];
    list.push({ row, line: index + 1 });
    byPledge.set(String(row.pledgeId), list);
  });
  return byPledge;
}

describe('demo import rows', () => {
  const { plan, ids, rows, directory } = fixture();

  it('are the same for the same plan and ids', () => {
    expect(demoImportRows(buildDemoPlan({ now: NOW }), ids)).toEqual(rows);
    expect(toJsonLines(demoImportRows(buildDemoPlan({ now: NOW }), ids))).toBe(toJsonLines(rows));
  });

  it('use only template columns, and every row parses with the template', () => {
    const columns = new Set(IMPORT_COLUMNS);
    for (const [index, row] of rows.entries()) {
      Object.keys(row).forEach((column) => expect(columns.has(column)).toBe(true));
      const parsed = parseImportRow(row, index + 1, NOW);
      expect(parsed.errors).toBeUndefined();
    }
  });

  it('give each pledge one group of rows: its pledge row, its target rows, then its follow-ups', () => {
    const byPledge = groups(rows);
    expect(byPledge.size).toBe(plan.pledges.length);
    for (const list of byPledge.values()) {
      // together: consecutive lines
      expect(list.at(-1)!.line - list[0].line).toBe(list.length - 1);
      expect(list[0].row.kind).toBe('pledge');
      const pledge = plan.pledges.find((p) => demoPledgeRef(plan, p.key) === list[0].row.pledgeId)!;
      const targets = list.slice(1, 1 + pledge.terms.targets.length);
      expect(targets.map((t) => t.row.kind)).toEqual(pledge.terms.targets.map(() => 'target'));
      expect(targets.map((t) => t.row.targetId)).toEqual(pledge.terms.targets.map((t) => t.id));
      // a target row only right after its pledge or amendment row (or another target row)
      list.forEach(({ row }, i) => {
        if (row.kind === 'target') expect(['pledge', 'amendment', 'target']).toContain(list[i - 1].row.kind);
      });
      expect(list.filter(({ row }) => row.kind === 'pledge')).toHaveLength(1);
    }
    // pledges in the order they were made
    expect([...byPledge.keys()]).toEqual(plan.pledges.map((p) => demoPledgeRef(plan, p.key)));
  });

  it('go oldest first within a pledge, never in the future, each report sent on or after its as-of day', () => {
    const today = calendarDateOf(NOW);
    for (const list of groups(rows).values()) {
      const days = list.map(({ row }) => String(row.occurredAt));
      expect(days).toEqual([...days].sort());
      for (const { row } of list) {
        expect(row.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(String(row.occurredAt) < today).toBe(true);
        if (row.asOf !== undefined)
          expect(String(row.asOf) <= String(row.occurredAt).slice(0, 10)).toBe(true);
      }
    }
    expect(String(rows[0].occurredAt).slice(0, 4)).toBe('2015');
  });

  it('name the registered actors by id and the pledges by the source registry reference', () => {
    const orgIds = new Set(ids.organisations.values());
    const verIds = new Set(ids.verifiers.values());
    for (const row of rows) {
      expect(row.pledgeId).toMatch(/^DEMO-p\d{3}$/);
      if (row.kind === 'pledge') expect(orgIds.has(String(row.actorId))).toBe(true);
      else expect(row.actorId).toBeUndefined();
      if (row.kind === 'verification') {
        expect(verIds.has(String(row.verifierId))).toBe(true);
        expect(row.author).toBeUndefined(); // the verifier's name
      } else if (row.kind !== 'target') expect(String(row.author).length).toBeGreaterThan(2);
    }
    expect(
      rows
        .filter((r) => r.kind === 'progress')
        .every((r) => /^r-\d{4}-\d{2}-\d{2}-[a-z-]+$/.test(String(r.reportId))),
    ).toBe(true);
  });

  it('map amendments: changed columns only, "-" for money taken away, target rows for a new target list', () => {
    const amendments = rows.filter((r) => r.kind === 'amendment');
    expect(amendments.length).toBe(plan.operations.filter((op) => op.kind === 'amendment').length);
    for (const row of amendments) {
      expect(String(row.reason).length).toBeGreaterThan(2);
      expect(row.title).toBeUndefined();
      if (row.amount === '-') expect(row.currency).toBeUndefined();
    }
    const withTargets = rows.filter((r, i) => r.kind === 'amendment' && rows[i + 1]?.kind === 'target');
    expect(withTargets.length).toBeGreaterThanOrEqual(3);
    expect(amendments.some((r) => r.amount !== undefined)).toBe(true);
  });

  it('give a tagged set other references and another source, so its pledges get other ids', () => {
    const tagged = fixture('second');
    expect(tagged.rows.length).toBe(rows.length);
    expect(tagged.rows.every((r) => /^DEMO-second-p\d{3}$/.test(String(r.pledgeId)))).toBe(true);
    const source = demoSource(plan);
    const taggedSource = demoSource(tagged.plan);
    expect(source).toEqual({
      name: DEMO_SOURCE_NAME,
      url: 'https://example.org/wsis-demo-registry',
      retrievedOn: '2026-11-25',
    });
    expect(taggedSource.name).toBe(`${DEMO_SOURCE_NAME} [second]`);
    const standard = new Set(rows.map((r) => importedPledgeId(source.name, String(r.pledgeId))));
    const second = new Set(tagged.rows.map((r) => importedPledgeId(taggedSource.name, String(r.pledgeId))));
    expect(standard.size).toBe(plan.pledges.length);
    expect([...second].some((id) => standard.has(id))).toBe(false);
  });

  it('are one JSON object per line', () => {
    const text = toJsonLines(rows);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(rows.length);
    expect(lines.map((line) => JSON.parse(line))).toEqual(rows);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('pass the ledger rules of an admin import row by row, each at its own date', () => {
    const replay = replayDemoRows(rows, { now: NOW, sourceName: DEMO_SOURCE_NAME, directory });
    expect(replay.errors).toEqual([]);
    expect(replay.states.size).toBe(plan.pledges.length);
    for (const state of replay.states.values()) {
      expect(state.importedSubmission).toBe(true);
      expect(state.importSources).toEqual([DEMO_SOURCE_NAME]);
    }
    expect(replay.wateringDowns.length).toBeGreaterThanOrEqual(5);
  });

  it('offline check refuses what the ledger refuses: rows out of order, an as-of date ahead, an unknown verifier', () => {
    const firstProgress = rows.findIndex((r) => r.kind === 'progress');
    const early = rows.map((r, i) => (i === firstProgress ? { ...r, occurredAt: '2015-01-02' } : r));
    const replay = replayDemoRows(early, { now: NOW, sourceName: DEMO_SOURCE_NAME, directory });
    expect(replay.errors.map((e) => e.row)).toContain(firstProgress + 1);
    const future = rows.map((r, i) => (i === firstProgress ? { ...r, asOf: '2027-01-01' } : r));
    const refused = replayDemoRows(future, { now: NOW, sourceName: DEMO_SOURCE_NAME, directory });
    expect(refused.errors).toContainEqual(expect.objectContaining({ row: firstProgress + 1, field: 'asOf' }));
    const noVerifier = rows.map((r) => (r.kind === 'verification' ? { ...r, verifierId: 'ver-x' } : r));
    expect(
      replayDemoRows(noVerifier, { now: NOW, sourceName: DEMO_SOURCE_NAME, directory }).errors.some(
        (e) => e.field === 'verifierId',
      ),
    ).toBe(true);
  });
});

describe('demo figures', () => {
  const plan = buildDemoPlan({ now: NOW });
  const figures = demoFigures(plan);

  it('span 2015 to last year, with lapsed pledges, overdue targets and watering-down over several years', () => {
    expect(figures.pledges).toBe(plan.pledges.length);
    expect(figures.firstYear).toBe(2015);
    expect(figures.lastYear).toBe(2025);
    expect(figures.latestActivityYear).toBe(2026);
    expect(figures.lapsed).toBeGreaterThanOrEqual(15);
    expect(figures.active).toBeGreaterThan(figures.lapsed);
    expect(figures.fulfilled).toBe(8);
    expect(figures.withdrawn).toBe(6);
    expect(figures.active + figures.lapsed + figures.fulfilled + figures.withdrawn).toBe(figures.pledges);
    expect(figures.overdueTargets).toBeGreaterThanOrEqual(20);
    expect(figures.reachedTargets).toBeGreaterThanOrEqual(10);
    expect(figures.onTrackTargets).toBeGreaterThanOrEqual(5);
    expect(figures.wateredDownPledges).toBeGreaterThanOrEqual(5);
    expect(figures.wateringDowns).toBe(
      plan.operations.filter((op) => op.kind === 'amendment' && op.wateringDown).length,
    );
    expect(figures.wateringDownYears.length).toBeGreaterThanOrEqual(4);
    expect(figures.rows).toBe(demoImportRows(plan, idsFor(plan).ids).length);
  });

  it('are the same for the same plan', () => {
    expect(demoFigures(buildDemoPlan({ now: NOW }))).toEqual(figures);
  });
});
