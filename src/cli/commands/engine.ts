import type { Command } from 'commander';
import {
  builtinRules,
  CONTROL_MODES,
  type ControlMode,
  checkPacks,
  compareExpected,
  type Evaluation,
  formatIssue,
  parseExpected,
  readEntitiesFile,
  readPackFile,
  readScenario,
  recommend,
} from '../../engine/index.js';
import { GovernorError } from '../../errors/index.js';
import { type OutputFormat, parseFormat, render } from '../output.js';

const collect = (v: string, acc: string[]) => [...acc, v];

function controlMode(v: string): ControlMode {
  if ((CONTROL_MODES as readonly string[]).includes(v)) return v as ControlMode;
  throw new GovernorError(
    'bad_request',
    `--control-mode must be one of ${CONTROL_MODES.join(', ')} (got '${v}')`,
    {
      field: 'control-mode',
    },
  );
}

/** Tables show one row per recommendation; json and yaml show the whole evaluation. */
function show(out: Evaluation, format: OutputFormat): string {
  if (format !== 'table') return render(out, format);
  const rows = out.recommendations.map((r) => ({
    priority: r.priority_score.toFixed(4),
    entity: r.entity_id,
    action: r.recommended_action.action_type,
    risk: r.risk_level,
    approval: r.requires_approval,
    rule: r.rule_id,
    reason: r.reason,
  }));
  const quiet = out.entities_without_recommendation.map((e) => e.entity_id);
  const lines = [render(rows, 'table')];
  if (quiet.length > 0) lines.push(`\nno recommendation: ${quiet.join(', ')}`);
  for (const t of out.explain ?? []) {
    lines.push(`\n${t.entity_id} (${t.entity_type}): ${t.summary}`);
    for (const n of t.not_fired) lines.push(`  ${n.rule_id}: stopped by ${n.stopped_by}: ${n.detail}`);
  }
  return lines.join('\n');
}

interface RecommendOpts {
  entities: string;
  pack: string[];
  builtins: boolean;
  controlMode: ControlMode;
  explain?: boolean;
  substringLogic?: boolean;
  output: OutputFormat;
}

/** The options every evaluating command shares: which packs, and the control mode. */
function evaluationOptions(cmd: Command): Command {
  return cmd
    .option('--pack <file>', 'a rule or policy pack, layered over the built-ins (repeatable)', collect, [])
    .option('--no-builtins', 'evaluate only the given packs')
    .option(
      '--control-mode <mode>',
      `one of ${CONTROL_MODES.join(', ')}`,
      controlMode,
      'recommend_with_approval',
    );
}

export function registerEngine(program: Command): void {
  const engine = program.command('engine').description('decision engine: OpenAICE rule packs over entities');

  evaluationOptions(
    engine
      .command('recommend')
      .description('evaluate rule packs over entities and print ranked recommendations')
      .requiredOption('--entities <file>', 'entities (.json, .jsonl or .yaml): a list or {entities: [...]}'),
  )
    .option('--explain', 'for every rule that did not fire, say which check stopped it')
    .option('--substring-logic', 'OpenAICE compatibility: bind logic by rule-id substrings (warns per rule)')
    .option('-o, --output <format>', 'json, yaml or table', parseFormat, 'json')
    .action((o: RecommendOpts) => {
      const out = recommend({
        entities: readEntitiesFile(o.entities),
        packs: o.pack.map(readPackFile),
        builtins: o.builtins,
        substringLogic: o.substringLogic,
        control_mode: o.controlMode,
        explain: o.explain,
      });
      for (const w of out.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(`${show(out, o.output)}\n`);
    });

  evaluationOptions(
    engine
      .command('replay')
      .description('replay telemetry (a file, or a scenario directory compared with its expected file)')
      .argument('<target>', 'a telemetry file ({records: [...]} or a list), or a scenario directory'),
  )
    .option('-o, --output <format>', 'json, yaml or table', parseFormat, 'json')
    .action((target: string, o: Omit<RecommendOpts, 'entities' | 'explain'>) => {
      const scenario = readScenario(target);
      const out = recommend({
        records: scenario.records,
        packs: o.pack.map(readPackFile),
        builtins: o.builtins,
        control_mode: o.controlMode,
      });
      for (const w of out.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
      if (scenario.expected === null) {
        process.stdout.write(`${show(out, o.output)}\n`);
        return;
      }
      const cmp = compareExpected(parseExpected(scenario.expected), out.recommendations);
      if (o.output === 'table') {
        process.stdout.write(`${show(out, 'table')}\n\nexpected vs got:\n`);
        for (const m of cmp.matched) process.stdout.write(`  ok       ${m.entity_id} ${m.action_type}\n`);
        for (const m of cmp.missing)
          process.stdout.write(`  MISSING  ${m.entity_id} ${m.action_type} (${m.why})\n`);
        for (const x of cmp.extra)
          process.stdout.write(`  extra    ${x.entity_id} ${x.action_type} (${x.rule_id})\n`);
      } else process.stdout.write(`${render({ ...out, comparison: cmp }, o.output)}\n`);
      if (!cmp.passed) {
        process.stderr.write(`replay: ${cmp.missing.length} expected recommendation(s) missing\n`);
        process.exitCode = 1;
      }
    });

  engine
    .command('validate')
    .description('check rule packs; problems go to stderr with file, line and rule id')
    .argument('<packs...>', 'rule or policy pack files')
    .action((files: string[]) => {
      const { ruleSet, issues } = checkPacks(files.map(readPackFile), { builtins: false });
      for (const i of issues) process.stderr.write(`${formatIssue(i)}\n`);
      if (issues.length > 0) {
        process.stderr.write(`invalid: ${issues.length} problem(s)\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`ok: ${files.length} pack(s), ${ruleSet.rules.length} rule(s)\n`);
    });

  engine
    .command('rules')
    .description('list the built-in rules with their logic in words')
    .option('-o, --output <format>', 'json, yaml or table', parseFormat, 'table')
    .action((o: { output: OutputFormat }) => {
      const builtins = builtinRules();
      const rows = builtins.rules.map((r) => ({
        ...r,
        preconditions: r.preconditions.join('; '),
        required_signals: r.required_signals.join(', '),
        recommended_action: r.recommended_action.action_type,
      }));
      process.stdout.write(`${render(o.output === 'table' ? rows : builtins, o.output)}\n`);
    });
}
