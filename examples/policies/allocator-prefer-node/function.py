class AIOSv1PolicyRule:
    """Resource allocator (spec 4.4) that places on parameters["node_id"] when it is healthy, else on
    the first healthy node, taking the lowest GPU ids not in payload["reserved"]."""

    def __init__(self, rule_id, settings, parameters):
        self.rule_id = rule_id
        self.settings = settings
        self.parameters = parameters

    def _place(self, parameters, payload):
        healthy = payload.get("healthy_nodes", [])
        preferred = parameters.get("node_id")
        node_id = preferred if preferred in healthy else (healthy[0] if healthy else None)
        if node_id is None:
            return None
        taken = set(payload.get("reserved", {}).get(node_id, []))
        need = int(parameters.get("gpus", 0))
        free = [g for g in range(64) if g not in taken][:need]
        return {"node_id": node_id, "gpus": free}

    def eval(self, parameters, input_data, context):
        placement = self._place(parameters, input_data.get("payload", {}))
        if input_data.get("action") == "dry_run":
            score = 1.0 if placement else 0.0
            return {"selection_score_data": {"score": score, "node_info": placement}}
        return placement or {"node_id": "", "gpus": []}
