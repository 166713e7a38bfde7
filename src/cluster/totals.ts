import type { ClusterEntry, ClusterTotals, NodeData } from './schemas.js';

/** The cluster's resource totals: the sums over its nodes (sizes in MB, bandwidth as given). */
export function clusterTotals(nodes: NodeData[]): ClusterTotals {
  const sum = (f: (n: NodeData) => number | undefined) => nodes.reduce((acc, n) => acc + (f(n) ?? 0), 0);
  return {
    gpus: { count: sum((n) => n.gpus.count), memory: sum((n) => n.gpus.memory) },
    vcpus: { count: sum((n) => n.vcpus.count) },
    memory: sum((n) => n.memory),
    swap: sum((n) => n.swap),
    storage: { disks: sum((n) => n.storage?.disks), size: sum((n) => n.storage?.size) },
    network: {
      interfaces: sum((n) => n.network?.interfaces),
      txBandwidth: sum((n) => n.network?.txBandwidth),
      rxBandwidth: sum((n) => n.network?.rxBandwidth),
    },
  };
}

/** The entry with `nodes.count` and every total recomputed from `nodes.nodeData`. */
export function withTotals(entry: ClusterEntry): ClusterEntry {
  const nodeData = entry.nodes.nodeData;
  const totals = clusterTotals(nodeData);
  return {
    ...entry,
    ...totals,
    gpus: { ...entry.gpus, ...totals.gpus },
    nodes: { ...entry.nodes, count: nodeData.length, nodeData },
  };
}
