/**
 * The one catalogue of error codes. Every error a user can see has a stable snake_case code here,
 * an HTTP status, a default message and whether a retry may succeed. `src/http` is the only place
 * that turns these into responses; docs and the OpenAPI enum are generated from this table.
 */
export interface ErrorSpec {
  status: number;
  message: string;
  retryable: boolean;
}

export const ERROR_CODES = {
  bad_request: { status: 400, message: 'The request is malformed', retryable: false },
  invalid_query: {
    status: 400,
    message: 'The query uses an unsupported operator or shape',
    retryable: false,
  },
  invalid_entity: { status: 400, message: 'An entity is invalid', retryable: false },
  invalid_rule_pack: { status: 400, message: 'A rule pack is invalid', retryable: false },
  unknown_action: { status: 400, message: 'Unknown action', retryable: false },
  unauthorized: { status: 401, message: 'A valid bearer token is required', retryable: false },
  policy_denied: { status: 403, message: 'A pre-check policy denied the action', retryable: false },
  not_found: { status: 404, message: 'Not found', retryable: false },
  policy_not_found: { status: 404, message: 'No policy with this URI', retryable: false },
  method_not_allowed: { status: 405, message: 'Method not allowed', retryable: false },
  conflict: { status: 409, message: 'Conflicts with the current state', retryable: false },
  allocation_failed: { status: 409, message: 'No placement satisfies the request', retryable: true },
  invalid_placement: {
    status: 409,
    message: 'The placement names an unknown or unhealthy node, or a missing or taken GPU',
    retryable: false,
  },
  payload_too_large: { status: 413, message: 'The request body is too large', retryable: false },
  unsupported_media_type: { status: 415, message: 'Unsupported content type', retryable: false },
  policy_load_failed: { status: 422, message: 'The policy could not be loaded', retryable: false },
  policy_crashed: {
    status: 502,
    message: 'The policy raised an error or killed its worker',
    retryable: true,
  },
  policy_invalid_result: { status: 502, message: 'The policy returned an invalid result', retryable: false },
  policy_memory_exceeded: { status: 502, message: 'The policy exceeded its memory cap', retryable: false },
  upstream_failed: { status: 502, message: 'A downstream service failed', retryable: true },
  instance_start_failed: {
    status: 502,
    message: 'The infrastructure backend could not start the instance',
    retryable: true,
  },
  init_failed: {
    status: 502,
    message: "The block's init container failed",
    retryable: true,
  },
  unavailable: { status: 503, message: 'The service is not ready', retryable: true },
  policy_timeout: { status: 504, message: 'The policy exceeded its deadline', retryable: true },
  internal: { status: 500, message: 'Internal error', retryable: true },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const errorCodes = Object.keys(ERROR_CODES) as ErrorCode[];
