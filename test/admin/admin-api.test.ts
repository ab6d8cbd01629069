/**
 * The sandbox admin API under `/__sandbox` (health, request journal, reset, cron jobs) and its access
 * rule (loopback, or a bearer token from elsewhere), over real HTTP on ephemeral ports.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isLocalAddress } from '../../mock-commerce/admin/admin.js';
import type { JournalEntry } from '../../mock-commerce/admin/journal.js';
import { createCommerceApp, type RunningServer } from '../../mock-commerce/app.js';
import type { Commerce } from '../../mock-commerce/commerce.js';
import { toHttpRequest } from '../../mock-commerce/http/node-adapter.js';
import type { HttpRequest, HttpResponse } from '../../mock-commerce/http/types.js';
import { DEMO, basic, businessSnapshot, fixtureProject, load, serve } from '../helpers/commerce.js';

const AUTH = basic('integrationuser', 'sandbox');
const PRODUCTS = '/odata2webservices/ThirdPartyInboundProduct/Products';
const newProduct = (code: string) => ({ code, reviewCount: 7, catalogVersion: { version: 'Online', catalog: { id: 'sandboxProductCatalog' } } });

/** A request as the transport adapters build it, for calling `commerce.handle` directly. */
function adminRequest(path: string, overrides: Partial<HttpRequest> = {}): HttpRequest {
  const q = path.indexOf('?');
  return { method: 'GET', path: q < 0 ? path : path.slice(0, q), query: q < 0 ? '' : path.slice(q + 1), headers: {}, origin: 'http://localhost', ...overrides };
}

/** `commerce.handle` for routes that answer synchronously (everything but cron runs and the clock). */
function handleNow(commerce: Commerce, request: HttpRequest): HttpResponse {
  const answer = commerce.handle(request);
  if (answer instanceof Promise) throw new Error(`expected a synchronous answer for ${request.path}`);
  return answer;
}

function bodyOf(body: string | Buffer): unknown {
  return JSON.parse(body.toString()) as unknown;
}

describe('sandbox admin API over HTTP (demo project)', () => {
  let commerce: Commerce;
  let server: RunningServer;
  beforeAll(async () => {
    ({ commerce, server } = await serve({ projectDir: DEMO }));
  });
  afterAll(() => server.close());

  const admin = (path: string, init: RequestInit = {}) => fetch(`${server.url}/__sandbox${path}`, init);
  const journal = async (query = ''): Promise<JournalEntry[]> => {
    const res = await admin(`/requests${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    return ((await res.json()) as { requests: JournalEntry[] }).requests;
  };
  const countProducts = async (): Promise<number> => {
    const res = await fetch(`${server.url}${PRODUCTS}/$count`, { headers: { Authorization: AUTH } });
    expect(res.status).toBe(200);
    return Number(await res.text());
  };
  const post = (body: unknown) =>
    fetch(`${server.url}${PRODUCTS}`, { method: 'POST', headers: { Authorization: AUTH, 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });

  afterEach(async () => {
    expect((await admin('/reset', { method: 'POST' })).status).toBe(204);
  });

  it('GET /__sandbox/health says UP with the version, integration objects and store size', async () => {
    const res = await admin('/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const health = (await res.json()) as Record<string, unknown>;
    expect(health).toEqual({
      status: 'UP',
      system: 'commerce',
      version: '2211',
      integrationObjects: commerce.integrationObjects.codes().length,
      items: commerce.store.size,
    });
    expect(commerce.integrationObjects.codes()).toEqual(expect.arrayContaining(['Orders', 'ThirdPartyInboundProduct']));
    expect(health.items).toBeGreaterThan(10);
  });

  it('the journal records reads and writes with masked credentials and parsed JSON bodies, oldest first', async () => {
    expect((await admin('/requests', { method: 'DELETE' })).status).toBe(204);
    const read = await fetch(`${server.url}${PRODUCTS}?$top=1&$format=json`, { headers: { Authorization: AUTH } });
    expect(read.status).toBe(200);
    expect((await post(newProduct('J-1'))).status).toBe(201);
    const bearer = await fetch(`${server.url}/odata2webservices/Orders/Orders`, { headers: { Authorization: 'Bearer abc.def' } });
    expect(bearer.status).toBe(401);
    const text = await fetch(`${server.url}/odata2webservices/Orders/Orders`, { method: 'POST', headers: { Authorization: AUTH, 'Content-Type': 'text/plain' }, body: 'not json' });

    const entries = await journal();
    expect(entries.map((e) => [e.method, e.path, e.status])).toEqual([
      ['GET', PRODUCTS, 200],
      ['POST', PRODUCTS, 201],
      ['GET', '/odata2webservices/Orders/Orders', 401],
      ['POST', '/odata2webservices/Orders/Orders', text.status],
    ]);
    const [get, created, unauthorised, plain] = entries as [JournalEntry, JournalEntry, JournalEntry, JournalEntry];
    expect(get.query).toBe('$top=1&$format=json');
    expect(get.headers.authorization).toBe('Basic ***');
    expect(get.body).toBeNull();
    expect(get.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(get.time) - Date.now())).toBeLessThan(60_000);
    expect(get.durationMs).toBeGreaterThanOrEqual(0);
    expect(created.body).toEqual(newProduct('J-1'));
    expect(created.headers['content-type']).toBe('application/json');
    expect(created.headers.authorization).toBe('Basic ***');
    expect(unauthorised.headers.authorization).toBe('Bearer ***');
    expect(plain.body).toBe('not json');
    expect(JSON.stringify(entries)).not.toContain(Buffer.from('integrationuser:sandbox').toString('base64'));
    expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort((a, b) => a - b));
    expect(new Set(entries.map((e) => e.id)).size).toBe(4);
    // Admin requests themselves are not journaled.
    expect((await journal()).length).toBe(4);
  });

  it('filters by method, path (substring or /regex/) and status; DELETE clears', async () => {
    await fetch(`${server.url}${PRODUCTS}('x')`, { headers: { Authorization: AUTH } });
    await post(newProduct('F-1'));
    await fetch(`${server.url}/odata2webservices/Orders/$metadata`, { headers: { Authorization: AUTH } });
    await fetch(`${server.url}/odata2webservices/Orders/$metadata`);

    expect((await journal('?method=post')).map((e) => e.path)).toEqual([PRODUCTS]);
    expect((await journal('?path=Orders')).map((e) => e.status)).toEqual([200, 401]);
    expect((await journal(`?path=${encodeURIComponent('/\\$metadata$/')}`)).length).toBe(2);
    expect((await journal(`?path=${encodeURIComponent('/products/i')}`)).length).toBe(2);
    expect((await journal('?status=401')).map((e) => e.path)).toEqual(['/odata2webservices/Orders/$metadata']);
    expect((await journal('?method=GET&path=Orders&status=200')).length).toBe(1);
    expect(await journal('?method=DELETE')).toEqual([]);

    const badRegex = await admin(`/requests?path=${encodeURIComponent('/(/')}`);
    expect(badRegex.status).toBe(400);
    expect(((await badRegex.json()) as { error: string }).error).toMatch(/invalid path filter/);
    expect((await admin('/requests?status=abc')).status).toBe(400);

    const cleared = await admin('/requests', { method: 'DELETE' });
    expect(cleared.status).toBe(204);
    expect(await cleared.text()).toBe('');
    expect(await journal()).toEqual([]);
  });

  it('cuts bodies over 64 kB and gives them as text', async () => {
    await admin('/requests', { method: 'DELETE' });
    const big = JSON.stringify({ ...newProduct('BIG'), padding: 'x'.repeat(70 * 1024) });
    await post(JSON.parse(big));
    const [entry] = await journal();
    expect(typeof entry!.body).toBe('string');
    expect((entry!.body as string).length).toBe(64 * 1024);
    expect(big.startsWith(entry!.body as string)).toBe(true);
  });

  it('POST /__sandbox/reset restores the loaded store and clears the journal', async () => {
    const loaded = businessSnapshot(commerce);
    const loadedSize = commerce.store.size;
    const before = await countProducts();
    expect((await post(newProduct('R-1'))).status).toBe(201);
    expect(await countProducts()).toBe(before + 1);

    const reset = await admin('/reset', { method: 'POST' });
    expect(reset.status).toBe(204);
    expect(await reset.text()).toBe('');
    expect(await journal()).toEqual([]);
    expect(await countProducts()).toBe(before);
    expect(businessSnapshot(commerce)).toBe(loaded);
    const gone = await fetch(`${server.url}${PRODUCTS}('sandboxProductCatalog|Online|R-1')`, { headers: { Authorization: AUTH } });
    expect(gone.status).toBe(404);
    // The InboundRequest monitoring record of the write is gone too: the store is exactly as loaded.
    expect(commerce.store.size).toBe(loadedSize);
  });

  it('admin paths never reach Commerce authentication', async () => {
    for (const path of ['/health', '/requests']) {
      const res = await admin(path, { headers: { Authorization: basic('nobody', 'wrong') } });
      expect(res.status).toBe(200);
      expect(res.headers.get('www-authenticate')).toBeNull();
    }
    const unknown = await admin('/nothing-here');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'not found' });
    const root = await fetch(`${server.url}/__sandbox`);
    expect(root.status).toBe(404);
    const wrongMethod = await admin('/health', { method: 'POST' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect(await wrongMethod.json()).toEqual({ error: 'method not allowed' });
    expect((await admin('/reset')).status).toBe(405);
  });

  it('POST /__sandbox/cronjobs/{code}/perform → what the installed runner answers, 404 for an unknown cron job', async () => {
    const none = await admin('/cronjobs/noSuchCronJob/perform', { method: 'POST' });
    expect(none.status).toBe(404);
    expect(none.headers.get('content-type')).toBe('application/json');
    expect(await none.json()).toEqual({ error: 'no such cron job' });

    const seen: string[] = [];
    const commerceRunner = commerce.admin.setCronJobRunner((code) => {
      seen.push(code);
      if (code === 'broken') throw new Error('job failed');
      return code === 'outbound sync' ? { body: { code, result: 'SUCCESS', status: 'FINISHED' } } : undefined;
    });
    try {
      const ran = await admin('/cronjobs/outbound%20sync/perform', { method: 'POST' });
      expect(ran.status).toBe(200);
      expect(await ran.json()).toEqual({ code: 'outbound sync', result: 'SUCCESS', status: 'FINISHED' });
      expect((await admin('/cronjobs/other/perform', { method: 'POST' })).status).toBe(404);
      const broken = await admin('/cronjobs/broken/perform', { method: 'POST' });
      expect(broken.status).toBe(500);
      expect(await broken.json()).toEqual({ error: 'job failed' });
      expect((await admin('/cronjobs/other/perform')).status).toBe(405);
      expect(seen).toEqual(['outbound sync', 'other', 'broken']);
    } finally {
      commerce.admin.setCronJobRunner(commerceRunner);
    }
  });
});

describe('reset forgets OAuth and CSRF tokens', () => {
  let server: RunningServer;
  let commerce: Commerce;
  beforeAll(async () => {
    ({ commerce, server } = await serve({ projectDir: fixtureProject('inbound-product'), properties: { 'sandbox.csrf.enabled': 'true' } }));
  });
  afterAll(() => server.close());

  it('an OAuth token issued before a reset is unknown after it', async () => {
    const issued = await fetch(`${server.url}/authorizationserver/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=scpi-client&client_secret=client-secret',
    });
    expect(issued.status).toBe(200);
    const token = ((await issued.json()) as { access_token: string }).access_token;
    const read = () => fetch(`${server.url}/odata2webservices/SecuredCatalog/Catalogs('Default')`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
    expect((await read()).status).toBe(200);

    // The token request is journaled with its client secret masked.
    const journaled = ((await (await fetch(`${server.url}/__sandbox/requests?path=/authorizationserver`)).json()) as { requests: JournalEntry[] }).requests;
    expect(journaled[0]!.body).toBe('grant_type=client_credentials&client_id=scpi-client&client_secret=***');

    expect((await fetch(`${server.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
    const after = await read();
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: string }).error).toBe('invalid_token');
    expect(commerce.oauth.token(token)).toBeUndefined();
  });

  it('a CSRF token issued before a reset is refused after it', async () => {
    const auth = basic('integration', 'pass');
    const fetched = await fetch(`${server.url}/odata2webservices/InboundProduct/$metadata`, { method: 'HEAD', headers: { Authorization: auth, 'X-CSRF-Token': 'Fetch' } });
    const token = fetched.headers.get('x-csrf-token');
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const write = (code: string) =>
      fetch(`${server.url}/odata2webservices/InboundProduct/Products`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json', 'X-CSRF-Token': token! },
        body: JSON.stringify({ code, catalogVersion: { version: 'Staged', catalog: { id: 'Default' } } }),
      });
    expect((await write('csrf-1')).status).toBe(201);
    expect((await fetch(`${server.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
    expect((await write('csrf-2')).status).toBe(403);
  });

  it('reset listeners run after the store is restored', () => {
    const listener = vi.fn();
    const off = commerce.admin.onReset(listener);
    expect(handleNow(commerce, adminRequest('/__sandbox/reset', { method: 'POST' })).status).toBe(204);
    off();
    expect(handleNow(commerce, adminRequest('/__sandbox/reset', { method: 'POST' })).status).toBe(204);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe('access from other hosts', () => {
  it('is refused without a configured token, whatever the client sends', () => {
    const commerce = load({ projectDir: DEMO });
    for (const headers of [{}, { authorization: 'Bearer anything' }, { authorization: AUTH }]) {
      const res = handleNow(commerce, adminRequest('/__sandbox/health', { remoteAddress: '10.0.0.5', headers }));
      expect(res.status).toBe(403);
      expect(res.headers['Content-Type']).toBe('application/json');
      expect(bodyOf(res.body)).toEqual({ error: 'forbidden' });
    }
    // Even unknown admin paths and reset: nothing is revealed or done.
    expect(handleNow(commerce, adminRequest('/__sandbox/nothing', { remoteAddress: '10.0.0.5' })).status).toBe(403);
    expect(handleNow(commerce, adminRequest('/__sandbox/reset', { method: 'POST', remoteAddress: '10.0.0.5' })).status).toBe(403);
    // Loopback and in-process requests need no token.
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1', undefined]) {
      const res = handleNow(commerce, adminRequest('/__sandbox/health', remoteAddress === undefined ? {} : { remoteAddress }));
      expect(res.status).toBe(200);
    }
  });

  it('is allowed with the sandbox.admin.token bearer token', () => {
    const commerce = load({ projectDir: DEMO, commerceVersion: '2005', properties: { 'sandbox.admin.token': 's3cret-token' } });
    const from = (authorization?: string) =>
      handleNow(commerce, adminRequest('/__sandbox/health', { remoteAddress: '10.0.0.5', headers: authorization === undefined ? {} : { authorization } }));
    const ok = from('Bearer s3cret-token');
    expect(ok.status).toBe(200);
    expect(bodyOf(ok.body)).toMatchObject({ status: 'UP', system: 'commerce', version: '2005' });
    expect(from('bearer s3cret-token').status).toBe(200);
    expect(from().status).toBe(403);
    expect(from('Bearer wrong').status).toBe(403);
    expect(from('Bearer s3cret-token-and-more').status).toBe(403);
    expect(from('Basic s3cret-token').status).toBe(403);
  });

  it('recognises loopback addresses', () => {
    expect(isLocalAddress('127.0.0.1')).toBe(true);
    expect(isLocalAddress('127.1.2.3')).toBe(true);
    expect(isLocalAddress('::1')).toBe(true);
    expect(isLocalAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLocalAddress(undefined)).toBe(true);
    expect(isLocalAddress('10.0.0.5')).toBe(false);
    expect(isLocalAddress('::ffff:10.0.0.5')).toBe(false);
    expect(isLocalAddress('1270.0.0.1')).toBe(false);
    expect(isLocalAddress('fe80::1')).toBe(false);
  });
});

describe('transport adapters fill in the remote address', () => {
  let server: Server;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('node:http', async () => {
    const seen: HttpRequest[] = [];
    server = createServer((req, res) => {
      seen.push(toHttpRequest(req, undefined, 'http://127.0.0.1'));
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
    expect(seen[0]!.remoteAddress).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it('Express', async () => {
    const commerce = load({ projectDir: DEMO });
    const handle = vi.spyOn(commerce, 'handle');
    const res = await request(createCommerceApp(commerce)).get('/__sandbox/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'UP', system: 'commerce' });
    expect(isLocalAddress(handle.mock.calls[0]![0].remoteAddress)).toBe(true);
    expect(handle.mock.calls[0]![0].remoteAddress).toBeDefined();
  });
});

describe('journal size', () => {
  it('keeps the last sandbox.admin.journal.size requests', () => {
    const commerce = load({ projectDir: DEMO, properties: { 'sandbox.admin.journal.size': '3' } });
    for (let i = 0; i < 5; i++) handleNow(commerce, adminRequest(`/odata2webservices/Orders/r${i}`));
    const entries = (bodyOf(handleNow(commerce, adminRequest('/__sandbox/requests')).body) as { requests: JournalEntry[] }).requests;
    expect(entries.map((e) => e.path)).toEqual(['/odata2webservices/Orders/r2', '/odata2webservices/Orders/r3', '/odata2webservices/Orders/r4']);
    expect(entries.map((e) => e.status)).toEqual([401, 401, 401]);
  });

  it('keeps 10,000 by default and drops the oldest beyond', () => {
    const commerce = load({ projectDir: DEMO });
    for (let i = 0; i < 10_005; i++) handleNow(commerce, adminRequest(`/nowhere/${i}`));
    expect(commerce.admin.journal.size).toBe(10_000);
    const entries = (bodyOf(handleNow(commerce, adminRequest('/__sandbox/requests')).body) as { requests: JournalEntry[] }).requests;
    expect(entries.length).toBe(10_000);
    expect(entries[0]!.path).toBe('/nowhere/5');
    expect(entries.at(-1)!.path).toBe('/nowhere/10004');
  });

  it('uses the sandbox clock for entry times', () => {
    const commerce = load({ projectDir: DEMO, clock: () => Date.UTC(2024, 0, 2, 3, 4, 5) });
    handleNow(commerce, adminRequest('/odata2webservices/Orders'));
    const [entry] = (bodyOf(handleNow(commerce, adminRequest('/__sandbox/requests')).body) as { requests: JournalEntry[] }).requests;
    expect(entry!.time).toBe('2024-01-02T03:04:05.000Z');
  });
});
