/**
 * The script that runs inside each policy isolate, after the bundled policy. Values cross the
 * boundary as strings: the host passes JSON in, and gets back a tagged string:
 * `R<json>` a result, `E<json>` an error thrown by the policy, `I<message>` a result that is not
 * JSON, `P` a promise still pending (the host then calls `take`), `''` done with nothing to return.
 * A batch of stateless evaluations (`evalFreshBatch`) comes as one string: calls separated by
 * U+0002, each call's arguments by U+0001 (JSON text never holds a raw control character), and
 * its tags come back the same way (`takeBatch` for those that were pending).
 */
export const HARNESS = `
var __gov = (function () {
  var P = typeof __policy === 'object' && __policy !== null ? __policy.default : undefined;
  if (typeof P !== 'function') throw new Error('the entry module must default-export a policy class');
  var instances = new Map();
  var pending;
  var batch = [];
  function keep(t) { pending = t; }
  function check(k, v) {
    if (typeof v === 'number' && !isFinite(v)) throw new TypeError('non-finite number ' + v);
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new TypeError('a ' + typeof v);
    return v;
  }
  function encode(v) {
    var s;
    try { s = JSON.stringify(v, check); } catch (e) { return 'I' + String(e && e.message).replace(/[\\u0000-\\u001f]/g, ' '); }
    return s === undefined ? 'I' + typeof v : 'R' + s;
  }
  function fail(e) {
    var o = e !== null && typeof e === 'object' ? e : { message: String(e) };
    return 'E' + JSON.stringify({ name: String(o.name || 'Error'), message: String(o.message), stack: o.stack ? String(o.stack) : undefined });
  }
  function settle(call, put) {
    var r;
    try { r = call(); } catch (e) { return fail(e); }
    if (r === null || typeof r !== 'object' || typeof r.then !== 'function') return encode(r);
    put = put || keep;
    put('P');
    r.then(function (v) { put(encode(v)); }, function (e) { put(fail(e)); });
    return 'P';
  }
  function fresh(ruleId, settings, ctorParameters, parameters, input, context, put) {
    return settle(function () {
      var p = new P(ruleId, parse(settings), parse(ctorParameters));
      return p.eval(parse(parameters), parse(input), context === '' ? {} : parse(context));
    }, put);
  }
  function parse(s) { return s === '' ? undefined : JSON.parse(s); }
  return {
    create: function (id, ruleId, settings, parameters) {
      try { instances.set(id, { p: new P(ruleId, parse(settings), parse(parameters)), ctx: {} }); return ''; }
      catch (e) { return fail(e); }
    },
    evalOn: function (id, parameters, input, context) {
      var i = instances.get(id);
      if (context !== '') i.ctx = parse(context);
      return settle(function () { return i.p.eval(parse(parameters), parse(input), i.ctx); });
    },
    evalFresh: function (ruleId, settings, ctorParameters, parameters, input, context) {
      return fresh(ruleId, settings, ctorParameters, parameters, input, context);
    },
    evalFreshBatch: function (calls) {
      batch = calls.split("\\u0002").map(function (call, i) {
        var a = call.split("\\u0001");
        return fresh(a[0], a[1], a[2], a[3], a[4], a[5], function (t) { batch[i] = t; });
      });
      return batch.join("\\u0002");
    },
    takeBatch: function () { var r = batch.join("\\u0002"); batch = []; return r; },
    management: function (id, ruleId, settings, ctorParameters, action, data) {
      return settle(function () {
        var i = instances.get(id);
        var p = i ? i.p : new P(ruleId, parse(settings), parse(ctorParameters));
        if (typeof p.management !== 'function') throw Object.assign(new Error('the policy does not implement management()'), { name: 'NoManagement' });
        return p.management(action, parse(data));
      });
    },
    drop: function (id) { instances.delete(id); return ''; },
    take: function () { var r = pending; pending = undefined; return r; }
  };
})();
`;
