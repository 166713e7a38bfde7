import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertJsonResult, noManagement, policyError } from '../errors.js';
import type { PolicyPackage } from '../package.js';
import type {
  EvalCall,
  InstanceSpec,
  LoadedPolicy,
  PolicyInstance,
  PolicyRuntime,
} from '../policy-runtime.js';
import { bundlePolicy } from './bundle.js';

interface PolicyObject {
  eval(parameters: unknown, input: unknown, context: unknown): unknown;
  management?(action: string, data: unknown): unknown;
}
type PolicyClass = new (ruleId: string, settings: unknown, parameters: unknown) => PolicyObject;

/**
 * Trusted JS/TS policies, imported into this process and called directly: no deadline, no memory
 * cap, full access to Node. Only the SDK's explicit `trusted: true` selects it.
 */
export class TrustedRuntime implements PolicyRuntime {
  readonly name = 'trusted';

  async load(pkg: PolicyPackage): Promise<LoadedPolicy> {
    const PolicyClass = await importPolicyClass(pkg);
    return {
      pkg,
      createInstance: async (spec) => new TrustedInstance(pkg.uri, PolicyClass, spec),
      dispose: async () => {},
    };
  }

  async close(): Promise<void> {}
}

async function importPolicyClass(pkg: PolicyPackage): Promise<PolicyClass> {
  // Bundled to one ESM file named by digest: TS is transpiled, and a new version is a new module.
  const file = path.join(os.tmpdir(), `governor-policy-${pkg.digest}.mjs`);
  await fs.writeFile(file, await bundlePolicy(pkg, 'esm'));
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    throw policyError('policy_load_failed', pkg.uri, (err as Error).message, {
      traceback: (err as Error).stack,
    });
  }
  if (typeof mod.default !== 'function') {
    throw policyError('policy_load_failed', pkg.uri, 'the entry module must default-export a policy class');
  }
  return mod.default as PolicyClass;
}

class TrustedInstance implements PolicyInstance {
  private readonly policy: PolicyObject | undefined;
  private context: Record<string, unknown> = {};

  constructor(
    private readonly uri: string,
    private readonly PolicyClass: PolicyClass,
    private readonly spec: InstanceSpec,
  ) {
    // Constructed even when stateless, so a constructor that throws fails the load.
    const first = this.construct();
    if (spec.stateful) this.policy = first;
  }

  private construct(): PolicyObject {
    try {
      return new this.PolicyClass(this.spec.ruleId, this.spec.settings, this.spec.parameters);
    } catch (err) {
      throw policyError('policy_load_failed', this.uri, String(err), { traceback: (err as Error).stack });
    }
  }

  async eval(call: EvalCall): Promise<unknown> {
    const policy = this.policy ?? this.construct();
    let context: Record<string, unknown>;
    if (this.spec.stateful) context = this.context = call.context ?? this.context;
    else context = call.context ?? {};
    let result: unknown;
    try {
      result = policy.eval(call.parameters, call.input, context);
      if (result instanceof Promise) result = await result;
    } catch (err) {
      throw policyError('policy_crashed', this.uri, String(err), { traceback: (err as Error)?.stack });
    }
    assertJsonResult(this.uri, result);
    return result;
  }

  async management(action: string, data: unknown): Promise<unknown> {
    const policy = this.policy ?? this.construct();
    if (typeof policy.management !== 'function') {
      throw noManagement(this.uri);
    }
    try {
      return await policy.management(action, data);
    } catch (err) {
      throw policyError('policy_crashed', this.uri, String(err), { traceback: (err as Error)?.stack });
    }
  }

  async dispose(): Promise<void> {}
}
