import fs from 'node:fs/promises';
import type { Config } from './config.js';
import { type ControlPlane, type ControlPlaneOptions, createControlPlane } from './control-plane.js';
import { type App, type AppOptions, buildApp } from './http/app.js';
import { httpUrl } from './http/url.js';
import { runnable } from './lifecycle/index.js';

export interface RunningServer {
  url: string;
  app: App;
  controlPlane: ControlPlane;
  /** Stops accepting, lets in-flight requests finish, then stops workers and loops. */
  close(): Promise<void>;
}

/** Builds the control plane and serves it; used by `governor up` and by end-to-end tests. */
export async function startServer(
  config: Config,
  options: AppOptions & ControlPlaneOptions = {},
): Promise<RunningServer> {
  await fs.mkdir(config.dataDir, { recursive: true });
  const cp = await createControlPlane(config, options);
  const app = await buildApp(cp, options);
  // The HTTP server is the last runnable, so it stops first and in-flight requests can still use workers.
  cp.manager.add(
    runnable(
      'http',
      async () => {
        await app.listen({ host: config.host, port: config.port });
      },
      () => app.close(),
    ),
  );
  await cp.manager.start();
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  return { url: httpUrl(config.host, port), app, controlPlane: cp, close: () => cp.manager.stop() };
}
