import type { Command } from 'commander';
import { registerCluster } from './cluster.js';
import { registerEngine } from './engine.js';
import { registerExecutor } from './executor.js';
import { registerPolicy } from './policy.js';
import { registerUp } from './up.js';

/** One entry per command group; each registers its subcommands on the program. */
export const commands: Array<(program: Command) => void> = [
  registerUp,
  registerCluster,
  registerPolicy,
  registerExecutor,
  registerEngine,
];
