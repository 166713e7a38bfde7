import { createBlock, dryRunBlock, removeBlock, updateParameters } from './block-actions.js';
import { initStatusUpdate, queryInitContainers } from './init-container.js';
import { type ParsedAction, parseAction } from './parse.js';
import type { ActionPorts } from './ports.js';
import { reassignInstances, removeInstance, scaleBlock } from './scale-actions.js';

/** The Infrastructure Management module: `/executeAction`'s nine actions over store, allocator and backend. */
export class ActionService {
  constructor(private readonly ports: ActionPorts) {}

  /** Validates `{action, data}` (unknown action → `unknown_action`, bad data → `bad_request`) and runs it. */
  execute(action: unknown, data: unknown): Promise<unknown> {
    return this.run(parseAction(action, data));
  }

  private run(p: ParsedAction): Promise<unknown> {
    const ports = this.ports;
    switch (p.action) {
      case 'create_block':
        return createBlock(ports, p.data);
      case 'remove_block':
        return removeBlock(ports, p.data);
      case 'scale':
        return scaleBlock(ports, p.data);
      case 'parameter_update':
        return updateParameters(ports, p.data);
      case 'dry_run':
        return dryRunBlock(ports, p.data);
      case 'remove_instance':
        return removeInstance(ports, p.data);
      case 'init_create_status_update':
        return initStatusUpdate(ports, p.data);
      case 'query_init_container_data':
        return queryInitContainers(ports, p.data);
      case 'reassign-instances':
        return reassignInstances(ports, p.data);
    }
  }
}
