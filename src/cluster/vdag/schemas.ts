/** `/vdag-controller` actions and payloads (seed 002, spec §3.4). */
import { type Static, type TSchema, Type } from 'typebox';

const Id = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });
const Replicas = Type.Integer({ minimum: 0, maximum: 100 });

export const CreateControllerPayload = Type.Object({
  vdag_controller_id: Id,
  vdag_uri: Type.String({ minLength: 1 }),
  config: Type.Object(
    {
      policy_execution_mode: Type.Optional(Type.String()),
      replicas: Type.Optional(Replicas),
    },
    { additionalProperties: true },
  ),
  search_tags: Type.Optional(Type.Array(Type.String())),
});

export const RemoveControllerPayload = Type.Object({ vdag_controller_id: Id });
export const ScaleControllerPayload = Type.Object({ vdag_controller_id: Id, replicas: Replicas });
export const ListControllersPayload = Type.Object({});

export const VDAG_ACTION_SCHEMAS = {
  create_controller: CreateControllerPayload,
  remove_controller: RemoveControllerPayload,
  scale_controller: ScaleControllerPayload,
  list_controllers: ListControllersPayload,
} as const satisfies Record<string, TSchema>;

export type VdagActionName = keyof typeof VDAG_ACTION_SCHEMAS;
export type VdagPayload<A extends VdagActionName> = Static<(typeof VDAG_ACTION_SCHEMAS)[A]>;
export const VDAG_ACTION_NAMES = Object.keys(VDAG_ACTION_SCHEMAS) as VdagActionName[];
