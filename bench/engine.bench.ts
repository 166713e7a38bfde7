/**
 * Decision engine throughput: 10,000 entities × 50 rules (the five built-ins and 45 user rules with
 * typed preconditions and named logic), without and with explain. Target: ≤ 0.5 s per evaluation
 * without explain, i.e. ≥ 1,000,000 entity×rule checks per second.
 */
import YAML from 'yaml';
import { type Entity, evaluate, loadPacks, parseEntity } from '../src/engine/index.js';
import { report, round } from './report.js';

const ENTITIES = 10_000;
const LOGICS = ['queue_pressure', 'low_gpu_high_queue', 'unhealthy', 'idle', 'low_confidence', 'none'];
const FAMILIES = [
  'any',
  'kubernetes_online_inference',
  'llm_or_inference_serving',
  'hpc_or_training',
  'managed_or_kserve_serving',
  'batch',
];
const ACTIONS = [
  'scale_replicas',
  'adjust_batching',
  'configure_autoscaler',
  'drain_or_avoid_node',
  'shift_traffic',
];

function userPack(n: number, withCel: boolean): string {
  const rules = Array.from({ length: n }, (_, i) => ({
    rule_id: `user_rule_${i}`,
    scenario_family: FAMILIES[i % FAMILIES.length],
    preconditions: [
      `queue_depth >= ${i % 30}`,
      i % 2 ? 'scheduler_domain in [kubernetes, slurm]' : 'health_state != critical',
    ],
    required_signals: i % 3 ? ['queue_depth'] : [],
    recommended_action: { action_type: ACTIONS[i % ACTIONS.length] },
    minimum_confidence: 0.5 + (i % 5) / 10,
    ...(withCel && i % 9 === 0
      ? { logic: { cel: `entity.confidence_score > thresholds.no_action_confidence_threshold` } }
      : { logic: LOGICS[i % LOGICS.length] }),
    reason: 'rule {rule_id} on {entity_id}',
  }));
  return YAML.stringify({ rules });
}

function entities(): Entity[] {
  const types = ['service', 'node', 'gpu', 'job', 'queue', 'deployment'];
  const workloads = [
    'online_inference',
    'llm_serving',
    'hpc_research',
    'distributed_training',
    'batch_inference',
    'unknown',
  ];
  const domains = ['kubernetes', 'slurm', 'ray', 'unknown'];
  const health = ['healthy', 'healthy', 'healthy', 'warning', 'degraded', 'critical'];
  return Array.from({ length: ENTITIES }, (_, i) =>
    parseEntity(
      {
        entity_type: types[i % types.length],
        entity_id: `e-${i}`,
        source_type: 'replay',
        scheduler_domain: domains[i % domains.length],
        workload_type: workloads[(i >> 1) % workloads.length],
        health_state: health[i % health.length],
        confidence_score: (i % 100) / 100,
        latency_p95_ms: i % 7 === 0 ? null : 100 + (i % 300),
        queue_depth: i % 11 === 0 ? null : i % 60,
        throughput: i % 13 === 0 ? null : (i % 50) / 10,
        gpu_utilization: (i % 10) / 10,
      },
      `entities[${i}]`,
    ),
  );
}

function time(fn: () => unknown, runs: number): { best: number; mean: number; result: unknown } {
  let best = Number.POSITIVE_INFINITY;
  let total = 0;
  let result: unknown;
  fn(); // warm-up
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    result = fn();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.min(best, s);
    total += s;
  }
  return { best, mean: total / runs, result };
}

const es = entities();
const rows = [];
for (const [name, withCel, explain] of [
  ['50 rules, no explain', false, false],
  ['50 rules, explain', false, true],
  ['50 rules incl. 5 CEL, no explain', true, false],
] as const) {
  const set = loadPacks([{ name: 'bench.yaml', text: userPack(45, withCel) }]);
  const checks = es.length * set.rules.length;
  const t = time(() => evaluate(set, es, { explain }), explain ? 3 : 10);
  const recs = (t.result as { recommendations: unknown[] }).recommendations.length;
  rows.push({
    case: name,
    entities: es.length,
    rules: set.rules.length,
    recommendations: recs,
    best_s: round(t.best, 3),
    mean_s: round(t.mean, 3),
    checks_per_s: Math.round(checks / t.best),
  });
}
const base = rows[0]!.best_s as number;
for (const r of rows)
  (r as Record<string, unknown>).vs_no_explain = `${round((r.best_s as number) / base, 1)}x`;
report('engine', rows, { '50 rules, no explain': 'best_s <= 0.5 (>= 1,000,000 checks/s)' });
