import { Command } from 'commander';
import { isGovernorError } from '../errors/index.js';
import { commands } from './commands/index.js';

const program = new Command();
program
  .name('governor')
  .description('Governor: policy-driven control plane for AI clusters')
  .version('0.1.0')
  // Program options only before the subcommand, so `policy push --version v1` means the policy's version.
  .enablePositionalOptions();
for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (isGovernorError(err)) {
    process.stderr.write(`error: ${err.code}: ${err.message}\n`);
    if (Object.keys(err.details).length > 0)
      process.stderr.write(`${JSON.stringify(err.details, null, 2)}\n`);
  } else {
    process.stderr.write(`error: ${(err as Error).message}\n`);
  }
  process.exit(1);
}
