/** Output shapes of the engine, one TypeBox schema each: validation, OpenAPI and TS types. */
import { type Static, Type } from 'typebox';
import { ACTION_TYPES, CONTROL_MODES, RISK_LEVELS } from './actions.js';
import { CHECKS } from './checks.js';
import { ENTITY_TYPES } from './entities.js';

export const CheckResultSchema = Type.Object({
  check: Type.Enum(CHECKS),
  passed: Type.Boolean(),
  detail: Type.String(),
  observed: Type.Record(Type.String(), Type.Unknown()),
  compared_to: Type.Record(Type.String(), Type.Unknown()),
});

export const RecommendationSchema = Type.Object({
  recommendation_id: Type.String({
    description: 'rec- and 16 hex digits, stable for an (entity, rule) pair',
  }),
  entity_type: Type.Enum(ENTITY_TYPES),
  entity_id: Type.String(),
  recommended_action: Type.Object({
    action_type: Type.Enum(ACTION_TYPES),
    parameters: Type.Record(Type.String(), Type.Unknown()),
  }),
  reason: Type.String(),
  expected_benefit: Type.String(),
  confidence_score: Type.Number(),
  risk_level: Type.Enum(RISK_LEVELS),
  requires_approval: Type.Boolean(),
  benefit_score: Type.Number(),
  urgency_score: Type.Number(),
  priority_score: Type.Number(),
  scope_size: Type.Integer(),
  rule_id: Type.String(),
  explanation: Type.Object({ rule_id: Type.String(), checks: Type.Array(CheckResultSchema) }),
});
export type Recommendation = Static<typeof RecommendationSchema>;

export const EntityRefSchema = Type.Object({ entity_type: Type.String(), entity_id: Type.String() });

export const EntityTraceSchema = Type.Object({
  entity_type: Type.String(),
  entity_id: Type.String(),
  fired: Type.Array(Type.String()),
  not_fired: Type.Array(
    Type.Object({
      rule_id: Type.String(),
      stopped_by: Type.Enum(CHECKS),
      detail: Type.String(),
      observed: Type.Record(Type.String(), Type.Unknown()),
      compared_to: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
  summary: Type.String(),
});
export type EntityTrace = Static<typeof EntityTraceSchema>;

export const EvaluationSchema = Type.Object({
  recommendations: Type.Array(RecommendationSchema),
  entities_without_recommendation: Type.Array(EntityRefSchema),
  explain: Type.Optional(Type.Array(EntityTraceSchema)),
  warnings: Type.Optional(Type.Array(Type.String())),
});
export type Evaluation = Static<typeof EvaluationSchema>;

export const ControlModeSchema = Type.Enum(CONTROL_MODES);
