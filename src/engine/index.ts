/** The decision engine's public face. Pure logic, except `files.ts` which the CLI uses for I/O. */
export {
  ACTION_TYPES,
  ACTIONS,
  CONTROL_MODES,
  type ControlMode,
  RISK_LEVELS,
  requiresApproval,
} from './actions.js';
export { BUILTIN_PACK_NAME, BUILTIN_PACK_YAML } from './builtin-pack.js';
export { CHECKS, type CheckResult } from './checks.js';
export { builtinRules, entitiesFrom, type RecommendInput, type RuleSummary, recommend } from './engine.js';
export { ENTITY_SCHEMAS, ENTITY_TYPES, type Entity } from './entities.js';
export { type EvaluateOptions, evaluate, recommendationId } from './evaluate.js';
export { readDataFile, readEntitiesFile, readPackFile, readScenario } from './files.js';
export { BUILTIN_LOGIC, NAMED_LOGIC } from './logic.js';
export type { PackIssue } from './pack-loader.js';
export type { PackSource } from './pack-source.js';
export {
  BUILTIN_SOURCE,
  checkPacks,
  formatIssue,
  type LoadOptions,
  loadPacks,
  type RuleSet,
} from './packs.js';
export { parseEntity } from './parse-entity.js';
export type { Rule } from './rule.js';
export { type Comparison, compareExpected, type Expected, parseExpected } from './scenario.js';
export {
  ControlModeSchema,
  type Evaluation,
  EvaluationSchema,
  type Recommendation,
  RecommendationSchema,
} from './schemas.js';
export { replayRecords } from './telemetry.js';
export { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.js';
export { TraceCollector, type TraceEvent, type Tracer } from './tracer.js';
