/** The package's public entry: `import { loadPolicy } from 'governor'`. */
export { GovernorError, isGovernorError } from './errors/index.js';
export {
  type Decision,
  type DecisionSink,
  type EvalOptions,
  type HttpRegistryOptions,
  httpRegistry,
  type LoadPolicyOptions,
  type LocalPolicy,
  loadPolicy,
  type PolicyManifest,
  type PolicyPackage,
  PolicyRuntimes,
  type PolicySource,
  parsePolicyUri,
  readPackage,
} from './policy/index.js';
