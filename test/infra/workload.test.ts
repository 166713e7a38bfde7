import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initWorkloadFromBlock, nodesFromCluster, workloadFromBlock } from '../../src/infra/index.js';
import { localArgv } from '../../src/infra/local/index.js';

describe('block → workload', () => {
  const image = { component: { containerRegistryInfo: { containerImage: 'reg/detector:1' } } };

  it('takes the container image of the component', () => {
    expect(workloadFromBlock(image)).toEqual({ image: 'reg/detector:1' });
  });

  it('lets blockInitData.command, then initSettings.command, override the entrypoint', () => {
    expect(
      workloadFromBlock({ ...image, initSettings: { command: ['b'] }, blockInitData: { command: ['a'] } }),
    ).toEqual({ image: 'reg/detector:1', command: ['a'] });
    expect(workloadFromBlock({ ...image, initSettings: { command: ['b'] } }).command).toEqual(['b']);
  });

  it('names the field when the block has nothing to run', () => {
    expect(() => workloadFromBlock({})).toThrow(
      expect.objectContaining({ details: { field: 'component.containerRegistryInfo.containerImage' } }),
    );
    expect(() => workloadFromBlock({ ...image, blockInitData: { command: 'not-an-array' } })).toThrow(
      expect.objectContaining({ details: { field: 'blockInitData.command' } }),
    );
  });

  it('maps a third-party init container, and nothing when there is none', () => {
    const block = {
      component: { containerRegistryInfo: { initContainer: { containerImage: 'local:sh x' } } },
    };
    expect(initWorkloadFromBlock(block)).toEqual({ image: 'local:sh x' });
    expect(initWorkloadFromBlock(image)).toBeUndefined();
  });
});

describe('local command mapping', () => {
  it('splits a local: image and runs scripts with node, resolving ./ against the base dir', () => {
    expect(localArgv({ image: 'local:./srv.mjs --flag' }, '/base')).toEqual([
      process.execPath,
      path.resolve('/base/srv.mjs'),
      '--flag',
    ]);
    expect(localArgv({ image: 'local:sleep 5' }, '/base')).toEqual(['sleep', '5']);
  });

  it('prefers an explicit command over the image', () => {
    expect(localArgv({ image: 'reg/x:1', command: ['python3', '-V'] }, '/b')).toEqual(['python3', '-V']);
  });

  it('refuses a registry image with nothing local to run', () => {
    expect(() => localArgv({ image: 'reg/x:1' }, '/b')).toThrow(
      expect.objectContaining({
        code: 'instance_start_failed',
        details: expect.objectContaining({ reason: 'image_not_local' }),
      }),
    );
  });
});

describe('logical nodes from a cluster entry', () => {
  it('reads GPUs, vCPUs and memory of nodes.nodeData (MB), GPU ids by position', () => {
    const cluster = {
      nodes: {
        count: 2,
        nodeData: [
          {
            id: 'n1',
            gpus: {
              count: 2,
              memory: 32000,
              gpus: [
                { modelName: 'A', memory: 16000 },
                { modelName: 'A', memory: 16000 },
              ],
            },
            vcpus: { count: 16 },
            memory: 64000,
          },
          { id: 'n2', gpus: { count: 2, memory: 48000 }, vcpus: { count: 4 }, memory: 8000 },
        ],
      },
    };
    expect(nodesFromCluster(cluster)).toEqual([
      {
        id: 'n1',
        healthy: true,
        gpus: [
          { id: 0, memoryMb: 16000, modelName: 'A' },
          { id: 1, memoryMb: 16000, modelName: 'A' },
        ],
        vcpus: 16,
        memoryMb: 64000,
      },
      {
        id: 'n2',
        healthy: true,
        gpus: [
          { id: 0, memoryMb: 24000 },
          { id: 1, memoryMb: 24000 },
        ],
        vcpus: 4,
        memoryMb: 8000,
      },
    ]);
  });

  it('has no nodes when the entry lists none', () => {
    expect(nodesFromCluster({})).toEqual([]);
  });
});
