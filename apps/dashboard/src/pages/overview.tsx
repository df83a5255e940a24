import { api, Money, Report, ReportGroup, STATUSES } from '../api';
import { Chart, STATUS_COLOURS } from '../chart';
import { DataTable, ErrorNote, Freshness, Loading, PageHeading, RecentEvents, useData } from '../components';
import { href, useUi } from '../context';
import type { MessageKey } from '../i18n';
import { useLiveReload } from '../live';
import { importedCount } from '../provenance';

/** Figures the totals row of a report gives, as [message, value, colour key]. */
export function breakdowns(report: Report) {
  const totals = report.totals;
  return {
    status: STATUSES.map((s) => [`status.${s}`, totals.byStatus[s], s] as const),
    verification: (['confirmed', 'disputed', 'unverified'] as const).map(
      (v) => [`verification.${v}`, totals.verification[v], v] as const,
    ),
    targets: (['reached', 'onTrack', 'offTrack', 'noProgress', 'overdue'] as const).map(
      (k) => [`targets.${k}`, totals.targets[k], k] as const,
    ),
  };
}

/** A chart's accessible name with its figures ("Targets: Reached 18, On track 148, …"), for screen readers. */
function figures(
  title: string,
  items: readonly (readonly [string, number, ...unknown[]])[],
  t: (key: MessageKey) => string,
  num: (n: number) => string,
): string {
  return `${title}: ${items.map(([key, value]) => `${t(key as MessageKey)} ${num(value)}`).join(', ')}`;
}

/** A group's pledges by status as a doughnut (statuses with no pledge left out). */
export function StatusPie({
  totals,
  testId,
  height = 280,
}: {
  totals: ReportGroup;
  testId?: string;
  height?: number;
}) {
  const { t, fmt } = useUi();
  return (
    <Chart
      label={figures(
        t('overview.byStatus'),
        STATUSES.map((s) => [`status.${s}`, totals.byStatus[s]] as const),
        t,
        fmt.num.bind(fmt),
      )}
      testId={testId}
      height={height}
      option={{
        tooltip: { trigger: 'item' },
        legend: { bottom: 0 },
        series: [
          {
            type: 'pie',
            radius: ['38%', '66%'],
            label: {
              formatter: (p: { name: string; value: number }) =>
                t('chart.label', { name: p.name, value: fmt.num(p.value) }),
              color: '#1a1a1a',
            },
            data: STATUSES.filter((s) => totals.byStatus[s] > 0).map((s) => ({
              name: t(`status.${s}` as MessageKey),
              value: totals.byStatus[s],
              itemStyle: { color: STATUS_COLOURS[s] },
            })),
          },
        ],
      }}
    />
  );
}

export function Overview() {
  const { t, tn, fmt } = useUi();
  const report = useData('overview', (signal) => api.report('country', {}, signal));
  useLiveReload(
    (e) => !!e.pledgeId && e.logIndex >= (report.data?.log.treeSize ?? 0),
    report.reload,
    report.data,
  );

  if (!report.data)
    return report.error ? (
      <ErrorNote error={report.error} retry={report.reload} heading={t('overview.heading')} />
    ) : (
      <Loading />
    );
  const data = report.data;
  const totals = data.totals;
  const parts = breakdowns(data);
  const bar = (items: readonly (readonly [string, number, string])[]) => ({
    grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: items.map(([k]) => t(k as MessageKey)) },
    series: [
      {
        type: 'bar',
        data: items.map(([, value, colour]) => ({ value, itemStyle: { color: STATUS_COLOURS[colour] } })),
        label: { show: true, position: 'right', color: '#1a1a1a' },
      },
    ],
  });
  const countries = data.groups.filter((g) => /^[A-Z]{2}$/.test(g.key));
  const maxCountry = Math.max(1, ...countries.map((g) => g.pledges));
  // Absent from an older API's answer; none imported is no news on the overview.
  const imported = importedCount(totals);

  return (
    <div data-testid="page-overview" data-ready="true">
      <PageHeading title={`${t('overview.heading')} · ${t('app.title')}`}>
        {t('overview.heading')}
      </PageHeading>
      <Freshness computedAt={data.computedAt} watermark={data.watermark} log={data.log} report={data} />

      <section class="cards" aria-label={t('overview.pledges')}>
        <div class="card stat" data-testid="total-pledges">
          <span class="stat-value">{fmt.num(totals.pledges)}</span>
          <span class="stat-label">{t('overview.pledges')}</span>
        </div>
        {STATUSES.map((s) => (
          <a
            class={`card stat status-${s}`}
            href={href('/pledges', { status: s })}
            key={s}
            data-testid={`status-${s}`}
          >
            <span class="stat-value">{fmt.num(totals.byStatus[s])}</span>
            <span class="stat-label">{t(`status.${s}` as MessageKey)}</span>
          </a>
        ))}
        <div class="card stat watered" data-testid="watered-down-total" title={t('overview.wateredDownHelp')}>
          <span class="stat-value">{fmt.num(totals.wateredDownPledges)}</span>
          <span class="stat-label">{t('overview.wateredDown')}</span>
        </div>
        {imported !== undefined && imported > 0 && (
          <a
            class="card stat imported-total"
            href={href('/pledges', { provenance: 'imported' })}
            data-testid="imported-total"
            title={t('overview.importedHelp')}
          >
            <span class="stat-value">{fmt.num(imported)}</span>
            <span class="stat-label">{tn('overview.imported', imported)}</span>
          </a>
        )}
      </section>

      <div class="grid">
        <section class="card">
          <h2>{t('overview.byStatus')}</h2>
          <StatusPie totals={totals} testId="chart-status" />
        </section>
        <section class="card">
          <h2>{t('overview.verification')}</h2>
          <Chart
            label={figures(t('overview.verification'), parts.verification, t, fmt.num.bind(fmt))}
            height={180}
            option={bar(parts.verification)}
          />
          <h2>{t('overview.targets')}</h2>
          <Chart
            label={figures(t('overview.targets'), parts.targets, t, fmt.num.bind(fmt))}
            height={220}
            option={bar(parts.targets)}
          />
        </section>
      </div>

      <section class="card">
        <h2>{t('overview.map')}</h2>
        <p class="help">{t('overview.mapHelp')}</p>
        <Chart
          label={t('overview.map')}
          map
          height={380}
          testId="chart-map"
          option={{
            tooltip: {
              trigger: 'item',
              formatter: (p: { name: string; value?: number }) =>
                `${fmt.country(p.name)}: ${Number.isFinite(p.value) ? fmt.num(p.value as number) : 0}`,
            },
            visualMap: {
              min: 0,
              max: maxCountry,
              left: 'left',
              bottom: 0,
              calculable: false,
              inRange: { color: ['#d6e6f5', '#0b3d6b'] },
              textStyle: { color: '#1a1a1a' },
            },
            series: [
              {
                type: 'map',
                map: 'world',
                roam: false,
                emphasis: { label: { show: false } },
                itemStyle: { areaColor: '#f0f0f0', borderColor: '#999' },
                data: countries.map((g) => ({ name: g.key, value: g.pledges })),
              },
            ],
          }}
        />
      </section>

      <div class="grid">
        <section class="card">
          <h2>{t('overview.commitments')}</h2>
          <p class="help">{t('overview.commitmentsHelp')}</p>
          <DataTable<Money>
            caption={t('overview.commitments')}
            csvName="commitments-by-currency.csv"
            testId="table-commitments"
            rows={totals.financialCommitments}
            columns={[
              { key: 'currency', label: t('table.currency'), value: (m) => m.currency },
              {
                key: 'amount',
                label: t('table.amount'),
                numeric: true,
                value: (m) => m.amount,
                render: (m) => fmt.money(m.amount, m.currency),
              },
              { key: 'pledges', label: t('table.pledgesWith'), numeric: true, value: (m) => m.pledges },
            ]}
          />
        </section>
        <RecentEvents />
      </div>
    </div>
  );
}
