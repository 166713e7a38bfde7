import fs from 'node:fs';
import os from 'node:os';
import YAML from 'yaml';
import type { Config } from '../config.js';
import { badRequest } from '../errors/index.js';
import { type ClusterEntry, ClusterEntrySchema, type NodeData } from './schemas.js';
import { checkShape } from './shape.js';
import { withTotals } from './totals.js';

const MB = 1024 * 1024;

/** This machine as one node: its CPUs, memory, data-dir disk and network interfaces; no GPUs. */
export function thisMachine(dataDir: string): NodeData {
  const disk = fs.statfsSync(fs.existsSync(dataDir) ? dataDir : os.tmpdir());
  const interfaces = Object.values(os.networkInterfaces()).filter((addrs) => addrs?.some((a) => !a.internal));
  return {
    id: `node-${os.hostname()}`,
    gpus: { count: 0, memory: 0, gpus: [], features: [], modelNames: [] },
    vcpus: { count: os.availableParallelism() },
    memory: Math.floor(os.totalmem() / MB),
    swap: 0,
    storage: { disks: 1, size: Math.floor((disk.blocks * disk.bsize) / MB) },
    network: { interfaces: interfaces.length, txBandwidth: 0, rxBandwidth: 0 },
  };
}

function readClusterFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw badRequest('clusterConfig', `cannot read cluster config ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (err) {
    throw badRequest(
      'clusterConfig',
      `cluster config ${file} is not YAML or JSON: ${(err as Error).message}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badRequest('clusterConfig', `cluster config ${file} must hold a cluster entry object`);
  return parsed as Record<string, unknown>;
}

/**
 * The cluster entry written on first start. From `config.clusterConfig` (YAML or JSON, a cluster
 * entry where everything but `nodes.nodeData` may be left out: logical nodes there let one machine
 * model a GPU cluster), or else one cluster made of this machine. Totals always follow the nodes.
 */
export function clusterSeed(config: Config): ClusterEntry {
  const file = config.clusterConfig ? readClusterFile(config.clusterConfig) : {};
  const host = os.hostname();
  const given = file as Partial<ClusterEntry>;
  const id = given.id ?? `cluster-${host}`;
  const entry = {
    status: 'live',
    tags: [],
    ...given,
    id,
    nodes: { nodeData: given.nodes?.nodeData ?? [thisMachine(config.dataDir)], count: 0 },
    config: {
      policyExecutorId: '',
      policyExecutionMode: 'local',
      useGateway: false,
      publicHostname: host,
      urlMap: {},
      ...given.config,
    },
    clusterMetadata: {
      name: id,
      description: config.clusterConfig ? `cluster from ${config.clusterConfig}` : `this machine (${host})`,
      owner: os.userInfo().username,
      ...given.clusterMetadata,
    },
  } as ClusterEntry;
  const complete = withTotals(entry);
  checkShape(ClusterEntrySchema, complete, 'cluster_config');
  return complete;
}
