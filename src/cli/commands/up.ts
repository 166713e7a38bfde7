import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { serveUntilSignalled, withListenOptions } from '../serve.js';

export function registerUp(program: Command): void {
  withListenOptions(
    program.command('up').description('start the whole control plane in one process on the embedded default'),
  )
    .option(
      '--cluster-config <file>',
      'cluster entry for the first start, YAML or JSON (env GOVERNOR_CLUSTER_CONFIG)',
    )
    .action(async (opts: { port?: number; host?: string; dataDir?: string; clusterConfig?: string }) => {
      const config = loadConfig({
        port: opts.port,
        host: opts.host,
        dataDir: opts.dataDir,
        clusterConfig: opts.clusterConfig,
      });
      // Loaded here so client commands (blocks, nodes, …) do not pay for the whole server at startup.
      const { startServer } = await import('../../server.js');
      const server = await startServer(config, {
        logger: { level: process.env.GOVERNOR_LOG_LEVEL ?? 'info' },
      });
      serveUntilSignalled(server);
    });
}
