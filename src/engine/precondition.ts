/**
 * Preconditions: `field OP value` with OP one of `== != > >= < <= in not_in`, parsed once at load.
 * Values are typed: numbers compare as numbers (`320 == 320.0`), `true`/`false` as booleans, anything
 * else as text. The original's null rules are kept: a null field fails `==` and passes `!=`; it fails
 * ordering and `in`, and passes `not_in`.
 */
import type { Entity } from './entities.js';
import { fieldReader } from './field.js';

export const PRECONDITION_OPS = ['==', '!=', '>', '>=', '<', '<=', 'in', 'not_in'] as const;
export type PreconditionOp = (typeof PRECONDITION_OPS)[number];
type Literal = string | number | boolean;

export interface Precondition {
  text: string;
  field: string;
  op: PreconditionOp;
  value: Literal | Literal[];
  read: (e: Entity) => unknown;
  test: (observed: unknown) => boolean;
}

const PATTERN = /^([A-Za-z_][\w.]*)\s*(==|!=|>=|<=|>|<|\s+in\s+|\s+not_in\s+)\s*(.*)$/;

function parseLiteral(raw: string): Literal {
  const t = raw.trim();
  const quoted = /^(['"])(.*)\1$/.exec(t);
  if (quoted) return quoted[2]!;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  return t;
}

/** Equality across the types a field can hold: enums and strings by text, numbers by value. */
function same(observed: unknown, expected: Literal): boolean {
  if (typeof expected === 'number')
    return typeof observed === 'number' ? observed === expected : String(observed) === String(expected);
  if (typeof expected === 'boolean')
    return observed === expected || String(observed).toLowerCase() === String(expected);
  return String(observed) === expected;
}

function tester(op: PreconditionOp, value: Literal | Literal[]): (observed: unknown) => boolean {
  switch (op) {
    case '==':
      return (o) => o !== null && same(o, value as Literal);
    case '!=':
      return (o) => o === null || !same(o, value as Literal);
    case 'in':
      return (o) => o !== null && (value as Literal[]).some((v) => same(o, v));
    case 'not_in':
      return (o) => o === null || !(value as Literal[]).some((v) => same(o, v));
    case '>':
      return (o) => typeof o === 'number' && o > (value as number);
    case '>=':
      return (o) => typeof o === 'number' && o >= (value as number);
    case '<':
      return (o) => typeof o === 'number' && o < (value as number);
    case '<=':
      return (o) => typeof o === 'number' && o <= (value as number);
  }
}

/** Parses one precondition; returns an error message instead when it cannot be understood. */
export function parsePrecondition(text: string): Precondition | { error: string } {
  const m = PATTERN.exec(text.trim());
  if (!m)
    return {
      error: `cannot parse precondition '${text}': expected 'field OP value' with OP one of ${PRECONDITION_OPS.join(' ')}`,
    };
  const field = m[1]!;
  const op = m[2]!.trim() as PreconditionOp;
  const rest = m[3]!.trim();
  if (rest === '') return { error: `precondition '${text}' has no value after '${op}'` };
  let value: Literal | Literal[];
  if (op === 'in' || op === 'not_in') {
    const list = /^\[(.*)\]$/.exec(rest);
    if (!list) return { error: `precondition '${text}': '${op}' needs a list like [a, b]` };
    value = list[1]!.trim() === '' ? [] : list[1]!.split(',').map(parseLiteral);
  } else {
    value = parseLiteral(rest);
    if (op !== '==' && op !== '!=' && typeof value !== 'number')
      return { error: `precondition '${text}': '${op}' compares numbers, got '${rest}'` };
  }
  return { text, field, op, value, read: fieldReader(field), test: tester(op, value) };
}
