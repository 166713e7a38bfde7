/**
 * Comparing a replay's recommendations with a scenario's expected file (the original's layout:
 * `expected/recommendations.yaml` with `records: [{entity_id, action_type, risk_level, min_confidence}]`).
 * An expected (entity, action) that is missing, or present with another risk or a lower confidence,
 * fails; extra recommendations are listed but allowed, as the original's own test allows them.
 */
import type { Recommendation } from './schemas.js';

export interface Expected {
  entity_id: string;
  action_type: string;
  risk_level?: string;
  min_confidence?: number;
}

export interface Comparison {
  passed: boolean;
  matched: Expected[];
  missing: Array<Expected & { why: string }>;
  extra: Array<{ entity_id: string; action_type: string; rule_id: string }>;
}

export function parseExpected(value: unknown): Expected[] {
  const list = Array.isArray(value) ? value : (value as { records?: unknown } | null)?.records;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (x): x is Expected => typeof x?.entity_id === 'string' && typeof x?.action_type === 'string',
  );
}

export function compareExpected(expected: Expected[], got: Recommendation[]): Comparison {
  const matched: Expected[] = [];
  const missing: Comparison['missing'] = [];
  const used = new Set<Recommendation>();
  for (const exp of expected) {
    const hits = got.filter(
      (r) => r.entity_id === exp.entity_id && r.recommended_action.action_type === exp.action_type,
    );
    const good = hits.find(
      (r) =>
        (exp.risk_level === undefined || r.risk_level === exp.risk_level) &&
        (exp.min_confidence === undefined || r.confidence_score >= exp.min_confidence),
    );
    for (const h of hits) used.add(h);
    if (good) matched.push(exp);
    else if (hits.length === 0) missing.push({ ...exp, why: 'no such recommendation' });
    else
      missing.push({
        ...exp,
        why: `got risk ${hits[0]!.risk_level}, confidence ${hits[0]!.confidence_score}`,
      });
  }
  const extra = got
    .filter((r) => !used.has(r))
    .map((r) => ({
      entity_id: r.entity_id,
      action_type: r.recommended_action.action_type,
      rule_id: r.rule_id,
    }));
  return { passed: missing.length === 0, matched, missing, extra };
}
