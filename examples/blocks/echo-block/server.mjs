// A minimal block instance for tests and demos: an HTTP server on $PORT with `/health` and `/mgmt`
// (spec §3.10: `{action, data}`), reporting the identity the infra backend gave it.
import { spawn } from 'node:child_process';
import http from 'node:http';

const identity = {
  block_id: process.env.BLOCK_ID ?? '',
  instance_id: process.env.INSTANCE_ID ?? '',
  node_id: process.env.NODE_ID ?? '',
  gpus: process.env.CUDA_VISIBLE_DEVICES ?? '',
  pid: process.pid,
};
let healthy = true;
let parameters = {};

// SPAWN_CHILD=1 starts a long-lived helper, so tests can check a stop reaches the whole group.
const helper = process.env.SPAWN_CHILD === '1' ? spawn('sleep', ['3600'], { stdio: 'ignore' }) : undefined;
if (helper) identity.child_pid = helper.pid;

const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const actions = {
  // parameter_update delivers new parameters here (the SDK's on_update).
  update: (data) => {
    parameters = { ...parameters, ...data };
    return { parameters };
  },
  get_parameters: () => ({ parameters }),
  set_health: (data) => {
    healthy = data?.healthy !== false;
    return { healthy };
  },
  exit: (data) => {
    setImmediate(() => process.exit(Number(data?.code ?? 1)));
    return { exiting: true };
  },
};

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health')
    return send(res, healthy ? 200 : 503, { healthy, ...identity });
  if (req.method === 'POST' && req.url === '/mgmt') {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      let body;
      try {
        body = JSON.parse(raw || '{}');
      } catch {
        return send(res, 400, { error: 'body is not JSON' });
      }
      const handler = actions[body.action];
      if (!handler)
        return send(res, 400, { error: `unknown action '${body.action}'`, valid: Object.keys(actions) });
      return send(res, 200, { ok: true, ...handler(body.data ?? {}) });
    });
    return;
  }
  return send(res, 404, { error: 'not found' });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`echo-block ${identity.instance_id} listening on ${server.address().port}`);
});
process.on('SIGTERM', () => {
  helper?.kill('SIGKILL');
  server.close(() => process.exit(0));
});
