import { ActionCatalogue, BUILT_IN_FRAMEWORKS, type ActionFramework } from './action-frameworks';

describe('action frameworks', () => {
  it('ships the WSIS+10 five critical actions and the Gender Caucus five priorities with stable codes', () => {
    const codes = Object.fromEntries(BUILT_IN_FRAMEWORKS.map((f) => [f.code, f.actions.map((a) => a.code)]));
    expect(codes).toEqual({
      'wsis10-gender-gap': ['policies', 'access', 'capacities', 'leadership', 'partnerships'],
      'gender-caucus': [
        'capacity-building',
        'entrepreneurship-employment',
        'governance-reform',
        'ict-for-peace-equality-development',
        'right-to-communicate',
      ],
    });
  });

  it('words the actions as the seed documents do', () => {
    const catalogue = new ActionCatalogue();
    expect(catalogue.findAction({ framework: 'wsis10-gender-gap', action: 'leadership' })?.title).toBe(
      'Promoting women in the technology sector, particularly in positions of decision-making',
    );
    expect(
      catalogue.findAction({ framework: 'gender-caucus', action: 'right-to-communicate' })?.description,
    ).toMatch(/^Support for the recognition of a Universal Right to Communicate/);
    for (const framework of BUILT_IN_FRAMEWORKS) {
      for (const action of framework.actions) {
        expect(action.title.length).toBeGreaterThan(10);
        expect(action.description.length).toBeGreaterThan(50);
      }
    }
  });

  it('keeps the built-in reference data immutable', () => {
    expect(Object.isFrozen(BUILT_IN_FRAMEWORKS)).toBe(true);
    expect(Object.isFrozen(BUILT_IN_FRAMEWORKS[0].actions[0])).toBe(true);
  });

  it('tells known actions from unknown ones', () => {
    const catalogue = new ActionCatalogue();
    expect(catalogue.has({ framework: 'gender-caucus', action: 'governance-reform' })).toBe(true);
    expect(catalogue.has({ framework: 'gender-caucus', action: 'policies' })).toBe(false);
    expect(catalogue.has({ framework: 'sdg5', action: 'policies' })).toBe(false);
    expect(catalogue.find('sdg5')).toBeUndefined();
    expect(catalogue.list().map((f) => f.code)).toEqual(['wsis10-gender-gap', 'gender-caucus']);
  });

  it('registers more frameworks and refuses a misconfigured one', () => {
    const sdg5: ActionFramework = {
      code: 'sdg5',
      name: 'SDG 5',
      source: 'UN',
      actions: [
        { code: '5b', title: 'Enabling technology', description: 'Enhance the use of enabling technology' },
      ],
    };
    const catalogue = new ActionCatalogue().register(sdg5);
    expect(catalogue.has({ framework: 'sdg5', action: '5b' })).toBe(true);
    expect(() => catalogue.register(sdg5)).toThrow(/already registered/);
    expect(() => new ActionCatalogue([{ ...sdg5, code: 'SDG 5' }])).toThrow(/must match/);
    expect(() => new ActionCatalogue([{ ...sdg5, actions: [] }])).toThrow(/no actions/);
    expect(() => new ActionCatalogue([{ ...sdg5, actions: [sdg5.actions[0], sdg5.actions[0]] }])).toThrow(
      /twice/,
    );
  });

  it('can start from an empty catalogue', () => {
    expect(new ActionCatalogue([]).list()).toEqual([]);
  });
});
