import os from 'node:os';
import path from 'node:path';
import { GovernorError } from '../errors/index.js';
import {
  type PolicyPackage,
  type RegisteredRule,
  readPackage,
  readRegisteredPackage,
  writePackageFiles,
} from './package.js';
import type { PolicySource } from './sdk.js';

export interface HttpRegistryOptions {
  /** A running Governor, e.g. `http://127.0.0.1:8080`. */
  url: string;
  token?: string;
  /** Where downloaded versions are unpacked, one directory per digest. */
  cacheDir?: string;
}

/**
 * A PolicySource over a Governor's registry API, for `loadPolicy(uri, { registry })` in an
 * application that runs policies itself (Type 1): the package is downloaded once per digest,
 * and the PolicyRule's current settings and parameters become the defaults.
 */
export function httpRegistry(options: HttpRegistryOptions): PolicySource {
  const base = options.url.replace(/\/$/, '');
  const cacheDir = options.cacheDir ?? path.join(os.tmpdir(), 'governor-policy-cache');
  const get = async <T>(p: string): Promise<T> => {
    const res = await fetch(base + p, {
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    });
    const body = (await res.json().catch(() => undefined)) as { error?: Record<string, unknown> } | undefined;
    if (!res.ok)
      throw GovernorError.fromData(body?.error ?? { code: 'upstream_failed', message: `HTTP ${res.status}` });
    return body as T;
  };
  return {
    async fetch(uri: string): Promise<PolicyPackage> {
      const rule = await get<RegisteredRule>(`/policy/${encodeURIComponent(uri)}`);
      const dir = path.join(cacheDir, rule.digest);
      const cached = await readPackage(dir).catch(() => undefined);
      if (!cached) {
        const pkg = await get<{ files: Record<string, string> }>(
          `/policy/${encodeURIComponent(uri)}/package`,
        );
        await writePackageFiles(dir, pkg.files, { atomic: true });
      }
      return readRegisteredPackage(dir, rule);
    },
  };
}
