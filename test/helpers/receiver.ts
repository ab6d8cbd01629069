/**
 * A receiving system for outbound tests, over real HTTP: it behaves like an SCPI OData sender endpoint
 * (spec §16.9) — Basic or OAuth bearer authentication, a CSRF token fetched with `X-CSRF-Token: Fetch`
 * and bound to the session cookies it set, POSTs refused with 403 `X-CSRF-Token: Required` without
 * them — and records every request. Answers (status, body, delay) can be changed between calls.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const SERVICE_PATH = '/gw/odata/SAP/REPLICATE;v=1';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ReceiverOptions {
  /** Basic credentials the endpoint accepts (none: no Basic auth). */
  basic?: { username: string; password: string };
  /** OAuth client the token endpoint (`/oauth/token`) accepts; bearer tokens are then required. */
  oauth?: { clientId: string; clientSecret: string; expiresIn: number };
  /** Enforce the CSRF handshake on POST/DELETE (default true). */
  csrf?: boolean;
}

function basicOf(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  /** Status of the answer to a data call (POST/DELETE) that passed the checks. */
  status = 201;
  /** Delay before answering a data call, in ms. */
  delayMs = 0;
  tokensIssued = 0;
  private readonly tokens = new Set<string>();
  /** CSRF token → session id it was issued with. */
  private readonly csrf = new Map<string, string>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: ReceiverOptions,
  ) {}

  static async start(options: ReceiverOptions = {}): Promise<Receiver> {
    const holder: { receiver?: Receiver } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void holder.receiver!.answer({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.receiver = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options);
    return holder.receiver;
  }

  /** Data calls (POST/DELETE) under the service, oldest first. */
  dataCalls(): ReceivedRequest[] {
    return this.requests.filter((r) => (r.method === 'POST' || r.method === 'DELETE') && r.url.startsWith(SERVICE_PATH));
  }

  csrfFetches(): ReceivedRequest[] {
    return this.requests.filter((r) => (r.headers['x-csrf-token'] ?? '').toString().toLowerCase() === 'fetch');
  }

  /** Forgets issued tokens (as a receiver restart would): cached ones are then refused. */
  revokeTokens(): void {
    this.tokens.clear();
    this.csrf.clear();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async answer(request: ReceivedRequest, res: import('node:http').ServerResponse): Promise<void> {
    this.requests.push(request);
    const send = (status: number, headers: Record<string, string | string[]> = {}, body = ''): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(body);
    };
    if (request.url === '/oauth/token' && request.method === 'POST') {
      const client = this.options.oauth;
      const form = new URLSearchParams(request.body);
      if (!client || request.headers.authorization !== basicOf(client.clientId, client.clientSecret) || form.get('grant_type') !== 'client_credentials') {
        return send(401, {}, '{"error":"invalid_client"}');
      }
      const token = randomUUID();
      this.tokens.add(token);
      this.tokensIssued++;
      return send(200, {}, JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: client.expiresIn }));
    }
    if (!this.authenticated(request.headers.authorization)) return send(401, { 'WWW-Authenticate': 'Basic realm="SCPI"' }, '{"error":"unauthorized"}');
    if ((request.headers['x-csrf-token'] ?? '').toString().toLowerCase() === 'fetch') {
      const token = randomUUID().replace(/-/g, '');
      const session = randomUUID();
      this.csrf.set(token, session);
      return send(200, { 'X-CSRF-Token': token, 'Set-Cookie': [`JSESSIONID=${session}; Path=/; Secure; HttpOnly`, `__VCAP_ID__=${session.slice(0, 8)}; Path=/`] }, '{}');
    }
    if (this.options.csrf !== false && (request.method === 'POST' || request.method === 'DELETE')) {
      const token = request.headers['x-csrf-token']?.toString();
      const session = token ? this.csrf.get(token) : undefined;
      if (!session || !(request.headers.cookie ?? '').includes(`JSESSIONID=${session}`)) return send(403, { 'X-CSRF-Token': 'Required' }, '');
    }
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (res.destroyed) return;
    const ok = this.status >= 200 && this.status < 300;
    send(this.status, {}, ok ? '{}' : JSON.stringify({ error: { code: String(this.status), message: { lang: 'en', value: 'receiver failure' } } }));
  }

  private authenticated(authorization: string | undefined): boolean {
    const { basic, oauth } = this.options;
    if (oauth) return !!authorization?.startsWith('Bearer ') && this.tokens.has(authorization.slice(7));
    if (basic) return authorization === basicOf(basic.username, basic.password);
    return true;
  }
}
