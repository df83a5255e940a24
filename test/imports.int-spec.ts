import { request as httpRequest } from 'node:http';
import { importedPledgeId } from '@ledger/domain';
import { MongoEventStore, PLEDGE_UPCASTERS } from '@ledger/event-store';
import { ProjectionConsumer } from '@ledger/read-models';
import { eventually, testKafka, uniqueName } from '@ledger/testing';
import { LedgerApiHarness } from './support/ledger-api.harness';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** Bulk import of existing history (issue 13), against the real event store and Kafka. */
describe('POST /imports', () => {
  const api = new LedgerApiHarness();
  let registryOrg: { id: string; apiKey: string };
  let otherOrg: { id: string; apiKey: string };
  let verifier: { id: string; apiKey: string };
  let projector: ProjectionConsumer;

  const CSV = 'text/csv';
  const JSONL = 'application/x-ndjson';

  function post(
    file: string | Buffer,
    options: { key?: string; type?: string; query?: Record<string, string> } = {},
  ) {
    const query = new URLSearchParams({
      source: 'Gender-digital pledge tracker 2015–2025',
      sourceUrl: 'https://example.org/tracker',
      retrievedOn: '2026-11-30',
      ...options.query,
    });
    return api.request('POST', `/imports?${query}`, {
      key: options.key ?? api.adminKey,
      rawBody: file as string,
      headers: { 'content-type': options.type ?? CSV },
    });
  }

  async function finished(id: string, key = api.adminKey) {
    for (let i = 0; i < 300; i++) {
      const status = await api.request('GET', `/imports/${id}`, { key });
      expect(status.status).toBe(200);
      if (!['validating', 'applying'].includes(status.body.status)) return status.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`import ${id} did not finish`);
  }

  const idOf = (ref: string, source = 'Gender-digital pledge tracker 2015–2025') =>
    importedPledgeId(source, ref);

  const HEADER =
    'kind,pledgeId,occurredAt,author,actorId,title,description,countries,actions,amount,currency,targetId,indicator,unit,baseline,targetValue,deadline,reportId,value,asOf,reason,verificationId,verifierId,outcome,note';

  /** A registry's history of two pledges over the years, as a spreadsheet exports it. */
  const registryFile = () =>
    [
      HEADER,
      `pledge,KE-2016-004,2016-03-08,ICT focal point,${registryOrg.id},"Digital skills for 50,000 women",A pledge described,KE,wsis10-gender-gap/access,2000000,USD,,,,,,,,,,,,,,`,
      `target,KE-2016-004,,,,,,,,,,women-trained,Women completing basic digital skills training,people,0,50000,2020-12-31,,,,,,,,`,
      `progress,KE-2016-004,2018-07-15,ICT focal point,,,,,,,,women-trained,,,,,,r-2018,12000,2018-06-30,,,,,`,
      `verification,KE-2016-004,2018-09-01,Audit office,,,,,,,,,,,,,,r-2018,,,,v-2018,${verifier.id},confirmed,Checked against training rolls`,
      `amendment,KE-2016-004,2019-02-01,Minister's office,,,,,,1500000,USD,,,,,,,,,,Budget cut,,,,`,
      `target,KE-2016-004,,,,,,,,,,women-trained,Women completing basic digital skills training,people,0,30000,2022-12-31,,,,,,,,`,
      `progress,KE-2016-004,2019-07-20,ICT focal point,,,,,,,,women-trained,,,,,,r-2019,16000,2019-06-30,,,,,`,
      `pledge,KE-2021-011,2021-05-10,Gender desk,${registryOrg.id},Women in ICT leadership,A pledge described,KE,wsis10-gender-gap/leadership,,,,,,,,,,,,,,,,`,
      `target,KE-2021-011,,,,,,,,,,leaders,Women in senior ICT roles,people,10,40,2024-12-31,,,,,,,,`,
    ].join('\r\n') + '\r\n';

  beforeAll(async () => {
    await api.start({
      IMPORT_MAX_BYTES: '300000',
      IMPORT_STALE_AFTER_MS: '1000',
      IMPORT_MAX_CONCURRENT: '2',
      RELAY_IN_PROCESS: 'true',
      RELAY_POLL_INTERVAL_MS: '20',
    });
    // The whole way: relay → Kafka → projector → read model, so summaries and reports see imported history.
    projector = new ProjectionConsumer(
      testKafka(),
      api.readDb,
      new MongoEventStore(api.db, PLEDGE_UPCASTERS),
      {
        topic: api.topic,
        deadLetterTopic: `${api.topic}.dead-letter`,
        groupId: uniqueName('projector'),
        maxAttempts: 2,
        upcasters: PLEDGE_UPCASTERS,
      },
      quiet,
    );
    await projector.start();
    registryOrg = await api.registerOrganisation();
    otherOrg = await api.registerOrganisation();
    verifier = await api.registerVerifier();
  });
  afterAll(async () => {
    await projector?.stop();
    await api.stop();
  });

  it('reports every bad row with its row number and column, and records nothing', async () => {
    const file =
      [
        HEADER,
        // Good pledge first: it must not be recorded either.
        `pledge,BAD-1,2017-01-10,,${registryOrg.id},Good pledge,A pledge described,KE,wsis10-gender-gap/access,,,,,,,,,,,,,,,,`,
        `target,BAD-1,,,,,,,,,,t1,Indicator,people,0,100,2020-12-31,,,,,,,,`,
        `progress,BAD-1,2018-01-10,,,,,,,,,t1,,,,,,r1,twelve,2018-13-01,,,,,`, // row 4: value and asOf
        `progress,BAD-1,2018-02-01,,,,,,,,,nope,,,,,,r2,5,2018-01-31,,,,,`, // row 5: unknown target
        `progress,BAD-1,2018-03-01,,,,,,,,,t1,,,,,,r3,5,2018-04-30,,,,,`, // row 6: as of after it was sent
        `pledge,BAD-2,2099-01-01,,${registryOrg.id},Future pledge,A pledge described,KE,wsis10-gender-gap/access,,,,,,,,,,,,,,,,`, // row 7
        `pledge,BAD-3,2017-01-10,,no-such-org,Unknown org,A pledge described,KE,wsis10-gender-gap/access,,,,,,,,,,,,,,,,`, // row 8
        `target,BAD-3,,,,,,,,,,t1,Indicator,people,0,100,2020-02-30,,,,,,,,`, // row 9: no such date
        `progress,BAD-1,2019-01-01,,,,,,,,,t1,,,,,,r4,5,2018-12-31,,,,,`, // row 10: BAD-1 again, not together
      ].join('\n') + '\n';
    const answer = await post(file);
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problems = answer.body['invalid-params'] as { row: number; name: string; reason: string }[];
    const at = (row: number) => problems.filter((p) => p.row === row).map((p) => p.name);
    expect(at(4)).toEqual(expect.arrayContaining(['value', 'asOf']));
    expect(at(5)).toEqual(['targetId']);
    expect(at(6)).toEqual(['asOf']);
    expect(at(7)).toEqual(['occurredAt']);
    expect(at(8)).toEqual(['actorId']);
    expect(at(9)).toEqual(['deadline']);
    expect(at(10)).toEqual(['pledgeId']);
    expect(answer.body.import).toMatchObject({ status: 'rejected', rowsRead: 9, recorded: 0 });
    expect(answer.body.import.rejected).toBe(7);
    // Nothing of the file is recorded, not even the good rows above the first bad one.
    expect((await api.request('GET', `/pledges/${idOf('BAD-1')}`)).status).toBe(404);
    expect(
      (await api.request('GET', `/imports/${answer.body.importId}`, { key: api.adminKey })).body,
    ).toMatchObject({ status: 'rejected', errorsTotal: problems.length });
  });

  it('records a registry history with its real dates and provenance, and twice records nothing new', async () => {
    const first = await post(registryFile());
    expect(first.status).toBe(202);
    expect(first.headers.get('location')).toBe(`/imports/${first.body.id}`);
    const done = await finished(first.body.id);
    expect(done).toMatchObject({
      status: 'completed',
      rowsRead: 9,
      accepted: 9,
      rejected: 0,
      recorded: 6,
      pledges: 2,
    });

    const pledgeId = idOf('KE-2016-004');
    const history = (await api.request('GET', `/pledges/${pledgeId}/history`)).body;
    expect(history.events.map((e: { type: string }) => e.type)).toEqual([
      'PledgeSubmitted',
      'ProgressReported',
      'VerificationRecorded',
      'PledgeAmended',
      'ProgressReported',
    ]);
    const [submitted, , verified, amended] = history.events;
    expect(submitted).toMatchObject({
      occurredAt: '2016-03-08T00:00:00.000Z',
      principal: { role: 'admin' },
      payload: { actor: { id: registryOrg.id }, submittedAt: '2016-03-08T00:00:00.000Z' },
      provenance: {
        kind: 'import',
        importId: first.body.id,
        source: {
          name: 'Gender-digital pledge tracker 2015–2025',
          url: 'https://example.org/tracker',
          retrievedOn: '2026-11-30',
        },
        originalAuthor: 'ICT focal point',
        sourceRef: 'KE-2016-004',
        row: 2,
      },
    });
    expect(submitted.recordedAt > '2026-01-01').toBe(true);
    expect(verified.payload.verifier).toMatchObject({ id: verifier.id });
    expect(verified.provenance.originalAuthor).toBe('Audit office');
    expect(amended.payload.wateringDown.length).toBeGreaterThan(0);

    // Effective time versus recorded time on the same pledge.
    const asOf2018 = await api.request('GET', `/pledges/${pledgeId}/state?asOf=2018-12-31`);
    expect(asOf2018.status).toBe(200);
    expect(asOf2018.body.state.terms.targets[0].targetValue).toBe(50000);
    expect(asOf2018.body.state.progressReports).toHaveLength(1);
    const asOf2020 = await api.request('GET', `/pledges/${pledgeId}/state?asOf=2020-01-01`);
    expect(asOf2020.body.state.terms.targets[0].targetValue).toBe(30000);
    const knownBefore = new Date(Date.parse(submitted.recordedAt) - 1000).toISOString();
    const recordedThen = await api.request(
      'GET',
      `/pledges/${pledgeId}/state?asOf=2020-01-01&recordedAt=${encodeURIComponent(knownBefore)}`,
    );
    expect(recordedThen.status).toBe(404); // the ledger knew nothing of it before the import

    // Lapse and overdue from effective dates: last report as of 2019-06-30, deadline 2022-12-31 passed.
    const summary = await eventually(async () => {
      const answer = await api.request('GET', `/pledges/${pledgeId}/summary`);
      return answer.status === 200 && answer.body.version === 5 ? answer.body : undefined;
    }, 30000);
    expect(summary).toMatchObject({
      status: 'lapsed',
      progressClock: '2019-06-30T23:59:59.999Z',
      provenance: 'imported',
      importedEvents: 5,
      importSources: ['Gender-digital pledge tracker 2015–2025'],
    });
    expect(summary.targets[0]).toMatchObject({ overdue: true, latestAsOf: '2019-06-30' });

    // The same file again: every row known by its hash, nothing recorded.
    const again = await post(registryFile());
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'completed', rowsRead: 9, alreadyRecorded: 9, recorded: 0 });
    expect((await api.request('GET', `/pledges/${pledgeId}/history`)).body.events).toHaveLength(5);

    // The organisation carries its migrated pledge on through the API.
    const report = await api.request('POST', `/pledges/${pledgeId}/progress`, {
      key: registryOrg.apiKey,
      body: { targetId: 'women-trained', value: 21000, asOf: '2026-10-31' },
    });
    expect(report.status).toBe(201);
    expect(report.body.recorded[0].provenance).toBeUndefined();

    // A longer version of the file records only its new row, after what the ledger holds.
    const longer = `${registryFile()}progress,KE-2021-011,2023-01-20,Gender desk,,,,,,,,leaders,,,,,,r-2022,25,2022-12-31,,,,,\r\n`;
    const extended = await post(longer);
    expect(extended.status).toBe(202);
    expect(await finished(extended.body.id)).toMatchObject({
      status: 'completed',
      alreadyRecorded: 9,
      recorded: 1,
    });
  });

  it('takes JSON Lines with the same template: the same rows are the same records', async () => {
    const source = 'JSONL tracker';
    const rows = [
      {
        kind: 'pledge',
        pledgeId: 'J-1',
        occurredAt: '2015-12-16',
        actorId: registryOrg.id,
        title: 'Women online',
        description: 'More women online',
        countries: ['KE'],
        actions: ['wsis10-gender-gap/access'],
      },
      {
        kind: 'target',
        pledgeId: 'J-1',
        targetId: 'online',
        indicator: 'Women online',
        unit: '%',
        baseline: 20,
        targetValue: 50,
        deadline: '2030-12-31',
      },
      {
        kind: 'progress',
        pledgeId: 'J-1',
        occurredAt: '2025-08-01T09:30:00+02:00',
        reportId: 'r1',
        targetId: 'online',
        value: 31,
        asOf: '2025-06-30',
      },
    ];
    const jsonl = rows.map((row) => JSON.stringify(row)).join('\n');
    const first = await post(jsonl, { type: JSONL, query: { source } });
    expect(first.status).toBe(202);
    expect(await finished(first.body.id)).toMatchObject({ status: 'completed', recorded: 2 });
    // The same content as CSV cells is the same records: nothing new.
    const csv = [
      'kind,pledgeId,occurredAt,actorId,title,description,countries,actions,targetId,indicator,unit,baseline,targetValue,deadline,reportId,value,asOf',
      `pledge,J-1,2015-12-16,${registryOrg.id},Women online,More women online,KE,wsis10-gender-gap/access,,,,,,,,,`,
      'target,J-1,,,,,,,online,Women online,%,20,50,2030-12-31,,,',
      'progress,J-1,2025-08-01T09:30:00+02:00,,,,,,online,,,,,,r1,31,2025-06-30',
    ].join('\n');
    const asCsv = await post(csv, { query: { source } });
    expect(asCsv.body).toMatchObject({ status: 'completed', alreadyRecorded: 3, recorded: 0 });
    const history = (await api.request('GET', `/pledges/${idOf('J-1', source)}/history`)).body;
    expect(history.events[1].occurredAt).toBe('2025-08-01T07:30:00.000Z');
  });

  it('lets an organisation import its own pledges only, without verifications', async () => {
    const own = [
      'kind,pledgeId,occurredAt,title,description,countries,actions,targetId,indicator,unit,baseline,targetValue,deadline',
      'pledge,OWN-1,2020-01-15,Own pledge,Ours,KE,wsis10-gender-gap/access,,,,,,',
      'target,OWN-1,,,,,,t1,Indicator,people,0,10,2027-12-31',
    ].join('\n');
    const mine = await post(own, { key: otherOrg.apiKey, query: { source: 'Own spreadsheet' } });
    expect(mine.status).toBe(202);
    expect(await finished(mine.body.id, otherOrg.apiKey)).toMatchObject({ status: 'completed', recorded: 1 });
    const ownId = importedPledgeId('Own spreadsheet', 'OWN-1', otherOrg.id);
    const pledge = (await api.request('GET', `/pledges/${ownId}/history`)).body;
    expect(pledge.events[0]).toMatchObject({
      principal: { id: otherOrg.id },
      payload: { actor: { id: otherOrg.id } },
    });
    // Another organisation's import is not visible to it.
    expect((await api.request('GET', `/imports/${mine.body.id}`, { key: registryOrg.apiKey })).status).toBe(
      404,
    );

    const forOther = [
      'kind,pledgeId,occurredAt,actorId,title,description,countries,actions,verificationId,verifierId,outcome',
      `pledge,OWN-2,2020-01-15,${registryOrg.id},Not mine,Theirs,KE,wsis10-gender-gap/access,,,`,
      `verification,OWN-1,2021-01-01,,,,,,v1,${verifier.id},confirmed`,
    ].join('\n');
    const refused = await post(forOther, { key: otherOrg.apiKey, query: { source: 'Own spreadsheet' } });
    expect(refused.status).toBe(422);
    expect(refused.body['invalid-params']).toEqual([
      expect.objectContaining({ row: 2, name: 'actorId' }),
      expect.objectContaining({ row: 3, name: 'kind' }),
    ]);
    // A verifier cannot import at all.
    expect((await post(own, { key: verifier.apiKey })).status).toBe(403);

    // An organisation's references name pledges in its own space: naming the source and reference a
    // registry's file will use takes nothing from the registry's migration.
    const registrySource = { source: 'Registry about to migrate' };
    const squat = own.replaceAll('OWN-1', 'REG-77');
    const squatting = await post(squat, { key: otherOrg.apiKey, query: registrySource });
    expect(squatting.status).toBe(202);
    expect(await finished(squatting.body.id, otherOrg.apiKey)).toMatchObject({ status: 'completed' });
    const migration = await post(
      [
        'kind,pledgeId,occurredAt,actorId,title,description,countries,actions,targetId,indicator,unit,baseline,targetValue,deadline',
        `pledge,REG-77,2019-04-02,${registryOrg.id},Registry pledge,Theirs,KE,wsis10-gender-gap/access,,,,,,`,
        'target,REG-77,,,,,,,t1,Indicator,people,0,10,2027-12-31',
      ].join('\n'),
      { query: registrySource },
    );
    expect(migration.status).toBe(202);
    expect(await finished(migration.body.id)).toMatchObject({ status: 'completed', recorded: 1 });
    const registryPledge = await api.request('GET', `/pledges/${idOf('REG-77', registrySource.source)}`);
    expect(registryPledge.body).toMatchObject({ actor: { id: registryOrg.id } });
    const squatted = await api.request(
      'GET',
      `/pledges/${importedPledgeId(registrySource.source, 'REG-77', otherOrg.id)}`,
    );
    expect(squatted.body).toMatchObject({ actor: { id: otherOrg.id } });
  });

  it('records each event once when the same file is sent twice at once, and both imports say what they did', async () => {
    const source = { source: 'Concurrent source' };
    const [one, two] = await Promise.all([
      post(registryFile(), { query: source }),
      post(registryFile(), { query: source }),
    ]);
    expect([one.status, two.status].sort()).toEqual([202, 202]);
    const [a, b] = [await finished(one.body.id), await finished(two.body.id)];
    expect([a.status, b.status]).toEqual(['completed', 'completed']);
    expect(a.recorded + b.recorded).toBe(6);
    // Every row recorded by one of them and found already recorded by the other.
    expect(a.alreadyRecorded + b.alreadyRecorded).toBe(9);
    expect([a.rowsApplied, b.rowsApplied]).toEqual([9, 9]);
    const history = (await api.request('GET', `/pledges/${idOf('KE-2016-004', 'Concurrent source')}/history`))
      .body;
    expect(history.events).toHaveLength(5);
    expect(
      (await api.request('GET', `/pledges/${idOf('KE-2016-004', 'Concurrent source')}/integrity`)).body,
    ).toMatchObject({ valid: true });
  });

  /** An upload that sends half the file and waits for `resume` before sending the rest. */
  function pausedUpload(id: string, source: string) {
    const file = Buffer.from(registryFile());
    const half = Math.floor(file.length / 2);
    const query = new URLSearchParams({ source, retrievedOn: '2026-11-30', id });
    const request = httpRequest(`${api.url}/imports?${query}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${api.adminKey}`,
        'content-type': CSV,
        'content-length': String(file.length),
      },
    });
    const answer = new Promise<{ status: number }>((resolve, reject) => {
      request.once('response', (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0 });
      });
      request.once('error', reject);
    });
    request.flushHeaders();
    request.write(file.subarray(0, half));
    return { half, resume: () => request.end(file.subarray(half)), answer };
  }

  it('shows an upload that pauses longer than the stale threshold as still validating, not interrupted', async () => {
    const id = '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
    const upload = pausedUpload(id, 'Slow upload source');
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // 2.5 × IMPORT_STALE_AFTER_MS
    const during = await api.request('GET', `/imports/${id}`, { key: api.adminKey });
    expect(during.body).toMatchObject({ status: 'validating', bytesRead: upload.half });
    upload.resume();
    expect((await upload.answer).status).toBe(202);
    expect(await finished(id)).toMatchObject({ status: 'completed', recorded: 6 });
  });

  it('refuses an import past IMPORT_MAX_CONCURRENT with 503 and Retry-After, and takes one again once a place is free', async () => {
    const uploads = [
      pausedUpload('1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 'Busy source 1'),
      pausedUpload('2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', 'Busy source 2'),
    ];
    // Both are being received (their imports exist) before the third is sent.
    await eventually(async () => {
      for (const id of ['1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e'])
        expect((await api.request('GET', `/imports/${id}`, { key: api.adminKey })).status).toBe(200);
      return true;
    });
    const busy = await post(registryFile(), { query: { source: 'Busy source 3' } });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(busy.body).toMatchObject({ code: 'imports-busy' });
    expect((await api.request('GET', `/pledges/${idOf('KE-2016-004', 'Busy source 3')}`)).status).toBe(404);
    uploads.forEach((upload) => upload.resume());
    expect((await Promise.all(uploads.map((upload) => upload.answer))).map((a) => a.status)).toEqual([
      202, 202,
    ]);
    await finished('1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d');
    await finished('2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e');
    expect((await post(registryFile(), { query: { source: 'Busy source 3' } })).status).toBe(202);
  });

  it('names a row that repeats an earlier record of its pledge instead of counting it as recorded', async () => {
    const lines = registryFile().split('\n');
    // Rows 1-4: header, pledge, target, progress; the progress row pasted again as row 5.
    const file = [...lines.slice(0, 4), lines[3], ...lines.slice(4)].join('\n');
    const refused = await post(file, { query: { source: 'Pasted twice source' } });
    expect(refused.status).toBe(422);
    expect(refused.body['invalid-params']).toEqual([
      { row: 5, name: 'kind', reason: 'the same record as row 4 of this pledge; a row is recorded once' },
    ]);
    const headerOnly = await post(`${lines[0]}\n`, { query: { source: 'Pasted twice source' } });
    expect(headerOnly.status).toBe(422);
    expect(headerOnly.body['invalid-params']).toEqual([
      { row: 1, name: 'file', reason: 'the file has the header row only: no rows to import' },
    ]);
  });

  it('checks without recording on a dry run', async () => {
    const dry = await post(registryFile(), { query: { source: 'Dry run source', dryRun: 'true' } });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      status: 'validated',
      dryRun: true,
      rowsRead: 9,
      accepted: 9,
      recorded: 0,
    });
    expect((await api.request('GET', `/pledges/${idOf('KE-2016-004', 'Dry run source')}`)).status).toBe(404);
  });

  it('refuses a NUL or lone surrogate inside a list cell by row and column, and records nothing', async () => {
    const row = (ref: string, countries: string) =>
      `pledge,${ref},2017-01-10,,${registryOrg.id},Good pledge,A pledge described,${countries},wsis10-gender-gap/access,,,,,,,,,,,,,,,,`;
    const target = (ref: string) =>
      `target,${ref},,,,,,,,,,women-trained,Women trained,people,0,500,2020-12-31,,,,,,,,`;
    const file = [
      HEADER,
      row('LIST-1', 'KE'),
      target('LIST-1'),
      row('LIST-2', 'KE;R\u0000W'),
      target('LIST-2'),
    ].join('\n');
    const refused = await post(file, { query: { source: 'List cells source' } });
    expect(refused.status).toBe(422);
    expect(refused.body['invalid-params']).toEqual([
      { row: 4, name: 'countries', reason: 'item 2 contains a NUL character' },
    ]);
    expect((await api.request('GET', `/pledges/${idOf('LIST-1', 'List cells source')}`)).status).toBe(404);
    // JSON Lines can spell a lone surrogate (UTF-8 cannot): refused the same way.
    const line = JSON.stringify({
      kind: 'pledge',
      pledgeId: 'LIST-3',
      occurredAt: '2017-01-10',
      actorId: registryOrg.id,
      title: 'Good pledge',
      description: 'A pledge described',
      actions: 'wsis10-gender-gap/access',
    }).replace('}', ',"countries":["KE","\\ud800"]}');
    const surrogate = await post(`${line}\n`, { type: JSONL, query: { source: 'List cells source' } });
    expect(surrogate.status).toBe(422);
    expect(surrogate.body['invalid-params']).toEqual([
      { row: 1, name: 'countries', reason: 'item 2 is not well-formed Unicode (a lone surrogate)' },
    ]);
    // The import's id in capitals names the same import.
    const found = await api.request('GET', `/imports/${String(refused.body.importId).toUpperCase()}`, {
      key: api.adminKey,
    });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: refused.body.importId, status: 'rejected', rejected: 1 });
  });

  it('refuses what is not an import file: unknown columns, other encodings, media types, sizes, parameters', async () => {
    const unknown = await post('kind,pledgeId,occurredAt,colour\npledge,X,2020-01-01,blue\n');
    expect(unknown.status).toBe(422);
    expect(unknown.body['invalid-params'][0]).toMatchObject({ row: 1, name: 'file' });
    expect(unknown.body['invalid-params'][0].reason).toMatch(/colour/);

    const latin1 = Buffer.from('kind,pledgeId,occurredAt,title\npledge,X,2020-01-01,Caf\xe9\n', 'latin1');
    const notUtf8 = await post(latin1);
    expect(notUtf8.status).toBe(422);
    expect(notUtf8.body['invalid-params'][0].reason).toMatch(/UTF-8/);

    const brokenQuotes = await post('kind,pledgeId,occurredAt\npledge,"X,2020-01-01\n');
    expect(brokenQuotes.status).toBe(422);

    const json = await api.request('POST', '/imports?source=x&retrievedOn=2026-11-30', {
      key: api.adminKey,
      body: { kind: 'pledge' },
    });
    expect(json.status).toBe(415);
    const csvElsewhere = await api.request('POST', '/pledges', {
      key: registryOrg.apiKey,
      rawBody: 'a,b\n',
      headers: { 'content-type': CSV },
    });
    expect(csvElsewhere.status).toBe(415);

    const tooLarge = await post(`${HEADER}\n${'x'.repeat(310_000)}\n`, {
      query: { id: '0b0f8a52-4a4e-4c3e-9d8e-3f6a1b2c3d4e' },
    });
    expect(tooLarge.status).toBe(413);
    expect(
      (await api.request('GET', '/imports/0b0f8a52-4a4e-4c3e-9d8e-3f6a1b2c3d4e', { key: api.adminKey })).body,
    ).toMatchObject({
      status: 'rejected',
      failure: expect.stringMatching(/at most 300000 bytes/),
    });
    // An id already used is a conflict, and the first import is left as it was.
    const reused = await post(registryFile(), { query: { id: '0b0f8a52-4a4e-4c3e-9d8e-3f6a1b2c3d4e' } });
    expect(reused.status).toBe(409);

    const noSource = await api.request('POST', '/imports?retrievedOn=2026-11-30', {
      key: api.adminKey,
      rawBody: registryFile(),
      headers: { 'content-type': CSV },
    });
    expect(noSource.status).toBe(400);
    expect(noSource.body['invalid-params'].map((p: { name: string }) => p.name)).toContain('/source');
    for (const source of ['Tracker\nexported', 'Tracker\u0000', ' Tracker', 'Tracker\u0085']) {
      const badSource = await post(registryFile(), { query: { source } });
      expect(badSource.status).toBe(400);
      expect(badSource.body['invalid-params'].map((p: { name: string }) => p.name)).toEqual(['/source']);
    }
    const future = await post(registryFile(), { query: { retrievedOn: '2999-01-01' } });
    expect(future.status).toBe(400);
    const extra = await post(registryFile(), { query: { colour: 'blue' } });
    expect(extra.status).toBe(400);
    expect((await post(registryFile(), { key: '' })).status).toBe(401);
    expect((await api.request('GET', '/imports/not-a-uuid', { key: api.adminKey })).status).toBe(400);
  });
});
