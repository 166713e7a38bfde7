import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../examples/policies');

/** Path of a policy under examples/policies. */
export const example = (name: string) => path.join(root, name);
