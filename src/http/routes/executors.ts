import { Type } from 'typebox';
import { notFound } from '../../errors/index.js';
import { ExecutePolicyRequest, ExecutorInput, MongoUpdate } from '../../policy-system/index.js';
import { errorResponses } from '../schemas/error.js';
import type { RouteModule } from './index.js';

const tags = ['executors'];
const Executor = Type.Record(Type.String(), Type.Unknown());
const IdParams = Type.Object({ executor_id: Type.String() });
const Filter = Type.Record(Type.String(), Type.Unknown(), { description: 'A raw MongoDB filter' });

/**
 * Type 2 executors (spec §2.5). `execute_policy` answers with the policy's own result as the body;
 * `x-decision-id` names the decision-log entry and `x-duration-ms` the evaluation time.
 */
export const executorRoutes: RouteModule = (app, cp) => {
  const { executors, executor, decisions } = cp.policies;

  app.post(
    '/executor/:executor_id/execute_policy',
    {
      schema: {
        tags,
        summary: "Evaluate a registered policy statelessly; the body is the policy's result",
        params: IdParams,
        body: ExecutePolicyRequest,
        response: { 200: Type.Unknown(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const out = await executor.execute(req.params.executor_id, req.body);
      reply.header('x-decision-id', out.decisionId);
      reply.header('x-duration-ms', out.durationMs.toFixed(3));
      return out.result;
    },
  );

  app.post(
    '/executor',
    {
      schema: {
        tags,
        summary: 'Register an executor',
        body: ExecutorInput,
        response: { 201: Executor, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await executors.create(req.body)),
  );

  app.get(
    '/executor',
    {
      schema: {
        tags,
        summary: 'List registered executors',
        response: { 200: Type.Array(Executor), ...errorResponses },
      },
    },
    () => executors.query({}),
  );

  app.post(
    '/executor/query',
    {
      config: { readOnly: true },
      schema: {
        tags,
        summary: 'Find executors with a MongoDB filter',
        body: Filter,
        response: { 200: Type.Array(Executor), ...errorResponses },
      },
    },
    (req) => executors.query(req.body),
  );

  app.get(
    '/executor/:executor_id',
    {
      schema: {
        tags,
        summary: 'Get an executor',
        params: IdParams,
        response: { 200: Executor, ...errorResponses },
      },
    },
    (req) => executors.get(req.params.executor_id),
  );

  app.put(
    '/executor/:executor_id',
    {
      schema: {
        tags,
        summary: 'Update an executor with $set/$unset',
        params: IdParams,
        body: MongoUpdate,
        response: { 200: Executor, ...errorResponses },
      },
    },
    (req) => executors.update(req.params.executor_id, req.body),
  );

  app.delete(
    '/executor/:executor_id',
    {
      schema: {
        tags,
        summary: 'Remove an executor',
        params: IdParams,
        response: {
          200: Type.Object({ executor_id: Type.String(), deleted: Type.Boolean() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      await executors.remove(req.params.executor_id);
      return { executor_id: req.params.executor_id, deleted: true };
    },
  );

  app.get(
    '/decisions/:decision_id',
    {
      schema: {
        tags: ['decisions'],
        summary: 'One decision-log entry: policy, digests, result or error, duration, caller',
        params: Type.Object({ decision_id: Type.String() }),
        response: { 200: Type.Record(Type.String(), Type.Unknown()), ...errorResponses },
      },
    },
    async (req) => {
      const d = await decisions.get(req.params.decision_id);
      if (!d) throw notFound('decision', req.params.decision_id);
      return d;
    },
  );

  app.post(
    '/decisions/query',
    {
      config: { readOnly: true },
      schema: {
        tags: ['decisions'],
        summary: 'Find decisions with a MongoDB filter, newest first',
        body: Filter,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }),
        response: { 200: Type.Array(Type.Record(Type.String(), Type.Unknown())), ...errorResponses },
      },
    },
    (req) => decisions.query(req.body, req.query.limit),
  );
};
