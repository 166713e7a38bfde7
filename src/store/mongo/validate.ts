import { GovernorError } from '../../errors/index.js';
import type { Filter, FindOptions, Update } from '../document-store.js';

/**
 * Validation of filters and updates before anything evaluates them. mingo would throw on some
 * unknown operators and accept others (e.g. `$where`, `$expr`, aggregation operators); this is the
 * one place that decides what Governor accepts, so an unsupported operator is always a typed
 * `invalid_query` naming the operator and where it sits, never silently ignored or executed.
 */

const LOGICAL = new Set(['$and', '$or', '$nor']);
const FIELD_OPERATORS = new Set([
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$not',
  '$exists',
  '$type',
  '$regex',
  '$options',
  '$all',
  '$elemMatch',
  '$size',
]);
const UPDATE_OPERATORS = new Set(['$set', '$unset', '$inc', '$push', '$pull', '$addToSet', '$rename']);
const EACH_MODIFIERS = new Set(['$each', '$position', '$slice', '$sort']);

function invalid(message: string, path: string, operator?: string): GovernorError {
  return new GovernorError('invalid_query', message, operator ? { operator, path } : { path });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RegExp);

const join = (base: string, key: string | number) => (base ? `${base}.${key}` : String(key));

function isOperatorObject(v: unknown, path: string): v is Record<string, unknown> {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length === 0) return false;
  if (ops.length !== keys.length) {
    throw invalid(`cannot mix operators and fields in one object at '${path}'`, path);
  }
  return true;
}

function checkArray(v: unknown, path: string, op: string): unknown[] {
  if (!Array.isArray(v)) throw invalid(`${op} needs an array at '${path}'`, path, op);
  return v;
}

function validateOperators(ops: Record<string, unknown>, path: string): void {
  for (const [op, arg] of Object.entries(ops)) {
    const at = join(path, op);
    if (!FIELD_OPERATORS.has(op)) throw invalid(`unknown query operator '${op}' at '${path}'`, at, op);
    switch (op) {
      case '$in':
      case '$nin':
      case '$all':
        for (const [i, item] of checkArray(arg, at, op).entries()) {
          if (op === '$all' && isOperatorObject(item, join(at, i))) {
            validateOperators(item as Record<string, unknown>, join(at, i));
          }
        }
        break;
      case '$size':
        if (!Number.isInteger(arg) || (arg as number) < 0)
          throw invalid(`$size needs a non-negative integer at '${path}'`, at, op);
        break;
      case '$regex':
        if (typeof arg !== 'string' && !(arg instanceof RegExp))
          throw invalid(`$regex needs a string at '${path}'`, at, op);
        try {
          if (typeof arg === 'string') new RegExp(arg, (ops.$options as string | undefined) ?? '');
        } catch (err) {
          throw invalid(`invalid regular expression at '${path}': ${(err as Error).message}`, at, op);
        }
        break;
      case '$options':
        if (!('$regex' in ops)) throw invalid(`$options without $regex at '${path}'`, at, op);
        if (typeof arg !== 'string' || !/^[imsu]*$/.test(arg))
          throw invalid(`$options must be a string of i, m, s, u at '${path}'`, at, op);
        break;
      case '$type':
        for (const t of Array.isArray(arg) ? arg : [arg]) {
          if (typeof t !== 'string' && typeof t !== 'number')
            throw invalid(`$type needs a type name or number at '${path}'`, at, op);
        }
        break;
      case '$not':
        if (isOperatorObject(arg, at)) validateOperators(arg, path);
        else if (!(arg instanceof RegExp))
          throw invalid(`$not needs an operator object at '${path}'`, at, op);
        break;
      case '$elemMatch':
        if (!isPlainObject(arg)) throw invalid(`$elemMatch needs an object at '${path}'`, at, op);
        if (isOperatorObject(arg, at)) validateOperators(arg, path);
        else validateFilterAt(arg, at);
        break;
    }
  }
}

function validateFilterAt(filter: unknown, path: string): void {
  if (!isPlainObject(filter)) throw invalid(`a filter must be an object at '${path || '(root)'}'`, path);
  for (const [key, value] of Object.entries(filter)) {
    const at = join(path, key);
    if (key.startsWith('$')) {
      if (!LOGICAL.has(key)) throw invalid(`unknown top-level operator '${key}'`, at, key);
      const branches = checkArray(value, at, key);
      if (branches.length === 0) throw invalid(`${key} needs a non-empty array at '${at}'`, at, key);
      for (const [i, b] of branches.entries()) validateFilterAt(b, join(at, i));
      continue;
    }
    if (key === '' || key.split('.').includes('')) throw invalid(`empty field name in '${key}'`, at);
    const misplaced = key.split('.').find((s) => s.startsWith('$'));
    if (misplaced) throw invalid(`operator '${misplaced}' cannot appear inside a field path`, at, misplaced);
    if (isOperatorObject(value, at)) validateOperators(value, at);
  }
}

/** Throws `invalid_query` unless `filter` uses only the supported MongoDB query operators. */
export function validateFilter(filter: unknown): asserts filter is Filter {
  validateFilterAt(filter, '');
}

function validateModifierValue(op: string, field: string, value: unknown, at: string): void {
  if (field === 'id' || field.startsWith('id.')) throw invalid(`the document id cannot be updated`, at, op);
  if (field === '' || field.split('.').some((s) => s === '' || s.startsWith('$')))
    throw invalid(`invalid field path '${field}' in ${op}`, at, op);
  if (op === '$inc' && typeof value !== 'number') throw invalid(`$inc needs a number at '${at}'`, at, op);
  if (op === '$rename') {
    if (typeof value !== 'string' || value === '' || value === 'id' || value.startsWith('id.'))
      throw invalid(`$rename needs a target field name at '${at}'`, at, op);
  }
  if ((op === '$push' || op === '$addToSet') && isOperatorObject(value, at)) {
    for (const m of Object.keys(value)) {
      if (!EACH_MODIFIERS.has(m) || (op === '$addToSet' && m !== '$each'))
        throw invalid(`unknown modifier '${m}' in ${op} at '${at}'`, join(at, m), m);
    }
    checkArray(value.$each, join(at, '$each'), '$each');
  }
  if (op === '$pull' && isPlainObject(value)) {
    if (isOperatorObject(value, at)) validateOperators(value, at);
    else validateFilterAt(value, at);
  }
}

/** Throws `invalid_query` unless `update` is a document of supported update operators. */
export function validateUpdate(update: unknown): asserts update is Update {
  if (!isPlainObject(update)) throw invalid('an update must be an object of update operators', '');
  const entries = Object.entries(update);
  if (entries.length === 0) throw invalid('an update needs at least one operator', '');
  for (const [op, fields] of entries) {
    if (!op.startsWith('$'))
      throw invalid(`update field '${op}' is not an operator: use $set, or replace the document`, op);
    if (!UPDATE_OPERATORS.has(op)) throw invalid(`unknown update operator '${op}'`, op, op);
    if (!isPlainObject(fields)) throw invalid(`${op} needs an object of fields`, op, op);
    for (const [field, value] of Object.entries(fields))
      validateModifierValue(op, field, value, join(op, field));
  }
}

function nonNegativeInteger(v: unknown, field: string): void {
  if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0))
    throw invalid(`${field} must be a non-negative integer`, field);
}

/** Throws `invalid_query` for a sort that is not `{path: 1|-1}`, a bad limit/skip or a mixed projection. */
export function validateOptions(options: FindOptions): void {
  nonNegativeInteger(options.limit, 'limit');
  nonNegativeInteger(options.skip, 'skip');
  if (options.sort !== undefined) {
    if (!isPlainObject(options.sort)) throw invalid('sort must be an object of {path: 1 | -1}', 'sort');
    for (const [k, v] of Object.entries(options.sort)) {
      if (v !== 1 && v !== -1) throw invalid(`sort direction for '${k}' must be 1 or -1`, join('sort', k));
    }
  }
  if (options.projection !== undefined) {
    if (!isPlainObject(options.projection)) throw invalid('projection must be an object', 'projection');
    const kinds = new Set<boolean>();
    for (const [k, v] of Object.entries(options.projection)) {
      if (v !== 0 && v !== 1 && v !== true && v !== false)
        throw invalid(`projection of '${k}' must be 0 or 1`, join('projection', k));
      if (k !== 'id') kinds.add(v === 1 || v === true);
    }
    if (kinds.size > 1) throw invalid('projection cannot mix inclusion and exclusion', 'projection');
  }
}
