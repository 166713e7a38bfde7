import { describe, expect, it } from 'vitest';
import { ACTION_NAMES, parseAction } from '../../src/cluster/actions/index.js';

const block = { id: 'b1', minInstances: 1, maxInstances: 3 };
const rejects = (action: string, data: unknown, field: string) =>
  expect(() => parseAction(action, data)).toThrow(
    expect.objectContaining({ code: 'bad_request', details: expect.objectContaining({ field }) }),
  );

describe('executeAction request parsing', () => {
  it('knows the nine actions of seed 002', () => {
    expect(ACTION_NAMES).toEqual([
      'create_block',
      'remove_block',
      'scale',
      'parameter_update',
      'dry_run',
      'remove_instance',
      'init_create_status_update',
      'query_init_container_data',
      'reassign-instances',
    ]);
  });

  it('answers an unknown action with the list of valid ones', () => {
    expect(() => parseAction('explode', {})).toThrow(
      expect.objectContaining({
        code: 'unknown_action',
        details: expect.objectContaining({ valid: ACTION_NAMES }),
      }),
    );
  });

  it('accepts each action with its documented data', () => {
    const good: [string, unknown][] = [
      ['create_block', block],
      ['remove_block', { block_id: 'b1' }],
      ['scale', { block_id: 'b1', operation: 'scale', instances_count: 2 }],
      [
        'scale',
        { block_id: 'b1', operation: 'scale', allocation_data: [{ node_id: 'n1', gpu_ids: [0, 2] }] },
      ],
      ['scale', { block_id: 'b1', operation: 'upscale', instances_count: 1 }],
      ['scale', { block_id: 'b1', operation: 'downscale', instances_list: ['i-1'] }],
      ['parameter_update', { block_id: 'b1', parameters: { iou: 0.4 } }],
      ['dry_run', { block }],
      ['remove_instance', { block_id: 'b1', instance_id: 'i-1' }],
      ['init_create_status_update', { block_id: 'b1', status: 'main', status_data: { message: 'ok' } }],
      ['query_init_container_data', { query: { status: { $in: ['failed'] } } }],
      ['reassign-instances', { block_id: 'b1', instances_list: ['i-1'] }],
    ];
    for (const [action, data] of good) expect(parseAction(action, data)).toEqual({ action, data });
  });

  it.each([
    ['create_block', { minInstances: 1, maxInstances: 1 }, 'data.id'],
    ['create_block', { id: 'b', minInstances: -1, maxInstances: 1 }, 'data.minInstances'],
    ['create_block', { id: 'b', minInstances: 3, maxInstances: 1 }, 'data.maxInstances'],
    ['dry_run', { block: { id: 'b', minInstances: 3, maxInstances: 1 } }, 'data.block.maxInstances'],
    ['remove_block', {}, 'data.block_id'],
    ['remove_block', { block_id: '' }, 'data.block_id'],
    ['scale', { block_id: 'b', operation: 'sideways' }, 'data.operation'],
    ['scale', { block_id: 'b', operation: 'scale' }, 'data.instances_count'],
    ['scale', { block_id: 'b', operation: 'scale', instances_count: 0 }, 'data.instances_count'],
    ['scale', { block_id: 'b', operation: 'downscale' }, 'data.instances_list'],
    [
      'scale',
      {
        block_id: 'b',
        operation: 'scale',
        instances_count: 2,
        allocation_data: [{ node_id: 'n', gpu_ids: [] }],
      },
      'data.allocation_data',
    ],
    [
      'scale',
      { block_id: 'b', operation: 'scale', allocation_data: [{ node_id: 'n', gpu_ids: [-1] }] },
      'data.allocation_data.0.gpu_ids.0',
    ],
    ['parameter_update', { block_id: 'b', parameters: 'x' }, 'data.parameters'],
    ['remove_instance', { block_id: 'b' }, 'data.instance_id'],
    ['init_create_status_update', { block_id: 'b', status: 'done' }, 'data.status'],
    ['query_init_container_data', { query: [] }, 'data.query'],
    ['reassign-instances', { block_id: 'b', instances_list: [] }, 'data.instances_list'],
  ])('%s rejects %j naming %s', (action, data, field) => rejects(action, data, field));
});
