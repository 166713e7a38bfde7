/**
 * The `data` of each `/executeAction` action. The spec leaves them open (§3.4); each follows the
 * nearest shape the docs do give (gateway scaling payloads §3.9, init-container records §6).
 */
import { type Static, type TSchema, Type } from 'typebox';
import { GpuId } from '../allocator/index.js';
import { BlockEntrySchema } from '../schemas.js';

const Id = Type.String({ minLength: 1, maxLength: 253 });
const Json = Type.Record(Type.String(), Type.Unknown());

/**
 * A block entry (spec §3.7) as `create_block` and `dry_run` receive it: the stored entry's schema,
 * with the instance bounds required because instances start at `minInstances`.
 */
export const BlockEntryData = Type.Object(
  {
    ...BlockEntrySchema.properties,
    minInstances: Type.Integer({ minimum: 0, maximum: 1000 }),
    maxInstances: Type.Integer({ minimum: 0, maximum: 1000 }),
    tags: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: true, description: 'A block entry (spec §3.7); instances start at minInstances' },
);

export const BlockRef = Type.Object({ block_id: Id });

/** One explicit placement of the gateway's `allocation_data` (`gpu_ids: [0, 2]`). */
export const AllocationItem = Type.Object({ node_id: Id, gpu_ids: Type.Array(GpuId) });

/** Gateway scaling payload (§3.9); `upscale` is the autoscaler's spelling of `scale`. */
export const ScaleData = Type.Object({
  block_id: Id,
  operation: Type.Union([Type.Literal('scale'), Type.Literal('upscale'), Type.Literal('downscale')]),
  instances_count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  allocation_data: Type.Optional(Type.Array(AllocationItem)),
  instances_list: Type.Optional(Type.Array(Id, { minItems: 1 })),
});

export const ParameterUpdateData = Type.Object({ block_id: Id, parameters: Json });

export const DryRunData = Type.Object({
  block: BlockEntryData,
  /** How many instances to judge feasibility for (default: the block's maxInstances). */
  instances: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});

export const RemoveInstanceData = Type.Object({ block_id: Id, instance_id: Id });

/** A stage report of a third-party block's init container (§6). */
export const InitStatusData = Type.Object({
  block_id: Id,
  status: Type.Union([
    Type.Literal('begin'),
    Type.Literal('main'),
    Type.Literal('finish'),
    Type.Literal('failed'),
  ]),
  status_data: Type.Optional(Type.Unknown()),
});

/** A Mongo filter over init-container records `{id, block_data, status_data, status}` (§6). */
export const InitQueryData = Type.Object({ query: Type.Optional(Json) });

/** Instances of a block to move to a fresh placement (the scanner, on node failure). */
export const ReassignData = Type.Object({ block_id: Id, instances_list: Type.Array(Id, { minItems: 1 }) });

export const ACTION_SCHEMAS = {
  create_block: BlockEntryData,
  remove_block: BlockRef,
  scale: ScaleData,
  parameter_update: ParameterUpdateData,
  dry_run: DryRunData,
  remove_instance: RemoveInstanceData,
  init_create_status_update: InitStatusData,
  query_init_container_data: InitQueryData,
  'reassign-instances': ReassignData,
} as const satisfies Record<string, TSchema>;

export type ActionName = keyof typeof ACTION_SCHEMAS;
export type ActionData<A extends ActionName> = Static<(typeof ACTION_SCHEMAS)[A]>;
export const ACTION_NAMES = Object.keys(ACTION_SCHEMAS) as ActionName[];
