/**
 * Turns a plain object into a canonical entity: validates it against its type's schema, applies the
 * original's defaults and keeps keys its type lacks in `extra` (the original drops them; Governor
 * keeps them so a service's top-level `gpu_utilization` is still read). Errors name the field.
 */
import { Compile } from 'typebox/compile';
import { GovernorError } from '../errors/index.js';
import {
  BASE_DEFAULTS,
  BASE_FIELDS,
  ENTITY_SCHEMAS,
  ENTITY_TYPES,
  type Entity,
  type EntityType,
  METRIC_FIELDS,
} from './entities.js';

const checkers = Object.fromEntries(ENTITY_TYPES.map((t) => [t, Compile(ENTITY_SCHEMAS[t])])) as Record<
  EntityType,
  ReturnType<typeof Compile>
>;
const KNOWN_TYPES: ReadonlySet<string> = new Set(ENTITY_TYPES);

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(field: string, expected: string, got: unknown): GovernorError {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got);
  return new GovernorError('invalid_entity', `${field}: expected ${expected}, got ${shown}`, {
    field,
    expected,
  });
}

/** Parses one entity; `where` names it in errors (e.g. `entities[3]`). */
export function parseEntity(raw: unknown, where: string): Entity {
  if (!isMap(raw)) throw invalid(where, 'an object', raw);
  const type = raw.entity_type;
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type))
    throw invalid(`${where}.entity_type`, `one of ${ENTITY_TYPES.join(', ')}`, type);
  const entityType = type as EntityType;
  const metrics = METRIC_FIELDS[entityType];
  if (raw.extra !== undefined && !isMap(raw.extra)) throw invalid(`${where}.extra`, 'a map', raw.extra);
  const extra: Record<string, unknown> = { ...((raw.extra as Record<string, unknown> | undefined) ?? {}) };
  const out: Record<string, unknown> = { ...BASE_DEFAULTS };
  for (const name of Object.keys(metrics)) out[name] = null;
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'extra' || v === undefined) continue;
    if (Object.hasOwn(BASE_FIELDS, k) || Object.hasOwn(metrics, k)) out[k] = v;
    else if (!Object.hasOwn(extra, k)) extra[k] = v;
  }
  out.extra = extra;
  const checker = checkers[entityType];
  if (!checker.Check(out)) {
    const first = checker.Errors(out)[0];
    const missing = (first?.params as { requiredProperties?: string[] } | undefined)?.requiredProperties;
    const field = first?.instancePath.split('/')[1] || missing?.[0] || '';
    const schema = (BASE_FIELDS[field] ?? metrics[field]) as { description?: string } | undefined;
    throw invalid(`${where}.${field}`, schema?.description ?? first?.message ?? 'a valid value', out[field]);
  }
  // Frozen: evaluation caches per-entity views (the CEL input), so an entity must not change under it.
  return Object.freeze(out) as Entity;
}

/** Parses a list of entities, naming each by its index under `where`. */
export function parseEntities(raw: unknown, where = 'entities'): Entity[] {
  if (!Array.isArray(raw)) throw invalid(where, 'a list of entities', raw);
  return raw.map((e, i) => parseEntity(e, `${where}[${i}]`));
}
