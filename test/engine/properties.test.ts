import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ENTITY_TYPES, evaluate, loadPacks, parseEntity } from '../../src/engine/index.js';

const WORKLOADS = [
  'online_inference',
  'batch_inference',
  'distributed_training',
  'hpc_research',
  'llm_serving',
  'unknown',
];
const DOMAINS = ['kubernetes', 'slurm', 'ray', 'managed_cloud', 'unknown'];
const HEALTH = ['healthy', 'warning', 'degraded', 'critical', 'unknown'];
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const entityArb = fc.record({
  entity_type: fc.constantFrom('service', 'node', 'gpu', 'job', 'queue', 'deployment'),
  source_type: fc.constant('replay'),
  scheduler_domain: fc.constantFrom(...DOMAINS),
  workload_type: fc.constantFrom(...WORKLOADS),
  health_state: fc.constantFrom(...HEALTH),
  confidence_score: fc.double({ min: 0, max: 1, noNaN: true }),
  latency_p95_ms: maybe(fc.constantFrom(150, 199.9, 200, 200.1, 320)),
  queue_depth: maybe(fc.constantFrom(0, 5, 6, 10, 11, 25, 60)),
  throughput: maybe(fc.constantFrom(0, 0.5, 1, 1.01, 145)),
  gpu_utilization: maybe(fc.constantFrom(0, 0.3, 0.55, 0.56)),
});

/** Distinct ids, so order is the only thing that differs between permutations. */
const entitiesArb = fc
  .array(entityArb, { minLength: 1, maxLength: 25 })
  .map((list) => list.map((e, i) => parseEntity({ ...e, entity_id: `e${i}` }, `entities[${i}]`)));

const userPack = YAML.stringify({
  rules: [
    {
      rule_id: 'hot',
      preconditions: ['queue_depth >= 11'],
      recommended_action: { action_type: 'configure_autoscaler' },
    },
    {
      rule_id: 'cel',
      logic: { cel: 'entity.health_state == "warning"' },
      recommended_action: { action_type: 'drain_or_avoid_node' },
    },
  ],
});
const base = loadPacks([{ name: 'user.yaml', text: userPack }]);

describe('engine properties', () => {
  it('gives the same output whatever the order of the entities', () => {
    fc.assert(
      fc.property(
        entitiesArb.chain((es) =>
          fc.tuple(fc.constant(es), fc.shuffledSubarray(es, { minLength: es.length, maxLength: es.length })),
        ),
        ([es, shuffled]) => {
          expect(evaluate(base, shuffled, { explain: true })).toEqual(evaluate(base, es, { explain: true }));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never changes other recommendations when a rule that matches nothing is added', () => {
    const never = [
      'rules:\n  - rule_id: never_pre\n    preconditions: ["queue_depth > 1000000"]\n    recommended_action: {action_type: preempt_job}\n',
      'rules:\n  - rule_id: never_family\n    scenario_family: batch\n    preconditions: ["workload_type != batch_inference"]\n    recommended_action: {action_type: preempt_job}\n',
      'rules:\n  - rule_id: never_cel\n    logic: {cel: "false"}\n    recommended_action: {action_type: preempt_job}\n',
      'rules:\n  - rule_id: never_signal\n    required_signals: [no_such_signal]\n    recommended_action: {action_type: preempt_job}\n',
    ];
    const variants = never.map((text) =>
      loadPacks([
        { name: 'user.yaml', text: userPack },
        { name: 'extra.yaml', text },
      ]),
    );
    fc.assert(
      fc.property(entitiesArb, fc.constantFrom(...variants), (es, withExtra) => {
        const a = evaluate(base, es);
        const b = evaluate(withExtra, es);
        expect(b.recommendations).toEqual(a.recommendations);
        expect(b.entities_without_recommendation).toEqual(a.entities_without_recommendation);
      }),
      { numRuns: 200 },
    );
  });

  it('knows all twelve entity types', () => {
    for (const t of ENTITY_TYPES)
      expect(
        parseEntity({ entity_type: t, entity_id: 'x', source_type: 'replay' }, 'e').confidence_score,
      ).toBe(0.5);
  });
});
