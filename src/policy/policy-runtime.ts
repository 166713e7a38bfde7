/**
 * The PolicyRuntime seam: load a policy package's code, create instances, evaluate them under a
 * deadline and a memory cap. Implementations: `python/` (persistent python3 workers), `js/`
 * (isolated-vm sandbox) and `js/trusted-runtime.ts` (in-process, explicit opt-in).
 */
import type { PolicyPackage } from './package.js';

export type JsonObject = Record<string, unknown>;

export interface PolicyLimits {
  /** Deadline of one call (eval, management, construction), in milliseconds. */
  timeoutMs: number;
  /** Memory cap of the worker or isolate that runs the policy, in MB. */
  memoryMb: number;
}

/** The arguments of `AIOSv1PolicyRule(rule_id, settings, parameters)`. */
export interface InstanceSpec {
  ruleId: string;
  settings: JsonObject;
  parameters: JsonObject;
  /**
   * Stateful: constructed once, its `context` persists across evals. Stateless: every call gets a
   * fresh instance and a fresh context (Type 2 semantics).
   */
  stateful: boolean;
}

export interface EvalCall {
  input: unknown;
  /**
   * `input` already encoded, when the caller has it (the decision log encodes it for its digest):
   * a runtime that sends JSON across uses it rather than encode the input a second time.
   */
  inputJson?: string;
  /** The current parameters, passed to `eval(parameters, input_data, context)`. */
  parameters: JsonObject;
  /** Replaces the instance's cache for this call (stateful: from this call on). */
  context?: JsonObject;
}

export interface PolicyInstance {
  eval(call: EvalCall): Promise<unknown>;
  management(action: string, data: unknown): Promise<unknown>;
  dispose(): Promise<void>;
}

/** A package's code, loaded and ready to make instances. */
export interface LoadedPolicy {
  readonly pkg: PolicyPackage;
  createInstance(spec: InstanceSpec): Promise<PolicyInstance>;
  dispose(): Promise<void>;
}

export interface PolicyRuntime {
  readonly name: string;
  /** Fails with `policy_load_failed` when the code cannot be loaded. */
  load(pkg: PolicyPackage): Promise<LoadedPolicy>;
  /** Stops workers and frees isolates; no process outlives this. */
  close(): Promise<void>;
}
