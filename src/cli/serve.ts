import type { RunningServer } from '../server.js';

/**
 * Announces a started server and stops it cleanly on SIGINT/SIGTERM: in-flight requests finish,
 * workers stop, the process exits 0 (1 if shutdown failed).
 */
export function serveUntilSignalled(server: RunningServer, what = 'governor'): void {
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
  process.stdout.write(`${what} listening on ${server.url}\n`);
}
