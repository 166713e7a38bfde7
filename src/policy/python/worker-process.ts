import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { GovernorError } from '../../errors/index.js';
import { pythonExecutable, WORKER_SCRIPT } from './interpreter.js';

export interface WorkerRequest {
  op: 'create' | 'eval' | 'run' | 'mgmt' | 'drop';
  [field: string]: unknown;
}

interface Job {
  id: number;
  line: string;
  policy: string;
  timeoutMs: number;
  resolve: (result: unknown) => void;
  reject: (err: GovernorError) => void;
  timer?: NodeJS.Timeout;
}

const STDERR_TAIL = 4096;

/**
 * One persistent python3 process running worker.py, one request at a time (queued here, so a
 * hung call never delays a call already sent). It replaces its own process when a call overruns its
 * deadline, dies, or runs out of memory; `generation` counts replacements so the pool knows which
 * stateful instances must be re-created.
 */
export class PythonWorker {
  generation = 0;
  private child!: ChildProcessWithoutNullStreams;
  private readonly queue: Job[] = [];
  private current: Job | undefined;
  private nextId = 1;
  private buffered = '';
  private stderrTail = '';
  private closing = false;
  private ready = false;
  /** The last process died before it was ready: start another only when a call needs one. */
  private idle = false;
  private exited!: Promise<void>;

  constructor(
    private readonly memoryMb: number,
    private readonly script = WORKER_SCRIPT,
  ) {
    this.spawn();
  }

  get pending(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  call(req: WorkerRequest, policy: string, timeoutMs: number): Promise<unknown> {
    if (this.closing) return Promise.reject(new GovernorError('unavailable', 'the python pool is closed'));
    if (this.idle) {
      this.idle = false;
      this.spawn();
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.queue.push({
        id,
        line: `${JSON.stringify(Object.assign(req, { id }))}\n`,
        policy,
        timeoutMs,
        resolve,
        reject,
      });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const job of this.queue.splice(0))
      job.reject(new GovernorError('unavailable', 'the python pool is closed'));
    this.child.stdin.end();
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 1000);
    await this.exited;
    clearTimeout(killer);
  }

  private spawn(): void {
    const child = spawn(pythonExecutable(), [this.script], {
      env: { ...process.env, GOVERNOR_PY_MEMORY_MB: String(this.memoryMb), PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    this.buffered = '';
    this.stderrTail = '';
    this.ready = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.onData(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    // A write to a dead worker fails with EPIPE; the exit handler reports the call.
    child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (this.child === child) this.onExit(code, signal);
        resolve();
      });
      child.once('error', () => {
        if (this.child === child) this.onExit(null, null);
        resolve();
      });
    });
  }

  private pump(): void {
    if (this.current || this.closing || !this.ready) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    job.timer = setTimeout(() => this.onTimeout(job), job.timeoutMs);
    this.child.stdin.write(job.line);
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let nl = this.buffered.indexOf('\n');
    while (nl !== -1) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      this.onLine(line);
      nl = this.buffered.indexOf('\n');
    }
  }

  private onLine(line: string): void {
    const job = this.current;
    const msg = JSON.parse(line) as {
      id: number;
      ok: boolean;
      result?: unknown;
      error?: WireError;
      ready?: true;
    };
    if (msg.ready) {
      this.ready = true;
      this.pump();
      return;
    }
    if (!job || msg.id !== job.id) return;
    clearTimeout(job.timer);
    this.current = undefined;
    if (msg.ok) job.resolve(msg.result);
    else {
      job.reject(rehydrate(msg.error!, job.policy));
      // After MemoryError the heap may be fragmented or half-built: start clean.
      if (msg.error!.code === 'policy_memory_exceeded') this.replace();
    }
    this.pump();
  }

  private onTimeout(job: Job): void {
    if (this.current !== job) return;
    this.current = undefined;
    job.reject(
      new GovernorError('policy_timeout', `${job.policy}: exceeded its deadline of ${job.timeoutMs} ms`, {
        policy: job.policy,
        deadlineMs: job.timeoutMs,
      }),
    );
    this.replace();
  }

  /** Kills the process (its exit is ignored) and starts a fresh one for the queued calls. */
  private replace(): void {
    const old = this.child;
    old.kill('SIGKILL');
    this.generation++;
    this.spawn();
    this.pump();
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.ready && !this.closing) {
      // A worker that cannot start (no worker.py, a broken python) would fail the same way again
      // at once: fail what waits for it, and try again on the next call rather than in a loop.
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      for (const waiting of this.queue.splice(0)) {
        waiting.reject(
          new GovernorError('unavailable', `the python worker ${how} before it was ready`, {
            policy: waiting.policy,
            exitCode: code,
            signal,
            stderr: this.stderrTail,
          }),
        );
      }
      this.generation++;
      this.idle = true;
      return;
    }
    const job = this.current;
    this.current = undefined;
    if (job) {
      clearTimeout(job.timer);
      const byMemory = /MemoryError/.test(this.stderrTail) || signal === 'SIGSEGV' || signal === 'SIGABRT';
      const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
      job.reject(
        new GovernorError(
          byMemory ? 'policy_memory_exceeded' : 'policy_crashed',
          `${job.policy}: the policy's worker ${how}`,
          { policy: job.policy, exitCode: code, signal, stderr: this.stderrTail },
        ),
      );
    }
    if (this.closing) return;
    this.generation++;
    this.spawn();
    this.pump();
  }
}

interface WireError {
  code: string;
  message: string;
  traceback?: string | null;
}

function rehydrate(e: WireError, policy: string): GovernorError {
  const details: Record<string, unknown> = { policy };
  if (e.traceback) details.traceback = e.traceback;
  const message = `${policy}: ${e.message}`;
  if (e.code === 'instance_missing') return new InstanceMissingError(message, details);
  return GovernorError.fromData({ code: e.code, message, details });
}

/** The worker was replaced since the instance was created on it: the pool re-creates it and retries. */
export class InstanceMissingError extends GovernorError {
  constructor(message: string, details: Record<string, unknown>) {
    super('internal', message, details);
  }
}
