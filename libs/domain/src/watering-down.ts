import { isReductionTarget, type PledgeTerms } from './pledge-terms';

// Watering-down is a first-class fact (DESIGN.md §2): an amendment that makes a promise smaller or later is
// flagged in the event itself, so every reader and report sees it without re-deriving it.

export type WateringDownKind =
  | 'target-lowered'
  | 'deadline-postponed'
  | 'financial-commitment-cut'
  | 'target-dropped'
  | 'currency-changed';

export interface WateringDownFinding {
  kind: WateringDownKind;
  /** Set for the target kinds. */
  targetId?: string;
  /** target value, deadline, amount or currency before the amendment */
  from: number | string;
  /** ... and after; null when the target or the financial commitment was removed */
  to: number | string | null;
}

/**
 * Compares terms before and after an amendment, in the order of `before`'s targets, then money.
 * Targets are matched by id. "Lower" follows the target's direction: for a reduction target (target value
 * below baseline, e.g. a gap to cut) a RAISED target value is the ambition cut. Values are compared only
 * while the unit stays the same, as across units they are not comparable. Amounts are compared only in the
 * same currency; a currency change is flagged for a human to judge, since no exchange rate is at hand.
 */
export function findWateringDown(before: PledgeTerms, after: PledgeTerms): WateringDownFinding[] {
  const findings: WateringDownFinding[] = [];
  const afterTargets = new Map(after.targets.map((target) => [target.id, target]));

  for (const old of before.targets) {
    const next = afterTargets.get(old.id);
    if (!next) {
      findings.push({ kind: 'target-dropped', targetId: old.id, from: old.targetValue, to: null });
      continue;
    }
    const lowered = isReductionTarget(old)
      ? next.targetValue > old.targetValue
      : next.targetValue < old.targetValue;
    if (next.unit === old.unit && lowered) {
      findings.push({
        kind: 'target-lowered',
        targetId: old.id,
        from: old.targetValue,
        to: next.targetValue,
      });
    }
    // YYYY-MM-DD strings order like the dates they name.
    if (next.deadline > old.deadline) {
      findings.push({ kind: 'deadline-postponed', targetId: old.id, from: old.deadline, to: next.deadline });
    }
  }

  const oldMoney = before.financialCommitment;
  const newMoney = after.financialCommitment;
  if (oldMoney && !newMoney) {
    findings.push({ kind: 'financial-commitment-cut', from: oldMoney.amount, to: null });
  } else if (oldMoney && newMoney && newMoney.currency !== oldMoney.currency) {
    findings.push({ kind: 'currency-changed', from: oldMoney.currency, to: newMoney.currency });
  } else if (oldMoney && newMoney && newMoney.amount < oldMoney.amount) {
    findings.push({ kind: 'financial-commitment-cut', from: oldMoney.amount, to: newMoney.amount });
  }
  return findings;
}
