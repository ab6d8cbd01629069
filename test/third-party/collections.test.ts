/**
 * Stateful collections over real HTTP: create/read/list/update/delete, ids (sequence and uuid), seed
 * items (literal and generated with the seeded faker), page and cursor pagination, filters,
 * uniqueness (ignore and reject), reset.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveYaml, type Served } from './helpers.js';

const DEFINITION = `name: shop
seed: 7
collections:
  orders:
    unique: [order_id]
    onDuplicate: ignore
    items:
      - {id: 10, order_id: A-1, total: 5}
  customers:
    idField: email
    unique: [[first, last]]
    onDuplicate: reject
    duplicateResponse:
      status: 422
      body: {code: 422, message: "{{action.field}} {{json action.value}} is taken by {{action.item.email}}"}
  products:
    idStrategy: uuid
    generate:
      count: 25
      item:
        sku: "SKU-{{add index 1}}"
        name: "{{faker 'commerce.productName'}}"
        score: "{{faker 'number.float' min=1 max=5 fractionDigits=1}}"
        category: "{{#if (eq (add index 0) 3)}}special{{else}}normal{{/if}}"
routes:
  - {method: POST, path: /orders, action: {collection: orders, op: create}}
  - {method: GET, path: '/orders/{id}', action: {collection: orders, op: read}}
  - {method: GET, path: /orders, action: {collection: orders, op: list}}
  - {method: PATCH, path: '/orders/{id}', action: {collection: orders, op: update}}
  - {method: PUT, path: '/orders/{id}', action: {collection: orders, op: update, merge: false}}
  - {method: DELETE, path: '/orders/{id}', action: {collection: orders, op: delete}}
  - method: POST
    path: /customers
    action: {collection: customers, op: create}
    response: {status: 201, headers: {Location: "/customers/{{action.item.email}}"}, body: {created: "{{action.created}}"}}
  - method: PATCH
    path: '/customers/{email}'
    action: {collection: customers, op: update, notFound: {status: 410, body: {gone: "{{action.id}}"}}}
  - method: GET
    path: /products
    action:
      collection: products
      op: list
      filter: {category: "{{request.query.category}}"}
      pagination: {style: page, pageParam: page, sizeParam: count, defaultSize: 10, maxSize: 20}
    response:
      body: {items: "{{action.items}}", page: "{{action.page}}", size: "{{action.size}}", total: "{{action.total}}"}
  - method: GET
    path: /products/zero-based
    action:
      collection: products
      op: list
      pagination: {style: page, firstPage: 0, pageParam: p, sizeParam: n}
  - method: GET
    path: /products/feed
    action:
      collection: products
      op: list
      pagination: {style: cursor, cursorParam: after, sizeParam: limit, defaultSize: 10}
  - method: GET
    path: /products/by-sku/{sku}
    action: {collection: products, op: list, filter: {sku: "{{params.sku}}"}}
    response: {body: "{{action.items.[0]}}"}
`;

describe('collections', () => {
  let tp: Served;
  beforeAll(async () => {
    tp = await serveYaml(DEFINITION);
  });
  afterAll(() => tp.close());
  beforeEach(() => tp.thirdParty.reset());

  it('create answers 201 with the stored item; ids continue after the largest numeric one', async () => {
    const created = await tp.call('POST', '/orders', { body: { order_id: 'B-1', total: 7 } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ order_id: 'B-1', total: 7, id: 11 });
    expect((await tp.call('POST', '/orders', { body: { order_id: 'B-2' } })).json).toEqual({ order_id: 'B-2', id: 12 });
    expect((await tp.call('POST', '/orders', { body: { id: 'x', order_id: 'B-3' } })).json).toEqual({ id: 'x', order_id: 'B-3' });
  });

  it('read, list, update (merge and replace) and delete', async () => {
    expect((await tp.call('GET', '/orders/10')).json).toEqual({ id: 10, order_id: 'A-1', total: 5 });
    expect((await tp.call('GET', '/orders')).json).toEqual({ items: [{ id: 10, order_id: 'A-1', total: 5 }], total: 1 });
    const patched = await tp.call('PATCH', '/orders/10', { body: { total: 6, id: 99 } });
    expect(patched.status).toBe(200);
    expect(patched.json).toEqual({ id: 10, order_id: 'A-1', total: 6 });
    expect((await tp.call('PUT', '/orders/10', { body: { order_id: 'A-1', note: 'replaced' } })).json).toEqual({ order_id: 'A-1', note: 'replaced', id: 10 });
    const deleted = await tp.call('DELETE', '/orders/10');
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(tp.thirdParty.items('orders')).toEqual([]);
  });

  it('missing items get 404 (or the configured notFound answer)', async () => {
    const missing = await tp.call('GET', '/orders/404');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: 'not_found', id: '404' });
    expect((await tp.call('DELETE', '/orders/404')).status).toBe(404);
    const gone = await tp.call('PATCH', '/customers/nobody@example.com', { body: { first: 'x' } });
    expect(gone.status).toBe(410);
    expect(gone.json).toEqual({ gone: 'nobody@example.com' });
  });

  it('a body that is not a JSON object is a 400 and changes nothing', async () => {
    const bad = await tp.call('POST', '/orders', { body: '{"order_id": ', headers: { 'Content-Type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'invalid_body', error_description: expect.stringMatching(/^the body is not valid JSON/) as unknown });
    expect((await tp.call('POST', '/orders', { body: [1, 2] })).status).toBe(400);
    expect(tp.thirdParty.items('orders')).toHaveLength(1);
  });

  it('unique: a duplicate is ignored (nothing stored, the route answers as usual)', async () => {
    const first = await tp.call('POST', '/orders', { body: { order_id: 'C-1', total: 1 } });
    const again = await tp.call('POST', '/orders', { body: { order_id: 'C-1', total: 2 } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(tp.thirdParty.items('orders').filter((o) => o.order_id === 'C-1')).toEqual([{ order_id: 'C-1', total: 1, id: 11 }]);
    // An update into a taken key is ignored too.
    expect((await tp.call('PATCH', '/orders/11', { body: { order_id: 'A-1' } })).json).toEqual({ order_id: 'C-1', total: 1, id: 11 });
  });

  it('unique: a duplicate is rejected with the configured answer (composite keys, custom id field)', async () => {
    const jane = await tp.call('POST', '/customers', { body: { email: 'jane@example.com', first: 'Jane', last: 'Doe' } });
    expect(jane.status).toBe(201);
    expect(jane.headers.get('location')).toBe('/customers/jane@example.com');
    expect(jane.json).toEqual({ created: true });
    const twin = await tp.call('POST', '/customers', { body: { email: 'twin@example.com', first: 'Jane', last: 'Doe' } });
    expect(twin.status).toBe(422);
    expect(twin.json).toEqual({ code: 422, message: 'first+last ["Jane","Doe"] is taken by jane@example.com' });
    const sameId = await tp.call('POST', '/customers', { body: { email: 'jane@example.com', first: 'Other', last: 'Name' } });
    expect(sameId.status).toBe(422);
    expect((await tp.call('POST', '/customers', { body: { email: 'john@example.com', first: 'John', last: 'Doe' } })).status).toBe(201);
    expect((await tp.call('PATCH', '/customers/john@example.com', { body: { first: 'Jane' } })).status).toBe(422);
    expect(tp.thirdParty.items('customers').map((c) => c.email)).toEqual(['jane@example.com', 'john@example.com']);
  });

  it('generated seed items come from the seeded faker, with uuids', async () => {
    const products = tp.thirdParty.items('products');
    expect(products).toHaveLength(25);
    expect(products[0]).toMatchObject({ sku: 'SKU-1', category: 'normal' });
    expect(products[3]?.category).toBe('special');
    expect(products[0]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(typeof products[0]?.score).toBe('number');
    expect(typeof products[0]?.name).toBe('string');
    tp.thirdParty.reset();
    expect(tp.thirdParty.items('products')).toEqual(products);
    expect((await tp.call('GET', '/products/by-sku/SKU-4')).json).toEqual(products[3]);
  });

  it('page pagination: page and count parameters, capped sizes, empty past the end', async () => {
    const first = (await tp.call('GET', '/products', { query: 'count=10&page=1' })).json as { items: Array<{ sku: string }>; page: number; size: number; total: number };
    expect(first.items.map((p) => p.sku)).toEqual(['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4', 'SKU-5', 'SKU-6', 'SKU-7', 'SKU-8', 'SKU-9', 'SKU-10']);
    expect(first).toMatchObject({ page: 1, size: 10, total: 25 });
    const third = (await tp.call('GET', '/products', { query: 'count=10&page=3' })).json as { items: Array<{ sku: string }> };
    expect(third.items.map((p) => p.sku)).toEqual(['SKU-21', 'SKU-22', 'SKU-23', 'SKU-24', 'SKU-25']);
    expect((await tp.call('GET', '/products', { query: 'count=10&page=4' })).json).toEqual({ items: [], page: 4, size: 10, total: 25 });
    expect((await tp.call('GET', '/products', { query: 'count=500' })).json).toMatchObject({ page: 1, size: 20 });
    expect((await tp.call('GET', '/products')).json).toMatchObject({ page: 1, size: 10 });
    const bad = await tp.call('GET', '/products', { query: 'page=0' });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: 'invalid_parameter', parameter: 'page', error_description: 'page must be an integer ≥ 1' });
    expect((await tp.call('GET', '/products', { query: 'count=-1' })).status).toBe(400);
    expect((await tp.call('GET', '/products', { query: 'page=abc' })).status).toBe(400);
    // Filters apply before paging; an empty filter value is no filter.
    expect((await tp.call('GET', '/products', { query: 'category=special' })).json).toMatchObject({ total: 1, items: [{ sku: 'SKU-4' }] });
    expect((await tp.call('GET', '/products', { query: 'category=' })).json).toMatchObject({ total: 25 });
  });

  it('page pagination from page 0 with the default list body', async () => {
    const page0 = (await tp.call('GET', '/products/zero-based', { query: 'p=0&n=2' })).json as Record<string, unknown>;
    expect(Object.keys(page0)).toEqual(['items', 'total', 'page', 'size']);
    expect(page0).toMatchObject({ total: 25, page: 0, size: 2, items: [{ sku: 'SKU-1' }, { sku: 'SKU-2' }] });
    expect((await tp.call('GET', '/products/zero-based', { query: 'p=12&n=2' })).json).toMatchObject({ items: [{ sku: 'SKU-25' }] });
  });

  it('cursor pagination walks the whole collection once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await tp.call('GET', '/products/feed', { query: `limit=7${cursor ? `&after=${cursor}` : ''}` });
      expect(res.status).toBe(200);
      const body = res.json as { items: Array<{ sku: string }>; total: number; nextCursor: string | null };
      seen.push(...body.items.map((p) => p.sku));
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `SKU-${(i + 1).toString()}`));
    const bad = await tp.call('GET', '/products/feed', { query: 'after=not-a-cursor' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'invalid_parameter', parameter: 'after' });
  });

  it('reset restores the seed state', async () => {
    await tp.call('POST', '/orders', { body: { order_id: 'Z' } });
    await tp.call('DELETE', '/orders/10');
    tp.thirdParty.reset();
    expect(tp.thirdParty.items('orders')).toEqual([{ id: 10, order_id: 'A-1', total: 5 }]);
    expect((await tp.call('POST', '/orders', { body: { order_id: 'Z' } })).json).toMatchObject({ id: 11 });
  });
});
