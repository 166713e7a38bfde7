/**
 * The five checks of one rule against one entity, in the original's order (spec §5): scenario,
 * preconditions, required signals, logic, confidence gate.
 */
import type { Entity } from './entities.js';
import type { Rule } from './rule.js';
import type { Thresholds } from './thresholds.js';

export const CHECKS = ['scenario', 'preconditions', 'signals', 'logic', 'confidence'] as const;
export type CheckName = (typeof CHECKS)[number];

export interface CheckResult {
  check: CheckName;
  passed: boolean;
  detail: string;
  observed: Record<string, unknown>;
  /** What the observed values were compared against. */
  compared_to: Record<string, unknown>;
}

/**
 * Returns the index in CHECKS of the check that stopped the rule, or -1 when it fires.
 * The fast path: no allocation, stops at the first failure.
 */
export function runChecks(e: Entity, rule: Rule, t: Thresholds): number {
  if (rule.workloads !== null && !rule.workloads.has(e.workload_type)) return 0;
  if (failedPrecondition(e, rule) >= 0) return 1;
  for (let i = 0; i < rule.signalReaders.length; i++) if (rule.signalReaders[i]!(e) === null) return 2;
  if (!rule.logic.test(e, t)) return 3;
  return e.confidence_score >= rule.minimum_confidence ? -1 : 4;
}

function failedPrecondition(e: Entity, rule: Rule): number {
  for (let i = 0; i < rule.preconditions.length; i++) {
    const p = rule.preconditions[i]!;
    if (!p.test(p.read(e))) return i;
  }
  return -1;
}

/** What one check saw and compared; only called for explanations, never on the fast path. */
export function describeCheck(index: number, e: Entity, rule: Rule, t: Thresholds): CheckResult {
  switch (index) {
    case 0:
      return describeScenario(e, rule, rule.workloads === null || rule.workloads.has(e.workload_type));
    case 1:
      return describePreconditions(e, rule, failedPrecondition(e, rule));
    case 2:
      return describeSignals(e, rule);
    case 3: {
      const o = rule.logic.observe(e, t);
      return {
        check: 'logic',
        passed: rule.logic.test(e, t),
        detail: o.detail,
        observed: o.observed,
        compared_to: o.thresholds,
      };
    }
    default: {
      const ok = e.confidence_score >= rule.minimum_confidence;
      return {
        check: 'confidence',
        passed: ok,
        detail: `confidence_score ${e.confidence_score} ${ok ? '>=' : '<'} minimum_confidence ${rule.minimum_confidence}`,
        observed: { confidence_score: e.confidence_score },
        compared_to: { minimum_confidence: rule.minimum_confidence },
      };
    }
  }
}

/** The five checks of a rule that fired, each with the values it compared. */
export const explainFired = (e: Entity, rule: Rule, t: Thresholds): CheckResult[] =>
  CHECKS.map((_, i) => describeCheck(i, e, rule, t));

function describeScenario(e: Entity, rule: Rule, ok: boolean): CheckResult {
  return {
    check: 'scenario',
    passed: ok,
    detail: `workload_type ${e.workload_type} ${ok ? 'matches' : 'does not match'} ${rule.scenario_family} (${rule.workloads ? [...rule.workloads].join(', ') : 'any workload'})`,
    observed: { workload_type: e.workload_type },
    compared_to: { scenario_family: rule.scenario_family },
  };
}

function describePreconditions(e: Entity, rule: Rule, failed: number): CheckResult {
  const observed: Record<string, unknown> = {};
  for (const p of rule.preconditions) observed[p.field] = p.read(e);
  const bad = rule.preconditions[failed];
  return {
    check: 'preconditions',
    passed: !bad,
    detail: bad
      ? `'${bad.text}' is false: ${bad.field} is ${JSON.stringify(bad.read(e))}`
      : rule.preconditions.length === 0
        ? 'no preconditions'
        : `all hold: ${rule.preconditions.map((p) => p.text).join('; ')}`,
    observed,
    compared_to: Object.fromEntries(
      rule.preconditions.map((p) => [p.field, `${p.op} ${JSON.stringify(p.value)}`]),
    ),
  };
}

function describeSignals(e: Entity, rule: Rule): CheckResult {
  const observed: Record<string, unknown> = {};
  rule.required_signals.forEach((s, i) => {
    observed[s] = rule.signalReaders[i]!(e);
  });
  const missing = rule.required_signals.filter((s) => observed[s] === null);
  return {
    check: 'signals',
    passed: missing.length === 0,
    detail:
      missing.length > 0
        ? `missing (null) signals: ${missing.join(', ')}`
        : rule.required_signals.length === 0
          ? 'no required signals'
          : `present: ${rule.required_signals.join(', ')}`,
    observed,
    compared_to: { required: rule.required_signals },
  };
}
