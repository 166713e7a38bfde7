import type { Command } from 'commander';
import { registerEngine } from './engine.js';
import { registerUp } from './up.js';

/** One entry per command group; each registers its subcommands on the program. */
export const commands: Array<(program: Command) => void> = [registerUp, registerEngine];
