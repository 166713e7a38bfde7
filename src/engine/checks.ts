/**
 * The five checks of one rule against one entity, in the original's order (spec §5): scenario,
 * preconditions, required signals, logic, confidence gate. With `record` null this is the fast path
 * (no allocation, stops at the first failure); with an array it also records each check it ran.
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

/** Returns the index in CHECKS of the check that stopped the rule, or -1 when it fires. */
export function runChecks(e: Entity, rule: Rule, t: Thresholds, record: CheckResult[] | null): number {
  const scenarioOk = rule.workloads === null || rule.workloads.has(e.workload_type);
  if (record) record.push(describeScenario(e, rule, scenarioOk));
  if (!scenarioOk) return 0;

  let failed = -1;
  for (let i = 0; i < rule.preconditions.length; i++) {
    const p = rule.preconditions[i]!;
    if (!p.test(p.read(e))) {
      failed = i;
      break;
    }
  }
  if (record) record.push(describePreconditions(e, rule, failed));
  if (failed >= 0) return 1;

  let missing = -1;
  for (let i = 0; i < rule.signalReaders.length; i++) {
    if (rule.signalReaders[i]!(e) === null) {
      missing = i;
      break;
    }
  }
  if (record) record.push(describeSignals(e, rule));
  if (missing >= 0) return 2;

  const logicOk = rule.logic.test(e, t);
  if (record) {
    const o = rule.logic.observe(e, t);
    record.push({
      check: 'logic',
      passed: logicOk,
      detail: o.detail,
      observed: o.observed,
      compared_to: o.thresholds,
    });
  }
  if (!logicOk) return 3;

  const confOk = e.confidence_score >= rule.minimum_confidence;
  if (record)
    record.push({
      check: 'confidence',
      passed: confOk,
      detail: `confidence_score ${e.confidence_score} ${confOk ? '>=' : '<'} minimum_confidence ${rule.minimum_confidence}`,
      observed: { confidence_score: e.confidence_score },
      compared_to: { minimum_confidence: rule.minimum_confidence },
    });
  return confOk ? -1 : 4;
}

function describeScenario(e: Entity, rule: Rule, ok: boolean): CheckResult {
  const allowed = rule.workloads === null ? 'any workload' : [...rule.workloads].join(', ');
  return {
    check: 'scenario',
    passed: ok,
    detail: `workload_type ${e.workload_type} ${ok ? 'matches' : 'does not match'} ${rule.scenario_family} (${allowed})`,
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
