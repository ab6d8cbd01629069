/**
 * The msw adapter (`mock-commerce/msw.ts`): the simulated Commerce answers `fetch` in-process, and
 * answers exactly as the node:http server does — same status, headers and bytes, same HttpRequest
 * handed to the core (raw percent-encoded path, raw query, lower-cased headers, body Buffer).
 */
import { getResponse, http, HttpResponse, passthrough } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { startCommerceServer, type RunningServer } from '../../mock-commerce/app.js';
import type { Commerce } from '../../mock-commerce/commerce.js';
import type { HttpRequest, HttpResponse as CommerceResponse } from '../../mock-commerce/http/types.js';
import { commerceHandlers } from '../../mock-commerce/msw.js';
import { DEMO, basic, load } from '../helpers/commerce.js';

const BASE = 'https://my-commerce.example.com';
const OTHER = 'https://other.example.com';
const AUTH = basic('integrationuser', 'sandbox');
/** Headers the node:http server adds as a transport; everything else must come out of both adapters alike. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

interface Answer {
  status: number;
  /** All headers but the transport ones (Content-Length is checked against the body instead). */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Reads a response. Bodies may hold absolute URLs built from the request origin, which differs between
 * the two adapters by design (msw: baseUrl; node: 127.0.0.1:port): `origin` is rewritten to BASE first.
 */
async function answerOf(res: Response, method: string, origin = BASE): Promise<Answer> {
  const raw = Buffer.from(await res.arrayBuffer());
  if (method !== 'HEAD' && ![204, 304].includes(res.status)) {
    // Content-Length is the length of exactly these bytes, in both adapters.
    expect(res.headers.get('content-length')).toBe(String(raw.length));
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!TRANSPORT_HEADERS.has(name)) headers[name] = value.replaceAll(origin, BASE);
  });
  return { status: res.status, headers, body: Buffer.from(raw.toString('utf8').replaceAll(origin, BASE), 'utf8') };
}

/** A stand-in core for what the demo cannot provoke (async answers, throws, 204). */
function fakeCommerce(handle: (request: HttpRequest) => CommerceResponse | Promise<CommerceResponse>): Commerce {
  return { handle } as unknown as Commerce;
}

describe('commerceHandlers (msw)', () => {
  let commerce: Commerce;
  let reference: RunningServer;
  let server: SetupServer;
  let handle: MockInstance<Commerce['handle']>;

  beforeAll(async () => {
    commerce = load({ projectDir: DEMO });
    reference = await startCommerceServer(commerce);
    handle = vi.spyOn(commerce, 'handle');
    server = setupServer(
      ...commerceHandlers({ commerce, baseUrl: BASE }),
      // The node:http server the answers are compared with is really on the network.
      http.all(({ request }) => new URL(request.url).origin === reference.url, () => passthrough()),
      // Whatever the Commerce handlers leave alone reaches these.
      http.all(`${BASE}/*`, () => HttpResponse.text('fallback: same host')),
      http.all(`${OTHER}/*`, () => HttpResponse.text('fallback: other host')),
    );
    server.listen({ onUnhandledRequest: 'error' });
  });
  afterAll(async () => {
    server.close();
    handle.mockRestore();
    await reference.close();
  });
  beforeEach(() => {
    handle.mockClear();
  });

  /** The HttpRequests the core received, in order. */
  const seen = (): HttpRequest[] => handle.mock.calls.map((c) => c[0]);

  /** Sends the same request in-process (msw) and to the node:http server; returns both answers and what the core saw. */
  async function both(path: string, init: RequestInit = {}): Promise<{ msw: Answer; node: Answer; mswSeen: HttpRequest; nodeSeen: HttpRequest }> {
    handle.mockClear();
    const method = init.method ?? 'GET';
    const msw = await answerOf(await fetch(`${BASE}${path}`, init), method);
    const node = await answerOf(await fetch(`${reference.url}${path}`, init), method, reference.url);
    const [mswSeen, nodeSeen, ...rest] = seen();
    expect(rest).toEqual([]);
    return { msw, node, mswSeen: mswSeen!, nodeSeen: nodeSeen! };
  }

  it('serves $metadata of Orders byte for byte as the node:http server does', async () => {
    const { msw, node, mswSeen } = await both('/odata2webservices/Orders/$metadata', { headers: { Authorization: AUTH } });
    expect(msw.status).toBe(200);
    expect(msw.headers['content-type']).toBe('application/xml');
    expect(msw.headers.dataserviceversion).toBe('1.0');
    expect(msw.body.toString('utf8')).toContain('<EntityType Name="Order">');
    expect(msw.headers).toEqual(node.headers);
    expect(msw.body.equals(node.body)).toBe(true);
    expect(mswSeen.origin).toBe(BASE);
    expect(mswSeen.headers.host).toBe('my-commerce.example.com');
  });

  it('passes the query string raw (?Item restriction)', async () => {
    const { msw, node, mswSeen } = await both('/odata2webservices/Orders/$metadata?Catalog', { headers: { Authorization: AUTH } });
    expect(msw.status).toBe(200);
    expect(msw.body.equals(node.body)).toBe(true);
    expect(mswSeen.query).toBe('Catalog');
    const odd = await both('/odata2webservices/Orders/$metadata?%24filter=a%20eq%20%27b%27', { headers: { Authorization: AUTH } });
    expect(odd.mswSeen.query).toBe('%24filter=a%20eq%20%27b%27');
    expect(odd.mswSeen.query).toBe(odd.nodeSeen.query);
    expect(odd.msw).toEqual(odd.node);
  });

  it('no credentials → 401 with a Basic challenge, as the node:http server answers', async () => {
    const { msw, node } = await both('/odata2webservices/Orders/$metadata');
    expect(msw.status).toBe(401);
    expect(msw.headers['www-authenticate']).toMatch(/^Basic realm="/);
    expect(msw).toEqual(node);
  });

  it('an unknown integration object → 404', async () => {
    const { msw, node } = await both('/odata2webservices/NoSuchObject/$metadata', { headers: { Authorization: AUTH } });
    expect(msw.status).toBe(404);
    expect(msw).toEqual(node);
  });

  it('HEAD answers the GET headers without a body', async () => {
    const { msw, node, mswSeen } = await both('/odata2webservices/Orders/$metadata', { method: 'HEAD', headers: { Authorization: AUTH } });
    expect(mswSeen.method).toBe('HEAD');
    expect(msw.status).toBe(200);
    expect(msw.headers['content-type']).toBe('application/xml');
    expect(msw.body.length).toBe(0);
    expect(msw).toEqual(node);
    const init = { method: 'HEAD', headers: { Authorization: AUTH } };
    const lengths = await Promise.all([BASE, reference.url].map(async (o) => (await fetch(`${o}/odata2webservices/Orders/$metadata`, init)).headers.get('content-length')));
    expect(lengths[0]).toBe(lengths[1]);
  });

  it('hands the path over still percent-encoded: Orders%2F$metadata is not Orders/$metadata', async () => {
    const encoded = await both('/odata2webservices/Orders%2F$metadata', { headers: { Authorization: AUTH } });
    expect(encoded.mswSeen.path).toBe('/odata2webservices/Orders%2F$metadata');
    expect(encoded.nodeSeen.path).toBe(encoded.mswSeen.path);
    expect(encoded.msw.status).toBe(404);
    expect(encoded.msw).toEqual(encoded.node);
  });

  it('keeps %7C and %257C in keys as sent', async () => {
    const init = { headers: { Authorization: AUTH, Accept: 'application/json' } };
    for (const path of [
      "/odata2webservices/Orders/OrderEntries('0%7C00001001')",
      "/odata2webservices/Orders/Orders('00001001%257Cx')",
      "/odata2webservices/Orders/Orders('a|b')",
    ]) {
      const { msw, node, mswSeen, nodeSeen } = await both(path, init);
      expect(mswSeen.path, path).toBe(path);
      expect(nodeSeen.path, path).toBe(path);
      expect(msw, path).toEqual(node);
    }
    // %7C is decoded once, to the '|' of the entry's integration key, and the entry is found …
    const entry = await fetch(`${BASE}/odata2webservices/Orders/OrderEntries('0%7C00001001')`, init);
    expect(entry.status).toBe(200);
    const json = (await entry.json()) as { d: { integrationKey: string; __metadata: { uri: string } } };
    expect(json.d.integrationKey).toBe('0|00001001');
    // … and absolute URLs are built on baseUrl.
    expect(json.d.__metadata.uri).toBe(`${BASE}/odata2webservices/Orders/OrderEntries('0%7C00001001')`);
    // %257C is decoded once too: to a key holding a literal "%7C", not to '|'.
    const literal = await fetch(`${BASE}/odata2webservices/Orders/Orders('00001001%257Cx')`, init);
    expect(literal.status).toBe(404);
    expect(await literal.text()).toContain('00001001%7Cx');
  });

  it('a malformed escape reaches the core (msw path matching would throw on it)', async () => {
    const { msw, node, mswSeen } = await both('/odata2webservices/%ZZ/$metadata', { headers: { Authorization: AUTH } });
    expect(mswSeen.path).toBe('/odata2webservices/%ZZ/$metadata');
    expect(msw.status).toBe(404);
    expect(msw).toEqual(node);
  });

  it('translates method, lower-cased headers and the body as the node:http adapter does', async () => {
    const payload = JSON.stringify({ code: 'X-1', entries: [{ entryNumber: 1 }] });
    for (const method of ['POST', 'PATCH', 'MERGE', 'PUT', 'DELETE']) {
      const { msw, node, mswSeen, nodeSeen } = await both('/odata2webservices/Orders/Orders', {
        method,
        headers: { Authorization: AUTH, 'Content-Type': 'application/json', 'X-Custom-Header': 'Some Value', Accept: 'application/json' },
        ...(method === 'DELETE' ? {} : { body: payload }),
      });
      expect(mswSeen.method, method).toBe(method);
      expect(mswSeen.headers['x-custom-header']).toBe('Some Value');
      expect(mswSeen.headers['content-type']).toBe('application/json');
      expect(mswSeen.headers.accept).toBe('application/json');
      expect(Object.keys(mswSeen.headers).every((k) => k === k.toLowerCase())).toBe(true);
      if (method === 'DELETE') expect(mswSeen.body).toBeUndefined();
      else {
        expect(Buffer.isBuffer(mswSeen.body)).toBe(true);
        expect(mswSeen.body!.toString('utf8')).toBe(payload);
        expect(mswSeen.headers['content-length']).toBe(String(Buffer.byteLength(payload)));
      }
      expect(mswSeen.body).toEqual(nodeSeen.body);
      for (const h of ['host', 'content-type', 'content-length', 'accept', 'authorization', 'x-custom-header']) {
        expect(mswSeen.headers[h] === undefined, `${method} ${h}`).toBe(nodeSeen.headers[h] === undefined);
      }
      expect(msw, method).toEqual(node);
    }
  });

  it('answers /authorizationserver/… (the OAuth token endpoint) from the core too', async () => {
    const { msw, node, mswSeen } = await both('/authorizationserver/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=a&client_secret=b',
    });
    expect(mswSeen.path).toBe('/authorizationserver/oauth/token');
    expect(mswSeen.body?.toString('utf8')).toBe('grant_type=client_credentials&client_id=a&client_secret=b');
    expect(msw).toEqual(node);
  });

  it('leaves other paths on the same host to later handlers', async () => {
    for (const path of ['/hac/login', '/odata2webservicesX/Orders/$metadata', '/authorizationserverfoo', '/', '/medias/camera.jpg']) {
      const res = await fetch(`${BASE}${path}`, { headers: { Authorization: AUTH } });
      expect(await res.text(), path).toBe('fallback: same host');
    }
    expect(handle).not.toHaveBeenCalled();
    // Without a later handler the Commerce handlers do not answer at all.
    expect(await getResponse(commerceHandlers({ commerce, baseUrl: BASE }), new Request(`${BASE}/hac/login`))).toBeUndefined();
  });

  it('leaves other hosts alone, even on the Commerce paths', async () => {
    for (const url of [`${OTHER}/odata2webservices/Orders/$metadata`, `http://my-commerce.example.com/odata2webservices/Orders/$metadata`, `${BASE}:8443/odata2webservices/Orders/$metadata`]) {
      const handlers = commerceHandlers({ commerce, baseUrl: BASE });
      expect(await getResponse(handlers, new Request(url, { headers: { Authorization: AUTH } })), url).toBeUndefined();
    }
    const res = await fetch(`${OTHER}/odata2webservices/Orders/$metadata`, { headers: { Authorization: AUTH } });
    expect(await res.text()).toBe('fallback: other host');
    expect(handle).not.toHaveBeenCalled();
  });

  it('an explicit default port and upper-case host in baseUrl or the request still match', async () => {
    const handlers = commerceHandlers({ commerce, baseUrl: 'HTTPS://My-Commerce.example.com:443/' });
    const res = await getResponse(handlers, new Request(`${BASE}:443/odata2webservices/Orders/$metadata`, { headers: { Authorization: AUTH } }));
    expect(res?.status).toBe(200);
    expect(handle.mock.calls[0]?.[0].origin).toBe(BASE);
  });

  it('rejects a baseUrl that is not scheme://host[:port]', () => {
    for (const baseUrl of ['my-commerce.example.com', 'ftp://my-commerce.example.com', `${BASE}/context`, `${BASE}?a=b`]) {
      expect(() => commerceHandlers({ commerce, baseUrl }), baseUrl).toThrow(/baseUrl/);
    }
  });
});

describe('commerceHandlers response translation', () => {
  const request = (method = 'GET', path = '/odata2webservices/X') => new Request(`${BASE}${path}`, { method });

  it('awaits a core that answers with a Promise', async () => {
    const handlers = commerceHandlers({
      commerce: fakeCommerce(async () => ({ status: 201, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' })),
      baseUrl: BASE,
    });
    const res = await getResponse(handlers, request('POST'));
    expect(res?.status).toBe(201);
    expect(res?.headers.get('content-type')).toBe('application/json');
    expect(res?.headers.get('content-length')).toBe('11');
    expect(await res?.text()).toBe('{"ok":true}');
  });

  it('sends Buffer bodies as they are and adds no Content-Type the core did not send', async () => {
    const bytes = Buffer.from([0, 255, 1, 254]);
    const handlers = commerceHandlers({ commerce: fakeCommerce(() => ({ status: 200, headers: {}, body: bytes })), baseUrl: BASE });
    const res = await getResponse(handlers, request());
    expect(res?.headers.get('content-type')).toBeNull();
    expect(Buffer.from(await res!.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('answers 204 and 304 without a body (Content-Length 0, as node:http sends it), and HEAD without a body', async () => {
    for (const status of [204, 304]) {
      const handlers = commerceHandlers({ commerce: fakeCommerce(() => ({ status, headers: { ETag: '"1"' }, body: '' })), baseUrl: BASE });
      const res = await getResponse(handlers, request('DELETE'));
      expect(res?.status).toBe(status);
      expect(res?.body).toBeNull();
      expect(res?.headers.get('content-length')).toBe('0');
      expect(res?.headers.get('etag')).toBe('"1"');
    }
    const handlers = commerceHandlers({
      commerce: fakeCommerce(() => ({ status: 200, headers: { 'Content-Type': 'application/xml' }, body: '<a/>' })),
      baseUrl: BASE,
    });
    const head = await getResponse(handlers, request('HEAD'));
    expect(head?.body).toBeNull();
    expect(head?.headers.get('content-length')).toBe('4');
  });

  it('answers 500 like the node:http adapter when the core throws or rejects', async () => {
    for (const commerce of [
      fakeCommerce(() => {
        throw new Error('boom');
      }),
      fakeCommerce(() => Promise.reject(new Error('boom'))),
    ]) {
      const res = await getResponse(commerceHandlers({ commerce, baseUrl: BASE }), request());
      expect(res?.status).toBe(500);
      expect(res?.headers.get('content-type')).toBe('text/plain');
      expect(await res?.text()).toBe('internal error');
    }
  });
});
