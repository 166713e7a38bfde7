#!/usr/bin/env -S node --no-node-snapshot
// Runs the TypeScript sources through tsx so `npm ci && npm start` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
