import { Query } from 'mingo';
import { cloneDeep, compare, isEqual, isObject, resolve, unique } from 'mingo/util';
import { GovernorError } from '../../errors/index.js';
import type { Doc, Update } from '../document-store.js';

/**
 * The seven update operators, applied in process. mingo's `update()` rebuilds its whole operator
 * context on every call, which dominated `updateOne`; this is a direct port of its semantics for
 * the operators `validate.ts` admits (mingo stays the reference in the conformance suite), so its
 * quirks stay too: `$inc` on a non-number, `$push` onto a non-array and a dotted path through a
 * scalar change nothing, while two overlapping paths or a bad `$slice`/`$position` fail.
 */

type Obj = Record<string, unknown>;
/** Changes `o[key]`; true when something changed. */
type Mutate = (o: Obj, key: string) => boolean;
type Apply = (doc: Obj, field: string, value: unknown) => boolean;

const isDigits = (s: string) => /^\d*$/.test(s);
const isNumber = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);
const has = (o: unknown, k: string) => Object.hasOwn(o as object, k);

/**
 * Calls `fn` on the container of the last segment of `path`. `build` creates missing intermediate
 * objects (a scalar in the way leaves the update a no-op); `descend` applies the rest
 * of the path to every element of an array met on the way unless the next segment is an index.
 */
function walk(obj: unknown, path: string, fn: Mutate, build: boolean, descend = false): boolean {
  if (obj === Object.prototype) return false;
  const dot = path.indexOf('.');
  if (dot === -1)
    return isObject(obj) || (Array.isArray(obj) && isDigits(path)) ? fn(obj as Obj, path) : false;
  const key = path.slice(0, dot);
  const rest = path.slice(dot + 1);
  const o = obj as Obj;
  // mingo runs as sloppy-mode CommonJS under Node, where creating a field on a scalar is silently ignored.
  if (build && typeof obj === 'object' && (o[key] === null || o[key] === undefined)) o[key] = {};
  const item = o[key];
  if (!item) return false;
  if (!(Array.isArray(item) && descend && !isDigits(rest.split('.', 1)[0] as string)))
    return walk(item, rest, fn, build, descend);
  let changed = false;
  for (const e of item) changed = walk(e, rest, fn, build, descend) || changed;
  return changed;
}

const set =
  (value: unknown): Mutate =>
  (o, k) => {
    if (isEqual(o[k], value)) return false;
    o[k] = cloneDeep(value);
    return true;
  };

/** `{$each: [value]}`, or the value itself when it carries modifiers. */
function modifiers(value: unknown, names: string[]): Obj {
  const withModifiers = isObject(value) && names.some((m) => has(value, m));
  return { $each: [value], ...(withModifiers ? (value as Obj) : {}) };
}

interface PushArgs {
  $each: unknown[];
  $slice?: number;
  $position?: number;
  $sort?: unknown;
}

const push: Apply = (doc, field, value) => {
  const args = modifiers(value, ['$each', '$slice', '$sort', '$position']) as unknown as PushArgs;
  const { $each, $slice, $position, $sort } = args;
  for (const [name, v] of [
    ['$slice', $slice],
    ['$position', $position],
  ] as const)
    if (v !== undefined && !Number.isInteger(v)) throw new Error(`the value for ${name} must be an integer`);
  const mutate: Mutate = (o, k) => {
    const arr = o[k];
    if (!Array.isArray(arr)) {
      if (arr !== undefined) return false;
      o[k] = cloneDeep($each);
      return true;
    }
    const prev = arr.slice(0, $slice || arr.length);
    const size = arr.length;
    arr.splice(isNumber($position) ? $position : arr.length, 0, ...cloneDeep($each));
    if ($sort) {
      const key = isObject($sort) ? (Object.keys($sort)[0] ?? '') : '';
      const order = (key ? ($sort as Obj)[key] : $sort) as number;
      const at = (a: unknown) => (key ? resolve(a as Obj, key) : a);
      arr.sort((a, b) => order * compare(at(a), at(b)));
    }
    if (isNumber($slice)) arr.splice(...(($slice < 0 ? [0, arr.length + $slice] : [$slice]) as [number]));
    return size !== arr.length || !isEqual(prev, arr);
  };
  return walk(doc, field, mutate, true, true);
};

const addToSet: Apply = (doc, field, value) => {
  const { $each } = modifiers(value, ['$each']) as { $each: unknown[] };
  return walk(
    doc,
    field,
    (o, k) => {
      const prev = o[k];
      if (Array.isArray(prev)) {
        // Like mingo: the result is the de-duplicated union, so existing duplicates collapse too.
        const union = unique(prev.concat($each));
        if (union.length === prev.length) return false;
        o[k] = cloneDeep(union);
      } else if (prev === undefined) o[k] = cloneDeep($each);
      else return false;
      return true;
    },
    true,
  );
};

const pull: Apply = (doc, field, value) => {
  const wrap = !isObject(value) || Object.keys(value).some((k) => k.startsWith('$'));
  const query = new Query((wrap ? { k: value } : value) as Obj);
  const matches = wrap ? (v: unknown) => query.test({ k: v }) : (v: unknown) => query.test(v as Obj);
  return walk(
    doc,
    field,
    (o, k) => {
      const prev = o[k];
      if (!Array.isArray(prev)) return false;
      const kept = prev.filter((v) => !matches(v));
      if (kept.length === prev.length) return false;
      o[k] = kept;
      return true;
    },
    false,
  );
};

const OPERATORS: Record<string, Apply> = {
  $set: (doc, field, value) => walk(doc, field, set(value), true),
  $unset: (doc, field) =>
    walk(
      doc,
      field,
      (o, k) => {
        if (!has(o, k)) return false;
        const prev = o[k];
        if (Array.isArray(o)) o[k] = null;
        else delete o[k];
        return !isEqual(prev, o[k]);
      },
      false,
    ),
  $inc: (doc, field, value) =>
    walk(
      doc,
      field,
      (o, k) => {
        const prev = o[k];
        if (!isNumber(prev) && prev !== undefined) return false;
        o[k] = (prev || 0) + (value as number);
        return o[k] !== prev;
      },
      true,
    ),
  $push: push,
  $addToSet: addToSet,
  $pull: pull,
  $rename: (doc, field, target) =>
    walk(
      doc,
      field,
      (o, k) => {
        if (!has(o, k)) return false;
        walk(doc, target as string, set(o[k]), true);
        delete o[k];
        return true;
      },
      false,
    ),
};

/** MongoDB refuses an update whose paths overlap (`a` and `a.b`, or `a` twice) or touch `__proto__`. */
function checkPaths(update: Update): void {
  const paths = Object.values(update).flatMap((fields) => Object.keys(fields as Obj));
  paths.push(...Object.values((update.$rename ?? {}) as Obj).map(String));
  for (const [i, p] of paths.entries()) {
    if (p.includes('__proto__') && p.split('.').includes('__proto__'))
      throw new Error(`accessing __proto__ is not allowed in '${p}'`);
    for (const q of paths.slice(i + 1))
      if (p === q || p.startsWith(`${q}.`) || q.startsWith(`${p}.`))
        throw new Error(`updating the path '${p}' would create a conflict at '${q}'`);
  }
}

/**
 * Applies a validated update to a copy of `doc`; returns the new document and whether anything
 * changed, so stores can skip writes that would change nothing.
 */
export function applyUpdate<T extends Doc>(doc: T, update: Update): { doc: T; changed: boolean } {
  const copy = structuredClone(doc) as Obj;
  let changed = false;
  try {
    checkPaths(update);
    for (const [op, fields] of Object.entries(update)) {
      const apply = OPERATORS[op] as Apply;
      for (const [field, value] of Object.entries(fields as Obj))
        changed = apply(copy, field, value) || changed;
    }
  } catch (err) {
    // e.g. `$set` of both `a` and `a.b`: MongoDB refuses these writes too.
    throw new GovernorError(
      'invalid_query',
      `cannot apply update to '${doc.id}': ${(err as Error).message}`,
      {
        id: doc.id,
      },
    );
  }
  return { doc: copy as T, changed };
}
