import { isDeepStrictEqual } from 'node:util';
import { GovernorError, isGovernorError } from '../errors/index.js';
import { type ClusterContext, changeCluster, getCluster } from './cluster-entry.js';
import type { PreCheckAction, PreCheckGate } from './precheck-gate.js';
import type { ClusterEntry } from './schemas.js';

/**
 * Where the cluster-level pre-check map lives: `config.preCheckPolicies` of the cluster entry,
 * `{<hook>: <policy_rule_uri>}`. Not `config.actionsPolicyMap`: the spec (§3.2, §7) cannot say
 * whether that map is keyed by `/executeAction` names or by hooks, so it is left as data.
 */
export const PRECHECK_CONFIG_KEY = 'preCheckPolicies';

export const PRECHECK_ACTIONS: readonly PreCheckAction[] = [
  'add_node',
  'remove_node',
  'update_cluster',
  'scale_block',
  'add_block',
  'remove_block',
  'add_vdag_controller',
  'remove_vdag_controller',
  'block_mgmt',
  'cluster_mgmt',
];

export type PreCheckMap = Partial<Record<PreCheckAction, string>>;

/** Outcomes are a closed vocabulary (admission-webhook style); `errored` denies. */
export type PreCheckOutcome =
  | { outcome: 'allow'; input: unknown }
  | { outcome: 'rewrite'; input: unknown }
  | { outcome: 'deny'; reason: unknown }
  | { outcome: 'errored'; failure: { code: string; message: string } };

/** Runs one policy for one hook; the caller string goes to the decision log. */
export type PreCheckEvaluator = (uri: string, input: unknown, caller: string) => Promise<unknown>;

export function preCheckMap(cluster: ClusterEntry): PreCheckMap {
  const raw = (cluster.config as Record<string, unknown> | undefined)?.[PRECHECK_CONFIG_KEY];
  return raw && typeof raw === 'object' ? (raw as PreCheckMap) : {};
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Pure: what a policy's result means for the action (spec §3.2 `{allowed, input_data}`). */
export function interpretResult(input: unknown, result: unknown): PreCheckOutcome {
  if (!isObject(result) || typeof result.allowed !== 'boolean')
    return {
      outcome: 'errored',
      failure: {
        code: 'policy_invalid_result',
        message: 'a pre-check must return {"allowed": <bool>, "input_data": ...}',
      },
    };
  if (!result.allowed) return { outcome: 'deny', reason: result.input_data };
  // The action goes on with `input_data`; a result that drops it cannot be proceeded with.
  if (!isObject(result.input_data))
    return {
      outcome: 'errored',
      failure: {
        code: 'policy_invalid_result',
        message: 'an allowing pre-check must return the (possibly rewritten) input_data object',
      },
    };
  return isDeepStrictEqual(input, result.input_data)
    ? { outcome: 'allow', input }
    : { outcome: 'rewrite', input: result.input_data };
}

/**
 * The policy-backed gate: reads the map from the cluster entry on every check (so an update
 * applies at once), evaluates the hook's policy and turns deny and errored into `policy_denied`.
 */
export class PolicyPreCheckGate implements PreCheckGate {
  constructor(
    private readonly ctx: Pick<ClusterContext, 'store' | 'clusterId'>,
    private readonly evaluate: PreCheckEvaluator,
  ) {}

  async decide(action: PreCheckAction, input: unknown): Promise<PreCheckOutcome & { policy?: string }> {
    const policy = preCheckMap(await getCluster(this.ctx as ClusterContext))[action];
    if (!policy) return { outcome: 'allow', input };
    let result: unknown;
    try {
      result = await this.evaluate(policy, input, `precheck:${action}`);
    } catch (err) {
      const failure = isGovernorError(err)
        ? { code: err.code as string, message: err.message }
        : { code: 'internal', message: String(err) };
      return { outcome: 'errored', failure, policy };
    }
    return { ...interpretResult(input, result), policy };
  }

  async check<T>(action: PreCheckAction, input: T): Promise<T> {
    const d = await this.decide(action, input);
    if (d.outcome === 'allow' || d.outcome === 'rewrite') return d.input as T;
    if (d.outcome === 'deny')
      throw new GovernorError('policy_denied', `the ${action} pre-check ${d.policy} denied the action`, {
        policy: d.policy,
        action,
        reason: d.reason,
      });
    throw new GovernorError(
      'policy_denied',
      `the ${action} pre-check ${d.policy} failed (${d.failure.code}); denied`,
      { policy: d.policy, action, failure: d.failure },
    );
  }
}

/**
 * Applies a partial map: `""` removes a hook's check, keys left out keep theirs. Unknown hooks are
 * a 400 listing the valid ones; every URI must exist (`exists` throws `policy_not_found`).
 */
export async function updatePreCheckMap(
  ctx: ClusterContext,
  partial: Record<string, string>,
  exists: (uri: string) => Promise<unknown>,
): Promise<PreCheckMap> {
  const unknown = Object.keys(partial).filter((k) => !PRECHECK_ACTIONS.includes(k as PreCheckAction));
  if (unknown.length > 0)
    throw new GovernorError('unknown_action', `unknown pre-check action: ${unknown.join(', ')}`, {
      field: unknown.map((k) => `body.${k}`).join(', '),
      unknown,
      valid: PRECHECK_ACTIONS,
    });
  for (const uri of new Set(Object.values(partial).filter((u) => u !== ''))) await exists(uri);
  const next = await changeCluster(ctx, async (current) => {
    const map: Record<string, string> = { ...preCheckMap(current) };
    for (const [action, uri] of Object.entries(partial)) {
      if (uri === '') delete map[action];
      else map[action] = uri;
    }
    return { ...current, config: { ...current.config, [PRECHECK_CONFIG_KEY]: map } };
  });
  return preCheckMap(next);
}
