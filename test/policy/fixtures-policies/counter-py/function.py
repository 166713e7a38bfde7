class AIOSv1PolicyRule:
    """Counts its evaluations in context and returns the count: shows whether context persists."""

    def __init__(self, rule_id, settings, parameters):
        self.rule_id = rule_id

    def eval(self, parameters, input_data, context):
        context["calls"] = context.get("calls", 0) + 1
        return {"calls": context["calls"], "rule_id": self.rule_id}
