import type { Config } from './config.js';
import { type InfraBackend, LocalBackend } from './infra/index.js';
import { Manager, runnable } from './lifecycle/index.js';

/**
 * The composition root: every long-lived component of one Governor process, wired once.
 * HTTP routes and the CLI reach the domain only through this object.
 */
export interface ControlPlane {
  readonly config: Config;
  readonly manager: Manager;
  /** Where instances run: the local backend (child processes on logical nodes) for now. */
  readonly infra: InfraBackend;
}

export async function createControlPlane(config: Config): Promise<ControlPlane> {
  const manager = new Manager();
  // Logical nodes follow the cluster entry once the cluster controller sets them (setNodes).
  const infra = new LocalBackend({ nodes: [], dataDir: config.dataDir });
  manager.add(
    runnable(
      'infra',
      async () => {},
      () => infra.close(),
    ),
  );
  return { config, manager, infra };
}
