import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { MongoEventStore, PLEDGE_UPCASTERS } from '@ledger/event-store';
import {
  PLEDGE_SUMMARIES,
  PledgeSummaryDocument,
  ProjectionConsumer,
  ReadModelCatalog,
  ReportSnapshots,
} from '@ledger/read-models';
import { eventually, testKafka, uniqueName } from '@ledger/testing';
import { HttpResult, LedgerApiHarness, samplePledge } from './support/ledger-api.harness';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Lists and reports by provenance over HTTP: pledges submitted through the API beside pledges recorded with an
 * import's provenance, relayed to Kafka and projected by a real consumer into the read model.
 */
describe('lists and reports by provenance', () => {
  const api = new LedgerApiHarness();
  let kafka: Kafka;
  let store: MongoEventStore;
  let live: ProjectionConsumer;
  const direct: string[] = [];
  const imported: string[] = [];
  const importer = {
    principal: { id: 'admin-1', role: 'admin', name: 'Importer' },
    correlationId: 'import-1',
  };

  async function importPledge(row: number, countries: string[]): Promise<string> {
    const pledgeId = randomUUID();
    const body = samplePledge({ countries });
    const submittedAt = `2019-0${row}-15T00:00:00.000Z`;
    await store.append(
      `pledge-${pledgeId}`,
      0,
      {
        type: 'PledgeSubmitted',
        payload: {
          pledgeId,
          actor: { id: 'org-imported-ngo', name: 'Imported NGO', type: 'civil-society', country: 'UG' },
          terms: body,
          submittedAt,
        },
        occurredAt: submittedAt,
        provenance: {
          kind: 'import',
          importId: 'import-1',
          source: { name: 'WSIS Stocktaking 2024', retrievedOn: '2026-11-30' },
          originalAuthor: 'Secretariat',
          sourceRef: `ws-${row}`,
          row,
          rowHash: String(row).padStart(64, 'a'),
        },
      },
      importer,
    );
    return pledgeId;
  }

  async function projected(count: number): Promise<PledgeSummaryDocument[]> {
    return eventually(async () => {
      const name = await new ReadModelCatalog(api.readDb).activeCollectionName(PLEDGE_SUMMARIES);
      const docs = await api.readDb.collection<PledgeSummaryDocument>(name).find({}).toArray();
      return docs.length === count ? docs : undefined;
    }, 60000);
  }

  const ids = (page: HttpResult) => page.body.items.map((item: { pledgeId: string }) => item.pledgeId).sort();

  beforeAll(async () => {
    await api.start({ RELAY_IN_PROCESS: 'true', RELAY_POLL_INTERVAL_MS: '20' });
    kafka = testKafka();
    store = new MongoEventStore(api.db, PLEDGE_UPCASTERS);
    const org = await api.registerOrganisation();
    for (const countries of [['KE'], ['KE', 'UG']]) {
      const submitted = await api.request('POST', '/pledges', {
        key: org.apiKey,
        body: samplePledge({ countries }),
      });
      expect(submitted.status).toBe(201);
      direct.push(submitted.body.pledgeId);
    }
    imported.push(
      await importPledge(2, ['UG']),
      await importPledge(3, ['KE']),
      await importPledge(4, ['UG']),
    );
    live = new ProjectionConsumer(
      kafka,
      api.readDb,
      store,
      {
        topic: api.topic,
        deadLetterTopic: `${api.topic}.dead-letter`,
        groupId: uniqueName('projector'),
        maxAttempts: 2,
        upcasters: PLEDGE_UPCASTERS,
      },
      quiet,
    );
    await live.start();
    await projected(5);
  });
  afterAll(async () => {
    await live?.stop();
    await api.stop();
  });

  it('lists pledges by provenance, alone and with other filters', async () => {
    const importedPage = await api.request('GET', '/pledges?provenance=imported');
    expect(importedPage.status).toBe(200);
    expect(ids(importedPage)).toEqual([...imported].sort());
    for (const item of importedPage.body.items)
      expect(item).toMatchObject({
        provenance: 'imported',
        importedEvents: 1,
        importSources: ['WSIS Stocktaking 2024'],
      });
    const directPage = await api.request('GET', '/pledges?provenance=direct');
    expect(ids(directPage)).toEqual([...direct].sort());
    for (const item of directPage.body.items)
      expect(item).toMatchObject({ provenance: 'direct', importedEvents: 0 });
    expect(ids(await api.request('GET', '/pledges?provenance=imported&country=KE'))).toEqual([imported[1]]);
    expect(ids(await api.request('GET', '/pledges?provenance=direct&country=UG&status=active'))).toEqual([
      direct[1],
    ]);
    expect(ids(await api.request('GET', '/pledges?provenance=imported&actorType=government'))).toEqual([]);
    // Paged, two at a time.
    const first = await api.request('GET', '/pledges?provenance=imported&limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await api.request(
      'GET',
      `/pledges?provenance=imported&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect([...ids(first), ...ids(second)].sort()).toEqual([...imported].sort());
  });

  it('counts imported pledges in every report row and the totals, and filters reports by provenance', async () => {
    const all = await api.request('GET', '/reports/country');
    expect(all.status).toBe(200);
    expect(all.body.totals).toMatchObject({ pledges: 5, imported: 3 });
    const byKey = (report: HttpResult, key: string) =>
      report.body.groups.find((g: { key: string }) => g.key === key);
    expect(byKey(all, 'KE')).toMatchObject({ pledges: 3, imported: 1 });
    expect(byKey(all, 'UG')).toMatchObject({ pledges: 3, imported: 2 });

    const onlyImported = await api.request('GET', '/reports/actor?provenance=imported');
    expect(onlyImported.body).toMatchObject({
      filters: { provenance: 'imported' },
      source: 'query',
      totals: { pledges: 3, imported: 3 },
    });
    expect(onlyImported.body.groups.map((g: { key: string }) => g.key)).toEqual(['org-imported-ngo']);
    const onlyDirect = await api.request('GET', '/reports/country?provenance=direct&country=UG');
    expect(onlyDirect.body.totals).toMatchObject({ pledges: 1, imported: 0 });

    const csv = await api.request('GET', '/reports/country?format=csv&provenance=imported');
    expect(csv.status).toBe(200);
    const [header, ...rows] = String(csv.body).trim().split('\n');
    const columns = header.split(',');
    expect(
      columns.slice(columns.indexOf('watered_down_pledges'), columns.indexOf('watered_down_pledges') + 2),
    ).toEqual(['watered_down_pledges', 'imported']);
    const totals = rows[rows.length - 1].split(',');
    expect(totals[columns.indexOf('key')]).toBe('all');
    expect(totals[columns.indexOf('imported')]).toBe('3');
  });

  it('serves a report filtered by provenance alone from its snapshot, equal to the one computed', async () => {
    const generation = await new ReadModelCatalog(api.readDb).activeCollectionName(PLEDGE_SUMMARIES);
    await new ReportSnapshots(api.readDb).compile(generation, 180, 1);
    for (const query of ['provenance=imported', 'provenance=direct', '']) {
      const snapshot = await api.request('GET', `/reports/region?${query}`);
      const fresh = await api.request('GET', `/reports/region?${query}&fresh=true`);
      expect([snapshot.body.source, fresh.body.source]).toEqual(['snapshot', 'query']);
      expect(snapshot.body.groups).toEqual(fresh.body.groups);
      expect(snapshot.body.totals).toEqual(fresh.body.totals);
    }
    expect((await api.request('GET', '/reports/region?provenance=imported')).body.totals.imported).toBe(3);
    expect((await api.request('GET', '/reports/region?provenance=imported&country=KE')).body.source).toBe(
      'query',
    );
  });

  it('refuses a provenance that is neither imported nor direct, naming the parameter', async () => {
    for (const path of [
      '/pledges?provenance=bogus',
      '/pledges?provenance=Imported',
      '/reports/country?provenance=api',
      '/reports/country?provenance=',
    ]) {
      const refused = await api.request('GET', path);
      expect({ path, status: refused.status }).toEqual({ path, status: 400 });
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body['invalid-params'].map((p: { name: string }) => p.name).join(' ')).toContain(
        'provenance',
      );
    }
  });
});
