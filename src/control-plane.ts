import type { Config } from './config.js';
import { Manager } from './lifecycle/index.js';

/**
 * The composition root: every long-lived component of one Governor process, wired once.
 * HTTP routes and the CLI reach the domain only through this object.
 */
export interface ControlPlane {
  readonly config: Config;
  readonly manager: Manager;
}

export async function createControlPlane(config: Config): Promise<ControlPlane> {
  const manager = new Manager();
  return { config, manager };
}
