/**
 * Validates and compiles one rule pack (spec §4 keys and defaults), collecting every problem with
 * its file, line and rule id instead of stopping at the first.
 */
import { ACTION_TYPES, ACTIONS, type ActionType, RISK_LEVELS, type RiskLevel } from './actions.js';
import { fieldReader } from './field.js';
import { BUILTIN_LOGIC, celLogic, type Logic, NAMED_LOGIC, NO_LOGIC, substringLogic } from './logic.js';
import type { ReadPack, YamlPath } from './pack-source.js';
import { type Precondition, parsePrecondition } from './precondition.js';
import { type Rule, SCENARIO_FAMILIES } from './rule.js';
import { compileTemplate, type Template } from './template.js';

export interface PackIssue {
  file: string;
  line: number | null;
  rule_id: string | null;
  /** Where in the pack, e.g. `rules[2].risk_level`. */
  path: string;
  message: string;
}

export interface CompiledFile {
  rules: Rule[];
  thresholds: Record<string, number>;
  /** A file with `rules:` is a rules file; one without is a policy pack, whose thresholds win. */
  isRulesFile: boolean;
  policy_mode: string | null;
  warnings: string[];
}

export interface CompileOptions {
  /** Every threshold name any loaded file (or the defaults) defines: what templates may name. */
  thresholdNames: ReadonlySet<string>;
  /** Bind logic by rule-id substrings like the original, warning for each rule it applies to. */
  substringLogic?: boolean;
}

const TOP_KEYS = new Set(['thresholds', 'rules', 'policy_mode', 'objective_weights', 'guardrails']);
const RULE_KEYS = new Set([
  'rule_id',
  'scenario_family',
  'preconditions',
  'required_signals',
  'recommended_action',
  'risk_level',
  'minimum_confidence',
  'reason',
  'expected_benefit',
  'logic',
]);
const ACTION_KEYS = new Set(['action_type', 'parameters']);
const IDENTIFIER = /^[A-Za-z_][\w.]*$/;

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const pathText = (p: YamlPath) =>
  p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');

export function compileFile(pack: ReadPack, opts: CompileOptions, issues: PackIssue[]): CompiledFile {
  const out: CompiledFile = {
    rules: [],
    thresholds: {},
    isRulesFile: false,
    policy_mode: null,
    warnings: [],
  };
  let ruleId: string | null = null;
  const issue = (path: YamlPath, message: string, key = false) =>
    issues.push({
      file: pack.name,
      line: pack.lineOf(path, key),
      rule_id: ruleId,
      path: pathText(path),
      message,
    });

  for (const e of pack.syntaxErrors)
    issues.push({ file: pack.name, line: e.line, rule_id: null, path: '', message: `YAML: ${e.message}` });
  if (pack.syntaxErrors.length > 0) return out;
  const top = pack.value ?? {};
  if (!isMap(top)) {
    issue([], 'a rule pack must be a map with `rules` and/or `thresholds`');
    return out;
  }
  for (const k of Object.keys(top))
    if (!TOP_KEYS.has(k))
      issue([k], `unknown key '${k}' (expected one of ${[...TOP_KEYS].join(', ')})`, true);
  if (typeof top.policy_mode === 'string') out.policy_mode = top.policy_mode;

  if (top.thresholds !== undefined && top.thresholds !== null) {
    if (!isMap(top.thresholds)) issue(['thresholds'], 'thresholds must be a map of numbers');
    else
      for (const [k, v] of Object.entries(top.thresholds)) {
        if (typeof v === 'number' && Number.isFinite(v)) out.thresholds[k] = v;
        else issue(['thresholds', k], `threshold '${k}' must be a number`);
      }
  }

  if (top.rules === undefined || top.rules === null) return out;
  out.isRulesFile = true;
  if (!Array.isArray(top.rules)) {
    issue(['rules'], 'rules must be a list');
    return out;
  }
  const seen = new Set<string>();
  for (const [i, raw] of top.rules.entries()) {
    ruleId = null;
    const at = (...p: YamlPath): YamlPath => ['rules', i, ...p];
    if (!isMap(raw)) {
      issue(at(), 'a rule must be a map');
      continue;
    }
    if (typeof raw.rule_id === 'string' && raw.rule_id !== '') ruleId = raw.rule_id;
    else {
      issue(at('rule_id'), 'rule_id is required and must be a non-empty string');
      continue;
    }
    const rid = ruleId;
    const before = issues.length;
    if (seen.has(rid)) issue(at('rule_id'), `duplicate rule_id '${rid}'`);
    seen.add(rid);
    for (const k of Object.keys(raw))
      if (!RULE_KEYS.has(k))
        issue(at(k), `unknown key '${k}' in rule (expected one of ${[...RULE_KEYS].join(', ')})`, true);

    const family = raw.scenario_family ?? 'any';
    const workloads =
      typeof family === 'string' && Object.hasOwn(SCENARIO_FAMILIES, family)
        ? SCENARIO_FAMILIES[family]
        : undefined;
    if (workloads === undefined)
      issue(
        at('scenario_family'),
        `unknown scenario_family '${String(family)}' (expected one of ${Object.keys(SCENARIO_FAMILIES).join(', ')})`,
      );

    const preconditions: Precondition[] = [];
    const pre = raw.preconditions ?? [];
    if (!Array.isArray(pre)) issue(at('preconditions'), 'preconditions must be a list of strings');
    else
      for (const [j, p] of pre.entries()) {
        if (typeof p !== 'string') {
          issue(at('preconditions', j), 'a precondition must be a string');
          continue;
        }
        const parsed = parsePrecondition(p);
        if ('error' in parsed) issue(at('preconditions', j), parsed.error);
        else preconditions.push(parsed);
      }

    const signals = raw.required_signals ?? [];
    const required: string[] = [];
    if (!Array.isArray(signals))
      issue(at('required_signals'), 'required_signals must be a list of field names');
    else
      signals.forEach((s, j) => {
        if (typeof s === 'string' && IDENTIFIER.test(s)) required.push(s);
        else issue(at('required_signals', j), `required signal ${JSON.stringify(s)} is not a field name`);
      });

    let actionType: ActionType = 'recommend_no_action';
    let parameters: Record<string, unknown> = {};
    const action = raw.recommended_action;
    if (!isMap(action))
      issue(
        at('recommended_action'),
        'recommended_action is required: a map with action_type and parameters',
      );
    else {
      for (const k of Object.keys(action))
        if (!ACTION_KEYS.has(k))
          issue(at('recommended_action', k), `unknown key '${k}' in recommended_action`, true);
      if (typeof action.action_type === 'string' && Object.hasOwn(ACTIONS, action.action_type))
        actionType = action.action_type as ActionType;
      else
        issue(
          at('recommended_action', 'action_type'),
          `unknown action_type ${JSON.stringify(action.action_type)} (expected one of ${ACTION_TYPES.join(', ')})`,
        );
      if (action.parameters !== undefined && action.parameters !== null) {
        if (isMap(action.parameters)) parameters = action.parameters;
        else issue(at('recommended_action', 'parameters'), 'parameters must be a map');
      }
    }

    const risk = raw.risk_level ?? ACTIONS[actionType].risk;
    if (!RISK_LEVELS.includes(risk as RiskLevel))
      issue(
        at('risk_level'),
        `unknown risk_level ${JSON.stringify(risk)} (expected one of ${RISK_LEVELS.join(', ')})`,
      );

    const minConf = raw.minimum_confidence ?? 0.75;
    if (typeof minConf !== 'number' || !(minConf >= 0 && minConf <= 1))
      issue(
        at('minimum_confidence'),
        `minimum_confidence must be a number in [0, 1], got ${JSON.stringify(minConf)}`,
      );

    const template = (key: 'reason' | 'expected_benefit', fallback: string): [string, Template | null] => {
      const text = raw[key] ?? fallback;
      if (typeof text !== 'string') {
        issue(at(key), `${key} must be a string`);
        return [fallback, null];
      }
      const t = compileTemplate(text, opts.thresholdNames);
      if (typeof t === 'object') {
        issue(at(key), t.error);
        return [text, null];
      }
      return [text, t];
    };
    const [reasonText, reason] = template('reason', 'Rule {rule_id} triggered');
    const [benefitText, benefit] = template('expected_benefit', 'Improved operational state');

    let logic: Logic = NO_LOGIC;
    if (raw.logic !== undefined) {
      if (typeof raw.logic === 'string' && (Object.hasOwn(NAMED_LOGIC, raw.logic) || raw.logic === 'none'))
        logic = NAMED_LOGIC[raw.logic] ?? NO_LOGIC;
      else if (isMap(raw.logic) && typeof raw.logic.cel === 'string' && Object.keys(raw.logic).length === 1) {
        const cel = celLogic(raw.logic.cel);
        if ('error' in cel) issue(at('logic', 'cel'), cel.error);
        else logic = cel;
      } else
        issue(
          at('logic'),
          `logic must name a built-in logic (${[...Object.keys(NAMED_LOGIC), 'none'].join(', ')}) or be {cel: "<expression>"}`,
        );
    } else if (Object.hasOwn(BUILTIN_LOGIC, rid)) logic = NAMED_LOGIC[BUILTIN_LOGIC[rid]!]!;
    else if (opts.substringLogic) {
      const guessed = substringLogic(rid);
      if (guessed) {
        logic = NAMED_LOGIC[guessed]!;
        out.warnings.push(
          `${pack.name}: rule '${rid}' bound to logic '${guessed}' by its id (compatibility mode); add 'logic: ${guessed}'`,
        );
      }
    }

    if (issues.length > before || !reason || !benefit) continue;
    out.rules.push({
      rule_id: rid,
      scenario_family: family as string,
      workloads: workloads === 'all' || workloads === undefined ? null : new Set(workloads),
      preconditions,
      required_signals: required,
      signalReaders: required.map(fieldReader),
      action_type: actionType,
      parameters,
      risk_level: risk as RiskLevel,
      minimum_confidence: minConf as number,
      reason_template: reasonText,
      expected_benefit_template: benefitText,
      reason,
      expected_benefit: benefit,
      logic,
      source: { file: pack.name, line: pack.lineOf(at()) },
    });
  }
  return out;
}
