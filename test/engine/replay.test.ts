import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadConfig } from '../../src/config.js';
import { createControlPlane } from '../../src/control-plane.js';
import {
  BUILTIN_PACK_YAML,
  checkPacks,
  compareExpected,
  loadPacks,
  parseExpected,
  readPackFile,
  readScenario,
  recommend,
  replayRecords,
} from '../../src/engine/index.js';
import { buildApp } from '../../src/http/app.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const SAMPLES = path.join(ROOT, 'examples/openaice');
const SCENARIOS = ['k8s-inference-queue-pressure', 'slurm-node-health-warning'];
const scenarioDir = (s: string) => path.join(SAMPLES, 'telemetry-replay', s);

describe('OpenAICE samples', () => {
  it('embeds the original rules.yaml byte for byte as the built-in pack', () => {
    expect(BUILTIN_PACK_YAML).toBe(fs.readFileSync(path.join(SAMPLES, 'policies/rules.yaml'), 'utf8'));
  });

  it('loads rules.yaml and balanced.yaml unchanged with all seven thresholds', () => {
    const set = loadPacks(
      [
        readPackFile(path.join(SAMPLES, 'policies/rules.yaml')),
        readPackFile(path.join(SAMPLES, 'policies/packs/balanced.yaml')),
      ],
      { builtins: false },
    );
    expect(set.rules.map((r) => r.rule_id)).toHaveLength(5);
    expect(set.thresholds).toEqual({
      target_p95_ms: 200,
      target_p99_ms: 500,
      min_queue_depth_for_scale: 10,
      min_queue_depth_for_batching: 5,
      target_gpu_utilization: 0.55,
      idle_throughput_threshold: 1.0,
      no_action_confidence_threshold: 0.5,
    });
    expect(set.policy_mode).toBe('balanced');
  });

  for (const s of SCENARIOS)
    it(`replays ${s} to its expected recommendations`, () => {
      const sc = readScenario(scenarioDir(s));
      const out = recommend({
        records: sc.records,
        packs: [readPackFile(path.join(SAMPLES, 'policies/packs/balanced.yaml'))],
      });
      const cmp = compareExpected(parseExpected(sc.expected), out.recommendations);
      expect(cmp.missing).toEqual([]);
      expect(cmp.matched).toHaveLength(1);
    });

  it('also quarantines the critical GPU in the Slurm scenario, listed as an extra', () => {
    const sc = readScenario(scenarioDir('slurm-node-health-warning'));
    const cmp = compareExpected(
      parseExpected(sc.expected),
      recommend({ records: sc.records }).recommendations,
    );
    expect(cmp.extra).toEqual([
      {
        entity_id: 'gpu-node17-idx0',
        action_type: 'quarantine_node',
        rule_id: 'hpc_quarantine_unhealthy_node',
      },
    ]);
  });

  it('fails the comparison when an expected recommendation is missing', () => {
    const sc = readScenario(scenarioDir('k8s-inference-queue-pressure'));
    const out = recommend({ records: sc.records, builtins: false });
    expect(compareExpected(parseExpected(sc.expected), out.recommendations).passed).toBe(false);
  });
});

describe('telemetry replay', () => {
  it('merges fragments by entity_id, changing only the fields a fragment carries', () => {
    const { entities } = replayRecords({
      records: [
        {
          source_type: 'kubernetes',
          entity_type: 'service',
          entity_id: 'chat-api',
          observed_at: '2026-03-24T12:00:00',
          queue_depth: 30,
        },
        {
          source_type: 'prometheus',
          entity_type: 'service',
          entity_id: 'chat-api',
          observed_at: '2026-03-24T12:00:05',
          latency_p95_ms: 250,
        },
      ],
    });
    expect(entities).toHaveLength(1);
    const e = entities[0]!;
    expect(e.scheduler_domain).toBe('kubernetes');
    expect(e.source_type).toBe('prometheus');
    expect([e.queue_depth, e.latency_p95_ms]).toEqual([30, 250]);
    expect(e.workload_type).toBe('llm_serving');
  });

  it('skips older fragments, records without ids and unknown entity types, saying why', () => {
    const { entities, skipped } = replayRecords([
      {
        source_type: 'slurm',
        entity_type: 'job',
        entity_id: 'j1',
        observed_at: '2026-03-24T12:00:10',
        runtime_seconds: 10,
      },
      {
        source_type: 'slurm',
        entity_type: 'job',
        entity_id: 'j1',
        observed_at: '2026-03-24T12:00:00',
        runtime_seconds: 5,
      },
      { source_type: 'slurm', entity_type: 'job' },
      { source_type: 'slurm', entity_type: 'pod', entity_id: 'p' },
    ]);
    expect(entities.map((e) => [e.entity_id, e.runtime_seconds, e.workload_type])).toEqual([
      ['j1', 10, 'hpc_research'],
    ]);
    expect(skipped).toHaveLength(3);
  });

  it('classifies by domain only when the workload type is unknown', () => {
    const { entities } = replayRecords([
      { source_type: 'kubernetes', entity_type: 'job', entity_id: 'k' },
      { source_type: 'ray', entity_type: 'job', entity_id: 'r' },
      { source_type: 'dcgm', entity_type: 'gpu', entity_id: 'g' },
      { source_type: 'replay', entity_type: 'service', entity_id: 's', workload_type: 'batch_inference' },
      { source_type: 'replay', entity_type: 'service', entity_id: 'u' },
    ]);
    expect(entities.map((e) => e.workload_type)).toEqual([
      'batch_inference',
      'distributed_training',
      'online_inference',
      'batch_inference',
      'unknown',
    ]);
  });
});

describe('rule-pack validation', () => {
  it('reports the file, line and rule id of every problem', () => {
    const text = [
      'rules:',
      '  - rule_id: ok',
      '    recommended_action: {action_type: scale_replicas}',
      '  - rule_id: broken',
      '    risk_level: extreme',
      '    colour: red',
      '    recommended_action: {action_type: scale_replicas}',
      '  - rule_id: ok',
      '    recommended_action: {action_type: scale_replicas}',
    ].join('\n');
    const { issues } = checkPacks([{ name: 'team.yaml', text }], { builtins: false });
    expect(issues.map((i) => [i.file, i.line, i.rule_id, i.path])).toEqual([
      ['team.yaml', 5, 'broken', 'rules[1].risk_level'],
      ['team.yaml', 6, 'broken', 'rules[1].colour'],
      ['team.yaml', 8, 'ok', 'rules[2].rule_id'],
    ]);
  });

  it('binds logic by rule-id substrings only behind the compatibility switch, warning per rule', () => {
    const text =
      'rules:\n  - rule_id: my_idle_cost_review\n    recommended_action: {action_type: enable_scale_to_zero}\n';
    expect(loadPacks([{ name: 'old.yaml', text }], { builtins: false }).rules[0]?.logic.name).toBe('none');
    const compat = loadPacks([{ name: 'old.yaml', text }], { builtins: false, substringLogic: true });
    expect(compat.rules[0]?.logic.name).toBe('idle');
    expect(compat.warnings[0]).toContain("rule 'my_idle_cost_review' bound to logic 'idle'");
  });

  it('reports YAML syntax errors with their line', () => {
    const { issues } = checkPacks([{ name: 'x.yaml', text: 'rules:\n  - rule_id: [unclosed\n' }], {
      builtins: false,
    });
    expect(issues[0]?.message).toMatch(/^YAML:/);
    expect(issues[0]?.line).not.toBeNull();
  });
});

describe('engine HTTP routes', async () => {
  const app = await buildApp(
    await createControlPlane(loadConfig({ port: 0, token: 'a-very-secret-token-123' }, {})),
  );
  afterAll(() => app.close());
  const records = YAML.parse(
    fs.readFileSync(path.join(scenarioDir(SCENARIOS[0]!), 'inputs/telemetry.yaml'), 'utf8'),
  );

  it('computes recommendations from telemetry records without a token (it changes nothing)', async () => {
    const res = await app.inject({ method: 'POST', url: '/engine/recommendations', payload: { records } });
    expect(res.statusCode).toBe(200);
    expect(res.json().recommendations.map((r: { entity_id: string }) => r.entity_id)).toEqual([
      'inference-api',
    ]);
  });

  it('rejects an unknown body key with a 400 naming it', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/engine/recommendations',
      payload: { entities: [], colour: 1 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('colour');
  });

  it('validates packs, returning each problem with its line', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/engine/validate',
      payload: { packs: ['rules:\n  - rule_id: a\n    recommended_action: {action_type: nope}\n'] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ valid: false, errors: [{ file: 'packs[0]', line: 3, rule_id: 'a' }] });
  });

  it('lists the five built-in rules with their logic in words', async () => {
    const res = await app.inject({ method: 'GET', url: '/engine/rules' });
    expect(res.statusCode).toBe(200);
    expect(res.json().rules).toHaveLength(5);
    expect(res.json().thresholds.min_queue_depth_for_batching).toBe(5);
  });
});
