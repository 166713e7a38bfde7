class AIOSv1PolicyRule:
    """Pre-check for add_block that rewrites minInstances to parameters["min_instances"] (default 1)."""

    def __init__(self, rule_id, settings, parameters):
        self.rule_id = rule_id
        self.settings = settings
        self.parameters = parameters

    def eval(self, parameters, input_data, context):
        block = input_data.get("block_data", {})
        block["minInstances"] = int(parameters.get("min_instances", 1))
        block["maxInstances"] = max(block.get("maxInstances", 1), block["minInstances"])
        return {"allowed": True, "input_data": input_data}
