/**
 * The fetch/msw side (`mock-third-party/faults/fetch-transport.ts`): plans carried out as fetch
 * `Response`s, directly and through msw answering global fetch in-process.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResponse as ServiceResponse } from '../../mock-commerce/http/types.js';
import { responseWithFault } from '../../mock-third-party/faults/fetch-transport.js';
import { createFaultState, planFault, type FaultInput, type FaultPlan } from '../../mock-third-party/faults/plan.js';

const PAYLOAD = { id: 'C-7', name: 'Acme', tags: ['a', 'b', 'c'] };
const JSON_BODY = JSON.stringify(PAYLOAD);
const OK: ServiceResponse = { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON_BODY };

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const start = performance.now();
  try {
    const value = await promise;
    return { value, ms: performance.now() - start };
  } catch (error) {
    return { error, ms: performance.now() - start };
  }
}

describe('responseWithFault', () => {
  it('without faults: the response, with Content-Length', async () => {
    const res = await responseWithFault(OK, { delayMs: 0 });
    if (res === 'network-error') throw new Error('unexpected');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(JSON_BODY.length));
    expect(await res.json()).toEqual(PAYLOAD);
  });

  it('delays', async () => {
    const { ms } = await settle(responseWithFault(OK, { delayMs: 120 }));
    expect(ms).toBeGreaterThanOrEqual(110);
  });

  it('a delay ends early with network-error when the signal aborts', async () => {
    const { value, ms } = await settle(responseWithFault(OK, { delayMs: 10_000 }, { signal: AbortSignal.timeout(50) }));
    expect(value).toBe('network-error');
    expect(ms).toBeLessThan(1000);
  });

  it('reset: network-error', async () => {
    expect(await responseWithFault(OK, { delayMs: 0, drop: 'reset' })).toBe('network-error');
  });

  it('timeout: never settles until the signal aborts', async () => {
    const controller = new AbortController();
    let settled = false;
    const pending = responseWithFault(OK, { delayMs: 0, drop: 'timeout' }, { signal: controller.signal }).then((r) => {
      settled = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).toBe(false);
    controller.abort();
    expect(await pending).toBe('network-error');
  });

  it('error: the error fault’s response', async () => {
    const res = await responseWithFault(OK, { delayMs: 0, error: { status: 502, body: 'bad gateway', headers: { 'X-Upstream': 'down' } } });
    if (res === 'network-error') throw new Error('unexpected');
    expect(res.status).toBe(502);
    expect(res.headers.get('x-upstream')).toBe('down');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('bad gateway');
  });

  it('truncate: full Content-Length; reading the body fails after half of it', async () => {
    const res = await responseWithFault(OK, { delayMs: 0, corrupt: 'truncate' });
    if (res === 'network-error') throw new Error('unexpected');
    expect(res.headers.get('content-length')).toBe(String(JSON_BODY.length));
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    const chunks: Uint8Array[] = [];
    let failure: unknown;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
      }
    } catch (e) {
      failure = e;
    }
    expect(failure).toBeInstanceOf(TypeError);
    expect(Buffer.concat(chunks).toString()).toBe(JSON_BODY.slice(0, Math.floor(JSON_BODY.length / 2)));
  });

  it('garbage: same length, JSON parsing fails', async () => {
    const res = await responseWithFault(OK, { delayMs: 0, corrupt: 'garbage' });
    if (res === 'network-error') throw new Error('unexpected');
    const clone = res.clone();
    expect((await clone.arrayBuffer()).byteLength).toBe(JSON_BODY.length);
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('slowBody: the body stream is paced', async () => {
    const body = Buffer.alloc(600, 'x');
    const res = await responseWithFault({ status: 200, headers: {}, body }, { delayMs: 0, bytesPerSecond: 2000 });
    if (res === 'network-error') throw new Error('unexpected');
    const { value, ms } = await settle(res.arrayBuffer());
    expect(Buffer.from(value ?? new ArrayBuffer(0)).equals(body)).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(280);
  });

  it('null-body statuses and HEAD get no body', async () => {
    const noContent = await responseWithFault({ status: 204, headers: {}, body: '' }, { delayMs: 0, corrupt: 'garbage' });
    expect(noContent !== 'network-error' && noContent.body).toBe(null);
    const head = await responseWithFault(OK, { delayMs: 0 }, { method: 'HEAD' });
    expect(head !== 'network-error' && head.body).toBe(null);
  });
});

describe('responseWithFault behind msw', () => {
  const BASE = 'https://erp.example.com';
  const state = createFaultState(21);
  const routes: Record<string, FaultInput[]> = {
    ok: [],
    reset: [{ type: 'reset' }],
    timeout: [{ type: 'timeout' }],
    truncate: [{ type: 'malformed', mode: 'truncate' }],
    garbage: [{ type: 'malformed', mode: 'garbage' }],
    flaky: [{ type: 'error', status: 503, sequence: [true, true, false] }],
    slow: [{ type: 'latency', distribution: 'fixed', ms: 150 }],
  };
  const settled: string[] = [];
  const server = setupServer(
    http.all(`${BASE}/:route`, async ({ request, params }) => {
      const routeId = String(params.route);
      const plan: FaultPlan = planFault(routes[routeId] ?? [], state, { routeId, now: Date.now() });
      const result = await responseWithFault(OK, plan, { signal: request.signal, method: request.method });
      settled.push(routeId);
      return result === 'network-error' ? HttpResponse.error() : result;
    }),
  );

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('answers normally without faults', async () => {
    expect(await (await fetch(`${BASE}/ok`)).json()).toEqual(PAYLOAD);
  });

  it('reset: fetch rejects with a TypeError', async () => {
    const { error } = await settle(fetch(`${BASE}/reset`));
    expect(error).toBeInstanceOf(TypeError);
  });

  it('timeout: the client’s AbortSignal.timeout ends the call', async () => {
    const { error, ms } = await settle(fetch(`${BASE}/timeout`, { signal: AbortSignal.timeout(300) }));
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(2000);
    // msw hands the client's signal to the handler: the never-ending wait ends with the client.
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toContain('timeout');
  });

  it('truncate: reading the body fails', async () => {
    const res = await fetch(`${BASE}/truncate`);
    expect(res.status).toBe(200);
    const { error } = await settle(res.text());
    expect(error).toBeInstanceOf(Error);
  });

  it('garbage: JSON parsing fails', async () => {
    const res = await fetch(`${BASE}/garbage`);
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('error sequence: fail twice, then succeed', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${BASE}/flaky`)).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
  });

  it('latency', async () => {
    const { ms } = await settle(fetch(`${BASE}/slow`));
    expect(ms).toBeGreaterThanOrEqual(140);
  });
});
