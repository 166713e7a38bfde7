/**
 * Reads a rule pack from YAML text (or an already-parsed object) and keeps the YAML document so
 * validation errors can give the line of the offending key or value.
 */
import { type Document, isMap, isPair, isScalar, LineCounter, parseDocument } from 'yaml';

export type YamlPath = Array<string | number>;

export interface PackSource {
  /** A file name, or where the pack came from (`packs[0]`). */
  name: string;
  /** YAML (or JSON) text; lines are reported for it. */
  text?: string;
  /** An already-parsed pack (an HTTP body's object); no lines. */
  value?: unknown;
}

export interface ReadPack {
  name: string;
  value: unknown;
  /** Line (1-based) of the value at `path`, or of its key when `key` is set; null when unknown. */
  lineOf(path: YamlPath, key?: boolean): number | null;
  /** Syntax errors of the YAML text, with their lines. */
  syntaxErrors: Array<{ line: number | null; message: string }>;
}

function locator(doc: Document, lc: LineCounter) {
  return (path: YamlPath, key = false): number | null => {
    for (let depth = path.length; depth >= 0; depth--) {
      const p = path.slice(0, depth);
      let offset: number | undefined;
      if (key && depth === path.length && depth > 0) {
        const parent = doc.getIn(p.slice(0, -1), true);
        if (isMap(parent)) {
          const pair = parent.items.find(
            (it) => isPair(it) && isScalar(it.key) && it.key.value === p[p.length - 1],
          );
          offset = (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
        }
      } else {
        const node = (depth === 0 ? doc.contents : doc.getIn(p, true)) as {
          range?: [number, number, number];
        } | null;
        offset = node?.range?.[0];
      }
      if (offset !== undefined) return lc.linePos(offset).line;
    }
    return null;
  };
}

export function readPack(source: PackSource): ReadPack {
  if (source.text === undefined)
    return { name: source.name, value: source.value, lineOf: () => null, syntaxErrors: [] };
  const lc = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter: lc, uniqueKeys: true });
  const syntaxErrors = doc.errors.map((e) => ({
    line: e.linePos?.[0]?.line ?? null,
    message: e.message.split('\n')[0]!,
  }));
  return {
    name: source.name,
    value: syntaxErrors.length > 0 ? null : doc.toJS(),
    lineOf: locator(doc, lc),
    syntaxErrors,
  };
}
