import { ERROR_CODES, type ErrorCode } from './codes.js';

export type ErrorDetails = Record<string, unknown>;

/** The wire form of an error, also used across worker, isolate and process boundaries. */
export interface ErrorData {
  code: ErrorCode;
  message: string;
  details: ErrorDetails;
}

/** The one error type domain code throws; `src/http` maps it to `{"error": {...}}`. */
export class GovernorError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message?: string, details: ErrorDetails = {}) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'GovernorError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }

  toJSON(): ErrorData {
    return { code: this.code, message: this.message, details: this.details };
  }

  /** Rehydrates an error that crossed a worker or process boundary as plain data. */
  static fromData(data: { code?: unknown; message?: unknown; details?: unknown }): GovernorError {
    const code =
      typeof data.code === 'string' && data.code in ERROR_CODES ? (data.code as ErrorCode) : 'internal';
    const message = typeof data.message === 'string' ? data.message : undefined;
    const details = data.details && typeof data.details === 'object' ? (data.details as ErrorDetails) : {};
    return new GovernorError(code, message, details);
  }
}

export function isGovernorError(err: unknown): err is GovernorError {
  return err instanceof GovernorError;
}

/** Shorthand for the most common 400: a named field is wrong. */
export function badRequest(field: string, message: string, details: ErrorDetails = {}): GovernorError {
  return new GovernorError('bad_request', message, { field, ...details });
}

export function notFound(kind: string, id: string): GovernorError {
  return new GovernorError('not_found', `${kind} '${id}' not found`, { kind, id });
}
