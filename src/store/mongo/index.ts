export { compileFilter, type Matcher, runQuery } from './evaluate.js';
export { type CmpOp, type PushdownPlan, type Pushed, planFilter, type Scalar, sqlPath } from './pushdown.js';
export { applyUpdate } from './update.js';
export { validateFilter, validateOptions, validateUpdate } from './validate.js';
