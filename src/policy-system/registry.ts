import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { badRequest, GovernorError } from '../errors/index.js';
import {
  type PolicyPackage,
  type PolicySource,
  readPackage,
  readRegisteredPackage,
  writePackageFiles,
} from '../policy/index.js';
import type { DocumentStore, Filter } from '../store/index.js';
import { fetchArchive } from './archive.js';
import type { MongoUpdate, PolicyPackageFiles, PolicyRule, PolicyRuleInput } from './schemas.js';

const RULES = 'policies';
const PACKAGES = 'policy_packages';
/** What `PUT /policy/<uri>` may change; code and identity are immutable per version. */
const MUTABLE = [
  'metadata',
  'tags',
  'description',
  'policy_input_schema',
  'policy_output_schema',
  'policy_settings_schema',
  'policy_parameters_schema',
  'policy_settings',
  'policy_parameters',
  'management_commands_schema',
];
const LANGUAGE_OF_TYPE: Record<string, 'python' | 'js' | 'ts'> = {
  python_class_v1: 'python',
  js_class_v1: 'js',
  ts_class_v1: 'ts',
};

/**
 * The policy registry: PolicyRule documents plus their package files (base64, with a sha256
 * digest) in the document store. It is also the `PolicySource` the SDK and the executor load
 * from: a version's files are written once under `<cacheDir>/<digest>/`.
 */
export class PolicyRegistry implements PolicySource {
  /** Recently read rules, for the executor's hot path; this process's own writes drop them at once. */
  private readonly recent = new Map<string, { rule: PolicyRule; at: number }>();

  constructor(
    private readonly store: DocumentStore,
    private readonly cacheDir: string,
  ) {}

  async create(input: PolicyRuleInput): Promise<PolicyRule> {
    const { dir, dispose } = await this.stage(input);
    try {
      const pkg = await readPackage(dir, {
        name: input.name,
        version: input.version,
        release_tag: input.release_tag,
        language: input.type ? LANGUAGE_OF_TYPE[input.type] : undefined,
      });
      const now = new Date().toISOString();
      const { files: _files, ...fields } = input;
      const rule: PolicyRule = {
        ...fields,
        tags: input.tags ?? pkg.manifest.tags?.join(','),
        description: input.description ?? pkg.manifest.description,
        type: input.type ?? `${pkg.manifest.language}_class_v1`,
        policy_settings: { ...pkg.manifest.settings, ...input.policy_settings },
        policy_parameters: { ...pkg.manifest.parameters, ...input.policy_parameters },
        policy_rule_uri: pkg.uri,
        language: pkg.manifest.language,
        entry: pkg.manifest.entry,
        digest: pkg.digest,
        created_at: now,
        updated_at: now,
      };
      const files: Record<string, string> = {};
      for (const f of pkg.files) files[f] = (await fs.readFile(path.join(dir, f))).toString('base64');
      await this.store.transaction(async (tx) => {
        if (await tx.get(RULES, pkg.uri)) {
          throw new GovernorError('conflict', `${pkg.uri} already exists: code is immutable per version`, {
            policy_rule_uri: pkg.uri,
          });
        }
        await tx.insert(RULES, { id: pkg.uri, ...rule });
        await tx.insert(PACKAGES, { id: pkg.uri, digest: pkg.digest, files });
      });
      return rule;
    } finally {
      await dispose();
    }
  }

  async get(uri: string): Promise<PolicyRule> {
    const doc = await this.store.get(RULES, uri);
    if (!doc) throw new GovernorError('policy_not_found', `no policy ${uri}`, { policy: uri });
    return strip(doc);
  }

  /**
   * `get`, answered from memory when read less than `maxAgeMs` ago. Updates made through another
   * process sharing the store are seen within `maxAgeMs`; this process's own at once.
   */
  async getRecent(uri: string, maxAgeMs: number): Promise<PolicyRule> {
    const now = performance.now();
    const hit = this.recent.get(uri);
    if (hit && now - hit.at < maxAgeMs) return hit.rule;
    const rule = await this.get(uri);
    if (this.recent.size > 10_000) this.recent.clear();
    this.recent.set(uri, { rule, at: now });
    return rule;
  }

  async query(filter: Filter = {}): Promise<PolicyRule[]> {
    const docs = await this.store.find(RULES, filter, { sort: { policy_rule_uri: 1 } });
    return docs.map(strip);
  }

  /** Every registered version of a policy name, oldest first. */
  async versions(name: string): Promise<PolicyRule[]> {
    return (await this.store.find(RULES, { name }, { sort: { created_at: 1 } })).map(strip);
  }

  async update(uri: string, update: MongoUpdate): Promise<PolicyRule> {
    for (const op of Object.keys(update) as Array<keyof MongoUpdate>) {
      for (const field of Object.keys(update[op] ?? {})) {
        const top = field.split('.')[0]!;
        if (!MUTABLE.includes(top)) {
          throw badRequest(
            `${op}.${field}`,
            `${field} cannot be changed: code and identity are immutable per version`,
          );
        }
      }
    }
    const set = { ...update.$set, updated_at: new Date().toISOString() };
    this.recent.delete(uri);
    const doc = await this.store.updateOne(RULES, { id: uri }, { ...update, $set: set });
    if (!doc) throw new GovernorError('policy_not_found', `no policy ${uri}`, { policy: uri });
    return strip(doc);
  }

  async remove(uri: string): Promise<void> {
    this.recent.delete(uri);
    const removed = await this.store.transaction(async (tx) => {
      await tx.delete(PACKAGES, { id: uri });
      return tx.delete(RULES, { id: uri });
    });
    if (removed === 0) throw new GovernorError('policy_not_found', `no policy ${uri}`, { policy: uri });
  }

  async download(uri: string): Promise<PolicyPackageFiles> {
    const doc = await this.store.get<{ id: string; digest: string; files: Record<string, string> }>(
      PACKAGES,
      uri,
    );
    if (!doc) throw new GovernorError('policy_not_found', `no policy ${uri}`, { policy: uri });
    return { policy_rule_uri: uri, digest: doc.digest, files: doc.files };
  }

  /** PolicySource: the package on local disk, its defaults taken from the current PolicyRule. */
  async fetch(uri: string): Promise<PolicyPackage> {
    const rule = await this.get(uri);
    const dir = path.join(this.cacheDir, rule.digest);
    if (!(await exists(dir))) await this.writeCache(uri, dir);
    return readRegisteredPackage(dir, rule);
  }

  private async writeCache(uri: string, dir: string): Promise<void> {
    const { files } = await this.download(uri);
    await writePackageFiles(dir, files, { atomic: true });
  }

  /** Puts the submitted code in a temporary directory: an archive URL, inline files, or function.py source. */
  private async stage(input: PolicyRuleInput): Promise<{ dir: string; dispose: () => Promise<void> }> {
    if (input.code && /^https?:\/\//.test(input.code)) return fetchArchive(input.code);
    if (!input.files && !input.code)
      throw badRequest('code', 'code (an archive URL or source) or files is required');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'governor-push-'));
    const dispose = () => fs.rm(dir, { recursive: true, force: true });
    const files = input.files ?? { 'function.py': input.code! };
    for (const [rel, text] of Object.entries(files)) {
      const file = path.resolve(dir, rel);
      if (!file.startsWith(`${dir}${path.sep}`)) {
        await dispose();
        throw badRequest(`files.${rel}`, 'file paths must stay inside the package');
      }
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, text);
    }
    return { dir, dispose };
  }
}

function strip(doc: Record<string, unknown>): PolicyRule {
  const { id: _id, ...rule } = doc;
  return rule as PolicyRule;
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}
