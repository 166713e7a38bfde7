/**
 * The canonical entities of OpenAICE, field for field: the twelve entity types, the base fields every
 * entity has and the typed metric fields of each type, with the original's defaults (confidence 0.5,
 * enums `unknown`, metrics null). One TypeBox schema per entity type.
 */
import { type TSchema, Type } from 'typebox';

const literals = <const T extends readonly string[]>(values: T) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description: `one of ${values.join(', ')}` },
  );

export const ENTITY_TYPES = [
  'service',
  'deployment',
  'model_revision',
  'job',
  'workflow_run',
  'queue',
  'node',
  'gpu',
  'storage_endpoint',
  'network_path',
  'scheduler_domain',
  'tenant_scope',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const SCHEDULER_DOMAINS = ['kubernetes', 'slurm', 'ray', 'managed_cloud', 'unknown'] as const;
export const HEALTH_STATES = ['healthy', 'warning', 'degraded', 'critical', 'unknown'] as const;
export const WORKLOAD_TYPES = [
  'online_inference',
  'batch_inference',
  'distributed_training',
  'hpc_research',
  'llm_serving',
  'managed_cloud',
  'unknown',
] as const;
export type WorkloadType = (typeof WORKLOAD_TYPES)[number];
const SERVICE_STATES = ['active', 'degraded', 'idle', 'scaling', 'unknown'] as const;
const JOB_STATES = [
  'pending',
  'running',
  'completing',
  'completed',
  'failed',
  'cancelled',
  'suspended',
  'unknown',
] as const;

const num = () => Type.Union([Type.Number(), Type.Null()], { description: 'a number or null' });
const int = () => Type.Union([Type.Integer(), Type.Null()], { description: 'an integer or null' });
const str = () => Type.Union([Type.String(), Type.Null()], { description: 'a string or null' });
const list = () => Type.Union([Type.Array(Type.Unknown()), Type.Null()], { description: 'a list or null' });
const nullableEnum = <const T extends readonly string[]>(values: T) =>
  Type.Union([...values.map((v) => Type.Literal(v)), Type.Null()], {
    description: `one of ${values.join(', ')} or null`,
  });

/** Base fields of every entity (spec §2.1). `entity_type` is added per type. */
const BASE = {
  entity_id: Type.String({ minLength: 1, description: 'a non-empty string' }),
  source_type: Type.String({ description: 'a string' }),
  scheduler_domain: literals(SCHEDULER_DOMAINS),
  observed_at: Type.Union([Type.String(), Type.Null()], { description: 'an ISO time or null' }),
  state_freshness_seconds: Type.Number({ description: 'a number' }),
  confidence_score: Type.Number({ minimum: 0, maximum: 1, description: 'a number in [0, 1]' }),
  health_state: literals(HEALTH_STATES),
  owner_scope: str(),
  workload_type: literals(WORKLOAD_TYPES),
  extra: Type.Record(Type.String(), Type.Unknown(), { description: 'a map' }),
};

/** Typed metric fields per entity type (spec §2.2); all nullable, all default to null. */
export const METRIC_FIELDS: Record<EntityType, Record<string, TSchema>> = {
  service: {
    service_state: nullableEnum(SERVICE_STATES),
    latency_p50_ms: num(),
    latency_p95_ms: num(),
    latency_p99_ms: num(),
    throughput: num(),
    queue_depth: int(),
    error_rate: num(),
    retry_rate: num(),
    replica_count: int(),
    available_replicas: int(),
    desired_replicas: int(),
  },
  deployment: {
    replica_count: int(),
    available_replicas: int(),
    desired_replicas: int(),
    cpu_utilization: num(),
    memory_utilization: num(),
    gpu_utilization: num(),
  },
  model_revision: {
    revision_state: str(),
    traffic_percent: num(),
    model_name: str(),
    model_version: str(),
  },
  job: {
    job_state: nullableEnum(JOB_STATES),
    gpu_utilization: num(),
    gpu_memory_used: num(),
    assigned_gpu_count: int(),
    cpu_utilization: num(),
    memory_utilization: num(),
    queue_depth: int(),
    runtime_seconds: num(),
  },
  workflow_run: {
    workflow_state: str(),
    job_ids: list(),
    total_jobs: int(),
    completed_jobs: int(),
  },
  queue: {
    queue_depth: int(),
    pending_jobs: int(),
    active_jobs: int(),
    avg_wait_seconds: num(),
  },
  node: {
    cpu_utilization: num(),
    memory_utilization: num(),
    storage_io_pressure: num(),
    network_error_rate: num(),
    gpu_count: int(),
  },
  gpu: {
    gpu_utilization: num(),
    gpu_memory_used: num(),
    gpu_memory_total: num(),
    temperature_celsius: num(),
    power_draw_watts: num(),
    ecc_errors: int(),
    assigned_job_id: str(),
    assigned_service_id: str(),
  },
  storage_endpoint: {
    storage_type: str(),
    io_throughput: num(),
    io_latency_ms: num(),
    capacity_used_pct: num(),
  },
  network_path: {
    bandwidth_gbps: num(),
    latency_ms: num(),
    error_rate: num(),
    path_endpoints: list(),
  },
  scheduler_domain: {
    domain_type: nullableEnum(SCHEDULER_DOMAINS),
    total_nodes: int(),
    total_gpus: int(),
    active_workloads: int(),
  },
  tenant_scope: {
    scope_type: str(),
    resource_quota: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
      description: 'a map or null',
    }),
    active_workloads: int(),
  },
};

/** One schema per entity type: the shape of an entity once defaults are applied. */
export const ENTITY_SCHEMAS = Object.fromEntries(
  ENTITY_TYPES.map((t) => [
    t,
    Type.Object(
      { entity_type: Type.Literal(t), ...BASE, ...METRIC_FIELDS[t] },
      { $id: `Entity_${t}`, additionalProperties: false },
    ),
  ]),
) as unknown as Record<EntityType, TSchema>;

/** The base field schemas, by name, for error messages and template validation. */
export const BASE_FIELDS: Record<string, TSchema> = { entity_type: literals(ENTITY_TYPES), ...BASE };

/** Every field name any entity type has: what a template placeholder may name. */
export const ALL_FIELD_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(BASE_FIELDS),
  ...ENTITY_TYPES.flatMap((t) => Object.keys(METRIC_FIELDS[t])),
]);

/** A canonical entity after parsing: every field of its type present (metrics null when absent). */
export interface Entity {
  entity_type: EntityType;
  entity_id: string;
  source_type: string;
  scheduler_domain: (typeof SCHEDULER_DOMAINS)[number];
  observed_at: string | null;
  state_freshness_seconds: number;
  confidence_score: number;
  health_state: (typeof HEALTH_STATES)[number];
  owner_scope: string | null;
  workload_type: WorkloadType;
  extra: Record<string, unknown>;
  [metric: string]: unknown;
}

/** Defaults of the base fields the original applies when a key is absent. */
export const BASE_DEFAULTS = {
  scheduler_domain: 'unknown',
  observed_at: null,
  state_freshness_seconds: 0,
  confidence_score: 0.5,
  health_state: 'unknown',
  owner_scope: null,
  workload_type: 'unknown',
} as const;
