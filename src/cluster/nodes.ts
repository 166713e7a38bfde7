import { GovernorError, notFound } from '../errors/index.js';
import type { DocumentReader } from '../store/index.js';
import { INSTANCES, type InstanceDoc } from './actions/index.js';
import { BLOCKS } from './blocks.js';
import { type ClusterContext, changeCluster } from './cluster-entry.js';
import { type ClusterEntry, type NodeData, NodeDataSchema } from './schemas.js';
import { checkShape } from './shape.js';
import { withTotals } from './totals.js';

/**
 * Blocks with an instance on the node, for the `remove_node` pre-check, from the instance ledger
 * (vDAG controller replicas are in the ledger too, but they are not blocks).
 */
export async function blocksOnNode(store: DocumentReader, nodeId: string): Promise<string[]> {
  const instances = await store.find<InstanceDoc>(
    INSTANCES,
    { node_id: nodeId },
    { projection: { block_id: 1 } },
  );
  const ids = [...new Set(instances.map((i) => i.block_id))];
  const blocks = await store.find(BLOCKS, { id: { $in: ids } }, { projection: { id: 1 }, sort: { id: 1 } });
  return blocks.map((b) => b.id);
}

/**
 * POST /cluster-actions/add-node: validates the node data, runs the `add_node` pre-check with
 * `{node_data, cluster_data, cluster_metrics}`, validates what the pre-check returns, then adds the
 * node and recomputes the totals. A node id already in the cluster is a conflict.
 */
export async function addNode(ctx: ClusterContext, nodeData: unknown): Promise<ClusterEntry> {
  checkShape(NodeDataSchema, nodeData, 'node_data');
  return changeCluster(ctx, async (current) => {
    const input = await ctx.gate.check('add_node', {
      node_data: nodeData as NodeData,
      cluster_data: current,
      cluster_metrics: await ctx.metrics(),
    });
    checkShape(NodeDataSchema, input.node_data, 'node_data');
    const node = input.node_data;
    if (current.nodes.nodeData.some((n) => n.id === node.id))
      throw new GovernorError('conflict', `node '${node.id}' is already in cluster '${current.id}'`, {
        node_id: node.id,
      });
    return withTotals({
      ...current,
      nodes: { ...current.nodes, nodeData: [...current.nodes.nodeData, node] },
    });
  });
}

/**
 * DELETE /cluster-actions/remove-node/:node_id: runs the `remove_node` pre-check with
 * `{node_id, cluster_data, cluster_metrics, block_instances}`, then removes the node and
 * recomputes the totals. An unknown node is a 404.
 */
export async function removeNode(ctx: ClusterContext, nodeId: string): Promise<ClusterEntry> {
  return changeCluster(ctx, async (current) => {
    if (!current.nodes.nodeData.some((n) => n.id === nodeId)) throw notFound('node', nodeId);
    const input = await ctx.gate.check('remove_node', {
      node_id: nodeId,
      cluster_data: current,
      cluster_metrics: await ctx.metrics(),
      block_instances: await blocksOnNode(ctx.store, nodeId),
    });
    const nodeData = current.nodes.nodeData.filter((n) => n.id !== input.node_id);
    return withTotals({ ...current, nodes: { ...current.nodes, nodeData } });
  });
}
