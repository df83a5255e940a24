import type { ComponentChildren, VNode } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { LogBinding, Report, Status, Watermark } from './api';
import { CsvCell, downloadCsv, toCsv } from './csv';
import { useUi } from './context';
import type { MessageKey } from './i18n';
import { useLiveFeed } from './live';

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads what a page shows; `key` names it (a new key loads afresh, dropping the old data). `reload` keeps what is
 * shown until the new answer arrives, so a live update does not blank the page.
 */
export function useData<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ key: string; data: T | null; error: Error | null; loading: boolean }>({
    key,
    data: null,
    error: null,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setState((s) =>
      s.key === key ? { ...s, loading: true } : { key, data: null, error: null, loading: true },
    );
    loader
      .current(controller.signal)
      .then((data) => setState({ key, data, error: null, loading: false }))
      .catch((error: Error) => {
        if (controller.signal.aborted) return;
        setState((s) => ({ key, data: s.key === key ? s.data : null, error, loading: false }));
      });
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current = state.key === key ? state : { data: null, error: null, loading: true };
  return { ...current, reload };
}

let firstPage = true;

/**
 * The page's main heading. When the reader moves to another page it takes the focus, so keyboard and
 * screen-reader users start there (on the first page the browser's own order applies: the skip link first).
 */
export function PageHeading({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = title;
  }, [title]);
  useEffect(() => {
    if (firstPage) firstPage = false;
    else ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} id="page-heading">
      {children}
    </h1>
  );
}

export function Loading() {
  const { t } = useUi();
  return (
    <p class="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

/** What went wrong loading a page; with `heading`, the page's heading too (a page that could not load has one). */
export function ErrorNote({ error, retry, heading }: { error: Error; retry: () => void; heading?: string }) {
  const { t } = useUi();
  return (
    <div class="error" role="alert">
      {heading && <PageHeading title={`${heading} · ${t('app.title')}`}>{heading}</PageHeading>}
      <p>{t('common.error', { message: error.message })}</p>
      <button type="button" onClick={retry}>
        {t('common.retry')}
      </button>
    </div>
  );
}

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useUi();
  return <span class={`badge status-${status}`}>{t(`status.${status}` as MessageKey)}</span>;
}

export function VerificationBadge({ value }: { value: string }) {
  const { t } = useUi();
  return <span class={`badge verification-${value}`}>{t(`verification.${value}` as MessageKey)}</span>;
}

export function WateredDownMarker({ title }: { title?: string }) {
  const { t } = useUi();
  return (
    <span class="badge watered-down" title={title} data-testid="watered-down">
      <span aria-hidden="true">▼ </span>
      {t('pledge.wateredDown')}
    </span>
  );
}

/** The mark of history brought in by an import (an event, or a pledge made elsewhere). */
export function ImportedMarker({ title }: { title?: string }) {
  const { t } = useUi();
  return (
    <span class="badge imported" title={title} data-testid="imported">
      {t('import.badge')}
    </span>
  );
}

/** What the shown data reflects and when it was computed: on every page, next to the data. */
export function Freshness({
  computedAt,
  summaryAsOf,
  watermark,
  log,
  report,
  readAt,
}: {
  computedAt?: string;
  summaryAsOf?: string;
  watermark?: Watermark;
  log?: LogBinding;
  report?: Pick<Report, 'source' | 'validUntil'>;
  readAt?: string;
}) {
  const { t, fmt } = useUi();
  return (
    <aside class="freshness" aria-label={t('fresh.label')} data-testid="freshness">
      <ul>
        {computedAt && (
          <li data-testid="computed-at">{t('fresh.computedAt', { time: fmt.instant(computedAt) })}</li>
        )}
        {summaryAsOf && (
          <li data-testid="computed-at">{t('fresh.summaryAsOf', { time: fmt.instant(summaryAsOf) })}</li>
        )}
        {readAt && <li>{t('fresh.readAt', { time: fmt.instant(readAt) })}</li>}
        {watermark && (
          <li data-testid="watermark">
            {t('fresh.watermark', {
              time: fmt.instant(watermark.lastEventRecordedAt),
              n: watermark.eventsApplied,
            })}
          </li>
        )}
        {report && (
          <li>
            {report.source === 'snapshot' && report.validUntil
              ? t('fresh.source.snapshot', { time: fmt.instant(report.validUntil) })
              : t('fresh.source.computed')}
          </li>
        )}
        {log && (
          <li>
            {t('fresh.log', { n: log.treeSize, m: log.checkpoint?.treeSize ?? 0 })}{' '}
            <a href="/log/checkpoint">{t('common.rawJson')}</a>
          </li>
        )}
      </ul>
    </aside>
  );
}

export interface Column<T> {
  key: string;
  label: string;
  numeric?: boolean;
  /** What the cell shows (defaults to the CSV value, formatted for the reader when it is a number). */
  render?: (row: T) => VNode | string;
  /** The cell's value in the CSV: the same figure the cell shows, unformatted. */
  value: (row: T) => CsvCell;
}

/** A table whose CSV download is built from the same rows and columns, so the file is exactly what is shown. */
export function DataTable<T>({
  caption,
  columns,
  rows,
  csvName,
  testId,
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  csvName: string;
  testId?: string;
}) {
  const { t, fmt } = useUi();
  const download = () =>
    downloadCsv(
      csvName,
      toCsv(
        columns.map((c) => c.label),
        rows.map((row) => columns.map((c) => c.value(row))),
      ),
    );
  return (
    <div class="table-block">
      <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table data-testid={testId}>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" class={c.numeric ? 'num' : undefined} key={c.key}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {columns.map((c, j) => {
                  const value = c.value(row);
                  const content = c.render
                    ? c.render(row)
                    : typeof value === 'number'
                      ? fmt.num(value)
                      : (value ?? '');
                  return j === 0 ? (
                    <th scope="row" key={c.key} class={c.numeric ? 'num' : undefined} data-col={c.key}>
                      {content}
                    </th>
                  ) : (
                    <td key={c.key} class={c.numeric ? 'num' : undefined} data-col={c.key}>
                      {content}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" class="csv" onClick={download} data-testid="download-csv">
        {t('common.downloadCsv')}
      </button>
    </div>
  );
}

/** Whether live updates flow, and (politely) the latest event, for screen readers too. */
export function LiveStatus() {
  const { t } = useUi();
  const { state, recent } = useLiveFeed();
  const label =
    state === 'open' ? t('live.connected') : state === 'offline' ? t('live.offline') : t('live.connecting');
  return (
    <div class={`live live-${state}`} data-testid="live-status" data-state={state}>
      <span class="dot" aria-hidden="true" /> {label}
      <span class="visually-hidden" aria-live="polite">
        {recent[0] ? t('live.announce', { type: eventLabel(t, recent[0].type) }) : ''}
      </span>
    </div>
  );
}

export function eventLabel(
  t: (key: MessageKey, params?: Record<string, string>) => string,
  type: string,
): string {
  const key = `event.${type}` as MessageKey;
  const text = t(key);
  return text === key ? t('event.other', { type }) : text;
}

/** The latest events, as the live stream delivers them. */
export function RecentEvents() {
  const { t, fmt } = useUi();
  const { recent } = useLiveFeed();
  return (
    <section class="card recent" aria-labelledby="recent-heading">
      <h2 id="recent-heading">{t('live.recent')}</h2>
      {recent.length === 0 ? (
        <p>{t('live.empty')}</p>
      ) : (
        <ol data-testid="recent-events">
          {recent.map((e) => (
            <li key={e.logIndex} data-log-index={e.logIndex}>
              {e.pledgeId ? (
                <a href={`#/pledge/${e.pledgeId}`}>
                  <strong>{eventLabel(t, e.type)}</strong>
                  {e.principal.name ? ` · ${e.principal.name}` : ''}
                </a>
              ) : (
                <strong>{eventLabel(t, e.type)}</strong>
              )}{' '}
              · {fmt.instant(e.recordedAt)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
