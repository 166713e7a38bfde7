import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ConfigInput, loadConfig } from '../../src/config.js';
import { type ControlPlane, createControlPlane } from '../../src/control-plane.js';
import { type App, buildApp } from '../../src/http/app.js';

export const EXAMPLES = path.join(path.dirname(new URL(import.meta.url).pathname), '../../examples/cluster');
export const example = (name: string) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'));

/** A started control plane and app over a fresh data dir (its own SQLite file); close() stops all of it. */
export async function testApp(
  overrides: ConfigInput = {},
): Promise<{ cp: ControlPlane; app: App; close: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gov-cluster-'));
  const cp = await createControlPlane(
    loadConfig(
      { port: 0, dataDir, clusterConfig: path.join(EXAMPLES, 'laptop-gpu-cluster.yaml'), ...overrides },
      {},
    ),
  );
  await cp.manager.start();
  const app = await buildApp(cp);
  return {
    cp,
    app,
    // The manager stops instances, flushes the decision log and closes python workers and the store.
    close: async () => {
      await app.close();
      await cp.manager.stop();
    },
  };
}
