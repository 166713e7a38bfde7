/**
 * The engine's golden cases: YAML files under test/cases/engine, one loader, and the assertions
 * shared by the library, HTTP and CLI runs (each face turns a case into an Outcome).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import YAML from 'yaml';
import type { Evaluation } from '../../src/engine/index.js';

export interface WantRecommendation {
  entity_id: string;
  rule_id: string;
  action_type?: string;
  parameters?: Record<string, unknown>;
  risk_level?: string;
  requires_approval?: boolean;
  reason?: string;
}

export interface EngineCase {
  file: string;
  name: string;
  entities: unknown[];
  packs?: Array<Record<string, unknown>>;
  builtins?: boolean;
  control_mode?: string;
  /** Also run through the CLI (a process per case costs seconds, so the CLI covers each option path once). */
  cli?: boolean;
  want?: {
    /** Exactly these, in this (ranked) order; the listed fields must match. */
    recommendations: WantRecommendation[];
    /** `entity rule check`: the rule did not fire and this check stopped it. */
    stopped?: string[];
    /** Entities listed as having no recommendation. */
    without?: string[];
  };
  error?: { code: string; field: string; message?: string };
}

export type Outcome =
  | { ok: true; out: Evaluation }
  | { ok: false; code: string; field?: string; message: string };

const DIR = path.join(path.dirname(new URL(import.meta.url).pathname), '../cases/engine');

export function loadCases(): EngineCase[] {
  return fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) => {
      const doc = YAML.parse(fs.readFileSync(path.join(DIR, file), 'utf8'), { merge: true }) as {
        cases: EngineCase[];
      };
      return doc.cases.map((c) => ({ ...c, file }));
    });
}

/** Packs go to the engine as YAML text, as a user would write them, so errors carry lines. */
export const packTexts = (c: EngineCase): string[] => (c.packs ?? []).map((p) => YAML.stringify(p));

export function assertOutcome(c: EngineCase, got: Outcome, face: 'library' | 'http' | 'cli'): void {
  if (c.error) {
    expect(got.ok, `${c.name}: expected an error`).toBe(false);
    if (got.ok) return;
    expect(got.code).toBe(c.error.code);
    // The CLI names pack files by path; the rest of the field (rules[0].x) is in the message.
    if (face === 'cli') expect(got.message).toContain(c.error.field.replace(/^packs\[\d+\]\./, ''));
    else expect(got.field).toBe(c.error.field);
    if (c.error.message) expect(got.message).toContain(c.error.message);
    return;
  }
  if (!got.ok) throw new Error(`${c.name}: unexpected error ${got.code}: ${got.message}`);
  const want = c.want!;
  const recs = got.out.recommendations;
  expect(recs.map((r) => `${r.entity_id} ${r.rule_id}`)).toEqual(
    want.recommendations.map((r) => `${r.entity_id} ${r.rule_id}`),
  );
  want.recommendations.forEach((w, i) => {
    const r = recs[i]!;
    if (w.action_type) expect(r.recommended_action.action_type).toBe(w.action_type);
    if (w.parameters) expect(r.recommended_action.parameters).toEqual(w.parameters);
    if (w.risk_level) expect(r.risk_level).toBe(w.risk_level);
    if (w.requires_approval !== undefined) expect(r.requires_approval).toBe(w.requires_approval);
    if (w.reason) expect(r.reason).toBe(w.reason);
    expect(r.explanation.checks.map((k) => k.passed)).toEqual([true, true, true, true, true]);
  });
  for (const s of want.stopped ?? []) {
    const [entity, rule, check] = s.split(' ');
    const trace = got.out.explain?.find((t) => t.entity_id === entity);
    const nf = trace?.not_fired.find((n) => n.rule_id === rule);
    expect(nf?.stopped_by, `${s}: ${JSON.stringify(trace)}`).toBe(check);
  }
  if (want.without)
    expect(got.out.entities_without_recommendation.map((e) => e.entity_id)).toEqual(want.without);
}
