import type { VNode } from 'preact';
import { api, History, Integrity, ListedPledge, RecordedEvent, Target, WateringDown } from '../api';
import { Chart } from '../chart';
import {
  ErrorNote,
  eventLabel,
  Freshness,
  ImportedMarker,
  Loading,
  PageHeading,
  StatusBadge,
  useData,
  VerificationBadge,
  WateredDownMarker,
} from '../components';
import { href, Ui, useUi } from '../context';
import type { MessageKey } from '../i18n';
import { useLiveReload } from '../live';
import {
  byEffectiveTime,
  ImportView,
  importOf,
  PledgeImport,
  pledgeImport,
  timesDiffer,
} from '../provenance';

interface PledgeData {
  summary: ListedPledge | null;
  history: History;
  integrity: Integrity;
  readAt: string;
}

async function loadPledge(id: string, signal: AbortSignal): Promise<PledgeData> {
  const [history, integrity, summary] = await Promise.all([
    api.history(id, signal),
    api.integrity(id, signal),
    // Not projected yet (just submitted): the event store's history is still the pledge.
    api.summary(id, signal).catch(() => null),
  ]);
  return { history, integrity, summary, readAt: new Date().toISOString() };
}

interface Point {
  reportId: string;
  asOf: string;
  value: number;
  corrected: boolean;
}

/**
 * Each target's reported values by effective date. A correction replaces the report it corrects, and a
 * correction of a correction the same original report (one point per report, as it stands now).
 */
export function progressSeries(events: RecordedEvent[]): Map<string, Point[]> {
  const reports = new Map<string, Point & { targetId: string }>();
  /** Which original report each correction's id stands for. */
  const original = new Map<string, string>();
  for (const e of events) {
    const p = e.payload as {
      reportId: string;
      targetId: string;
      value: number;
      asOf: string;
      correctsReportId?: string;
    };
    if (e.type === 'ProgressReported') reports.set(p.reportId, { ...p, corrected: false });
    if (e.type === 'ProgressCorrected' && p.correctsReportId) {
      const root = original.get(p.correctsReportId) ?? p.correctsReportId;
      original.set(p.reportId, root);
      reports.set(root, { ...p, reportId: root, corrected: true });
    }
  }
  const byTarget = new Map<string, Point[]>();
  for (const r of reports.values()) {
    const list = byTarget.get(r.targetId) ?? [];
    list.push({ reportId: r.reportId, asOf: r.asOf, value: r.value, corrected: r.corrected });
    byTarget.set(r.targetId, list);
  }
  for (const list of byTarget.values()) list.sort((a, b) => a.asOf.localeCompare(b.asOf));
  return byTarget;
}

type Flat = Record<string, string>;
function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length ? value.map(show).join(', ') : '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Field paths and values of a terms change; targets are keyed by their id, so a diff pairs the same target. */
export function flattenTerms(value: Record<string, unknown>): Flat {
  const flat: Flat = {};
  for (const [field, v] of Object.entries(value)) {
    if (field === 'targets' && Array.isArray(v)) {
      for (const target of v as Target[]) {
        for (const [k, tv] of Object.entries(target))
          if (k !== 'id') flat[`targets[${target.id}].${k}`] = show(tv);
      }
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, sub] of Object.entries(v)) flat[`${field}.${k}`] = show(sub);
    } else flat[field] = show(v);
  }
  return flat;
}

export function termsDiff(previous: Record<string, unknown>, changes: Record<string, unknown>) {
  const before = flattenTerms(previous);
  const after = flattenTerms(changes);
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return paths
    .filter((p) => before[p] !== after[p])
    .map((p) => ({ path: p, before: before[p] ?? '—', after: after[p] ?? '—' }));
}

function wateringDownText(w: WateringDown, ui: Ui): string {
  const key = `water.${w.kind}` as MessageKey;
  const params = { target: w.targetId ?? '', from: show(w.from), to: show(w.to), kind: w.kind };
  const text = ui.t(key, params);
  return text === key ? ui.t('water.other', params) : text;
}

function EventDetails({ event, ui }: { event: RecordedEvent; ui: Ui }): VNode | null {
  const { t, fmt } = ui;
  const p = event.payload as Record<string, unknown>;
  switch (event.type) {
    case 'PledgeSubmitted':
      return <p>{(p.terms as { title: string }).title}</p>;
    case 'ProgressReported':
    case 'ProgressCorrected':
      return (
        <div>
          <p>
            {event.type === 'ProgressCorrected'
              ? t('pledge.correction', {
                  report: String(p.correctsReportId).slice(0, 8),
                  value: fmt.num(p.value as number),
                  date: fmt.day(p.asOf as string),
                })
              : t('pledge.value', {
                  target: String(p.targetId),
                  value: fmt.num(p.value as number),
                  date: fmt.day(p.asOf as string),
                })}
          </p>
          {typeof p.narrative === 'string' && <p class="narrative">{p.narrative}</p>}
          {typeof p.reason === 'string' && <p>{t('pledge.reason', { reason: p.reason })}</p>}
          {Array.isArray(p.evidence) && p.evidence.length > 0 && (
            <ul class="evidence">
              {(p.evidence as string[]).map((url) => (
                <li key={url}>
                  {/^https?:\/\//.test(url) ? (
                    <a href={url} rel="nofollow noopener noreferrer">
                      {url}
                    </a>
                  ) : (
                    url
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      );
    case 'PledgeAmended': {
      const diff = termsDiff(
        (p.previous ?? {}) as Record<string, unknown>,
        (p.changes ?? {}) as Record<string, unknown>,
      );
      const findings = (p.wateringDown ?? []) as WateringDown[];
      return (
        <div>
          {typeof p.reason === 'string' && <p>{t('pledge.reason', { reason: p.reason })}</p>}
          {findings.length > 0 && (
            <div class="watering" data-testid="watering-down-findings">
              <WateredDownMarker />
              <ul>
                {findings.map((w, i) => (
                  <li key={i}>{wateringDownText(w, ui)}</li>
                ))}
              </ul>
            </div>
          )}
          <div
            class="table-scroll"
            tabIndex={0}
            role="region"
            aria-label={`${eventLabel(t, event.type)} v${event.version}`}
          >
            <table class="diff" data-testid="amendment-diff">
              <thead>
                <tr>
                  <th scope="col">{t('pledge.diffField')}</th>
                  <th scope="col">{t('pledge.diffBefore')}</th>
                  <th scope="col">{t('pledge.diffAfter')}</th>
                </tr>
              </thead>
              <tbody>
                {diff.map((d) => (
                  <tr key={d.path}>
                    <th scope="row">{d.path}</th>
                    <td>
                      <del>{d.before}</del>
                    </td>
                    <td>
                      <ins>{d.after}</ins>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      );
    }
    case 'VerificationRecorded':
      return (
        <p>
          <VerificationBadge value={String(p.outcome)} />{' '}
          {t('pledge.byPrincipal', { name: (p.verifier as { name: string }).name })}
          {typeof p.note === 'string' && <> — {p.note}</>}
        </p>
      );
    case 'PledgeWithdrawn':
      return <p>{t('pledge.reason', { reason: String(p.reason) })}</p>;
    case 'PledgeFulfilled':
      return <p>{t('pledge.note', { note: String(p.note) })}</p>;
    default:
      return null;
  }
}

const SOURCE_REL = 'noopener noreferrer nofollow';

/** A source's name, linked to it when it has an http(s) address. */
function SourceName({ name, url, testId }: { name: string; url: string | null; testId?: string }) {
  return url ? (
    <a href={url} rel={SOURCE_REL} data-testid={testId}>
      {name}
    </a>
  ) : (
    <span data-testid={testId}>{name}</span>
  );
}

/** The header's word on imported history: "Imported from <sources>", and how much of the history came in so. */
function ImportedFrom({ imports, ui }: { imports: PledgeImport; ui: Ui }) {
  const { rich, tn, fmt } = ui;
  const names = imports.sources.map((s) => s.name);
  const sources = fmt
    .listParts(names)
    .map((part, i) =>
      part.item === null ? (
        part.value
      ) : (
        <SourceName key={i} name={part.value} url={imports.sources[part.item]?.url ?? null} />
      ),
    );
  const parts: VNode[] = [];
  if (names.length > 0) parts.push(<span>{rich('pledge.importedFrom', { sources: <>{sources}</> })}</span>);
  // Without a source's name, the marker says it (unless the byline's already does: the submission was imported).
  else if (!imports.submissionImported) parts.push(<ImportedMarker />);
  if (imports.importedEvents > 0)
    parts.push(
      <span data-testid="imported-events">{tn('pledge.importedEvents', imports.importedEvents)}</span>,
    );
  if (parts.length === 0) return null;
  return (
    <p
      class="imported-from"
      data-testid="imported-from"
      data-submission-imported={String(imports.submissionImported)}
    >
      {parts.map((part, i) => (
        <span key={i}>
          {i > 0 && ' · '}
          {part}
        </span>
      ))}
    </p>
  );
}

/** Where an imported event came from: source (linked), its row, who wrote it there, who ran the import. */
function EventProvenance({ from, importer, ui }: { from: ImportView; importer: string; ui: Ui }) {
  const { t, rich, fmt } = ui;
  const parts: VNode[] = [
    <span data-testid="import-source">
      {rich('import.source', {
        source: <SourceName name={from.sourceName} url={from.sourceUrl} testId="import-source-name" />,
      })}
    </span>,
  ];
  if (from.retrievedOn) parts.push(<span>{t('import.retrieved', { date: fmt.day(from.retrievedOn) })}</span>);
  // A row number as the source's file numbers it: no grouping ("row 1204", not "row 1,204").
  if (from.row !== null)
    parts.push(<span data-testid="import-row">{t('import.row', { row: String(from.row) })}</span>);
  if (from.originalAuthor)
    parts.push(
      <span data-testid="original-author">{t('import.originalAuthor', { name: from.originalAuthor })}</span>,
    );
  parts.push(<span data-testid="importer">{t('import.importer', { name: importer })}</span>);
  return (
    <p class="provenance" data-testid="provenance" data-import-id={from.importId ?? undefined}>
      <ImportedMarker />{' '}
      {parts.map((part, i) => (
        <span key={i}>
          {i > 0 && ' · '}
          {part}
        </span>
      ))}
    </p>
  );
}

function TargetBlock({
  target,
  points,
  progress,
  ui,
}: {
  target: Target;
  points: Point[];
  progress?: ListedPledge['targets'][number];
  ui: Ui;
}) {
  const { t, fmt } = ui;
  const data = points.map((p) => [p.asOf, p.value]);
  // The axis spans the baseline and the target as well as the reports, so both lines are always in view.
  const values = [target.baseline, target.targetValue, ...points.map((p) => p.value)];
  const pad = (Math.max(...values) - Math.min(...values)) * 0.08 || 1;
  const low =
    Math.min(...values) >= 0
      ? Math.max(0, Math.floor(Math.min(...values) - pad))
      : Math.floor(Math.min(...values) - pad);
  return (
    <section class="card target" data-testid={`target-${target.id}`}>
      <h3>{target.indicator}</h3>
      <p>
        {t('pledge.target', {
          indicator: target.id,
          baseline: fmt.num(target.baseline),
          target: fmt.num(target.targetValue),
          unit: target.unit,
          deadline: fmt.day(target.deadline),
        })}
      </p>
      {progress && (
        <p class="badges">
          {progress.reached && <span class="badge status-fulfilled">{t('targets.reached')}</span>}
          {progress.overdue && <span class="badge overdue">{t('targets.overdue')}</span>}
          {!progress.reached && progress.onTrack === true && (
            <span class="badge on-track">{t('targets.onTrack')}</span>
          )}
          {!progress.reached && progress.onTrack === false && (
            <span class="badge off-track">{t('targets.offTrack')}</span>
          )}
        </p>
      )}
      {points.length === 0 ? (
        <p>{t('pledge.noProgress')}</p>
      ) : (
        <>
          <p>
            {t('pledge.latest', {
              value: fmt.num(points[points.length - 1].value),
              unit: target.unit,
              date: fmt.day(points[points.length - 1].asOf),
            })}
          </p>
          <Chart
            label={t('pledge.progressChart', { indicator: target.indicator })}
            height={220}
            option={{
              grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
              tooltip: { trigger: 'axis' },
              // From the first report to the deadline (or the last report, if later): how far there is to go.
              xAxis: {
                type: 'time',
                min: points[0].asOf,
                max: [target.deadline, points[points.length - 1].asOf].sort().at(-1),
              },
              yAxis: {
                type: 'value',
                min: low,
                max: Math.ceil(Math.max(...values) + pad),
              },
              series: [
                {
                  type: 'line',
                  name: target.indicator,
                  data,
                  symbolSize: 7,
                  itemStyle: { color: '#1f6fb2' },
                  markLine: {
                    symbol: 'none',
                    label: {
                      formatter: (p: { name: string; value: number }) =>
                        t('chart.label', { name: p.name, value: fmt.num(p.value) }),
                      color: '#1a1a1a',
                      position: 'insideEndTop',
                    },
                    data: [
                      { name: t('pledge.baseline'), yAxis: target.baseline, lineStyle: { color: '#6b6b6b' } },
                      {
                        name: t('pledge.targetLine'),
                        yAxis: target.targetValue,
                        lineStyle: { color: '#2e7d32' },
                      },
                    ],
                  },
                },
              ],
            }}
          />
        </>
      )}
    </section>
  );
}

export function PledgePage({ pledgeId }: { pledgeId: string }) {
  const ui = useUi();
  const { t, fmt } = ui;
  const loaded = useData(`pledge:${pledgeId}`, (signal) => loadPledge(pledgeId, signal));
  useLiveReload(
    (e) => e.pledgeId === pledgeId && !(loaded.data?.history.logIndexes ?? []).includes(e.logIndex),
    loaded.reload,
  );
  if (!loaded.data)
    return loaded.error ? (
      <ErrorNote error={loaded.error} retry={loaded.reload} heading={t('pledge.heading')} />
    ) : (
      <Loading />
    );
  const { history, integrity, summary, readAt } = loaded.data;
  const submitted = history.events.find((e) => e.type === 'PledgeSubmitted');
  const terms = summary?.terms ?? (submitted?.payload as { terms?: ListedPledge['terms'] })?.terms ?? null;
  const actor = summary?.actor ?? (submitted?.payload as { actor?: ListedPledge['actor'] })?.actor;
  const title = terms?.title ?? pledgeId;
  const series = progressSeries(history.events);
  const imports = pledgeImport(summary, history.events);
  // The two answers were read separately: they must describe the same chain, or the page says so.
  const last = history.events[history.events.length - 1];
  const consistent =
    integrity.eventsChecked === history.events.length &&
    (!integrity.headHash || integrity.headHash === last?.hash);
  const base = `/pledges/${encodeURIComponent(pledgeId)}`;

  return (
    <div data-testid="page-pledge" data-ready="true" data-version={history.version}>
      <PageHeading title={`${title} · ${t('app.title')}`}>{title}</PageHeading>
      <p class="byline">
        {actor && (
          <>
            {t('pledge.by', { actor: '' }).trim()}{' '}
            <a href={`#/actor/${encodeURIComponent(actor.id)}`}>{actor.name}</a>{' '}
          </>
        )}
        {summary && <StatusBadge status={summary.status} />}{' '}
        {summary && <VerificationBadge value={summary.verification} />}{' '}
        {summary?.wateredDown && <WateredDownMarker />} {imports?.submissionImported && <ImportedMarker />}
      </p>
      {imports && <ImportedFrom imports={imports} ui={ui} />}
      <Freshness summaryAsOf={summary?.lastEventRecordedAt} readAt={readAt} />

      <section
        class="card integrity"
        aria-labelledby="integrity-heading"
        data-testid="integrity"
        data-valid={String(integrity.valid)}
      >
        <h2 id="integrity-heading">{t('pledge.integrity')}</h2>
        <p class={integrity.valid ? 'ok' : 'broken'}>
          <span aria-hidden="true">{integrity.valid ? '✔ ' : '✖ '}</span>
          {integrity.valid
            ? t('pledge.chainValid', { n: integrity.eventsChecked })
            : t('pledge.chainBroken', { problem: JSON.stringify(integrity.firstBreak ?? integrity) })}
        </p>
        {integrity.valid && !consistent && (
          <p class="broken" role="alert" data-testid="integrity-mismatch">
            {t('pledge.chainMismatch', { n: integrity.eventsChecked, m: history.events.length })}
          </p>
        )}
        {integrity.headHash && (
          <p>
            {t('pledge.headHash')} <code class="hash">{integrity.headHash}</code>
          </p>
        )}
        <p>
          {t('pledge.logIndexes', {
            list: history.logIndexes.map((i) => (i === null ? '—' : String(i))).join(', '),
          })}
        </p>
        <p class="raw-links">
          {t('pledge.rawLinks')} <a href={base}>{t('pledge.heading')}</a> ·{' '}
          <a href={`${base}/history`}>history</a> · <a href={`${base}/integrity`}>integrity</a> ·{' '}
          <a href={`${base}/proof-bundle`}>proof-bundle</a> · <a href={`${base}/summary`}>summary</a>
        </p>
      </section>

      {terms && (
        <section class="card">
          <p class="description">{terms.description}</p>
          <dl class="facts">
            <dt>{t('pledge.scope')}</dt>
            <dd>
              {[
                ...(terms.global ? [t('pledge.global')] : []),
                ...terms.countries.map((c) => fmt.country(c)),
                ...terms.regions,
              ].join(', ') || '—'}
            </dd>
            <dt>{t('pledge.actions')}</dt>
            <dd>
              {terms.actions.map((a, i) => (
                <span key={i}>
                  {i > 0 && ', '}
                  <a
                    href={href('/pledges', { action: `${a.framework}/${a.action}` })}
                  >{`${a.framework}/${a.action}`}</a>
                </span>
              ))}
            </dd>
            {terms.financialCommitment && (
              <>
                <dt>{t('pledge.commitment')}</dt>
                <dd>{fmt.money(terms.financialCommitment.amount, terms.financialCommitment.currency)}</dd>
              </>
            )}
          </dl>
        </section>
      )}

      {terms && (
        <section aria-labelledby="targets-heading">
          <h2 id="targets-heading">{t('pledge.targets')}</h2>
          <div class="grid">
            {terms.targets.map((target) => (
              <TargetBlock
                key={target.id}
                target={target}
                points={series.get(target.id) ?? []}
                progress={summary?.targets.find((p) => p.targetId === target.id)}
                ui={ui}
              />
            ))}
          </div>
        </section>
      )}

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t('pledge.timeline')}</h2>
        <ol class="timeline" data-testid="timeline">
          {byEffectiveTime(history.events).map(({ event, index: i }) => {
            const watered =
              event.type === 'PledgeAmended' && ((event.payload.wateringDown as unknown[]) ?? []).length > 0;
            const from = importOf(event);
            const principal = event.principal.name ?? event.principal.id;
            const recorded = (
              <span data-testid="recorded-at">
                {t('pledge.recorded', { time: fmt.instant(event.recordedAt) })}
              </span>
            );
            return (
              <li
                key={event.eventId}
                class={`event event-${event.type}${watered ? ' event-watered' : ''}${from ? ' event-imported' : ''}`}
                data-type={event.type}
                data-version={event.version}
                data-occurred-at={event.occurredAt}
                data-imported={from ? 'true' : undefined}
              >
                <h3>
                  {eventLabel(t, event.type)} <span class="version">v{event.version}</span>
                </h3>
                {from && <EventProvenance from={from} importer={principal} ui={ui} />}
                <p class="when">
                  {/* When it happened, and (when that is another time, as for imported history) when recorded. */}
                  {from || timesDiffer(event) ? (
                    <>
                      <span data-testid="occurred-at">
                        {t('pledge.happened', { time: fmt.instant(event.occurredAt) })}
                      </span>{' '}
                      · {recorded}
                    </>
                  ) : (
                    recorded
                  )}
                  {!from && <> · {t('pledge.byPrincipal', { name: principal })}</>}
                </p>
                <EventDetails event={event} ui={ui} />
                <p class="hash-line">
                  <code class="hash" title={event.hash}>
                    {event.hash.slice(0, 16)}…
                  </code>{' '}
                  {history.logIndexes[i] !== null && history.logIndexes[i] !== undefined && (
                    <a href={`/log/proof/inclusion?index=${history.logIndexes[i]}`}>
                      log #{history.logIndexes[i]}
                    </a>
                  )}
                </p>
              </li>
            );
          })}
        </ol>
      </section>
    </div>
  );
}
