/**
 * Telemetry replay (spec §3): raw records → normalize into fragments → merge by entity_id →
 * classify workload_type → canonical entities. Governor merges only the fields a fragment carries,
 * so a later fragment without `scheduler_domain` no longer resets a known one (spec decision 9).
 */
import { ENTITY_TYPES, type Entity } from './entities.js';
import { parseEntity } from './parse-entity.js';

interface Fragment {
  index: number;
  entity_type: string;
  entity_id: string;
  observedAt: number;
  /** Domain implied by the source type; used only when no fragment names one. */
  impliedDomain: string;
  fields: Record<string, unknown>;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(ENTITY_TYPES);
const SOURCE_DOMAIN: Record<string, string> = {
  kubernetes: 'kubernetes',
  kserve: 'kubernetes',
  slurm: 'slurm',
  gcm: 'slurm',
  ray: 'ray',
};
const LLM_HINTS = ['llm', 'gpt', 'chat', 'completion', 'embedding', 'language', 'token'];

/** A record needs truthy source_type, entity_type and entity_id, and a known entity_type. */
export function normalize(record: unknown, index: number, now: number): Fragment | { skipped: string } {
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    return { skipped: `records[${index}]: not a map` };
  const r = record as Record<string, unknown>;
  for (const k of ['source_type', 'entity_type', 'entity_id'])
    if (!r[k]) return { skipped: `records[${index}]: no ${k}` };
  if (!KNOWN_TYPES.has(String(r.entity_type)))
    return { skipped: `records[${index}]: unknown entity_type '${String(r.entity_type)}'` };
  const t =
    typeof r.observed_at === 'string'
      ? Date.parse(r.observed_at.endsWith('Z') ? r.observed_at : `${r.observed_at}Z`)
      : Number.NaN;
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (v !== null && v !== undefined && k !== 'labels') fields[k] = v;
  return {
    index,
    entity_type: String(r.entity_type),
    entity_id: String(r.entity_id),
    observedAt: Number.isNaN(t) ? now : t,
    impliedDomain: Object.hasOwn(SOURCE_DOMAIN, String(r.source_type))
      ? SOURCE_DOMAIN[String(r.source_type)]!
      : 'unknown',
    fields,
  };
}

/** The original's classifier: only fills a workload_type that is `unknown` (spec §3.5). */
export function classify(e: Entity): Entity {
  if (e.workload_type !== 'unknown') return e;
  const d = e.scheduler_domain;
  let w: Entity['workload_type'] = 'unknown';
  if (e.entity_type === 'service' && d === 'kubernetes') {
    const text = `${e.entity_id} ${String(e.extra.model_name ?? '')}`.toLowerCase();
    w = LLM_HINTS.some((h) => text.includes(h)) ? 'llm_serving' : 'online_inference';
  } else if (e.entity_type === 'deployment' && d === 'kubernetes') w = 'online_inference';
  else if (e.entity_type === 'job')
    w = d === 'slurm' ? 'hpc_research' : d === 'kubernetes' ? 'batch_inference' : 'distributed_training';
  else if (e.entity_type === 'gpu' || e.entity_type === 'node' || e.entity_type === 'queue')
    w = d === 'slurm' ? 'hpc_research' : 'online_inference';
  return Object.freeze({ ...e, workload_type: w });
}

export interface Replayed {
  entities: Entity[];
  /** Records and fragments that were not used, with why. */
  skipped: string[];
}

/** Normalizes, merges and classifies raw records into canonical entities, in first-seen order. */
export function replayRecords(records: unknown, now = Date.now()): Replayed {
  const list = Array.isArray(records) ? records : (records as { records?: unknown } | null)?.records;
  if (!Array.isArray(list))
    return { entities: [], skipped: ['input: expected a list of records or {records: [...]}'] };
  const skipped: string[] = [];
  const merged = new Map<
    string,
    { first: Fragment; observedAt: number; fields: Record<string, unknown>; extra: Record<string, unknown> }
  >();
  for (const [i, rec] of list.entries()) {
    const f = normalize(rec, i, now);
    if ('skipped' in f) {
      skipped.push(f.skipped);
      continue;
    }
    const cur = merged.get(f.entity_id);
    const { extra, ...fields } = f.fields;
    const extraMap = typeof extra === 'object' && extra !== null ? (extra as Record<string, unknown>) : {};
    if (!cur) merged.set(f.entity_id, { first: f, observedAt: f.observedAt, fields, extra: { ...extraMap } });
    else if (f.entity_type !== cur.first.entity_type)
      skipped.push(
        `records[${i}]: entity_type ${f.entity_type} differs from ${cur.first.entity_type} for ${f.entity_id}`,
      );
    else if (f.observedAt < cur.observedAt)
      skipped.push(`records[${i}]: older than the state of ${f.entity_id}`);
    else {
      cur.observedAt = f.observedAt;
      Object.assign(cur.fields, fields);
      Object.assign(cur.extra, extraMap);
    }
  }
  const entities = [...merged.values()].map((m) => {
    const raw = { scheduler_domain: m.first.impliedDomain, ...m.fields, extra: m.extra };
    return classify(parseEntity(raw, `records[${m.first.index}]`));
  });
  return { entities, skipped };
}
