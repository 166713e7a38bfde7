import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { GovernorError } from '../../errors/index.js';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process leading its own process group, so stopping it reaches everything it started. */
export interface GroupProcess {
  child: ChildProcess;
  pid: number;
  exited: Promise<Exit>;
}

// Every live group, killed synchronously if this process exits without closing its backends.
const live = new Set<number>();
process.once('exit', () => {
  for (const pgid of live) killGroup(pgid, 'SIGKILL');
});

export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Spawns `argv` as a group leader; resolves once it runs, rejects `instance_start_failed` if it cannot. */
export function spawnGroup(argv: string[], options: SpawnOptions): Promise<GroupProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { ...options, detached: true });
    const exited = new Promise<Exit>((done) => {
      child.once('exit', (code, signal) => {
        if (child.pid !== undefined) {
          // Reap what the leader left behind: a crashed instance must not leave orphans.
          killGroup(child.pid, 'SIGKILL');
          live.delete(child.pid);
        }
        done({ code, signal });
      });
    });
    child.once('error', (err) => {
      reject(
        new GovernorError('instance_start_failed', `cannot start '${argv[0]}': ${err.message}`, {
          reason: 'spawn_failed',
          command: argv,
        }),
      );
    });
    child.once('spawn', () => {
      live.add(child.pid!);
      resolve({ child, pid: child.pid!, exited });
    });
  });
}

/** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the leader has exited. */
export async function stopGroup(proc: GroupProcess, graceMs: number): Promise<Exit> {
  killGroup(proc.pid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(proc.pid, 'SIGKILL'), graceMs);
  const exit = await proc.exited;
  clearTimeout(timer);
  return exit;
}
