/**
 * The Express side of the transport-free core, shared by `createCommerceApp` and `createThirdPartyApp`:
 * an Express app that hands every request, translated like the node:http adapter does, to a handler.
 */
import { createRequire } from 'node:module';
import type { ErrorRequestHandler, Express, Request, Response } from 'express';
import { writeHttpResponse } from './node-adapter.js';
import type { HttpRequest } from './types.js';

// Express is loaded when the first app is made: the CLI and startSandbox serve through node:http and
// should not pay for loading it (≈ 60 ms).
const require = createRequire(import.meta.url);

/** Same body limit as the node:http adapter. */
const MAX_BODY = '64mb';

/** Express request (raw body) → HttpRequest: path and query as received, headers joined, peer address. */
export function fromExpressRequest(req: Request): HttpRequest {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return {
    method: req.method.toUpperCase(),
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers,
    ...(Buffer.isBuffer(req.body) && req.body.length > 0 ? { body: req.body as Buffer } : {}),
    origin: `${req.protocol}://${req.get('host') ?? 'localhost'}`,
    ...(req.socket.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}),
  };
}

/**
 * An Express app whose every request goes to `serve` (which writes the answer). Body-parser failures
 * (too large, aborted) are answered as the node:http adapter does.
 */
export function createExpressAdapter(serve: (request: HttpRequest, res: Response) => void): Express {
  const express = require('express') as typeof import('express');
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(express.raw({ type: () => true, limit: MAX_BODY }));
  app.use((req, res) => serve(fromExpressRequest(req), res));
  const onError: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, _next) => {
    if (err.type === 'entity.too.large') writeHttpResponse(res, { status: 413, headers: { 'Content-Type': 'text/plain' }, body: 'request body too large' });
    else writeHttpResponse(res, { status: err.status ?? 400, headers: { 'Content-Type': 'text/plain' }, body: 'bad request' });
  };
  app.use(onError);
  return app;
}
