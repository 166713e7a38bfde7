import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { serveUntilSignalled, withListenOptions } from '../serve.js';

/**
 * `governor executor`: one Type 2 executor on its own. It opens the configured store, so executors
 * sharing a PostgreSQL store (or a data dir) serve the same registry and can sit behind a load balancer.
 */
export function registerExecutor(program: Command): void {
  withListenOptions(
    program
      .command('executor')
      .description('run a policy executor (Type 2) alone: POST /executor/<id>/execute_policy'),
  )
    .option('--id <executor_id>', 'the executor id this process answers to', 'default')
    .action(async (opts: { port?: number; host?: string; dataDir?: string; id: string }) => {
      const config = loadConfig({ port: opts.port, host: opts.host, dataDir: opts.dataDir });
      const { startServer } = await import('../../server.js');
      const server = await startServer(config, {
        logger: { level: process.env.GOVERNOR_LOG_LEVEL ?? 'info' },
        executorId: opts.id,
      });
      serveUntilSignalled(server, `governor executor ${opts.id}`);
    });
}
