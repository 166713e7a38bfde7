import { Type } from 'typebox';
import {
  builtinRules,
  ControlModeSchema,
  checkPacks,
  ENTITY_TYPES,
  EvaluationSchema,
  type PackSource,
  recommend,
} from '../../engine/index.js';
import type { RouteModule } from './index.js';

const PackSchema = Type.Union(
  [
    Type.String({ description: 'a rule or policy pack as YAML text' }),
    Type.Record(Type.String(), Type.Unknown()),
  ],
  { description: 'a rule or policy pack: YAML text (errors give lines) or an object' },
);

const EntityInputSchema = Type.Object(
  { entity_type: Type.String({ description: `one of ${ENTITY_TYPES.join(', ')}` }) },
  {
    additionalProperties: true,
    description: 'a canonical OpenAICE entity; every field is validated by its type',
  },
);

const RecommendBody = Type.Object(
  {
    entities: Type.Optional(Type.Array(EntityInputSchema)),
    records: Type.Optional(
      Type.Union([Type.Array(Type.Unknown()), Type.Object({ records: Type.Array(Type.Unknown()) })], {
        description: 'raw telemetry records, normalized, merged by entity_id and classified first',
      }),
    ),
    packs: Type.Optional(Type.Array(PackSchema)),
    builtins: Type.Optional(Type.Boolean({ default: true })),
    control_mode: Type.Optional(ControlModeSchema),
    explain: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const IssueSchema = Type.Object({
  file: Type.String(),
  line: Type.Union([Type.Integer(), Type.Null()]),
  rule_id: Type.Union([Type.String(), Type.Null()]),
  path: Type.String(),
  message: Type.String(),
});

const RuleSummary = Type.Object({
  rule_id: Type.String(),
  scenario_family: Type.String(),
  preconditions: Type.Array(Type.String()),
  required_signals: Type.Array(Type.String()),
  recommended_action: Type.Object({
    action_type: Type.String(),
    parameters: Type.Record(Type.String(), Type.Unknown()),
  }),
  risk_level: Type.String(),
  minimum_confidence: Type.Number(),
  logic: Type.String(),
});

/** HTTP packs are named by their place in the body, so errors point at `packs[1]`. */
const sources = (packs: Array<string | Record<string, unknown>> = []): PackSource[] =>
  packs.map((p, i) =>
    typeof p === 'string' ? { name: `packs[${i}]`, text: p } : { name: `packs[${i}]`, value: p },
  );

export const engineRoutes: RouteModule = (app) => {
  app.post(
    '/engine/recommendations',
    {
      // Computes recommendations and changes nothing, so it needs no token.
      config: { readOnly: true },
      schema: {
        tags: ['engine'],
        summary: 'Evaluate rule packs over entities or telemetry records',
        body: RecommendBody,
        response: { 200: EvaluationSchema },
      },
    },
    async (req) =>
      recommend({
        entities: req.body.entities,
        records: req.body.records,
        packs: sources(req.body.packs),
        builtins: req.body.builtins,
        control_mode: req.body.control_mode,
        explain: req.body.explain,
      }),
  );

  app.post(
    '/engine/validate',
    {
      config: { readOnly: true },
      schema: {
        tags: ['engine'],
        summary: 'Check rule packs: every problem with its pack, line and rule id',
        body: Type.Object(
          { packs: Type.Array(PackSchema, { minItems: 1 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ valid: Type.Boolean(), rules: Type.Integer(), errors: Type.Array(IssueSchema) }),
        },
      },
    },
    async (req) => {
      const { ruleSet, issues } = checkPacks(sources(req.body.packs), { builtins: false });
      return { valid: issues.length === 0, rules: ruleSet.rules.length, errors: issues };
    },
  );

  app.get(
    '/engine/rules',
    {
      schema: {
        tags: ['engine'],
        summary: 'The built-in rules with their logic in words, and the default thresholds',
        response: {
          200: Type.Object({
            rules: Type.Array(RuleSummary),
            thresholds: Type.Record(Type.String(), Type.Number()),
          }),
        },
      },
    },
    async () => builtinRules(),
  );
};
