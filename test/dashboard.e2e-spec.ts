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
    const logSize = async () =>
      Number(((await http('GET', '/log/checkpoint')).body as string).split('\n')[1]);
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
    expect(await timeline.evaluateAll((items) => items.map((li) => li.dataset.type))).toEqual(
      history.events.map((e: { type: string }) => e.type),
    );
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

  it('passes axe-core (WCAG 2.1 AA) with no serious or critical violation on every page', async () => {
    const pledge = (await http('GET', '/pledges?limit=1')).body.items[0];
    const pages: [string, string][] = [
      ['#/', 'page-overview'],
      ['#/countries', 'page-country'],
      ['#/actors', 'page-actor'],
      ['#/actions', 'page-action'],
      ['#/pledges', 'page-pledges'],
      [`#/pledge/${pledge.pledgeId}`, 'page-pledge'],
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
    for (const [name, route, testId] of [
      ['overview', '#/', 'page-overview'],
      ['countries', '#/countries', 'page-country'],
      ['pledge', `#/pledge/${pledge.pledgeId}`, 'page-pledge'],
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
    // The language can be switched on the page, and the choice is kept.
    await french.selectOption('#lang', 'en');
    expect(await text(french, 'h1')).toBe('Overview');
    await ctx.close();
  }, 60000);

  it('raised no script error on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
