import { isDeepStrictEqual } from 'node:util';
import { calendarDateOf } from './calendar-date';
import type { DecisionContext, Principal } from './decision-context';
import { DomainError, DomainErrorCode } from './domain-error';
import {
  calendarDate,
  evidenceLinks,
  measure,
  identifier,
  isRecord,
  optionalText,
  requiredText,
} from './field-checks';
import {
  applyTermsChanges,
  PLEDGE_TERMS_KEYS,
  type PledgeTerms,
  type PledgeTermsChanges,
} from './pledge-terms';
import { validatePledgeTerms } from './pledge-terms.validate';
import type {
  AmendPledge,
  CorrectProgress,
  FulfilPledge,
  PledgeCommand,
  RecordVerification,
  ReportProgress,
  SubmitPledge,
  WithdrawPledge,
} from './pledge.commands';
import type { PledgeEvent } from './pledge.events';
import { isClosed, type PledgeState } from './pledge.state';
import { findWateringDown } from './watering-down';

const { InvalidCommand } = DomainErrorCode;

/**
 * Decides which events a command causes on a pledge, or throws a DomainError naming the broken rule.
 * Pure: time, caller and reference data come from `ctx`, so the same inputs always give the same events.
 * Checks run in this order: caller's role, pledge existence, ownership, lifecycle, then the command's fields.
 */
export function decide(command: PledgeCommand, state: PledgeState, ctx: DecisionContext): PledgeEvent[] {
  if (state.exists && state.pledgeId !== command.pledgeId) {
    // A wiring bug, not a user error: never let events of one pledge land in another's stream.
    throw new Error(
      `Command for pledge ${command.pledgeId} decided on the state of pledge ${state.pledgeId}`,
    );
  }
  switch (command.type) {
    case 'SubmitPledge':
      return [submit(command, state, ctx)];
    case 'AmendPledge':
      return [amend(command, state, ctx)];
    case 'ReportProgress':
      return [reportProgress(command, state, ctx)];
    case 'CorrectProgress':
      return [correctProgress(command, state, ctx)];
    case 'FulfilPledge':
      return [fulfil(command, state, ctx)];
    case 'WithdrawPledge':
      return [withdraw(command, state, ctx)];
    case 'RecordVerification':
      return [recordVerification(command, state, ctx)];
    default: {
      const unknown: never = command;
      throw new DomainError(
        InvalidCommand,
        `Unknown command ${JSON.stringify((unknown as { type?: unknown }).type)}`,
      );
    }
  }
}

function submit(command: SubmitPledge, state: PledgeState, ctx: DecisionContext): PledgeEvent {
  const actor = requireOrganisation(ctx.principal).actor;
  if (state.exists) {
    throw new DomainError(DomainErrorCode.PledgeAlreadyExists, `Pledge ${command.pledgeId} already exists`);
  }
  const pledgeId = identifier(command.pledgeId, 'pledgeId');
  const terms = validatePledgeTerms(command.terms, ctx.catalogue, 'terms');
  return {
    type: 'PledgeSubmitted',
    data: {
      pledgeId,
      // Copied field by field so nothing but the actor's identity is recorded.
      actor: { id: actor.id, name: actor.name, type: actor.type, country: actor.country },
      terms,
      submittedAt: ctx.now.toISOString(),
    },
  };
}

function amend(command: AmendPledge, state: PledgeState, ctx: DecisionContext): PledgeEvent {
  const current = requireOwnedOpenPledge(command.pledgeId, state, ctx);
  const reason = requiredText(command.reason, 'reason', InvalidCommand);
  if (!isRecord(command.changes)) {
    throw new DomainError(InvalidCommand, 'changes must be an object of pledge terms', 'changes');
  }
  const proposed = validatePledgeTerms(
    applyTermsChanges(current, command.changes as PledgeTermsChanges),
    ctx.catalogue,
    'changes',
  );

  const changed = PLEDGE_TERMS_KEYS.filter((key) => !isDeepStrictEqual(current[key], proposed[key]));
  if (changed.length === 0) {
    throw new DomainError(
      DomainErrorCode.NoChange,
      'The amendment changes nothing in the pledge terms',
      'changes',
    );
  }
  guardHistory(current, proposed, state);

  const previous: PledgeTermsChanges = {};
  const changes: PledgeTermsChanges = {};
  for (const key of changed) {
    Object.assign(previous, { [key]: current[key] ?? null });
    Object.assign(changes, { [key]: proposed[key] ?? null });
  }
  return {
    type: 'PledgeAmended',
    data: {
      pledgeId: command.pledgeId,
      reason,
      previous,
      changes,
      wateringDown: findWateringDown(current, proposed),
      amendedAt: ctx.now.toISOString(),
    },
  };
}

/** Amendments cannot rewrite history: a target with progress reports keeps existing and keeps its unit. */
function guardHistory(current: PledgeTerms, proposed: PledgeTerms, state: PledgeState): void {
  const reported = new Set(state.progressReports.map((report) => report.targetId));
  for (const target of current.targets) {
    if (!reported.has(target.id)) continue;
    const index = proposed.targets.findIndex((candidate) => candidate.id === target.id);
    if (index < 0) {
      throw new DomainError(
        DomainErrorCode.HistoryRewrite,
        `Target "${target.id}" has progress reports and cannot be dropped`,
        'changes.targets',
      );
    }
    if (proposed.targets[index].unit !== target.unit) {
      throw new DomainError(
        DomainErrorCode.HistoryRewrite,
        `Target "${target.id}" has progress reports in "${target.unit}"; its unit cannot change`,
        `changes.targets[${index}].unit`,
      );
    }
  }
}

function reportProgress(command: ReportProgress, state: PledgeState, ctx: DecisionContext): PledgeEvent {
  const terms = requireOwnedOpenPledge(command.pledgeId, state, ctx);
  const reportId = newReportId(command.reportId, state);
  const targetId = command.targetId;
  if (!terms.targets.some((target) => target.id === targetId)) {
    throw new DomainError(
      DomainErrorCode.UnknownTarget,
      `Pledge ${command.pledgeId} has no target ${JSON.stringify(targetId)}`,
      'targetId',
    );
  }
  const measurement = validMeasurement(command, ctx);
  return {
    type: 'ProgressReported',
    data: {
      pledgeId: command.pledgeId,
      reportId,
      targetId,
      ...measurement,
      reportedAt: ctx.now.toISOString(),
    },
  };
}

function correctProgress(command: CorrectProgress, state: PledgeState, ctx: DecisionContext): PledgeEvent {
  requireOwnedOpenPledge(command.pledgeId, state, ctx);
  const original = state.progressReports.find((report) => report.reportId === command.correctsReportId);
  if (!original) {
    throw new DomainError(
      DomainErrorCode.UnknownProgressReport,
      `Pledge ${command.pledgeId} has no progress report ${JSON.stringify(command.correctsReportId)}`,
      'correctsReportId',
    );
  }
  if (original.supersededBy !== undefined) {
    throw new DomainError(
      DomainErrorCode.ProgressAlreadyCorrected,
      `Progress report ${original.reportId} was already corrected by ${original.supersededBy}; correct that one`,
      'correctsReportId',
    );
  }
  const reportId = newReportId(command.reportId, state);
  const reason = requiredText(command.reason, 'reason', InvalidCommand);
  const measurement = validMeasurement(command, ctx);
  return {
    type: 'ProgressCorrected',
    data: {
      pledgeId: command.pledgeId,
      reportId,
      correctsReportId: original.reportId,
      // A correction fixes a measurement of the same target; it never moves it to another.
      targetId: original.targetId,
      ...measurement,
      reason,
      correctedAt: ctx.now.toISOString(),
    },
  };
}

function fulfil(command: FulfilPledge, state: PledgeState, ctx: DecisionContext): PledgeEvent {
  requireOwnedOpenPledge(command.pledgeId, state, ctx);
  return {
    type: 'PledgeFulfilled',
    data: {
      pledgeId: command.pledgeId,
      note: optionalText(command.note, 'note', InvalidCommand),
      fulfilledAt: ctx.now.toISOString(),
    },
  };
}

function withdraw(command: WithdrawPledge, state: PledgeState, ctx: DecisionContext): PledgeEvent {
  requireOwnedOpenPledge(command.pledgeId, state, ctx);
  return {
    type: 'PledgeWithdrawn',
    data: {
      pledgeId: command.pledgeId,
      reason: requiredText(command.reason, 'reason', InvalidCommand),
      withdrawnAt: ctx.now.toISOString(),
    },
  };
}

function recordVerification(
  command: RecordVerification,
  state: PledgeState,
  ctx: DecisionContext,
): PledgeEvent {
  const { principal } = ctx;
  if (principal.role !== 'verifier') {
    throw new DomainError(
      DomainErrorCode.RoleNotAllowed,
      `Only a verifier may record a verification; caller's role is ${principal.role}`,
    );
  }
  // Auditing goes on after a pledge closes, so a fulfilled or withdrawn pledge is still verifiable.
  requireExisting(command.pledgeId, state);
  const verificationId = identifier(command.verificationId, 'verificationId');
  if (state.verifications.some((verification) => verification.verificationId === verificationId)) {
    throw new DomainError(
      DomainErrorCode.DuplicateVerification,
      `Verification ${verificationId} is already recorded on pledge ${command.pledgeId}`,
      'verificationId',
    );
  }
  if (command.outcome !== 'confirmed' && command.outcome !== 'disputed') {
    throw new DomainError(InvalidCommand, `outcome must be "confirmed" or "disputed"`, 'outcome');
  }
  // A dispute without its grounds helps nobody; a confirmation may speak for itself.
  const note =
    command.outcome === 'disputed'
      ? requiredText(command.note, 'note', InvalidCommand)
      : optionalText(command.note, 'note', InvalidCommand);
  const reportId = command.reportId ?? undefined;
  if (reportId !== undefined && !state.progressReports.some((report) => report.reportId === reportId)) {
    throw new DomainError(
      DomainErrorCode.UnknownProgressReport,
      `Pledge ${command.pledgeId} has no progress report ${JSON.stringify(reportId)}`,
      'reportId',
    );
  }
  return {
    type: 'VerificationRecorded',
    data: {
      pledgeId: command.pledgeId,
      verificationId,
      verifier: { id: principal.id, name: principal.name },
      outcome: command.outcome,
      note,
      ...(reportId !== undefined ? { reportId } : {}),
      recordedAt: ctx.now.toISOString(),
    },
  };
}

// --- shared guards ---

function requireOrganisation(principal: Principal): Principal & { actor: NonNullable<Principal['actor']> } {
  if (principal.role !== 'organisation' || !principal.actor) {
    throw new DomainError(
      DomainErrorCode.RoleNotAllowed,
      principal.role === 'organisation'
        ? 'The caller is an organisation without an actor profile and cannot write pledges'
        : `Only an organisation may write pledges and progress; caller's role is ${principal.role}`,
    );
  }
  return principal as Principal & { actor: NonNullable<Principal['actor']> };
}

function requireExisting(pledgeId: string, state: PledgeState): PledgeTerms {
  if (!state.exists || !state.terms) {
    throw new DomainError(DomainErrorCode.PledgeNotFound, `Pledge ${pledgeId} does not exist`);
  }
  return state.terms;
}

/** The caller must be the organisation that made the pledge, and the pledge must still be active. */
function requireOwnedOpenPledge(pledgeId: string, state: PledgeState, ctx: DecisionContext): PledgeTerms {
  const { actor } = requireOrganisation(ctx.principal);
  const terms = requireExisting(pledgeId, state);
  if (state.actor?.id !== actor.id) {
    throw new DomainError(
      DomainErrorCode.NotPledgeOwner,
      `Pledge ${pledgeId} belongs to another actor; only its own organisation may change it`,
    );
  }
  if (isClosed(state)) {
    throw new DomainError(
      DomainErrorCode.PledgeClosed,
      `Pledge ${pledgeId} is ${state.status} and accepts no changes`,
    );
  }
  return terms;
}

function newReportId(value: unknown, state: PledgeState): string {
  const reportId = identifier(value, 'reportId');
  if (state.progressReports.some((report) => report.reportId === reportId)) {
    throw new DomainError(
      DomainErrorCode.DuplicateProgressReport,
      `Progress report ${reportId} is already recorded`,
      'reportId',
    );
  }
  return reportId;
}

function validMeasurement(command: ReportProgress | CorrectProgress, ctx: DecisionContext) {
  const value = measure(command.value, 'value', InvalidCommand);
  const asOf = calendarDate(command.asOf, 'asOf', InvalidCommand);
  const today = calendarDateOf(ctx.now);
  if (asOf > today) {
    throw new DomainError(
      DomainErrorCode.AsOfInFuture,
      `asOf ${asOf} is after today (${today}, UTC); progress can only be reported as of a past date`,
      'asOf',
    );
  }
  return {
    value,
    asOf,
    narrative: optionalText(command.narrative, 'narrative', InvalidCommand),
    evidence: evidenceLinks(command.evidence, 'evidence'),
  };
}
