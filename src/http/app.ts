import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type RawServerDefault,
} from 'fastify';
import type { ControlPlane } from '../control-plane.js';
import { errorCodes } from '../errors/index.js';
import { installAuth } from './auth.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { type RouteModule, routes } from './routes/index.js';
import { ErrorResponse } from './schemas/error.js';
import { httpUrl } from './url.js';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface AppOptions {
  logger?: boolean | { level: string };
  /** The API areas to serve; all of them by default. */
  routes?: RouteModule[];
}

/**
 * Where a process on this machine (an init-container job of the local backend) reaches the server:
 * a wildcard bind is reached on loopback.
 */
function localUrl(addr: AddressInfo): string {
  const wildcard = addr.address === '0.0.0.0' || addr.address === '::';
  return httpUrl(wildcard ? '127.0.0.1' : addr.address, addr.port);
}

/** Builds the Fastify app over a control plane: routes stay thin, the domain does the work. */
export async function buildApp(cp: ControlPlane, options: AppOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger ?? false,
    // Per-request lines drown the log of a busy executor; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: cp.config.limits.bodyLimitBytes,
    // Clients may send ids with dots, colons and slashes-encoded; keep long URIs routable.
    routerOptions: { maxParamLength: 1000 },
    ajv: {
      customOptions: { allErrors: false, coerceTypes: false, useDefaults: true, removeAdditional: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ErrorResponse);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  installAuth(app, cp.config.token, cp.jobGrants);
  app.addHook('onListen', async () => {
    const addr = app.server.address();
    if (addr && typeof addr === 'object') cp.advertise(localUrl(addr));
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Governor',
        version: '0.1.0',
        description: `Policy-driven control plane for AI clusters. Errors are {"error": {"code", "message", "details"}} with code one of: ${errorCodes.join(', ')}.`,
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  for (const register of options.routes ?? routes) await register(app, cp);
  return app;
}
