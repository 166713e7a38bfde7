import { badRequest } from '../errors/index.js';
import type { WorkloadSpec } from './infra-backend.js';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

function commandAt(source: Obj, field: string): string[] | undefined {
  const c = source.command;
  if (c === undefined) return undefined;
  if (!Array.isArray(c) || c.length === 0 || !c.every((x) => typeof x === 'string')) {
    throw badRequest(`${field}.command`, `${field}.command must be a non-empty array of strings`);
  }
  return c as string[];
}

/**
 * Maps a block entry (spec §3.7) to what a backend runs: the image is
 * `component.containerRegistryInfo.containerImage`; an explicit `command` array in
 * `blockInitData` (first) or `initSettings` overrides the image's entrypoint.
 */
export function workloadFromBlock(block: Obj): WorkloadSpec {
  const registry = asObj(asObj(block.component).containerRegistryInfo);
  const image = typeof registry.containerImage === 'string' ? registry.containerImage : '';
  const command =
    commandAt(asObj(block.blockInitData), 'blockInitData') ??
    commandAt(asObj(block.initSettings), 'initSettings');
  if (!image && !command) {
    throw badRequest(
      'component.containerRegistryInfo.containerImage',
      'the block names neither a container image nor a command',
    );
  }
  return command ? { image, command } : { image };
}

/** The init container of a third-party block (spec §6), or undefined when it has none. */
export function initWorkloadFromBlock(block: Obj): WorkloadSpec | undefined {
  const init = asObj(asObj(asObj(block.component).containerRegistryInfo).initContainer);
  if (typeof init.containerImage !== 'string' || init.containerImage === '') return undefined;
  const command = commandAt(init, 'component.containerRegistryInfo.initContainer');
  return command ? { image: init.containerImage, command } : { image: init.containerImage };
}
