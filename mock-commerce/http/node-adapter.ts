/**
 * node:http adapter: the fastest way to serve the core (DESIGN: a raw node:http server answers several
 * times more requests per second than Express), used by the CLI and `startSandbox()`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { HttpRequest, HttpResponse } from './types.js';

export type Handler = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

/** Largest request body accepted; bigger bodies get 413 instead of exhausting memory. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function toHttpRequest(req: IncomingMessage, body: Buffer | undefined, origin: string): HttpRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers,
    ...(body && body.length > 0 ? { body } : {}),
    origin,
    ...(req.socket.remoteAddress !== undefined ? { remoteAddress: req.socket.remoteAddress } : {}),
  };
}

export function writeHttpResponse(res: ServerResponse, response: HttpResponse): void {
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  res.writeHead(response.status, { ...response.headers, 'Content-Length': String(body.length) });
  res.end(body);
}

/**
 * Longest request line + headers accepted. Node's 16 kB default would answer long `$filter`s with a bare
 * 431; Commerce's Tomcat is usually configured larger, and the sandbox wants to answer them itself.
 */
const MAX_HEADER_BYTES = 256 * 1024;

/**
 * A node:http(s) server around a handler. `write` puts the handler's answer on the wire; the default
 * writes it as is, the third-party simulator passes one that carries out fault plans.
 */
export function createNodeServer<R extends HttpResponse = HttpResponse>(
  handler: (request: HttpRequest) => R | Promise<R>,
  tls?: { key: string; cert: string },
  write: (res: ServerResponse, response: R) => void = writeHttpResponse,
): Server {
  const fail = (res: ServerResponse): void => writeHttpResponse(res, { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'internal error' });
  const dispatch = (req: IncomingMessage, res: ServerResponse, body: Buffer | undefined): void => {
    const host = req.headers.host ?? `localhost:${(req.socket.localPort ?? 0).toString()}`;
    const scheme = 'encrypted' in req.socket ? 'https' : 'http';
    const request = toHttpRequest(req, body, `${scheme}://${host}`);
    let answer: R | Promise<R>;
    try {
      answer = handler(request);
    } catch {
      fail(res);
      return;
    }
    // Most answers are synchronous: written at once, without a round through the microtask queue.
    if (answer instanceof Promise) answer.then((response) => write(res, response), () => fail(res));
    else write(res, answer);
  };
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    // Without Content-Length or Transfer-Encoding a request has no body (RFC 9112 §6.3): answer now, no
    // need to wait for the end of a stream that has nothing in it.
    const length = req.headers['content-length'];
    if (req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) {
      req.resume();
      dispatch(req, res, undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      if (tooLarge) {
        writeHttpResponse(res, { status: 413, headers: { 'Content-Type': 'text/plain' }, body: 'request body too large' });
        return;
      }
      dispatch(req, res, chunks.length ? Buffer.concat(chunks) : undefined);
    });
  };
  return tls ? createHttpsServer({ ...tls, maxHeaderSize: MAX_HEADER_BYTES }, listener) : createServer({ maxHeaderSize: MAX_HEADER_BYTES }, listener);
}

/** Starts listening; port 0 picks a free port. Resolves with the bound port. */
export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
