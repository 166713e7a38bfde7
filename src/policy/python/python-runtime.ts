import { randomUUID } from 'node:crypto';
import type { PolicyPackage } from '../package.js';
import type {
  EvalCall,
  InstanceSpec,
  LoadedPolicy,
  PolicyInstance,
  PolicyLimits,
  PolicyRuntime,
} from '../policy-runtime.js';
import { InstanceMissingError, PythonWorker, type WorkerRequest } from './worker-process.js';

export interface PythonRuntimeOptions extends PolicyLimits {
  workers: number;
}

/**
 * A pool of persistent python3 workers. A stateful instance is pinned to one worker; a stateless
 * call goes to the least busy one. Workers are started lazily, on the first load.
 */
export class PythonRuntime implements PolicyRuntime {
  readonly name = 'python';
  private workers: PythonWorker[] = [];
  private closed = false;

  constructor(private readonly options: PythonRuntimeOptions) {}

  /** The pids of the live worker processes (for operations and tests). */
  get pids(): number[] {
    return this.workers.map((w) => w.pid).filter((p): p is number => p !== undefined);
  }

  async load(pkg: PolicyPackage): Promise<LoadedPolicy> {
    if (this.workers.length === 0) {
      if (this.closed) throw new Error('python runtime is closed');
      this.workers = Array.from(
        { length: this.options.workers },
        () => new PythonWorker(this.options.memoryMb),
      );
    }
    const code = { key: pkg.digest, dir: pkg.dir, entry: pkg.manifest.entry };
    return {
      pkg,
      createInstance: async (spec) => {
        const instance = new PythonInstance(this, pkg.uri, code, spec);
        // Construct now so a policy that cannot load fails at load, not at its first eval.
        await instance.ensureCreated();
        return instance;
      },
      dispose: async () => {},
    };
  }

  leastBusy(): PythonWorker {
    let best = this.workers[0]!;
    for (const w of this.workers) if (w.pending < best.pending) best = w;
    return best;
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.close()));
  }
}

interface CodeRef {
  key: string;
  dir: string;
  entry: string;
}

class PythonInstance implements PolicyInstance {
  private readonly iid = randomUUID();
  private readonly worker: PythonWorker | undefined;
  /** The worker generation this instance was created in; stale means re-create before use. */
  private createdIn = -1;
  private readonly ctor: WorkerRequest;

  constructor(
    private readonly runtime: PythonRuntime,
    private readonly uri: string,
    code: CodeRef,
    private readonly spec: InstanceSpec,
  ) {
    this.ctor = {
      op: 'create',
      ...code,
      rule_id: spec.ruleId,
      settings: spec.settings,
      parameters: spec.parameters,
    };
    if (spec.stateful) this.worker = runtime.leastBusy();
  }

  async ensureCreated(): Promise<void> {
    const w = this.worker ?? this.runtime.leastBusy();
    if (this.spec.stateful && this.createdIn === w.generation) return;
    const generation = w.generation;
    await w.call({ ...this.ctor, iid: this.iid }, this.uri, this.runtime.timeoutMs);
    if (this.spec.stateful) this.createdIn = generation;
    else await w.call({ op: 'drop', iid: this.iid }, this.uri, this.runtime.timeoutMs);
  }

  eval(call: EvalCall): Promise<unknown> {
    const req = { input: call.input, eval_parameters: call.parameters, context: call.context ?? null };
    if (!this.spec.stateful)
      return this.runtime
        .leastBusy()
        .call({ ...this.ctor, ...req, op: 'run' }, this.uri, this.runtime.timeoutMs);
    return this.onWorker({ op: 'eval', iid: this.iid, ...req });
  }

  management(action: string, data: unknown): Promise<unknown> {
    if (!this.spec.stateful) {
      return this.runtime
        .leastBusy()
        .call({ ...this.ctor, op: 'mgmt', action, data }, this.uri, this.runtime.timeoutMs);
    }
    return this.onWorker({ op: 'mgmt', iid: this.iid, action, data });
  }

  async dispose(): Promise<void> {
    if (this.worker && this.createdIn === this.worker.generation) {
      await this.worker.call({ op: 'drop', iid: this.iid }, this.uri, this.runtime.timeoutMs).catch(() => {});
    }
  }

  /** Sends to the pinned worker, re-creating the instance there first if that worker was replaced. */
  private onWorker(req: WorkerRequest): Promise<unknown> {
    const w = this.worker!;
    // The warm path: one message, no extra awaits.
    if (this.createdIn === w.generation) {
      return w.call(req, this.uri, this.runtime.timeoutMs).catch((err: unknown) => this.retry(err, req));
    }
    return this.ensureCreated().then(() => w.call(req, this.uri, this.runtime.timeoutMs));
  }

  /** The worker was replaced between our check and the call: re-create once and retry. */
  private async retry(err: unknown, req: WorkerRequest): Promise<unknown> {
    if (!(err instanceof InstanceMissingError)) throw err;
    this.createdIn = -1;
    await this.ensureCreated();
    return this.worker!.call(req, this.uri, this.runtime.timeoutMs);
  }
}
