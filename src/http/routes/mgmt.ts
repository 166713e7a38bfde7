import { Type } from 'typebox';
import { MgmtRequestSchema } from '../../cluster/index.js';
import { errorResponses } from '../schemas/error.js';
import type { RouteModule } from './index.js';

/** The Management Command Executor (seed 002): `POST /mgmt`. */
export const mgmtRoutes: RouteModule = (app, cp) => {
  app.post(
    '/mgmt',
    {
      schema: {
        tags: ['cluster-actions'],
        summary:
          "Send a management command to a block's instances (pre-check block_mgmt) or the cluster (cluster_mgmt)",
        body: MgmtRequestSchema,
        response: {
          200: Type.Unknown({
            description: 'Per-instance results: {instance_id, ok, status, response | error}',
          }),
          ...errorResponses,
        },
      },
    },
    (req) => cp.mgmt.execute(req.body),
  );
};
