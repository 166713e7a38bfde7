import { type ErrorCode, GovernorError } from '../errors/index.js';

/** The typed failures of a policy call; each carries the policy URI and, when there is one, the traceback. */
export type PolicyErrorCode = Extract<
  ErrorCode,
  | 'policy_not_found'
  | 'policy_load_failed'
  | 'policy_timeout'
  | 'policy_memory_exceeded'
  | 'policy_crashed'
  | 'policy_invalid_result'
>;

export function policyError(
  code: PolicyErrorCode,
  policy: string,
  message: string,
  details: Record<string, unknown> = {},
): GovernorError {
  return new GovernorError(code, `${policy}: ${message}`, { policy, ...details });
}

/**
 * Checks that a result can cross a process boundary as JSON and comes back equal in shape:
 * undefined, functions, symbols, bigints, cycles and non-finite numbers are rejected.
 */
export function assertJsonResult(policy: string, result: unknown): void {
  let text: string | undefined;
  try {
    text = JSON.stringify(result, rejectNonJson);
  } catch (err) {
    throw policyError(
      'policy_invalid_result',
      policy,
      `result is not JSON-serialisable: ${(err as Error).message}`,
    );
  }
  if (text === undefined) {
    throw policyError('policy_invalid_result', policy, `result is not JSON-serialisable: ${typeof result}`);
  }
}

function rejectNonJson(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`non-finite number ${value}`);
  if (typeof value === 'function' || typeof value === 'symbol') throw new TypeError(`a ${typeof value}`);
  return value;
}

/** `management()` is optional in the contract; calling it on a policy without one is the caller's error. */
export function noManagement(policy: string): GovernorError {
  return new GovernorError('unknown_action', `${policy}: the policy does not implement management()`, {
    policy,
  });
}
