import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // isolated-vm needs the flag on Node >= 20; forks keep native addons out of worker threads.
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Policy runtimes and child-process backends fork processes; 2 cores cannot take more.
    maxWorkers: 2,
  },
});
