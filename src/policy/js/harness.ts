/**
 * The script that runs inside each policy isolate, after the bundled policy. Values cross the
 * boundary as strings: the host passes JSON in, and gets back a tagged string:
 * `R<json>` a result, `E<json>` an error thrown by the policy, `I<message>` a result that is not
 * JSON, `P` a promise still pending (the host then calls `take`), `''` done with nothing to return.
 */
export const HARNESS = `
var __gov = (function () {
  var P = typeof __policy === 'object' && __policy !== null ? __policy.default : undefined;
  if (typeof P !== 'function') throw new Error('the entry module must default-export a policy class');
  var instances = new Map();
  var pending;
  function check(k, v) {
    if (typeof v === 'number' && !isFinite(v)) throw new TypeError('non-finite number ' + v);
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new TypeError('a ' + typeof v);
    return v;
  }
  function encode(v) {
    var s;
    try { s = JSON.stringify(v, check); } catch (e) { return 'I' + String(e && e.message); }
    return s === undefined ? 'I' + typeof v : 'R' + s;
  }
  function fail(e) {
    var o = e !== null && typeof e === 'object' ? e : { message: String(e) };
    return 'E' + JSON.stringify({ name: String(o.name || 'Error'), message: String(o.message), stack: o.stack ? String(o.stack) : undefined });
  }
  function settle(call) {
    var r;
    try { r = call(); } catch (e) { return fail(e); }
    if (r === null || typeof r !== 'object' || typeof r.then !== 'function') return encode(r);
    pending = 'P';
    r.then(function (v) { pending = encode(v); }, function (e) { pending = fail(e); });
    return 'P';
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
      return settle(function () {
        var p = new P(ruleId, parse(settings), parse(ctorParameters));
        return p.eval(parse(parameters), parse(input), context === '' ? {} : parse(context));
      });
    },
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
