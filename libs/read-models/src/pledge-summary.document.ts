import { progressClock, SummarisableState, withoutReportText } from '@ledger/domain';

/**
 * One pledge in the summary read model: its folded state (to apply the next event and to compute the
 * time-dependent summary, e.g. lapsed, at read time) plus the fields reports filter on. Nothing in it depends
 * on when it was written, so a rebuild from the log gives the same document.
 */
export interface PledgeSummaryDocument {
  _id: string;
  version: number;
  /** Without the text of its progress reports (the summary never reads it; the event store and the pledge's
   *  history have it): a pledge with many reports stays a small document, cheap to rewrite per event. */
  state: SummarisableState;
  actorId: string;
  actorType: string;
  actorCountry: string;
  countries: string[];
  regions: string[];
  global: boolean;
  frameworks: string[];
  actions: string[];
  status: 'active' | 'fulfilled' | 'withdrawn';
  submittedAt: string;
  /** The effective instant silence counts from (summary.progressClock): an active pledge whose clock is too
   *  old is lapsed. */
  progressClock: string;
  wateredDown: boolean;
  lastEventId: string;
  lastEventRecordedAt: string;
}

export function toSummaryDocument(
  state: SummarisableState,
  lastEvent: { eventId: string; recordedAt: string },
): PledgeSummaryDocument {
  const terms = state.terms!;
  return {
    _id: state.pledgeId!,
    version: state.version,
    state: withoutReportText(state),
    actorId: state.actor!.id,
    actorType: state.actor!.type,
    actorCountry: state.actor!.country,
    countries: terms.countries,
    regions: terms.regions,
    global: terms.global,
    frameworks: [...new Set(terms.actions.map((a) => a.framework))].sort(),
    actions: terms.actions.map((a) => `${a.framework}/${a.action}`).sort(),
    status: state.status === 'none' ? 'active' : state.status,
    submittedAt: state.submittedAt!,
    progressClock: progressClock(state),
    wateredDown: state.wateringDown.length > 0,
    lastEventId: lastEvent.eventId,
    lastEventRecordedAt: lastEvent.recordedAt,
  };
}
