/**
 * Request matching over real HTTP: method and path templates, query, header and body matchers (exact
 * values, regex, exists, JSONPath, subset, equals), priorities, and the near-miss 404 that names the
 * closest routes and exactly what differed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveYaml, type Served } from './helpers.js';

const DEFINITION = `name: matching
basePath: /v1
routes:
  - id: by-page
    method: GET
    path: /apps/{app_key}/bottom_lines
    match:
      query:
        count: "100"
        page: {regex: '^[1-9][0-9]*$'}
        since_id: {exists: false}
    response: {body: {route: by-page, app: "{{params.app_key}}", page: "{{request.query.page}}"}}
  - id: since-id
    method: GET
    path: /apps/{app_key}/bottom_lines
    match:
      query: {since_id: {exists: true}}
    response: {body: {route: since-id}}
  - id: json-purchase
    method: POST
    path: /apps/{app_key}/purchases
    match:
      headers:
        Content-Type: {regex: '^application/json'}
        X-Client: web
      body:
        jsonPath:
          $.validate_data: true
          $.order_id: {regex: '^[0-9]{8}$'}
          $.products.*.price: {exists: true}
        subset: {platform: general, currency_iso: USD}
    response: {body: {route: json-purchase}}
  - id: exact-body
    method: PUT
    path: /settings
    match:
      body:
        equals: {enabled: true, tags: [a, b]}
    response: {body: {route: exact-body}}
  - id: text-body
    method: POST
    path: /echo
    match:
      body: {regex: '^hello', exists: true}
    response: {body: "got {{request.rawBody}}"}
  - id: array-subset
    method: POST
    path: /batch
    match:
      body:
        subset: {items: [{sku: B}], meta: {source: api}}
    response: {body: {route: array-subset}}
  - id: file
    method: GET
    path: /files/{name}.json
    response: {body: {name: "{{params.name}}"}}
  - id: encoded
    method: GET
    path: /products/{code}
    response: {body: {code: "{{params.code}}"}}
`;

describe('matching', () => {
  let tp: Served;
  beforeAll(async () => {
    tp = await serveYaml(DEFINITION);
  });
  afterAll(() => tp.close());

  const purchase = {
    validate_data: true,
    order_id: '00001001',
    platform: 'general',
    currency_iso: 'USD',
    products: { 'P-1': { name: 'Camera', price: '99.5' } },
  };
  const jsonHeaders = { 'Content-Type': 'application/json; charset=utf-8', 'x-client': 'web' };

  it('path templates capture parameters (whole and partial segments, percent-decoded)', async () => {
    expect((await tp.call('GET', '/v1/apps/KEY/bottom_lines', { query: 'count=100&page=2' })).json).toEqual({ route: 'by-page', app: 'KEY', page: '2' });
    expect((await tp.call('GET', '/v1/files/report.json')).json).toEqual({ name: 'report' });
    expect((await tp.call('GET', '/v1/products/a%2Fb%20c')).json).toEqual({ code: 'a/b c' });
    expect((await tp.call('GET', '/v1/products/%ZZ')).json).toEqual({ code: '%ZZ' });
  });

  it('query matchers: exact value, regex, exists both ways', async () => {
    expect((await tp.call('GET', '/v1/apps/k/bottom_lines', { query: 'count=100&page=1&since_id=5' })).json).toEqual({ route: 'since-id' });
    const badPage = await tp.call('GET', '/v1/apps/k/bottom_lines', { query: 'count=100&page=0' });
    expect(badPage.status).toBe(404);
    const wrongCount = await tp.call('GET', '/v1/apps/k/bottom_lines', { query: 'count=50&page=1' });
    expect(wrongCount.status).toBe(404);
  });

  it('header matchers (names in any case) and body matchers together', async () => {
    expect((await tp.call('POST', '/v1/apps/k/purchases', { body: purchase, headers: jsonHeaders })).json).toEqual({ route: 'json-purchase' });
    // validate_data as the string "true" is not the boolean true.
    expect((await tp.call('POST', '/v1/apps/k/purchases', { body: { ...purchase, validate_data: 'true' }, headers: jsonHeaders })).status).toBe(404);
    expect((await tp.call('POST', '/v1/apps/k/purchases', { body: { ...purchase, order_id: '1001' }, headers: jsonHeaders })).status).toBe(404);
    expect((await tp.call('POST', '/v1/apps/k/purchases', { body: { ...purchase, products: {} }, headers: jsonHeaders })).status).toBe(404);
    expect((await tp.call('POST', '/v1/apps/k/purchases', { body: { ...purchase, platform: 'magento' }, headers: jsonHeaders })).status).toBe(404);
    expect((await tp.call('POST', '/v1/apps/k/purchases', { body: purchase, headers: { 'Content-Type': 'application/json' } })).status).toBe(404);
    expect((await tp.call('POST', '/v1/apps/k/purchases', { body: JSON.stringify(purchase), headers: { 'Content-Type': 'text/plain', 'X-Client': 'web' } })).status).toBe(
      404,
    );
  });

  it('equals needs the whole body; subset allows more fields and array elements in any order', async () => {
    expect((await tp.call('PUT', '/v1/settings', { body: { enabled: true, tags: ['a', 'b'] } })).json).toEqual({ route: 'exact-body' });
    expect((await tp.call('PUT', '/v1/settings', { body: { enabled: true, tags: ['a', 'b'], extra: 1 } })).status).toBe(404);
    expect((await tp.call('PUT', '/v1/settings', { body: { enabled: true, tags: ['b', 'a'] } })).status).toBe(404);
    const batch = { items: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }], meta: { source: 'api', at: 'now' } };
    expect((await tp.call('POST', '/v1/batch', { body: batch })).json).toEqual({ route: 'array-subset' });
    expect((await tp.call('POST', '/v1/batch', { body: { ...batch, items: [{ sku: 'A' }] } })).status).toBe(404);
  });

  it('regex on a text body', async () => {
    const res = await tp.call('POST', '/v1/echo', { body: 'hello world', headers: { 'Content-Type': 'text/plain' } });
    expect(res.text).toBe('got hello world');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await tp.call('POST', '/v1/echo', { body: 'bye', headers: { 'Content-Type': 'text/plain' } })).status).toBe(404);
  });

  it('an unmatched request gets a 404 naming the closest routes and what differed', async () => {
    const res = await tp.call('POST', '/v1/apps/k/purchases', {
      body: { ...purchase, validate_data: 'true', platform: 'magento' },
      headers: { 'Content-Type': 'application/json', 'X-Client': 'web' },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = res.json as { error: string; message: string; request: unknown; closest: Array<{ route: string; score: number; differences: unknown[] }> };
    expect(body.error).toBe('no_route_matched');
    expect(body.request).toEqual({ method: 'POST', path: '/v1/apps/k/purchases', query: {} });
    expect(body.closest[0]?.route).toBe('json-purchase');
    expect(body.closest[0]?.differences).toEqual([
      { in: 'body', name: '$.validate_data', expected: 'true', actual: '"true"', message: 'body $.validate_data: expected true, got "true"' },
      { in: 'body', name: '$.platform', expected: '"general"', actual: '"magento"', message: 'body $.platform: expected "general", got "magento"' },
    ]);
    expect(body.message).toBe(
      'matching: no route matches POST /v1/apps/k/purchases; closest: json-purchase (body $.validate_data: expected true, got "true"; body $.platform: expected "general", got "magento")',
    );
    expect(body.closest.length).toBeLessThanOrEqual(3);
    expect(body.closest[0]?.score).toBeGreaterThan(body.closest[1]?.score ?? 0);
  });

  it('near misses name the method, a path segment, a query parameter and a header', async () => {
    const method = (await tp.call('DELETE', '/v1/settings')).json as { closest: Array<{ route: string; differences: Array<{ in: string; message: string }> }> };
    expect(method.closest[0]?.route).toBe('exact-body');
    expect(method.closest[0]?.differences[0]).toEqual({ in: 'method', expected: 'PUT', actual: 'DELETE', message: 'method: expected PUT, got DELETE' });

    const path = (await tp.call('GET', '/v1/apps/k/bottom_line', { query: 'count=100&page=1' })).json as { closest: Array<{ route: string; differences: unknown[] }> };
    expect(path.closest[0]).toMatchObject({
      route: 'by-page',
      differences: [
        {
          in: 'path',
          expected: '/v1/apps/{app_key}/bottom_lines',
          actual: '/v1/apps/k/bottom_line',
          message: 'path: expected /v1/apps/{app_key}/bottom_lines, got /v1/apps/k/bottom_line (segment 4: expected "bottom_lines", got "bottom_line")',
        },
      ],
    });

    const query = (await tp.call('GET', '/v1/apps/k/bottom_lines', { query: 'count=10&page=x' })).json as { closest: Array<{ route: string; differences: unknown[] }> };
    expect(query.closest[0]).toMatchObject({
      route: 'by-page',
      differences: [
        { in: 'query', name: 'count', expected: '"100"', actual: '"10"', message: 'query parameter "count": expected "100", got "10"' },
        { in: 'query', name: 'page', expected: 'matches /^[1-9][0-9]*$/', actual: '"x"' },
      ],
    });

    const header = (await tp.call('POST', '/v1/apps/k/purchases', { body: purchase })).json as { closest: Array<{ route: string; differences: unknown[] }> };
    expect(header.closest[0]).toMatchObject({
      route: 'json-purchase',
      differences: [{ in: 'header', name: 'x-client', expected: '"web"', actual: 'absent', message: 'header "x-client": expected "web", got absent' }],
    });

    const notJson = (await tp.call('PUT', '/v1/settings', { body: '{"enabled":', headers: { 'Content-Type': 'application/json' } })).json as {
      closest: Array<{ differences: Array<{ message: string }> }>;
    };
    expect(notJson.closest[0]?.differences[0]?.message).toMatch(/^body: expected a JSON body, got invalid JSON/);
  });

  it('a base path is part of every route', async () => {
    const res = await tp.call('GET', '/apps/k/bottom_lines', { query: 'count=100&page=1' });
    expect(res.status).toBe(404);
    expect((res.json as { closest: Array<{ route: string }> }).closest[0]?.route).toBe('by-page');
  });
});

describe('matching: priorities', () => {
  let tp: Served;
  beforeAll(async () => {
    tp = await serveYaml(`name: priorities
routes:
  - {id: fallback, method: GET, path: '/items/{id}', priority: 10, response: {body: fallback}}
  - {id: special, method: GET, path: /items/special, response: {body: special}}
  - {id: json, method: GET, path: '/items/{id}', match: {headers: {accept: {regex: json}}}, response: {body: {json: true}}}
`);
  });
  afterAll(() => tp.close());

  it('lower priority numbers are tried first, then file order', async () => {
    expect((await tp.call('GET', '/items/special')).text).toBe('special');
    expect((await tp.call('GET', '/items/1', { headers: { Accept: 'application/json' } })).json).toEqual({ json: true });
    expect((await tp.call('GET', '/items/1', { headers: { Accept: 'text/html' } })).text).toBe('fallback');
  });
});
