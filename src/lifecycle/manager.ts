/**
 * One owner for everything that runs: the HTTP server, policy worker pools, reconcile loops.
 * Started in order, stopped in reverse, so workers outlive the requests that use them.
 */
export interface Runnable {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export class Manager {
  private readonly runnables: Runnable[] = [];
  private readonly started: Runnable[] = [];
  private stopping: Promise<void> | undefined;

  add(...runnables: Runnable[]): this {
    this.runnables.push(...runnables);
    return this;
  }

  async start(): Promise<void> {
    for (const r of this.runnables) {
      try {
        await r.start();
      } catch (err) {
        await this.stop();
        throw err;
      }
      this.started.push(r);
    }
  }

  /** Idempotent: a second signal during shutdown waits for the first. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const errors: unknown[] = [];
      for (const r of [...this.started].reverse()) {
        try {
          await r.stop();
        } catch (err) {
          errors.push(err);
        }
      }
      this.started.length = 0;
      if (errors.length > 0) throw new AggregateError(errors, 'some components failed to stop');
    })();
    return this.stopping;
  }
}

/** Wraps start/stop closures as a Runnable. */
export function runnable(name: string, start: () => Promise<void>, stop: () => Promise<void>): Runnable {
  return { name, start, stop };
}
