import { Type } from 'typebox';
import { MongoUpdate, PolicyPackageFiles, PolicyRule, PolicyRuleInput } from '../../policy-system/index.js';
import { errorResponses } from '../schemas/error.js';
import type { RouteModule } from './index.js';

const tags = ['policies'];
const UriParams = Type.Object({ uri: Type.String({ description: 'name:version-release_tag' }) });
const Filter = Type.Record(Type.String(), Type.Unknown(), { description: 'A raw MongoDB filter' });

/** The policy registry, on the original Policy System's paths (spec §2.5), plus download and versions. */
export const policyRoutes: RouteModule = (app, cp) => {
  const registry = cp.policies.registry;

  app.post(
    '/policy',
    {
      schema: {
        tags,
        summary: 'Register a policy version (policy_rule_uri is derived as name:version-release_tag)',
        body: PolicyRuleInput,
        response: { 201: PolicyRule, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await registry.create(req.body)),
  );

  app.get(
    '/policy',
    {
      schema: {
        tags,
        summary: 'List every policy version',
        response: { 200: Type.Array(PolicyRule), ...errorResponses },
      },
    },
    () => registry.query({}),
  );

  app.post(
    '/policy/query',
    {
      config: { readOnly: true },
      schema: {
        tags,
        summary: 'Find policies with a MongoDB filter',
        body: Filter,
        response: { 200: Type.Array(PolicyRule), ...errorResponses },
      },
    },
    (req) => registry.query(req.body),
  );

  app.get(
    '/policy/versions/:name',
    {
      schema: {
        tags,
        summary: 'Every version of a policy name, oldest first',
        params: Type.Object({ name: Type.String() }),
        response: { 200: Type.Array(PolicyRule), ...errorResponses },
      },
    },
    (req) => registry.versions(req.params.name),
  );

  app.get(
    '/policy/:uri',
    {
      schema: {
        tags,
        summary: 'Get a PolicyRule',
        params: UriParams,
        response: { 200: PolicyRule, ...errorResponses },
      },
    },
    (req) => registry.get(req.params.uri),
  );

  app.get(
    '/policy/:uri/package',
    {
      schema: {
        tags,
        summary: "Download a policy's package files (base64)",
        params: UriParams,
        response: { 200: PolicyPackageFiles, ...errorResponses },
      },
    },
    (req) => registry.download(req.params.uri),
  );

  app.put(
    '/policy/:uri',
    {
      schema: {
        tags,
        summary: 'Update metadata, settings or parameters with $set/$unset (never code)',
        params: UriParams,
        body: MongoUpdate,
        response: { 200: PolicyRule, ...errorResponses },
      },
    },
    (req) => registry.update(req.params.uri, req.body),
  );

  app.delete(
    '/policy/:uri',
    {
      schema: {
        tags,
        summary: 'Delete a policy version',
        params: UriParams,
        response: {
          200: Type.Object({ policy_rule_uri: Type.String(), deleted: Type.Boolean() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      await registry.remove(req.params.uri);
      return { policy_rule_uri: req.params.uri, deleted: true };
    },
  );
};
