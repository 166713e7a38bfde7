import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { newDecisionId } from '../../src/policy/index.js';
import { DecisionLog } from '../../src/policy-system/index.js';
import { MemoryStore, SqliteStore } from '../../src/store/index.js';

const decision = (caller: string) => ({
  decision_id: newDecisionId(),
  at: new Date().toISOString(),
  policy_rule_uri: 'p:v1',
  policy_digest: 'd',
  input_digest: 'i',
  result: { allowed: true },
  duration_ms: 0.1,
  caller,
});

describe('decision log', () => {
  it('writes every decision through the SQLite append thread, readable once flushed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gov-decisions-'));
    const store = new SqliteStore(path.join(dir, 'g.db'));
    const log = new DecisionLog(store, { maxBatch: 7 });
    const recorded = Array.from({ length: 50 }, (_, i) => decision(`c${i}`));
    for (const d of recorded) log.record(d);
    expect(await log.get(recorded[42]!.decision_id)).toEqual(recorded[42]);
    expect(await log.query({}, 1000)).toHaveLength(50);
    expect(log.lost).toBe(0);
    await log.stop();
    await store.close();
  });

  it('makes UUIDv7 ids that carry their time, so a later decision sorts after an earlier one', () => {
    vi.useFakeTimers({ now: 1_795_000_000_000 });
    try {
      const first = newDecisionId();
      vi.setSystemTime(1_795_000_000_001);
      const second = newDecisionId();
      expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Number.parseInt(first.replace('-', '').slice(0, 12), 16)).toBe(1_795_000_000_000);
      expect(first < second).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops and counts what exceeds its backlog rather than growing without bound', async () => {
    const store = new MemoryStore();
    const log = new DecisionLog(store, { maxBatch: 100, maxPending: 3 });
    for (let i = 0; i < 5; i++) log.record(decision(`c${i}`));
    expect(log.lost).toBe(2);
    expect((await log.query()).map((d) => d.caller).sort()).toEqual(['c0', 'c1', 'c2']);
    // Once written, the backlog has room again.
    log.record(decision('c5'));
    await log.flush();
    expect(log.lost).toBe(2);
    await log.stop();
  });

  it('counts a batch the store refused as lost, and keeps logging after', async () => {
    const store = new MemoryStore();
    const log = new DecisionLog(store);
    const d = decision('first');
    log.record(d);
    await log.flush();
    log.record(d); // the same id again: the store refuses the batch
    await log.flush();
    expect(log.lost).toBe(1);
    log.record(decision('after'));
    expect((await log.query()).map((x) => x.caller).sort()).toEqual(['after', 'first']);
    await log.stop();
  });
});
