/**
 * Faults on the wire (`mock-third-party/faults/node-transport.ts`): a tiny node:http server answers with
 * `writeWithFault`, on an ephemeral port, and real clients (global fetch, node:http) see what a client of
 * a misbehaving third party sees.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeHttpResponse } from '../../mock-commerce/http/node-adapter.js';
import type { HttpResponse } from '../../mock-commerce/http/types.js';
import { heldConnections, writeWithFault, type FaultOutcome, type WriteWithFaultOptions } from '../../mock-third-party/faults/node-transport.js';
import { createFaultState, planFault, type FaultInput, type FaultPlan } from '../../mock-third-party/faults/plan.js';
import { createRateLimiter, rateLimitedResponse } from '../../mock-third-party/faults/rate-limit.js';
import { createFaultSwitchboard } from '../../mock-third-party/faults/runtime.js';

const PAYLOAD = { orderId: 'A-1001', lines: Array.from({ length: 40 }, (_, i) => ({ sku: `SKU-${String(i)}`, qty: i + 1 })) };
const JSON_BODY = JSON.stringify(PAYLOAD);
const OK: HttpResponse = { status: 200, headers: { 'Content-Type': 'application/json', 'X-Service': 'erp' }, body: JSON_BODY };

type Handler = (req: IncomingMessage) => { response: HttpResponse; plan: FaultPlan; options?: WriteWithFaultOptions };

interface FaultServer {
  server: Server;
  url: string;
  outcomes: FaultOutcome[];
  handle: Handler;
}

async function startFaultServer(handle: Handler = () => ({ response: OK, plan: { delayMs: 0 } })): Promise<FaultServer> {
  const running: FaultServer = { server: createServer(), url: '', outcomes: [], handle };
  running.server.on('request', (req: IncomingMessage, res) => {
    req.resume();
    req.on('end', () => {
      const { response, plan, options } = running.handle(req);
      void writeWithFault(res, response, plan, options).then((outcome) => running.outcomes.push(outcome));
    });
  });
  await new Promise<void>((resolve) => running.server.listen(0, '127.0.0.1', resolve));
  running.url = `http://127.0.0.1:${String((running.server.address() as AddressInfo).port)}`;
  return running;
}

/** Plain `server.close()`: resolves when every connection has ended, with the time it took. */
function closeServer(server: Server): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve(performance.now() - start))));
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A node:http GET, collecting what arrives until the response ends or breaks. */
function nodeGet(url: string): Promise<{ status?: number; headers?: IncomingMessage['headers']; body: Buffer; error?: NodeJS.ErrnoException; complete: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let status: number | undefined;
    let headers: IncomingMessage['headers'] | undefined;
    let done = false;
    const finish = (error?: NodeJS.ErrnoException, complete = false): void => {
      if (done) return;
      done = true;
      resolve({ status, headers, body: Buffer.concat(chunks), complete, ...(error ? { error } : {}) });
    };
    const req = httpRequest(url, { agent: false }, (res) => {
      status = res.statusCode;
      headers = res.headers;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(undefined, res.complete));
      res.on('error', (e: NodeJS.ErrnoException) => finish(e, false));
      res.on('aborted', () => finish(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), false));
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish(e, false));
    req.end();
  });
}

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code;
}

describe('writeWithFault over node:http', () => {
  let s: FaultServer;

  beforeAll(async () => {
    s = await startFaultServer();
  });

  afterEach(() => {
    s.handle = () => ({ response: OK, plan: { delayMs: 0 } });
  });

  afterAll(async () => {
    // Closes cleanly after every fault: nothing a fault held keeps the server open.
    expect(await closeServer(s.server)).toBeLessThan(2000);
  });

  it('without faults answers as writeHttpResponse does', async () => {
    const res = await fetch(`${s.url}/orders`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-service')).toBe('erp');
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(JSON_BODY)));
    expect(await res.json()).toEqual(PAYLOAD);
  });

  it('delays by delayMs', async () => {
    s.handle = () => ({ response: OK, plan: { delayMs: 250 } });
    const start = performance.now();
    const res = await fetch(`${s.url}/orders`);
    expect(await res.json()).toEqual(PAYLOAD);
    expect(performance.now() - start).toBeGreaterThanOrEqual(240);
  });

  it('delays by a seeded plan: uniform latency within its bounds on the wire', async () => {
    const state = createFaultState(11);
    const faults: FaultInput[] = [{ type: 'latency', distribution: 'uniform', minMs: 100, maxMs: 200 }];
    const planned: number[] = [];
    s.handle = () => {
      const plan = planFault(faults, state, { routeId: 'orders.get', now: Date.now() });
      planned.push(plan.delayMs);
      return { response: OK, plan };
    };
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      await (await fetch(`${s.url}/orders`)).arrayBuffer();
      const elapsed = performance.now() - start;
      const delay = planned[i] ?? NaN;
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(200);
      expect(elapsed).toBeGreaterThanOrEqual(delay - 10);
    }
    // Same seed, same delays.
    const again = createFaultState(11);
    expect(planned).toEqual(Array.from({ length: 3 }, () => planFault(faults, again, { routeId: 'orders.get', now: 0 }).delayMs));
  });

  it('cancels the delay when the client goes away', async () => {
    s.handle = () => ({ response: OK, plan: { delayMs: 10_000 } });
    const before = s.outcomes.length;
    await expect(fetch(`${s.url}/orders`, { signal: AbortSignal.timeout(150) })).rejects.toMatchObject({ name: 'TimeoutError' });
    await until(() => s.outcomes.length > before);
    expect(s.outcomes.at(-1)).toBe('client-gone');
    expect(heldConnections(s.server)).toBe(0);
  });

  it('answers with the error fault instead of the service', async () => {
    s.handle = () => ({
      response: OK,
      plan: { delayMs: 0, error: { status: 503, body: { message: 'maintenance' }, headers: { 'Retry-After': '7' } } },
    });
    const res = await fetch(`${s.url}/orders`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ message: 'maintenance' });
  });

  it('error sequence over HTTP: fail twice, then succeed', async () => {
    const state = createFaultState(1);
    const faults: FaultInput[] = [{ type: 'error', status: 503, sequence: [true, true, false] }];
    s.handle = () => ({ response: OK, plan: planFault(faults, state, { routeId: 'orders.post', now: Date.now() }) });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${s.url}/orders`, { method: 'POST', body: '{}' });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses).toEqual([503, 503, 200, 200]);
  });

  it('timeout: never answers; the client aborts, the server stays healthy', async () => {
    s.handle = () => ({ response: OK, plan: { delayMs: 0, drop: 'timeout' } });
    const before = s.outcomes.length;
    const start = performance.now();
    const error: unknown = await fetch(`${s.url}/orders`, { signal: AbortSignal.timeout(300) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsed = performance.now() - start;
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
    await until(() => s.outcomes.length > before);
    expect(s.outcomes.at(-1)).toBe('dropped');
    expect(heldConnections(s.server)).toBe(0);
    s.handle = () => ({ response: OK, plan: { delayMs: 0 } });
    expect((await fetch(`${s.url}/orders`)).status).toBe(200);
  });

  it('reset: fetch fails with ECONNRESET', async () => {
    s.handle = () => ({ response: OK, plan: { delayMs: 0, drop: 'reset' } });
    const error: unknown = await fetch(`${s.url}/orders`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect(errorCode(error)).toBe('ECONNRESET');
  });

  it('reset: a node:http client sees ECONNRESET', async () => {
    s.handle = () => ({ response: OK, plan: { delayMs: 30, drop: 'reset' } });
    const result = await nodeGet(`${s.url}/orders`);
    expect(result.status).toBeUndefined();
    expect(result.error?.code).toBe('ECONNRESET');
  });

  it('truncate: full Content-Length, half the body, then the body read fails', async () => {
    s.handle = () => ({ response: OK, plan: { delayMs: 0, corrupt: 'truncate' } });
    const res = await fetch(`${s.url}/orders`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(JSON_BODY)));
    const error: unknown = await res.text().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    await until(() => s.outcomes.at(-1) === 'truncated');
  });

  it('truncate: a node:http client gets half the bytes and an incomplete response', async () => {
    s.handle = () => ({ response: OK, plan: { delayMs: 0, corrupt: 'truncate' } });
    const result = await nodeGet(`${s.url}/orders`);
    const full = Buffer.byteLength(JSON_BODY);
    expect(result.status).toBe(200);
    expect(result.headers?.['content-length']).toBe(String(full));
    expect(result.body.length).toBe(Math.floor(full / 2));
    expect(result.body.toString('utf8')).toBe(JSON_BODY.slice(0, Math.floor(full / 2)));
    expect(result.complete).toBe(false);
    expect(result.error?.code).toBe('ECONNRESET');
  });

  it('truncate with an empty body cuts the response before the headers', async () => {
    s.handle = () => ({ response: { status: 200, headers: {}, body: '' }, plan: { delayMs: 0, corrupt: 'truncate' } });
    const error: unknown = await fetch(`${s.url}/orders`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
  });

  it('garbage: same length, same headers, JSON parsing fails', async () => {
    s.handle = () => ({ response: OK, plan: { delayMs: 0, corrupt: 'garbage' } });
    const res = await fetch(`${s.url}/orders`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(Buffer.byteLength(JSON_BODY));
    expect(bytes.equals(Buffer.from(JSON_BODY))).toBe(false);
    expect(() => JSON.parse(bytes.toString('utf8')) as unknown).toThrow(SyntaxError);
    const again = await fetch(`${s.url}/orders`);
    await expect(again.json()).rejects.toThrow(SyntaxError);
  });

  it('garbage is reproducible with an injected random source', async () => {
    const seeded = (): WriteWithFaultOptions => {
      const state = createFaultState(3);
      return { random: () => state.random('garbage') };
    };
    s.handle = () => ({ response: OK, plan: { delayMs: 0, corrupt: 'garbage' }, options: seeded() });
    const a = Buffer.from(await (await fetch(`${s.url}/orders`)).arrayBuffer());
    const b = Buffer.from(await (await fetch(`${s.url}/orders`)).arrayBuffer());
    expect(a.equals(b)).toBe(true);
  });

  it('slowBody: the body arrives paced to bytesPerSecond', async () => {
    const body = Buffer.alloc(1200, 'x');
    s.handle = () => ({ response: { status: 200, headers: {}, body }, plan: { delayMs: 0, bytesPerSecond: 2000 } });
    let start = performance.now();
    const res = await fetch(`${s.url}/slow`);
    const headersAfter = performance.now() - start;
    const received = Buffer.from(await res.arrayBuffer());
    const slow = performance.now() - start;
    expect(received.equals(body)).toBe(true);
    expect(headersAfter).toBeLessThan(300); // headers first, then the trickle
    expect(slow).toBeGreaterThanOrEqual(550); // 1200 B at 2000 B/s = 600 ms
    expect(slow).toBeLessThan(3000);
    s.handle = () => ({ response: { status: 200, headers: {}, body }, plan: { delayMs: 0 } });
    start = performance.now();
    await (await fetch(`${s.url}/fast`)).arrayBuffer();
    expect(performance.now() - start).toBeLessThan(slow / 2);
  });

  it('slowBody: a node:http client receives many chunks over time', async () => {
    const body = Buffer.alloc(500, 'y');
    s.handle = () => ({ response: { status: 200, headers: {}, body }, plan: { delayMs: 0, bytesPerSecond: 1000 }, options: { tickMs: 50 } });
    const arrivals: number[] = [];
    const start = performance.now();
    await new Promise<void>((resolve, reject) => {
      httpRequest(`${s.url}/slow`, { agent: false }, (res) => {
        res.on('data', () => arrivals.push(performance.now() - start));
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
    expect(arrivals.length).toBeGreaterThanOrEqual(5);
    expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(350);
  });

  it('slowBody with truncate: paced half body, then the connection closes', async () => {
    const body = Buffer.alloc(400, 'z');
    s.handle = () => ({ response: { status: 200, headers: {}, body }, plan: { delayMs: 0, bytesPerSecond: 1000, corrupt: 'truncate' } });
    const start = performance.now();
    const result = await nodeGet(`${s.url}/slow`);
    expect(result.body.length).toBe(200);
    expect(result.complete).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(150);
  });

  it('HEAD and 204 answers stay well-formed under garbage', async () => {
    s.handle = () => ({ response: { status: 204, headers: {}, body: '' }, plan: { delayMs: 0, corrupt: 'garbage' } });
    expect((await fetch(`${s.url}/x`, { method: 'DELETE' })).status).toBe(204);
    s.handle = () => ({ response: OK, plan: { delayMs: 0, corrupt: 'garbage' } });
    const head = await fetch(`${s.url}/x`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('server.close() with a fault holding a connection', () => {
  it('ends a timeout the client is still waiting for', async () => {
    const s = await startFaultServer(() => ({ response: OK, plan: { delayMs: 0, drop: 'timeout' } }));
    const pending = nodeGet(`${s.url}/hang`);
    await until(() => heldConnections(s.server) === 1);
    expect(await closeServer(s.server)).toBeLessThan(1000);
    const result = await pending;
    expect(result.status).toBeUndefined();
    expect(result.error?.code).toBe('ECONNRESET');
    await until(() => s.outcomes.length === 1);
    expect(s.outcomes).toEqual(['dropped']);
  });

  it('ends a long delay', async () => {
    const s = await startFaultServer(() => ({ response: OK, plan: { delayMs: 60_000 } }));
    const pending = nodeGet(`${s.url}/slow`);
    await until(() => heldConnections(s.server) === 1);
    expect(await closeServer(s.server)).toBeLessThan(1000);
    expect((await pending).error).toBeDefined();
    await until(() => s.outcomes.length === 1);
    expect(s.outcomes).toEqual(['client-gone']);
  });
});

describe('rate limiting over HTTP', () => {
  let s: FaultServer;
  let clock = 0;
  const limiter = createRateLimiter({ requestsPerMinute: 3 });

  beforeAll(async () => {
    s = await startFaultServer();
    s.server.removeAllListeners('request');
    s.server.on('request', (req: IncomingMessage, res) => {
      req.resume();
      req.on('end', () => {
        const result = limiter.take(String(req.headers['x-api-key']), clock);
        writeHttpResponse(res, result.allowed ? { ...OK, headers: { ...OK.headers, ...result.headers } } : rateLimitedResponse(result));
      });
    });
  });

  afterAll(async () => {
    await closeServer(s.server);
  });

  it('allows N per key, then answers 429 with Retry-After and the rate-limit headers; refills with the clock', async () => {
    const call = async (key: string): Promise<Response> => {
      const res = await fetch(`${s.url}/orders`, { headers: { 'X-Api-Key': key } });
      await res.arrayBuffer();
      return res;
    };
    const first = await call('app-1');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-minute')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining-minute')).toBe('2');
    expect(first.headers.get('ratelimit-limit')).toBe('3');
    expect(first.headers.get('ratelimit-remaining')).toBe('2');
    expect((await call('app-1')).status).toBe(200);
    expect((await call('app-1')).status).toBe(200);
    const refused = await call('app-1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit-reset')).toBe('60');
    // Another key has its own bucket.
    expect((await call('app-2')).status).toBe(200);
    clock += 20_000;
    expect((await call('app-1')).status).toBe(200);
    expect((await call('app-1')).status).toBe(429);
  });
});

describe('runtime switchboard over HTTP', () => {
  it('switches a fault on and off between requests', async () => {
    const board = createFaultSwitchboard();
    const state = createFaultState(9);
    const routeOf = (req: IncomingMessage): string => (req.url ?? '/').slice(1);
    const s = await startFaultServer((req) => ({
      response: OK,
      plan: board.plan([], state, { routeId: routeOf(req), now: Date.now() }),
    }));
    const status = async (route: string): Promise<number | string> => {
      try {
        const res = await fetch(`${s.url}/${route}`);
        await res.arrayBuffer();
        return res.status;
      } catch (e) {
        return errorCode(e) ?? 'error';
      }
    };
    expect(await status('orders')).toBe(200);
    board.enable('orders', { type: 'error', status: 500 });
    expect([await status('orders'), await status('stock')]).toEqual([500, 200]);
    board.enable('*', { type: 'reset' });
    expect([await status('orders'), await status('stock')]).toEqual([500, 'ECONNRESET']);
    board.disable('orders');
    expect(await status('orders')).toBe('ECONNRESET');
    board.disable();
    expect([await status('orders'), await status('stock')]).toEqual([200, 200]);
    await closeServer(s.server);
  });
});
