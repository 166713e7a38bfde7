import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../examples/policies');

/** Path of a policy under examples/policies. */
export const example = (name: string) => path.join(root, name);

/** Path of a test-only policy under test/policy/fixtures-policies. */
export const fixture = (name: string) =>
  path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures-policies', name);
