// Shared test data for pledge specs: readable defaults, overridable per test.
import { ActionCatalogue } from '../action-frameworks';
import type { Actor } from '../actor';
import type { DecisionContext, Principal } from '../decision-context';
import type { PledgeTerms, Target } from '../pledge-terms';
import type { PledgeEvent } from '../pledge.events';

export const PLEDGE_ID = '0b7c9f4e-3a57-4a1e-9a43-6d2f3c1e8b10';

export const NOW = new Date('2025-06-15T12:00:00.000Z');

export const SUBMITTED_AT = '2025-01-10T09:00:00.000Z';

export const ACTOR: Actor = {
  id: 'org-kenya-ict',
  name: 'Kenya ICT Authority',
  type: 'government',
  country: 'KE',
};

export const OTHER_ACTOR: Actor = {
  id: 'org-acme',
  name: 'Acme Telecom',
  type: 'private-sector',
  country: 'ZA',
};

export const ORGANISATION: Principal = {
  id: 'key-kenya-1',
  role: 'organisation',
  name: 'Kenya ICT',
  actor: ACTOR,
};

export const OTHER_ORGANISATION: Principal = {
  id: 'key-acme',
  role: 'organisation',
  name: 'Acme',
  actor: OTHER_ACTOR,
};

export const VERIFIER: Principal = { id: 'verifier-1', role: 'verifier', name: 'Independent Audit Ltd' };

export const ADMIN: Principal = { id: 'admin-1', role: 'admin', name: 'Ledger admin' };

export const catalogue = new ActionCatalogue();

export function context(principal: Principal = ORGANISATION, now: Date = NOW): DecisionContext {
  return { now, principal, catalogue };
}

/** An increase target: more women trained. */
export function aTarget(overrides: Partial<Target> = {}): Target {
  return {
    id: 'women-trained',
    indicator: 'Women completing digital skills training',
    unit: 'people',
    baseline: 0,
    targetValue: 10000,
    deadline: '2026-12-31',
    ...overrides,
  };
}

/** A reduction target: a gender gap in percentage points to cut. */
export function aReductionTarget(overrides: Partial<Target> = {}): Target {
  return {
    id: 'internet-gap',
    indicator: 'Gender gap in internet use',
    unit: 'percentage points',
    baseline: 20,
    targetValue: 10,
    deadline: '2027-12-31',
    ...overrides,
  };
}

export function someTerms(overrides: Partial<PledgeTerms> = {}): PledgeTerms {
  return {
    title: 'Close the digital skills gap for women in Kenya',
    description: 'Train ten thousand women in digital skills through county ICT hubs.',
    countries: ['KE'],
    regions: ['eastern-africa'],
    global: false,
    actions: [{ framework: 'wsis10-gender-gap', action: 'capacities' }],
    targets: [aTarget(), aReductionTarget()],
    financialCommitment: { amount: 2_000_000, currency: 'USD' },
    ...overrides,
  };
}

export function pledgeSubmitted(terms: PledgeTerms = someTerms(), submittedAt = SUBMITTED_AT): PledgeEvent {
  return { type: 'PledgeSubmitted', data: { pledgeId: PLEDGE_ID, actor: ACTOR, terms, submittedAt } };
}

export function progressReported(
  overrides: Partial<Extract<PledgeEvent, { type: 'ProgressReported' }>['data']> = {},
): PledgeEvent {
  return {
    type: 'ProgressReported',
    data: {
      pledgeId: PLEDGE_ID,
      reportId: 'report-1',
      targetId: 'women-trained',
      value: 2500,
      asOf: '2025-03-31',
      narrative: 'First cohorts trained in Nairobi and Kisumu.',
      evidence: ['https://example.org/reports/q1.pdf'],
      reportedAt: '2025-04-05T10:00:00.000Z',
      ...overrides,
    },
  };
}

export function progressCorrected(
  overrides: Partial<Extract<PledgeEvent, { type: 'ProgressCorrected' }>['data']> = {},
): PledgeEvent {
  return {
    type: 'ProgressCorrected',
    data: {
      pledgeId: PLEDGE_ID,
      reportId: 'report-1-fix',
      correctsReportId: 'report-1',
      targetId: 'women-trained',
      value: 2300,
      asOf: '2025-03-31',
      narrative: 'Recounted: 200 attendees did not finish the course.',
      evidence: [],
      reason: 'Double-counted dropouts',
      correctedAt: '2025-04-20T10:00:00.000Z',
      ...overrides,
    },
  };
}

export function verificationRecorded(
  overrides: Partial<Extract<PledgeEvent, { type: 'VerificationRecorded' }>['data']> = {},
): PledgeEvent {
  return {
    type: 'VerificationRecorded',
    data: {
      pledgeId: PLEDGE_ID,
      verificationId: 'verification-1',
      verifier: { id: VERIFIER.id, name: VERIFIER.name },
      outcome: 'confirmed',
      note: 'Checked against training registers.',
      recordedAt: '2025-05-01T08:00:00.000Z',
      ...overrides,
    },
  };
}

export function pledgeFulfilled(fulfilledAt = '2025-05-20T08:00:00.000Z'): PledgeEvent {
  return { type: 'PledgeFulfilled', data: { pledgeId: PLEDGE_ID, note: 'All targets met.', fulfilledAt } };
}

export function pledgeWithdrawn(withdrawnAt = '2025-05-20T08:00:00.000Z'): PledgeEvent {
  return { type: 'PledgeWithdrawn', data: { pledgeId: PLEDGE_ID, reason: 'Funding lost.', withdrawnAt } };
}
