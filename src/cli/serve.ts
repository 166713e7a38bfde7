import type { Command } from 'commander';
import type { RunningServer } from '../server.js';

/**
 * Announces a started server (unless `what` is false: a cluster worker, whose primary
 * announces) and stops it cleanly on SIGINT/SIGTERM: in-flight requests finish, workers stop,
 * the process exits 0 (1 if shutdown failed).
 */
export function serveUntilSignalled(server: RunningServer, what: string | false = 'governor'): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`governor: ${signal} received, shutting down\n`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`governor: shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  // Announced only once the handlers are in place: a supervisor may signal as soon as it reads this line.
  if (what !== false) process.stdout.write(`${what} listening on ${server.url}\n`);
}

/** The listen flags every server command takes: --port, --host, --data-dir. */
export function withListenOptions(cmd: Command): Command {
  return cmd
    .option('--port <n>', 'port to listen on (env GOVERNOR_PORT, default 8080)', (v) =>
      Number.parseInt(v, 10),
    )
    .option('--host <h>', 'address to listen on (env GOVERNOR_HOST, default 127.0.0.1)')
    .option('--data-dir <dir>', 'where state is kept (env GOVERNOR_DATA_DIR, default ./.governor)');
}
