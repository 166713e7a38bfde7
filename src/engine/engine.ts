/** The engine's one entry point for the faces: entities or raw records in, ranked recommendations out. */
import { GovernorError } from '../errors/index.js';
import type { ControlMode } from './actions.js';
import type { Entity } from './entities.js';
import { evaluate } from './evaluate.js';
import type { PackSource } from './pack-source.js';
import { loadPacks } from './packs.js';
import { parseEntities } from './parse-entity.js';
import type { Evaluation } from './schemas.js';
import { replayRecords } from './telemetry.js';

export interface RecommendInput {
  /** Canonical entities (validated here). */
  entities?: unknown;
  /** Raw telemetry records, normalized, merged and classified first. */
  records?: unknown;
  packs?: PackSource[];
  builtins?: boolean;
  substringLogic?: boolean;
  control_mode?: ControlMode;
  explain?: boolean;
}

/** Canonical entities from a list, rejecting a second entity with the same id. */
export function entitiesFrom(raw: unknown): Entity[] {
  const entities = parseEntities(raw);
  const seen = new Set<string>();
  entities.forEach((e, i) => {
    if (seen.has(e.entity_id))
      throw new GovernorError(
        'invalid_entity',
        `entities[${i}].entity_id: duplicate entity_id '${e.entity_id}'`,
        {
          field: `entities[${i}].entity_id`,
        },
      );
    seen.add(e.entity_id);
  });
  return entities;
}

export function recommend(input: RecommendInput): Evaluation {
  const ruleSet = loadPacks(input.packs ?? [], {
    builtins: input.builtins,
    substringLogic: input.substringLogic,
  });
  let entities: Entity[];
  let skipped: string[] = [];
  if (input.entities !== undefined && input.records !== undefined)
    throw new GovernorError('bad_request', 'give either entities or records, not both', { field: 'records' });
  if (input.records !== undefined) ({ entities, skipped } = replayRecords(input.records));
  else if (input.entities !== undefined) entities = entitiesFrom(input.entities);
  else throw new GovernorError('bad_request', 'entities or records is required', { field: 'entities' });
  const out = evaluate(ruleSet, entities, { control_mode: input.control_mode, explain: input.explain });
  if (skipped.length > 0) out.warnings = [...(out.warnings ?? []), ...skipped];
  return out;
}

export interface RuleSummary {
  rule_id: string;
  scenario_family: string;
  preconditions: string[];
  required_signals: string[];
  recommended_action: { action_type: string; parameters: Record<string, unknown> };
  risk_level: string;
  minimum_confidence: number;
  logic: string;
}

/** The built-in rules with their logic in words, and the thresholds they use by default. */
export function builtinRules(): { rules: RuleSummary[]; thresholds: Record<string, number> } {
  const { rules, thresholds } = loadPacks([], { builtins: true });
  return {
    rules: rules.map((r) => ({
      rule_id: r.rule_id,
      scenario_family: r.scenario_family,
      preconditions: r.preconditions.map((p) => p.text),
      required_signals: r.required_signals,
      recommended_action: { action_type: r.action_type, parameters: r.parameters },
      risk_level: r.risk_level,
      minimum_confidence: r.minimum_confidence,
      logic: r.logic.words,
    })),
    thresholds,
  };
}
