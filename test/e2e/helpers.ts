import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const governorBin = path.join(repoRoot, 'bin/governor.js');

export interface GovernorProcess {
  url: string;
  child: ChildProcess;
  dataDir: string;
  /** Sends a signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Servers still running. A test that times out never reaches its `stop()`; when the test worker
 * exits, whatever is left is asked to shut down (SIGTERM: it then stops its own instances and
 * workers), so a failed run leaves no orphans behind.
 */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

/** Starts a real `governor up` on a free port with its own data dir; resolves once it prints its URL. */
export async function startGovernor(
  env: Record<string, string> = {},
  args: string[] = [],
  command = 'up',
): Promise<GovernorProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-e2e-'));
  const child = spawn(
    process.execPath,
    ['--no-node-snapshot', governorBin, command, '--port', '0', '--data-dir', dataDir, ...args],
    {
      env: { ...process.env, GOVERNOR_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`governor exited (${code}) before listening: ${stderr}`)));
  });
  return {
    url,
    child,
    dataDir,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the CLI to completion from the repository root and returns its exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--no-node-snapshot', governorBin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
