import { hash, randomUUID } from 'node:crypto';
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

/** One-shot `hash`, not `createHash`: a Hash object is a weak handle every scavenge has to visit. */
export function digestOf(json: string): string {
  return hash('sha256', json, 'hex');
}

/**
 * Puts what the log keeps of a result into a decision: a pre-check's result repeats its input,
 * cluster entry and all; when that copy is unchanged it is dropped and flagged, halving what a
 * busy log writes.
 */
export function withResult(decision: Decision, result: unknown, inputJson: string): Decision {
  const echoed =
    result !== null &&
    typeof result === 'object' &&
    !Array.isArray(result) &&
    'input_data' in result &&
    JSON.stringify(result.input_data) === inputJson;
  if (!echoed) {
    decision.result = result;
    return decision;
  }
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(result))
    if (key !== 'input_data') rest[key] = (result as Record<string, unknown>)[key];
  decision.result = rest;
  decision.input_data_unchanged = true;
  return decision;
}

let isoMs = -1;
let iso = '';

/** `new Date().toISOString()`, formatted once per millisecond however many decisions it stamps. */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    iso = new Date(ms).toISOString();
  }
  return iso;
}

/** A UUIDv7: ordered by time, so decision-log inserts append to the id index instead of splitting pages. */
export function newDecisionId(): string {
  const ms = Date.now().toString(16).padStart(12, '0');
  const r = randomUUID();
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${r.slice(15, 18)}-${r.slice(19)}`;
}
