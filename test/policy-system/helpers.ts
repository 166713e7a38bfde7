import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { type ControlPlane, createControlPlane } from '../../src/control-plane.js';
import { type App, buildApp } from '../../src/http/app.js';

export interface TestServer {
  app: App;
  cp: ControlPlane;
  close(): Promise<void>;
}

/** A control plane on its own temporary data dir (own SQLite file), with the HTTP app for inject(). */
export async function testServer(
  limits: { policyTimeoutMs?: number; pythonMemoryMb?: number } = {},
  executorId?: string,
): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-policy-system-'));
  const cp = await createControlPlane(loadConfig({ port: 0, dataDir, limits }, {}), { executorId });
  await cp.manager.start();
  const app = await buildApp(cp);
  return {
    app,
    cp,
    close: async () => {
      await app.close();
      await cp.manager.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The files of a directory as `{path: text}`, the inline form of `POST /policy`. */
export function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!f.isFile()) continue;
    const abs = path.join(f.parentPath, f.name);
    out[path.relative(dir, abs)] = fs.readFileSync(abs, 'utf8');
  }
  return out;
}

export const enc = encodeURIComponent;
