import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import YAML from 'yaml';
import { badRequest } from '../../errors/index.js';
import { loadPolicy, readPackage, writePackageFiles } from '../../policy/index.js';
import { clientOptions, request } from '../client.js';
import { parseFormat, render } from '../output.js';

interface Remote {
  url?: string;
  token?: string;
  output: string;
}

const enc = encodeURIComponent;

/** `governor policy …`: the registry from the command line, and local evaluation of a package directory. */
export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('policy packages: push, list, get, pull, rm, eval');
  const remote = (cmd: Command) =>
    cmd
      .option('--url <url>', 'Governor URL (env GOVERNOR_URL)')
      .option('--token <token>', 'bearer token (env GOVERNOR_TOKEN)')
      .option('-o, --output <format>', 'json, yaml or table', 'json');
  const print = (value: unknown, opts: Remote, columns?: string[]) =>
    process.stdout.write(`${render(value, parseFormat(opts.output), columns)}\n`);

  remote(policy.command('push <dir>').description('register a package directory as a new policy version'))
    .option('--name <name>', 'policy name (default: policy.yaml, else the directory name)')
    .option('--version <version>', 'version (default: policy.yaml, else 0.0.0)')
    .option('--release-tag <tag>', 'release tag, e.g. stable')
    .action(async (dir: string, opts: Remote & { name?: string; version?: string; releaseTag?: string }) => {
      const pkg = await readPackage(dir, {
        name: opts.name,
        version: opts.version,
        release_tag: opts.releaseTag,
      });
      const files: Record<string, string> = {};
      for (const f of pkg.files) files[f] = await fs.readFile(path.join(pkg.dir, f), 'utf8');
      const m = pkg.manifest;
      const rule = await request(clientOptions(opts), 'POST', '/policy', {
        name: m.name,
        version: m.version,
        release_tag: m.release_tag,
        type: `${m.language}_class_v1`,
        files,
      });
      print(rule, opts);
    });

  remote(policy.command('list').description('list registered policy versions')).action(
    async (opts: Remote) => {
      const rules = await request<Record<string, unknown>[]>(clientOptions(opts), 'GET', '/policy');
      print(
        opts.output === 'table' ? rules.map((r) => ({ ...r, digest: String(r.digest).slice(0, 12) })) : rules,
        opts,
        ['policy_rule_uri', 'language', 'digest', 'description'],
      );
    },
  );

  remote(policy.command('get <uri>').description('show a PolicyRule')).action(
    async (uri: string, opts: Remote) => {
      print(await request(clientOptions(opts), 'GET', `/policy/${enc(uri)}`), opts);
    },
  );

  remote(
    policy.command('pull <uri> <dir>').description("write a policy's package files into a directory"),
  ).action(async (uri: string, dir: string, opts: Remote) => {
    const pkg = await request<{ files: Record<string, string> }>(
      clientOptions(opts),
      'GET',
      `/policy/${enc(uri)}/package`,
    );
    const root = path.resolve(dir);
    await writePackageFiles(root, pkg.files);
    process.stdout.write(`${Object.keys(pkg.files).length} files written to ${root}\n`);
  });

  remote(policy.command('rm <uri>').description('delete a policy version')).action(
    async (uri: string, opts: Remote) => {
      print(await request(clientOptions(opts), 'DELETE', `/policy/${enc(uri)}`), opts);
    },
  );

  policy
    .command('eval <uriOrDir>')
    .description(
      'evaluate once and print the result as JSON (a directory runs here; a URI runs on the executor)',
    )
    .requiredOption('--input <file>', 'input_data, JSON or YAML')
    .option('--parameters <file>', 'parameters, JSON or YAML')
    .option('--settings <file>', 'settings, JSON or YAML (local evaluation only)')
    .option('--executor <id>', 'executor to run a URI on', 'default')
    .option('--url <url>', 'Governor URL (env GOVERNOR_URL)')
    .option('--token <token>', 'bearer token (env GOVERNOR_TOKEN)')
    .action(async (target: string, opts: EvalFlags) => {
      const input = await readData(opts.input, 'input');
      const parameters = opts.parameters ? await readData(opts.parameters, 'parameters') : undefined;
      const local = await fs.stat(target).then(
        () => true,
        () => false,
      );
      let result: unknown;
      if (local) {
        const settings = opts.settings ? await readData(opts.settings, 'settings') : undefined;
        const p = await loadPolicy(target, { settings: asObject(settings, 'settings'), stateful: false });
        try {
          result = await p.eval(input, { parameters: asObject(parameters, 'parameters') });
        } finally {
          await p.close();
        }
      } else {
        result = await request(
          clientOptions(opts),
          'POST',
          `/executor/${enc(opts.executor)}/execute_policy`,
          {
            policy_rule_uri: target,
            input_data: input,
            ...(parameters === undefined ? {} : { parameters }),
          },
        );
      }
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    });
}

interface EvalFlags {
  input: string;
  parameters?: string;
  settings?: string;
  executor: string;
  url?: string;
  token?: string;
}

async function readData(file: string, field: string): Promise<unknown> {
  const text = await fs.readFile(file, 'utf8').catch((err: Error) => {
    throw badRequest(field, `cannot read --${field} ${file}: ${err.message}`);
  });
  try {
    return YAML.parse(text);
  } catch (err) {
    throw badRequest(field, `--${field} ${file} is not JSON or YAML: ${(err as Error).message}`);
  }
}

function asObject(v: unknown, field: string): Record<string, unknown> | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw badRequest(field, `--${field} must hold an object`);
  return v as Record<string, unknown>;
}
