import type { Doc, Filter } from '../../src/store/index.js';

/** The shared data set of the hand-written query cases: each id shows one MongoDB rule. */
export const PEOPLE: Doc[] = [
  {
    id: 'n1',
    name: 'alpha',
    n: 5,
    tags: ['x', 'y'],
    cluster: { reputation: 95, id: 'c1' },
    policies: { autoscaler: { policyRuleURI: 'p:1' } },
    items: [{ b: 1 }, { b: 2 }],
  },
  {
    id: 'n2',
    name: 'beta',
    n: '5',
    tags: ['y'],
    cluster: { reputation: 80, id: 'c1' },
    policies: { autoscaler: { policyRuleURI: '' } },
    items: [{ b: 3 }],
  },
  { id: 'n3', name: 'gamma', n: null, tags: [], cluster: { reputation: 91, id: 'c2' }, items: [] },
  { id: 'n4', name: 'Delta', n: 12.5, flag: true, cluster: { id: 'c2' } },
  { id: 'n5', n: [1, 7], flag: false, tags: 'x' },
  { id: 'n6' },
];

/** [what it shows, filter, ids expected in id order]. */
export const QUERY_CASES: Array<[string, Filter, string[]]> = [
  ['an empty filter matches everything', {}, ['n1', 'n2', 'n3', 'n4', 'n5', 'n6']],
  ['equality is typed: 5 does not match "5"', { n: 5 }, ['n1']],
  ['$gt compares within a type and looks into arrays', { n: { $gt: 4 } }, ['n1', 'n4', 'n5']],
  ['$gte on a string matches strings only', { n: { $gte: '5' } }, ['n2']],
  ['$lt matches an array element', { n: { $lt: 2 } }, ['n5']],
  ['$lte', { n: { $lte: 5 } }, ['n1', 'n5']],
  ['$ne matches missing and other types', { n: { $ne: 5 } }, ['n2', 'n3', 'n4', 'n5', 'n6']],
  ['null matches null and missing', { n: null }, ['n3', 'n6']],
  ['$in', { n: { $in: [5, '5'] } }, ['n1', 'n2']],
  ['$nin excludes null and missing when null is listed', { n: { $nin: [5, null] } }, ['n2', 'n4', 'n5']],
  ['a scalar matches an array containing it', { tags: 'x' }, ['n1', 'n5']],
  ['$all', { tags: { $all: ['x', 'y'] } }, ['n1']],
  ['$size', { tags: { $size: 1 } }, ['n2']],
  ['a dotted path reaches into arrays of objects', { 'items.b': 2 }, ['n1']],
  ['$elemMatch', { items: { $elemMatch: { b: { $gt: 1 } } } }, ['n1', 'n2']],
  ['$exists: true', { flag: { $exists: true } }, ['n4', 'n5']],
  ['$exists: false', { flag: { $exists: false } }, ['n1', 'n2', 'n3', 'n6']],
  ['$type', { n: { $type: 'string' } }, ['n2']],
  ['$regex', { name: { $regex: '^a' } }, ['n1']],
  ['$regex with $options', { name: { $regex: '^d', $options: 'i' } }, ['n4']],
  ['$not negates, so it matches missing', { n: { $not: { $gt: 4 } } }, ['n2', 'n3', 'n6']],
  ['$or', { $or: [{ n: 5 }, { flag: true }] }, ['n1', 'n4']],
  ['$and', { $and: [{ 'cluster.id': 'c2' }, { flag: { $exists: true } }] }, ['n4']],
  ['$nor', { $nor: [{ n: 5 }, { tags: 'x' }] }, ['n2', 'n3', 'n4', 'n6']],
  [
    'the seed query on cluster.reputation and policies.autoscaler.policyRuleURI',
    { 'cluster.reputation': { $gt: 90 }, 'policies.autoscaler.policyRuleURI': { $ne: '' } },
    ['n1', 'n3'],
  ],
  ['$in on id', { id: { $in: ['n2', 'n4'] } }, ['n2', 'n4']],
  ['a range on id', { id: { $gt: 'n4' } }, ['n5', 'n6']],
  ['a boolean equality does not match the number 1', { flag: true }, ['n4']],
];
