import type { Decision, DecisionSink } from '../policy/index.js';
import type { Appender, DocumentStore, EncodedDoc, Filter } from '../store/index.js';

const DECISIONS = 'policy_decisions';

/**
 * The stored document is the decision with its id as `id`, encoded by splicing the id into the
 * decision's JSON rather than by spreading it into a new object: this runs once per evaluation.
 */
function encodeDecision(decision: Decision): EncodedDoc {
  const id = decision.decision_id;
  return { id, json: `{"id":${JSON.stringify(id)},${JSON.stringify(decision).slice(1)}` };
}

export interface DecisionLogOptions {
  /** Longest a decision waits in memory before it is written. */
  flushMs?: number;
  /** A batch this large is written at once. */
  maxBatch?: number;
  /** Decisions waiting to be written, at most; beyond it new ones are dropped (and counted in `lost`). */
  maxPending?: number;
}

/**
 * The decision log: every evaluation's policy URI and digest, input digest, result or error,
 * duration and caller. `record` never blocks an evaluation: decisions are buffered and written in
 * batches through the store's appender (SQLite: on a thread of its own); `stop()` writes what is left.
 */
export class DecisionLog implements DecisionSink {
  /** Encoded as recorded, so no flush has a batch to encode at once. */
  private buffer: EncodedDoc[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Made on the first write, so a process that never evaluates starts no writer. */
  private appender: Appender | undefined;
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;
  /** Recorded and not yet written or lost. */
  private pending = 0;
  /** Decisions not written (the store failed, or the backlog was full); reported, never retried forever. */
  lost = 0;

  constructor(
    private readonly store: DocumentStore,
    options: DecisionLogOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 200;
    this.maxBatch = options.maxBatch ?? 100;
    this.maxPending = options.maxPending ?? 100_000;
  }

  record(decision: Decision): void {
    // A store slower than the evaluations must not grow the backlog without bound.
    if (this.pending >= this.maxPending) {
      if (this.lost++ % 10_000 === 0)
        process.emitWarning(`decision log: over ${this.maxPending} decisions wait to be written; dropping`);
      return;
    }
    this.pending++;
    this.buffer.push(encodeDecision(decision));
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
      // Chunks bound what one failure loses and how long a store without an append thread is busy.
      for (let i = 0; i < batch.length; i += this.maxBatch) {
        const chunk = batch.slice(i, i + this.maxBatch);
        try {
          this.appender ??= this.store.appender(DECISIONS);
          await this.appender.append(chunk);
        } catch (err) {
          this.lost += chunk.length;
          process.emitWarning(`decision log: ${chunk.length} decisions lost: ${(err as Error).message}`);
        } finally {
          this.pending -= chunk.length;
        }
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

  async stop(): Promise<void> {
    await this.flush();
    await this.appender?.close();
    this.appender = undefined;
  }
}
