/**
 * Response templates (request data, route params, state, action results, seeded faker, the clock,
 * helpers, typed values) and sequences (fail twice then succeed; stick to the last or cycle).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manualClock, serveYaml, type Served } from './helpers.js';

describe('templates', () => {
  const clock = manualClock(Date.UTC(2025, 2, 10, 8, 30, 0));
  let tp: Served;
  beforeAll(async () => {
    tp = await serveYaml(
      `name: templates
seed: 3
collections:
  orders:
    items: [{id: 1, order_id: A}, {id: 2, order_id: B}]
routes:
  - method: POST
    path: /apps/{app_key}/echo/{rest}
    response:
      status: 202
      headers:
        X-App: "{{params.app_key}}"
        X-Count: "{{request.body.count}}"
        X-Method: "{{request.method}}"
        Content-Type: application/vnd.echo+json
      body:
        method: "{{request.method}}"
        path: "{{request.path}}"
        app: "{{params.app_key}}"
        rest: "{{request.params.rest}}"
        page: "{{request.query.page}}"
        tags: "{{request.queryAll.tag}}"
        agent: "{{request.headers.x-agent}}"
        count: "{{request.body.count}}"
        countText: "{{string request.body.count}}"
        label: "n={{request.body.count}}"
        nested: "{{request.body.nested}}"
        firstItem: "{{request.body.items.[0].sku}}"
        viaJsonPath: "{{jsonPath request.body '$.items[?(@.qty > 1)].sku'}}"
        missing: "{{request.body.nope}}"
        fallback: "{{default request.body.nope 'none'}}"
        json: "{{json request.body.nested}}"
        size: "{{size request.body.items}}"
        skus: "{{#each request.body.items}}{{sku}}{{#unless @last}},{{/unless}}{{/each}}"
        flag: "{{eq request.query.page '2'}}"
        literal: [1, true, null, text]
        made: "{{object a=1 b=(array 'x' 'y')}}"
  - method: GET
    path: /stats
    response:
      body:
        orders: "{{size state.orders}}"
        first: "{{state.orders.[0].order_id}}"
  - method: POST
    path: /orders
    action: {collection: orders, op: create}
    response:
      status: 201
      body: {id: "{{action.item.id}}", created: "{{action.created}}", total: "{{size state.orders}}"}
  - method: GET
    path: /clock
    response:
      body:
        iso: "{{now}}"
        date: "{{now format='date'}}"
        yesterday: "{{now format='date' offset='-1d'}}"
        epoch: "{{now format='epoch'}}"
        unix: "{{now format='unix' offset='+2h'}}"
  - method: GET
    path: /fake
    response:
      body:
        name: "{{faker 'person.fullName'}}"
        token: "{{faker 'string.alphanumeric' 12}}"
        n: "{{faker 'number.int' min=1 max=1000}}"
        when: "{{faker 'date.past'}}"
  - method: GET
    path: /text
    response: {body: "Hello {{request.query.name}}!"}
  - method: GET
    path: /broken
    response: {body: {n: "{{faker 'number.int' min=10 max=1}}"}}
`,
      { now: clock.now },
    );
  });
  afterAll(() => tp.close());
  beforeEach(() => tp.thirdParty.reset());

  it('have the request, the route parameters and helpers; a lone {{…}} keeps its type', async () => {
    const res = await tp.call('POST', '/apps/KEY/echo/more', {
      query: 'page=2&tag=a&tag=b',
      headers: { 'X-Agent': 'sdk/1.0' },
      body: { count: 3, nested: { a: [1, 2] }, items: [{ sku: 'S1', qty: 1 }, { sku: 'S2', qty: 5 }] },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-app')).toBe('KEY');
    expect(res.headers.get('x-count')).toBe('3');
    expect(res.headers.get('x-method')).toBe('POST');
    expect(res.headers.get('content-type')).toBe('application/vnd.echo+json');
    expect(res.json).toEqual({
      method: 'POST',
      path: '/apps/KEY/echo/more',
      app: 'KEY',
      rest: 'more',
      page: '2',
      tags: ['a', 'b'],
      agent: 'sdk/1.0',
      count: 3,
      countText: '3',
      label: 'n=3',
      nested: { a: [1, 2] },
      firstItem: 'S1',
      viaJsonPath: 'S2',
      fallback: 'none',
      json: '{"a":[1,2]}',
      size: 2,
      skus: 'S1,S2',
      flag: true,
      literal: [1, true, null, 'text'],
      made: { a: 1, b: ['x', 'y'] },
    });
    // `missing` rendered nothing and was left out.
    expect(Object.keys(res.json as object)).not.toContain('missing');
  });

  it('see the collections (state) and the action result', async () => {
    expect((await tp.call('GET', '/stats')).json).toEqual({ orders: 2, first: 'A' });
    expect((await tp.call('POST', '/orders', { body: { order_id: 'C' } })).json).toEqual({ id: 3, created: true, total: 3 });
    expect((await tp.call('GET', '/stats')).json).toEqual({ orders: 3, first: 'A' });
  });

  it('now comes from the injected clock', async () => {
    expect((await tp.call('GET', '/clock')).json).toEqual({
      iso: '2025-03-10T08:30:00.000Z',
      date: '2025-03-10',
      yesterday: '2025-03-09',
      epoch: Date.UTC(2025, 2, 10, 8, 30, 0),
      unix: Date.UTC(2025, 2, 10, 10, 30, 0) / 1000,
    });
    clock.advance(86_400_000);
    expect((await tp.call('GET', '/clock')).json).toMatchObject({ date: '2025-03-11' });
  });

  it('faker is seeded: each call of a route has its own values, the same after a reset', async () => {
    const a = (await tp.call('GET', '/fake')).json as Record<string, unknown>;
    const b = (await tp.call('GET', '/fake')).json as Record<string, unknown>;
    expect(a.name).toEqual(expect.any(String));
    expect(a.token).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(a.n).toEqual(expect.any(Number));
    expect(a).not.toEqual(b);
    // Faker's dates count from a fixed reference, not the wall clock.
    expect(Date.parse(a.when as string)).toBeLessThan(Date.parse('2025-01-01T00:00:00.000Z'));
    tp.thirdParty.reset();
    // Other routes' calls in between change nothing.
    await tp.call('GET', '/stats');
    expect((await tp.call('GET', '/fake')).json).toEqual(a);
    expect((await tp.call('GET', '/fake')).json).toEqual(b);
  });

  it('a string body is text', async () => {
    const res = await tp.call('GET', '/text', { query: 'name=J%C3%BCrgen' });
    expect(res.text).toBe('Hello Jürgen!');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it('a template that fails at run time answers 500 and the server lives on', async () => {
    const res = await tp.call('GET', '/broken');
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({ error: 'internal_error' });
    expect((await tp.call('GET', '/stats')).status).toBe(200);
  });
});

describe('sequences', () => {
  let tp: Served;
  beforeAll(async () => {
    tp = await serveYaml(`name: sequences
collections:
  purchases: {unique: [order_id]}
routes:
  - id: flaky
    method: POST
    path: /purchases
    action: {collection: purchases, op: create}
    sequence:
      responses:
        - {status: 503, body: {error: busy}}
        - {status: 500, headers: {Retry-After: "1"}}
        - {status: 200, body: {code: 200, message: OK, stored: "{{size state.purchases}}"}}
  - id: cycling
    method: GET
    path: /status
    sequence:
      then: cycle
      responses:
        - {body: up}
        - {body: degraded}
        - {status: 503, body: down}
  - id: forced
    method: POST
    path: /forced
    action: {collection: purchases, op: create}
    sequence:
      responses:
        - {status: 500, runAction: true, body: {stored: "{{action.created}}"}}
        - {status: 201, runAction: false, body: {action: "{{default action 'skipped'}}"}}
`);
  });
  afterAll(() => tp.close());
  beforeEach(() => tp.thirdParty.reset());

  it('fail twice, then succeed for good; failing steps do not run the action', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await tp.call('POST', '/purchases', { body: { order_id: `O-${i.toString()}` } })).status);
    expect(statuses).toEqual([503, 500, 200, 200, 200]);
    expect(tp.thirdParty.items('purchases').map((p) => p.order_id)).toEqual(['O-2', 'O-3', 'O-4']);
    expect((await tp.call('POST', '/purchases', { body: { order_id: 'O-9' } })).json).toEqual({ code: 200, message: 'OK', stored: 4 });
  });

  it('reset starts sequences over', async () => {
    await tp.call('POST', '/purchases', { body: {} });
    tp.thirdParty.reset();
    const first = await tp.call('POST', '/purchases', { body: {} });
    expect(first.status).toBe(503);
    expect(first.json).toEqual({ error: 'busy' });
    const second = await tp.call('POST', '/purchases', { body: {} });
    expect(second.headers.get('retry-after')).toBe('1');
    expect(second.text).toBe('');
  });

  it('then: cycle starts again after the last', async () => {
    const bodies: string[] = [];
    for (let i = 0; i < 7; i++) bodies.push((await tp.call('GET', '/status')).text);
    expect(bodies).toEqual(['up', 'degraded', 'down', 'up', 'degraded', 'down', 'up']);
  });

  it('runAction overrides the status rule', async () => {
    const failed = await tp.call('POST', '/forced', { body: { order_id: 'F' } });
    expect(failed.status).toBe(500);
    expect(failed.json).toEqual({ stored: true });
    expect((await tp.call('POST', '/forced', { body: { order_id: 'G' } })).json).toEqual({ action: 'skipped' });
    expect(tp.thirdParty.items('purchases').map((p) => p.order_id)).toEqual(['F']);
  });
});
