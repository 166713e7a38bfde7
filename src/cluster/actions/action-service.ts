import { createBlock, dryRunBlock, removeBlock, updateParameters } from './block-actions.js';
import { initStatusUpdate, queryInitContainers } from './init-container.js';
import { type ParsedAction, parseAction } from './parse.js';
import { type ActionPorts, INSTANCES } from './ports.js';
import { reassignInstances, removeInstance, scaleBlock } from './scale-actions.js';
import type { ActionData, ActionName } from './schemas.js';

type Handler<A extends ActionName> = (ports: ActionPorts, data: ActionData<A>) => Promise<unknown>;

const HANDLERS: { [A in ActionName]: Handler<A> } = {
  create_block: createBlock,
  remove_block: removeBlock,
  scale: scaleBlock,
  parameter_update: updateParameters,
  dry_run: dryRunBlock,
  remove_instance: removeInstance,
  init_create_status_update: initStatusUpdate,
  query_init_container_data: queryInitContainers,
  'reassign-instances': reassignInstances,
};

/** The Infrastructure Management module: `/executeAction`'s nine actions over store, allocator and backend. */
export class ActionService {
  constructor(private readonly ports: ActionPorts) {}

  /** Indexes the paths the reservation checks filter on, so they stay fast on large clusters. */
  async init(): Promise<void> {
    for (const path of ['node_id', 'block_id']) await this.ports.store.ensureIndex(INSTANCES, path);
  }

  /** Validates `{action, data}` (unknown action → `unknown_action`, bad data → `bad_request`) and runs it. */
  execute(action: unknown, data: unknown): Promise<unknown> {
    const p: ParsedAction = parseAction(action, data);
    return (HANDLERS[p.action] as Handler<typeof p.action>)(this.ports, p.data);
  }
}
