import {
  ACTOR_TYPES,
  ActionCatalogue,
  applyTermsChanges,
  calendarDateOf,
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
  TARGET_ID_PATTERN,
  validatePledgeTerms,
  type PledgeCommand,
  type PledgeState,
  type PledgeTerms,
  type Principal,
} from '@ledger/domain';
import { buildDemoPlan, seededRandom, type DemoOperation, type DemoPlan } from './demo-data';

const NOW = new Date('2026-11-25T15:00:00.000Z');
const TODAY = calendarDateOf(NOW);
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

describe('demo data plan', () => {
  const plan = buildDemoPlan({ now: NOW });

  it('is deterministic: the same seed and now give the same plan', () => {
    expect(buildDemoPlan({ now: NOW })).toEqual(plan);
    expect(buildDemoPlan({ now: NOW, seed: 42 })).toEqual(buildDemoPlan({ now: NOW, seed: 42 }));
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

  it('tags actor names only when a tag is given', () => {
    const tagged = buildDemoPlan({ now: NOW, tag: 'run2' });
    expect(tagged.organisations.every((o) => o.name.endsWith(' [run2]'))).toBe(true);
    expect(tagged.verifiers.every((v) => v.name.endsWith(' [run2]'))).toBe(true);
    expect(plan.organisations.some((o) => o.name.includes('['))).toBe(false);
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
    }
    expect(new Set(plan.pledges.map((p) => p.key)).size).toBe(plan.pledges.length);
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

  it('has 1-3 valid measurable targets per pledge, with reduction targets among them, deadlines 2026-2032', () => {
    const targets = plan.pledges.flatMap((p) => {
      expect(p.terms.targets.length).toBeGreaterThanOrEqual(1);
      expect(p.terms.targets.length).toBeLessThanOrEqual(3);
      return p.terms.targets;
    });
    for (const target of targets) {
      expect(target.id).toMatch(TARGET_ID_PATTERN);
      expect(target.baseline).not.toBe(target.targetValue);
      expect(Number.isFinite(target.baseline) && Number.isFinite(target.targetValue)).toBe(true);
      expect(isCalendarDate(target.deadline)).toBe(true);
      expect(target.deadline >= '2026-01-01' && target.deadline <= '2032-12-31').toBe(true);
    }
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

  it('gives every operation a unique step and refers only to known pledges and verifiers', () => {
    const steps = [...plan.pledges.map((p) => p.key), ...plan.operations.map((op) => op.step)];
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps.every((step) => /^[\x21-\x7e]{1,150}$/.test(step))).toBe(true);
    const pledges = new Set(plan.pledges.map((p) => p.key));
    const verifiers = new Set(plan.verifiers.map((v) => v.key));
    for (const op of plan.operations) {
      expect(pledges.has(op.pledge)).toBe(true);
      if (op.kind === 'verification') expect(verifiers.has(op.verifier)).toBe(true);
    }
  });

  it('reports progress only on existing targets, as of dates never after now', () => {
    const targets = new Map<string, Set<string>>(
      plan.pledges.map((p) => [p.key, new Set(p.terms.targets.map((t) => t.id))]),
    );
    for (const op of [...ofKind(plan, 'progress'), ...ofKind(plan, 'correction')]) {
      expect(isCalendarDate(op.asOf)).toBe(true);
      expect(op.asOf <= TODAY).toBe(true);
      expect(Number.isFinite(op.value)).toBe(true);
      op.evidence.forEach((url) => expect(url).toMatch(/^https:\/\/[a-z.]+\.example\.org\//));
    }
    for (const op of ofKind(plan, 'progress')) expect(targets.get(op.pledge)!.has(op.targetId)).toBe(true);
    // the same holds for another `now`
    const earlier = new Date('2024-03-01T00:00:00Z');
    const other = buildDemoPlan({ now: earlier });
    for (const op of [...ofKind(other, 'progress'), ...ofKind(other, 'correction')]) {
      expect(op.asOf <= calendarDateOf(earlier)).toBe(true);
    }
  });

  it('leaves some pledges without any progress (they lapse once 180 days pass)', () => {
    const reported = new Set(ofKind(plan, 'progress').map((op) => op.pledge));
    const silent = plan.pledges.filter((p) => !reported.has(p.key));
    expect(silent.length).toBeGreaterThanOrEqual(15);
    expect(reported.size).toBeGreaterThanOrEqual(60);
  });

  it('refers to reports only after they are created, corrects each at most once, same pledge', () => {
    const created = new Map<string, string>();
    const corrected = new Set<string>();
    for (const op of plan.operations) {
      if (op.kind === 'correction') {
        expect(created.get(op.corrects)).toBe(op.pledge);
        expect(corrected.has(op.corrects)).toBe(false);
        corrected.add(op.corrects);
      }
      if (op.kind === 'verification' && op.report !== undefined) {
        expect(created.get(op.report)).toBe(op.pledge);
        // a verifier checks the figure that stands, not one already superseded
        expect(corrected.has(op.report)).toBe(false);
      }
      if (op.kind === 'progress' || op.kind === 'correction') {
        expect(created.has(op.report)).toBe(false);
        created.set(op.report, op.pledge);
      }
    }
    expect(corrected.size).toBeGreaterThanOrEqual(5);
  });

  it('never writes to a pledge after it is fulfilled or withdrawn, except verifications', () => {
    const closed = new Set<string>();
    for (const op of plan.operations) {
      if (op.kind !== 'verification') expect(closed.has(op.pledge)).toBe(false);
      if (op.kind === 'fulfilment' || op.kind === 'withdrawal') closed.add(op.pledge);
    }
  });

  it('has about 10 amendments with reasons, several watering-downs and some strengthening, as planned', () => {
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
  });

  it('has about 6 withdrawals and 8 fulfilments, on distinct pledges, with reasons and notes', () => {
    const withdrawals = ofKind(plan, 'withdrawal');
    const fulfilments = ofKind(plan, 'fulfilment');
    expect(withdrawals).toHaveLength(6);
    expect(fulfilments).toHaveLength(8);
    const closed = [...withdrawals, ...fulfilments].map((op) => op.pledge);
    expect(new Set(closed).size).toBe(closed.length);
    withdrawals.forEach((op) => expect(op.reason.trim().length).toBeGreaterThanOrEqual(3));
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
  });

  it('is accepted by the pledge aggregate as it stands, step by step, whatever the seed', () => {
    for (const seed of [undefined, ...Array.from({ length: 20 }, (_, i) => `seed-${i}`)]) {
      const summary = replayThroughDomain(buildDemoPlan({ now: NOW, seed }));
      expect(summary.wateringDowns).toBeGreaterThanOrEqual(5);
      expect(summary.progress).toBeGreaterThan(100);
    }
  });
});

/**
 * Runs a plan through `decide`/`evolve` the way the API does (principals, server time = the plan's now), so a
 * plan the aggregate would refuse fails here, not in front of a newcomer. Throws the first DomainError.
 */
function replayThroughDomain(plan: DemoPlan): { progress: number; wateringDowns: number } {
  const now = new Date(plan.now);
  const organisations = new Map(plan.organisations.map((o, i) => [o.key, { ...o, id: `org-${i}` }]));
  const verifiers = new Map(plan.verifiers.map((v, i) => [v.key, { id: `ver-${i}`, name: v.name }]));
  const owner = new Map<string, Principal>();
  const states = new Map<string, PledgeState>();
  const reportIds = new Map<string, string>();
  let sequence = 0;
  const run = (pledge: string, command: PledgeCommand, principal: Principal) => {
    const before = states.get(pledge) ?? initialPledgeState;
    const events = decide(command, before, { now, principal, catalogue });
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
    run(pledge.key, { type: 'SubmitPledge', pledgeId: pledge.key, terms: pledge.terms }, principal);
  }
  let progress = 0;
  let wateringDowns = 0;
  for (const op of plan.operations) {
    const pledgeId = op.pledge;
    const org = owner.get(op.pledge)!;
    switch (op.kind) {
      case 'progress': {
        const reportId = `report-${++sequence}`;
        const { report, targetId, value, asOf, narrative, evidence } = op;
        run(
          pledgeId,
          { type: 'ReportProgress', pledgeId, reportId, targetId, value, asOf, narrative, evidence },
          org,
        );
        reportIds.set(report, reportId);
        progress++;
        break;
      }
      case 'correction': {
        const reportId = `report-${++sequence}`;
        const { value, asOf, narrative, evidence, reason } = op;
        const correctsReportId = reportIds.get(op.corrects)!;
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
        );
        reportIds.set(op.report, reportId);
        break;
      }
      case 'amendment': {
        const [event] = run(
          pledgeId,
          { type: 'AmendPledge', pledgeId, reason: op.reason, changes: op.changes },
          org,
        );
        const flagged = event.type === 'PledgeAmended' && event.data.wateringDown.length > 0;
        expect(flagged).toBe(op.wateringDown);
        if (flagged) wateringDowns++;
        break;
      }
      case 'fulfilment':
        run(pledgeId, { type: 'FulfilPledge', pledgeId, note: op.note }, org);
        break;
      case 'withdrawal':
        run(pledgeId, { type: 'WithdrawPledge', pledgeId, reason: op.reason }, org);
        break;
      case 'verification': {
        const verifier = verifiers.get(op.verifier)!;
        run(
          pledgeId,
          {
            type: 'RecordVerification',
            pledgeId,
            verificationId: `verification-${++sequence}`,
            outcome: op.outcome,
            note: op.note,
            ...(op.report ? { reportId: reportIds.get(op.report)! } : {}),
          },
          { id: verifier.id, role: 'verifier', name: verifier.name },
        );
        break;
      }
    }
  }
  return { progress, wateringDowns };
}
