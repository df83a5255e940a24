import { api, query, ReportGroup, STATUSES } from '../api';
import { Chart, STATUS_COLOURS } from '../chart';
import { Column, DataTable, ErrorNote, Freshness, Loading, PageHeading, useData } from '../components';
import { href, Route, Ui, useUi } from '../context';
import { FilterForm, filtersOf, useReference } from '../filters';
import type { MessageKey } from '../i18n';
import { useLiveReload } from '../live';
import { importedCount, reportCountsImported } from '../provenance';

export type Dimension = 'country' | 'actor' | 'action';
const PATHS: Record<Dimension, string> = { country: '/countries', actor: '/actors', action: '/actions' };
const CHART_GROUPS = 15;

function groupLink(dimension: Dimension, group: ReportGroup, ui: Ui) {
  if (dimension === 'actor') return <a href={`#/actor/${encodeURIComponent(group.key)}`}>{group.label}</a>;
  if (dimension === 'country') {
    const name = ui.fmt.country(group.key, group.label);
    return /^[A-Z]{2}$/.test(group.key) ? (
      <a href={href('/pledges', { country: group.key })}>{name}</a>
    ) : (
      name
    );
  }
  return <a href={href('/pledges', { action: group.key })}>{group.label}</a>;
}

/**
 * The report's columns: what the table shows and, unformatted, what its CSV holds. `imported`: the answer counts
 * imported pledges (an older API's does not, and the table then has no such column).
 */
export function reportColumns(dimension: Dimension, ui: Ui, imported = false): Column<ReportGroup>[] {
  const { t, fmt } = ui;
  return [
    {
      key: 'group',
      label: t('table.group'),
      value: (g) => (dimension === 'country' ? fmt.country(g.key, g.label) : g.label),
      render: (g) => groupLink(dimension, g, ui),
    },
    { key: 'pledges', label: t('table.pledges'), numeric: true, value: (g) => g.pledges },
    ...STATUSES.map((s) => ({
      key: s,
      label: t(`status.${s}` as MessageKey),
      numeric: true,
      value: (g: ReportGroup) => g.byStatus[s],
    })),
    { key: 'wateredDown', label: t('table.wateredDown'), numeric: true, value: (g) => g.wateredDownPledges },
    ...(imported
      ? [
          {
            key: 'imported',
            label: t('table.imported'),
            numeric: true,
            value: (g: ReportGroup) => importedCount(g),
          },
        ]
      : []),
    ...(['reached', 'onTrack', 'offTrack', 'overdue'] as const).map((k) => ({
      key: `targets-${k}`,
      label: t(`targets.${k}` as MessageKey),
      numeric: true,
      value: (g: ReportGroup) => g.targets[k],
    })),
    ...(['confirmed', 'disputed', 'unverified'] as const).map((v) => ({
      key: v,
      label: t(`verification.${v}` as MessageKey),
      numeric: true,
      value: (g: ReportGroup) => g.verification[v],
    })),
    {
      key: 'commitments',
      label: t('table.commitments'),
      value: (g) => g.financialCommitments.map((m) => `${m.currency} ${m.amount}`).join('; '),
      render: (g) => g.financialCommitments.map((m) => fmt.money(m.amount, m.currency)).join(' · '),
    },
  ];
}

function statusChart(groups: ReportGroup[], ui: Ui, dimension: Dimension) {
  const top = [...groups].sort((a, b) => b.pledges - a.pledges).slice(0, CHART_GROUPS);
  const name = (g: ReportGroup) => {
    const full = dimension === 'country' ? ui.fmt.country(g.key, g.label) : g.label;
    return full.length > 28 ? `${full.slice(0, 27)}…` : full;
  };
  return {
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: top.map(name) },
    series: STATUSES.map((s) => ({
      name: ui.t(`status.${s}` as MessageKey),
      type: 'bar',
      stack: 'status',
      itemStyle: { color: STATUS_COLOURS[s] },
      data: top.map((g) => g.byStatus[s]),
    })),
  };
}

function ReportSection({
  title,
  groups,
  dimension,
  csvName,
  testId,
  imported,
}: {
  title: string;
  groups: ReportGroup[];
  dimension: Dimension;
  csvName: string;
  testId: string;
  imported: boolean;
}) {
  const ui = useUi();
  const shown = Math.min(CHART_GROUPS, groups.length);
  return (
    <section class="card">
      <h2>{title}</h2>
      {groups.length > 0 && (
        <Chart
          label={ui.t('report.chart', { n: shown })}
          height={Math.max(160, 40 + shown * 26)}
          option={statusChart(groups, ui, dimension)}
        />
      )}
      <DataTable
        caption={title}
        columns={reportColumns(dimension, ui, imported)}
        rows={groups}
        csvName={csvName}
        testId={testId}
      />
    </section>
  );
}

export function ReportPage({ dimension, route }: { dimension: Dimension; route: Route }) {
  const ui = useUi();
  const { t } = ui;
  const filters = filtersOf(route.params);
  const key = `${dimension}:${JSON.stringify(filters)}`;
  const report = useData(key, (signal) => api.report(dimension, filters as Record<string, string>, signal));
  const reference = useReference();
  useLiveReload(
    (e) => !!e.pledgeId && e.logIndex >= (report.data?.log.treeSize ?? 0),
    report.reload,
    report.data,
  );
  const title = t(`report.${dimension}` as MessageKey);
  const suffix = Object.entries(filters)
    .map(([k, v]) => `${k}=${v}`)
    .join('-');
  const csvName = `pledges-by-${dimension}${suffix ? `-${suffix}` : ''}.csv`.replace(
    /[^A-Za-z0-9._=-]/g,
    '_',
  );

  let body;
  if (!report.data)
    body = report.error ? <ErrorNote error={report.error} retry={report.reload} /> : <Loading />;
  else if (dimension === 'action') {
    const imported = reportCountsImported(report.data);
    const frameworks = reference?.frameworks ?? [];
    const codes = [...new Set(report.data.groups.map((g) => g.key.split('/')[0]))];
    body = codes.map((code) => (
      <ReportSection
        key={code}
        title={t('report.framework', { name: frameworks.find((f) => f.code === code)?.name ?? code })}
        groups={report.data!.groups.filter((g) => g.key.startsWith(`${code}/`))}
        dimension={dimension}
        csvName={csvName.replace(/\.csv$/, `-${code}.csv`)}
        testId={`report-table-${code}`}
        imported={imported}
      />
    ));
  } else
    body = (
      <ReportSection
        title={title}
        groups={report.data.groups}
        dimension={dimension}
        csvName={csvName}
        testId="report-table"
        imported={reportCountsImported(report.data)}
      />
    );

  return (
    <div data-testid={`page-${dimension}`} data-ready={report.data ? 'true' : undefined}>
      <PageHeading title={`${title} · ${t('app.title')}`}>{title}</PageHeading>
      <FilterForm path={PATHS[dimension]} filters={filters} />
      {report.data && (
        <>
          <Freshness
            computedAt={report.data.computedAt}
            watermark={report.data.watermark}
            log={report.data.log}
            report={report.data}
          />
          {report.data.note && <p class="help">{report.data.note}</p>}
          <p class="help">
            <a href={`/reports/${dimension}${query(filters)}`}>{t('common.rawJson')}</a>
          </p>
        </>
      )}
      {body}
    </div>
  );
}
