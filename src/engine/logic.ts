/**
 * Rule logic (check 4). The five built-in logics reproduce the original's exact comparisons
 * (spec §5.4); a user rule may name one of them or give a CEL expression. Each logic can also
 * describe what it compared, for explanations; that is only called when a tracer is on.
 */
import { createRequire } from 'node:module';
import type { Entity } from './entities.js';
import type { Thresholds } from './thresholds.js';

export interface Observation {
  detail: string;
  observed: Record<string, unknown>;
  thresholds: Record<string, number>;
}

export interface Logic {
  /** The named logic, `cel` for an expression, `none` for a rule without extra logic. */
  name: string;
  /** The logic in words, for `governor engine rules`. */
  words: string;
  test(e: Entity, t: Thresholds): boolean;
  observe(e: Entity, t: Thresholds): Observation;
}

const batchingGpu = (e: Entity): number | null =>
  (e.gpu_utilization as number | null | undefined) ??
  (e.extra.gpu_utilization as number | null | undefined) ??
  null;

function named(
  name: string,
  words: string,
  test: Logic['test'],
  observe: (e: Entity, t: Thresholds) => Omit<Observation, 'detail'>,
): Logic {
  return {
    name,
    words,
    test,
    observe: (e, t) => {
      const o = observe(e, t);
      const shown = (m: Record<string, unknown>) =>
        Object.entries(m)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(', ');
      const compared = Object.keys(o.thresholds).length > 0 ? ` against ${shown(o.thresholds)}` : '';
      return {
        detail: `${name} is ${test(e, t)} with ${shown(o.observed)}${compared}; fires for ${words}`,
        ...o,
      };
    },
  };
}

export const NAMED_LOGIC: Record<string, Logic> = {
  queue_pressure: named(
    'queue_pressure',
    'a service with latency_p95_ms > target_p95_ms and queue_depth > min_queue_depth_for_scale (both strict)',
    (e, t) => {
      if (e.entity_type !== 'service') return false;
      const p95 = e.latency_p95_ms as number | null;
      const q = e.queue_depth as number | null;
      return p95 !== null && q !== null && p95 > t.target_p95_ms && q > t.min_queue_depth_for_scale;
    },
    (e, t) => ({
      observed: {
        entity_type: e.entity_type,
        latency_p95_ms: e.latency_p95_ms ?? null,
        queue_depth: e.queue_depth ?? null,
      },
      thresholds: { target_p95_ms: t.target_p95_ms, min_queue_depth_for_scale: t.min_queue_depth_for_scale },
    }),
  ),
  low_gpu_high_queue: named(
    'low_gpu_high_queue',
    'a service with gpu_utilization < target_gpu_utilization and queue_depth > min_queue_depth_for_batching (both strict; a null GPU is false)',
    (e, t) => {
      if (e.entity_type !== 'service') return false;
      const gpu = batchingGpu(e);
      const q = e.queue_depth as number | null;
      return (
        gpu !== null && q !== null && gpu < t.target_gpu_utilization && q > t.min_queue_depth_for_batching
      );
    },
    (e, t) => ({
      observed: {
        entity_type: e.entity_type,
        gpu_utilization: batchingGpu(e),
        queue_depth: e.queue_depth ?? null,
      },
      thresholds: {
        target_gpu_utilization: t.target_gpu_utilization,
        min_queue_depth_for_batching: t.min_queue_depth_for_batching,
      },
    }),
  ),
  unhealthy: named(
    'unhealthy',
    'health_state is degraded or critical, any entity type',
    (e) => e.health_state === 'degraded' || e.health_state === 'critical',
    (e) => ({ observed: { health_state: e.health_state }, thresholds: {} }),
  ),
  idle: named(
    'idle',
    'a service with throughput <= idle_throughput_threshold (inclusive)',
    (e, t) =>
      e.entity_type === 'service' &&
      e.throughput !== null &&
      (e.throughput as number) <= t.idle_throughput_threshold,
    (e, t) => ({
      observed: { entity_type: e.entity_type, throughput: e.throughput ?? null },
      thresholds: { idle_throughput_threshold: t.idle_throughput_threshold },
    }),
  ),
  low_confidence: named(
    'low_confidence',
    'confidence_score < no_action_confidence_threshold (strict), any entity',
    (e, t) => e.confidence_score < t.no_action_confidence_threshold,
    (e, t) => ({
      observed: { confidence_score: e.confidence_score },
      thresholds: { no_action_confidence_threshold: t.no_action_confidence_threshold },
    }),
  ),
};

export const NO_LOGIC: Logic = {
  name: 'none',
  words: 'no extra logic: fires once the other checks pass',
  test: () => true,
  observe: () => ({ detail: 'no extra logic', observed: {}, thresholds: {} }),
};

/** The five built-in rules of the original's rules.yaml, bound to their logic by exact id. */
export const BUILTIN_LOGIC: Record<string, string> = {
  infer_scale_up_on_queue_pressure: 'queue_pressure',
  infer_adjust_batching_before_scale_out: 'low_gpu_high_queue',
  hpc_quarantine_unhealthy_node: 'unhealthy',
  enable_scale_to_zero_for_idle_service: 'idle',
  recommend_no_action_low_confidence: 'low_confidence',
};

/** The original's substring binding (spec §5.4), only behind the explicit compatibility switch. */
export function substringLogic(ruleId: string): string | null {
  if (ruleId.includes('scale_up') || ruleId.includes('queue_pressure')) return 'queue_pressure';
  if (ruleId.includes('adjust_batching')) return 'low_gpu_high_queue';
  if (ruleId.includes('quarantine') || ruleId.includes('unhealthy')) return 'unhealthy';
  if (ruleId.includes('scale_to_zero') || ruleId.includes('idle')) return 'idle';
  if (ruleId.includes('no_action') || ruleId.includes('low_confidence')) return 'low_confidence';
  return null;
}

type Cel = typeof import('@bufbuild/cel');
let cel: { lib: Cel; env: ReturnType<Cel['celEnv']> } | null = null;
/** CEL is loaded on first use: most packs have no expressions, and the CLI starts faster without it. */
function loadCel() {
  if (!cel) {
    const lib = createRequire(import.meta.url)('@bufbuild/cel') as Cel;
    cel = { lib, env: lib.celEnv() };
  }
  return cel;
}

/**
 * Entities and thresholds converted to CEL maps once, not once per rule: the conversion costs more
 * than most expressions. Safe because parsed entities are frozen and a rule set's thresholds are
 * never changed after loading.
 */
const celInputs = new WeakMap<object, unknown>();
function asCel(v: object): unknown {
  let c = celInputs.get(v);
  if (c === undefined) {
    c = loadCel().lib.celMap(new Map(Object.entries(v)));
    celInputs.set(v, c);
  }
  return c;
}

/**
 * A CEL expression over `entity` (every field of the entity, metrics null when absent, `extra` as a
 * map) and `thresholds`. An evaluation error (e.g. comparing a null metric) or a non-boolean result
 * means the logic does not fire; the explanation says why.
 */
export function celLogic(expr: string): Logic | { error: string } {
  const { lib, env } = loadCel();
  let run: ReturnType<Cel['plan']>;
  try {
    run = lib.plan(env, lib.parse(expr));
  } catch (err) {
    return { error: `cannot parse CEL expression '${expr}': ${(err as Error).message}` };
  }
  const evaluate = (e: Entity, t: Thresholds) => run({ entity: asCel(e), thresholds: asCel(t) } as never);
  return {
    name: 'cel',
    words: `CEL: ${expr}`,
    test: (e, t) => evaluate(e, t) === true,
    observe: (e, t) => {
      const r = evaluate(e, t);
      const detail = lib.isCelError(r) ? `CEL error: ${r.message}` : `CEL ${expr} = ${String(r)}`;
      return { detail, observed: {}, thresholds: {} };
    },
  };
}
