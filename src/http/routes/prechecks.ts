import { Type } from 'typebox';
import { getCluster, PRECHECK_ACTIONS, preCheckMap, updatePreCheckMap } from '../../cluster/index.js';
import { errorResponses } from '../schemas/error.js';
import type { RouteModule } from './index.js';

const tags = ['prechecks'];
const PreCheckMapSchema = Type.Record(Type.String(), Type.String(), {
  description: `Pre-check hook → policy_rule_uri; hooks: ${PRECHECK_ACTIONS.join(', ')}`,
});

/** Cluster-level pre-check policies (spec §3.2 b), kept in the cluster entry's `config.preCheckPolicies`. */
export const preCheckRoutes: RouteModule = (app, cp) => {
  app.get(
    '/pre-check-policies',
    {
      schema: {
        tags,
        summary: 'The current pre-check map (hook → policy URI)',
        response: { 200: PreCheckMapSchema },
      },
    },
    async () => preCheckMap(await getCluster(cp.cluster)),
  );

  app.post(
    '/pre-check-policies/update',
    {
      schema: {
        tags,
        summary:
          'Change pre-checks with a partial map: "" removes a hook\'s check, keys left out keep theirs',
        body: PreCheckMapSchema,
        response: { 200: PreCheckMapSchema, ...errorResponses },
      },
    },
    (req) => updatePreCheckMap(cp.cluster, req.body, (uri) => cp.policies.registry.get(uri)),
  );
};
