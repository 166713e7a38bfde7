/** Counts its evaluations in context and returns the count: shows whether context persists. */
export default class Counter {
  constructor(ruleId) {
    this.ruleId = ruleId;
  }

  eval(_parameters, _input, context) {
    context.calls = (context.calls ?? 0) + 1;
    return { calls: context.calls, rule_id: this.ruleId };
  }
}
