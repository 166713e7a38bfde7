import path from 'node:path';
import type { PolicyRuntimes } from '../policy/index.js';
import type { DocumentStore } from '../store/index.js';
import { DecisionLog, type DecisionLogOptions } from './decision-log.js';
import { PolicyExecutor } from './executor.js';
import { ExecutorRegistry } from './executors.js';
import { PolicyRegistry } from './registry.js';

export { DecisionLog, type DecisionLogOptions } from './decision-log.js';
export { type Execution, PolicyExecutor } from './executor.js';
export { ExecutorRegistry } from './executors.js';
export { PolicyRegistry } from './registry.js';
export * from './schemas.js';

/** The policy system of one process: registry, executor documents, the Type 2 executor and the decision log. */
export interface PolicySystem {
  registry: PolicyRegistry;
  executors: ExecutorRegistry;
  executor: PolicyExecutor;
  decisions: DecisionLog;
}

export interface PolicySystemOptions {
  /** Unpacked packages are cached under `<dataDir>/policies/<digest>/`. */
  dataDir: string;
  /** The id this process answers to as a Type 2 executor; `default` for the embedded server. */
  executorId?: string;
  decisionLog?: DecisionLogOptions;
}

export function createPolicySystem(
  store: DocumentStore,
  runtimes: PolicyRuntimes,
  options: PolicySystemOptions,
): PolicySystem {
  const registry = new PolicyRegistry(store, path.join(options.dataDir, 'policies'));
  const executors = new ExecutorRegistry(store, options.executorId ?? 'default');
  const decisions = new DecisionLog(store, options.decisionLog);
  const executor = new PolicyExecutor(registry, executors, runtimes, decisions);
  return { registry, executors, executor, decisions };
}
