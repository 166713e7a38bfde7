import os


class AIOSv1PolicyRule:
    """Misbehaves on request, for tests: input_data["do"] picks the failure."""

    def __init__(self, rule_id, settings, parameters):
        self.settings = settings
        self.parameters = parameters

    def eval(self, parameters, input_data, context):
        do = input_data.get("do")
        if do == "loop":
            while True:
                pass
        if do == "memory":
            hog = [bytearray(1 << 20)]
            while True:  # doubles until the cap: a few allocations, so it fails fast even on a busy machine
                hog.append(bytearray(len(hog[-1]) * 2))
        if do == "raise":
            raise RuntimeError("the policy failed on purpose")
        if do == "bad_return":
            return {"not_json": {1, 2, 3}}
        if do == "exit":
            os._exit(3)
        if do == "print":
            print("policies may print; it must not corrupt the protocol")
        return {"ok": True, "echo": input_data}
