import fs from 'node:fs';
import path from 'node:path';
import { renderTable } from '../src/cli/output.js';

export interface Row {
  case: string;
  [metric: string]: string | number;
}

/** Percentiles of a list of samples (same unit in, same unit out). */
export function percentiles(samples: number[]): { p50: number; p99: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

/** Times `fn` n times after a warm-up, in microseconds per call. */
export async function timeCalls(n: number, fn: () => unknown | Promise<unknown>, warmup = Math.min(1000, n)) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return percentiles(samples);
}

export const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** Prints the table and writes bench/results/<name>.json with the rows and the targets. */
export function report(name: string, rows: Row[], targets: Record<string, string> = {}): void {
  process.stdout.write(`${renderTable(rows)}\n`);
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');
  fs.mkdirSync(dir, { recursive: true });
  const out = { name, at: new Date().toISOString(), node: process.version, rows, targets };
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(out, null, 2)}\n`);
}
