/** A FIFO async mutex: one holder at a time, across awaits. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async run<R>(fn: () => Promise<R>): Promise<R> {
    let release!: () => void;
    const next = new Promise<void>((r) => {
      release = r;
    });
    const previous = this.tail;
    this.tail = previous.then(() => next);
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
