import { Type } from 'typebox';
import {
  addNode,
  ClusterEntrySchema,
  getCluster,
  MongoDocumentSchema,
  NodeDataSchema,
  removeNode,
  updateCluster,
} from '../../cluster/index.js';
import type { Update } from '../../store/index.js';
import type { RouteModule } from './index.js';

const tags = ['cluster'];
const ClusterResponse = { 200: ClusterEntrySchema };

/** The cluster entry and its nodes (seed 002, spec §3.4 and §3.8). */
export const clusterRoutes: RouteModule = (app, cp) => {
  app.get(
    '/cluster-actions/get-cluster',
    { schema: { tags, summary: 'The cluster entry with its nodes', response: ClusterResponse } },
    () => getCluster(cp.cluster),
  );

  app.post(
    '/cluster-actions/add-node',
    {
      schema: {
        tags,
        summary: 'Add a node (pre-check add_node); totals are recomputed',
        body: NodeDataSchema,
        response: ClusterResponse,
      },
    },
    (req) => addNode(cp.cluster, req.body),
  );

  app.delete(
    '/cluster-actions/remove-node/:node_id',
    {
      schema: {
        tags,
        summary: 'Remove a node (pre-check remove_node); totals are recomputed',
        params: Type.Object({ node_id: Type.String({ minLength: 1 }) }),
        response: ClusterResponse,
      },
    },
    (req) => removeNode(cp.cluster, req.params.node_id),
  );

  app.patch(
    '/cluster-actions/update-cluster',
    {
      schema: {
        tags,
        summary:
          'Apply a MongoDB update such as {"$set": {...}} to the cluster entry (pre-check update_cluster)',
        body: MongoDocumentSchema,
        response: ClusterResponse,
      },
    },
    (req) => updateCluster(cp.cluster, req.body as Update),
  );
};
