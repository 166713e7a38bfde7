import { IsolateRuntime } from './js/isolate-runtime.js';
import { TrustedRuntime } from './js/trusted-runtime.js';
import type { PolicyLanguage } from './manifest.js';
import type { PolicyRuntime } from './policy-runtime.js';
import { PythonRuntime } from './python/python-runtime.js';

export interface RuntimeLimits {
  timeoutMs: number;
  pythonMemoryMb: number;
  jsMemoryMb: number;
  pythonWorkers: number;
}

export const DEFAULT_LIMITS: RuntimeLimits = {
  timeoutMs: 2000,
  pythonMemoryMb: 256,
  jsMemoryMb: 64,
  pythonWorkers: 2,
};

/** The runtimes of one process: a python pool, the JS sandbox and the trusted in-process loader. */
export class PolicyRuntimes {
  readonly python: PythonRuntime;
  readonly js: IsolateRuntime;
  readonly trusted = new TrustedRuntime();

  constructor(readonly limits: RuntimeLimits = DEFAULT_LIMITS) {
    this.python = new PythonRuntime({
      workers: limits.pythonWorkers,
      timeoutMs: limits.timeoutMs,
      memoryMb: limits.pythonMemoryMb,
    });
    this.js = new IsolateRuntime({ timeoutMs: limits.timeoutMs, memoryMb: limits.jsMemoryMb });
  }

  for(language: PolicyLanguage, trusted = false): PolicyRuntime {
    if (language === 'python') return this.python;
    return trusted ? this.trusted : this.js;
  }

  async close(): Promise<void> {
    await Promise.all([this.python.close(), this.js.close(), this.trusted.close()]);
  }
}
