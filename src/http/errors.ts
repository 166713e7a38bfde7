import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorData, GovernorError, isGovernorError } from '../errors/index.js';

/** Fastify's own request errors, mapped to our catalogue so clients see one error shape. */
const FASTIFY_CODES: Record<string, GovernorError['code']> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

/** Turns anything thrown by a route into the catalogued `{code, message, details}`. */
export function toErrorData(err: unknown): { status: number; error: ErrorData; unexpected: boolean } {
  if (isGovernorError(err)) return { status: err.status, error: err.toJSON(), unexpected: false };
  const fe = err as FastifyError;
  if (fe?.validation) {
    const first = fe.validation[0];
    const where = fe.validationContext ?? 'body';
    const field = first ? `${where}${first.instancePath.replaceAll('/', '.')}` : where;
    // Name the offending property itself: the one missing, or the one not allowed.
    const params = first?.params as { missingProperty?: string; additionalProperty?: string } | undefined;
    const missing = params?.missingProperty ?? params?.additionalProperty;
    const e = new GovernorError(
      'bad_request',
      `${missing ? `${field}.${missing}` : field}: ${first?.message ?? 'invalid'}`,
      {
        field: missing ? `${field}.${missing}` : field,
        errors: fe.validation.map((v) => ({ path: v.instancePath, message: v.message, params: v.params })),
      },
    );
    return { status: 400, error: e.toJSON(), unexpected: false };
  }
  const code = fe?.code ? FASTIFY_CODES[fe.code] : undefined;
  if (code) {
    const e = new GovernorError(code, fe.message);
    return { status: e.status, error: e.toJSON(), unexpected: false };
  }
  const e = new GovernorError('internal', 'Internal error; see the server log');
  return { status: 500, error: e.toJSON(), unexpected: true };
}

export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, error, unexpected } = toErrorData(err);
  if (unexpected) request.log.error({ err }, 'unexpected error');
  void reply.code(status).send({ error });
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  const e = new GovernorError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`, {
    method: request.method,
    path: request.url.split('?')[0],
  });
  void reply.code(404).send({ error: e.toJSON() });
}
