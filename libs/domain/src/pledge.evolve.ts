import { applyTermsChanges } from './pledge-terms';
import type { PledgeEvent } from './pledge.events';
import { initialPledgeState, type PledgeState, type ProgressReportState } from './pledge.state';

/**
 * Folds one recorded event into the state. Pure, and it never throws: recorded history is the truth, so an
 * event the rules would refuse today is still applied as well as it can be.
 */
export function evolve(state: PledgeState, event: PledgeEvent): PledgeState {
  const next = apply(state, event);
  if (!event.provenance) return { ...next, version: state.version + 1 };
  const sources = state.importSources ?? [];
  const name = event.provenance.source?.name;
  return {
    ...next,
    version: state.version + 1,
    importedEvents: (state.importedEvents ?? 0) + 1,
    importSources: typeof name === 'string' && !sources.includes(name) ? [...sources, name] : sources,
    importedSubmission: (state.importedSubmission ?? false) || event.type === 'PledgeSubmitted',
  };
}

export function foldPledge(events: readonly PledgeEvent[]): PledgeState {
  return events.reduce(evolve, initialPledgeState);
}

function apply(state: PledgeState, event: PledgeEvent): PledgeState {
  switch (event.type) {
    case 'PledgeSubmitted': {
      const { pledgeId, actor, terms, submittedAt } = event.data;
      return {
        ...state,
        exists: true,
        pledgeId,
        status: 'active',
        actor,
        terms,
        submittedAt,
        targetsSince: Object.fromEntries((terms?.targets ?? []).map((target) => [target.id, submittedAt])),
      };
    }
    case 'PledgeAmended': {
      const { changes, wateringDown, amendedAt } = event.data;
      const terms = state.terms && applyTermsChanges(state.terms, changes ?? {});
      return {
        ...state,
        terms,
        targetsSince: terms
          ? Object.fromEntries(terms.targets.map((t) => [t.id, state.targetsSince[t.id] ?? amendedAt]))
          : state.targetsSince,
        amendments: state.amendments + 1,
        lastAmendedAt: amendedAt,
        wateringDown: [...state.wateringDown, ...(wateringDown ?? [])],
      };
    }
    case 'ProgressReported': {
      const { reportId, targetId, value, asOf, narrative, evidence, reportedAt } = event.data;
      const report: ProgressReportState = {
        reportId,
        targetId,
        value,
        asOf,
        narrative,
        evidence,
        recordedAt: reportedAt,
      };
      return { ...state, progressReports: [...state.progressReports, report] };
    }
    case 'ProgressCorrected': {
      const { reportId, correctsReportId, targetId, value, asOf, narrative, evidence, reason, correctedAt } =
        event.data;
      const correction: ProgressReportState = {
        reportId,
        targetId,
        value,
        asOf,
        narrative,
        evidence,
        recordedAt: correctedAt,
        corrects: correctsReportId,
        correctionReason: reason,
      };
      const reports = state.progressReports.map((report) =>
        report.reportId === correctsReportId ? { ...report, supersededBy: reportId } : report,
      );
      return { ...state, progressReports: [...reports, correction] };
    }
    case 'PledgeFulfilled':
      return {
        ...state,
        status: 'fulfilled',
        fulfilledAt: event.data.fulfilledAt,
        fulfilmentNote: event.data.note,
      };
    case 'PledgeWithdrawn':
      return {
        ...state,
        status: 'withdrawn',
        withdrawnAt: event.data.withdrawnAt,
        withdrawalReason: event.data.reason,
      };
    case 'VerificationRecorded': {
      const { verificationId, verifier, outcome, note, reportId, recordedAt } = event.data;
      const verification = {
        verificationId,
        verifier,
        outcome,
        note,
        ...(reportId !== undefined ? { reportId } : {}),
        recordedAt,
      };
      return { ...state, verifications: [...state.verifications, verification] };
    }
    default:
      // An event type this code does not know (e.g. from a newer writer) changes nothing here.
      return state;
  }
}
