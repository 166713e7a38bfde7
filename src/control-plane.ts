import type { Config } from './config.js';
import { Manager, runnable } from './lifecycle/index.js';
import { PolicyRuntimes } from './policy/index.js';

/**
 * The composition root: every long-lived component of one Governor process, wired once.
 * HTTP routes and the CLI reach the domain only through this object.
 */
export interface ControlPlane {
  readonly config: Config;
  readonly manager: Manager;
  /** Python worker pool, JS sandbox and trusted loader, under the configured limits. */
  readonly policyRuntimes: PolicyRuntimes;
}

export async function createControlPlane(config: Config): Promise<ControlPlane> {
  const manager = new Manager();
  const { policyTimeoutMs, pythonMemoryMb, jsMemoryMb, pythonWorkers } = config.limits;
  const policyRuntimes = new PolicyRuntimes({
    timeoutMs: policyTimeoutMs,
    pythonMemoryMb,
    jsMemoryMb,
    pythonWorkers,
  });
  // Added first so it stops last: in-flight requests can still evaluate policies while draining.
  // Workers start lazily, on the first load.
  manager.add(
    runnable(
      'policy-runtimes',
      async () => {},
      () => policyRuntimes.close(),
    ),
  );
  return { config, manager, policyRuntimes };
}
