/**
 * The single seam for cluster-level pre-check policies (spec §3.2 b). Actions call the gate with
 * their action-specific input; a gate returns the input to proceed with (possibly rewritten by a
 * policy) or throws `policy_denied`. The policy-backed gate replaces `allowAllGate` in the
 * composition root.
 */
export type PreCheckAction =
  | 'add_node'
  | 'remove_node'
  | 'update_cluster'
  | 'scale_block'
  | 'add_block'
  | 'remove_block'
  | 'add_vdag_controller'
  | 'remove_vdag_controller'
  | 'block_mgmt'
  | 'cluster_mgmt';

export interface PreCheckGate {
  check<T>(action: PreCheckAction, input: T): Promise<T>;
}

/** No pre-check policies configured: every action proceeds with its input unchanged. */
export const allowAllGate: PreCheckGate = {
  check: async (_action, input) => input,
};
