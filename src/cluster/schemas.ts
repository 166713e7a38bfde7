import { type Static, Type } from 'typebox';

/**
 * The cluster's data shapes (spec §3.7 block entry, §3.8 cluster entry and node data), one TypeBox
 * schema each: request validation, OpenAPI and TypeScript types all come from here. Objects allow
 * fields beyond the listed ones, because the original registries store "Mixed" documents and
 * clients rely on round-tripping their own keys.
 */

const open = { additionalProperties: true } as const;
const Mixed = Type.Record(Type.String(), Type.Unknown());
const Size = Type.Number({ minimum: 0 });
const Count = Type.Integer({ minimum: 0 });

export const GpuSpecSchema = Type.Object({ modelName: Type.String(), memory: Size }, open);

export const NodeDataSchema = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      pattern: '^[^/\\s]+$',
      description: 'Node id; Kubernetes nodes carry label nodeID=<id>',
    }),
    gpus: Type.Object(
      {
        count: Count,
        memory: Size,
        gpus: Type.Optional(Type.Array(GpuSpecSchema)),
        features: Type.Optional(Type.Array(Type.String())),
        modelNames: Type.Optional(Type.Array(Type.String())),
      },
      open,
    ),
    vcpus: Type.Object({ count: Count }, open),
    memory: Size,
    swap: Type.Optional(Size),
    storage: Type.Optional(Type.Object({ disks: Count, size: Size }, open)),
    network: Type.Optional(Type.Object({ interfaces: Count, txBandwidth: Size, rxBandwidth: Size }, open)),
    clusterId: Type.Optional(Type.String()),
    tags: Type.Optional(Type.Array(Type.String())),
    nodeMetadata: Type.Optional(Mixed),
  },
  { ...open, description: 'One node of the cluster (sizes in MB)' },
);
export type NodeData = Static<typeof NodeDataSchema>;

export const ClusterTotalsSchema = Type.Object({
  gpus: Type.Object({ count: Count, memory: Size }, open),
  vcpus: Type.Object({ count: Count }, open),
  memory: Size,
  swap: Size,
  storage: Type.Object({ disks: Count, size: Size }, open),
  network: Type.Object({ interfaces: Count, txBandwidth: Size, rxBandwidth: Size }, open),
});
export type ClusterTotals = Static<typeof ClusterTotalsSchema>;

export const ClusterEntrySchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    regionId: Type.Optional(Type.String()),
    status: Type.String(),
    nodes: Type.Object({ count: Count, nodeData: Type.Array(NodeDataSchema) }, open),
    ...ClusterTotalsSchema.properties,
    config: Type.Object(
      {
        policyExecutorId: Type.Optional(Type.String()),
        policyExecutionMode: Type.Optional(Type.String()),
        customPolicySystem: Type.Optional(Type.Unknown()),
        publicHostname: Type.String(),
        useGateway: Type.Optional(Type.Boolean()),
        actionsPolicyMap: Type.Optional(Mixed),
        /** Cluster-level pre-checks (spec §3.2 b): hook → policy_rule_uri; see src/cluster/prechecks.ts. */
        preCheckPolicies: Type.Optional(Type.Record(Type.String(), Type.String())),
        allowExternalNodes: Type.Optional(Type.Boolean()),
        urlMap: Type.Optional(Type.Record(Type.String(), Type.String())),
      },
      open,
    ),
    tags: Type.Array(Type.String()),
    clusterMetadata: Type.Object(
      {
        name: Type.String(),
        description: Type.String(),
        owner: Type.String(),
        email: Type.Optional(Type.String()),
        countries: Type.Optional(Type.Array(Type.String())),
        miscContactInfo: Type.Optional(Mixed),
        additionalInfo: Type.Optional(Mixed),
      },
      open,
    ),
    reputation: Type.Optional(Type.Number()),
  },
  { ...open, description: 'The cluster entry (spec §3.8)' },
);
export type ClusterEntry = Static<typeof ClusterEntrySchema>;

/** A block policy reference; a resourceAllocator without a URI (or `""`) uses the built-in allocator. */
export const BlockPolicySchema = Type.Object(
  {
    policyRuleURI: Type.Optional(Type.String()),
    parameters: Type.Optional(Mixed),
    settings: Type.Optional(Mixed),
  },
  open,
);

export const BlockEntrySchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    componentUri: Type.Optional(Type.String()),
    component: Type.Optional(Mixed),
    blockUri: Type.Optional(Type.String()),
    blockMetadata: Type.Optional(Mixed),
    policies: Type.Optional(Type.Record(Type.String(), BlockPolicySchema)),
    cluster: Type.Optional(Mixed),
    blockInitData: Type.Optional(Mixed),
    initSettings: Type.Optional(Mixed),
    parameters: Type.Optional(Mixed),
    minInstances: Type.Optional(Count),
    maxInstances: Type.Optional(Count),
    inputProtocol: Type.Optional(Mixed),
    outputProtocol: Type.Optional(Mixed),
  },
  { ...open, description: 'A block entry (spec §3.7)' },
);
export type BlockEntry = Static<typeof BlockEntrySchema>;

/** A MongoDB filter or update document; the store validates the operators. */
export const MongoDocumentSchema = Type.Record(Type.String(), Type.Unknown());

export const BlockQuerySchema = Type.Object(
  {
    query: Type.Optional(MongoDocumentSchema),
    options: Type.Optional(
      Type.Object({
        sort: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Literal(1), Type.Literal(-1)]))),
        limit: Type.Optional(Count),
        skip: Type.Optional(Count),
        projection: Type.Optional(
          Type.Record(Type.String(), Type.Union([Type.Literal(0), Type.Literal(1), Type.Boolean()])),
        ),
      }),
    ),
  },
  { description: 'POST /blocks/query body: a MongoDB filter and find options' },
);
export type BlockQuery = Static<typeof BlockQuerySchema>;
