import type { CmpOp, Pushed, Scalar } from '../mongo/index.js';

/** What differs between SQLite (JSON text + json_extract) and PostgreSQL (JSONB) when rendering. */
export interface SqlDialect {
  /** Placeholder for the next parameter, given how many are bound already. */
  placeholder(index: number): string;
  /** A comparison of the JSON value at `path` (never `id`) with a scalar; may push to `params`. */
  compare(path: string[], op: CmpOp, value: Scalar, bind: (v: unknown) => string): string;
  in(path: string[], values: Scalar[], bind: (v: unknown) => string): string;
  exists(path: string[]): string;
  /** True when the JSON value at `path` is an array. */
  isArray(path: string[]): string;
}

export interface SqlWhere {
  sql: string;
  params: unknown[];
}

/**
 * Renders a pushed predicate. A predicate on a dotted path also lets through every document in
 * which some prefix of the path is an array, because MongoDB then matches element-wise (and the
 * in-process re-check decides). Predicates on `id` use the primary-key column and are exact.
 */
export function renderWhere(
  dialect: SqlDialect,
  where: Pushed | undefined,
  params: unknown[] = [],
): SqlWhere {
  const bind = (v: unknown) => {
    params.push(v);
    return dialect.placeholder(params.length);
  };
  const arrayEscape = (path: string[]) => path.map((_, i) => dialect.isArray(path.slice(0, i + 1)));
  const render = (p: Pushed): string => {
    switch (p.kind) {
      case 'and':
      case 'or':
        return `(${p.items.map(render).join(p.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'cmp':
        if (p.path.length === 1 && p.path[0] === 'id') {
          return typeof p.value === 'string' ? `id ${p.op} ${bind(p.value)}` : 'FALSE';
        }
        return `(${[dialect.compare(p.path, p.op, p.value, bind), ...arrayEscape(p.path)].join(' OR ')})`;
      case 'in':
        // `$in: []` matches nothing in MongoDB, and `IN ()` is not valid everywhere.
        if (p.values.length === 0) return 'FALSE';
        if (p.path.length === 1 && p.path[0] === 'id') {
          const ids = p.values.filter((v) => typeof v === 'string');
          return ids.length === 0 ? 'FALSE' : `id IN (${ids.map(bind).join(', ')})`;
        }
        return `(${[dialect.in(p.path, p.values, bind), ...arrayEscape(p.path)].join(' OR ')})`;
      case 'exists':
        if (p.path.length === 1 && p.path[0] === 'id') return 'TRUE';
        return `(${[dialect.exists(p.path), ...arrayEscape(p.path)].join(' OR ')})`;
    }
  };
  return { sql: where ? render(where) : 'TRUE', params };
}
