import { type Static, Type } from 'typebox';
import { GovernorError } from '../errors/index.js';
import { type ActionPorts, deliverMgmt, getBlock, instancesOf, type Json } from './actions/index.js';

/** `POST /mgmt` (seed 002, Management Command Executor). */
export const MgmtRequestSchema = Type.Object(
  {
    block_id: Type.Optional(Type.String({ description: 'Empty or absent: a cluster-level command' })),
    service: Type.String({ minLength: 1, description: 'instances (with block_id) | stability_checker' }),
    mgmt_action: Type.String({ minLength: 1 }),
    mgmt_data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type MgmtRequest = Static<typeof MgmtRequestSchema>;

/** Block services Governor runs; the seed's executor/autoscaler/health services do not exist here yet. */
const BLOCK_SERVICES = ['instances'];
const CLUSTER_SERVICES = ['stability_checker'];

function unsupported(service: string, valid: string[], scope: string): GovernorError {
  return new GovernorError('bad_request', `service '${service}' is not managed for ${scope}`, {
    field: 'body.service',
    valid,
  });
}

/** The `{action, payload}` of the pre-check input (spec §3.2); `service` tells the policy the target. */
interface MgmtInput {
  action: string;
  payload: Json;
  service: string;
}

/**
 * The Management Command Executor: with a `block_id`, pre-check `block_mgmt` then send
 * `{action, data}` to every running instance's `/mgmt`; without one, pre-check `cluster_mgmt` for
 * the stability checker (which is not implemented yet: a clear 404 after the pre-check).
 */
export class MgmtService {
  constructor(private readonly ports: ActionPorts) {}

  async execute(req: MgmtRequest) {
    const input: MgmtInput = { action: req.mgmt_action, payload: req.mgmt_data ?? {}, service: req.service };
    if (req.block_id) {
      if (!BLOCK_SERVICES.includes(req.service)) throw unsupported(req.service, BLOCK_SERVICES, 'blocks');
      const block = await getBlock(this.ports, req.block_id);
      const checked = await this.ports.precheck('block_mgmt', { block_data: block, input });
      const command = checked.input as MgmtInput;
      const running = (await instancesOf(this.ports.store, req.block_id)).filter(
        (i) => i.status === 'running',
      );
      const results = await Promise.all(
        running.map((i) => deliverMgmt(i, { action: command.action, data: command.payload })),
      );
      return { block_id: req.block_id, service: req.service, mgmt_action: command.action, results };
    }
    if (!CLUSTER_SERVICES.includes(req.service))
      throw unsupported(req.service, CLUSTER_SERVICES, 'the cluster (no block_id)');
    await this.ports.precheck('cluster_mgmt', { cluster_data: await this.ports.cluster(), input });
    throw new GovernorError('not_found', 'no stability checker policy is configured for this cluster', {
      service: 'stability_checker',
    });
  }
}
