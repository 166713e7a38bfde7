import { type Static, Type } from 'typebox';

const Obj = Type.Record(Type.String(), Type.Unknown());

/**
 * The PolicyRule document of the original registry (spec §2.3), kept field for field; `files`,
 * `language`, `entry`, `digest` and the timestamps are Governor's additions beside it.
 */
export const PolicyRuleInput = Type.Object(
  {
    name: Type.String({ minLength: 1, pattern: '^[^\\s:/]+$' }),
    version: Type.String({ minLength: 1, pattern: '^[^\\s:/-]+$' }),
    release_tag: Type.Optional(Type.String({ minLength: 1, pattern: '^[^\\s:/]+$' })),
    metadata: Type.Optional(Obj),
    /** Comma-separated, as in the original. */
    tags: Type.Optional(Type.String()),
    /** A URL of a .zip/.tar.gz/.tar.xz archive of the package, or the source of `function.py` itself. */
    code: Type.Optional(Type.String({ minLength: 1 })),
    /** Inline package files, path → UTF-8 text (Governor's addition; used by `governor policy push`). */
    files: Type.Optional(Type.Record(Type.String(), Type.String())),
    type: Type.Optional(Type.String()),
    policy_input_schema: Type.Optional(Obj),
    policy_output_schema: Type.Optional(Obj),
    policy_settings_schema: Type.Optional(Obj),
    policy_parameters_schema: Type.Optional(Obj),
    policy_settings: Type.Optional(Obj),
    policy_parameters: Type.Optional(Obj),
    management_commands_schema: Type.Optional(Type.Array(Type.Unknown())),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type PolicyRuleInput = Static<typeof PolicyRuleInput>;

export const PolicyRule = Type.Intersect([
  Type.Omit(PolicyRuleInput, ['files']),
  Type.Object({
    policy_rule_uri: Type.String(),
    language: Type.Union([Type.Literal('python'), Type.Literal('js'), Type.Literal('ts')]),
    entry: Type.String(),
    /** sha256 of the package files: the code is immutable per version. */
    digest: Type.String(),
    created_at: Type.String(),
    updated_at: Type.String(),
  }),
]);
export type PolicyRule = Static<typeof PolicyRule> & Record<string, unknown>;

/** A package as downloaded: files base64-encoded, so binary files survive. */
export const PolicyPackageFiles = Type.Object({
  policy_rule_uri: Type.String(),
  digest: Type.String(),
  files: Type.Record(Type.String(), Type.String({ contentEncoding: 'base64' })),
});
export type PolicyPackageFiles = Static<typeof PolicyPackageFiles>;

/** `PUT /policy/<uri>` and `PUT /executor/<id>` bodies: a Mongo update. */
export const MongoUpdate = Type.Object(
  { $set: Type.Optional(Obj), $unset: Type.Optional(Obj) },
  { additionalProperties: false, minProperties: 1 },
);
export type MongoUpdate = Static<typeof MongoUpdate>;

export const ExecutePolicyRequest = Type.Object({
  policy_rule_uri: Type.String({ minLength: 1 }),
  input_data: Type.Unknown(),
  parameters: Type.Optional(Obj),
});
export type ExecutePolicyRequest = Static<typeof ExecutePolicyRequest>;

/** PolicyExecutors document (spec §2.3). */
export const ExecutorInput = Type.Object(
  {
    executor_id: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9._-]+$' }),
    executor_host_uri: Type.Optional(Type.String()),
    executor_metadata: Type.Optional(Obj),
    executor_hardware_info: Type.Optional(Obj),
    executor_status: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type ExecutorInput = Static<typeof ExecutorInput>;
export type Executor = ExecutorInput & { executor_status: string } & Record<string, unknown>;
