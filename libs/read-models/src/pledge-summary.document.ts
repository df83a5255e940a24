import { progressClock, SummarisableState, withoutReportText } from '@ledger/domain';

/** How a pledge came into the ledger: through an import of earlier records, or submitted through the API. */
export type PledgeProvenance = 'imported' | 'direct';

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
  /** 'imported': the submission came in through an import (state.importedSubmission); set by the submission,
   *  so it never changes afterwards. Absent on documents written before it existed: see provenanceOf. */
  provenance: PledgeProvenance;
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
    provenance: state.importedSubmission ? 'imported' : 'direct',
    lastEventId: lastEvent.eventId,
    lastEventRecordedAt: lastEvent.recordedAt,
  };
}

/**
 * A stored summary's provenance. A document written before the field existed has none: its state says (the
 * fold has tallied imports since before the field), and a state without the tally is of a direct pledge.
 */
export function provenanceOf(doc: {
  provenance?: PledgeProvenance;
  state?: Pick<SummarisableState, 'importedSubmission'>;
}): PledgeProvenance {
  return doc.provenance ?? (doc.state?.importedSubmission ? 'imported' : 'direct');
}
