import { badRequest } from '../../errors/index.js';
import type { Requirements } from './types.js';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Requirement key → where it is read from (`parameters` of the policy, or `initSettings.resources`). */
const KEYS: Record<keyof Requirements, string> = {
  gpus: 'gpus',
  minGpuFreeMemoryMb: 'min_gpu_free_memory',
  vcpus: 'vcpus',
  memoryMb: 'memory',
};

/**
 * What one instance of the block needs (docs/allocator.md): each key is read from the block's
 * `policies.resourceAllocator.parameters` (spec §3.7: `{gpus, min_gpu_free_memory}`), falling
 * back to `initSettings.resources`; a key found in neither is 0.
 */
export function requirementsFromBlock(block: Obj): Requirements {
  const sources: [string, Obj][] = [
    [
      'policies.resourceAllocator.parameters',
      asObj(asObj(asObj(block.policies).resourceAllocator).parameters),
    ],
    ['initSettings.resources', asObj(asObj(block.initSettings).resources)],
  ];
  const out = { gpus: 0, minGpuFreeMemoryMb: 0, vcpus: 0, memoryMb: 0 };
  for (const [key, wire] of Object.entries(KEYS) as [keyof Requirements, string][]) {
    const found = sources.find(([, o]) => o[wire] !== undefined);
    if (!found) continue;
    const value = found[1][wire];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw badRequest(`${found[0]}.${wire}`, `${found[0]}.${wire} must be a non-negative number`, { value });
    }
    out[key] = key === 'gpus' ? Math.ceil(value) : value;
  }
  return out;
}
