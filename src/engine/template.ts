/**
 * `reason` and `expected_benefit` templates: Python `str.format` placeholders like the original's
 * (`{entity_id}`, `{{` for a brace), widened to any entity field, `{extra.key}`, `{rule_id}` and
 * `{thresholds.name}`. Placeholders are checked at load, so rendering never fails.
 */
import { ALL_FIELD_NAMES, type Entity } from './entities.js';
import { fieldReader } from './field.js';
import type { Thresholds } from './thresholds.js';

type Part = string | ((e: Entity, ruleId: string, t: Thresholds) => unknown);
export type Template = (e: Entity, ruleId: string, t: Thresholds) => string;

function placeholder(name: string, thresholdNames: ReadonlySet<string>): Part | { error: string } {
  if (name === 'rule_id') return (_e, ruleId) => ruleId;
  if (name.startsWith('thresholds.')) {
    const key = name.slice(11);
    if (!thresholdNames.has(key)) return { error: `placeholder {${name}} names no threshold` };
    return (_e, _r, t) => t[key];
  }
  if (name.startsWith('extra.') && name.length > 6) return fieldReader(name);
  if (ALL_FIELD_NAMES.has(name)) return fieldReader(name);
  return { error: `placeholder {${name}} names no entity field (use {extra.${name}} for an extra key)` };
}

/** Compiles a template, or returns the first placeholder error. */
export function compileTemplate(
  text: string,
  thresholdNames: ReadonlySet<string>,
): Template | { error: string } {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ((c === '{' || c === '}') && text[i + 1] === c) {
      lit += c;
      i++;
    } else if (c === '{') {
      const end = text.indexOf('}', i);
      if (end < 0) return { error: `unclosed '{' in template '${text}'` };
      const p = placeholder(text.slice(i + 1, end).trim(), thresholdNames);
      if (typeof p === 'object') return p;
      parts.push(lit, p);
      lit = '';
      i = end;
    } else if (c === '}') {
      return { error: `single '}' in template '${text}' (write '}}')` };
    } else lit += c;
  }
  parts.push(lit);
  return (e, ruleId, t) => {
    let s = '';
    for (const p of parts) s += typeof p === 'string' ? p : String(p(e, ruleId, t) ?? 'null');
    return s;
  };
}
