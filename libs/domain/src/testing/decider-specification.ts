// given(events).when(command, context).then(events) / .thenThrows(code): one invariant, one short test.
// Uses node:assert, not Jest's expect, so it imports no test framework into a domain file.
import assert from 'node:assert/strict';
import type { DecisionContext } from '../decision-context';
import { DomainError, type DomainErrorCode } from '../domain-error';
import type { PledgeCommand } from '../pledge.commands';
import { decide } from '../pledge.decide';
import type { PledgeEvent } from '../pledge.events';
import { foldPledge } from '../pledge.evolve';
import { context as defaultContext } from './pledge-fixtures';

export interface DecisionOutcome {
  /** The command must produce exactly these events. */
  then(expected: PledgeEvent[]): void;
  /** The command must fail with this DomainError code (and field, when given). */
  thenThrows(code: DomainErrorCode, field?: string): void;
  /** The produced events, for assertions on a part of them. */
  events(): PledgeEvent[];
}

export function given(history: readonly PledgeEvent[] = []) {
  return {
    when(command: PledgeCommand, ctx: DecisionContext = defaultContext()): DecisionOutcome {
      const run = () => decide(command, foldPledge(history), ctx);
      return {
        then(expected) {
          const events = runToEvents(run);
          assert.deepStrictEqual(events, expected);
        },
        thenThrows(code, field) {
          let error: unknown;
          try {
            run();
          } catch (caught) {
            error = caught;
          }
          assert.ok(error !== undefined, `expected DomainError ${code}, but the command was accepted`);
          assert.ok(error instanceof DomainError, `expected DomainError ${code}, got ${String(error)}`);
          assert.equal(error.code, code, `expected code ${code}, got ${error.code}: ${error.message}`);
          if (field !== undefined) assert.equal(error.field, field, `wrong field for: ${error.message}`);
        },
        events() {
          return runToEvents(run);
        },
      };
    },
  };
}

function runToEvents(run: () => PledgeEvent[]): PledgeEvent[] {
  const events = run();
  // Events travel as JSON, BSON and canonical JSON for hashing: an undefined or non-finite value would not
  // survive the trip unchanged.
  assert.deepStrictEqual(JSON.parse(JSON.stringify(events)), events, 'events must survive a JSON round trip');
  return events;
}
