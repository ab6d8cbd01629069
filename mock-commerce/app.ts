/**
 * Adapters around the transport-free Commerce core: an Express app for users' own servers and supertest
 * (`createCommerceApp`), and a node:http server for the CLI and tests (`startCommerceServer`).
 */
import express, { type Express } from 'express';
import type { Server } from 'node:http';
import type { Commerce } from './commerce.js';
import { close, createNodeServer, listen } from './http/node-adapter.js';
import type { HttpRequest } from './http/types.js';
import { selfSignedCertificate } from './security/tls.js';

export function createCommerceApp(commerce: Commerce): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.raw({ type: () => true, limit: '64mb' }));
  app.use((req, res) => {
    const url = req.originalUrl;
    const q = url.indexOf('?');
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const request: HttpRequest = {
      method: req.method.toUpperCase(),
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      headers,
      ...(Buffer.isBuffer(req.body) && req.body.length > 0 ? { body: req.body } : {}),
      origin: `${req.protocol}://${req.get('host') ?? 'localhost'}`,
      ...(req.socket.remoteAddress !== undefined ? { remoteAddress: req.socket.remoteAddress } : {}),
    };
    const response = commerce.handle(request);
    res.status(response.status).set(response.headers).send(response.body);
  });
  return app;
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
