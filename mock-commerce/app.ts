/**
 * Adapters around the transport-free Commerce core: an Express app for users' own servers and supertest
 * (`createCommerceApp`), and a node:http server for the CLI and tests (`startCommerceServer`).
 */
import type { Express } from 'express';
import { createExpressAdapter } from './http/express-adapter.js';
import type { Server } from 'node:http';
import type { Commerce } from './commerce.js';
import { close, createNodeServer, listen, writeHttpResponse } from './http/node-adapter.js';
import { selfSignedCertificate } from './security/tls.js';

/** An Express app serving the Commerce (for users' own servers and supertest), the same bytes as node:http. */
export function createCommerceApp(commerce: Commerce): Express {
  return createExpressAdapter((request, res) => {
    const answer = commerce.handle(request);
    if (!(answer instanceof Promise)) return writeHttpResponse(res, answer);
    answer.then(
      (response) => writeHttpResponse(res, response),
      () => writeHttpResponse(res, { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'internal error' }),
    );
  });
}

export interface RunningServer {
  port: number;
  url: string;
  close(): Promise<void>;
  server: Server;
}

export interface ServerOptions {
  port?: number;
  host?: string;
  /** Serve HTTPS with a self-signed certificate generated for the host (Commerce is HTTPS-only). */
  https?: boolean;
}

export async function startCommerceServer(commerce: Commerce, options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const tls = options.https ? await selfSignedCertificate([...new Set(['localhost', '127.0.0.1', '::1', host])]) : undefined;
  const server = createNodeServer((r) => commerce.handle(r), tls);
  const port = await listen(server, options.port ?? 0, host);
  const scheme = tls ? 'https' : 'http';
  return { port, url: `${scheme}://${host === '0.0.0.0' ? 'localhost' : host}:${port}`, server, close: () => close(server) };
}
