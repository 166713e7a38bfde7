import type { InfraBackend } from '../../infra/index.js';
import type { DocumentStore } from '../../store/document-store.js';
import type { JobGrants } from './job-grants.js';

export type Json = Record<string, unknown>;

/** A block policy entry (`policies.<name>` of a block entry, spec §3.7). */
export interface PolicyRef {
  policyRuleURI: string;
  parameters?: Json;
  settings?: Json;
}

/**
 * What the action service needs from the rest of the controller. Pre-checks and policy
 * evaluation are functions so the service does not depend on how policies are found or run.
 */
export interface ActionPorts {
  store: DocumentStore;
  infra: InfraBackend;
  /** The cluster entry (spec §3.8) of the cluster this controller runs. */
  cluster(): Promise<Json>;
  /**
   * Runs the pre-check policy of `hook` (spec §3.2); resolves with the input to go on with (the
   * policy may rewrite it) or throws `policy_denied`. Without a policy for the hook it returns the input.
   */
  precheck(hook: string, input: Json): Promise<Json>;
  /** Evaluates a block policy (the `resourceAllocator`) and returns its raw result. */
  evaluatePolicy(policy: PolicyRef, input: Json): Promise<unknown>;
  /** Wait this long for a new instance's `/health` before calling it started (0: do not wait). */
  readyTimeoutMs?: number;
  /** Deadline of an init-container job (default: the backend's). */
  initJobTimeoutMs?: number;
  /**
   * The base URL an init-container job calls back on (its `GOVERNOR_URL`), or undefined while the
   * controller is not listening: the HTTP face says where it listens, the domain never asks.
   */
  controllerUrl?(): string | undefined;
  /** Where init-container jobs get their scoped callback token (none: the job gets no token). */
  grants?: JobGrants;
}

export const BLOCKS = 'blocks';
/** One document per instance: its placement is its GPU reservation. */
export const INSTANCES = 'block_instances';
export const INIT_CONTAINERS = 'init_containers';
