import { GovernorError, isGovernorError } from '../errors/index.js';
import { type Decision, type DecisionSink, digestOf, isoNow, newDecisionId, withResult } from './decision.js';
import { type PolicyPackage, readPackage } from './package.js';
import type { JsonObject, LoadedPolicy, PolicyInstance } from './policy-runtime.js';
import { PolicyRuntimes } from './runtimes.js';
import { looksLikePolicyUri } from './uri.js';

/** Resolves a policy URI to a package on local disk (the registry client implements it). */
export interface PolicySource {
  fetch(uri: string): Promise<PolicyPackage>;
}

export interface LoadPolicyOptions {
  settings?: JsonObject;
  parameters?: JsonObject;
  /** Default true: one instance whose `context` persists across evals. False: fresh per call. */
  stateful?: boolean;
  /** Needed to load by URI rather than by path. */
  registry?: PolicySource;
  /** JS/TS only: import into this process and call directly (no deadline, no memory cap). */
  trusted?: boolean;
  /** Opt-in: every eval is recorded here. */
  decisionLog?: DecisionSink;
  /** Passed to the constructor as `rule_id`; defaults to the policy URI. */
  ruleId?: string;
  /** Recorded as the caller in the decision log; default `sdk`. */
  caller?: string;
  /** Runtimes to use; default: a process-wide set, closed when its last policy closes. */
  runtimes?: PolicyRuntimes;
}

export interface EvalOptions {
  /** Merged over the instance's parameters for this call. */
  parameters?: JsonObject;
  /** Replaces the instance's cache (stateful: from this call on). */
  context?: JsonObject;
}

export interface LocalPolicy {
  readonly uri: string;
  readonly digest: string;
  eval(input: unknown, options?: EvalOptions): Promise<unknown>;
  management(action: string, data?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

let shared: { runtimes: PolicyRuntimes; users: number } | undefined;

function acquireShared(): PolicyRuntimes {
  shared ??= { runtimes: new PolicyRuntimes(), users: 0 };
  shared.users++;
  return shared.runtimes;
}

async function releaseShared(runtimes: PolicyRuntimes): Promise<void> {
  if (!shared || shared.runtimes !== runtimes || --shared.users > 0) return;
  shared = undefined;
  await runtimes.close();
}

/**
 * Type 1: loads a policy into this application. The application owns the lifecycle: it decides
 * when to load, evaluate and `close()` (which stops the Python workers once no policy needs them).
 */
export async function loadPolicy(uriOrPath: string, options: LoadPolicyOptions = {}): Promise<LocalPolicy> {
  const pkg = await resolvePackage(uriOrPath, options.registry);
  const runtimes = options.runtimes ?? acquireShared();
  const release = () => (options.runtimes ? Promise.resolve() : releaseShared(runtimes));
  let loaded: LoadedPolicy | undefined;
  let instance: PolicyInstance;
  const parameters = { ...pkg.manifest.parameters, ...options.parameters };
  try {
    loaded = await runtimes.for(pkg.manifest.language, options.trusted).load(pkg);
    instance = await loaded.createInstance({
      ruleId: options.ruleId ?? pkg.uri,
      settings: { ...pkg.manifest.settings, ...options.settings },
      parameters,
      stateful: options.stateful ?? true,
    });
  } catch (err) {
    await loaded?.dispose();
    await release();
    throw err;
  }
  const log = options.decisionLog;
  const caller = options.caller ?? 'sdk';
  let closed = false;

  const evaluate = (input: unknown, opts: EvalOptions = {}) => {
    if (closed) return Promise.reject(new GovernorError('unavailable', `${pkg.uri}: the policy was closed`));
    const call = {
      input,
      parameters: opts.parameters ? { ...parameters, ...opts.parameters } : parameters,
      context: opts.context,
    };
    if (!log) return instance.eval(call);
    return recorded(log, pkg, caller, input, (inputJson) => instance.eval({ ...call, inputJson }));
  };

  return {
    uri: pkg.uri,
    digest: pkg.digest,
    eval: evaluate,
    management: (action, data = {}) => instance.management(action, data),
    close: async () => {
      if (closed) return;
      closed = true;
      await instance.dispose();
      await loaded.dispose();
      await release();
    },
  };
}

async function resolvePackage(uriOrPath: string, registry: PolicySource | undefined): Promise<PolicyPackage> {
  if (registry && looksLikePolicyUri(uriOrPath)) return registry.fetch(uriOrPath);
  if (looksLikePolicyUri(uriOrPath)) {
    throw new GovernorError(
      'policy_not_found',
      `'${uriOrPath}' looks like a policy URI: pass { registry } to load it`,
      {
        policy: uriOrPath,
      },
    );
  }
  return readPackage(uriOrPath);
}

/** Runs one evaluation and writes its decision, success or failure. */
export async function recorded(
  log: DecisionSink,
  pkg: Pick<PolicyPackage, 'uri' | 'digest'>,
  caller: string,
  input: unknown,
  run: (inputJson: string) => Promise<unknown>,
  decisionId = newDecisionId(),
): Promise<unknown> {
  const t0 = performance.now();
  const inputJson = JSON.stringify(input) ?? 'undefined';
  const at = isoNow();
  const inputDigest = digestOf(inputJson);
  // Built as one literal and completed by assignment, not by spreads: this runs for every
  // evaluation, and spreading objects of varying shapes was the costliest line of the executor.
  const decision = (): Decision => ({
    decision_id: decisionId,
    at,
    policy_rule_uri: pkg.uri,
    policy_digest: pkg.digest,
    input_digest: inputDigest,
    duration_ms: performance.now() - t0,
    caller,
  });
  try {
    const result = await run(inputJson);
    log.record(withResult(decision(), result, inputJson));
    return result;
  } catch (err) {
    const failed = decision();
    failed.error = isGovernorError(err)
      ? err.toJSON()
      : { code: 'internal' as const, message: String(err), details: {} };
    log.record(failed);
    throw err;
  }
}
