/**
 * A block load balancer (spec §4.1) in TypeScript: session affinity, round robin for new sessions.
 * The mapping lives on the instance, so it persists while the policy is loaded stateful; it is
 * cleared when the instance list changes. Implements the required management commands.
 */
interface Input {
  instances: string[];
  packet: { session_id: string };
}

export default class SessionBalancer {
  private mapping = new Map<string, string>();
  private next = 0;
  private lastInstances = '';

  constructor(
    readonly ruleId: string,
    readonly settings: Record<string, unknown>,
    readonly parameters: Record<string, unknown>,
  ) {}

  eval(_parameters: Record<string, unknown>, input: Input, context: Record<string, unknown>) {
    const key = input.instances.join(',');
    if (key !== this.lastInstances) {
      this.mapping.clear();
      this.lastInstances = key;
    }
    context.calls = ((context.calls as number | undefined) ?? 0) + 1;
    let instance = this.mapping.get(input.packet.session_id);
    if (!instance) {
      instance = input.instances[this.next++ % input.instances.length]!;
      this.mapping.set(input.packet.session_id, instance);
    }
    return { instance_id: instance };
  }

  management(action: string, _data: unknown) {
    if (action === 'health_check')
      return { status: 'healthy', instances: this.lastInstances.split(',').filter(Boolean) };
    if (action === 'get_current_mapping') return { mapping: Object.fromEntries(this.mapping) };
    return { status: 'error', message: `unknown action ${action}` };
  }
}
