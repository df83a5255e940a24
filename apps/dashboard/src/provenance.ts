/**
 * Imported history, as the pages show it. An event an import brought in carries a `provenance` (the import, its
 * source, the row, who wrote it there): its principal is whoever ran the import, its occurredAt when it happened
 * (possibly years before), its recordedAt when the ledger stored it. A pledge's summary says whether its
 * submission was imported and from which sources. Everything here reads what the API answered, and tolerates an
 * older API that says none of it (the page then shows no provenance, as before).
 */
import type { ImportedFrom, ListedPledge, Provenance, RecordedEvent, ReportGroup } from './api';

/** An absolute http(s) address, or null: a javascript:, data: or relative address is never made a link. */
export function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value.trim())) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** What a timeline shows of an imported event's provenance (each part null when the answer lacks it). */
export interface ImportView {
  importId: string | null;
  sourceName: string;
  /** Only an http(s) address. */
  sourceUrl: string | null;
  /** YYYY-MM-DD */
  retrievedOn: string | null;
  sourceRef: string | null;
  row: number | null;
  originalAuthor: string | null;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

/** The import an event came in through, or null for an event written to the ledger directly. */
export function importOf(event: Pick<RecordedEvent, 'provenance'>): ImportView | null {
  const p = event.provenance as Partial<ImportedFrom> | null | undefined;
  if (!p || typeof p !== 'object' || p.kind !== 'import') return null;
  const source: Partial<ImportedFrom['source']> = p.source && typeof p.source === 'object' ? p.source : {};
  return {
    importId: text(p.importId),
    sourceName: text(source.name) ?? text(p.sourceRef) ?? text(p.importId) ?? '—',
    sourceUrl: httpUrl(source.url),
    retrievedOn: text(source.retrievedOn),
    sourceRef: text(p.sourceRef),
    row: typeof p.row === 'number' && Number.isFinite(p.row) ? p.row : null,
    originalAuthor: text(p.originalAuthor),
  };
}

/** When an event took effect, in ms (its recording time if its occurredAt is unreadable; last if neither is). */
function effectiveMs(event: Pick<RecordedEvent, 'occurredAt' | 'recordedAt'>): number {
  for (const iso of [event.occurredAt, event.recordedAt]) {
    const ms = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
    if (!Number.isNaN(ms)) return ms;
  }
  return Number.POSITIVE_INFINITY;
}

/** Whether an event happened at another time than the ledger recorded it (a timeline then shows both). */
export function timesDiffer(event: Pick<RecordedEvent, 'occurredAt' | 'recordedAt'>): boolean {
  const occurred = Date.parse(event.occurredAt);
  const recorded = Date.parse(event.recordedAt);
  if (Number.isNaN(occurred) || Number.isNaN(recorded)) return event.occurredAt !== event.recordedAt;
  return occurred !== recorded;
}

/**
 * The events in the order a timeline places them: by effective time (occurredAt), the stream's order (version)
 * between equal times, each with its position in the history (which its log index has too). Events written
 * directly keep the stream's order (their occurredAt is their recording time, which never goes back); imported
 * history goes where it happened, before what the ledger recorded later about it.
 */
export function byEffectiveTime(events: readonly RecordedEvent[]): { event: RecordedEvent; index: number }[] {
  return events
    .map((event, index) => ({ event, index, at: effectiveMs(event) }))
    .sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? -1 : 1) || a.event.version - b.event.version)
    .map(({ event, index }) => ({ event, index }));
}

/** What a pledge page's header says of an import: its sources (linked when an event names an http(s) one). */
export interface PledgeImport {
  sources: { name: string; url: string | null }[];
  /** The events of the history shown that an import brought in. */
  importedEvents: number;
  /** The pledge itself was made elsewhere (its submission was imported), not only some of its history. */
  submissionImported: boolean;
}

type SummaryProvenance = Partial<Pick<ListedPledge, 'provenance' | 'importedEvents' | 'importSources'>>;

/**
 * Whether, and from where, a pledge's history was imported, or null when none of it was: the summary's word
 * (provenance 'imported', importedEvents above 0, importSources) and the history's own events, which may be
 * newer than the summary (or the only answer, before the pledge is projected).
 */
export function pledgeImport(
  summary: SummaryProvenance | null | undefined,
  events: readonly RecordedEvent[],
): PledgeImport | null {
  const imported = events.map((event) => ({ event, from: importOf(event) })).filter((e) => e.from !== null);
  const summarySays =
    !!summary &&
    (summary.provenance === 'imported' ||
      (typeof summary.importedEvents === 'number' && summary.importedEvents > 0));
  if (!summarySays && imported.length === 0) return null;
  const urls = new Map<string, string>();
  for (const { from } of imported)
    if (from!.sourceUrl && !urls.has(from!.sourceName)) urls.set(from!.sourceName, from!.sourceUrl);
  const listed = Array.isArray(summary?.importSources)
    ? summary!.importSources.filter((s): s is string => typeof s === 'string' && s !== '')
    : [];
  const names = [...new Set([...listed, ...imported.map(({ from }) => from!.sourceName)])];
  return {
    sources: names.map((name) => ({ name, url: urls.get(name) ?? null })),
    importedEvents: imported.length,
    submissionImported:
      summary?.provenance === 'imported' || imported.some(({ event }) => event.type === 'PledgeSubmitted'),
  };
}

/** A listed pledge's provenance, or undefined when the answer (an older API) does not say. */
export function provenanceOf(pledge: Partial<Pick<ListedPledge, 'provenance'>>): Provenance | undefined {
  return pledge.provenance === 'imported' || pledge.provenance === 'direct' ? pledge.provenance : undefined;
}

/** A report row's count of imported pledges, or undefined when the answer (an older API) has none. */
export function importedCount(group: ReportGroup | null | undefined): number | undefined {
  const value = (group as { imported?: unknown } | null | undefined)?.imported;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Whether a report's answer counts imported pledges (its totals or any of its rows). */
export function reportCountsImported(report: {
  totals?: ReportGroup | null;
  groups?: readonly ReportGroup[];
}): boolean {
  return (
    importedCount(report.totals) !== undefined ||
    (report.groups ?? []).some((g) => importedCount(g) !== undefined)
  );
}
