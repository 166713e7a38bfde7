import { randomBytes } from 'node:crypto';
import { type ErrorData, GovernorError, isGovernorError } from '../../errors/index.js';
import { initWorkloadFromBlock, type JobResult } from '../../infra/index.js';
import { type ActionPorts, INIT_CONTAINERS, type Json } from './ports.js';

export type OperatingMode = 'create' | 'delete';

/** How one init-container run ended, as action answers report it. */
export type InitRun =
  | { operating_mode: OperatingMode; ok: true; exit_code: number; status?: string }
  | { operating_mode: OperatingMode; ok: false; error: ErrorData };

/** Enough of the job's output to see why it failed, without flooding an error answer. */
const LOG_TAIL_CHARS = 4096;

/**
 * The job's environment. `operating_mode` is also given lowercase because the original's init
 * containers read their env names lowercase. `GOVERNOR_TOKEN` is a token scoped to this job
 * (`JobGrants`), never the controller's own.
 */
function jobEnv(ports: ActionPorts, block: Json, mode: OperatingMode, token: string | undefined) {
  const cluster = (block.cluster ?? {}) as Json;
  return {
    BLOCK_ID: String(block.id),
    CLUSTER_ID: String(cluster.id ?? ''),
    OPERATING_MODE: mode,
    operating_mode: mode,
    GOVERNOR_URL: ports.controllerUrl?.() ?? '',
    ...(token ? { GOVERNOR_TOKEN: token } : {}),
  };
}

/**
 * Runs the block's init container (spec §6) with `operating_mode` to completion and resolves with
 * its run, or undefined when the block has none. A non-zero exit, the deadline, or a `failed` stage
 * report (the original's executor exits 0 even then) is `init_failed`. The block's stage record is
 * cleared first, so what the job reports is about this run only.
 */
export async function runInitContainer(
  ports: ActionPorts,
  block: Json,
  mode: OperatingMode,
): Promise<InitRun | undefined> {
  const workload = initWorkloadFromBlock(block);
  if (!workload) return undefined;
  const blockId = String(block.id);
  await ports.store.delete(INIT_CONTAINERS, { id: blockId });
  const token = ports.grants?.issue(blockId);
  let result: JobResult;
  try {
    result = await ports.infra.runJob({
      jobId: `init-${blockId}-${mode}-${randomBytes(3).toString('hex')}`,
      workload,
      env: jobEnv(ports, block, mode, token),
      ...(ports.initJobTimeoutMs ? { timeoutMs: ports.initJobTimeoutMs } : {}),
    });
  } finally {
    if (token) ports.grants?.revoke(token);
  }
  const record = await ports.store.get(INIT_CONTAINERS, blockId);
  const status = typeof record?.status === 'string' ? record.status : undefined;
  if (result.exitCode === 0 && !result.timedOut && status !== 'failed') {
    return { operating_mode: mode, ok: true, exit_code: 0, ...(status ? { status } : {}) };
  }
  const why = result.timedOut
    ? 'ran past its deadline'
    : result.exitCode === null
      ? 'was killed by a signal'
      : result.exitCode !== 0
        ? `exited with code ${result.exitCode}`
        : 'reported status failed';
  throw new GovernorError('init_failed', `the init container of block '${blockId}' (${mode}) ${why}`, {
    block_id: blockId,
    operating_mode: mode,
    exit_code: result.exitCode,
    timed_out: result.timedOut,
    status: status ?? null,
    status_data: record?.status_data ?? null,
    log_tail: result.output.slice(-LOG_TAIL_CHARS),
  });
}

/** Like `runInitContainer`, but a failure is reported in the run instead of thrown. */
export async function tryInitContainer(
  ports: ActionPorts,
  block: Json,
  mode: OperatingMode,
): Promise<InitRun | undefined> {
  try {
    return await runInitContainer(ports, block, mode);
  } catch (err) {
    // Anything but a GovernorError is a bug: its text belongs in the log, not in the answer.
    if (!isGovernorError(err))
      process.emitWarning(`init container of block '${String(block.id)}': ${String(err)}`);
    const error = (isGovernorError(err) ? err : new GovernorError('internal')).toJSON();
    return { operating_mode: mode, ok: false, error };
  }
}
