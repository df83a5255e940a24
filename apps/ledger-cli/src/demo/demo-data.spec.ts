import {
  ACTOR_TYPES,
  ActionCatalogue,
  applyTermsChanges,
  calendarDateOf,
  daysBetween,
  decide,
  evolve,
  findWateringDown,
  initialPledgeState,
  isActorType,
  isCalendarDate,
  isCountryCode,
  isCurrencyCode,
  isRegion,
  isReductionTarget,
  summarisePledge,
  TARGET_ID_PATTERN,
  validatePledgeTerms,
  type PledgeCommand,
  type PledgeState,
  type PledgeSummary,
  type PledgeTerms,
  type Principal,
} from '@ledger/domain';
import { buildDemoPlan, DEMO_FIRST_YEAR, seededRandom, type DemoOperation, type DemoPlan } from './demo-data';

const NOW = new Date('2026-11-25T15:00:00.000Z');
const TODAY = calendarDateOf(NOW);
const YESTERDAY = '2026-11-24';
const catalogue = new ActionCatalogue();

function ofKind<K extends DemoOperation['kind']>(plan: DemoPlan, kind: K) {
  return plan.operations.filter((op): op is Extract<DemoOperation, { kind: K }> => op.kind === kind);
}

/** Each pledge's terms after every amendment of the plan, and each amendment's findings, in plan order. */
function replayAmendments(plan: DemoPlan) {
  const terms = new Map<string, PledgeTerms>(plan.pledges.map((p) => [p.key, p.terms]));
  const findings = ofKind(plan, 'amendment').map((op) => {
    const before = terms.get(op.pledge)!;
    const after = applyTermsChanges(before, op.changes);
    terms.set(op.pledge, after);
    return { op, before, after, found: findWateringDown(before, after) };
  });
  return { terms, findings };
}

const yearOf = (day: string) => Number(day.slice(0, 4));

describe('demo data plan', () => {
  const plan = buildDemoPlan({ now: NOW });
  const submitted = new Map(plan.pledges.map((p) => [p.key, p.submittedOn]));

  it('is deterministic: the same seed, now and tag give the same plan', () => {
    expect(buildDemoPlan({ now: NOW })).toEqual(plan);
    expect(buildDemoPlan({ now: NOW, seed: 42 })).toEqual(buildDemoPlan({ now: NOW, seed: 42 }));
    expect(buildDemoPlan({ now: NOW, tag: 'b' })).toEqual(buildDemoPlan({ now: NOW, tag: 'b' }));
  });

  it('changes with the seed', () => {
    expect(buildDemoPlan({ now: NOW, seed: 'another' }).pledges).not.toEqual(plan.pledges);
  });

  it('has a PRNG that repeats per seed and stays in [0, 1)', () => {
    const a = seededRandom('x');
    const b = seededRandom('x');
    const draws = Array.from({ length: 1000 }, () => a.next());
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(draws.every((n) => n >= 0 && n < 1)).toBe(true);
    expect(new Set(draws).size).toBeGreaterThan(990);
  });

  it('tags actor names only when a tag is given, and changes nothing else', () => {
    const tagged = buildDemoPlan({ now: NOW, tag: 'run2' });
    expect(tagged.organisations.every((o) => o.name.endsWith(' [run2]'))).toBe(true);
    expect(tagged.verifiers.every((v) => v.name.endsWith(' [run2]'))).toBe(true);
    expect(plan.organisations.some((o) => o.name.includes('['))).toBe(false);
    expect(tagged.pledges).toEqual(plan.pledges);
    expect(tagged.operations).toEqual(plan.operations);
  });

  it('has about 40 organisations of all six actor types in about 25 countries, and 4 verifiers', () => {
    expect(plan.organisations.length).toBeGreaterThanOrEqual(38);
    expect(plan.organisations.length).toBeLessThanOrEqual(45);
    expect(new Set(plan.organisations.map((o) => o.type))).toEqual(new Set(ACTOR_TYPES));
    expect(plan.organisations.every((o) => isActorType(o.type))).toBe(true);
    expect(plan.organisations.every((o) => isCountryCode(o.country))).toBe(true);
    expect(new Set(plan.organisations.map((o) => o.country)).size).toBeGreaterThanOrEqual(25);
    expect(plan.verifiers).toHaveLength(4);
    const names = [...plan.organisations, ...plan.verifiers].map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => name.length >= 2 && name.length <= 200)).toBe(true);
  });

  it('has about 120 pledges, each by a known organisation, with terms the domain accepts', () => {
    expect(plan.pledges.length).toBeGreaterThanOrEqual(110);
    expect(plan.pledges.length).toBeLessThanOrEqual(130);
    const orgs = new Set(plan.organisations.map((o) => o.key));
    for (const pledge of plan.pledges) {
      expect(orgs.has(pledge.organisation)).toBe(true);
      expect(() => validatePledgeTerms(pledge.terms, catalogue)).not.toThrow();
      expect(pledge.terms.title.length).toBeLessThanOrEqual(300);
      expect(pledge.author.trim().length).toBeGreaterThan(2);
    }
    expect(new Set(plan.pledges.map((p) => p.key)).size).toBe(plan.pledges.length);
  });

  it('has pledges made every year from 2015 (the most) through last year, numbered in that order', () => {
    const years = plan.pledges.map((p) => yearOf(p.submittedOn));
    const perYear = new Map<number, number>();
    for (const year of years) perYear.set(year, (perYear.get(year) ?? 0) + 1);
    expect(Math.min(...years)).toBe(DEMO_FIRST_YEAR);
    expect(Math.max(...years)).toBe(yearOf(TODAY) - 1);
    for (let year = DEMO_FIRST_YEAR; year < yearOf(TODAY); year++)
      expect(perYear.get(year)).toBeGreaterThanOrEqual(4);
    expect(perYear.get(DEMO_FIRST_YEAR)).toBe(Math.max(...perYear.values()));
    expect(plan.pledges.every((p) => isCalendarDate(p.submittedOn))).toBe(true);
    const days = plan.pledges.map((p) => p.submittedOn);
    expect(days).toEqual([...days].sort());
    expect(plan.pledges.map((p) => p.key)).toEqual(
      plan.pledges.map((_, i) => `p${String(i + 1).padStart(3, '0')}`),
    );
  });

  it('uses only actions of the ActionCatalogue, and both built-in frameworks', () => {
    const used = plan.pledges.flatMap((p) => p.terms.actions);
    for (const ref of used) expect(catalogue.has(ref)).toBe(true);
    expect(new Set(used.map((ref) => ref.framework))).toEqual(
      new Set(['wsis10-gender-gap', 'gender-caucus']),
    );
    // every action of both frameworks appears somewhere
    const codes = new Set(used.map((ref) => `${ref.framework}/${ref.action}`));
    for (const framework of catalogue.list()) {
      for (const action of framework.actions) expect(codes).toContain(`${framework.code}/${action.code}`);
    }
  });

  it('names only valid countries and regions, and some regional and worldwide pledges', () => {
    const terms = plan.pledges.map((p) => p.terms);
    for (const t of terms) {
      t.countries.forEach((code) => expect(isCountryCode(code)).toBe(true));
      t.regions.forEach((region) => expect(isRegion(region)).toBe(true));
      expect(t.countries.length + t.regions.length > 0 || t.global).toBe(true);
    }
    expect(terms.some((t) => t.regions.length > 0)).toBe(true);
    expect(terms.some((t) => t.global)).toBe(true);
    expect(new Set(terms.flatMap((t) => t.countries)).size).toBeGreaterThanOrEqual(20);
  });

  it('has 1-3 measurable targets per pledge, due 2018-2032 and after the pledge, some long passed', () => {
    const { terms } = replayAmendments(plan);
    const targets = plan.pledges.flatMap((p) => {
      expect(p.terms.targets.length).toBeGreaterThanOrEqual(1);
      expect(p.terms.targets.length).toBeLessThanOrEqual(3);
      p.terms.targets.forEach((t) =>
        expect(yearOf(t.deadline)).toBeGreaterThanOrEqual(yearOf(p.submittedOn) + 2),
      );
      return p.terms.targets;
    });
    for (const target of [...targets, ...[...terms.values()].flatMap((t) => t.targets)]) {
      expect(target.id).toMatch(TARGET_ID_PATTERN);
      expect(target.baseline).not.toBe(target.targetValue);
      expect(Number.isFinite(target.baseline) && Number.isFinite(target.targetValue)).toBe(true);
      expect(isCalendarDate(target.deadline)).toBe(true);
      expect(target.deadline >= '2018-01-01' && target.deadline <= '2032-12-31').toBe(true);
    }
    expect(targets.filter((t) => t.deadline < '2022-01-01').length).toBeGreaterThanOrEqual(15);
    expect(targets.filter((t) => t.deadline > TODAY).length).toBeGreaterThanOrEqual(60);
    const reductions = targets.filter(isReductionTarget);
    expect(reductions.length).toBeGreaterThanOrEqual(10);
    expect(reductions.some((t) => t.unit === 'percentage points')).toBe(true);
  });

  it('has financial commitments in several valid currencies on some pledges', () => {
    const money = plan.pledges.flatMap((p) =>
      p.terms.financialCommitment ? [p.terms.financialCommitment] : [],
    );
    expect(money.length).toBeGreaterThan(30);
    expect(money.length).toBeLessThan(plan.pledges.length);
    for (const m of money) {
      expect(isCurrencyCode(m.currency)).toBe(true);
      expect(m.amount).toBeGreaterThan(0);
    }
    const currencies = new Set(money.map((m) => m.currency));
    expect(currencies.size).toBeGreaterThanOrEqual(8);
    expect(currencies).toContain('USD');
  });

  it('keeps roughly the size of the earlier demo set', () => {
    expect(ofKind(plan, 'progress').length).toBeGreaterThan(200);
    expect(ofKind(plan, 'progress').length).toBeLessThan(450);
    expect(plan.operations.length).toBeLessThan(550);
  });

  it('puts every operation at a day from its pledge on, never later than yesterday, in order', () => {
    const last = new Map(submitted);
    const pledges = new Set(plan.pledges.map((p) => p.key));
    const verifiers = new Set(plan.verifiers.map((v) => v.key));
    for (const op of plan.operations) {
      expect(pledges.has(op.pledge)).toBe(true);
      if (op.kind === 'verification') expect(verifiers.has(op.verifier)).toBe(true);
      expect(isCalendarDate(op.occurredAt)).toBe(true);
      expect(op.occurredAt <= YESTERDAY).toBe(true);
      expect(op.occurredAt >= last.get(op.pledge)!).toBe(true);
      last.set(op.pledge, op.occurredAt);
    }
    const days = plan.operations.map((op) => op.occurredAt);
    expect(days).toEqual([...days].sort());
    // the history goes on to recent months
    expect(days.at(-1)! >= calendarDateOf(new Date(NOW.getTime() - 60 * 86_400_000))).toBe(true);
  });

  it('sends each report some weeks after its as-of date, on targets the pledge had then', () => {
    const terms = new Map<string, PledgeTerms>(plan.pledges.map((p) => [p.key, p.terms]));
    const ids = new Map<string, Set<string>>(plan.pledges.map((p) => [p.key, new Set()]));
    for (const op of plan.operations) {
      if (op.kind === 'amendment') terms.set(op.pledge, applyTermsChanges(terms.get(op.pledge)!, op.changes));
      if (op.kind !== 'progress' && op.kind !== 'correction') continue;
      expect(isCalendarDate(op.asOf)).toBe(true);
      expect(op.asOf <= op.occurredAt).toBe(true);
      expect(op.asOf > submitted.get(op.pledge)!).toBe(true);
      expect(Number.isFinite(op.value) && op.value >= 0).toBe(true);
      op.evidence.forEach((url) => expect(url).toMatch(/^https:\/\/[a-z.]+\.example\.org\//));
      expect(ids.get(op.pledge)!.has(op.report)).toBe(false);
      ids.get(op.pledge)!.add(op.report);
      if (op.kind === 'progress') {
        expect(terms.get(op.pledge)!.targets.some((t) => t.id === op.targetId)).toBe(true);
        const delay = daysBetween(op.asOf, op.occurredAt);
        expect(delay).toBeGreaterThanOrEqual(14);
        expect(delay).toBeLessThanOrEqual(80);
      }
    }
    // reports as of half-year or year ends, spread over the years
    const asOf = ofKind(plan, 'progress').map((op) => op.asOf);
    expect(asOf.every((day) => /-(03-31|06-30|09-30|12-31)$/.test(day))).toBe(true);
    expect(new Set(asOf.map(yearOf)).size).toBeGreaterThanOrEqual(10);
  });

  it('refers to reports only after they are sent, corrects each at most once, later, in the same pledge', () => {
    const sent = new Map<string, string>();
    const corrected = new Set<string>();
    for (const op of plan.operations) {
      const key = (report: string) => `${op.pledge}/${report}`;
      if (op.kind === 'correction') {
        expect(sent.get(key(op.corrects))! < op.occurredAt).toBe(true);
        expect(corrected.has(key(op.corrects))).toBe(false);
        corrected.add(key(op.corrects));
      }
      if (op.kind === 'verification' && op.report !== undefined) {
        // a verifier checks a figure some weeks after it was sent, and the figure that stands
        expect(daysBetween(sent.get(key(op.report))!, op.occurredAt)).toBeGreaterThanOrEqual(21);
        expect(corrected.has(key(op.report))).toBe(false);
      }
      if (op.kind === 'progress' || op.kind === 'correction') sent.set(key(op.report), op.occurredAt);
    }
    expect(corrected.size).toBeGreaterThanOrEqual(5);
    const verified = ofKind(plan, 'verification').flatMap((v) =>
      v.report ? [`${v.pledge}/${v.report}`] : [],
    );
    verified.forEach((report) => expect(corrected.has(report)).toBe(false));
  });

  it('never writes to a pledge after it is fulfilled or withdrawn, except verifications', () => {
    const closed = new Set<string>();
    for (const op of plan.operations) {
      if (op.kind !== 'verification') expect(closed.has(op.pledge)).toBe(false);
      if (op.kind === 'fulfilment' || op.kind === 'withdrawal') closed.add(op.pledge);
    }
  });

  it('has about 12 amendments over the years, watering-down years after the pledge, and strengthening', () => {
    const { findings } = replayAmendments(plan);
    expect(findings.length).toBeGreaterThanOrEqual(8);
    expect(findings.length).toBeLessThanOrEqual(14);
    for (const { op, before, after, found } of findings) {
      expect(op.reason.trim().length).toBeGreaterThanOrEqual(3);
      expect(after).not.toEqual(before);
      expect(() => validatePledgeTerms(after, catalogue, 'changes')).not.toThrow();
      expect(found.length > 0).toBe(op.wateringDown);
      // an amendment never turns a target around nor drops one (some have progress reports)
      for (const old of before.targets) {
        const next = after.targets.find((t) => t.id === old.id)!;
        expect(next).toBeDefined();
        expect(next.unit).toBe(old.unit);
        expect(isReductionTarget(next)).toBe(isReductionTarget(old));
      }
    }
    const watered = findings.filter((f) => f.op.wateringDown);
    expect(watered.length).toBeGreaterThanOrEqual(5);
    expect(findings.length - watered.length).toBeGreaterThanOrEqual(3);
    const kinds = new Set(watered.flatMap((f) => f.found.map((finding) => finding.kind)));
    expect(kinds).toContain('target-lowered');
    expect(kinds).toContain('deadline-postponed');
    expect(kinds).toContain('financial-commitment-cut');
    for (const { op } of watered)
      expect(daysBetween(submitted.get(op.pledge)!, op.occurredAt)).toBeGreaterThanOrEqual(365);
    expect(new Set(watered.map((f) => yearOf(f.op.occurredAt))).size).toBeGreaterThanOrEqual(4);
    // a pledge watered down twice, years apart
    const twice = watered.filter((f, _, all) => all.filter((g) => g.op.pledge === f.op.pledge).length > 1);
    expect(new Set(twice.map((f) => f.op.pledge)).size).toBeGreaterThanOrEqual(1);
  });

  it('has 6 withdrawals and 8 fulfilments over several years, on distinct pledges', () => {
    const withdrawals = ofKind(plan, 'withdrawal');
    const fulfilments = ofKind(plan, 'fulfilment');
    expect(withdrawals).toHaveLength(6);
    expect(fulfilments).toHaveLength(8);
    const closed = [...withdrawals, ...fulfilments].map((op) => op.pledge);
    expect(new Set(closed).size).toBe(closed.length);
    withdrawals.forEach((op) => expect(op.reason.trim().length).toBeGreaterThanOrEqual(3));
    expect(new Set(withdrawals.map((op) => op.reason)).size).toBe(withdrawals.length);
    expect(new Set(withdrawals.map((op) => yearOf(op.occurredAt))).size).toBeGreaterThanOrEqual(3);
    expect(new Set(fulfilments.map((op) => yearOf(op.occurredAt))).size).toBeGreaterThanOrEqual(3);
    // a watered-down pledge is among the withdrawn ones
    const watered = new Set(
      ofKind(plan, 'amendment')
        .filter((a) => a.wateringDown)
        .map((a) => a.pledge),
    );
    expect(withdrawals.some((op) => watered.has(op.pledge))).toBe(true);
  });

  it('fulfils only pledges whose every target has a final report at or past its target value', () => {
    const { terms } = replayAmendments(plan);
    for (const op of ofKind(plan, 'fulfilment')) {
      for (const target of terms.get(op.pledge)!.targets) {
        const reports = ofKind(plan, 'progress').filter(
          (r) => r.pledge === op.pledge && r.targetId === target.id,
        );
        const latest = reports.sort((a, b) => a.asOf.localeCompare(b.asOf)).at(-1)!;
        expect(latest).toBeDefined();
        expect(latest.occurredAt <= op.occurredAt).toBe(true);
        if (isReductionTarget(target)) expect(latest.value).toBeLessThanOrEqual(target.targetValue);
        else expect(latest.value).toBeGreaterThanOrEqual(target.targetValue);
      }
    }
  });

  it('has about 25 verifications, confirmed and disputed, of reports and of pledges, with notes', () => {
    const verifications = ofKind(plan, 'verification');
    expect(verifications.length).toBeGreaterThanOrEqual(20);
    expect(verifications.length).toBeLessThanOrEqual(30);
    expect(verifications.some((v) => v.outcome === 'confirmed')).toBe(true);
    expect(verifications.some((v) => v.outcome === 'disputed')).toBe(true);
    expect(verifications.filter((v) => v.report !== undefined).length).toBeGreaterThanOrEqual(10);
    expect(verifications.filter((v) => v.report === undefined).length).toBeGreaterThanOrEqual(5);
    verifications.forEach((v) => expect(v.note.trim().length).toBeGreaterThan(0));
    expect(new Set(verifications.map((v) => v.verifier)).size).toBe(plan.verifiers.length);
    const ids = verifications.map((v) => `${v.pledge}/${v.verificationId}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is accepted by the pledge aggregate at each effective date, and shows lapse and overdue, whatever the seed', () => {
    const nows = [NOW, new Date('2026-01-10T08:00:00Z'), new Date('2026-07-20T23:30:00Z')];
    for (const now of nows) {
      for (const seed of [undefined, ...Array.from({ length: 8 }, (_, i) => `seed-${i}`)]) {
        const other = buildDemoPlan({ now, seed });
        const { summaries, wateringDowns } = replayThroughDomain(other);
        expect(wateringDowns).toBeGreaterThanOrEqual(5);
        const lapsed = summaries.filter((s) => s.status === 'lapsed');
        expect(lapsed.length).toBeGreaterThanOrEqual(15);
        expect(summaries.filter((s) => s.status === 'active').length).toBeGreaterThanOrEqual(60);
        const targets = summaries.flatMap((s) => s.targets);
        expect(targets.filter((t) => t.overdue).length).toBeGreaterThanOrEqual(20);
        expect(targets.filter((t) => t.reached).length).toBeGreaterThanOrEqual(10);
        expect(targets.filter((t) => !t.reached && t.onTrack === true).length).toBeGreaterThanOrEqual(5);
        // most pledges of the last three years are active, not lapsed
        const recent = summaries.filter(
          (s) =>
            (s.status === 'active' || s.status === 'lapsed') &&
            daysBetween(calendarDateOf(s.submittedAt), calendarDateOf(now)) <= 3 * 365,
        );
        expect(recent.length).toBeGreaterThanOrEqual(12);
        expect(recent.filter((s) => s.status === 'lapsed').length / recent.length).toBeLessThan(0.2);
      }
    }
  });
});

/**
 * Runs a plan through `decide`/`evolve` as an import does: each step decided as of its own day (its
 * `occurredAt`), as the organisation (or verifier) that wrote it; then summarises each pledge as of the plan's
 * now. A plan the aggregate would refuse fails here, not in front of a newcomer. Throws the first DomainError.
 */
function replayThroughDomain(plan: DemoPlan): { summaries: PledgeSummary[]; wateringDowns: number } {
  const now = new Date(plan.now);
  const organisations = new Map(plan.organisations.map((o, i) => [o.key, { ...o, id: `org-${i}` }]));
  const verifiers = new Map(plan.verifiers.map((v, i) => [v.key, { id: `ver-${i}`, name: v.name }]));
  const owner = new Map<string, Principal>();
  const states = new Map<string, PledgeState>();
  const run = (pledge: string, command: PledgeCommand, principal: Principal, day: string) => {
    const before = states.get(pledge) ?? initialPledgeState;
    const events = decide(command, before, { now: new Date(`${day}T00:00:00Z`), principal, catalogue });
    states.set(pledge, events.reduce(evolve, before));
    return events;
  };
  for (const pledge of plan.pledges) {
    const org = organisations.get(pledge.organisation)!;
    const principal: Principal = {
      id: org.id,
      role: 'organisation',
      name: org.name,
      actor: { id: org.id, name: org.name, type: org.type, country: org.country },
    };
    owner.set(pledge.key, principal);
    run(
      pledge.key,
      { type: 'SubmitPledge', pledgeId: pledge.key, terms: pledge.terms },
      principal,
      pledge.submittedOn,
    );
  }
  let wateringDowns = 0;
  for (const op of plan.operations) {
    const pledgeId = op.pledge;
    const org = owner.get(op.pledge)!;
    const day = op.occurredAt;
    switch (op.kind) {
      case 'progress': {
        const { report: reportId, targetId, value, asOf, narrative, evidence } = op;
        run(
          pledgeId,
          { type: 'ReportProgress', pledgeId, reportId, targetId, value, asOf, narrative, evidence },
          org,
          day,
        );
        break;
      }
      case 'correction': {
        const { report: reportId, corrects: correctsReportId, value, asOf, narrative, evidence, reason } = op;
        run(
          pledgeId,
          {
            type: 'CorrectProgress',
            pledgeId,
            reportId,
            correctsReportId,
            value,
            asOf,
            narrative,
            evidence,
            reason,
          },
          org,
          day,
        );
        break;
      }
      case 'amendment': {
        const [event] = run(
          pledgeId,
          { type: 'AmendPledge', pledgeId, reason: op.reason, changes: op.changes },
          org,
          day,
        );
        const flagged = event.type === 'PledgeAmended' && event.data.wateringDown.length > 0;
        expect(flagged).toBe(op.wateringDown);
        if (flagged) wateringDowns++;
        break;
      }
      case 'fulfilment':
        run(pledgeId, { type: 'FulfilPledge', pledgeId, note: op.note }, org, day);
        break;
      case 'withdrawal':
        run(pledgeId, { type: 'WithdrawPledge', pledgeId, reason: op.reason }, org, day);
        break;
      case 'verification': {
        const verifier = verifiers.get(op.verifier)!;
        run(
          pledgeId,
          {
            type: 'RecordVerification',
            pledgeId,
            verificationId: op.verificationId,
            outcome: op.outcome,
            note: op.note,
            ...(op.report ? { reportId: op.report } : {}),
          },
          { id: verifier.id, role: 'verifier', name: verifier.name },
          day,
        );
        break;
      }
    }
  }
  const summaries = [...states.values()].map((state) => summarisePledge(state, { now, lapseAfterDays: 180 }));
  return { summaries, wateringDowns };
}
