import { Type } from 'typebox';
import { VDAG_ACTION_NAMES, VDAG_ACTION_SCHEMAS } from '../../cluster/vdag/index.js';
import type { RouteModule } from './index.js';

/** One documented `{action, payload}` shape per action; validated by the domain (see actions.ts). */
const VdagControllerBody = Type.Union(
  VDAG_ACTION_NAMES.map((name) =>
    Type.Object(
      { action: Type.Literal(name), payload: Type.Optional(VDAG_ACTION_SCHEMAS[name]) },
      { title: `vdag-controller ${name}` },
    ),
  ),
  { description: `action is one of: ${VDAG_ACTION_NAMES.join(', ')}` },
);

/** vDAG controllers (seed 002, spec §3.4): `POST /vdag-controller {"action", "payload"}`. */
export const vdagRoutes: RouteModule = (app, cp) => {
  app.post(
    '/vdag-controller',
    {
      attachValidation: true,
      schema: {
        tags: ['cluster-actions'],
        summary: 'Create, remove, scale or list vDAG controllers',
        body: VdagControllerBody,
        response: { 200: Type.Unknown({ description: 'The controller(s) with their replicas' }) },
      },
    },
    async (req) => {
      const body = (req.body ?? {}) as { action?: unknown; payload?: unknown };
      return cp.vdag.execute(body.action, body.payload);
    },
  );
};
