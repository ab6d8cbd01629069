/**
 * The request journal, verification (counts, order, readable failures) and the admin API under
 * /__sandbox (health, requests with filters, clearing, reset, verify; loopback or admin token).
 */
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createThirdPartyApp } from '../../mock-third-party/app.js';
import { parseDefinition } from '../../mock-third-party/definition/loader.js';
import { createThirdParty, VerificationError, type ThirdParty } from '../../mock-third-party/engine/third-party.js';
import { manualClock, serveYaml, type Served } from './helpers.js';

const DEFINITION = `name: journal
collections:
  purchases: {}
routes:
  - {id: token, method: POST, path: /oauth/token, response: {body: {access_token: t}}}
  - id: purchase
    method: POST
    path: /apps/{app_key}/purchases
    action: {collection: purchases, op: create}
    response: {body: {code: 200}}
  - {id: lines, method: GET, path: '/v1/apps/{app_key}/bottom_lines', response: {body: {bottomlines: []}}}
  - {id: form, method: POST, path: /form, response: {body: ok}}
`;

describe('journal and verification', () => {
  const clock = manualClock(Date.UTC(2025, 0, 1));
  let tp: Served;
  beforeAll(async () => {
    tp = await serveYaml(DEFINITION, { now: clock.now });
  });
  afterAll(() => tp.close());
  beforeEach(() => tp.thirdParty.reset());

  async function traffic(): Promise<void> {
    await tp.call('POST', '/oauth/token', { body: { client_id: 'k' } });
    clock.advance(1000);
    await tp.call('POST', '/apps/KEY/purchases', { body: { order_id: '1', email: 'jane@example.com' }, headers: { 'X-Trace': 'abc' } });
    await tp.call('POST', '/apps/KEY/purchases', { body: { order_id: '2', email: 'john@example.com' } });
    await tp.call('GET', '/v1/apps/KEY/bottom_lines', { query: 'count=100&page=1&x=a&x=b' });
    await tp.call('GET', '/nowhere');
  }

  it('records every request with its route and status', async () => {
    await traffic();
    await tp.call('POST', '/form', { body: 'a=1&b=2&b=3', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    await tp.call('POST', '/form', { body: 'plain text', headers: { 'Content-Type': 'text/plain' } });
    const journal = tp.thirdParty.journal;
    expect(journal.map((e) => [e.id, e.method, e.path, e.route, e.status])).toEqual([
      [1, 'POST', '/oauth/token', 'token', 200],
      // An action's create answers 201 unless the response sets a status.
      [2, 'POST', '/apps/KEY/purchases', 'purchase', 201],
      [3, 'POST', '/apps/KEY/purchases', 'purchase', 201],
      [4, 'GET', '/v1/apps/KEY/bottom_lines', 'lines', 200],
      [5, 'GET', '/nowhere', null, 404],
      [6, 'POST', '/form', 'form', 200],
      [7, 'POST', '/form', 'form', 200],
    ]);
    const second = journal[1];
    expect(second?.time).toBe('2025-01-01T00:00:01.000Z');
    expect(second?.body).toEqual({ order_id: '1', email: 'jane@example.com' });
    expect(second?.headers['x-trace']).toBe('abc');
    expect(second?.headers['content-type']).toBe('application/json');
    expect(journal[3]?.query).toEqual({ count: '100', page: '1', x: ['a', 'b'] });
    expect(journal[3]?.body).toBeNull();
    expect(journal[5]?.body).toEqual({ a: '1', b: ['2', '3'] });
    expect(journal[6]?.body).toBe('plain text');
    tp.thirdParty.clearJournal();
    expect(tp.thirdParty.journal).toEqual([]);
  });

  it('verify: at least once by default, exact counts and ranges', async () => {
    await traffic();
    const v = tp.thirdParty;
    v.verify({ method: 'POST', path: '/oauth/token' });
    v.verify({ path: '/apps/{app_key}/purchases' }, { count: 2 });
    v.verify({ path: { regex: '^/apps/[^/]+/purchases$' } }, { count: { min: 1, max: 2 } });
    v.verify({ path: /bottom_lines$/, query: { count: '100', page: { regex: '^\\d+$' }, since_id: { exists: false } } }, { count: 1 });
    v.verify({ method: 'post', body: { jsonPath: { '$.email': { regex: '@example\\.com$' } } } }, { count: 2 });
    v.verify({ body: { subset: { order_id: '2' } }, headers: { 'X-Trace': { exists: false } } }, { count: 1 });
    v.verify({ route: 'purchase' }, { count: 2 });
    v.verify({ path: '/nowhere' }, { count: 1 });
    v.verify({ method: 'DELETE' }, { count: 0 });
    // Templates compare decoded: %4B is K.
    v.verify({ path: '/apps/%4BEY/purchases' }, { count: 2 });
    expect(v.find({ path: '/apps/{app_key}/purchases', body: { jsonPath: { '$.order_id': '2' } } }).map((e) => e.id)).toEqual([3]);
  });

  it('verify failures explain what was received and the closest requests', async () => {
    await traffic();
    let error: unknown;
    try {
      tp.thirdParty.verify({ method: 'POST', path: '/apps/{app_key}/purchases', body: { jsonPath: { '$.order_id': '3' } } }, { count: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VerificationError);
    expect((error as Error).message).toBe(
      [
        'Expected exactly 1 request matching POST /apps/{app_key}/purchases with body $.order_id = "3", but received 0.',
        'Closest requests:',
        '  #2 POST /apps/KEY/purchases → 201 (purchase): body $.order_id: expected "3", got "1"',
        '  #3 POST /apps/KEY/purchases → 201 (purchase): body $.order_id: expected "3", got "2"',
        '  #1 POST /oauth/token → 200 (token): path: expected /apps/{app_key}/purchases, got /oauth/token (segment 1: expected "apps", got "oauth"); body $.order_id: expected "3", got absent',
        'All 5 requests received:',
        '  #1 POST /oauth/token → 200 (token)',
        '  #2 POST /apps/KEY/purchases → 201 (purchase)',
        '  #3 POST /apps/KEY/purchases → 201 (purchase)',
        '  #4 GET /v1/apps/KEY/bottom_lines?count=100&page=1&x=a&x=b → 200 (lines)',
        '  #5 GET /nowhere → 404',
      ].join('\n'),
    );
    expect(() => tp.thirdParty.verify({ path: '/apps/{app_key}/purchases' }, { count: { max: 1 } })).toThrow(
      /^Expected at most 1 request matching any method \/apps\/\{app_key\}\/purchases, but received 2\.\nMatching requests:\n {2}#2 POST/,
    );
    expect(() => tp.thirdParty.verify({ method: 'PUT' })).toThrow(/^Expected at least 1 request matching PUT any path, but received 0\./);
    tp.thirdParty.reset();
    expect(() => tp.thirdParty.verify({ path: '/x' })).toThrow(/No requests were received\.$/);
  });

  it('verifyOrder: in this order, others may come between', async () => {
    await traffic();
    tp.thirdParty.verifyOrder([{ path: '/oauth/token' }, { path: '/apps/{k}/purchases' }, { path: '/v1/apps/{k}/bottom_lines' }]);
    tp.thirdParty.verifyOrder([{ path: '/oauth/token' }, { body: { subset: { order_id: '2' } } }]);
    let message = '';
    try {
      tp.thirdParty.verifyOrder([{ path: '/apps/{k}/purchases' }, { path: '/oauth/token' }]);
    } catch (e) {
      expect(e).toBeInstanceOf(VerificationError);
      message = (e as Error).message;
    }
    expect(message.split('\n').slice(0, 5)).toEqual([
      'Expected requests in this order:',
      '  1. any method /apps/{k}/purchases',
      '  2. any method /oauth/token',
      'Step 1 matched #2 POST /apps/KEY/purchases → 201 (purchase).',
      'Step 2 (any method /oauth/token) matched no request after #2 (it matched #1, too early).',
    ]);
  });

  it('keeps at most journalLimit entries', () => {
    const small = createThirdParty(parseDefinition(DEFINITION), { journalLimit: 2 });
    for (let i = 0; i < 5; i++) small.handle({ method: 'GET', path: `/x/${i.toString()}`, query: '', headers: {}, origin: 'http://t' });
    expect(small.journal.map((e) => e.id)).toEqual([4, 5]);
  });
});

describe('admin API', () => {
  let tp: Served;
  beforeAll(async () => {
    tp = await serveYaml(DEFINITION);
  });
  afterAll(() => tp.close());
  beforeEach(() => tp.thirdParty.reset());

  it('health', async () => {
    const res = await tp.call('GET', '/__sandbox/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'UP', system: 'third-party', name: 'journal' });
  });

  it('lists requests with filters (method, path, status, route); admin calls are not journaled', async () => {
    await tp.call('POST', '/apps/A/purchases', { body: { order_id: '1' } });
    await tp.call('POST', '/apps/B/purchases', { body: { order_id: '2' } });
    await tp.call('GET', '/v1/apps/A/bottom_lines');
    await tp.call('GET', '/missing');
    const all = (await tp.call('GET', '/__sandbox/requests')).json as { requests: Array<{ id: number; path: string }> };
    expect(all.requests.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    const ids = async (query: string): Promise<number[]> =>
      ((await tp.call('GET', '/__sandbox/requests', { query })).json as { requests: Array<{ id: number }> }).requests.map((r) => r.id);
    expect(await ids('method=post')).toEqual([1, 2]);
    expect(await ids('path=/apps/B/purchases')).toEqual([2]);
    expect(await ids(`path=${encodeURIComponent('/apps/{key}/purchases')}`)).toEqual([1, 2]);
    expect(await ids('status=404')).toEqual([4]);
    expect(await ids('route=lines')).toEqual([3]);
    expect(await ids('route=')).toEqual([4]);
    expect(await ids('method=GET&status=200')).toEqual([3]);
    expect((await tp.call('GET', '/__sandbox/requests', { query: 'status=abc' })).status).toBe(400);
    const entry = all.requests[0] as Record<string, unknown>;
    expect(Object.keys(entry)).toEqual(['id', 'time', 'method', 'path', 'query', 'headers', 'body', 'route', 'status']);
  });

  it('masks credentials in the listing (not in the in-process journal)', async () => {
    await tp.call('POST', '/oauth/token', { body: { client_id: 'k', client_secret: 's3cret' }, query: 'password=pw&x=1', headers: { Authorization: 'Basic dXNlcjpwdw==' } });
    await tp.call('POST', '/form', { body: 'client_id=k&client_secret=s3cret', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'token-without-scheme' } });
    const listed = ((await tp.call('GET', '/__sandbox/requests')).json as { requests: Array<{ headers: Record<string, string>; query: unknown; body: unknown }> }).requests;
    expect(listed[0]?.headers.authorization).toBe('Basic ***');
    expect(listed[0]?.query).toEqual({ password: '***', x: '1' });
    expect(listed[0]?.body).toEqual({ client_id: 'k', client_secret: '***' });
    expect(listed[1]?.headers.authorization).toBe('***');
    expect(listed[1]?.body).toEqual({ client_id: 'k', client_secret: '***' });
    expect(tp.thirdParty.journal[0]?.body).toEqual({ client_id: 'k', client_secret: 's3cret' });
  });

  it('journals big bodies by size only', async () => {
    await tp.call('POST', '/form', { body: 'x'.repeat(1024 * 1024 + 1), headers: { 'Content-Type': 'text/plain' } });
    expect(tp.thirdParty.journal[0]?.body).toEqual({ truncated: true, bytes: 1024 * 1024 + 1 });
    expect(tp.thirdParty.find({ body: { exists: true } })).toEqual([]);
  });

  it('DELETE /requests clears the journal, POST /reset the state', async () => {
    await tp.call('POST', '/apps/A/purchases', { body: { order_id: '1' } });
    expect(tp.thirdParty.items('purchases')).toHaveLength(1);
    const cleared = await tp.call('DELETE', '/__sandbox/requests');
    expect(cleared.status).toBe(204);
    expect(cleared.text).toBe('');
    expect(tp.thirdParty.journal).toHaveLength(0);
    expect(tp.thirdParty.items('purchases')).toHaveLength(1);
    expect((await tp.call('POST', '/__sandbox/reset')).status).toBe(204);
    expect(tp.thirdParty.items('purchases')).toHaveLength(0);
  });

  it('POST /verify answers 200 ok, 409 with the message, 400 for a bad pattern', async () => {
    await tp.call('POST', '/apps/A/purchases', { body: { order_id: '1' } });
    const ok = await tp.call('POST', '/__sandbox/verify', { body: { pattern: { method: 'POST', path: '/apps/{k}/purchases', body: { subset: { order_id: '1' } } }, count: 1 } });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ ok: true });
    expect((await tp.call('POST', '/__sandbox/verify', { body: { pattern: { path: { regex: '^/apps/' } }, count: { min: 1 } } })).json).toEqual({ ok: true });
    const failed = await tp.call('POST', '/__sandbox/verify', { body: { pattern: { method: 'GET' }, count: 1 } });
    expect(failed.status).toBe(409);
    expect(failed.json).toEqual({ ok: false, message: expect.stringMatching(/^Expected exactly 1 request matching GET any path, but received 0\./) as unknown });
    const bad = await tp.call('POST', '/__sandbox/verify', { body: { pattern: { methd: 'GET' }, count: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ ok: false, message: 'pattern.methd: unknown key "methd" (allowed: method, path, route, query, headers, body); count: must be >= 0' });
    const badRegex = await tp.call('POST', '/__sandbox/verify', { body: { pattern: { path: { regex: '(' } } } });
    expect(badRegex.status).toBe(400);
    expect(badRegex.json).toMatchObject({ ok: false, message: expect.stringMatching(/^bad regex/) as unknown });
    expect((await tp.call('POST', '/__sandbox/verify', { body: 'nope', headers: { 'Content-Type': 'text/plain' } })).status).toBe(400);
  });

  it('unknown admin resources 404, wrong methods 405', async () => {
    expect((await tp.call('GET', '/__sandbox/nope')).status).toBe(404);
    const wrong = await tp.call('GET', '/__sandbox/reset');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});

describe('admin API access', () => {
  const definition = parseDefinition(DEFINITION);
  const admin = (tp: ThirdParty, remoteAddress: string | undefined, authorization?: string): number =>
    tp.handle({
      method: 'GET',
      path: '/__sandbox/health',
      query: '',
      headers: authorization ? { authorization } : {},
      origin: 'http://t',
      ...(remoteAddress !== undefined ? { remoteAddress } : {}),
    }).status;

  it('loopback and in-process callers are served; others get 403 without an admin token', () => {
    const tp = createThirdParty(definition);
    expect(admin(tp, '127.0.0.1')).toBe(200);
    expect(admin(tp, '::1')).toBe(200);
    expect(admin(tp, '::ffff:127.0.0.1')).toBe(200);
    expect(admin(tp, undefined)).toBe(200);
    expect(admin(tp, '192.0.2.10')).toBe(403);
    expect(admin(tp, '192.0.2.10', 'Bearer anything')).toBe(403);
  });

  it('with an admin token, others need it as a bearer token', () => {
    const tp = createThirdParty(definition, { adminToken: 's3cret' });
    expect(admin(tp, '192.0.2.10')).toBe(401);
    expect(admin(tp, '192.0.2.10', 'Bearer wrong')).toBe(401);
    expect(admin(tp, '192.0.2.10', 'Bearer s3cret')).toBe(200);
    expect(admin(tp, '127.0.0.1')).toBe(200);
  });

  it('served through Express (supertest) too', async () => {
    const app = createThirdPartyApp(definition);
    const res = await request(app).get('/__sandbox/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'UP', system: 'third-party', name: 'journal' });
  });
});

describe('journal limit under load', () => {
  it('keeps exactly the last journalLimit requests, also far past the limit, and none with 0', () => {
    const definition = { name: 'tiny', routes: [{ method: 'GET', path: '/ping', response: { status: 200, body: { ok: true } } }] };
    const request = (i: number) => ({ method: 'GET', path: '/ping', query: `i=${i}`, headers: {}, origin: 'http://localhost' });
    const limited = createThirdParty(definition as never, { journalLimit: 5 });
    for (let i = 0; i < 3000; i++) limited.handle(request(i));
    expect(limited.journal.map((e) => e.query)).toEqual([2995, 2996, 2997, 2998, 2999].map((i) => ({ i: String(i) })));
    expect(limited.find({ path: '/ping' })).toHaveLength(5);
    const off = createThirdParty(definition as never, { journalLimit: 0 });
    for (let i = 0; i < 1100; i++) off.handle(request(i));
    expect(off.journal).toEqual([]);
  });
});
