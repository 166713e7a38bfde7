/** Misbehaves on request, for tests: input.do picks the failure. */
export default class Misbehaving {
  constructor(_ruleId, _settings, parameters) {
    this.parameters = parameters;
  }

  async eval(_parameters, input, _context) {
    switch (input.do) {
      case 'loop':
        for (;;) {}
      case 'never':
        return new Promise(() => {});
      case 'memory': {
        const hog = [];
        for (;;) hog.push(new Array(1 << 20).fill(Math.random()));
      }
      case 'raise':
        throw new Error('the policy failed on purpose');
      case 'bad_return':
        return { big: 10n };
      case 'exit':
        // Untrusted code has no process: this throws a ReferenceError inside the sandbox.
        process.exit(3);
        return undefined;
      case 'require':
        // Looked up at run time, so the bundler cannot see it: the sandbox has no require.
        return new Function('return require')()('node:fs').readFileSync('/etc/passwd', 'utf8');
      default:
        return { ok: true, echo: input };
    }
  }
}
