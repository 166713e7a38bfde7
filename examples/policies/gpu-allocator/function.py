class AIOSv1PolicyRule:
    """Resource allocator for a block (seed 002): answers dry_run, allocation, scale and reassignment.

    Picks the healthy node with the most free GPUs that fit the block's per-instance GPU need
    (parameters["gpus_per_instance"], default 1) and memory need (parameters["min_gpu_memory"], MB).
    cluster["nodes"] entries carry {id, gpus: {gpus: [{id, memory, free}]}} like the cluster entry.
    """

    def __init__(self, rule_id, settings, parameters):
        self.rule_id = rule_id
        self.settings = settings
        self.parameters = parameters

    def _candidates(self, parameters, payload, exclude_node=None):
        need = int(parameters.get("gpus_per_instance", 1))
        min_memory = int(parameters.get("min_gpu_memory", 0))
        healthy = set(payload.get("healthy_nodes", []))
        out = []
        for node in payload.get("cluster", {}).get("nodes", []):
            if node.get("id") not in healthy or node.get("id") == exclude_node:
                continue
            gpus = [
                str(g["id"])
                for g in node.get("gpus", {}).get("gpus", [])
                if g.get("free", True) and g.get("memory", 0) >= min_memory
            ]
            if len(gpus) >= need:
                out.append((len(gpus), node["id"], gpus[:need]))
        out.sort(key=lambda c: (-c[0], c[1]))
        return out

    def eval(self, parameters, input_data, context):
        action = input_data.get("action")
        payload = input_data.get("payload", {})
        exclude = payload.get("current_node") if action == "reassignment" else None
        candidates = self._candidates(parameters, payload, exclude)
        if action == "dry_run":
            if not candidates:
                return {"selection_score_data": {"score": 0.0, "node_info": {}}}
            total = sum(len(n.get("gpus", {}).get("gpus", [])) for n in payload.get("cluster", {}).get("nodes", []))
            free, node_id, gpus = candidates[0]
            score = round(free / total, 3) if total else 0.0
            return {"selection_score_data": {"score": score, "node_info": {"node_id": node_id, "gpus": gpus}}}
        if action in ("allocation", "scale", "reassignment"):
            if not candidates:
                return {"node_id": None, "gpus": [], "error": "no healthy node has enough free GPUs"}
            _, node_id, gpus = candidates[0]
            return {"node_id": node_id, "gpus": gpus}
        raise ValueError("unknown action %r" % (action,))
