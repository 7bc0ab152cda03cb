import { Agent, request as httpRequest } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The headers that make a request act as a test client's principal: its bearer token or its browser session,
 * as `TestClient.auth` holds them (none while the app has no accounts).
 */
export function authHeadersOf(client: object): Record<string, string> {
  const auth = (client as { auth?: unknown }).auth;
  if (typeof auth !== 'object' || auth === null) return {};
  const { token, session, csrfToken } = auth as { token?: unknown; session?: unknown; csrfToken?: unknown };
  if (typeof token === 'string') return { authorization: `Bearer ${token}` };
  if (typeof session === 'string')
    return { cookie: `tracker_session=${session}`, ...(typeof csrfToken === 'string' ? { 'x-csrf-token': csrfToken } : {}) };
  return {};
}

/**
 * One keep-alive loopback connection via node:http: about twice as fast as `fetch` in the same process, and it
 * sends paths as written (no `..` normalisation). Every request carries `auth` unless it sets those headers itself.
 */
export class KeepAliveClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly url: URL;

  constructor(
    baseUrl: string,
    private readonly auth: Record<string, string>,
  ) {
    this.url = new URL(baseUrl);
  }

  send(method: string, path: string, headers: Record<string, string>, body?: string | Buffer, timeoutMs = 20_000): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        { host: this.url.hostname, port: this.url.port, method, path, agent: this.agent, headers: { ...this.auth, ...headers }, timeout: timeoutMs },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const flat: Record<string, string> = {};
            for (const [name, value] of Object.entries(response.headers))
              if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
            resolve({ status: response.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no response within ${timeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
