export { type Decision, type DecisionSink, newDecisionId } from './decision.js';
export { assertJsonResult, type PolicyErrorCode, policyError } from './errors.js';
export { type HttpRegistryOptions, httpRegistry } from './http-registry.js';
export {
  languageOfEntry,
  normalizeManifest,
  type PolicyLanguage,
  type PolicyManifest,
  PolicyManifestSchema,
} from './manifest.js';
export {
  digestFiles,
  listFiles,
  type PolicyPackage,
  type RegisteredRule,
  readPackage,
  readRegisteredPackage,
  writePackageFiles,
} from './package.js';
export type {
  EvalCall,
  InstanceSpec,
  JsonObject,
  LoadedPolicy,
  PolicyInstance,
  PolicyLimits,
  PolicyRuntime,
} from './policy-runtime.js';
export { DEFAULT_LIMITS, PolicyRuntimes, type RuntimeLimits } from './runtimes.js';
export {
  type EvalOptions,
  type LoadPolicyOptions,
  type LocalPolicy,
  loadPolicy,
  type PolicySource,
  recorded,
} from './sdk.js';
export { formatPolicyUri, looksLikePolicyUri, type PolicyUri, parsePolicyUri } from './uri.js';
