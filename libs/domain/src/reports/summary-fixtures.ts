// Test data for report specs: summaries of real folded pledges, one line per scenario.
import type { Actor } from '../actor';
import { summarisePledge, type PledgeSummary } from '../pledge-summary';
import type { PledgeTerms } from '../pledge-terms';
import type { ImportedFrom, PledgeEvent } from '../pledge.events';
import { foldPledge } from '../pledge.evolve';
import { ACTOR, NOW, SUBMITTED_AT, pledgeSubmitted, someTerms } from '../testing/pledge-fixtures';

export interface PledgeScenario {
  id?: string;
  actor?: Actor;
  terms?: Partial<PledgeTerms>;
  submittedAt?: string;
  /** Events after the submission. */
  then?: PledgeEvent[];
  /** The submission came in through this import (its envelope's provenance). */
  importedFrom?: ImportedFrom;
  now?: Date;
  lapseAfterDays?: number;
}

/** A year without news before a pledge lapses: a fresh fixture pledge (156 days old at NOW) is active. */
export const LAPSE_AFTER_DAYS = 365;

export function summaryOf(scenario: PledgeScenario = {}): PledgeSummary {
  const submitted = pledgeSubmitted(someTerms(scenario.terms), scenario.submittedAt ?? SUBMITTED_AT);
  const events: PledgeEvent[] = [
    {
      type: 'PledgeSubmitted',
      data: {
        ...(submitted.data as Extract<PledgeEvent, { type: 'PledgeSubmitted' }>['data']),
        pledgeId: scenario.id ?? 'pledge-1',
        actor: scenario.actor ?? ACTOR,
      },
      ...(scenario.importedFrom ? { provenance: scenario.importedFrom } : {}),
    },
    ...(scenario.then ?? []),
  ];
  return summarisePledge(foldPledge(events), {
    now: scenario.now ?? NOW,
    lapseAfterDays: scenario.lapseAfterDays ?? LAPSE_AFTER_DAYS,
  });
}

/** The provenance of an event brought in by an import, from `source` (one row of its file). */
export function importedFrom(source = 'WSIS Stocktaking 2024', row = 2): ImportedFrom {
  return {
    kind: 'import',
    importId: `import-${source.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    source: { name: source, retrievedOn: '2026-11-30' },
    originalAuthor: 'Secretariat',
    sourceRef: `ref-${row}`,
    row,
    rowHash: 'a'.repeat(64),
  };
}
