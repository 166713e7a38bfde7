import { describe, expect, it } from 'vitest';
import { planFilter } from '../../src/store/mongo/index.js';

describe('query pushdown planner', () => {
  it('pushes equality and ranges on dotted paths, but never calls them exact', () => {
    expect(planFilter({ 'cluster.reputation': { $gt: 90 }, 'cluster.id': 'c1' })).toEqual({
      where: {
        kind: 'and',
        items: [
          { kind: 'cmp', path: ['cluster', 'reputation'], op: '>', value: 90 },
          { kind: 'cmp', path: ['cluster', 'id'], op: '=', value: 'c1' },
        ],
      },
      exact: false,
    });
  });

  it('treats string predicates on id as exact, so SQL may sort and limit', () => {
    expect(planFilter({ id: { $in: ['a', 'b'] } }).exact).toBe(true);
    expect(planFilter({}).exact).toBe(true);
  });

  it('keeps operators it cannot express for the in-process check', () => {
    expect(planFilter({ a: { $ne: 1 }, b: { $regex: 'x' }, 'c.0': 1, d: null })).toEqual({
      where: undefined,
      exact: false,
    });
  });

  it('pushes an $or only when every branch has something to push', () => {
    expect(planFilter({ $or: [{ a: 1 }, { b: { $in: [1, 2] } }] }).where?.kind).toBe('or');
    expect(planFilter({ $or: [{ a: 1 }, { b: { $ne: 2 } }] }).where).toBeUndefined();
  });

  it('does not push a string range that UTF-8 and UTF-16 would order differently', () => {
    expect(planFilter({ a: { $gt: '\uffff' } }).where).toBeUndefined();
    expect(planFilter({ a: { $gt: 'm' } }).where).toBeDefined();
  });
});
