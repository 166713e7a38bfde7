import { Type } from 'typebox';
import { ACTION_NAMES, ACTION_SCHEMAS } from '../../cluster/actions/index.js';
import type { RouteModule } from './index.js';

/**
 * The documented body: one `{action, data}` shape per action. The handler validates it itself
 * (`attachValidation`) so an unknown action answers `unknown_action` with the valid list and bad
 * data names the field as `data.<path>`, rather than a generic union mismatch.
 */
const ExecuteActionBody = Type.Union(
  ACTION_NAMES.map((name) =>
    Type.Object(
      { action: Type.Literal(name), data: ACTION_SCHEMAS[name] },
      { title: `executeAction ${name}` },
    ),
  ),
  { description: `action is one of: ${ACTION_NAMES.join(', ')}` },
);

/** Block infrastructure actions (seed 002, spec §3.4): `POST /executeAction {"action", "data"}`. */
export const actionRoutes: RouteModule = (app, cp) => {
  app.post(
    '/executeAction',
    {
      attachValidation: true,
      schema: {
        tags: ['cluster-actions'],
        summary: 'Run a block action (create_block, remove_block, scale, parameter_update, dry_run, …)',
        body: ExecuteActionBody,
        response: { 200: Type.Unknown({ description: 'The action result; see docs/actions.md' }) },
      },
    },
    async (req) => {
      const body = (req.body ?? {}) as { action?: unknown; data?: unknown };
      return cp.actions.execute(body.action, body.data);
    },
  );
};
