class AIOSv1PolicyRule:
    """Pre-check for add_block: a block must carry at least one tag (in `tags` or `component.tags`)."""

    def __init__(self, rule_id, settings, parameters):
        self.rule_id = rule_id
        self.settings = settings
        self.parameters = parameters

    def eval(self, parameters, input_data, context):
        block = input_data.get("block_data", {})
        tags = block.get("tags") or block.get("component", {}).get("tags") or []
        if not tags:
            return {"allowed": False, "input_data": {"reason": "block %s has no tags" % block.get("id")}}
        return {"allowed": True, "input_data": input_data}
