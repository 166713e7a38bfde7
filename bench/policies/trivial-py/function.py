class AIOSv1PolicyRule:
    """The smallest pre-check: allows everything and returns the input unchanged."""

    def __init__(self, rule_id, settings, parameters):
        self.parameters = parameters

    def eval(self, parameters, input_data, context):
        return {"allowed": True, "input_data": input_data}
