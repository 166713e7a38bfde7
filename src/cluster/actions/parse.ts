import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { badRequest, GovernorError } from '../../errors/index.js';
import { ACTION_SCHEMAS, type ActionData, type ActionName } from './schemas.js';

export type ParsedAction = { [A in ActionName]: { action: A; data: ActionData<A> } }[ActionName];

export function isActionName(name: unknown): name is ActionName {
  return typeof name === 'string' && Object.hasOwn(ACTION_SCHEMAS, name);
}

/**
 * Checks an `{action, <field>}` request against a table of schemas: an unknown action is
 * `unknown_action` listing the valid ones; bad data is `bad_request` naming the first wrong field
 * as `<field>.<path>`. Shared by `/executeAction` (field `data`) and `/vdag-controller` (`payload`).
 */
export function parseWith<T extends Record<string, TSchema>>(
  schemas: T,
  action: unknown,
  data: unknown,
  field: string,
): { action: keyof T & string; data: unknown } {
  const valid = Object.keys(schemas);
  if (typeof action !== 'string' || !Object.hasOwn(schemas, action)) {
    throw new GovernorError(
      'unknown_action',
      `unknown action '${String(action)}'; valid: ${valid.join(', ')}`,
      {
        field: 'action',
        action,
        valid,
      },
    );
  }
  const schema = schemas[action]!;
  if (!Value.Check(schema, data)) {
    const first = [...Value.Errors(schema, data)][0];
    const path = first?.instancePath ? first.instancePath.replaceAll('/', '.') : '';
    const missing = (first?.params as { requiredProperties?: string[] } | undefined)?.requiredProperties?.[0];
    const where = `${field}${path}${missing ? `.${missing}` : ''}`;
    throw badRequest(where, `${action}: ${where}: ${first?.message ?? 'invalid'}`);
  }
  return { action, data };
}

/** `/executeAction`'s `{action, data}`, with the checks that relate fields. */
export function parseAction(action: unknown, data: unknown): ParsedAction {
  const parsed = parseWith(ACTION_SCHEMAS, action, data, 'data') as ParsedAction;
  checkSemantics(parsed);
  return parsed;
}

/** What a schema cannot say: bounds that relate two fields, and which fields an operation needs. */
function checkSemantics(p: ParsedAction): void {
  const block = p.action === 'create_block' ? p.data : p.action === 'dry_run' ? p.data.block : undefined;
  if (block && block.maxInstances < block.minInstances) {
    const field = p.action === 'dry_run' ? 'data.block.maxInstances' : 'data.maxInstances';
    throw badRequest(field, `${field} (${block.maxInstances}) is below minInstances (${block.minInstances})`);
  }
  if (p.action !== 'scale') return;
  const d = p.data;
  if (d.operation === 'downscale') {
    if (!d.instances_list) throw badRequest('data.instances_list', 'downscale needs data.instances_list');
    return;
  }
  if (d.instances_count === undefined && !d.allocation_data?.length) {
    throw badRequest(
      'data.instances_count',
      `${d.operation} needs data.instances_count or data.allocation_data`,
    );
  }
  if (
    d.instances_count !== undefined &&
    d.allocation_data &&
    d.allocation_data.length !== d.instances_count
  ) {
    throw badRequest(
      'data.allocation_data',
      `data.allocation_data has ${d.allocation_data.length} placements for ${d.instances_count} instances`,
    );
  }
}
