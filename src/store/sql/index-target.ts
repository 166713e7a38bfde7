import { createHash } from 'node:crypto';
import { badRequest } from '../../errors/index.js';
import { sqlPath } from '../mongo/index.js';

export interface IndexTarget {
  segments: string[];
  /** A stable index name per (collection, path) and suffix, short enough for any engine. */
  name(suffix: string): string;
}

/** Checks a path to index; undefined for `id`, which is the primary key already. */
export function indexTarget(collection: string, path: string): IndexTarget | undefined {
  const segments = sqlPath(path);
  if (!segments) throw badRequest('path', `cannot index path '${path}': use dotted field names`, { path });
  if (path === 'id') return undefined;
  const hash = createHash('sha1').update(`${collection}\0${path}`).digest('hex').slice(0, 12);
  return { segments, name: (suffix) => `"ix_${hash}_${suffix}"` };
}
