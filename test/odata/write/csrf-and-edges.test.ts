/**
 * CSRF: Commerce issues no token and checks none (tolerant by default); `sandbox.csrf.enabled=true`
 * issues tokens on `X-CSRF-Token: Fetch` and requires them on writes. Plus write edge cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../mock-commerce/app.js';
import { loadProjectHooks } from '../../../mock-commerce/odata/write/hooks.js';
import { basic, fixtureProject, serve } from '../../helpers/commerce.js';

const AUTH = basic('integration', 'pass');
const product = (code: string) => JSON.stringify({ code, catalogVersion: { version: 'Staged', catalog: { id: 'Default' } } });

describe('CSRF, default (as Commerce): fetch tolerated, nothing required', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = (await serve({ projectDir: fixtureProject('inbound-product') })).server;
  });
  afterAll(() => server.close());

  it('GET and HEAD with X-CSRF-Token: Fetch on the service root and $metadata succeed without a token', async () => {
    for (const [method, path] of [
      ['GET', ''],
      ['HEAD', ''],
      ['GET', '$metadata'],
      ['HEAD', '$metadata'],
    ] as const) {
      const res = await fetch(`${server.url}/odata2webservices/InboundProduct/${path}`, { method, headers: { Authorization: AUTH, 'X-CSRF-Token': 'Fetch' } });
      expect(res.status, `${method} ${path}`).toBe(200);
      expect(res.headers.get('x-csrf-token')).toBeNull();
      if (method === 'HEAD') expect(await res.text()).toBe('');
    }
  });

  it('writes need no token', async () => {
    const res = await fetch(`${server.url}/odata2webservices/InboundProduct/Products`, { method: 'POST', headers: { Authorization: AUTH, 'Content-Type': 'application/json' }, body: product('c1') });
    expect(res.status).toBe(201);
  });
});

describe('CSRF switched on (sandbox.csrf.enabled=true)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = (await serve({ projectDir: fixtureProject('inbound-product'), properties: { 'sandbox.csrf.enabled': 'true' } })).server;
  });
  afterAll(() => server.close());

  it('issues a token on fetch and requires it on writes', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/odata2webservices/InboundProduct/Products`, { method: 'POST', headers: { Authorization: AUTH, 'Content-Type': 'application/json', ...headers }, body: product('c2') });
    const refused = await post({});
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-csrf-token')).toBe('Required');
    expect((await post({ 'X-CSRF-Token': 'made-up' })).status).toBe(403);
    const fetched = await fetch(`${server.url}/odata2webservices/InboundProduct/$metadata`, { method: 'HEAD', headers: { Authorization: AUTH, 'X-CSRF-Token': 'Fetch' } });
    const token = fetched.headers.get('x-csrf-token');
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect((await post({ 'X-CSRF-Token': token! })).status).toBe(201);
    // A token is bound to the user it was issued to.
    const other = await fetch(`${server.url}/odata2webservices/InboundProduct/Products`, {
      method: 'POST',
      headers: { Authorization: basic('creatorviewer', 'cv-secret'), 'Content-Type': 'application/json', 'X-CSRF-Token': token! },
      body: product('c3'),
    });
    expect(other.status).toBe(403);
  });
});

describe('write edge cases', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = (await serve({ projectDir: fixtureProject('inbound-product') })).server;
  });
  afterAll(() => server.close());

  it('POST to a set that holds no items of its own (Localized___Products) → 404', async () => {
    const res = await fetch(`${server.url}/odata2webservices/InboundProduct/Localized___Products`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ language: 'en', name: 'x' }),
    });
    expect(res.status).toBe(404);
  });

  it('invalid XML in an Atom body → 400 odata_error', async () => {
    const res = await fetch(`${server.url}/odata2webservices/InboundProduct/Products`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/atom+xml', Accept: 'application/json' },
      body: '<entry xmlns="http://www.w3.org/2005/Atom"><content>',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('odata_error');
  });

  it('the answer follows Accept: XML clients get the error document in XML', async () => {
    const res = await fetch(`${server.url}/odata2webservices/InboundProduct/Products`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json', Accept: 'application/xml' },
      body: '{"code":"x"}',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/^<\?xml version='1\.0' encoding='UTF-8'\?><error xmlns="[^"]+"><code>missing_key<\/code>/);
  });
});

describe('project hooks (hooks/*.mjs)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const served = await serve({ projectDir: fixtureProject('inbound-product') });
    const names = await loadProjectHooks(served.commerce.hooks, fixtureProject('inbound-product'));
    expect(names.sort()).toEqual(['prefixName', 'refuseBlocked']);
    server = served.server;
  });
  afterAll(() => server.close());

  const post = (code: string, hook: string) =>
    fetch(`${server.url}/odata2webservices/InboundProduct/Products`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json', Accept: 'application/json', 'Pre-Persist-Hook': hook },
      body: JSON.stringify({ code, name: 'Shirt', catalogVersion: { version: 'Staged', catalog: { id: 'Default' } } }),
    });

  it('runs an exported function named in the header', async () => {
    const res = await post('hooked1', 'prefixName');
    expect(res.status).toBe(201);
    expect(((await res.json()) as { d: { name: string } }).d.name).toBe('[hooked] Shirt');
  });

  it('a hook that throws → pre_persist_error', async () => {
    const res = await post('blocked1', 'refuseBlocked');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('pre_persist_error');
  });
});
