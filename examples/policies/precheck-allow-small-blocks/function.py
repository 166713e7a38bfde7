class AIOSv1PolicyRule:
    def __init__(self, rule_id, settings, parameters):
        """
        Initializes an AIOSv1PolicyRule instance.
        Args:
            rule_id (str): Unique identifier for the rule.
            settings (dict): Configuration settings for the rule.
            parameters (dict): Parameters defining the rule's behavior.
        """
        self.rule_id = rule_id
        self.settings = settings
        self.parameters = parameters

    def eval(self, parameters, input_data, context):
        """
        Pre-check for create_block: denies blocks that ask for more instances than
        parameters["max_instances"], and fills in a default minInstances.
        Returns {"allowed": bool, "input_data": <possibly modified input>}.
        """
        context["evaluations"] = context.get("evaluations", 0) + 1
        max_instances = parameters.get("max_instances", 4)
        block = input_data.get("block", {})
        requested = block.get("maxInstances", 1)
        if requested > max_instances:
            return {
                "allowed": False,
                "input_data": {
                    "reason": "maxInstances %d exceeds the limit of %d" % (requested, max_instances),
                },
            }
        block.setdefault("minInstances", 1)
        return {"allowed": True, "input_data": input_data}

    def management(self, action, data):
        if action == "set_max_instances":
            self.parameters["max_instances"] = data["value"]
            return {"status": "success", "max_instances": data["value"]}
        if action == "get_parameters":
            return {"status": "success", "parameters": self.parameters}
        return {"status": "error", "message": "unknown action %s" % action}
