import YAML from 'yaml';

export type OutputFormat = 'json' | 'yaml' | 'table';

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Renders rows as an aligned text table; `columns` picks and orders the fields. */
export function renderTable(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return '(none)';
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const body = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...body.map((b) => b[i]!.length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(cols.map((c) => c.toUpperCase())), ...body.map(line)].join('\n');
}

/** Prints a value in the chosen format; tables need a list of objects (or one object). */
export function render(value: unknown, format: OutputFormat, columns?: string[]): string {
  if (format === 'yaml') return YAML.stringify(value).trimEnd();
  if (format === 'table') {
    const rows = Array.isArray(value) ? value : [value];
    return renderTable(rows as Record<string, unknown>[], columns);
  }
  return JSON.stringify(value, null, 2);
}

export function parseFormat(v: string): OutputFormat {
  if (v === 'json' || v === 'yaml' || v === 'table') return v;
  throw new Error(`-o must be json, yaml or table (got '${v}')`);
}
