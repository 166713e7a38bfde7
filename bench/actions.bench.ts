/**
 * Placements through the action path on a 5,000-node synthetic cluster: capacity read from the
 * store, default allocator, reservation re-checked and written in one SQLite transaction.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { currentCapacity, reserve } from '../src/cluster/actions/index.js';
import { allocate, type Requirements } from '../src/cluster/allocator/index.js';
import { LocalBackend, type NodeInfo } from '../src/infra/index.js';
import { SqliteStore } from '../src/store/index.js';
import { percentiles, report, round } from './report.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-bench-actions-'));
const nodes: NodeInfo[] = Array.from({ length: 5000 }, (_, i) => ({
  id: `node-${i}`,
  healthy: i % 20 !== 0,
  gpus: Array.from({ length: 8 }, (_, g) => ({ id: g, memoryMb: 40000 })),
  vcpus: 64,
  memoryMb: 256000,
}));
const store = new SqliteStore(path.join(dir, 'bench.db'));
await store.ensureIndex('block_instances', 'node_id');
await store.ensureIndex('block_instances', 'block_id');
const infra = new LocalBackend({ nodes, dataDir: dir });
const req: Requirements = { gpus: 1, minGpuFreeMemoryMb: 5000, vcpus: 2, memoryMb: 4096 };
const source = { kind: 'policy', policy: 'default' } as const;

const rows = [];
for (const [name, n, rebuild] of [
  ['decide (capacity from store) + reserve', 300, true],
  ['reserve only (placement known)', 2000, false],
] as const) {
  const samples: number[] = [];
  const cap = await currentCapacity(infra, store);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    const capacity = rebuild ? await currentCapacity(infra, store) : cap;
    const placement = allocate(capacity, req);
    const ids = { instanceId: `${name.length}-${i}`, blockId: 'bench' };
    const doc = await reserve(store, capacity.get(placement.node_id)?.node, ids, req, placement, source);
    if (!rebuild)
      cap.reserve({
        instanceId: doc.id,
        blockId: 'bench',
        nodeId: doc.node_id,
        gpus: doc.gpus,
        vcpus: 2,
        memoryMb: 4096,
      });
    samples.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const p = percentiles(samples);
  rows.push({ case: name, p50_ms: round(p.p50, 2), p99_ms: round(p.p99, 2), per_s: Math.round(n / seconds) });
}
report('actions', rows, {
  'reserve only per_s': 'informational (allocator goal >= 1000/s is bench/allocator)',
});
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
