import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../e2e/helpers.js';

const SCENARIOS = 'examples/openaice/telemetry-replay';

// Each CLI run is a fresh process that loads TypeScript sources: allow for a busy machine.
describe('governor engine (CLI)', { timeout: 120_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-engine-cli-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('replays a sample scenario, prints expected vs got and exits 0', async () => {
    const r = await runCli(['engine', 'replay', `${SCENARIOS}/slurm-node-health-warning`, '-o', 'table']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok       gpu-node-17 quarantine_node');
    expect(r.stdout).toContain('extra    gpu-node17-idx0 quarantine_node');
  });

  it('exits non-zero when an expected recommendation is missing', async () => {
    const pack = path.join(tmp, 'strict.yaml');
    fs.writeFileSync(pack, 'thresholds:\n  target_p95_ms: 1000\n');
    const r = await runCli(['engine', 'replay', `${SCENARIOS}/k8s-inference-queue-pressure`, '--pack', pack]);
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.stdout).comparison.missing[0]).toMatchObject({
      entity_id: 'inference-api',
      action_type: 'scale_replicas',
    });
    expect(r.stderr).toContain('missing');
  });

  it('validates packs: exit 0 for the originals, 1 with file:line and rule id on stderr otherwise', async () => {
    const good = await runCli([
      'engine',
      'validate',
      'examples/openaice/policies/rules.yaml',
      'examples/openaice/policies/packs/balanced.yaml',
    ]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('5 rule(s)');
    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(
      bad,
      'rules:\n  - rule_id: r1\n    recommended_action: {action_type: scale_replicas}\n    risk_level: extreme\n',
    );
    const r = await runCli(['engine', 'validate', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:4: rule 'r1': rules[0].risk_level: unknown risk_level "extreme"`);
  });

  it('lists the built-in rules with their logic in words', async () => {
    const r = await runCli(['engine', 'rules', '-o', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rules.map((x: { rule_id: string }) => x.rule_id)).toContain(
      'enable_scale_to_zero_for_idle_service',
    );
    expect(
      out.rules.find((x: { rule_id: string }) => x.rule_id === 'enable_scale_to_zero_for_idle_service').logic,
    ).toContain('inclusive');
  });
});
