import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually, testKafkaBrokers, testMongoClient, testMongoUri, uniqueName } from '@ledger/testing';
import { runCli, startApp, stopApp } from './support/app-process';
import { launchChromium } from './support/browser';
import { samplePledge } from './support/ledger-api.harness';
import { ContractRecorder } from './support/openapi-contract';

type App = ChildProcess & { output: () => string };

// Page functions run in the browser; this program has no DOM types, so the little they use is declared here.
interface PageElement {
  dataset: Record<string, string | undefined>;
  className: string;
  id: string;
  innerText: string;
  children: ArrayLike<PageElement>;
}
declare const document: {
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  activeElement: PageElement | null;
  documentElement: { lang: string; scrollWidth: number };
};
declare const window: { innerWidth: number; sameDocument?: boolean; axe: unknown };
declare const location: { hash: string };

/** RFC 4180 records (quoted fields with doubled quotes, CRLF line ends): the dashboard's CSV read back. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      record.push(field);
      field = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  return records;
}

const SCREENSHOTS = resolve(__dirname, '../.infra/screenshots');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** An event of `GET /pledges/{id}/history`, as much of it as the timeline shows. */
interface HistoryEvent {
  eventId: string;
  type: string;
  version: number;
  occurredAt: string;
  recordedAt: string;
  principal: { id: string; name?: string };
  /** Only on history an import brought in. */
  provenance?: {
    kind: 'import';
    importId: string;
    source: { name: string; url?: string; retrievedOn: string };
    originalAuthor: string;
    sourceRef: string;
    row: number;
    rowHash: string;
  };
}

/** The order a timeline shows a history in: effective time (occurredAt), then the stream's order (version). */
function effectiveOrder(events: readonly HistoryEvent[]): HistoryEvent[] {
  return [...events].sort(
    (a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.version - b.version,
  );
}

/** A day as the dashboard writes the date of an instant for an en-US reader (its zone is this process's). */
const enDay = (iso: string) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(new Date(iso));

/**
 * The public dashboard as people meet it: the three apps started from their builds as an operator would, the
 * demo set loaded through the API with `ledger-cli demo`, then a real Chromium (Debian's, driven by
 * playwright-core) opening every page. Each page's figures are compared with what the API answers for the same
 * question; a pledge is followed from the list to its timeline and its watering-down marker; a new event
 * written over HTTP appears on the open page without a reload; axe-core finds no serious violation; the pages
 * fit a 375 px screen; the French text and the reader's number format are used. Screenshots of each page go to
 * .infra/screenshots/.
 */
describe('public dashboard in a real browser', () => {
  const dbName = uniqueName('dash_e2e');
  const readDbName = uniqueName('dash_e2e_read');
  const topic = uniqueName('dash_e2e_events');
  const adminKey = randomBytes(24).toString('base64url');
  const env: Record<string, string> = {
    MONGODB_URI: testMongoUri(),
    MONGODB_DB: dbName,
    MONGODB_READ_DB: readDbName,
    KAFKA_BROKERS: testKafkaBrokers(),
    PLEDGE_EVENTS_TOPIC: topic,
    DEAD_LETTER_TOPIC: `${topic}.dead-letter`,
    PLEDGE_EVENTS_PARTITIONS: '3',
    PROJECTOR_GROUP_ID: `${topic}-projector`,
    ADMIN_API_KEY: adminKey,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_CHECKPOINT_INTERVAL_MS: '300',
    LIVE_EVENTS_POLL_INTERVAL_MS: '200',
  };
  let apps: App[] = [];
  let url: string;
  let client: MongoClient;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const contract = new ContractRecorder(() => url);

  const http = (method: string, path: string, body?: unknown, key?: string) =>
    contract.request(method, path, body, key);

  async function newPage(options: { locale?: string; width?: number } = {}): Promise<[BrowserContext, Page]> {
    const ctx = await browser.newContext({
      locale: options.locale ?? 'en-US',
      viewport: { width: options.width ?? 1280, height: 900 },
      acceptDownloads: true,
    });
    const p = await ctx.newPage();
    p.on('pageerror', (error) => pageErrors.push(`${p.url()}: ${error.message}`));
    return [ctx, p];
  }

  /** Opens a dashboard route and waits until its data is shown and every chart on it is drawn. */
  async function open(p: Page, route: string, testId: string) {
    await p.goto(`${url}/${route}`);
    await p.waitForSelector(`[data-testid="${testId}"][data-ready="true"]`, { timeout: 30000 });
    await p.waitForFunction(
      () => Array.from(document.querySelectorAll('.chart-box')).every((el) => el.dataset.rendered),
      undefined,
      { timeout: 30000 },
    );
  }

  async function axe(p: Page): Promise<AxeViolation[]> {
    // Evaluated through the DevTools protocol: the page's own policy forbids inline scripts (as it should).
    await p.evaluate(AXE_SOURCE);
    const { violations, rulesPassed } = await p.evaluate(async () => {
      const result = await (
        window.axe as { run: (o: object) => Promise<{ violations: AxeViolation[]; passes: unknown[] }> }
      ).run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return { violations: result.violations, rulesPassed: result.passes.length };
    });
    // axe really looked: a page with content passes dozens of rules (labels, contrast, landmarks, ...).
    expect(rulesPassed).toBeGreaterThan(10);
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  const text = async (p: Page, selector: string) => (await p.locator(selector).first().innerText()).trim();
  const en = new Intl.NumberFormat('en-US');
  const logSize = async () => Number(((await http('GET', '/log/checkpoint')).body as string).split('\n')[1]);

  let importedPledge: Promise<string> | undefined;
  /**
   * An imported pledge (the active one with the most imported history) that its organisation then wrote to
   * directly: its timeline holds both kinds of event. Chosen and written once, projected and in the reports
   * before any page shows it.
   */
  function mixedImportedPledge(): Promise<string> {
    importedPledge ??= (async () => {
      const listed = (await http('GET', '/pledges?provenance=imported&status=active&limit=50')).body;
      const pledge = [...listed.items].sort(
        (a: { importedEvents: number }, b: { importedEvents: number }) => b.importedEvents - a.importedEvents,
      )[0];
      expect(pledge?.provenance).toBe('imported');
      // The demo's organisations were registered by the loader, whose keys are gone: the admin issues a new one.
      const key = await http(
        'POST',
        `/actors/${encodeURIComponent(pledge.actor.id)}/api-key`,
        undefined,
        adminKey,
      );
      expect(key.status).toBe(200);
      const target = pledge.targets[0];
      const progress = await http(
        'POST',
        `/pledges/${pledge.pledgeId}/progress`,
        {
          targetId: target.targetId,
          value: target.latestValue ?? target.baseline,
          asOf: new Date().toISOString().slice(0, 10),
          narrative: 'Reported to the ledger directly, after the import',
        },
        key.body.apiKey,
      );
      expect(progress.status).toBe(201);
      await eventually(
        async () => {
          const history = (await http('GET', `/pledges/${pledge.pledgeId}/history`)).body;
          const summary = (await http('GET', `/pledges/${pledge.pledgeId}/summary`)).body;
          const report = (await http('GET', '/reports/country')).body;
          return summary.version === history.version &&
            !history.logIndexes.includes(null) &&
            report.log?.treeSize >= (await logSize())
            ? true
            : undefined;
        },
        30000,
        200,
      );
      return pledge.pledgeId as string;
    })();
    return importedPledge;
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    client = await testMongoClient();
    const api = startApp('ledger-api', env);
    apps = [api, startApp('relay', env), startApp('projector', env)];
    url = await eventually(async () => /LEDGER_API_URL=(\S+)/.exec(api.output())?.[1], 60000);
    await eventually(async () => ((await http('GET', '/health')).status === 200 ? true : undefined), 60000);
    const demo = await runCli(['demo'], { ...env, LEDGER_API_URL: url, ADMIN_API_KEY: adminKey });
    expect(demo.code).toBe(0);
    const loaded = JSON.parse(demo.output.split('\n').find((line) => line.startsWith('{"organisations"'))!);
    // Everything the demo wrote projected and in the compiled reports before the browser looks: the report
    // reflects the whole log (its tree size as of now), and the demo's withdrawals and fulfilments show.
    await eventually(
      async () => {
        const size = await logSize();
        const report = (await http('GET', '/reports/country')).body;
        const totals = report.totals;
        return report.log?.treeSize >= size &&
          totals?.pledges === loaded.pledges &&
          totals.byStatus.withdrawn === loaded.withdrawals &&
          totals.byStatus.fulfilled === loaded.fulfilments
          ? true
          : undefined;
      },
      120000,
      500,
    );
    browser = await launchChromium();
    [, page] = await newPage();
  }, 240000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(apps.map((app) => stopApp(app)));
    await client.db(dbName).dropDatabase();
    await client.db(readDbName).dropDatabase();
    await client.close();
    await contract.verify();
  });

  it('is served under / with a strict content security policy, beside the API', async () => {
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('cache-control')).toBe('no-cache');
    // The API's own answers are untouched: an unknown path is still its problem+json 404.
    const unknown = await fetch(`${url}/no-such-page`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
  });

  it('overview: the totals, statuses, watered-down count and commitments are the API report’s', async () => {
    const report = (await http('GET', '/reports/country')).body;
    await open(page, '#/', 'page-overview');
    expect(await text(page, '[data-testid="total-pledges"] .stat-value')).toBe(
      en.format(report.totals.pledges),
    );
    for (const status of ['active', 'lapsed', 'fulfilled', 'withdrawn']) {
      expect(await text(page, `[data-testid="status-${status}"] .stat-value`)).toBe(
        en.format(report.totals.byStatus[status]),
      );
    }
    expect(await text(page, '[data-testid="watered-down-total"] .stat-value')).toBe(
      en.format(report.totals.wateredDownPledges),
    );
    expect(report.totals.wateredDownPledges).toBeGreaterThan(0);
    const currencies = await page.locator('[data-testid="table-commitments"] tbody tr th').allInnerTexts();
    expect(currencies).toEqual(
      report.totals.financialCommitments.map((m: { currency: string }) => m.currency),
    );
    expect(await text(page, '[data-testid="computed-at"]')).toContain(
      new Date(report.computedAt).getFullYear().toString(),
    );
    await expect(page.locator('[data-testid="chart-map"] svg').count()).resolves.toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/overview.png`, fullPage: true });

    // The pledges imported with their history: the report's count, a link to the list of them.
    expect(report.totals.imported).toBeGreaterThan(0);
    const imported = page.locator('[data-testid="imported-total"]');
    expect(await text(page, '[data-testid="imported-total"] .stat-value')).toBe(
      en.format(report.totals.imported),
    );
    expect(await imported.getAttribute('href')).toBe('#/pledges?provenance=imported');
    await imported.click();
    await page.waitForSelector('[data-testid="page-pledges"][data-ready="true"]');
    await expect(page.locator('#f-provenance').inputValue()).resolves.toBe('imported');
  }, 60000);

  it('by country: the table is the report, filters live in the URL, and the CSV is exactly the table', async () => {
    const report = (await http('GET', '/reports/country?status=active')).body;
    await open(page, '#/countries?status=active', 'page-country');
    await expect(page.locator('#f-status').inputValue()).resolves.toBe('active');
    const rows = page.locator('[data-testid="report-table"] tbody tr');
    expect(await rows.count()).toBe(report.groups.length);
    const first = report.groups[0];
    expect(await rows.first().locator('[data-col="pledges"]').innerText()).toBe(en.format(first.pledges));
    expect(await rows.first().locator('[data-col="active"]').innerText()).toBe(
      en.format(first.byStatus.active),
    );

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="download-csv"]'),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\ufeff')).toBe(true);
    const records = parseCsv(csv.slice(1));
    const headers = await page.locator('[data-testid="report-table"] thead th').allInnerTexts();
    expect(records[0]).toEqual(headers);
    expect(records).toHaveLength(report.groups.length + 1);
    const pledgesColumn = headers.indexOf('Pledges');
    expect(records.slice(1).map((r) => Number(r[pledgesColumn]))).toEqual(
      report.groups.map((g: { pledges: number }) => g.pledges),
    );
    // Every cell of the file is the cell shown (numbers unformatted, text as it reads).
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) =>
        Array.from((tr as unknown as PageElement).children).map((cell) => cell.innerText.trim()),
      ),
    );
    expect(records.slice(1).map((r) => r.slice(0, pledgesColumn + 1))).toEqual(
      shown.map((cells) => [cells[0], ...cells.slice(1, pledgesColumn + 1).map((c) => c.replace(/,/g, ''))]),
    );

    // Changing a filter in the form changes the address (a link to share) and the figures.
    await page.selectOption('#f-status', 'withdrawn');
    await page.click('form[data-testid="filters"] button[type="submit"]');
    await page.waitForFunction(() => location.hash.includes('status=withdrawn'));
    const withdrawn = (await http('GET', '/reports/country?status=withdrawn')).body;
    await eventually(async () =>
      (await page.locator('[data-testid="report-table"] tbody tr').count()) === withdrawn.groups.length
        ? true
        : undefined,
    );
    await open(page, '#/countries', 'page-country');
    await page.screenshot({ path: `${SCREENSHOTS}/countries.png`, fullPage: true });
  }, 60000);

  it('by action: both frameworks, each its own table with the report’s figures', async () => {
    const report = (await http('GET', '/reports/action')).body;
    await open(page, '#/actions', 'page-action');
    for (const framework of ['wsis10-gender-gap', 'gender-caucus']) {
      const groups = report.groups.filter((g: { key: string }) => g.key.startsWith(`${framework}/`));
      expect(groups.length).toBeGreaterThan(0);
      const table = page.locator(`[data-testid="report-table-${framework}"]`);
      expect(await table.locator('tbody tr').count()).toBe(groups.length);
      expect(await table.locator('tbody tr').first().locator('[data-col="pledges"]').innerText()).toBe(
        en.format(groups[0].pledges),
      );
    }
    await page.screenshot({ path: `${SCREENSHOTS}/actions.png`, fullPage: true });
  }, 60000);

  it('by actor, and an actor’s page lists its pledges as the API does', async () => {
    const report = (await http('GET', '/reports/actor')).body;
    await open(page, '#/actors', 'page-actor');
    expect(await page.locator('[data-testid="report-table"] tbody tr').count()).toBe(report.groups.length);
    await page.screenshot({ path: `${SCREENSHOTS}/actors.png`, fullPage: true });

    const actor = report.groups[0];
    await page.click(`[data-testid="report-table"] a[href="#/actor/${encodeURIComponent(actor.key)}"]`);
    await page.waitForSelector('[data-testid="page-actor-profile"][data-ready="true"]');
    const listed = (await http('GET', `/pledges?actor=${encodeURIComponent(actor.key)}&limit=50`)).body;
    expect(await text(page, 'h1')).toBe(actor.label);
    const ids = await page
      .locator('[data-testid="pledge-table"] a[data-pledge-id]')
      .evaluateAll((links) => links.map((a) => a.dataset.pledgeId));
    expect(ids).toEqual(listed.items.map((p: { pledgeId: string }) => p.pledgeId));
    await page.screenshot({ path: `${SCREENSHOTS}/actor.png`, fullPage: true });
  }, 60000);

  it('follows a watered-down pledge from the list to its timeline: diff, marker, verifications, integrity', async () => {
    await open(page, '#/pledges', 'page-pledges');
    const listed = (await http('GET', '/pledges?limit=50')).body;
    expect(await page.locator('[data-testid="pledge-table"] tbody tr').count()).toBe(listed.items.length);
    const watered = listed.items.find((p: { wateredDown: boolean }) => p.wateredDown);
    expect(watered).toBeDefined();
    await page.screenshot({ path: `${SCREENSHOTS}/pledges.png`, fullPage: true });

    await page.click(`a[data-pledge-id="${watered.pledgeId}"]`);
    await page.waitForSelector('[data-testid="page-pledge"][data-ready="true"]');
    const history = (await http('GET', `/pledges/${watered.pledgeId}/history`)).body;
    const timeline = page.locator('[data-testid="timeline"] > li');
    expect(await timeline.count()).toBe(history.events.length);
    // Every event once, where it took effect (imported history at its own dates), the stream's order between.
    expect(
      await timeline.evaluateAll((items) => items.map((li) => `${li.dataset.version} ${li.dataset.type}`)),
    ).toEqual(effectiveOrder(history.events).map((e) => `${e.version} ${e.type}`));
    const amendment = page.locator('[data-testid="timeline"] > li.event-watered').first();
    await expect(amendment.locator('[data-testid="watered-down"]').count()).resolves.toBe(1);
    await expect(
      amendment.locator('[data-testid="amendment-diff"] tbody tr').count(),
    ).resolves.toBeGreaterThan(0);
    expect(await page.locator('[data-testid="integrity"]').getAttribute('data-valid')).toBe('true');
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('.chart-box')).every((el) => el.dataset.rendered),
    );
    await page.screenshot({ path: `${SCREENSHOTS}/pledge.png`, fullPage: true });
  }, 60000);

  it('pages through the list by the API’s cursor, each page in the address (shareable, Back returns)', async () => {
    await open(page, '#/pledges?status=active', 'page-pledges');
    const first = (await http('GET', '/pledges?limit=50&status=active')).body;
    expect(first.nextCursor).toBeTruthy();
    await page.click('[data-testid="next-page"]');
    await page.waitForFunction(() => location.hash.includes('cursor='));
    const second = (
      await http('GET', `/pledges?limit=50&status=active&cursor=${encodeURIComponent(first.nextCursor)}`)
    ).body;
    const ids = () =>
      page
        .locator('[data-testid="pledge-table"] a[data-pledge-id]')
        .evaluateAll((links) => links.map((a) => a.dataset.pledgeId));
    await eventually(async () =>
      JSON.stringify(await ids()) ===
      JSON.stringify(second.items.map((p: { pledgeId: string }) => p.pledgeId))
        ? true
        : undefined,
    );
    await page.goBack();
    await eventually(async () =>
      JSON.stringify(await ids()) === JSON.stringify(first.items.map((p: { pledgeId: string }) => p.pledgeId))
        ? true
        : undefined,
    );
  }, 60000);

  it('shows a new event live, without a reload, on the pledge page and in the overview’s latest events', async () => {
    const org = await http(
      'POST',
      '/actors/organisations',
      { name: 'Live Test Ministry of ICT', type: 'government', country: 'KE' },
      adminKey,
    );
    const submitted = await http('POST', '/pledges', samplePledge(), org.body.apiKey);
    expect(submitted.status).toBe(201);
    const pledgeId = submitted.body.pledgeId;
    await open(page, `#/pledge/${pledgeId}`, 'page-pledge');
    expect(await page.locator('[data-testid="timeline"] > li').count()).toBe(1);
    const [, overview] = await newPage();
    await open(overview, '#/', 'page-overview');
    await Promise.all(
      [page, overview].map((p) =>
        p.waitForSelector('[data-testid="live-status"][data-state="open"]', { timeout: 15000 }),
      ),
    );
    await Promise.all([page, overview].map((p) => p.evaluate(() => (window.sameDocument = true))));

    const progress = await http(
      'POST',
      `/pledges/${pledgeId}/progress`,
      { targetId: 'women-online', value: 37.5, asOf: '2026-06-30' },
      org.body.apiKey,
    );
    expect(progress.status).toBe(201);
    await page.waitForSelector('[data-testid="timeline"] > li[data-type="ProgressReported"]', {
      timeout: 15000,
    });
    await overview.waitForSelector('[data-testid="recent-events"] li', { timeout: 15000 });
    expect(await overview.locator('[data-testid="recent-events"] li').first().innerText()).toContain(
      'Live Test Ministry of ICT',
    );
    for (const p of [page, overview]) expect(await p.evaluate(() => window.sameDocument)).toBe(true);
    expect(await text(page, `[data-testid="target-women-online"]`)).toContain('37.5');
    await overview.context().close();
  }, 90000);

  it('lists where each pledge came from, and filters by it in the address (imported, direct)', async () => {
    const pledgeTable = page.locator('[data-testid="pledge-table"]');
    const ids = () =>
      pledgeTable.locator('a[data-pledge-id]').evaluateAll((links) => links.map((a) => a.dataset.pledgeId));
    const cells = () => pledgeTable.locator('tbody tr [data-col="provenance"]');
    const sameIds = async (items: { pledgeId: string }[]) =>
      JSON.stringify(await ids()) === JSON.stringify(items.map((p) => p.pledgeId)) ? true : undefined;

    // Unfiltered, each row's provenance is the API's.
    await open(page, '#/pledges', 'page-pledges');
    const all = (await http('GET', '/pledges?limit=50')).body;
    await eventually(() => sameIds(all.items));
    expect(await pledgeTable.locator('thead th').allInnerTexts()).toContain('Provenance');
    expect((await cells().allInnerTexts()).map((c) => c.trim())).toEqual(
      all.items.map((p: { provenance: string }) => (p.provenance === 'imported' ? 'Imported' : 'Direct')),
    );

    // Imported: the filter goes in the address, the rows are the API's, each with the marker naming its source.
    await expect(page.locator('#f-provenance').count()).resolves.toBe(1);
    await page.selectOption('#f-provenance', 'imported');
    await page.click('form[data-testid="filters"] button[type="submit"]');
    await page.waitForFunction(() => location.hash.includes('provenance=imported'));
    const imported = (await http('GET', '/pledges?provenance=imported&limit=50')).body;
    expect(imported.items.length).toBeGreaterThan(0);
    await eventually(() => sameIds(imported.items));
    await page.waitForSelector('[data-testid="page-pledges"][data-ready="true"]');
    expect(await pledgeTable.locator('tbody tr').count()).toBe(imported.items.length);
    expect(await cells().locator('[data-testid="imported"]').count()).toBe(imported.items.length);
    const titles = await cells()
      .locator('[data-testid="imported"]')
      .evaluateAll((marks) => marks.map((m) => (m as unknown as { title: string }).title));
    imported.items.forEach((p: { importSources: string[] }, i: number) => {
      expect(titles[i]).toContain('Imported from');
      for (const source of p.importSources) expect(titles[i]).toContain(source);
    });
    await page.screenshot({ path: `${SCREENSHOTS}/pledges-imported.png`, fullPage: true });

    // Direct (the live test's pledge): the rows are the API's, each reads "Direct", none is marked imported.
    await page.selectOption('#f-provenance', 'direct');
    await page.click('form[data-testid="filters"] button[type="submit"]');
    await page.waitForFunction(() => location.hash.includes('provenance=direct'));
    const direct = (await http('GET', '/pledges?provenance=direct&limit=50')).body;
    expect(direct.items.length).toBeGreaterThan(0);
    await eventually(() => sameIds(direct.items));
    expect(await cells().count()).toBe(direct.items.length);
    expect((await cells().allInnerTexts()).map((c) => c.trim())).toEqual(direct.items.map(() => 'Direct'));
    expect(await cells().locator('[data-testid="imported"]').count()).toBe(0);
    await expect(page.locator('#f-provenance').inputValue()).resolves.toBe('direct');
  }, 60000);

  it('reports count the imported pledges: a column of the table and of its CSV, and a filter in the address', async () => {
    const report = (await http('GET', '/reports/country')).body;
    expect(report.groups.some((g: { imported: number }) => g.imported > 0)).toBe(true);
    await open(page, '#/countries', 'page-country');
    const table = page.locator('[data-testid="report-table"]');
    const headers = await table.locator('thead th').allInnerTexts();
    expect(headers).toContain('Imported');
    expect(await table.locator('tbody tr').count()).toBe(report.groups.length);
    expect(await table.locator('tbody tr [data-col="imported"]').allInnerTexts()).toEqual(
      report.groups.map((g: { imported: number }) => en.format(g.imported)),
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="download-csv"]'),
    ]);
    const records = parseCsv(readFileSync((await download.path())!, 'utf8').slice(1));
    expect(records[0]).toEqual(headers);
    const column = headers.indexOf('Imported');
    expect(records.slice(1).map((r) => Number(r[column]))).toEqual(
      report.groups.map((g: { imported: number }) => g.imported),
    );

    // Both frameworks' tables of the action report have the column too.
    const actions = (await http('GET', '/reports/action')).body;
    await open(page, '#/actions', 'page-action');
    for (const framework of ['wsis10-gender-gap', 'gender-caucus']) {
      const groups = actions.groups.filter((g: { key: string }) => g.key.startsWith(`${framework}/`));
      expect(
        await page
          .locator(`[data-testid="report-table-${framework}"] tbody tr [data-col="imported"]`)
          .allInnerTexts(),
      ).toEqual(groups.map((g: { imported: number }) => en.format(g.imported)));
    }

    // Opened from its address, the filtered report: the form shows the filter, the rows are the API's.
    const filtered = (await http('GET', '/reports/country?provenance=imported')).body;
    await open(page, '#/countries?provenance=imported', 'page-country');
    await expect(page.locator('#f-provenance').inputValue()).resolves.toBe('imported');
    const rows = page.locator('[data-testid="report-table"] tbody tr');
    expect(await rows.count()).toBe(filtered.groups.length);
    expect(await rows.locator('[data-col="pledges"]').allInnerTexts()).toEqual(
      filtered.groups.map((g: { pledges: number }) => en.format(g.pledges)),
    );
    expect(await rows.locator('[data-col="imported"]').allInnerTexts()).toEqual(
      filtered.groups.map((g: { imported: number }) => en.format(g.imported)),
    );
    // And the direct ones (the live test's pledge): none of them imported.
    const direct = (await http('GET', '/reports/country?provenance=direct')).body;
    expect(direct.totals.pledges).toBeGreaterThan(0);
    await open(page, '#/countries?provenance=direct', 'page-country');
    await expect(page.locator('#f-provenance').inputValue()).resolves.toBe('direct');
    expect(await rows.locator('[data-col="pledges"]').allInnerTexts()).toEqual(
      direct.groups.map((g: { pledges: number }) => en.format(g.pledges)),
    );
    expect(await rows.locator('[data-col="imported"]').allInnerTexts()).toEqual(
      direct.groups.map((g: { imported: number }) => en.format(g.imported)),
    );
  }, 60000);

  it('an imported pledge’s timeline: each event where it happened, its source, row, authors and both times', async () => {
    const pledgeId = await mixedImportedPledge();
    await open(page, `#/pledge/${pledgeId}`, 'page-pledge');
    const history = (await http('GET', `/pledges/${pledgeId}/history`)).body;
    const summary = (await http('GET', `/pledges/${pledgeId}/summary`)).body;
    const events: HistoryEvent[] = history.events;
    const imported = events.filter((e) => e.provenance);
    // Both kinds: the import's history, then what the organisation wrote to the ledger itself.
    expect(imported.length).toBeGreaterThan(1);
    expect(imported.length).toBeLessThan(events.length);
    expect(summary.provenance).toBe('imported');
    expect(summary.importSources.length).toBeGreaterThan(0);

    // The header: "Imported from" its sources (linked to the source's address), how many events came in so.
    const from = page.locator('[data-testid="imported-from"]');
    const header = await from.innerText();
    expect(header).toContain('Imported from');
    for (const source of summary.importSources) expect(header).toContain(source);
    for (const { name, url } of new Map(
      imported.map((e) => [e.provenance!.source.name, e.provenance!.source]),
    ).values())
      if (url) {
        const link = from.locator(`a[href="${url}"]`);
        expect(await link.innerText()).toBe(name);
        expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
      }
    expect(await text(page, '[data-testid="imported-events"]')).toContain(en.format(imported.length));
    await expect(page.locator('.byline [data-testid="imported"]').count()).resolves.toBe(1);

    // The timeline: in effective-time order, each event once, its log entry the history's for that event.
    const timeline = page.locator('[data-testid="timeline"] > li');
    expect(await timeline.evaluateAll((items) => items.map((li) => Number(li.dataset.version)))).toEqual(
      effectiveOrder(events).map((e) => e.version),
    );
    for (const [i, event] of events.entries()) {
      const item = page.locator(`[data-testid="timeline"] > li[data-version="${event.version}"]`);
      expect(await item.getAttribute('data-type')).toBe(event.type);
      expect(await item.getAttribute('data-occurred-at')).toBe(event.occurredAt);
      expect(await item.locator('a[href^="/log/proof/inclusion"]').getAttribute('href')).toBe(
        `/log/proof/inclusion?index=${history.logIndexes[i]}`,
      );
      const recorded = await item.locator('[data-testid="recorded-at"]').innerText();
      expect(recorded).toContain('recorded');
      expect(recorded).toContain(enDay(event.recordedAt));
      const p = event.provenance;
      if (!p) {
        // Written directly: no import said, its author the principal who wrote it.
        expect(await item.getAttribute('data-imported')).toBeNull();
        await expect(item.locator('[data-testid="provenance"]').count()).resolves.toBe(0);
        await expect(item.locator('[data-testid="imported"]').count()).resolves.toBe(0);
        expect(await item.locator('.when').innerText()).toContain(`by ${event.principal.name}`);
        continue;
      }
      expect(await item.getAttribute('data-imported')).toBe('true');
      await expect(item.locator('[data-testid="imported"]').count()).resolves.toBe(1);
      const source = item.locator('a[data-testid="import-source-name"]');
      expect(await source.innerText()).toBe(p.source.name);
      expect(await source.getAttribute('href')).toBe(p.source.url);
      expect(await source.getAttribute('rel')).toBe('noopener noreferrer nofollow');
      expect(await item.locator('[data-testid="import-row"]').innerText()).toContain(`row ${p.row}`);
      expect(await item.locator('[data-testid="original-author"]').innerText()).toContain(p.originalAuthor);
      expect(await item.locator('[data-testid="importer"]').innerText()).toContain(event.principal.name!);
      // When it happened (years before, for this history) and when the ledger recorded it.
      const occurred = await item.locator('[data-testid="occurred-at"]').innerText();
      expect(occurred).toContain('happened');
      expect(occurred).toContain(enDay(event.occurredAt));
    }
    await page.screenshot({ path: `${SCREENSHOTS}/pledge-imported.png`, fullPage: true });
  }, 90000);

  it('passes axe-core (WCAG 2.1 AA) with no serious or critical violation on every page', async () => {
    const pledge = (await http('GET', '/pledges?limit=1')).body.items[0];
    const imported = await mixedImportedPledge();
    const pages: [string, string][] = [
      ['#/', 'page-overview'],
      ['#/countries', 'page-country'],
      ['#/actors', 'page-actor'],
      ['#/actions', 'page-action'],
      ['#/pledges', 'page-pledges'],
      ['#/pledges?provenance=imported', 'page-pledges'],
      [`#/pledge/${pledge.pledgeId}`, 'page-pledge'],
      [`#/pledge/${imported}`, 'page-pledge'],
      [`#/actor/${encodeURIComponent(pledge.actor.id)}`, 'page-actor-profile'],
    ];
    const found: Record<string, AxeViolation[]> = {};
    for (const [route, testId] of pages) {
      await open(page, route, testId);
      const violations = await axe(page);
      if (violations.length) found[route] = violations;
    }
    expect(found).toEqual({});
  }, 120000);

  it('is usable with the keyboard: skip link first, then the page’s heading takes the focus', async () => {
    const [ctx, page] = await newPage();
    await open(page, '#/countries', 'page-country');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-heading');
    // Onwards from the heading: the filter form, in order.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-status');
    // Following a link moves the focus to the new page's heading.
    await page.click('nav a[href="#/pledges"]');
    await page.waitForSelector('[data-testid="page-pledges"][data-ready="true"]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-heading');
    await ctx.close();
  }, 60000);

  it('fits a 375 px wide screen: no page scrolls sideways (wide tables scroll in their own box)', async () => {
    const [ctx, narrow] = await newPage({ width: 375 });
    const pledge = (await http('GET', '/pledges?limit=1')).body.items[0];
    const imported = await mixedImportedPledge();
    for (const [name, route, testId] of [
      ['overview', '#/', 'page-overview'],
      ['countries', '#/countries', 'page-country'],
      ['pledge', `#/pledge/${pledge.pledgeId}`, 'page-pledge'],
      ['pledges-imported', '#/pledges?provenance=imported', 'page-pledges'],
      ['pledge-imported', `#/pledge/${imported}`, 'page-pledge'],
    ]) {
      await open(narrow, route, testId);
      const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect({ name, overflow }).toEqual({ name, overflow: 0 });
      await narrow.screenshot({ path: `${SCREENSHOTS}/${name}-375px.png`, fullPage: true });
    }
    await ctx.close();
  }, 90000);

  it('speaks French and formats numbers and dates for the reader’s locale', async () => {
    const [ctx, french] = await newPage({ locale: 'fr-FR' });
    const report = (await http('GET', '/reports/country')).body;
    await open(french, '#/', 'page-overview');
    expect(await french.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await text(french, 'h1')).toBe("Vue d'ensemble");
    const fr = new Intl.NumberFormat('fr-FR');
    const amount = report.totals.financialCommitments.find((m: { amount: number }) => m.amount >= 1000);
    const cell = await french
      .locator('[data-testid="table-commitments"] tbody tr')
      .filter({ hasText: amount.currency })
      .first()
      .locator('[data-col="amount"]')
      .innerText();
    expect(cell.replace(/\s/g, ' ')).toContain(fr.format(amount.amount).replace(/\s/g, ' '));
    await french.screenshot({ path: `${SCREENSHOTS}/overview-fr.png`, fullPage: true });
    // An imported pledge's page in French: where its history came from, and each event's row of the source.
    const pledgeId = await mixedImportedPledge();
    const summary = (await http('GET', `/pledges/${pledgeId}/summary`)).body;
    const history: HistoryEvent[] = (await http('GET', `/pledges/${pledgeId}/history`)).body.events;
    await open(french, `#/pledge/${pledgeId}`, 'page-pledge');
    const header = await text(french, '[data-testid="imported-from"]');
    expect(header).toContain('Importé depuis');
    for (const source of summary.importSources) expect(header).toContain(source);
    for (const event of history.filter((e) => e.provenance))
      expect(
        await text(
          french,
          `[data-testid="timeline"] > li[data-version="${event.version}"] [data-testid="import-row"]`,
        ),
      ).toBe(`ligne ${event.provenance!.row}`);
    await french.screenshot({ path: `${SCREENSHOTS}/pledge-imported-fr.png`, fullPage: true });
    await open(french, '#/', 'page-overview');
    // The language can be switched on the page, and the choice is kept.
    await french.selectOption('#lang', 'en');
    expect(await text(french, 'h1')).toBe('Overview');
    await ctx.close();
  }, 60000);

  it('raised no script error on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
