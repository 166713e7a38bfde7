import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createControlPlane } from '../../src/control-plane.js';
import { type ControlMode, recommend } from '../../src/engine/index.js';
import { isGovernorError } from '../../src/errors/index.js';
import { buildApp } from '../../src/http/app.js';
import { runCli } from '../e2e/helpers.js';
import { assertOutcome, type EngineCase, loadCases, type Outcome, packTexts } from './cases.js';

const cases = loadCases();

function viaLibrary(c: EngineCase): Outcome {
  try {
    const out = recommend({
      entities: c.entities,
      packs: packTexts(c).map((text, i) => ({ name: `packs[${i}]`, text })),
      builtins: c.builtins,
      control_mode: c.control_mode as ControlMode | undefined,
      explain: true,
    });
    return { ok: true, out };
  } catch (err) {
    if (!isGovernorError(err)) throw err;
    return { ok: false, code: err.code, field: err.details.field as string, message: err.message };
  }
}

describe('engine golden cases through the library', () => {
  for (const c of cases) it(`${c.file}: ${c.name}`, () => assertOutcome(c, viaLibrary(c), 'library'));
});

describe('engine golden cases through HTTP', async () => {
  const app = await buildApp(await createControlPlane(loadConfig({ port: 0 }, {})));
  afterAll(() => app.close());
  for (const c of cases)
    it(`${c.file}: ${c.name}`, async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/engine/recommendations',
        payload: {
          entities: c.entities,
          packs: packTexts(c),
          builtins: c.builtins,
          control_mode: c.control_mode,
          explain: true,
        },
      });
      const body = res.json();
      const got: Outcome =
        res.statusCode === 200
          ? { ok: true, out: body }
          : {
              ok: false,
              code: body.error.code,
              field: body.error.details.field,
              message: body.error.message,
            };
      if (!got.ok && res.statusCode !== 400) throw new Error(`status ${res.statusCode}: ${res.body}`);
      assertOutcome(c, got, 'http');
    });
});

async function viaCli(c: EngineCase, dir: string): Promise<Outcome> {
  const entities = path.join(dir, 'entities.json');
  fs.writeFileSync(entities, JSON.stringify(c.entities));
  const args = ['engine', 'recommend', '--entities', entities, '--explain', '-o', 'json'];
  packTexts(c).forEach((text, i) => {
    const f = path.join(dir, `pack-${i}.yaml`);
    fs.writeFileSync(f, text);
    args.push('--pack', f);
  });
  if (c.builtins === false) args.push('--no-builtins');
  if (c.control_mode) args.push('--control-mode', c.control_mode);
  const r = await runCli(args);
  if (r.code === 0) return { ok: true, out: JSON.parse(r.stdout) };
  const m = /^error: (\w+): /.exec(r.stderr);
  return { ok: false, code: m?.[1] ?? `exit ${r.code}`, message: r.stderr };
}

describe('engine golden cases through the CLI', () => {
  const cliCases = cases.filter((c) => c.cli);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-engine-cli-'));
  const outcomes = new Map<EngineCase, Outcome>();
  beforeAll(async () => {
    // Each case is its own process; run a few at once so the suite stays quick.
    const queue = [...cliCases.entries()];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [i, c] = next;
        const dir = path.join(tmp, String(i));
        fs.mkdirSync(dir);
        outcomes.set(c, await viaCli(c, dir));
      }
    };
    await Promise.all([worker(), worker()]);
  }, 300_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  for (const c of cliCases) it(`${c.file}: ${c.name}`, () => assertOutcome(c, outcomes.get(c)!, 'cli'));
});
