/**
 * The read cache (odata/read/response-cache.ts): repeated JSON reads are answered with the same bytes
 * while the store is unchanged; any write, reset or credential change is seen at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../mock-commerce/app.js';
import type { Commerce } from '../../../mock-commerce/commerce.js';
import { ReadCache } from '../../../mock-commerce/odata/read/response-cache.js';
import { DEMO, basic, serve } from '../../helpers/commerce.js';

const AUTH = basic('integrationuser', 'sandbox');
const P1 = "/odata2webservices/ThirdPartyInboundProduct/Products('Online%7CsandboxProductCatalog%7CP-1')";

describe('read cache over HTTP', () => {
  let commerce: Commerce;
  let server: RunningServer;
  beforeAll(async () => {
    ({ commerce, server } = await serve({ projectDir: DEMO }));
  });
  afterAll(() => server.close());

  const get = (path = P1, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers: { Authorization: AUTH, Accept: 'application/json', ...headers } });

  it('answers a repeated read with the same bytes, and a write is visible on the next read', async () => {
    const first = await (await get()).text();
    expect(await (await get()).text()).toBe(first);
    expect(JSON.parse(first).d.reviewCount).toBe(12);
    const patch = await fetch(`${server.url}${P1}`, { method: 'PATCH', headers: { Authorization: AUTH, 'Content-Type': 'application/json', Accept: 'application/json' }, body: '{"reviewCount":13}' });
    expect(patch.status).toBe(200);
    expect(JSON.parse(await (await get()).text()).d.reviewCount).toBe(13);
    expect((await fetch(`${server.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
    expect(JSON.parse(await (await get()).text()).d.reviewCount).toBe(12);
  });

  it('never serves a cached answer to other credentials, languages or formats', async () => {
    expect((await get()).status).toBe(200);
    expect((await get(P1, { Authorization: basic('integrationuser', 'wrong') })).status).toBe(401);
    expect((await get(P1, { Authorization: 'Bearer nope' })).status).toBe(401);
    const atom = await get(P1, { Accept: 'application/atom+xml' });
    expect(atom.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const orderP1 = "/odata2webservices/Orders/Products('Online%7CsandboxProductCatalog%7CP-1')";
    const en = (await (await get(orderP1, { 'Accept-Language': 'en' })).json()) as { d: { name: string | null } };
    const de = (await (await get(orderP1, { 'Accept-Language': 'de' })).json()) as { d: { name: string | null } };
    expect(en.d.name).toBe('Camera');
    expect(de.d.name).toBeNull();
  });

  it('sees a change of a user made directly in the store (a removed user gets 401)', async () => {
    const commerceUser = commerce.store.find('Employee', { uid: 'integrationuser' })[0]!;
    expect((await get()).status).toBe(200);
    commerce.store.update(commerceUser.pk, { password: 'changed' });
    expect((await get()).status).toBe(401);
    commerce.store.update(commerceUser.pk, { password: 'sandbox' });
    expect((await get()).status).toBe(200);
  });
});

describe('ReadCache', () => {
  it('keys only Basic GETs without a CSRF fetch, and is off with capacity 0', async () => {
    const { commerce, server } = await serve({ projectDir: DEMO });
    await server.close();
    const cache = new ReadCache(commerce.store, 10);
    const request = { method: 'GET', path: '/odata2webservices/X/Y', query: '', headers: { authorization: AUTH }, origin: 'http://h' };
    expect(cache.keyOf(request)).toBeDefined();
    expect(cache.keyOf({ ...request, method: 'HEAD' })).toBeUndefined();
    expect(cache.keyOf({ ...request, headers: { authorization: 'Bearer t' } })).toBeUndefined();
    expect(cache.keyOf({ ...request, headers: { authorization: AUTH, 'x-csrf-token': 'Fetch' } })).toBeUndefined();
    expect(cache.keyOf({ ...request, headers: {} })).toBeUndefined();
    expect(new ReadCache(commerce.store, 0).keyOf(request)).toBeUndefined();
    // only 200 JSON answers are kept; a store change empties it
    const key = cache.keyOf(request)!;
    cache.put(key, { status: 404, headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(cache.get(key)).toBeUndefined();
    cache.put(key, { status: 200, headers: { 'Content-Type': 'application/xml' }, body: '<a/>' });
    expect(cache.get(key)).toBeUndefined();
    cache.put(key, { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' });
    expect(cache.get(key)?.body.toString()).toBe('{"a":1}');
    commerce.store.create('Unit', { code: 'cache-buster', unitType: 'pieces' });
    expect(cache.get(key)).toBeUndefined();
  });
});
