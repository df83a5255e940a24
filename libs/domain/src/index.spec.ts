import * as domain from '@ledger/domain';

// Other parts of the ledger import these names from '@ledger/domain'; removing one breaks them.
describe('@ledger/domain public surface', () => {
  it.each([
    'ACTOR_TYPES',
    'BUILT_IN_FRAMEWORKS',
    'ActionCatalogue',
    'isCountryCode',
    'isCurrencyCode',
    'REGIONS',
    'PLEDGE_EVENT_TYPES',
    'findWateringDown',
    'initialPledgeState',
    'evolve',
    'foldPledge',
    'decide',
    'DomainErrorCode',
    'DomainError',
    'summarisePledge',
  ])('exports %s', (name) => {
    expect((domain as Record<string, unknown>)[name]).toBeDefined();
  });
});
