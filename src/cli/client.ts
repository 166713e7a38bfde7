import { GovernorError } from '../errors/index.js';

/** Where CLI commands that act on a running control plane send their requests. */
export interface ClientOptions {
  url: string;
  token?: string;
}

export function clientOptions(opts: { url?: string; token?: string }): ClientOptions {
  const url = opts.url ?? process.env.GOVERNOR_URL ?? `http://127.0.0.1:${process.env.GOVERNOR_PORT ?? 8080}`;
  const token = opts.token ?? process.env.GOVERNOR_TOKEN;
  return token ? { url: url.replace(/\/$/, ''), token } : { url: url.replace(/\/$/, '') };
}

/** Calls the API and returns parsed JSON; an API error comes back as the same GovernorError. */
export async function request<T = unknown>(
  client: ClientOptions,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (client.token) headers.authorization = `Bearer ${client.token}`;
  let res: Response;
  try {
    res = await fetch(client.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new GovernorError('unavailable', `cannot reach ${client.url}: ${(err as Error).message}`, {
      url: client.url,
    });
  }
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const e = (parsed as { error?: { code?: string; message?: string; details?: unknown } })?.error;
    throw GovernorError.fromData(e ?? { code: 'internal', message: `HTTP ${res.status}` });
  }
  return parsed as T;
}
