/**
 * Layering: the built-in pack, then user packs in order, later rules replacing earlier ones with the
 * same rule_id. Thresholds: defaults, then every rules file's, then every policy pack's (a pack
 * wins over a rules file, as in the original where the pack is loaded after the rules).
 */
import { GovernorError } from '../errors/index.js';
import { BUILTIN_PACK_NAME, BUILTIN_PACK_YAML } from './builtin-pack.js';
import { type CompiledFile, compileFile, type PackIssue } from './pack-loader.js';
import { type PackSource, readPack } from './pack-source.js';
import type { Rule } from './rule.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.js';

export interface RuleSet {
  rules: Rule[];
  thresholds: Thresholds;
  policy_mode: string | null;
  warnings: string[];
}

export interface LoadOptions {
  /** Layer the built-in pack under the given ones (default true). */
  builtins?: boolean;
  /** OpenAICE compatibility: bind logic by rule-id substrings, with a warning per rule. */
  substringLogic?: boolean;
}

export const BUILTIN_SOURCE: PackSource = { name: BUILTIN_PACK_NAME, text: BUILTIN_PACK_YAML };

/** Compiles the packs, returning every problem found instead of throwing. */
export function checkPacks(
  sources: PackSource[],
  opts: LoadOptions = {},
): { ruleSet: RuleSet; issues: PackIssue[] } {
  const all = opts.builtins === false ? sources : [BUILTIN_SOURCE, ...sources];
  const read = all.map(readPack);
  const thresholdNames = new Set<string>(Object.keys(DEFAULT_THRESHOLDS));
  for (const r of read) {
    const t = (r.value as { thresholds?: unknown } | null)?.thresholds;
    if (t && typeof t === 'object') for (const k of Object.keys(t)) thresholdNames.add(k);
  }
  const issues: PackIssue[] = [];
  const files: CompiledFile[] = read.map((r) =>
    compileFile(r, { thresholdNames, substringLogic: opts.substringLogic }, issues),
  );
  // Report problems in reading order: by file, then by line.
  const order = new Map(read.map((r, i) => [r.name, i]));
  issues.sort(
    (a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || (a.line ?? 1e9) - (b.line ?? 1e9),
  );
  const byId = new Map<string, Rule>();
  for (const f of files) for (const rule of f.rules) byId.set(rule.rule_id, rule);
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS };
  for (const f of files) if (f.isRulesFile) Object.assign(thresholds, f.thresholds);
  for (const f of files) if (!f.isRulesFile) Object.assign(thresholds, f.thresholds);
  const policyMode = files.reduce<string | null>((m, f) => f.policy_mode ?? m, null);
  return {
    ruleSet: {
      rules: [...byId.values()],
      thresholds,
      policy_mode: policyMode,
      warnings: files.flatMap((f) => f.warnings),
    },
    issues,
  };
}

/** One line per problem: `file:line: rule 'id': path: message`. */
export function formatIssue(i: PackIssue): string {
  const where = i.line === null ? i.file : `${i.file}:${i.line}`;
  const rule = i.rule_id ? ` rule '${i.rule_id}':` : '';
  const path = i.path ? ` ${i.path}:` : '';
  return `${where}:${rule}${path} ${i.message}`;
}

/** Compiles the packs or throws `invalid_rule_pack` listing every problem. */
export function loadPacks(sources: PackSource[], opts: LoadOptions = {}): RuleSet {
  const { ruleSet, issues } = checkPacks(sources, opts);
  if (issues.length > 0)
    throw new GovernorError('invalid_rule_pack', issues.map(formatIssue).join('\n'), {
      field: issues[0]!.path ? `${issues[0]!.file}.${issues[0]!.path}` : issues[0]!.file,
      errors: issues,
    });
  return ruleSet;
}
