// The pledge ledger's domain: pure rules and report maths, no framework, broker or database (DESIGN.md §3).
export * from './action-frameworks';
export * from './actor';
export * from './calendar-date';
export * from './decision-context';
export * from './domain-error';
export * from './geography';
export * from './money';
export * from './pledge-summary';
export * from './pledge-terms';
export { validatePledgeTerms } from './pledge-terms.validate';
export * from './pledge.commands';
export * from './pledge.decide';
export * from './pledge.events';
export * from './pledge.evolve';
export * from './pledge.state';
export * from './watering-down';
