import type { JobResult } from '../infra-backend.js';
import { type GroupProcess, stopGroup } from './process-group.js';

const MAX_OUTPUT = 64 * 1024;

/** Collects a job's output (last 64 KiB) and waits for it to end, killing it at `timeoutMs`. */
export async function collectJob(
  jobId: string,
  proc: GroupProcess,
  timeoutMs: number,
  graceMs: number,
): Promise<JobResult> {
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT);
  };
  proc.child.stdout?.on('data', append);
  proc.child.stderr?.on('data', append);
  const closed = new Promise<void>((resolve) => proc.child.once('close', () => resolve()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopGroup(proc, graceMs);
  }, timeoutMs);
  const exit = await proc.exited;
  clearTimeout(timer);
  await closed;
  return { jobId, exitCode: exit.code, output, timedOut };
}
