// The built-in placeholder for a vDAG controller replica until the real controller exists: an
// HTTP server on $PORT that answers /health and echoes its identity, so placement, scaling and
// teardown of vDAG controllers can be exercised end to end.
import http from 'node:http';

const identity = {
  vdag_controller_id: process.env.VDAG_CONTROLLER_ID ?? '',
  vdag_uri: process.env.VDAG_URI ?? '',
  instance_id: process.env.INSTANCE_ID ?? '',
  node_id: process.env.NODE_ID ?? '',
};
const server = http.createServer((req, res) => {
  const status = req.url === '/health' || req.url === '/' ? 200 : 404;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify(
      status === 200 ? { healthy: true, placeholder: true, ...identity } : { error: 'not found' },
    ),
  );
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
