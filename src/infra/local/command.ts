import path from 'node:path';
import { GovernorError } from '../../errors/index.js';
import type { WorkloadSpec } from '../infra-backend.js';

export const LOCAL_IMAGE_PREFIX = 'local:';
const SCRIPT = /\.(c|m)?js$/;

/**
 * How the local backend turns a workload into argv (docs/infra.md):
 * - an explicit `command` array wins;
 * - otherwise the image must be `local:<command line>`, split on whitespace (no shell);
 * - a first word ending in `.js`/`.mjs`/`.cjs` runs with this process's `node`;
 * - words starting with `./` or `../` resolve against `baseDir`.
 * Any other image (a registry image) cannot run locally: `instance_start_failed`.
 */
export function localArgv(workload: WorkloadSpec, baseDir: string): string[] {
  let argv = workload.command;
  if (!argv) {
    if (!workload.image.startsWith(LOCAL_IMAGE_PREFIX)) {
      throw new GovernorError(
        'instance_start_failed',
        `the local backend runs 'local:<command>' images or an explicit command, not '${workload.image}'`,
        { reason: 'image_not_local', image: workload.image },
      );
    }
    argv = workload.image.slice(LOCAL_IMAGE_PREFIX.length).trim().split(/\s+/).filter(Boolean);
  }
  const resolved = argv.map((a) =>
    a.startsWith('./') || a.startsWith('../') ? path.resolve(baseDir, a) : a,
  );
  if (resolved.length === 0) {
    throw new GovernorError('instance_start_failed', 'the workload has an empty command', {
      reason: 'empty_command',
    });
  }
  return SCRIPT.test(resolved[0]!) ? [process.execPath, ...resolved] : resolved;
}
