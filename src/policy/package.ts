import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { badRequest, GovernorError } from '../errors/index.js';
import { normalizeManifest, type PolicyManifest } from './manifest.js';
import { formatPolicyUri } from './uri.js';

/** A policy package on disk: its directory, validated manifest and content digest. */
export interface PolicyPackage {
  dir: string;
  manifest: PolicyManifest;
  /** `name:version[-release_tag]`. */
  uri: string;
  /** sha256 over the sorted file paths and contents: the identity of the code. */
  digest: string;
  /** Relative paths of the package's files, sorted. */
  files: string[];
}

const SKIPPED = new Set(['__pycache__', 'node_modules', '.git', '.venv']);
const MANIFEST_FILES = ['policy.yaml', 'policy.yml'];

/** Lists a directory's files recursively (relative, sorted), skipping caches and VCS folders. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      if (SKIPPED.has(e.name)) continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  await walk('');
  return out.sort();
}

export async function digestFiles(dir: string, files: string[]): Promise<string> {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f);
    h.update('\0');
    h.update(await fs.readFile(path.join(dir, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

/**
 * Reads a package from a directory, or from a single source file (its directory is the package and
 * the file its entry). `overrides` (CLI flags) win over `policy.yaml`.
 */
export async function readPackage(
  location: string,
  overrides: Partial<PolicyManifest> = {},
): Promise<PolicyPackage> {
  const abs = path.resolve(location);
  const stat = await fs.stat(abs).catch(() => undefined);
  if (!stat) throw new GovernorError('policy_not_found', `no policy package at ${abs}`, { path: abs });
  const dir = stat.isDirectory() ? abs : path.dirname(abs);
  const files = await listFiles(dir);
  const raw = await readManifestFile(dir, files);
  const fromFile = stat.isDirectory() ? {} : { entry: path.basename(abs) };
  const manifest = normalizeManifest(
    { ...(raw as object | undefined), ...fromFile, ...definedOnly(overrides) },
    { name: path.basename(dir), files },
  );
  return {
    dir,
    manifest,
    uri: formatPolicyUri({
      name: manifest.name,
      version: manifest.version,
      releaseTag: manifest.release_tag,
    }),
    digest: await digestFiles(dir, files),
    files,
  };
}

async function readManifestFile(dir: string, files: string[]): Promise<unknown> {
  const name = MANIFEST_FILES.find((f) => files.includes(f));
  if (!name) return undefined;
  try {
    return YAML.parse(await fs.readFile(path.join(dir, name), 'utf8')) ?? undefined;
  } catch (err) {
    throw badRequest('policy.yaml', `policy.yaml is not valid YAML: ${(err as Error).message}`);
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Writes base64-encoded package files under `root`, refusing paths that escape it. With `atomic`,
 * files go to a sibling directory renamed into place, so a concurrent reader never sees half a package.
 */
export async function writePackageFiles(
  root: string,
  files: Record<string, string>,
  options: { atomic?: boolean } = {},
): Promise<void> {
  const target = options.atomic ? `${root}.${process.pid}.${Date.now()}.tmp` : root;
  for (const [rel, b64] of Object.entries(files)) {
    const file = path.resolve(target, rel);
    if (!file.startsWith(`${path.resolve(target)}${path.sep}`)) {
      throw badRequest('files', `package file ${rel} would be written outside ${root}`);
    }
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, Buffer.from(b64, 'base64'));
  }
  if (options.atomic) {
    await fs.mkdir(path.dirname(root), { recursive: true });
    // Another process may have won the race with the same content: keep theirs.
    await fs.rename(target, root).catch(() => fs.rm(target, { recursive: true, force: true }));
  }
}

/** What a registry's PolicyRule says of a package: its identity and its current defaults. */
export interface RegisteredRule {
  name: string;
  version: string;
  release_tag?: string;
  language: PolicyManifest['language'];
  entry: string;
  digest: string;
  policy_settings?: Record<string, unknown>;
  policy_parameters?: Record<string, unknown>;
}

/**
 * Reads a registered package unpacked in `dir`: identity from the PolicyRule, and its current
 * settings and parameters as the defaults (they may have changed since the push).
 */
export async function readRegisteredPackage(dir: string, rule: RegisteredRule): Promise<PolicyPackage> {
  const pkg = await readPackage(dir, {
    name: rule.name,
    version: rule.version,
    release_tag: rule.release_tag,
    language: rule.language,
    entry: rule.entry,
  });
  pkg.manifest.settings = rule.policy_settings ?? {};
  pkg.manifest.parameters = rule.policy_parameters ?? {};
  return pkg;
}
