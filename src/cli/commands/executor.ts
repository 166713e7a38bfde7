import cluster from 'node:cluster';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { serveUntilSignalled, withListenOptions } from '../serve.js';
import { parseWorkers, superviseWorkers } from '../workers.js';

/**
 * `governor executor`: one Type 2 executor on its own, serving the policy registry, the executor
 * API and the decision log (no cluster controller: its instances must live in one process). It
 * opens the configured store, so executors sharing a PostgreSQL store (or a data dir) serve the
 * same registry and can sit behind a load balancer; `--workers` runs several on one port.
 */
export function registerExecutor(program: Command): void {
  withListenOptions(
    program
      .command('executor')
      .description('run a policy executor (Type 2) alone: POST /executor/<id>/execute_policy'),
  )
    .option('--id <executor_id>', 'the executor id this process answers to', 'default')
    .option('--workers <n>', 'processes sharing the port, or "auto" for one per core', parseWorkers, 1)
    .action(async (opts: { port?: number; host?: string; dataDir?: string; id: string; workers: number }) => {
      const config = loadConfig({ port: opts.port, host: opts.host, dataDir: opts.dataDir });
      const what = `governor executor ${opts.id}`;
      if (opts.workers > 1 && cluster.isPrimary) {
        superviseWorkers(opts.workers, what);
        return;
      }
      const { startServer } = await import('../../server.js');
      const { policySystemRoutes } = await import('../../http/routes/index.js');
      const server = await startServer(config, {
        logger: { level: process.env.GOVERNOR_LOG_LEVEL ?? 'info' },
        executorId: opts.id,
        routes: policySystemRoutes,
      });
      // A worker's primary announces the shared URL once all of them listen.
      serveUntilSignalled(server, cluster.isWorker ? false : what);
    });
}
