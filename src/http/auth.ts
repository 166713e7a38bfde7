import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GovernorError } from '../errors/index.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A POST that only reads (queries); it needs no token. */
    readOnly?: boolean;
  }
}

function tokenMatches(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const [scheme, given] = header.split(' ', 2);
  if (scheme?.toLowerCase() !== 'bearer' || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Mutating routes require `Authorization: Bearer <token>` when a token is configured (always the
 * case beyond loopback: config refuses to start otherwise). The token itself is never logged.
 */
export function installAuth(app: FastifyInstance, token: string | undefined): void {
  if (!token) return;
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method) || request.routeOptions.config?.readOnly) return;
    if (!tokenMatches(request, token)) {
      throw new GovernorError('unauthorized', 'this route changes state: send Authorization: Bearer <token>');
    }
  });
}
