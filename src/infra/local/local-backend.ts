import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { GovernorError, notFound } from '../../errors/index.js';
import type {
  Assignment,
  InfraBackend,
  InfraCapabilities,
  InstanceEvent,
  InstanceInfo,
  JobResult,
  JobSpec,
  NodeInfo,
  ProbeResult,
  WorkloadSpec,
} from '../infra-backend.js';
import { localArgv } from './command.js';
import { collectJob } from './jobs.js';
import { assignPorts } from './ports.js';
import { type GroupProcess, spawnGroup, stopGroup } from './process-group.js';

export interface LocalBackendOptions {
  /**
   * The logical nodes: a list, or a function read on every call so the inventory follows the
   * cluster entry (e.g. `async () => nodesFromCluster(await readClusterEntry())`).
   */
  nodes: NodeInfo[] | (() => Promise<NodeInfo[]>);
  /** Instance logs go to `<dataDir>/instances/<instanceId>.log`. */
  dataDir: string;
  /** Where `./` and `../` in commands resolve (default: the current directory). */
  baseDir?: string;
  /** Time between SIGTERM and SIGKILL when stopping (default 2000 ms). */
  graceMs?: number;
  /** Default job deadline (default 10 minutes). */
  jobTimeoutMs?: number;
}

interface Running {
  info: InstanceInfo;
  proc: GroupProcess;
  logFile: string;
  stopping: boolean;
}

// Minimal inherited environment: the server's own secrets (tokens, database URLs) stay out.
const INHERITED_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
const HOST = '127.0.0.1';

const safeName = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, '_');

function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of INHERITED_ENV) if (process.env[k] !== undefined) env[k] = process.env[k]!;
  return env;
}

/** Instances are child processes (each its own process group) on logical nodes of one machine. */
export class LocalBackend implements InfraBackend {
  private nodes: NodeInfo[] | (() => Promise<NodeInfo[]>);
  /** Health set by `setNodeHealth`, laid over what the node source says. */
  private readonly health = new Map<string, { healthy: boolean; reason?: string }>();
  private readonly instances = new Map<string, Running>();
  /** Ids between the duplicate check and the spawn, so two concurrent starts cannot both pass. */
  private readonly starting = new Set<string>();
  private readonly jobs = new Set<GroupProcess>();
  private readonly events = new EventEmitter();
  private readonly logDir: string;
  private readonly baseDir: string;
  private readonly graceMs: number;
  private readonly jobTimeoutMs: number;
  private closed = false;

  constructor(options: LocalBackendOptions) {
    this.nodes = options.nodes;
    this.logDir = path.join(options.dataDir, 'instances');
    this.baseDir = options.baseDir ?? process.cwd();
    this.graceMs = options.graceMs ?? 2000;
    this.jobTimeoutMs = options.jobTimeoutMs ?? 600_000;
  }

  capabilities(): InfraCapabilities {
    return { kind: 'local', realGpus: false, survivesRestart: false };
  }

  async listNodes(): Promise<NodeInfo[]> {
    const nodes = typeof this.nodes === 'function' ? await this.nodes() : this.nodes;
    // No copies (the allocator reads thousands of nodes per placement): callers must not mutate them.
    if (this.health.size === 0) return nodes;
    return nodes.map((n) => {
      const overlay = this.health.get(n.id);
      return overlay ? { ...n, healthy: overlay.healthy, reason: overlay.reason } : n;
    });
  }

  /** Replaces the node source (a list or a function). */
  setNodes(nodes: NodeInfo[] | (() => Promise<NodeInfo[]>)): void {
    this.nodes = nodes;
  }

  /** Marks a logical node healthy or not: how tests and demos simulate a node failure. */
  setNodeHealth(nodeId: string, healthy: boolean, reason?: string): void {
    this.health.set(nodeId, reason === undefined ? { healthy } : { healthy, reason });
  }

  async start(a: Assignment, workload: WorkloadSpec): Promise<InstanceInfo> {
    if (this.closed) throw new GovernorError('unavailable', 'the local backend is closed');
    if (this.instances.has(a.instanceId) || this.starting.has(a.instanceId)) {
      throw new GovernorError('conflict', `instance '${a.instanceId}' already exists`, {
        instanceId: a.instanceId,
      });
    }
    this.starting.add(a.instanceId);
    try {
      return await this.spawnInstance(a, workload);
    } finally {
      this.starting.delete(a.instanceId);
    }
  }

  private async spawnInstance(a: Assignment, workload: WorkloadSpec): Promise<InstanceInfo> {
    if (!(await this.listNodes()).some((n) => n.id === a.nodeId)) {
      throw new GovernorError('invalid_placement', `unknown node '${a.nodeId}'`, {
        reason: 'unknown_node',
        node_id: a.nodeId,
      });
    }
    const argv = localArgv(workload, this.baseDir);
    const ports = await assignPorts(Object.keys(a.ports).length ? a.ports : { http: 0 }, HOST);
    const primary = Object.values(ports)[0]!;
    await fs.promises.mkdir(this.logDir, { recursive: true });
    const logFile = path.join(this.logDir, `${safeName(a.instanceId)}.log`);
    const fd = fs.openSync(logFile, 'a');
    let proc: GroupProcess;
    try {
      proc = await spawnGroup(argv, {
        cwd: this.baseDir,
        stdio: ['ignore', fd, fd],
        env: this.environment(a, workload, ports, primary),
      });
    } finally {
      fs.closeSync(fd);
    }
    const info: InstanceInfo = {
      instanceId: a.instanceId,
      blockId: a.blockId,
      nodeId: a.nodeId,
      gpus: [...a.gpus],
      ports,
      status: 'running',
      url: `http://${HOST}:${primary}`,
      startedAt: new Date().toISOString(),
    };
    const running: Running = { info, proc, logFile, stopping: false };
    this.instances.set(a.instanceId, running);
    void proc.exited.then((exit) => {
      const failed = !running.stopping;
      running.info = {
        ...running.info,
        status: failed ? 'failed' : 'stopped',
        exitCode: exit.code,
        signal: exit.signal,
        ...(failed ? { reason: `exited unexpectedly (code ${exit.code}, signal ${exit.signal})` } : {}),
      };
      this.emit(running.info);
    });
    this.emit(info);
    return { ...info };
  }

  private environment(a: Assignment, w: WorkloadSpec, ports: Record<string, number>, primary: number) {
    const env = inheritedEnv();
    for (const [name, port] of Object.entries(ports)) env[`PORT_${name.toUpperCase()}`] = String(port);
    return {
      ...env,
      ...w.env,
      ...a.env,
      BLOCK_ID: a.blockId,
      INSTANCE_ID: a.instanceId,
      NODE_ID: a.nodeId,
      CUDA_VISIBLE_DEVICES: a.gpus.join(','),
      PORT: String(primary),
    };
  }

  async stop(instanceId: string): Promise<void> {
    const running = this.instances.get(instanceId);
    if (!running) throw notFound('instance', instanceId);
    running.stopping = true;
    await stopGroup(running.proc, this.graceMs);
    this.instances.delete(instanceId);
  }

  async get(instanceId: string): Promise<InstanceInfo | undefined> {
    const r = this.instances.get(instanceId);
    return r ? { ...r.info } : undefined;
  }

  async list(filter: { blockId?: string } = {}): Promise<InstanceInfo[]> {
    return [...this.instances.values()]
      .map((r) => ({ ...r.info }))
      .filter((i) => filter.blockId === undefined || i.blockId === filter.blockId);
  }

  async logs(instanceId: string, options: { tailBytes?: number } = {}): Promise<string> {
    const r = this.instances.get(instanceId);
    if (!r) throw notFound('instance', instanceId);
    const text = await fs.promises.readFile(r.logFile, 'utf8');
    return options.tailBytes === undefined ? text : text.slice(-options.tailBytes);
  }

  async probe(instanceId: string, options: { path?: string; timeoutMs?: number } = {}): Promise<ProbeResult> {
    const r = this.instances.get(instanceId);
    if (!r) throw notFound('instance', instanceId);
    if (r.info.status !== 'running') return { healthy: false, error: `instance is ${r.info.status}` };
    try {
      const res = await fetch(`${r.info.url}${options.path ?? '/health'}`, {
        signal: AbortSignal.timeout(options.timeoutMs ?? 2000),
      });
      await res.arrayBuffer();
      return { healthy: res.ok, status: res.status };
    } catch (err) {
      return { healthy: false, error: (err as Error).message };
    }
  }

  watch(listener: (event: InstanceEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  private emit(instance: InstanceInfo): void {
    this.events.emit('event', { type: 'status', instance: { ...instance } } satisfies InstanceEvent);
  }

  async runJob(spec: JobSpec): Promise<JobResult> {
    if (this.closed) throw new GovernorError('unavailable', 'the local backend is closed');
    const argv = localArgv(spec.workload, this.baseDir);
    const proc = await spawnGroup(argv, {
      cwd: this.baseDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...inheritedEnv(),
        ...spec.workload.env,
        ...spec.env,
        JOB_ID: spec.jobId,
        NODE_ID: spec.nodeId ?? '',
      },
    });
    this.jobs.add(proc);
    try {
      return await collectJob(spec.jobId, proc, spec.timeoutMs ?? this.jobTimeoutMs, this.graceMs);
    } finally {
      this.jobs.delete(proc);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const stops = [...this.instances.keys()].map((id) => this.stop(id));
    const jobs = [...this.jobs].map((p) => stopGroup(p, this.graceMs));
    await Promise.all([...stops, ...jobs]);
    this.events.removeAllListeners();
  }
}
