import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  Capacity,
  dryRun,
  type Requirements,
  requirementsFromBlock,
  reservationFor,
  validatePlacement,
} from '../../src/cluster/allocator/index.js';
import type { NodeInfo } from '../../src/infra/index.js';

const gpu = (id: number, memoryMb = 16000) => ({ id, memoryMb });
const node = (id: string, over: Partial<NodeInfo> = {}): NodeInfo => ({
  id,
  healthy: true,
  gpus: [gpu(0), gpu(1)],
  vcpus: 16,
  memoryMb: 64000,
  ...over,
});
const req = (over: Partial<Requirements> = {}): Requirements => ({
  gpus: 1,
  minGpuFreeMemoryMb: 0,
  vcpus: 0,
  memoryMb: 0,
  ...over,
});
const held = (nodeId: string, gpus: number[], over = {}) => ({
  instanceId: `i-${nodeId}-${gpus.join('')}`,
  blockId: 'other',
  nodeId,
  gpus,
  vcpus: 0,
  memoryMb: 0,
  ...over,
});

describe('allocator', () => {
  it('places an instance on a healthy node with a free GPU', () => {
    const cap = new Capacity([node('a', { healthy: false }), node('b')]);
    expect(allocate(cap, req())).toEqual({ node_id: 'b', gpus: [0] });
  });

  it('skips GPUs another instance holds', () => {
    const cap = new Capacity([node('a')], [held('a', [0])]);
    expect(allocate(cap, req())).toEqual({ node_id: 'a', gpus: [1] });
  });

  it('rejects nodes without enough free GPU memory', () => {
    const cap = new Capacity([node('a', { gpus: [gpu(0, 4000)] }), node('b', { gpus: [gpu(0, 8000)] })]);
    expect(allocate(cap, req({ minGpuFreeMemoryMb: 6000 }))).toEqual({ node_id: 'b', gpus: [0] });
  });

  it('counts measured GPU memory use against free memory', () => {
    const cap = new Capacity([node('a', { gpus: [gpu(0, 16000)] })], [], { a: { 0: 12000 } });
    expect(() => allocate(cap, req({ minGpuFreeMemoryMb: 5000 }))).toThrow(/insufficient GPU memory/);
  });

  it('rejects nodes without enough vCPU or memory', () => {
    const cap = new Capacity([
      node('small-cpu', { vcpus: 2 }),
      node('small-mem', { memoryMb: 1000 }),
      node('fits', { vcpus: 8, memoryMb: 8000 }),
    ]);
    expect(allocate(cap, req({ gpus: 0, vcpus: 4, memoryMb: 4000 })).node_id).toBe('fits');
  });

  it('prefers the node the instance fills most (best fit)', () => {
    const cap = new Capacity(
      [node('big', { gpus: [0, 1, 2, 3, 4, 5, 6, 7].map((i) => gpu(i)) }), node('half-used')],
      [held('half-used', [0])],
    );
    expect(allocate(cap, req())).toEqual({ node_id: 'half-used', gpus: [1] });
  });

  it('gives the GPUs with the least free memory that still fit', () => {
    const cap = new Capacity([node('a', { gpus: [gpu(0, 40000), gpu(1, 8000), gpu(2, 16000)] })]);
    expect(allocate(cap, req({ gpus: 2, minGpuFreeMemoryMb: 6000 })).gpus).toEqual([1, 2]);
  });

  it('says why nothing fits, counting each node once by its first failing reason', () => {
    const nodes = [
      ...Array.from({ length: 7 }, (_, i) => node(`m${i}`, { gpus: [gpu(0, 1000)] })),
      ...Array.from({ length: 5 }, (_, i) => node(`u${i}`, { healthy: false })),
    ];
    try {
      allocate(new Capacity(nodes), req({ minGpuFreeMemoryMb: 5000 }));
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({
        code: 'allocation_failed',
        message: '0/12 nodes available: 7 insufficient GPU memory, 5 unhealthy',
        details: {
          nodes: 12,
          rejections: { insufficient_gpu_memory: 7, unhealthy: 5, insufficient_gpus: 0 },
        },
      });
    }
  });

  it('frees a reservation exactly on release', () => {
    const cap = new Capacity([node('a', { gpus: [gpu(0)] })]);
    const r = reservationFor(allocate(cap, req()), req(), { instanceId: 'i', blockId: 'b' });
    cap.reserve(r);
    expect(() => allocate(cap, req())).toThrow(/insufficient free GPUs/);
    cap.release(r);
    expect(allocate(cap, req())).toEqual({ node_id: 'a', gpus: [0] });
  });

  it('never hands out a GPU twice across any run of placements', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 30 }),
        (gpuCounts, asks) => {
          const cap = new Capacity(
            gpuCounts.map((n, i) => node(`n${i}`, { gpus: Array.from({ length: n }, (_, g) => gpu(g)) })),
          );
          const taken = new Set<string>();
          asks.forEach((gpus, k) => {
            let p: ReturnType<typeof allocate>;
            try {
              p = allocate(cap, req({ gpus }));
            } catch {
              return;
            }
            expect(p.gpus).toHaveLength(gpus);
            for (const g of p.gpus) {
              expect(taken.has(`${p.node_id}/${g}`)).toBe(false);
              taken.add(`${p.node_id}/${g}`);
            }
            cap.reserve(reservationFor(p, req({ gpus }), { instanceId: `i${k}`, blockId: 'b' }));
          });
        },
      ),
    );
  });
});

describe('allocator dry run', () => {
  it('scores the share of instances that would fit, with the first placement', () => {
    const cap = new Capacity([node('a')]);
    expect(dryRun(cap, req(), 4)).toEqual({ score: 0.5, node_info: { node_id: 'a', gpus: [0] } });
  });

  it('scores 0 with no node when nothing fits', () => {
    expect(dryRun(new Capacity([node('a', { healthy: false })]), req(), 2)).toEqual({
      score: 0,
      node_info: null,
    });
  });

  it('leaves capacity as it found it', () => {
    const cap = new Capacity([node('a')]);
    dryRun(cap, req(), 2);
    expect(allocate(cap, req())).toEqual({ node_id: 'a', gpus: [0] });
  });
});

describe('placement validation', () => {
  const cap = () => new Capacity([node('a'), node('sick', { healthy: false })], [held('a', [1])]);
  const policy = { kind: 'policy', policy: 'alloc:v1' } as const;

  it('accepts a free GPU on a healthy node, with string ids read as ints', () => {
    expect(validatePlacement(cap(), req(), { node_id: 'a', gpus: ['0'] }, policy)).toEqual({
      node_id: 'a',
      gpus: [0],
    });
  });

  it.each([
    [{ node_id: 'nope', gpus: [0] }, 'unknown_node'],
    [{ node_id: 'sick', gpus: [0] }, 'unhealthy_node'],
    [{ node_id: 'a', gpus: [7] }, 'unknown_gpu'],
    [{ node_id: 'a', gpus: [1] }, 'gpu_taken'],
    [{ node_id: 'a', gpus: [0, 0] }, 'duplicate_gpu'],
    [{ node_id: 'a', gpus: [] }, 'too_few_gpus'],
  ])('rejects %j as %s', (answer, reason) => {
    expect(() => validatePlacement(cap(), req(), answer, policy)).toThrow(
      expect.objectContaining({ code: 'invalid_placement', details: expect.objectContaining({ reason }) }),
    );
  });

  it('calls a badly shaped policy answer an invalid policy result', () => {
    expect(() => validatePlacement(cap(), req(), { node: 'a' }, policy)).toThrow(
      expect.objectContaining({
        code: 'policy_invalid_result',
        details: expect.objectContaining({ policy: 'alloc:v1' }),
      }),
    );
  });

  it('calls a badly shaped request placement a bad request naming the field', () => {
    const source = { kind: 'request', field: 'allocation_data/0' } as const;
    expect(() => validatePlacement(cap(), req(), { node_id: 'a', gpus: [-1] }, source)).toThrow(
      expect.objectContaining({ code: 'bad_request', details: { field: 'allocation_data/0/gpus/0' } }),
    );
  });
});

describe('block requirements', () => {
  it('reads gpus and min_gpu_free_memory from the resourceAllocator parameters', () => {
    const block = {
      policies: { resourceAllocator: { parameters: { gpus: 2, min_gpu_free_memory: 5000 } } },
      initSettings: { resources: { gpus: 9, vcpus: 4, memory: 2048 } },
    };
    expect(requirementsFromBlock(block)).toEqual({
      gpus: 2,
      minGpuFreeMemoryMb: 5000,
      vcpus: 4,
      memoryMb: 2048,
    });
  });

  it('needs nothing when the block says nothing', () => {
    expect(requirementsFromBlock({})).toEqual({ gpus: 0, minGpuFreeMemoryMb: 0, vcpus: 0, memoryMb: 0 });
  });

  it('names the field of a bad requirement', () => {
    expect(() =>
      requirementsFromBlock({ policies: { resourceAllocator: { parameters: { gpus: -1 } } } }),
    ).toThrow(
      expect.objectContaining({
        code: 'bad_request',
        details: expect.objectContaining({ field: 'policies.resourceAllocator.parameters.gpus' }),
      }),
    );
  });
});
