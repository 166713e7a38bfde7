import type { InfraBackend } from './infra-backend.js';

type Method = 'listNodes' | 'start' | 'stop' | 'get' | 'list' | 'logs' | 'probe' | 'runJob';

/** A hook runs before the real call with the same arguments; throwing (or rejecting) fails the call. */
export type Interceptors = {
  [M in Method]?: (...args: Parameters<InfraBackend[M]>) => unknown;
};

/**
 * The one fault-injection wrapper for the seam, e.g.
 * `intercept(backend, { start: () => { throw new GovernorError('instance_start_failed') } })`.
 * Everything not intercepted goes straight to `backend`.
 */
export function intercept(backend: InfraBackend, hooks: Interceptors): InfraBackend {
  return new Proxy(backend, {
    get(target, prop, receiver) {
      const real = Reflect.get(target, prop, receiver);
      if (typeof real !== 'function') return real;
      const hook = (hooks as Record<PropertyKey, ((...args: unknown[]) => unknown) | undefined>)[prop];
      if (!hook) return real.bind(target);
      return async (...args: unknown[]) => {
        await hook(...args);
        return real.apply(target, args);
      };
    },
  });
}
