import type { Entity } from './entities.js';

/**
 * The original's field lookup: an attribute of the entity if it has one, otherwise `extra[name]`.
 * `extra.x` reads `extra` explicitly. Absent values are null, never 0.
 */
export function fieldReader(name: string): (e: Entity) => unknown {
  if (name.startsWith('extra.')) {
    const key = name.slice(6);
    return (e) => (Object.hasOwn(e.extra, key) ? (e.extra[key] ?? null) : null);
  }
  // Own properties only, so `constructor` or `toString` never read the prototype.
  return (e) => {
    if (Object.hasOwn(e, name)) return e[name] ?? null;
    return Object.hasOwn(e.extra, name) ? (e.extra[name] ?? null) : null;
  };
}
