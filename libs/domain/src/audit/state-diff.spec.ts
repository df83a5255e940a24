import type { PledgeEvent } from '../pledge.events';
import { foldPledge } from '../pledge.evolve';
import { PLEDGE_ID, aReductionTarget, aTarget, pledgeSubmitted, someTerms } from '../testing/pledge-fixtures';
import { diffJson } from './state-diff';

describe('diffJson', () => {
  it('finds no change between equal values', () => {
    expect(diffJson({ a: [1, { b: null }], c: 'x' }, { c: 'x', a: [1, { b: null }] })).toEqual([]);
    expect(diffJson(3, 3)).toEqual([]);
    expect(diffJson(null, null)).toEqual([]);
  });

  it('points at a changed primitive deep inside', () => {
    expect(
      diffJson({ terms: { targets: [{ targetValue: 10 }] } }, { terms: { targets: [{ targetValue: 5 }] } }),
    ).toEqual([{ path: '/terms/targets/0/targetValue', before: 10, after: 5 }]);
  });

  it('reports an added key with before undefined and a removed key with after undefined', () => {
    expect(diffJson({ a: 1 }, { a: 1, b: { c: 2 } })).toEqual([
      { path: '/b', before: undefined, after: { c: 2 } },
    ]);
    expect(diffJson({ a: 1, b: 2 }, { a: 1 })).toEqual([{ path: '/b', before: 2, after: undefined }]);
  });

  it('compares arrays index by index, reporting appended and dropped elements', () => {
    expect(diffJson([1, 2], [1, 3, 4])).toEqual([
      { path: '/1', before: 2, after: 3 },
      { path: '/2', before: undefined, after: 4 },
    ]);
    expect(diffJson({ list: ['a', 'b', 'c'] }, { list: ['a'] })).toEqual([
      { path: '/list/1', before: 'b', after: undefined },
      { path: '/list/2', before: 'c', after: undefined },
    ]);
  });

  it('gives one change where the kind of value changes', () => {
    expect(diffJson({ a: { b: 1 } }, { a: [1] })).toEqual([{ path: '/a', before: { b: 1 }, after: [1] }]);
    expect(diffJson({ a: null }, { a: { b: 1 } })).toEqual([{ path: '/a', before: null, after: { b: 1 } }]);
    expect(diffJson({ a: '1' }, { a: 1 })).toEqual([{ path: '/a', before: '1', after: 1 }]);
    expect(diffJson([], {})).toEqual([{ path: '', before: [], after: {} }]);
  });

  it('uses the empty pointer for a change of the whole value', () => {
    expect(diffJson('draft', 'final')).toEqual([{ path: '', before: 'draft', after: 'final' }]);
    expect(diffJson(undefined, { a: 1 })).toEqual([{ path: '', before: undefined, after: { a: 1 } }]);
  });

  it('lists changes in sorted key order, whatever the key order of the inputs', () => {
    const changes = diffJson(
      { zeta: 1, alpha: 1, mid: { y: 1, b: 1 } },
      { mid: { b: 2, y: 2 }, alpha: 2, zeta: 2 },
    );
    expect(changes.map((c) => c.path)).toEqual(['/alpha', '/mid/b', '/mid/y', '/zeta']);
  });

  it('escapes "~" and "/" in keys as RFC 6901 says', () => {
    expect(diffJson({ 'a/b': 1, 'c~d': 1 }, { 'a/b': 2, 'c~d': 2 }).map((c) => c.path)).toEqual([
      '/a~1b',
      '/c~0d',
    ]);
  });

  it('reads values as JSON would: a key holding undefined is absent, a Date is its ISO string', () => {
    expect(diffJson({ a: 1, b: undefined }, { a: 1 })).toEqual([]);
    expect(diffJson({ at: new Date('2025-01-01T00:00:00Z') }, { at: '2025-01-01T00:00:00.000Z' })).toEqual(
      [],
    );
    expect(
      diffJson({ at: new Date('2025-01-01T00:00:00Z') }, { at: new Date('2025-01-02T00:00:00Z') }),
    ).toEqual([{ path: '/at', before: '2025-01-01T00:00:00.000Z', after: '2025-01-02T00:00:00.000Z' }]);
  });

  it('shows what an amendment changed between two versions of a pledge', () => {
    const amended: PledgeEvent = {
      type: 'PledgeAmended',
      data: {
        pledgeId: PLEDGE_ID,
        reason: 'Budget cut',
        previous: { targets: someTerms().targets },
        changes: { targets: [aTarget({ targetValue: 5000 }), aReductionTarget()] },
        wateringDown: [{ kind: 'target-lowered', targetId: 'women-trained', from: 10000, to: 5000 }],
        amendedAt: '2025-02-01T00:00:00.000Z',
      },
    };
    const before = foldPledge([pledgeSubmitted()]);
    const after = foldPledge([pledgeSubmitted(), amended]);
    expect(diffJson(before, after)).toEqual([
      { path: '/amendments', before: 0, after: 1 },
      { path: '/lastAmendedAt', before: undefined, after: '2025-02-01T00:00:00.000Z' },
      { path: '/terms/targets/0/targetValue', before: 10000, after: 5000 },
      { path: '/version', before: 1, after: 2 },
      {
        path: '/wateringDown/0',
        before: undefined,
        after: { kind: 'target-lowered', targetId: 'women-trained', from: 10000, to: 5000 },
      },
    ]);
  });
});
