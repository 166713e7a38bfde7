/**
 * `cluster_metrics` and `block_metrics` of pre-check and allocator inputs (spec §4.8 leaves their
 * shape open; the paths follow its query hints, e.g. `cluster.gpu.totalFreeMem`). They are what
 * Governor knows for certain: the node inventory and the reservation ledger, current values only.
 * "Free" means not reserved by an instance, not a hardware measurement.
 */
import { type Static, Type } from 'typebox';
import type { NodeInventory } from '../../infra/index.js';
import type { DocumentReader } from '../../store/index.js';
import type { Capacity, NodeState } from '../allocator/index.js';
import { currentCapacity, type InstanceDoc } from './instance-ledger.js';

const Count = Type.Integer({ minimum: 0 });
const Mb = Type.Number({ description: 'MB' });

const Resources = {
  gpu: Type.Object({ count: Count, free: Count, totalMem: Mb, totalFreeMem: Mb, totalUsedMem: Mb }),
  vcpu: Type.Object({ count: Type.Number(), free: Type.Number() }),
  memory: Type.Object({ totalMem: Mb, freeMem: Mb, usedMem: Mb }),
};

export const NodeMetricsSchema = Type.Object({ healthy: Type.Boolean(), ...Resources });

export const ClusterMetricsSchema = Type.Object(
  {
    cluster: Type.Object({ nodes: Type.Object({ total: Count, healthy: Count }), ...Resources }),
    nodes: Type.Record(Type.String(), NodeMetricsSchema),
    /** Reserved instances on the cluster, of every block (vDAG controller replicas included). */
    instances: Count,
  },
  { description: 'Cluster capacity from the node inventory minus the reservations' },
);

export const BlockMetricsSchema = Type.Object(
  {
    instances: Type.Object({ total: Count, starting: Count, running: Count, failed: Count }),
    /** Instances per node id. */
    nodes: Type.Record(Type.String(), Count),
    gpus: Count,
  },
  { description: "A block's instances from the reservation ledger" },
);

export type NodeMetrics = Static<typeof NodeMetricsSchema>;
export type ClusterMetrics = Static<typeof ClusterMetricsSchema>;
export type BlockMetrics = Static<typeof BlockMetricsSchema>;

/** One node; what an unhealthy node has left is not free, since nothing may be placed there. */
function nodeMetrics(s: NodeState): NodeMetrics {
  const { node } = s;
  const free = (n: number) => (node.healthy ? n : 0);
  let totalMem = 0;
  let unreservedMem = 0;
  node.gpus.forEach((g, i) => {
    totalMem += g.memoryMb;
    // A reserved GPU is its instance's whole: none of its memory is free for another.
    if (!s.gpuTaken[i]) unreservedMem += s.gpuFreeMb[i]!;
  });
  return {
    healthy: node.healthy,
    gpu: {
      count: node.gpus.length,
      free: free(s.freeGpus),
      totalMem,
      totalFreeMem: free(unreservedMem),
      totalUsedMem: totalMem - unreservedMem,
    },
    vcpu: { count: node.vcpus, free: free(s.vcpusFree) },
    memory: {
      totalMem: node.memoryMb,
      freeMem: free(s.memoryFreeMb),
      usedMem: node.memoryMb - s.memoryFreeMb,
    },
  };
}

type Sums = Pick<NodeMetrics, 'gpu' | 'vcpu' | 'memory'>;

const sum = <T extends Record<string, number>>(a: T, b: T): T =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v + b[k]!])) as T;

/** The metrics of a capacity snapshot. */
export function clusterMetricsOf(capacity: Capacity): ClusterMetrics {
  const nodes: Record<string, NodeMetrics> = {};
  let totals: Sums = {
    gpu: { count: 0, free: 0, totalMem: 0, totalFreeMem: 0, totalUsedMem: 0 },
    vcpu: { count: 0, free: 0 },
    memory: { totalMem: 0, freeMem: 0, usedMem: 0 },
  };
  let healthy = 0;
  for (const s of capacity.states) {
    const m = nodeMetrics(s);
    nodes[s.node.id] = m;
    if (m.healthy) healthy++;
    totals = {
      gpu: sum(totals.gpu, m.gpu),
      vcpu: sum(totals.vcpu, m.vcpu),
      memory: sum(totals.memory, m.memory),
    };
  }
  return {
    cluster: { nodes: { total: capacity.states.length, healthy }, ...totals },
    nodes,
    instances: capacity.reservations,
  };
}

/** Current cluster metrics: the backend's nodes minus every stored reservation. */
export async function clusterMetrics(infra: NodeInventory, reader: DocumentReader): Promise<ClusterMetrics> {
  return clusterMetricsOf(await currentCapacity(infra, reader));
}

/** A block's metrics from its instance records. */
export function blockMetricsOf(instances: InstanceDoc[]): BlockMetrics {
  const byStatus = { total: instances.length, starting: 0, running: 0, failed: 0 };
  const nodes: Record<string, number> = {};
  let gpus = 0;
  for (const i of instances) {
    byStatus[i.status]++;
    nodes[i.node_id] = (nodes[i.node_id] ?? 0) + 1;
    gpus += i.gpus.length;
  }
  return { instances: byStatus, nodes, gpus };
}
