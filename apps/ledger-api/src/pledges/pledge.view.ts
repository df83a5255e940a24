import {
  PledgeState,
  summarisePledge,
  PledgeSummary,
  ProgressReportState,
  VerificationState,
} from '@ledger/domain';
import { RecordedEvent } from '@ledger/event-store';

export interface PledgeView extends PledgeSummary {
  progressReports: ProgressReportState[];
  verifications: VerificationState[];
  fulfilmentNote?: string;
  withdrawalReason?: string;
}

export function pledgeView(state: PledgeState, now: Date, lapseAfterDays: number): PledgeView {
  return {
    ...summarisePledge(state, { now, lapseAfterDays }),
    progressReports: state.progressReports,
    verifications: state.verifications,
    ...(state.fulfilmentNote !== undefined ? { fulfilmentNote: state.fulfilmentNote } : {}),
    ...(state.withdrawalReason !== undefined ? { withdrawalReason: state.withdrawalReason } : {}),
  };
}

/**
 * What a write answers: the events it recorded (envelope, hash and payload, e.g. a new report's id) and the
 * pledge's summary after them. Not the whole history (GET /pledges/:id has it): an answer, and the
 * idempotency record that keeps it for retries, stay small however many reports the pledge has.
 */
export function writeResult(
  state: PledgeState,
  recorded: RecordedEvent[],
  now: Date,
  lapseAfterDays: number,
) {
  return {
    pledgeId: state.pledgeId!,
    version: state.version,
    recorded: recorded.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      version: e.version,
      recordedAt: e.recordedAt,
      hash: e.hash,
      payload: e.payload,
    })),
    pledge: summarisePledge(state, { now, lapseAfterDays }),
  };
}

export function etagOf(version: number): string {
  return `"${version}"`;
}
