/**
 * Definition faults and rate limits on the wire, by default: the engine's default fault hook
 * (`engine/fault-hook.ts`), the node:http server and msw carrying out the plans, and runtime faults
 * through `/__sandbox/faults`. Real HTTP on an ephemeral port, plus msw in-process.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { createThirdPartyApp, startThirdPartyServer } from '../../mock-third-party/app.js';
import { parseDefinition } from '../../mock-third-party/definition/loader.js';
import { createThirdParty } from '../../mock-third-party/engine/third-party.js';
import { heldConnections } from '../../mock-third-party/faults/index.js';
import { thirdPartyHandlers } from '../../mock-third-party/msw.js';
import { serveYaml, type Served } from './helpers.js';

const DEFINITION = `
name: faulty
seed: 7
collections:
  orders: {}
routes:
  - id: create-order
    method: POST
    path: /orders
    action: { collection: orders, op: create }
    faults: [{ type: error, status: 503, body: { error: busy }, sequence: [true, true, false] }]
  - id: slow
    method: GET
    path: /slow
    response: { body: { ok: true } }
    faults: [{ type: latency, distribution: fixed, ms: 200 }]
  - id: hang
    method: GET
    path: /hang
    response: { body: { ok: true } }
    faults: [{ type: timeout }]
  - id: reset
    method: GET
    path: /reset
    response: { body: { ok: true } }
    faults: [{ type: reset }]
  - id: garbage
    method: GET
    path: /garbage
    response: { body: { ok: true, text: "a body long enough to be garbled" } }
    faults: [{ type: malformed, mode: garbage }]
  - id: limited
    method: GET
    path: /limited
    rateLimit: { requestsPerMinute: 2 }
    response: { body: { ok: true } }
  - id: plain
    method: GET
    path: /plain
    response: { body: { ok: true } }
`;

const definition = () => parseDefinition(DEFINITION, 'faulty.yaml');

async function fetchError(promise: Promise<unknown>): Promise<Error & { cause?: { code?: string } }> {
  try {
    await promise;
  } catch (e) {
    return e as Error & { cause?: { code?: string } };
  }
  throw new Error('expected the call to fail');
}

describe('definition faults on the node:http server', () => {
  let tp: Served;
  beforeAll(async () => {
    tp = await serveYaml(DEFINITION);
  });
  afterAll(() => tp.close());
  beforeEach(() => tp.thirdParty.reset());

  it('error with sequence [true, true, false]: fails twice, then succeeds; the failures create nothing', async () => {
    const first = await tp.call('POST', '/orders', { body: { sku: 'A' } });
    expect(first.status).toBe(503);
    expect(first.json).toEqual({ error: 'busy' });
    expect((await tp.call('POST', '/orders', { body: { sku: 'B' } })).status).toBe(503);
    expect(tp.thirdParty.items('orders')).toEqual([]);
    const third = await tp.call('POST', '/orders', { body: { sku: 'C' } });
    expect(third.status).toBe(201);
    expect(third.json).toEqual({ id: 1, sku: 'C' });
    expect(tp.thirdParty.items('orders')).toEqual([{ id: 1, sku: 'C' }]);
    expect((await tp.call('POST', '/orders', { body: { sku: 'D' } })).status).toBe(201);
    expect(tp.thirdParty.journal.map((e) => e.status)).toEqual([503, 503, 201, 201]);
    // reset() starts the sequence over.
    tp.thirdParty.reset();
    expect((await tp.call('POST', '/orders', { body: { sku: 'E' } })).status).toBe(503);
  });

  it('latency fixed 200 ms, measured on the wire', async () => {
    const start = performance.now();
    const res = await tp.call('GET', '/slow');
    const elapsed = performance.now() - start;
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true });
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2000);
  });

  it('reset: the client sees ECONNRESET ("fetch failed")', async () => {
    const error = await fetchError(fetch(`${tp.url}/reset`));
    expect(error.message).toBe('fetch failed');
    expect(error.cause?.code).toBe('ECONNRESET');
    expect(tp.thirdParty.journal.at(-1)).toMatchObject({ route: 'reset', status: 0 });
  });

  it('malformed garbage: the body does not parse as JSON', async () => {
    const res = await fetch(`${tp.url}/garbage`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const text = await res.text();
    expect(text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
  });

  it('rateLimit 2/min: two answers with the limiter headers, then 429 with Retry-After', async () => {
    const first = await tp.call('GET', '/limited');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-minute')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining-minute')).toBe('1');
    const second = await tp.call('GET', '/limited');
    expect(second.status).toBe(200);
    expect(second.headers.get('ratelimit-remaining')).toBe('0');
    const third = await tp.call('GET', '/limited');
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(third.json).toEqual({ message: 'API rate limit exceeded' });
    // Other routes have no limit (no top-level rateLimit): untouched.
    const plain = await tp.call('GET', '/plain');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-ratelimit-limit-minute')).toBeNull();
    // reset() refills the bucket.
    tp.thirdParty.reset();
    expect((await tp.call('GET', '/limited')).status).toBe(200);
  });

  it('a route without faults answers as before (no fault attached)', () => {
    const res = tp.thirdParty.handle({ method: 'GET', path: '/plain', query: '', headers: {}, origin: 'http://x' });
    expect(res).toEqual({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' });
  });
});

describe('timeout on the node:http server', () => {
  it('the client gives up with AbortSignal.timeout(300); the server then closes cleanly', async () => {
    const running = await startThirdPartyServer(definition());
    const start = performance.now();
    const error = await fetchError(fetch(`${running.url}/hang`, { signal: AbortSignal.timeout(300) }));
    expect(error.name).toBe('TimeoutError');
    expect(performance.now() - start).toBeGreaterThanOrEqual(290);
    const closing = performance.now();
    await running.close();
    expect(performance.now() - closing).toBeLessThan(1000);
    expect(heldConnections(running.server)).toBe(0);
    expect(running.thirdParty.journal.at(-1)).toMatchObject({ route: 'hang', status: 0 });
  });

  it('close() ends a connection a timeout still holds', async () => {
    const running = await startThirdPartyServer(definition());
    const pending = fetchError(fetch(`${running.url}/hang`));
    while (heldConnections(running.server) === 0) await new Promise((r) => setTimeout(r, 5));
    const closing = performance.now();
    await running.close();
    expect(performance.now() - closing).toBeLessThan(1000);
    expect((await pending).message).toBe('fetch failed');
  });
});

describe('definition faults on the Express app', () => {
  it('error sequence and latency are carried out', async () => {
    const server = createThirdPartyApp(definition()).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port.toString()}`;
    try {
      const post = () => fetch(`${url}/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"sku":"A"}' });
      expect((await post()).status).toBe(503);
      expect((await post()).status).toBe(503);
      expect((await post()).status).toBe(201);
      const start = performance.now();
      expect((await fetch(`${url}/slow`)).status).toBe(200);
      expect(performance.now() - start).toBeGreaterThanOrEqual(190);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('runtime faults through /__sandbox/faults', () => {
  let tp: Served;
  beforeAll(async () => {
    tp = await serveYaml(DEFINITION);
  });
  afterAll(() => tp.close());
  beforeEach(() => tp.thirdParty.reset());

  it('switches a route fault on and off', async () => {
    expect((await tp.call('GET', '/plain')).status).toBe(200);
    const on = await tp.call('POST', '/__sandbox/faults', { body: { route: 'plain', faults: [{ type: 'error', status: 502, body: 'bad gateway' }] } });
    expect(on.status).toBe(204);
    const faulted = await tp.call('GET', '/plain');
    expect(faulted.status).toBe(502);
    expect(faulted.text).toBe('bad gateway');
    const listed = await tp.call('GET', '/__sandbox/faults');
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual({ faults: [{ route: 'plain', faults: [{ type: 'error', status: 502, body: 'bad gateway' }], exclusive: false }] });
    expect((await tp.call('DELETE', '/__sandbox/faults', { query: 'route=plain' })).status).toBe(204);
    expect((await tp.call('GET', '/plain')).status).toBe(200);
    expect((await tp.call('GET', '/__sandbox/faults')).json).toEqual({ faults: [] });
  });

  it('"*" applies to every route; exclusive switches the definition faults off; DELETE without a route clears all', async () => {
    expect((await tp.call('POST', '/__sandbox/faults', { body: { route: '*', faults: [], exclusive: true } })).status).toBe(204);
    const slowStart = performance.now();
    expect((await tp.call('GET', '/slow')).status).toBe(200);
    expect(performance.now() - slowStart).toBeLessThan(190);
    expect((await tp.call('POST', '/orders', { body: { sku: 'A' } })).status).toBe(201);
    expect((await tp.call('POST', '/__sandbox/faults', { body: { route: '*', faults: [{ type: 'error', status: 500, sequence: [true, false] }] } })).status).toBe(204);
    expect((await tp.call('GET', '/plain')).status).toBe(500);
    expect((await tp.call('GET', '/plain')).status).toBe(200);
    expect((await tp.call('DELETE', '/__sandbox/faults')).status).toBe(204);
    expect((await tp.call('GET', '/__sandbox/faults')).json).toEqual({ faults: [] });
  });

  it('reset() switches runtime faults off', async () => {
    await tp.call('POST', '/__sandbox/faults', { body: { route: 'plain', faults: [{ type: 'error', status: 500 }] } });
    expect((await tp.call('POST', '/__sandbox/reset')).status).toBe(204);
    expect((await tp.call('GET', '/plain')).status).toBe(200);
  });

  it('invalid faults: 400 with the validation messages', async () => {
    const bad = await tp.call('POST', '/__sandbox/faults', { body: { route: 'plain', faults: [{ type: 'latency', distribution: 'fixed' }, { type: 'boom' }] } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      error: 'invalid_faults',
      problems: ['faults[0].ms: must be a number >= 0', 'faults[1].type: must be latency, error, timeout, reset, malformed or slowBody'],
    });
    const unknown = await tp.call('POST', '/__sandbox/faults', { body: { route: 'nope', faults: [], extra: 1 } });
    expect(unknown.status).toBe(400);
    expect((unknown.json as { problems: string[] }).problems).toEqual(['unknown key "extra" (route, faults, exclusive)', expect.stringMatching(/^route: no route "nope"/)]);
    expect((await tp.call('POST', '/__sandbox/faults', { body: 'not json', headers: { 'Content-Type': 'application/json' } })).status).toBe(400);
    expect((await tp.call('PUT', '/__sandbox/faults', { body: {} })).status).toBe(405);
    expect((await tp.call('GET', '/__sandbox/faults')).json).toEqual({ faults: [] });
  });

  it('a custom planFault hook replaces the default: no runtime faults (501)', () => {
    const tp2 = createThirdParty(definition(), { planFault: () => undefined });
    expect(tp2.runtimeFaults).toBeUndefined();
    expect(tp2.handle({ method: 'GET', path: '/__sandbox/faults', query: '', headers: {}, origin: 'http://x' }).status).toBe(501);
    expect(tp2.handle({ method: 'POST', path: '/orders', query: '', headers: { 'content-type': 'application/json' }, body: Buffer.from('{"a":1}'), origin: 'http://x' }).status).toBe(201);
  });
});

describe('definition faults through msw', () => {
  const baseUrl = 'https://faulty.example.com';
  const thirdParty = createThirdParty(definition());
  const msw = setupServer(...thirdPartyHandlers({ thirdParty, baseUrl }));
  beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => msw.close());
  beforeEach(() => thirdParty.reset());

  it('error sequence, reset as a network error, timeout ended by the client, rate limit', async () => {
    const post = () => fetch(`${baseUrl}/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"sku":"A"}' });
    expect((await post()).status).toBe(503);
    expect((await post()).status).toBe(503);
    expect(thirdParty.items('orders')).toEqual([]);
    expect((await post()).status).toBe(201);
    expect(thirdParty.items('orders')).toHaveLength(1);

    expect((await fetchError(fetch(`${baseUrl}/reset`))).name).toBe('TypeError');
    const timedOut = await fetchError(fetch(`${baseUrl}/hang`, { signal: AbortSignal.timeout(300) }));
    expect(timedOut.name).toBe('TimeoutError');

    expect((await fetch(`${baseUrl}/limited`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/limited`)).status).toBe(200);
    const refused = await fetch(`${baseUrl}/limited`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).not.toBeNull();
  });
});
