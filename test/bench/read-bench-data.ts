/*
 * Synthetic, valid pledge histories for the read-side benchmark, built in memory: every event is decided by the
 * domain's own `decide` (so it passes the same rules as an HTTP write), folded with `evolve`, and recorded with a
 * proper hash chain (prevHash/hash by `hashEvent`), as the event store would record it.
 *
 * Loads no Nest configuration (only pure modules), so it can be imported before the environment is set.
 */
import { randomUUID } from 'node:crypto';
import {
  ActionCatalogue,
  type ActionRef,
  type Actor,
  type ActorType,
  decide,
  type DecisionContext,
  evolve,
  initialPledgeState,
  type PledgeCommand,
  type PledgeState,
  pledgeStreamId,
  type PledgeTerms,
  type Principal,
} from '@ledger/domain';
import { hashEvent } from '@ledger/event-store/event-hash';
import { GENESIS_HASH, type RecordedEvent } from '@ledger/event-store/recorded-event';
import { type PledgeSummaryDocument, toSummaryDocument } from '@ledger/read-models/pledge-summary.document';

const DAY_MS = 86_400_000;

/** Small deterministic PRNG (mulberry32): the same seed gives the same mix of pledges. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Countries with a region slug each; Kenya is weighted so that `?country=KE` selects about a tenth. */
const COUNTRIES: [country: string, region: string, weight: number][] = [
  ['KE', 'eastern-africa', 10],
  ['RW', 'eastern-africa', 4],
  ['UG', 'eastern-africa', 4],
  ['TZ', 'eastern-africa', 4],
  ['NG', 'western-africa', 6],
  ['GH', 'western-africa', 4],
  ['SN', 'western-africa', 3],
  ['ZA', 'southern-africa', 5],
  ['EG', 'northern-africa', 4],
  ['MA', 'northern-africa', 3],
  ['IN', 'southern-asia', 7],
  ['BD', 'southern-asia', 4],
  ['PH', 'south-eastern-asia', 4],
  ['ID', 'south-eastern-asia', 4],
  ['BR', 'south-america', 5],
  ['CO', 'south-america', 3],
  ['MX', 'central-america', 4],
  ['JM', 'caribbean', 2],
  ['FJ', 'melanesia', 2],
  ['JO', 'western-asia', 3],
  ['DE', 'western-europe', 3],
  ['FR', 'western-europe', 3],
  ['SE', 'northern-europe', 2],
  ['US', 'northern-america', 3],
];
const COUNTRY_WEIGHT = COUNTRIES.reduce((n, c) => n + c[2], 0);

const ACTOR_TYPES: ActorType[] = [
  'government',
  'private-sector',
  'civil-society',
  'international-organisation',
  'academia',
  'multi-stakeholder',
];

const CURRENCIES = ['USD', 'EUR', 'KES', 'INR', 'BRL', 'NGN'];

const catalogue = new ActionCatalogue();
const ALL_ACTIONS: ActionRef[] = catalogue
  .list()
  .flatMap((framework) =>
    framework.actions.map((action) => ({ framework: framework.code, action: action.code })),
  );

export interface GeneratedPledge {
  pledgeId: string;
  events: RecordedEvent[];
  state: PledgeState;
}

export interface GeneratorOptions {
  /** Progress reports per pledge: exactly this many, or uniformly 0..2×this when `varyReports`. */
  reportsPerPledge: number;
  varyReports?: boolean;
  /** Share of pledges closed after their reports (half fulfilled, half withdrawn). */
  closedShare?: number;
  /** Number of distinct organisations the pledges belong to. */
  organisations?: number;
  seed?: number;
  /** Length of each report's narrative (sets the event size). */
  narrativeChars?: number;
  /** Compute the hash chain (default true); summary documents alone do not need it. */
  hashChain?: boolean;
  /** The organisations' principals (default: `organisations` made-up ones), e.g. ones registered through the API. */
  principals?: Principal[];
}

/**
 * Generates pledges one at a time: a submission, progress reports on its targets, and for some a fulfilment or
 * withdrawal. Submissions spread over the 22 months before `until`; every decision time lies before `until`.
 */
export class PledgeGenerator {
  private readonly random: () => number;
  private readonly principals: Principal[];
  private readonly until: number;
  private readonly narrative: string;
  generated = 0;

  constructor(private readonly options: GeneratorOptions) {
    this.random = prng(options.seed ?? 20260101);
    this.until = Date.now() - 60_000;
    this.narrative = 'Progress in the districts: '.padEnd(
      options.narrativeChars ?? 240,
      ' women trained, connected and online.',
    );
    const count = options.organisations ?? 400;
    this.principals =
      options.principals ??
      Array.from({ length: count }, (_, i) => {
        const [country] = this.pickCountry();
        const actor: Actor = {
          id: `org-bench-${String(i + 1).padStart(4, '0')}`,
          name: `Bench organisation ${i + 1} (${country})`,
          type: ACTOR_TYPES[i % ACTOR_TYPES.length],
          country,
        };
        return { id: `key-${actor.id}`, role: 'organisation', name: actor.name, actor };
      });
  }

  /** Organisation ids in use, e.g. to pick a filter value. */
  organisationIds(): string[] {
    return this.principals.map((p) => p.actor!.id);
  }

  private pickCountry(): [string, string] {
    let r = this.random() * COUNTRY_WEIGHT;
    for (const [country, region, weight] of COUNTRIES) {
      r -= weight;
      if (r < 0) return [country, region];
    }
    return [COUNTRIES[0][0], COUNTRIES[0][1]];
  }

  private int(max: number): number {
    return Math.floor(this.random() * max);
  }

  private terms(home: string): PledgeTerms {
    const countries = new Set<string>([home]);
    const extra = this.int(3);
    for (let i = 0; i < extra; i++) countries.add(this.pickCountry()[0]);
    const regions = new Set(
      [...countries].map((c) => COUNTRIES.find((entry) => entry[0] === c)?.[1] ?? 'africa'),
    );
    const actions = new Map<string, ActionRef>();
    const actionCount = 1 + this.int(3);
    while (actions.size < actionCount) {
      const action = ALL_ACTIONS[this.int(ALL_ACTIONS.length)];
      actions.set(`${action.framework}/${action.action}`, action);
    }
    const baseline = 20 + this.int(20);
    return {
      title: `Connect women in ${[...countries].join(', ')}: programme ${this.generated + 1}`,
      description:
        'Affordable devices and data, digital skills training in every district, and women in ICT leadership.',
      countries: [...countries],
      regions: [...regions],
      global: this.random() < 0.05,
      actions: [...actions.values()],
      targets: [
        {
          id: 'women-online',
          indicator: 'Women using the internet',
          unit: '% of women 15+',
          baseline,
          targetValue: baseline + 10 + this.int(30),
          deadline: `${2027 + this.int(4)}-12-31`,
        },
        {
          id: 'gender-gap',
          indicator: 'Gender gap in mobile internet use',
          unit: 'percentage points',
          baseline: 18,
          targetValue: 2 + this.int(10),
          deadline: `${2027 + this.int(4)}-06-30`,
        },
      ],
      ...(this.random() < 0.8
        ? {
            financialCommitment: {
              amount: (1 + this.int(500)) * 10_000,
              currency: CURRENCIES[this.int(CURRENCIES.length)],
            },
          }
        : {}),
    };
  }

  /** One pledge's whole history, recorded and hash-chained, and its folded state. */
  next(): GeneratedPledge {
    const principal = this.principals[this.int(this.principals.length)];
    const pledgeId = randomUUID();
    const streamId = pledgeStreamId(pledgeId);
    const reports = this.options.varyReports
      ? this.int(2 * this.options.reportsPerPledge + 1)
      : this.options.reportsPerPledge;
    const closing = this.random() < (this.options.closedShare ?? 0.1);
    const steps = 1 + reports + (closing ? 1 : 0);
    // Submitted 60..660 days before `until`; the later events spread over the time since.
    const submitted = this.until - (60 + this.random() * 600) * DAY_MS;
    const span = this.until - submitted;
    const times = Array.from({ length: steps }, (_, i) =>
      i === 0 ? submitted : submitted + (span * (i - 1 + this.random())) / (steps - 1),
    ).sort((a, b) => a - b);

    let state = initialPledgeState;
    const events: RecordedEvent[] = [];
    let prevHash = GENESIS_HASH;
    const correlationId = randomUUID();
    for (let step = 0; step < steps; step++) {
      const now = new Date(Math.round(times[step]) + step);
      let command: PledgeCommand;
      if (step === 0) {
        command = { type: 'SubmitPledge', pledgeId, terms: this.terms(principal.actor!.country) };
      } else if (step <= reports) {
        const target = step % 2 === 1 ? 'women-online' : 'gender-gap';
        command = {
          type: 'ReportProgress',
          pledgeId,
          reportId: `report-${step}`,
          targetId: target,
          value: target === 'women-online' ? 30 + this.int(30) : 4 + this.int(14),
          asOf: new Date(now.getTime() - 5 * DAY_MS).toISOString().slice(0, 10),
          narrative: this.narrative,
          evidence: [`https://stats.example.org/${pledgeId.slice(0, 8)}/${step}`],
        };
      } else if (this.random() < 0.5) {
        command = { type: 'FulfilPledge', pledgeId, note: 'All targets met and verified by the regulator.' };
      } else {
        command = { type: 'WithdrawPledge', pledgeId, reason: 'Programme funding was not renewed.' };
      }
      const ctx: DecisionContext = { now, principal, catalogue };
      for (const decided of decide(command, state, ctx)) {
        state = evolve(state, decided);
        const recordedAt = now.toISOString();
        const unhashed = {
          eventId: randomUUID(),
          streamId,
          version: state.version,
          type: decided.type,
          schemaVersion: 1,
          occurredAt: recordedAt,
          recordedAt,
          principal: { id: principal.id, role: principal.role, name: principal.name },
          correlationId,
          causationId: correlationId,
          idempotencyKey: null,
          payload: decided.data,
          prevHash,
        };
        const hash = this.options.hashChain === false ? '' : hashEvent(unhashed);
        prevHash = hash;
        events.push({ ...unhashed, hash });
      }
    }
    this.generated += 1;
    return { pledgeId, events, state };
  }

  /** The pledge as the summary projection stores it after its last event. */
  static summaryOf(pledge: GeneratedPledge): PledgeSummaryDocument {
    const last = pledge.events[pledge.events.length - 1];
    return toSummaryDocument(pledge.state, { eventId: last.eventId, recordedAt: last.recordedAt });
  }
}
