import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { badRequest } from '../errors/index.js';

/**
 * Checks a value against one of the cluster schemas; a mismatch is a 400 naming the JSON path of
 * the first bad field under `root` (e.g. `node_data.gpus.count`).
 */
export function checkShape(schema: TSchema, value: unknown, root: string): void {
  if (Value.Check(schema, value)) return;
  const first = [...Value.Errors(schema, value)][0];
  const missing = (first?.params as { requiredProperties?: string[] } | undefined)?.requiredProperties?.[0];
  const at = `${root}${(first?.instancePath ?? '').replaceAll('/', '.')}`;
  const field = missing ? `${at}.${missing}` : at;
  throw badRequest(field, `${field}: ${first?.message ?? 'invalid'}`);
}
