import fs from 'node:fs';
import type { Command } from 'commander';
import YAML from 'yaml';
import { badRequest } from '../../errors/index.js';
import { type ClientOptions, clientOptions, request } from '../client.js';
import { type OutputFormat, parseFormat, render } from '../output.js';

interface Common {
  url?: string;
  token?: string;
  output: OutputFormat;
}

type Row = Record<string, unknown>;

/** Adds the options every command that talks to a running server shares. */
function serverCommand(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'server URL (env GOVERNOR_URL, default http://127.0.0.1:8080)')
    .option('--token <token>', 'bearer token (env GOVERNOR_TOKEN)')
    .option('-o, --output <format>', 'json, yaml or table', parseFormat, 'table' as OutputFormat);
}

function print(value: unknown, format: OutputFormat, toRows: (v: never) => Row[], columns: string[]): void {
  const out = format === 'table' ? render(toRows(value as never), format, columns) : render(value, format);
  process.stdout.write(`${out}\n`);
}

/** YAML is a superset of JSON, so filters and files may be written either way. */
function parseDocument(text: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = YAML.parse(text);
  } catch (err) {
    throw badRequest(what, `${what} is not JSON or YAML: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw badRequest(what, `${what} must be an object`);
  return v as Record<string, unknown>;
}

/** `--sort cluster.reputation:-1,id` or `--sort -cluster.reputation` or a JSON object. */
export function parseSort(spec: string): Record<string, 1 | -1> {
  if (spec.trim().startsWith('{')) return parseDocument(spec, 'sort') as Record<string, 1 | -1>;
  const sort: Record<string, 1 | -1> = {};
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [field, dir] = part.split(':');
    if (dir !== undefined && dir !== '1' && dir !== '-1')
      throw badRequest('sort', `sort direction must be 1 or -1 in '${part}'`);
    if (field!.startsWith('-')) sort[field!.slice(1)] = -1;
    else sort[field!] = dir === '-1' ? -1 : 1;
  }
  return sort;
}

const blockRow = (b: Row): Row => ({
  id: b.id,
  componentUri: b.componentUri,
  cluster: (b.cluster as Row | undefined)?.id,
  minInstances: b.minInstances,
  maxInstances: b.maxInstances,
});
const BLOCK_COLUMNS = ['id', 'componentUri', 'cluster', 'minInstances', 'maxInstances'];

const nodeRows = (c: { nodes: { nodeData: Row[] } }): Row[] =>
  c.nodes.nodeData.map((n) => ({
    node: n.id,
    gpus: (n.gpus as Row).count,
    gpuMemory: (n.gpus as Row).memory,
    vcpus: (n.vcpus as Row).count,
    memory: n.memory,
  }));
const NODE_COLUMNS = ['node', 'gpus', 'gpuMemory', 'vcpus', 'memory'];

async function call(opts: Common, method: string, path: string, body?: unknown): Promise<unknown> {
  const client: ClientOptions = clientOptions(opts);
  return request(client, method, path, body);
}

/** `governor cluster get`, `governor nodes add|rm`, `governor blocks list|get|query`. */
export function registerCluster(program: Command): void {
  const cluster = program.command('cluster').description("this controller's cluster entry");
  serverCommand(cluster.command('get').description('show the cluster entry (table: its nodes)')).action(
    async (opts: Common) => {
      print(await call(opts, 'GET', '/cluster-actions/get-cluster'), opts.output, nodeRows, NODE_COLUMNS);
    },
  );

  const nodes = program.command('nodes').description('add and remove cluster nodes');
  serverCommand(
    nodes.command('add <file>').description('add the node described in a JSON or YAML file'),
  ).action(async (file: string, opts: Common) => {
    const node = parseDocument(fs.readFileSync(file, 'utf8'), file);
    print(await call(opts, 'POST', '/cluster-actions/add-node', node), opts.output, nodeRows, NODE_COLUMNS);
  });
  serverCommand(nodes.command('rm <id>').description('remove a node')).action(
    async (id: string, opts: Common) => {
      const path = `/cluster-actions/remove-node/${encodeURIComponent(id)}`;
      print(await call(opts, 'DELETE', path), opts.output, nodeRows, NODE_COLUMNS);
    },
  );

  const blocks = program.command('blocks').description("query the cluster's blocks");
  serverCommand(blocks.command('list').description('list all blocks')).action(async (opts: Common) => {
    print(await call(opts, 'GET', '/blocks'), opts.output, (b: Row[]) => b.map(blockRow), BLOCK_COLUMNS);
  });
  serverCommand(blocks.command('get <id>').description('show one block')).action(
    async (id: string, opts: Common) => {
      const block = await call(opts, 'GET', `/blocks/${encodeURIComponent(id)}`);
      print(block, opts.output, (b: Row) => [blockRow(b)], BLOCK_COLUMNS);
    },
  );
  serverCommand(
    blocks
      .command('query <filter>')
      .description('MongoDB filter as JSON or YAML, e.g. \'{"cluster.reputation": {"$gt": 90}}\'')
      .option('--sort <spec>', 'e.g. cluster.reputation:-1,id or a JSON object')
      .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10))
      .option('--skip <n>', 'skip this many', (v) => Number.parseInt(v, 10)),
  ).action(async (filter: string, opts: Common & { sort?: string; limit?: number; skip?: number }) => {
    const options = {
      ...(opts.sort ? { sort: parseSort(opts.sort) } : {}),
      ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
      ...(opts.skip !== undefined ? { skip: opts.skip } : {}),
    };
    const result = await call(opts, 'POST', '/blocks/query', {
      query: parseDocument(filter, 'filter'),
      options,
    });
    print(result, opts.output, (b: Row[]) => b.map(blockRow), BLOCK_COLUMNS);
  });
}
