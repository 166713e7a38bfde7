import { Value } from 'typebox/value';
import { badRequest, GovernorError } from '../../errors/index.js';
import { ACTION_NAMES, ACTION_SCHEMAS, type ActionData, type ActionName } from './schemas.js';

export type ParsedAction = { [A in ActionName]: { action: A; data: ActionData<A> } }[ActionName];

export function isActionName(name: unknown): name is ActionName {
  return typeof name === 'string' && Object.hasOwn(ACTION_SCHEMAS, name);
}

/**
 * Checks an `{action, data}` request: an unknown action is `unknown_action` listing the valid
 * ones; bad data is `bad_request` naming the first wrong field as `data.<path>`.
 */
export function parseAction(action: unknown, data: unknown): ParsedAction {
  if (!isActionName(action)) {
    throw new GovernorError(
      'unknown_action',
      `unknown action '${String(action)}'; valid: ${ACTION_NAMES.join(', ')}`,
      {
        field: 'action',
        action,
        valid: ACTION_NAMES,
      },
    );
  }
  const schema = ACTION_SCHEMAS[action];
  if (!Value.Check(schema, data)) {
    const first = [...Value.Errors(schema, data)][0];
    const path = first?.instancePath ? first.instancePath.replaceAll('/', '.') : '';
    const missing = (first?.params as { requiredProperties?: string[] } | undefined)?.requiredProperties?.[0];
    const field = `data${path}${missing ? `.${missing}` : ''}`;
    throw badRequest(field, `${action}: ${field}: ${first?.message ?? 'invalid'}`);
  }
  const parsed = { action, data } as ParsedAction;
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
