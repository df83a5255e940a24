import {
  commandOf,
  IMPORT_COLUMNS,
  importedPledgeId,
  ImportRecordAssembler,
  parseImportRow,
  templateFieldOf,
  type ImportRecord,
  type ParsedRow,
  type RawImportRow,
} from './import-template';

const NOW = new Date('2026-12-01T12:00:00Z');

function parsed(raw: RawImportRow, row = 2): ParsedRow {
  const result = parseImportRow(raw, row, NOW);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.row;
}

function errors(raw: RawImportRow, row = 2) {
  const result = parseImportRow(raw, row, NOW);
  return (result.errors ?? []).map((e) => [e.row, e.field]);
}

const pledgeRow = {
  kind: 'pledge',
  pledgeId: 'KE-2016-004',
  occurredAt: '2016-03-08',
  author: 'ICT focal point',
  actorId: 'org-1',
  title: 'Digital skills',
  description: 'Training for women',
  countries: 'KE; RW',
  actions: 'wsis10-gender-gap/access',
  amount: '2000000',
  currency: 'USD',
};
/** A progress report as a row: the reference report of the cell-level checks. */
const progress = {
  kind: 'progress',
  pledgeId: 'P',
  occurredAt: '2026-01-31',
  reportId: 'r1',
  targetId: 't1',
  value: '3',
  asOf: '2025-12-31',
};
const targetRow = {
  kind: 'target',
  pledgeId: 'KE-2016-004',
  targetId: 'women-trained',
  indicator: 'Women trained',
  unit: 'people',
  baseline: '0',
  targetValue: '50000',
  deadline: '2020-12-31',
};

function assemble(rows: RawImportRow[]): { records: ImportRecord[]; shape: string[] } {
  const assembler = new ImportRecordAssembler();
  const records: ImportRecord[] = [];
  const shape: string[] = [];
  rows.forEach((raw, i) => {
    const { record, error } = assembler.push(parsed(raw, i + 2));
    if (record) records.push(record);
    if (error) shape.push(`${error.row}:${error.field}`);
  });
  const last = assembler.flush();
  if (last) records.push(last);
  return { records, shape };
}

describe('the import template', () => {
  it('reads CSV cells: dates as instants, numbers, lists, money', () => {
    const row = parsed(pledgeRow);
    expect(row).toMatchObject({
      kind: 'pledge',
      ref: 'KE-2016-004',
      occurredAt: '2016-03-08T00:00:00.000Z',
      author: 'ICT focal point',
      actorId: 'org-1',
      terms: {
        title: 'Digital skills',
        countries: ['KE', 'RW'],
        actions: [{ framework: 'wsis10-gender-gap', action: 'access' }],
        financialCommitment: { amount: 2000000, currency: 'USD' },
      },
    });
    expect(parsed(targetRow)).toMatchObject({
      target: { baseline: 0, targetValue: 50000, deadline: '2020-12-31' },
    });
  });

  it('reads JSON Lines values typed or as text alike', () => {
    const typed = parsed({ ...pledgeRow, countries: ['KE', 'RW'], amount: 2000000 });
    expect(typed).toEqual(parsed(pledgeRow));
  });

  it('names every bad cell of a row by its column', () => {
    expect(
      errors({
        kind: 'progress',
        pledgeId: 'P',
        occurredAt: '2026-13-01',
        reportId: 'r1',
        targetId: 't1',
        value: '1,000',
        asOf: '31/12/2025',
        colour: 'blue',
      }),
    ).toEqual([
      [2, 'colour'],
      [2, 'occurredAt'],
      [2, 'value'],
      [2, 'asOf'],
    ]);
    expect(errors({ kind: 'pledge', pledgeId: 'P', occurredAt: '2016-01-01' })).toEqual([
      [2, 'title'],
      [2, 'description'],
      [2, 'actions'],
    ]);
    expect(errors({ kind: 'promise', pledgeId: 'P' })).toEqual([[2, 'kind']]);
    // A cell the kind does not use must be empty: a shifted CSV column is caught, not silently dropped.
    expect(
      errors({ kind: 'withdrawal', pledgeId: 'P', occurredAt: '2020-01-01', reason: 'x', value: '3' }),
    ).toEqual([[2, 'value']]);
  });

  it('takes a number cell in plain decimal notation only (no exponent, no thousands separator)', () => {
    expect(parsed({ ...progress, value: '1200.5' })).toMatchObject({ value: 1200.5 });
    expect(parsed({ ...progress, value: 1e3 })).toMatchObject({ value: 1000 });
    for (const value of ['1e3', '1,000', '0x10', 'Infinity'])
      expect(errors({ ...progress, value })).toEqual([[2, 'value']]);
  });

  it('refuses a future occurredAt and an instant without offset', () => {
    expect(errors({ ...pledgeRow, occurredAt: '2027-01-01' })).toEqual([[2, 'occurredAt']]);
    expect(errors({ ...pledgeRow, occurredAt: '2016-03-08T10:00:00' })).toEqual([[2, 'occurredAt']]);
    expect(parsed({ ...pledgeRow, occurredAt: '2016-03-08T10:00:00+03:00' })).toMatchObject({
      occurredAt: '2016-03-08T07:00:00.000Z',
    });
  });

  it('holds every item of a list to the rules of text: no NUL, no lone surrogate, not too long', () => {
    const reasons = (raw: RawImportRow) =>
      (parseImportRow(raw, 2, NOW).errors ?? []).map((e) => `${e.field} ${e.reason}`);
    expect(reasons({ ...progress, evidence: 'https://a.example; x\u0000y' })).toEqual([
      'evidence item 2 contains a NUL character',
    ]);
    expect(reasons({ ...pledgeRow, countries: ['KE', 'R\uD800W'] })).toEqual([
      'countries item 2 is not well-formed Unicode (a lone surrogate)',
    ]);
    expect(reasons({ ...progress, evidence: 'x'.repeat(20_001) })).toEqual([
      'evidence item 1 is longer than 20000 characters',
    ]);
    expect(parsed({ ...pledgeRow, countries: [' KE ', 'RW'] })).toEqual(parsed(pledgeRow));
  });

  it('names a few unknown columns, each cut to 80 characters, and counts the rest', () => {
    const extra = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`${i}${'k'.repeat(500)}`, 'x']));
    const found = parseImportRow({ ...pledgeRow, ...extra }, 2, NOW).errors!;
    expect(found).toHaveLength(6);
    expect(found.slice(0, 5).every((e) => e.field.length === 80 && e.field.endsWith('…'))).toBe(true);
    expect(found[5]).toEqual({
      row: 2,
      field: 'row',
      reason: 'has 3 more columns that are not in the template',
    });
  });

  it('quotes at most 80 characters of a bad cell in its error', () => {
    const [error] = parseImportRow({ ...pledgeRow, occurredAt: `2016-${'9'.repeat(5000)}` }, 2, NOW).errors!;
    expect(error.reason.length).toBeLessThan(200);
    expect(error.reason).toMatch(
      /^must be a date YYYY-MM-DD or an ISO 8601 instant with offset, got "2016-9+…$/,
    );
  });
  it('takes "-" in an amendment as none: no money, an empty list', () => {
    const row = parsed({
      kind: 'amendment',
      pledgeId: 'P',
      occurredAt: '2019-01-01',
      reason: 'Cut',
      amount: '-',
      regions: '-',
    });
    expect(row).toMatchObject({ changes: { financialCommitment: null, regions: [] } });
  });

  it('lists the documented columns once each', () => {
    expect(new Set(IMPORT_COLUMNS).size).toBe(IMPORT_COLUMNS.length);
    expect(IMPORT_COLUMNS.slice(0, 4)).toEqual(['kind', 'pledgeId', 'occurredAt', 'author']);
  });
});

describe('records', () => {
  it('gives a pledge or amendment the target rows under it, and hashes content, not row numbers', () => {
    const { records, shape } = assemble([
      pledgeRow,
      targetRow,
      {
        kind: 'progress',
        pledgeId: 'KE-2016-004',
        occurredAt: '2018-07-15',
        reportId: 'r1',
        targetId: 'women-trained',
        value: '1',
        asOf: '2018-06-30',
      },
    ]);
    expect(shape).toEqual([]);
    expect(records.map((r) => [r.head.kind, r.targets.length])).toEqual([
      ['pledge', 1],
      ['progress', 0],
    ]);
    const moved = assemble([{ ...pledgeRow }, { ...targetRow }]).records[0];
    expect(moved.hash).toBe(records[0].hash);
    const changed = assemble([{ ...pledgeRow, title: 'Other' }, targetRow]).records[0];
    expect(changed.hash).not.toBe(records[0].hash);
  });

  it('finds target rows astray and pledges whose rows are not together', () => {
    const { shape } = assemble([
      targetRow,
      pledgeRow,
      { ...pledgeRow, pledgeId: 'OTHER' },
      { ...targetRow, pledgeId: 'KE-2016-004' },
      { kind: 'withdrawal', pledgeId: 'KE-2016-004', occurredAt: '2020-01-01', reason: 'x' },
    ]);
    expect(shape).toEqual(['2:kind', '5:pledgeId', '6:pledgeId']);
  });

  it('builds the command the record asks, with its targets', () => {
    const { records } = assemble([pledgeRow, targetRow]);
    const command = commandOf(records[0], 'id-1');
    expect(command).toMatchObject({
      type: 'SubmitPledge',
      pledgeId: 'id-1',
      terms: { targets: [{ id: 'women-trained', targetValue: 50000 }], regions: [], global: false },
    });
    const amendment = assemble([
      { kind: 'amendment', pledgeId: 'P', occurredAt: '2019-01-01', reason: 'Cut' },
      { ...targetRow, pledgeId: 'P', targetValue: '30000' },
    ]).records[0];
    expect(commandOf(amendment, 'id-1')).toMatchObject({
      type: 'AmendPledge',
      changes: { targets: [{ id: 'women-trained', targetValue: 30000 }] },
    });
  });

  it("places a rule's field on the template: a target's fields on its own row", () => {
    const { records } = assemble([pledgeRow, targetRow, { ...targetRow, targetId: 'second' }]);
    expect(templateFieldOf(records[0], 'terms.targets[1].deadline')).toEqual({ row: 4, field: 'deadline' });
    expect(templateFieldOf(records[0], 'terms.financialCommitment.currency')).toEqual({
      row: 2,
      field: 'currency',
    });
    expect(templateFieldOf(records[0], 'terms.countries[0]')).toEqual({ row: 2, field: 'countries' });
  });
});

describe('importedPledgeId', () => {
  it('is stable per source and reference, a version 4 UUID, and keeps a UUID reference as it is', () => {
    const id = importedPledgeId('Tracker', 'KE-2016-004');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(importedPledgeId('Tracker', 'KE-2016-004')).toBe(id);
    expect(importedPledgeId('Other tracker', 'KE-2016-004')).not.toBe(id);
    const uuid = '3f0c1e9a-6f43-4c61-9a55-0f6f7c9d2b11';
    expect(importedPledgeId('Tracker', uuid.toUpperCase())).toBe(uuid);
  });

  it("derives an organisation's ids in its own space, apart from the registry's and each other's", () => {
    const registry = importedPledgeId('Tracker', 'KE-2016-004');
    const mine = importedPledgeId('Tracker', 'KE-2016-004', 'org-1');
    expect(mine).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set([registry, mine, importedPledgeId('Tracker', 'KE-2016-004', 'org-2')]).size).toBe(3);
    expect(importedPledgeId('Tracker', 'KE-2016-004', 'org-1')).toBe(mine);
  });
});
