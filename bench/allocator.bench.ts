/**
 * Default allocator: scoring latency over 10,000 logical nodes (target p99 <= 5 ms) and sustained
 * placements per second on a 5,000-node cluster (goal >= 1,000/s).
 */
import {
  allocate,
  Capacity,
  dryRun,
  type Requirements,
  type Reservation,
  reservationFor,
} from '../src/cluster/allocator/index.js';
import type { NodeInfo } from '../src/infra/index.js';
import { percentiles, report, round, timeCalls } from './report.js';

// Deterministic synthetic clusters, so runs compare.
let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};

function cluster(size: number): { nodes: NodeInfo[]; reservations: Reservation[] } {
  const nodes: NodeInfo[] = [];
  const reservations: Reservation[] = [];
  for (let i = 0; i < size; i++) {
    const gpuCount = [0, 2, 4, 8][Math.floor(rand() * 4)]!;
    const memoryMb = [24000, 40000, 80000][Math.floor(rand() * 3)]!;
    const id = `node-${i}`;
    nodes.push({
      id,
      healthy: rand() > 0.05,
      gpus: Array.from({ length: gpuCount }, (_, g) => ({ id: g, memoryMb })),
      vcpus: 64,
      memoryMb: 256000,
    });
    // About a third of the GPUs already held.
    const taken = Array.from({ length: gpuCount }, (_, g) => g).filter(() => rand() < 0.33);
    if (taken.length) {
      reservations.push({
        instanceId: `r-${i}`,
        blockId: 'x',
        nodeId: id,
        gpus: taken,
        vcpus: 8,
        memoryMb: 16000,
      });
    }
  }
  return { nodes, reservations };
}

const req: Requirements = { gpus: 1, minGpuFreeMemoryMb: 5000, vcpus: 2, memoryMb: 4096 };
const rows = [];

{
  const { nodes, reservations } = cluster(10_000);
  const cap = new Capacity(nodes, reservations);
  const us = await timeCalls(2000, () => allocate(cap, req));
  rows.push({
    case: 'score 10,000 nodes (1 GPU)',
    p50_ms: round(us.p50 / 1000, 3),
    p99_ms: round(us.p99 / 1000, 3),
  });
  const us4 = await timeCalls(2000, () => allocate(cap, { ...req, gpus: 4, minGpuFreeMemoryMb: 30000 }));
  rows.push({
    case: 'score 10,000 nodes (4 GPU)',
    p50_ms: round(us4.p50 / 1000, 3),
    p99_ms: round(us4.p99 / 1000, 3),
  });
  const dry = await timeCalls(200, () => dryRun(cap, req, 10), 20);
  rows.push({
    case: 'dry_run x10 over 10,000 nodes',
    p50_ms: round(dry.p50 / 1000, 3),
    p99_ms: round(dry.p99 / 1000, 3),
  });
  const build = await timeCalls(50, () => new Capacity(nodes, reservations), 5);
  rows.push({
    case: 'build capacity, 10,000 nodes',
    p50_ms: round(build.p50 / 1000, 3),
    p99_ms: round(build.p99 / 1000, 3),
  });
}

{
  const { nodes, reservations } = cluster(5_000);
  const cap = new Capacity(nodes, reservations);
  const n = 5000;
  const samples: number[] = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    const p = allocate(cap, req);
    cap.reserve(reservationFor(p, req, { instanceId: `p-${i}`, blockId: 'bench' }));
    samples.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const pct = percentiles(samples);
  rows.push({
    case: 'place+reserve on 5,000 nodes',
    p50_ms: round(pct.p50, 3),
    p99_ms: round(pct.p99, 3),
    per_s: Math.round(n / seconds),
  });
}

report('allocator', rows, {
  'score 10,000 nodes p99_ms': '<= 5',
  'place+reserve on 5,000 nodes per_s': '>= 1000',
});
