import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GovernorError } from '../../errors/index.js';

let resolved: string | undefined;

/**
 * The absolute path of python3, resolved once: through a pyenv shim an interpreter starts in
 * 70-100 ms, by absolute path in 12-23 ms. `GOVERNOR_PYTHON` overrides the lookup.
 */
export function pythonExecutable(): string {
  if (resolved) return resolved;
  const candidate = process.env.GOVERNOR_PYTHON || 'python3';
  try {
    resolved = execFileSync(candidate, ['-c', 'import sys; print(sys.executable)'], {
      encoding: 'utf8',
      timeout: 10_000,
    }).trim();
  } catch (err) {
    throw new GovernorError('unavailable', `cannot run ${candidate}: ${(err as Error).message}`, {
      python: candidate,
    });
  }
  return resolved;
}

export const WORKER_SCRIPT = fileURLToPath(new URL('./worker.py', import.meta.url));
