import { randomUUID } from 'node:crypto';
import ivm from 'isolated-vm';
import type { GovernorError } from '../../errors/index.js';
import { noManagement, policyError } from '../errors.js';
import type { PolicyPackage } from '../package.js';
import type {
  EvalCall,
  InstanceSpec,
  JsonObject,
  LoadedPolicy,
  PolicyInstance,
  PolicyLimits,
  PolicyRuntime,
} from '../policy-runtime.js';
import { bundlePolicy } from './bundle.js';
import { HARNESS } from './harness.js';

type Fn = 'create' | 'evalOn' | 'evalFresh' | 'evalFreshBatch' | 'management' | 'drop' | 'take' | 'takeBatch';

/**
 * How long a stateless evaluation may hold the calling thread. One that needs longer (a loop, heavy
 * work) is stopped and run again, on a fresh instance, off the event loop with the rest of its
 * deadline, so a hanging policy stalls the server for this long, not for the whole deadline.
 */
const SYNC_BUDGET_MS = 25;
/** Separators of a batch (see the harness): JSON text never holds a raw control character. */
const ARG = '\u0001';
const CALL = '\u0002';
const FNS: Fn[] = [
  'create',
  'evalOn',
  'evalFresh',
  'evalFreshBatch',
  'management',
  'drop',
  'take',
  'takeBatch',
];

/**
 * Untrusted JS/TS policies, each package in its own V8 isolate (isolated-vm) with a heap cap and a
 * per-call timeout. The sandbox has no `process`, `require`, timers or file system. One compiled
 * context serves all instances of a package; a disposed isolate (memory cap) is rebuilt on next use.
 */
export class IsolateRuntime implements PolicyRuntime {
  readonly name = 'js';
  private readonly loaded = new Set<IsolatePolicy>();

  constructor(private readonly limits: PolicyLimits) {}

  async load(pkg: PolicyPackage): Promise<LoadedPolicy> {
    const code = `${await bundlePolicy(pkg, 'iife')}\n${HARNESS}`;
    const policy = new IsolatePolicy(pkg, code, this.limits, () => this.loaded.delete(policy));
    policy.boot();
    this.loaded.add(policy);
    return policy;
  }

  async close(): Promise<void> {
    for (const p of [...this.loaded]) await p.dispose();
  }
}

class IsolatePolicy implements LoadedPolicy {
  generation = 0;
  private isolate!: ivm.Isolate;
  private fns!: Record<Fn, ivm.Reference<(...args: string[]) => string>>;
  /** Stateless evaluations asked for in this turn of the event loop: they run as one batch. */
  private queued: Array<{ args: string[]; resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
  /** Stateless evaluations running or queued off the event loop, and the last of them. */
  private offLoop = 0;
  private offLoopTail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly pkg: PolicyPackage,
    private readonly code: string,
    private readonly limits: PolicyLimits,
    private readonly onDispose: () => void,
  ) {}

  /** Builds the isolate and compiles the bundle plus the harness into its one context. */
  boot(): void {
    this.isolate = new ivm.Isolate({ memoryLimit: this.limits.memoryMb });
    try {
      const context = this.isolate.createContextSync();
      this.isolate
        .compileScriptSync(this.code, { filename: `policy:${this.pkg.uri}` })
        .runSync(context, { timeout: this.limits.timeoutMs });
      const gov = context.global.getSync('__gov', { reference: true }) as ivm.Reference<
        Record<string, unknown>
      >;
      this.fns = Object.fromEntries(
        FNS.map((f) => [f, gov.getSync(f, { reference: true })]),
      ) as unknown as typeof this.fns;
    } catch (err) {
      this.isolate.dispose();
      throw policyError('policy_load_failed', this.pkg.uri, (err as Error).message, {
        traceback: (err as Error).stack,
      });
    }
    this.generation++;
  }

  /** Rebuilds the isolate if the memory cap disposed it; instances then re-create themselves. */
  ready(): void {
    if (this.isolate.isDisposed) this.boot();
  }

  /** Calls a harness function under the deadline; rebuilds the isolate if the call killed it. */
  call(fn: Fn, args: string[], loadPhase = false): unknown {
    this.ready();
    let out: string;
    try {
      out = this.applySync(fn, args, this.limits.timeoutMs);
    } catch (err) {
      throw this.hostError(err as Error);
    }
    return this.decode(out, loadPhase);
  }

  /** One harness call, and its settled value when it answered with a pending promise. */
  private applySync(fn: Fn, args: string[], timeout: number): string {
    const out = this.fns[fn].applySync(undefined, args, { timeout });
    return out === 'P' ? this.fns.take.applySync(undefined, [], { timeout }) : out;
  }

  /**
   * A stateless evaluation. The ones asked for in the same turn of the event loop (a busy server
   * reads several requests per turn) cross into the isolate together, under one deadline timer:
   * isolated-vm's timers cost more than a small evaluation. A batch that fails as a whole (it
   * overran the budget, or the isolate died) hands each call to `evalOne`, so every call still
   * meets its own fate under its own deadline.
   */
  evalFresh(args: string[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.queued.push({ args, resolve, reject }) === 1) setImmediate(() => this.runQueued());
    });
  }

  private runQueued(): void {
    const calls = this.queued.splice(0);
    const batchable =
      calls.length > 1 &&
      this.offLoop === 0 &&
      this.limits.timeoutMs > SYNC_BUDGET_MS &&
      calls.every((c) => !c.args[0]!.includes(ARG) && !c.args[0]!.includes(CALL));
    let tags: string[] | undefined;
    if (batchable) {
      // Inside the try: this runs from setImmediate, where a throw (a rebuild that fails) would
      // take the process down; each call's own path reports it instead.
      try {
        this.ready();
        const joined = calls.map((c) => c.args.join(ARG)).join(CALL);
        let out = this.fns.evalFreshBatch.applySync(undefined, [joined], { timeout: SYNC_BUDGET_MS });
        if (out.split(CALL).includes('P'))
          out = this.fns.takeBatch.applySync(undefined, [], { timeout: SYNC_BUDGET_MS });
        tags = out.split(CALL);
      } catch {
        tags = undefined;
      }
    }
    calls.forEach((c, i) => {
      if (!tags) {
        this.evalOne(c.args).then(c.resolve, c.reject);
        return;
      }
      try {
        c.resolve(this.decode(tags[i]!, false));
      } catch (err) {
        c.reject(err);
      }
    });
  }

  /**
   * One stateless evaluation: on the calling thread within `SYNC_BUDGET_MS`, else off it (see
   * there). While any call runs off the loop the isolate is busy, so later ones queue behind it
   * off the loop too rather than block the thread waiting for the isolate.
   */
  private async evalOne(args: string[]): Promise<unknown> {
    this.ready();
    if (this.offLoop === 0 && this.limits.timeoutMs > SYNC_BUDGET_MS) {
      let out: string | undefined;
      try {
        out = this.applySync('evalFresh', args, SYNC_BUDGET_MS);
      } catch (err) {
        if (this.isolate.isDisposed || !/timed out/i.test((err as Error).message))
          throw this.hostError(err as Error);
      }
      if (out !== undefined) return this.decode(out, false);
      return this.evalOffLoop(args, this.limits.timeoutMs - SYNC_BUDGET_MS);
    }
    return this.evalOffLoop(args);
  }

  private evalOffLoop(args: string[], timeoutMs = this.limits.timeoutMs): Promise<unknown> {
    this.offLoop++;
    const run = this.offLoopTail.then(async () => {
      this.ready();
      let out: string;
      try {
        out = await this.fns.evalFresh.apply(undefined, args, { timeout: timeoutMs });
        if (out === 'P') out = await this.fns.take.apply(undefined, [], { timeout: timeoutMs });
      } catch (err) {
        throw this.hostError(err as Error);
      }
      return this.decode(out, false);
    });
    this.offLoopTail = run.catch(() => {});
    return run.finally(() => this.offLoop--);
  }

  private decode(out: string, loadPhase: boolean): unknown {
    switch (out[0]) {
      case 'R':
        return JSON.parse(out.slice(1));
      case undefined:
        return undefined;
      case 'I':
        throw policyError(
          'policy_invalid_result',
          this.pkg.uri,
          `result is not JSON-serialisable: ${out.slice(1)}`,
        );
      case 'P':
        throw policyError('policy_timeout', this.pkg.uri, 'eval returned a promise that never settles', {
          deadlineMs: this.limits.timeoutMs,
        });
      default: {
        const e = JSON.parse(out.slice(1)) as { name: string; message: string; stack?: string };
        if (e.name === 'NoManagement') throw noManagement(this.pkg.uri);
        const code = loadPhase ? 'policy_load_failed' : 'policy_crashed';
        throw policyError(code, this.pkg.uri, `${e.name}: ${e.message}`, { traceback: e.stack });
      }
    }
  }

  private hostError(err: Error): GovernorError {
    if (this.isolate.isDisposed || /memory limit/i.test(err.message)) {
      return policyError(
        'policy_memory_exceeded',
        this.pkg.uri,
        `exceeded the ${this.limits.memoryMb} MB heap cap`,
        {
          memoryMb: this.limits.memoryMb,
        },
      );
    }
    if (/timed out/i.test(err.message)) {
      return policyError(
        'policy_timeout',
        this.pkg.uri,
        `exceeded its deadline of ${this.limits.timeoutMs} ms`,
        {
          deadlineMs: this.limits.timeoutMs,
        },
      );
    }
    return policyError('policy_crashed', this.pkg.uri, err.message, { traceback: err.stack });
  }

  async createInstance(spec: InstanceSpec): Promise<PolicyInstance> {
    const instance = new IsolateInstance(this, spec);
    instance.ensureCreated();
    return instance;
  }

  async dispose(): Promise<void> {
    if (!this.isolate.isDisposed) this.isolate.dispose();
    this.onDispose();
  }
}

class IsolateInstance implements PolicyInstance {
  private readonly id = randomUUID();
  private createdIn = -1;
  private readonly ctorArgs: [string, string, string];
  private lastParameters: JsonObject | undefined;
  private lastParametersJson = '';

  constructor(
    private readonly policy: IsolatePolicy,
    private readonly spec: InstanceSpec,
  ) {
    this.ctorArgs = [spec.ruleId, JSON.stringify(spec.settings), JSON.stringify(spec.parameters)];
  }

  /** Constructs the instance in the current isolate (again after a rebuild; its state is then fresh). */
  ensureCreated(): void {
    this.policy.ready();
    if (this.createdIn === this.policy.generation) return;
    this.policy.call('create', [this.id, ...this.ctorArgs], true);
    this.createdIn = this.policy.generation;
    if (!this.spec.stateful) this.policy.call('drop', [this.id]);
  }

  async eval(call: EvalCall): Promise<unknown> {
    const params = this.encodeParameters(call.parameters);
    const input = call.input === undefined ? '' : (call.inputJson ?? JSON.stringify(call.input));
    const context = call.context === undefined ? '' : JSON.stringify(call.context);
    if (!this.spec.stateful) return this.policy.evalFresh([...this.ctorArgs, params, input, context]);
    this.ensureCreated();
    return this.policy.call('evalOn', [this.id, params, input, context]);
  }

  /**
   * Callers pass the same parameters object call after call (the executor: the PolicyRule's, the
   * SDK: its own merged copy; neither is mutated), so its encoding is kept for the next call.
   */
  private encodeParameters(parameters: JsonObject): string {
    if (parameters !== this.lastParameters) {
      this.lastParameters = parameters;
      this.lastParametersJson = JSON.stringify(parameters);
    }
    return this.lastParametersJson;
  }

  async management(action: string, data: unknown): Promise<unknown> {
    if (this.spec.stateful) this.ensureCreated();
    const id = this.spec.stateful ? this.id : '';
    return this.policy.call('management', [id, ...this.ctorArgs, action, JSON.stringify(data ?? null)]);
  }

  async dispose(): Promise<void> {
    if (this.spec.stateful && this.createdIn === this.policy.generation) this.policy.call('drop', [this.id]);
  }
}
