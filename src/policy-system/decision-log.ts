import type { Decision, DecisionSink } from '../policy/index.js';
import type { DocumentStore, Filter } from '../store/index.js';

const DECISIONS = 'policy_decisions';

export interface DecisionLogOptions {
  /** Longest a decision waits in memory before it is written. */
  flushMs?: number;
  /** A batch this large is written at once. */
  maxBatch?: number;
}

/**
 * The decision log: every evaluation's policy URI and digest, input digest, result or error,
 * duration and caller. `record` never blocks an evaluation: decisions are buffered and written in
 * batches, one transaction per batch; `stop()` writes what is left.
 */
export class DecisionLog implements DecisionSink {
  private buffer: Decision[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly flushMs: number;
  private readonly maxBatch: number;
  /** Decisions that could not be written (the store failed); reported, never retried forever. */
  lost = 0;

  constructor(
    private readonly store: DocumentStore,
    options: DecisionLogOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 200;
    this.maxBatch = options.maxBatch ?? 500;
  }

  record(decision: Decision): void {
    this.buffer.push(decision);
    if (this.buffer.length >= this.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /** Writes everything recorded so far; resolves when it is in the store. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.store.transaction(async (tx) => {
          for (const d of batch) await tx.insert(DECISIONS, { id: d.decision_id, ...d });
        });
      } catch (err) {
        this.lost += batch.length;
        process.emitWarning(`decision log: ${batch.length} decisions lost: ${(err as Error).message}`);
      }
    });
    return this.flushing;
  }

  async get(decisionId: string): Promise<Decision | undefined> {
    await this.flush();
    const doc = await this.store.get(DECISIONS, decisionId);
    if (!doc) return undefined;
    const { id: _id, ...decision } = doc;
    return decision as unknown as Decision;
  }

  async query(filter: Filter = {}, limit = 100): Promise<Decision[]> {
    await this.flush();
    const docs = await this.store.find(DECISIONS, filter, { sort: { at: -1 }, limit });
    return docs.map(({ id: _id, ...d }) => d as unknown as Decision);
  }

  stop(): Promise<void> {
    return this.flush();
  }
}
