import net from 'node:net';

/** A port free on `host` right now (the OS picks it); the instance binds it moments later. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Replaces every `0` in a named port map with a free port. */
export async function assignPorts(
  wanted: Record<string, number>,
  host: string,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, port] of Object.entries(wanted)) out[name] = port === 0 ? await freePort(host) : port;
  return out;
}
