import type { NodeInfo } from './infra-backend.js';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * Reads one `nodes.nodeData[]` entry of a cluster entry (spec §3.8, sizes in MB) as a node.
 * GPU ids are the positions in `gpus.gpus`; when only `gpus.count` and a total `gpus.memory` are
 * given, the memory is split evenly across `count` GPUs.
 */
export function nodeFromNodeData(nodeData: Obj, healthy = true): NodeInfo {
  const gpus = asObj(nodeData.gpus);
  const list = Array.isArray(gpus.gpus) ? gpus.gpus.map(asObj) : [];
  const count = list.length > 0 ? list.length : num(gpus.count);
  const evenShare = count > 0 ? num(gpus.memory) / count : 0;
  return {
    id: String(nodeData.id),
    healthy,
    gpus: Array.from({ length: count }, (_, id) => {
      const g = list[id] ?? {};
      const gpu = { id, memoryMb: num(g.memory) || evenShare };
      return typeof g.modelName === 'string' ? { ...gpu, modelName: g.modelName } : gpu;
    }),
    vcpus: num(asObj(nodeData.vcpus).count),
    memoryMb: num(nodeData.memory),
  };
}

/** All nodes of a cluster entry (`nodes.nodeData`). */
export function nodesFromCluster(cluster: Obj): NodeInfo[] {
  const data = asObj(cluster.nodes).nodeData;
  return Array.isArray(data) ? data.map((n) => nodeFromNodeData(asObj(n))) : [];
}
