import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { badRequest } from '../errors/index.js';

export const PolicyLanguage = Type.Union([Type.Literal('python'), Type.Literal('js'), Type.Literal('ts')]);
export type PolicyLanguage = Static<typeof PolicyLanguage>;

/**
 * `policy.yaml` in a package directory. Everything is optional: a directory holding only the
 * original's `function.py` is a valid package, named after the directory.
 */
export const PolicyManifestSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, pattern: '^[^\\s:/]+$' }),
    version: Type.String({ minLength: 1, pattern: '^[^\\s:/-]+$' }),
    release_tag: Type.Optional(Type.String({ minLength: 1, pattern: '^[^\\s:/]+$' })),
    language: PolicyLanguage,
    /** The module to load, relative to the package directory. */
    entry: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    tags: Type.Optional(Type.Array(Type.String())),
    /** Defaults, layered under what the caller passes (shallow merge). */
    settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /** pip requirements; documented, never installed automatically (see docs/policies.md). */
    requirements: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);
export type PolicyManifest = Static<typeof PolicyManifestSchema>;

const DEFAULT_ENTRY: Record<PolicyLanguage, string> = {
  python: 'function.py',
  js: 'index.js',
  ts: 'index.ts',
};

export function languageOfEntry(entry: string): PolicyLanguage | undefined {
  if (entry.endsWith('.py')) return 'python';
  if (/\.(c|m)?ts$/.test(entry)) return 'ts';
  if (/\.(c|m)?js$/.test(entry)) return 'js';
  return undefined;
}

/** What the directory itself tells us when `policy.yaml` is silent. */
export interface ManifestDefaults {
  name: string;
  /** The files present, relative paths. */
  files: string[];
}

/**
 * Fills in what the manifest leaves out and validates the result; a malformed manifest is a 400
 * naming the field. `tags` may be the original's comma-separated string.
 */
export function normalizeManifest(raw: unknown, defaults: ManifestDefaults): PolicyManifest {
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
    throw badRequest('policy.yaml', 'policy.yaml must be a mapping');
  }
  const m: Record<string, unknown> = { ...(raw as Record<string, unknown> | undefined) };
  if (typeof m.tags === 'string') m.tags = splitTags(m.tags);
  if (typeof m.version === 'number') m.version = String(m.version);
  if (typeof m.requirements === 'string') m.requirements = m.requirements.split(/\r?\n/).filter(Boolean);
  m.name ??= defaults.name;
  m.version ??= '0.0.0';
  if (m.entry === undefined) {
    const lang =
      typeof m.language === 'string' && m.language in DEFAULT_ENTRY
        ? (m.language as PolicyLanguage)
        : undefined;
    m.entry = lang
      ? DEFAULT_ENTRY[lang]
      : Object.values(DEFAULT_ENTRY).find((e) => defaults.files.includes(e));
    if (m.entry === undefined) {
      throw badRequest(
        'entry',
        'no entry: add function.py, index.ts or index.js, or set entry in policy.yaml',
      );
    }
  }
  m.language ??= typeof m.entry === 'string' ? languageOfEntry(m.entry) : undefined;
  if (m.requirements === undefined && defaults.files.includes('requirements.txt')) m.requirements = [];
  const first = Value.Errors(PolicyManifestSchema, m)[0];
  if (first) {
    const field = first.instancePath.replace(/^\//, '').replaceAll('/', '.') || fieldOf(first);
    throw badRequest(field, `policy.yaml: ${field || 'manifest'} ${first.message}`, { value: m[field] });
  }
  if (!defaults.files.includes(m.entry as string)) {
    throw badRequest('entry', `entry '${m.entry}' is not a file of the package`);
  }
  return m as PolicyManifest;
}

function fieldOf(error: { params?: unknown }): string {
  const params = error.params as
    | { additionalProperties?: string[]; requiredProperties?: string[] }
    | undefined;
  return params?.additionalProperties?.[0] ?? params?.requiredProperties?.[0] ?? '';
}

export function splitTags(tags: string): string[] {
  return tags
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}
