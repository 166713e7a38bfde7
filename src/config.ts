import path from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { GovernorError } from './errors/index.js';

/** The one typed configuration of a Governor process, from flags, then env, then defaults. */
export const ConfigSchema = Type.Object({
  host: Type.String({ default: '127.0.0.1' }),
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  dataDir: Type.String({ default: '.governor' }),
  /** Bearer token for mutating routes; required when `host` is not a loopback address. */
  token: Type.Optional(Type.String({ minLength: 16 })),
  /** YAML or JSON file with the cluster entry written on first start (env GOVERNOR_CLUSTER_CONFIG). */
  clusterConfig: Type.Optional(Type.String()),
  store: Type.Object({
    kind: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')], { default: 'sqlite' }),
    /** PostgreSQL connection string when kind is postgres. */
    url: Type.Optional(Type.String()),
  }),
  limits: Type.Object({
    policyTimeoutMs: Type.Integer({ minimum: 1, default: 2000 }),
    pythonMemoryMb: Type.Integer({ minimum: 16, default: 256 }),
    jsMemoryMb: Type.Integer({ minimum: 8, default: 64 }),
    pythonWorkers: Type.Integer({ minimum: 1, default: 2 }),
    bodyLimitBytes: Type.Integer({ minimum: 1024, default: 16 * 1024 * 1024 }),
    /** Deadline of a block's init-container job (spec §6 gives none): a stuck install fails create_block. */
    initJobTimeoutMs: Type.Integer({ minimum: 1, default: 10 * 60 * 1000 }),
  }),
});

export type Config = Static<typeof ConfigSchema>;
export type ConfigInput = {
  [K in keyof Config]?: Config[K] extends object ? Partial<Config[K]> : Config[K];
};

function envInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n))
    throw new GovernorError('bad_request', `${name} must be an integer`, { field: name, value: raw });
  return n;
}

/** Each limit's environment variable: operators tune deadlines and caps without code. */
const LIMIT_ENV: Record<keyof Config['limits'], string> = {
  policyTimeoutMs: 'GOVERNOR_POLICY_TIMEOUT_MS',
  pythonMemoryMb: 'GOVERNOR_PYTHON_MEMORY_MB',
  jsMemoryMb: 'GOVERNOR_JS_MEMORY_MB',
  pythonWorkers: 'GOVERNOR_PYTHON_WORKERS',
  bodyLimitBytes: 'GOVERNOR_BODY_LIMIT_BYTES',
  initJobTimeoutMs: 'GOVERNOR_INIT_JOB_TIMEOUT_MS',
};

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Reads the `GOVERNOR_*` environment; flags passed as `overrides` win over it. */
export function loadConfig(overrides: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const fromEnv: ConfigInput = definedOnly({
    host: env.GOVERNOR_HOST || undefined,
    port: envInt(env, 'GOVERNOR_PORT'),
    dataDir: env.GOVERNOR_DATA_DIR || undefined,
    token: env.GOVERNOR_TOKEN || undefined,
    clusterConfig: env.GOVERNOR_CLUSTER_CONFIG || undefined,
  });
  const store = definedOnly({
    kind: env.GOVERNOR_STORE as Config['store']['kind'] | undefined,
    url: env.GOVERNOR_STORE_URL || env.DATABASE_URL || undefined,
  });
  const merged = {
    ...fromEnv,
    ...definedOnly(overrides),
    store: { ...store, ...definedOnly(overrides.store ?? {}) },
    limits: {
      ...definedOnly(
        Object.fromEntries(Object.entries(LIMIT_ENV).map(([k, name]) => [k, envInt(env, name)])),
      ),
      ...definedOnly(overrides.limits ?? {}),
    },
  };
  const withDefaults = Value.Default(ConfigSchema, merged);
  if (!Value.Check(ConfigSchema, withDefaults)) {
    const first = [...Value.Errors(ConfigSchema, withDefaults)][0];
    const field = first?.instancePath ?? '';
    const limit = /^\/limits\/(\w+)$/.exec(field)?.[1] as keyof Config['limits'] | undefined;
    throw new GovernorError(
      'bad_request',
      `invalid configuration: ${field} ${first?.message ?? 'unknown error'}`,
      {
        field: limit ? LIMIT_ENV[limit] : field,
      },
    );
  }
  const config = withDefaults as Config;
  config.dataDir = path.resolve(config.dataDir);
  if (!isLoopback(config.host) && !config.token) {
    throw new GovernorError(
      'bad_request',
      `listening on ${config.host} (beyond loopback) requires a bearer token: set GOVERNOR_TOKEN (16+ characters)`,
      { field: 'token' },
    );
  }
  return config;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
