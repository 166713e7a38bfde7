#!/usr/bin/env -S node --no-node-snapshot
// In a checkout the TypeScript sources run through tsx, so `npm ci && npm start` needs no build
// step and always runs what is in src/; an installed package has no src/ and runs its build.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
} else {
  await import('../dist/cli/main.js');
}
