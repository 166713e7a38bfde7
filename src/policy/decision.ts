import { createHash, randomUUID } from 'node:crypto';
import type { ErrorData } from '../errors/index.js';

/** One policy evaluation, as written to the decision log. */
export interface Decision {
  decision_id: string;
  at: string;
  policy_rule_uri: string;
  /** sha256 of the package's code. */
  policy_digest: string;
  /** sha256 of the JSON input, so a decision can be matched to a request without storing it twice. */
  input_digest: string;
  result?: unknown;
  /**
   * The result's `input_data` was the input, unchanged (a pre-check that allows as is): it is left
   * out of `result` rather than logged twice; `input_digest` names it.
   */
  input_data_unchanged?: true;
  error?: ErrorData;
  duration_ms: number;
  /** Who asked: `sdk`, `executor:<id>`, a request id, a component name. */
  caller: string;
}

/** Where decisions go; `src/policy-system/decision-log.ts` batches them into the store. */
export interface DecisionSink {
  record(decision: Decision): void;
}

export function digestOf(json: string): string {
  return createHash('sha256').update(json).digest('hex');
}

/**
 * What the log keeps of a result: a pre-check's result repeats its input, cluster entry and all;
 * when that copy is unchanged it is dropped and flagged, halving what a busy log writes.
 */
export function loggedResult(
  result: unknown,
  inputJson: string,
): Pick<Decision, 'result' | 'input_data_unchanged'> {
  if (result !== null && typeof result === 'object' && !Array.isArray(result) && 'input_data' in result) {
    const { input_data, ...rest } = result as Record<string, unknown>;
    if (JSON.stringify(input_data) === inputJson) return { result: rest, input_data_unchanged: true };
  }
  return { result };
}

/** A UUIDv7: ordered by time, so decision-log inserts append to the id index instead of splitting pages. */
export function newDecisionId(): string {
  const ms = Date.now().toString(16).padStart(12, '0');
  const r = randomUUID();
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${r.slice(15, 18)}-${r.slice(19)}`;
}
