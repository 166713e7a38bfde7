"""Governor's Python policy worker.

Loads policy modules that define ``AIOSv1PolicyRule`` unchanged and answers JSON-lines requests on
stdin/stdout, one at a time. The host owns deadlines (it kills and replaces a worker that overruns);
the worker owns its memory cap (RLIMIT_AS), so a policy that eats memory gets MemoryError here.

Request:  {"id": n, "op": "create"|"eval"|"run"|"mgmt"|"drop", ...}
Response: {"id": n, "ok": true, "result": ...} or {"id": n, "ok": false, "error": {code, message, traceback}}
Error codes are the host's: policy_load_failed, policy_crashed, policy_memory_exceeded,
policy_invalid_result, plus instance_missing (the host re-creates the instance on this worker).
"""

import importlib.util
import json
import os
import resource
import sys
import traceback

# Policies may print; stdout is the protocol channel, so their output goes to stderr.
_OUT = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
sys.stdout = sys.stderr

# Built once: json.dumps with non-default options builds a new encoder on every call.
_ENCODER = json.JSONEncoder(allow_nan=False, separators=(",", ":"))
_modules = {}    # code key -> module
_instances = {}  # instance id -> [policy object, context dict]


class PolicyError(Exception):
    def __init__(self, code, message, tb=None):
        super().__init__(message)
        self.code = code
        self.tb = tb


def _load_class(req):
    key = req["key"]
    module = _modules.get(key)
    if module is None:
        pkg_dir = req["dir"]
        path = os.path.join(pkg_dir, req["entry"])
        try:
            if pkg_dir not in sys.path:
                sys.path.insert(0, pkg_dir)
            spec = importlib.util.spec_from_file_location("governor_policy_" + key[:16], path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        except MemoryError:
            raise
        except BaseException as e:  # noqa: BLE001 - any failure of user code at import is a load failure
            raise PolicyError("policy_load_failed", "import of %s failed: %r" % (req["entry"], e), _policy_traceback(e))
        if not isinstance(getattr(module, "AIOSv1PolicyRule", None), type):
            raise PolicyError("policy_load_failed", "%s does not define class AIOSv1PolicyRule" % req["entry"])
        _modules[key] = module
    return module.AIOSv1PolicyRule


def _construct(req):
    cls = _load_class(req)
    try:
        return cls(req["rule_id"], req["settings"], req["parameters"])
    except MemoryError:
        raise
    except BaseException as e:  # noqa: BLE001
        raise PolicyError("policy_load_failed", "AIOSv1PolicyRule(...) raised %r" % (e,), _policy_traceback(e))


def _instance(req):
    entry = _instances.get(req["iid"])
    if entry is None:
        raise PolicyError("instance_missing", "instance %s is not on this worker" % req["iid"])
    return entry


def _call_eval(policy, req, context):
    return policy.eval(req["eval_parameters"], req["input"], context)


def handle(req):
    op = req["op"]
    if op == "create":
        _instances[req["iid"]] = [_construct(req), req.get("context") or {}]
        return None
    if op == "eval":
        entry = _instance(req)
        if req.get("context") is not None:
            entry[1] = req["context"]
        return _call_eval(entry[0], req, entry[1])
    if op == "run":  # stateless: a fresh instance and a fresh context for this one call
        return _call_eval(_construct(req), req, req.get("context") or {})
    if op == "mgmt":
        policy = _instance(req)[0] if "iid" in req else _construct(req)
        fn = getattr(policy, "management", None)
        if fn is None:
            raise PolicyError("unknown_action", "the policy does not implement management()")
        return fn(req["action"], req["data"])
    if op == "drop":
        _instances.pop(req["iid"], None)
        return None
    raise PolicyError("bad_request", "unknown op %r" % (op,))


def _policy_traceback(e):
    """The traceback from the policy's first frame on: the worker's own frames are noise to its author."""
    tb = e.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(e), e, tb or e.__traceback__))


def _error(rid, code, message, tb=None):
    return {"id": rid, "ok": False, "error": {"code": code, "message": message, "traceback": tb}}


def respond(rid, req):
    try:
        result = handle(req)
    except PolicyError as e:
        return _error(rid, e.code, str(e), e.tb)
    except MemoryError as e:
        return _error(rid, "policy_memory_exceeded", "MemoryError: the policy exceeded its memory cap", _policy_traceback(e))
    except BaseException as e:  # noqa: BLE001 - SystemExit and KeyboardInterrupt from a policy are crashes too
        return _error(rid, "policy_crashed", "%s: %s" % (type(e).__name__, e), _policy_traceback(e))
    return {"id": rid, "ok": True, "result": result}


def encode(resp):
    try:
        return _ENCODER.encode(resp).encode()
    except (TypeError, ValueError) as e:
        bad = _error(resp["id"], "policy_invalid_result", "result is not JSON-serialisable: %s" % (e,))
        return json.dumps(bad).encode()


def main():
    limit_mb = int(os.environ.get("GOVERNOR_PY_MEMORY_MB", "256"))
    if limit_mb > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))
    stdin = sys.stdin.buffer
    # The host starts deadlines only after this line, so interpreter start-up never counts as policy time.
    _OUT.write(b'{"ready":true}\n')
    while True:
        line = stdin.readline()
        if not line:
            return
        try:
            req = json.loads(line)
        except ValueError as e:
            _OUT.write(json.dumps(_error(None, "bad_request", "bad frame: %s" % (e,))).encode() + b"\n")
            continue
        try:
            out = encode(respond(req.get("id"), req))
        except MemoryError:
            out = json.dumps(_error(req.get("id"), "policy_memory_exceeded", "MemoryError while encoding the result")).encode()
        _OUT.write(out + b"\n")


if __name__ == "__main__":
    main()
