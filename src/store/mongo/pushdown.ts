import type { Filter } from '../document-store.js';

/**
 * Which parts of a MongoDB filter a SQL store can evaluate itself. The result is a *conservative
 * pre-filter*: every document the filter matches also passes it (no false negatives), and every
 * candidate is re-checked in process with mingo (evaluate.ts), so false positives cost only time.
 *
 * Pushed down (per conjunct; `$and` and `$or` of pushable branches combine):
 *   - equality with a string, number or boolean (`{p: v}`, `{p: {$eq: v}}`)
 *   - `$gt $gte $lt $lte` with a number, or a string whose characters sort the same in UTF-8 and
 *     UTF-16 (below U+D800), so SQL byte order cannot drop a match
 *   - `$in` over strings, numbers and booleans
 *   - `$exists: true`
 * Evaluated in process only: `$ne $nin $not $nor $exists:false $type $regex $all $elemMatch $size`,
 * equality with null, objects or arrays, and any path with a numeric or unusual segment (`a.0`
 * may be an array index or a key).
 *
 * MongoDB's array semantics (`{"a.b": 1}` matches `a: [{b: 1}]`, `{tags: "x"}` matches
 * `tags: ["x"]`) are kept by letting a document through whenever any prefix of the path is an
 * array (see `sql/render.ts`). Type bracketing (a number is never `$gt` a string) is left to the
 * re-check. Only predicates on `id` (a string column) are exact; sort, skip and limit go to SQL
 * only when the whole filter was pushed exactly and the sort is on `id`.
 */

export type Scalar = string | number | boolean;
export type CmpOp = '=' | '>' | '>=' | '<' | '<=';

export type Pushed =
  | { kind: 'cmp'; path: string[]; op: CmpOp; value: Scalar }
  | { kind: 'in'; path: string[]; values: Scalar[] }
  | { kind: 'exists'; path: string[] }
  | { kind: 'and' | 'or'; items: Pushed[] };

export interface PushdownPlan {
  /** The pre-filter; undefined means every document is a candidate. */
  where: Pushed | undefined;
  /** True when `where` is exactly the filter, so SQL may also sort, skip and limit. */
  exact: boolean;
}

const RANGE_OPS: Record<string, CmpOp> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };
const SAFE_SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** True when every character is below U+D800, where UTF-8 byte order equals UTF-16 order. */
function sortsAlikeInUtf8AndUtf16(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0xd800) return false;
  return true;
}

const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

const isId = (path: string[]) => path.length === 1 && path[0] === 'id';

function combine(kind: 'and' | 'or', items: Pushed[]): Pushed | undefined {
  if (items.length === 0) return undefined;
  return items.length === 1 ? items[0] : { kind, items };
}

/** One operator on one path: the pushed predicate (if any) and whether it is exact. */
function planOperator(path: string[], op: string, arg: unknown): { p?: Pushed; exact: boolean } {
  const idExact = isId(path);
  if (op === '$eq' && isScalar(arg)) {
    return { p: { kind: 'cmp', path, op: '=', value: arg }, exact: idExact && typeof arg === 'string' };
  }
  const range = RANGE_OPS[op];
  if (range) {
    const ok =
      typeof arg === 'number'
        ? Number.isFinite(arg)
        : typeof arg === 'string' && sortsAlikeInUtf8AndUtf16(arg);
    if (!ok) return { exact: false };
    return {
      p: { kind: 'cmp', path, op: range, value: arg as Scalar },
      exact: idExact && typeof arg === 'string',
    };
  }
  if (op === '$in' && Array.isArray(arg) && arg.every(isScalar)) {
    return {
      p: { kind: 'in', path, values: arg },
      exact: idExact && arg.every((v) => typeof v === 'string'),
    };
  }
  if (op === '$exists' && arg === true) return { p: { kind: 'exists', path }, exact: idExact };
  return { exact: false };
}

/** The segments of a dotted path SQL can address safely, or undefined (numeric or odd segments). */
export function sqlPath(key: string): string[] | undefined {
  const path = key.split('.');
  return path.every((s) => SAFE_SEGMENT.test(s)) ? path : undefined;
}

function planField(key: string, value: unknown): { p?: Pushed; exact: boolean } {
  const path = sqlPath(key);
  if (!path) return { exact: false };
  const isOps =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).some((k) => k.startsWith('$'));
  if (!isOps) return planOperator(path, '$eq', value);
  const items: Pushed[] = [];
  let exact = true;
  for (const [op, arg] of Object.entries(value as Record<string, unknown>)) {
    const r = planOperator(path, op, arg);
    if (r.p) items.push(r.p);
    exact &&= r.exact;
  }
  return { p: combine('and', items), exact };
}

/** Plans a validated filter. */
export function planFilter(filter: Filter): PushdownPlan {
  const items: Pushed[] = [];
  let exact = true;
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or') {
      const branches = (value as Filter[]).map(planFilter);
      exact &&= branches.every((b) => b.exact);
      if (key === '$and') items.push(...branches.flatMap((b) => (b.where ? [b.where] : [])));
      else if (branches.every((b) => b.where))
        items.push(
          combine(
            'or',
            branches.map((b) => b.where!),
          )!,
        );
      else exact = false;
      continue;
    }
    if (key === '$nor') {
      exact = false;
      continue;
    }
    const r = planField(key, value);
    if (r.p) items.push(r.p);
    exact &&= r.exact;
  }
  return { where: combine('and', items), exact };
}
