import type { ActionRef } from './action-frameworks';
import type { Money } from './money';

/** A measurable promise: move `indicator` from `baseline` to `targetValue` by `deadline`. */
export interface Target {
  /** Chosen by the pledging organisation, unique within the pledge; progress reports refer to it. */
  id: string;
  indicator: string;
  unit: string;
  baseline: number;
  /** Below the baseline for a reduction target (e.g. closing a gap), above it otherwise; never equal. */
  targetValue: number;
  /** YYYY-MM-DD */
  deadline: string;
}

export const TARGET_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export interface PledgeTerms {
  title: string;
  description: string;
  /** ISO 3166-1 alpha-2, uppercase, no duplicates. */
  countries: string[];
  /** Slugs from REGIONS, no duplicates. */
  regions: string[];
  global: boolean;
  actions: ActionRef[];
  targets: Target[];
  financialCommitment?: Money;
}

/**
 * What an amendment changes. `financialCommitment: null` removes the commitment: JSON (and so the HTTP body,
 * MongoDB and the event hash) cannot carry `undefined`. In a recorded PledgeAmended, `previous` uses the same
 * null for "there was none".
 */
export type PledgeTermsChanges = Partial<Omit<PledgeTerms, 'financialCommitment'>> & {
  financialCommitment?: Money | null;
};

export const PLEDGE_TERMS_KEYS: readonly (keyof PledgeTerms)[] = Object.freeze([
  'title',
  'description',
  'countries',
  'regions',
  'global',
  'actions',
  'targets',
  'financialCommitment',
] as const);

/** The terms after an amendment; the one way to apply `changes`, for the aggregate and for projections. */
export function applyTermsChanges(terms: PledgeTerms, changes: PledgeTermsChanges): PledgeTerms {
  const { financialCommitment, ...rest } = changes;
  const next: PledgeTerms = { ...terms };
  for (const key of PLEDGE_TERMS_KEYS) {
    if (key !== 'financialCommitment' && key in rest && rest[key] !== undefined) {
      Object.assign(next, { [key]: rest[key] });
    }
  }
  if (financialCommitment === null) delete next.financialCommitment;
  else if (financialCommitment !== undefined) next.financialCommitment = financialCommitment;
  return next;
}

/** A reduction target promises to bring the indicator down (e.g. a gender gap in percentage points). */
export function isReductionTarget(target: Pick<Target, 'baseline' | 'targetValue'>): boolean {
  return target.targetValue < target.baseline;
}
