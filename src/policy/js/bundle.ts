import path from 'node:path';
import { build } from 'esbuild';
import { policyError } from '../errors.js';
import type { PolicyPackage } from '../package.js';

/**
 * Bundles a JS/TS policy's entry and what it imports into one script (TS is transpiled here too).
 * `iife` is for the sandbox: the module lands in the global `__policy`, and anything that needs
 * Node built-ins fails to bundle, so untrusted code cannot reach `fs` or `process` this way.
 * `esm` is for the trusted in-process mode, where Node built-ins stay importable.
 */
export async function bundlePolicy(pkg: PolicyPackage, format: 'iife' | 'esm'): Promise<string> {
  try {
    const out = await build({
      entryPoints: [path.join(pkg.dir, pkg.manifest.entry)],
      bundle: true,
      write: false,
      format,
      globalName: format === 'iife' ? '__policy' : undefined,
      platform: format === 'iife' ? 'neutral' : 'node',
      mainFields: ['module', 'main'],
      target: 'es2022',
      logLevel: 'silent',
      sourcemap: false,
    });
    return out.outputFiles[0]!.text;
  } catch (err) {
    const errors = (err as { errors?: Array<{ text: string; location?: { file: string; line: number } }> })
      .errors;
    const first = errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
    throw policyError(
      'policy_load_failed',
      pkg.uri,
      `cannot bundle ${pkg.manifest.entry}: ${first?.text ?? (err as Error).message}${where}`,
    );
  }
}
