import type { Entity } from './entities.js';

/**
 * The original's field lookup: an attribute of the entity if it has one, otherwise `extra[name]`.
 * `extra.x` reads `extra` explicitly. Absent values are null, never 0.
 */
export function fieldReader(name: string): (e: Entity) => unknown {
  if (name.startsWith('extra.')) {
    const key = name.slice(6);
    return (e) => e.extra[key] ?? null;
  }
  return (e) => {
    const v = e[name];
    if (v !== undefined) return v;
    return e.extra[name] ?? null;
  };
}
