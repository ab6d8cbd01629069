/**
 * Authentication modes over real HTTP: none, Basic, API key (header and query), and OAuth2 client
 * credentials (token endpoint with JSON and form bodies, custom responses, expiry on an injected
 * clock, tokens taken from the Authorization header, a body field or a query parameter), plus per-route
 * overrides.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basic, manualClock, serveYaml, type Served } from './helpers.js';

describe('auth: none, basic and apiKey', () => {
  let tp: Served;
  beforeAll(async () => {
    tp = await serveYaml(`name: auth-modes
auth:
  type: basic
  users: [{username: jane, password: secret}]
  realm: Reviews
routes:
  - {method: GET, path: /basic, response: {body: {ok: basic}}}
  - {method: GET, path: /open, auth: none, response: {body: {ok: open}}}
  - method: GET
    path: /header-key
    auth: {type: apiKey, name: X-Api-Key, keys: [k1, k2]}
    response: {body: {ok: header}}
  - method: GET
    path: /query-key
    auth: {type: apiKey, in: query, name: key, keys: [k1]}
    response: {body: {ok: query}}
  - method: GET
    path: /custom
    auth:
      type: apiKey
      keys: [k1]
      unauthorized: {status: 403, headers: {X-Reason: "{{auth.reason}}"}, body: {status: {code: 403, message: "{{auth.reason}} key"}}}
    response: {body: {ok: custom}}
  - method: GET
    path: /other-user
    auth: {type: basic, users: [{username: bob, password: pw}]}
    response: {body: {ok: bob}}
`);
  });
  afterAll(() => tp.close());

  it('none lets everyone in', async () => {
    expect((await tp.call('GET', '/open')).json).toEqual({ ok: 'open' });
  });

  it('basic: right credentials pass, missing or wrong get 401 with a challenge', async () => {
    expect((await tp.call('GET', '/basic', { headers: { Authorization: basic('jane', 'secret') } })).json).toEqual({ ok: 'basic' });
    const missing = await tp.call('GET', '/basic');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Basic realm="Reviews"');
    expect(missing.json).toEqual({ error: 'unauthorized', error_description: 'credentials missing' });
    const wrong = await tp.call('GET', '/basic', { headers: { Authorization: basic('jane', 'nope') } });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ error: 'unauthorized', error_description: 'credentials not valid' });
    expect((await tp.call('GET', '/basic', { headers: { Authorization: basic('nobody', 'secret') } })).status).toBe(401);
    expect((await tp.call('GET', '/basic', { headers: { Authorization: 'Basic !!!' } })).status).toBe(401);
  });

  it('a route override of the same type inherits what it leaves out, and replaces what it sets', async () => {
    expect((await tp.call('GET', '/other-user', { headers: { Authorization: basic('bob', 'pw') } })).json).toEqual({ ok: 'bob' });
    const jane = await tp.call('GET', '/other-user', { headers: { Authorization: basic('jane', 'secret') } });
    expect(jane.status).toBe(401);
    expect(jane.headers.get('www-authenticate')).toBe('Basic realm="Reviews"');
  });

  it('apiKey in a header (any case) and in the query', async () => {
    expect((await tp.call('GET', '/header-key', { headers: { 'x-api-key': 'k2' } })).json).toEqual({ ok: 'header' });
    const wrong = await tp.call('GET', '/header-key', { headers: { 'X-API-KEY': 'k3' } });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ error: 'invalid_api_key', error_description: 'API key not valid' });
    expect((await tp.call('GET', '/query-key', { query: 'key=k1' })).json).toEqual({ ok: 'query' });
    expect((await tp.call('GET', '/query-key', { query: 'key=k2' })).status).toBe(401);
    expect((await tp.call('GET', '/query-key', { headers: { key: 'k1' } })).status).toBe(401);
  });

  it('unauthorized answers are configurable templates', async () => {
    const missing = await tp.call('GET', '/custom');
    expect(missing.status).toBe(403);
    expect(missing.headers.get('x-reason')).toBe('missing');
    expect(missing.json).toEqual({ status: { code: 403, message: 'missing key' } });
    expect((await tp.call('GET', '/custom', { headers: { 'x-api-key': 'bad' } })).json).toEqual({ status: { code: 403, message: 'invalid key' } });
    expect((await tp.call('GET', '/custom', { headers: { 'x-api-key': 'k1' } })).json).toEqual({ ok: 'custom' });
  });

  it('failed authentication is journaled with the route, and does not advance it', async () => {
    tp.thirdParty.reset();
    await tp.call('GET', '/basic');
    expect(tp.thirdParty.journal.map((e) => [e.route, e.status])).toEqual([['GET /basic', 401]]);
  });
});

describe('auth: oauth2 client credentials', () => {
  const clock = manualClock();
  let tp: Served;
  beforeAll(async () => {
    tp = await serveYaml(
      `name: oauth
basePath: /api
auth:
  type: oauth2
  tokenPath: /oauth/token
  clients: [{id: app-key, secret: app-secret}]
  expiresIn: 60
  accept:
    - {in: header}
    - {in: body, name: utoken}
    - {in: query, name: utoken}
routes:
  - {method: GET, path: /orders, response: {body: {ok: true, client: "{{request.query.utoken}}"}}}
  - {method: POST, path: /orders, response: {status: 201, body: {ok: true}}}
  - method: GET
    path: /header-only
    auth: {type: oauth2, accept: [{in: header, name: X-Token, scheme: ""}]}
    response: {body: {ok: header-only}}
`,
      { now: clock.now },
    );
  });
  afterAll(() => tp.close());
  beforeEach(() => tp.thirdParty.reset());

  const tokenRequest = { client_id: 'app-key', client_secret: 'app-secret', grant_type: 'client_credentials' };

  async function token(): Promise<string> {
    const res = await tp.call('POST', '/api/oauth/token', { body: tokenRequest });
    expect(res.status).toBe(200);
    return (res.json as { access_token: string }).access_token;
  }

  it('issues tokens for JSON and form bodies, with the default response', async () => {
    const res = await tp.call('POST', '/api/oauth/token', { body: tokenRequest });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = res.json as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'expires_in']);
    expect(body.access_token).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 60 });
    const form = await tp.call('POST', '/api/oauth/token', {
      body: new URLSearchParams(tokenRequest).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(200);
    expect((form.json as { access_token: string }).access_token).not.toBe(body.access_token);
    // Client credentials may also come as Basic (RFC 6749 client_secret_basic).
    const viaBasic = await tp.call('POST', '/api/oauth/token', {
      body: 'grant_type=client_credentials',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic('app-key', 'app-secret') },
    });
    expect(viaBasic.status).toBe(200);
  });

  it('wrong credentials get 401 invalid_client; bad requests 400', async () => {
    const wrong = await tp.call('POST', '/api/oauth/token', { body: { ...tokenRequest, client_secret: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ error: 'invalid_client' });
    expect((await tp.call('POST', '/api/oauth/token', { body: { ...tokenRequest, client_id: 'other' } })).status).toBe(401);
    const grant = await tp.call('POST', '/api/oauth/token', { body: { ...tokenRequest, grant_type: 'password' } });
    expect(grant.status).toBe(400);
    expect(grant.json).toMatchObject({ error: 'unsupported_grant_type' });
    const missing = await tp.call('POST', '/api/oauth/token', { body: { client_id: 'app-key', client_secret: 'app-secret' } });
    expect(missing.json).toEqual({ error: 'invalid_request', error_description: 'grant_type is missing' });
    const badJson = await tp.call('POST', '/api/oauth/token', { body: '{"client_id":', headers: { 'Content-Type': 'application/json' } });
    expect(badJson.status).toBe(400);
    expect(badJson.json).toMatchObject({ error: 'invalid_request', error_description: 'the body is not valid JSON' });
  });

  it('accepts the token in the Authorization header, a body field or a query parameter', async () => {
    const t = await token();
    expect((await tp.call('GET', '/api/orders', { headers: { Authorization: `Bearer ${t}` } })).status).toBe(200);
    expect((await tp.call('GET', '/api/orders', { headers: { Authorization: `bearer ${t}` } })).status).toBe(200);
    expect((await tp.call('POST', '/api/orders', { body: { utoken: t, order_id: '1' } })).status).toBe(201);
    expect((await tp.call('GET', '/api/orders', { query: `utoken=${t}` })).json).toEqual({ ok: true, client: t });
    const missing = await tp.call('GET', '/api/orders');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="oauth"');
    expect(missing.json).toEqual({ error: 'invalid_token', error_description: 'access token missing' });
    const invalid = await tp.call('GET', '/api/orders', { query: 'utoken=made-up' });
    expect(invalid.status).toBe(401);
    expect(invalid.headers.get('www-authenticate')).toBe('Bearer realm="oauth", error="invalid_token"');
    expect(invalid.json).toEqual({ error: 'invalid_token', error_description: 'access token not valid' });
    // The wrong scheme is no token.
    expect((await tp.call('GET', '/api/orders', { headers: { Authorization: `Basic ${t}` } })).status).toBe(401);
  });

  it('a route can take the token from elsewhere and still use the top-level clients', async () => {
    const t = await token();
    expect((await tp.call('GET', '/api/header-only', { headers: { 'X-Token': t } })).json).toEqual({ ok: 'header-only' });
    expect((await tp.call('GET', '/api/header-only', { headers: { Authorization: `Bearer ${t}` } })).status).toBe(401);
  });

  it('tokens expire after expiresIn seconds on the injected clock', async () => {
    const t = await token();
    clock.advance(59_999);
    expect((await tp.call('GET', '/api/orders', { query: `utoken=${t}` })).status).toBe(200);
    clock.advance(1);
    const expired = await tp.call('GET', '/api/orders', { query: `utoken=${t}` });
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({ error: 'invalid_token', error_description: 'access token expired' });
    // A new token works again.
    expect((await tp.call('GET', '/api/orders', { query: `utoken=${await token()}` })).status).toBe(200);
  });

  it('reset forgets issued tokens', async () => {
    const t = await token();
    tp.thirdParty.reset();
    expect((await tp.call('GET', '/api/orders', { query: `utoken=${t}` })).status).toBe(401);
  });
});

describe('auth: oauth2 with a configured token endpoint', () => {
  let tp: Served;
  beforeAll(async () => {
    tp = await serveYaml(`name: yotpo-like
auth:
  type: oauth2
  clients: [{id: k, secret: s}]
  expiresIn: 1209600
  tokenLength: 16
  requestFormats: [json]
  response:
    headers: {X-Issued-For: "{{token.client_id}}"}
    body: {access_token: "{{token.access_token}}", token_type: bearer}
  invalidClient:
    status: 403
    body: {status: {code: 403, message: "unknown client {{request.body.client_id}}"}}
  accept: [{in: body, name: utoken}]
routes:
  - {method: POST, path: '/apps/{app_key}/purchases', response: {body: {code: 200, message: OK}}}
`);
  });
  afterAll(() => tp.close());

  it('answers with the configured response shape and error', async () => {
    const ok = await tp.call('POST', '/oauth/token', { body: { client_id: 'k', client_secret: 's', grant_type: 'client_credentials' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-issued-for')).toBe('k');
    const body = ok.json as { access_token: string };
    expect(Object.keys(body)).toEqual(['access_token', 'token_type']);
    expect(body.access_token).toHaveLength(16);
    const bad = await tp.call('POST', '/oauth/token', { body: { client_id: 'x', client_secret: 's', grant_type: 'client_credentials' } });
    expect(bad.status).toBe(403);
    expect(bad.json).toEqual({ status: { code: 403, message: 'unknown client x' } });
    const form = await tp.call('POST', '/oauth/token', { body: 'client_id=k&client_secret=s&grant_type=client_credentials', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(400);
    expect(form.json).toMatchObject({ error: 'invalid_request' });
    const purchase = await tp.call('POST', '/apps/key/purchases', { body: { utoken: body.access_token } });
    expect(purchase.json).toEqual({ code: 200, message: 'OK' });
  });
});
