import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JobGrants } from '../cluster/actions/index.js';
import { GovernorError } from '../errors/index.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A POST that only reads (queries); it needs no token. */
    readOnly?: boolean;
  }
  interface FastifyRequest {
    /** The block an init-container job's scoped token may report for (set by the auth hook). */
    grantedBlock?: string;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const [scheme, given] = (request.headers.authorization ?? '').split(' ', 2);
  return scheme?.toLowerCase() === 'bearer' && given ? given : undefined;
}

function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Mutating routes require `Authorization: Bearer <token>` when a token is configured (always the
 * case beyond loopback: config refuses to start otherwise). The token itself is never logged.
 * A running init-container job's scoped token (`JobGrants`) is accepted for one thing only: its
 * block's `init_create_status_update` on `/executeAction`, checked once the body is parsed.
 */
export function installAuth(app: FastifyInstance, token: string | undefined, grants?: JobGrants): void {
  if (!token) return;
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method) || request.routeOptions.config?.readOnly) return;
    const given = bearer(request);
    if (tokenMatches(given, token)) return;
    const block = given && request.routeOptions.url === '/executeAction' ? grants?.block(given) : undefined;
    if (block === undefined) {
      throw new GovernorError('unauthorized', 'this route changes state: send Authorization: Bearer <token>');
    }
    request.grantedBlock = block;
  });
  app.addHook('preValidation', async (request) => {
    if (request.grantedBlock === undefined) return;
    const body = (request.body ?? {}) as { action?: unknown; data?: { block_id?: unknown } };
    if (body.action !== 'init_create_status_update' || body.data?.block_id !== request.grantedBlock) {
      throw new GovernorError(
        'unauthorized',
        `an init-container token only reports the stages of block '${request.grantedBlock}'`,
      );
    }
  });
}
