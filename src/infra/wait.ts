import { GovernorError } from '../errors/index.js';
import type { InstanceInfo, InstanceRunner } from './infra-backend.js';

/**
 * Resolves with the instance once `predicate` holds, driven by `watch` events (no polling).
 * Rejects `unavailable` after `timeoutMs`.
 */
export function waitForInstance(
  runner: InstanceRunner,
  instanceId: string,
  predicate: (i: InstanceInfo) => boolean,
  timeoutMs = 10_000,
): Promise<InstanceInfo> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      fn();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new GovernorError('unavailable', `instance '${instanceId}' did not reach the expected state`),
          ),
        ),
      timeoutMs,
    );
    const unsubscribe = runner.watch((e) => {
      if (e.instance.instanceId === instanceId && predicate(e.instance)) finish(() => resolve(e.instance));
    });
    // The state may already hold: check after subscribing so no event falls in between.
    void runner.get(instanceId).then((i) => {
      if (i && predicate(i)) finish(() => resolve(i));
    });
  });
}

/**
 * Probes until the instance answers healthy (readiness, as Kubernetes does it), failing fast if
 * the instance stops or fails meanwhile, and with `unavailable` after `timeoutMs`.
 */
export async function waitUntilHealthy(
  runner: InstanceRunner,
  instanceId: string,
  options: { path?: string; timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let interval = options.intervalMs ?? 25;
  for (;;) {
    const info = await runner.get(instanceId);
    if (!info || info.status === 'failed' || info.status === 'stopped') {
      throw new GovernorError(
        'instance_start_failed',
        `instance '${instanceId}' ended before it was healthy`,
        {
          reason: info?.reason ?? 'gone',
          instanceId,
        },
      );
    }
    const probe = await runner.probe(instanceId, options.path ? { path: options.path } : {});
    if (probe.healthy) return;
    if (Date.now() >= deadline) {
      throw new GovernorError('unavailable', `instance '${instanceId}' is not healthy`, {
        instanceId,
        probe,
      });
    }
    await new Promise((r) => setTimeout(r, interval));
    interval = Math.min(interval * 2, 500);
  }
}
