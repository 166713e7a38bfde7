import { GovernorError } from '../errors/index.js';
import {
  type DecisionSink,
  type LoadedPolicy,
  newDecisionId,
  type PolicyInstance,
  type PolicyRuntimes,
  recorded,
} from '../policy/index.js';
import type { ExecutorRegistry } from './executors.js';
import type { PolicyRegistry } from './registry.js';
import type { ExecutePolicyRequest } from './schemas.js';

/** How stale a PolicyRule read by the executor may be when another process changed it. */
const RULE_MAX_AGE_MS = 1000;
const NO_PARAMETERS = Object.freeze({});

export interface Execution {
  result: unknown;
  decisionId: string;
  durationMs: number;
}

/**
 * Type 2: evaluates registered policies statelessly. Every call gets a fresh policy instance and a
 * fresh context; what is cached is the loaded code (per digest) and the handle that makes fresh
 * instances with the PolicyRule's current settings (per digest and update time).
 */
export class PolicyExecutor {
  private readonly code = new Map<string, Promise<LoadedPolicy>>();
  /** Per policy URI: the handle made from its current code and PolicyRule (digest, update time). */
  private readonly handles = new Map<
    string,
    { digest: string; updatedAt: string; handle: Promise<PolicyInstance> }
  >();

  constructor(
    private readonly registry: PolicyRegistry,
    private readonly executors: ExecutorRegistry,
    private readonly runtimes: PolicyRuntimes,
    private readonly log: DecisionSink,
  ) {}

  get executorId(): string {
    return this.executors.localId;
  }

  async execute(
    executorId: string,
    req: ExecutePolicyRequest,
    caller = `executor:${executorId}`,
  ): Promise<Execution> {
    if (executorId !== this.executors.localId) return this.forward(executorId, req);
    const t0 = performance.now();
    const rule = await this.registry.getRecent(req.policy_rule_uri, RULE_MAX_AGE_MS);
    const handle = await this.handle(rule.policy_rule_uri, rule.digest, rule.updated_at);
    // The rule's own object when nothing overrides it: the runtime keeps its encoding between calls.
    const parameters = req.parameters
      ? { ...rule.policy_parameters, ...req.parameters }
      : (rule.policy_parameters ?? NO_PARAMETERS);
    const decisionId = newDecisionId();
    const pkg = { uri: rule.policy_rule_uri, digest: rule.digest };
    const result = await recorded(
      this.log,
      pkg,
      caller,
      req.input_data,
      (inputJson) => handle.eval({ input: req.input_data, inputJson, parameters }),
      decisionId,
    );
    return { result, decisionId, durationMs: performance.now() - t0 };
  }

  /** Drops the instance handles of a policy (after it is updated or deleted); the next call remakes them. */
  evict(uri: string): void {
    this.handles.delete(uri);
  }

  private handle(uri: string, digest: string, updatedAt: string): Promise<PolicyInstance> {
    const current = this.handles.get(uri);
    if (current && current.digest === digest && current.updatedAt === updatedAt) return current.handle;
    // A newer PolicyRule (PUT) or code replaces the handle made from the older one.
    const handle = (async () => {
      const pkg = await this.registry.fetch(uri);
      let loaded = this.code.get(digest);
      if (!loaded) {
        loaded = this.runtimes.for(pkg.manifest.language).load(pkg);
        this.code.set(digest, loaded);
        loaded.catch(() => this.code.delete(digest));
      }
      return (await loaded).createInstance({
        ruleId: uri,
        settings: pkg.manifest.settings ?? {},
        parameters: pkg.manifest.parameters ?? {},
        stateful: false,
      });
    })();
    const entry = { digest, updatedAt, handle };
    this.handles.set(uri, entry);
    handle.catch(() => {
      if (this.handles.get(uri) === entry) this.handles.delete(uri);
    });
    return handle;
  }

  /** Another registered executor: proxy the call to its `executor_host_uri`, as the original system does. */
  private async forward(executorId: string, req: ExecutePolicyRequest): Promise<Execution> {
    const executor = await this.executors.get(executorId);
    const base = executor.executor_host_uri;
    if (!base) {
      throw new GovernorError('unavailable', `executor ${executorId} has no executor_host_uri`, {
        executor_id: executorId,
      });
    }
    const t0 = performance.now();
    let res: Response;
    try {
      res = await fetch(
        `${base.replace(/\/$/, '')}/executor/${encodeURIComponent(executorId)}/execute_policy`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(req),
        },
      );
    } catch (err) {
      throw new GovernorError('upstream_failed', `executor ${executorId}: ${(err as Error).message}`, {
        executor_id: executorId,
      });
    }
    const body = (await res.json().catch(() => undefined)) as { error?: Record<string, unknown> } | undefined;
    if (!res.ok)
      throw GovernorError.fromData(body?.error ?? { code: 'upstream_failed', message: `HTTP ${res.status}` });
    return {
      result: body,
      decisionId: res.headers.get('x-decision-id') ?? '',
      durationMs: performance.now() - t0,
    };
  }
}
