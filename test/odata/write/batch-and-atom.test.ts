/**
 * The two wire forms SCPI uses to write: the Atom entry of the SendProductRatings receiver (spec
 * scenarios §4.3), and `$batch` change sets (spec §6.4) — atomic per change set, only the failing part
 * answered, later change sets unaffected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startCommerceServer } from '../../../mock-commerce/app.js';
import type { Commerce } from '../../../mock-commerce/commerce.js';
import { DEMO, basic, businessSnapshot, fixtureProject, load } from '../../helpers/commerce.js';

describe('Atom entry from the SCPI OData receiver (SendProductRatings)', () => {
  let commerce: Commerce;
  let server: RunningServer;
  beforeAll(async () => {
    commerce = load({ projectDir: DEMO });
    server = await startCommerceServer(commerce);
  });
  afterAll(() => server.close());

  const entry = (code: string, rating: string, count: string) =>
    `<?xml version="1.0" encoding="utf-8"?><entry xmlns="http://www.w3.org/2005/Atom" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices">` +
    `<content type="application/xml"><m:properties><d:code>${code}</d:code><d:reviewRating m:type="Edm.Double">${rating}</d:reviewRating><d:reviewCount m:type="Edm.Int32">${count}</d:reviewCount><d:integrationKey>ignored</d:integrationKey></m:properties></content>` +
    `<link href="Products('x')/catalogVersion" rel="http://schemas.microsoft.com/ado/2007/08/dataservices/related/catalogVersion" type="application/atom+xml;type=entry" title="catalogVersion"><m:inline>` +
    `<entry><content type="application/xml"><m:properties><d:version>Online</d:version></m:properties></content>` +
    `<link href="CatalogVersions('x')/catalog" rel="http://schemas.microsoft.com/ado/2007/08/dataservices/related/catalog" type="application/atom+xml;type=entry" title="catalog"><m:inline>` +
    `<entry><content type="application/xml"><m:properties><d:id>sandboxProductCatalog</d:id></m:properties></content></entry>` +
    `</m:inline></link></entry></m:inline></link></entry>`;

  it('updates the product rating and count; the product reads back with them', async () => {
    const res = await fetch(`${server.url}/odata2webservices/ThirdPartyInboundProduct/Products`, {
      method: 'POST',
      headers: { Authorization: basic('integrationuser', 'sandbox'), 'Content-Type': 'application/atom+xml', Accept: 'application/json' },
      body: entry('P-2', '4.55769', '7'),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${server.url}/odata2webservices/ThirdPartyInboundProduct/Products('Online%7CsandboxProductCatalog%7CP-2')`);
    const read = await fetch(`${server.url}/odata2webservices/ThirdPartyInboundProduct/Products('Online%7CsandboxProductCatalog%7CP-2')`, {
      headers: { Authorization: basic('integrationuser', 'sandbox'), Accept: 'application/json' },
    });
    const d = ((await read.json()) as { d: Record<string, unknown> }).d;
    expect(d).toMatchObject({ code: 'P-2', reviewRating: '4.55769', reviewCount: 7, integrationKey: 'Online|sandboxProductCatalog|P-2' });
  });

  it('a product not in Commerce yet is created in the existing catalog version', async () => {
    const res = await fetch(`${server.url}/odata2webservices/ThirdPartyInboundProduct/Products`, {
      method: 'POST',
      headers: { Authorization: basic('integrationuser', 'sandbox'), 'Content-Type': 'application/atom+xml' },
      body: entry('NEW-9', '5', '1'),
    });
    expect(res.status).toBe(201);
    expect(commerce.store.find('Product', { code: 'NEW-9' })[0]?.values.reviewRating).toBe(5);
  });

  it('a malformed Atom entry → 400 odata_error, nothing saved', async () => {
    const before = businessSnapshot(commerce);
    const res = await fetch(`${server.url}/odata2webservices/ThirdPartyInboundProduct/Products`, {
      method: 'POST',
      headers: { Authorization: basic('integrationuser', 'sandbox'), 'Content-Type': 'application/atom+xml', Accept: 'application/json' },
      body: entry('P-2', 'not-a-number', '7'),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('odata_error');
    expect(businessSnapshot(commerce)).toBe(before);
  });
});

describe('$batch', () => {
  let commerce: Commerce;
  let server: RunningServer;
  beforeAll(async () => {
    commerce = load({ projectDir: fixtureProject('inbound-product') });
    server = await startCommerceServer(commerce);
  });
  afterAll(() => server.close());

  const CRLF = '\r\n';
  const post = (body: object, contentId: string) =>
    [
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      `Content-ID: ${contentId}`,
      '',
      'POST Products HTTP/1.1',
      'Content-Type: application/json',
      'Accept: application/json',
      'Content-Language: en',
      '',
      JSON.stringify(body),
    ].join(CRLF);
  const changeSet = (boundary: string, parts: string[]) =>
    [`Content-Type: multipart/mixed; boundary=${boundary}`, '', ...parts.map((p) => `--${boundary}${CRLF}${p}`), `--${boundary}--`].join(CRLF);
  const batchBody = (items: string[]) => [...items.map((i) => `--batch${CRLF}${i}`), '--batch--', ''].join(CRLF);
  const product = (code: string, version = 'Staged') => ({ code, name: code, catalogVersion: { version, catalog: { id: 'Default' } } });

  async function sendBatch(body: string) {
    const res = await fetch(`${server.url}/odata2webservices/InboundProduct/$batch`, {
      method: 'POST',
      headers: { Authorization: basic('integration', 'pass'), 'Content-Type': 'multipart/mixed; boundary=batch', Accept: 'application/json' },
      body,
    });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  it('third part of a change set fails: its change set keeps nothing and answers only the error part; the next change set succeeds', async () => {
    const before = commerce.store.count('Product');
    const body = batchBody([
      changeSet('cs1', [post(product('b1'), '1'), post(product('b2'), '2'), post(product('b3', 'Nope'), '3'), post(product('b4'), '4')]),
      changeSet('cs2', [post(product('c1'), '5'), post(product('c2'), '6')]),
    ]);
    const answer = await sendBatch(body);
    expect(answer.status).toBe(202);
    expect(answer.contentType).toMatch(/^multipart\/mixed; ?boundary=batch_/);
    const statusLines = [...answer.text.matchAll(/^HTTP\/1\.1 (\d{3}) [^\r\n]*/gm)].map((m) => Number(m[1]));
    expect(statusLines).toEqual([400, 201, 201]);
    expect(answer.text).toContain('"code":"missing_nav_property"');
    expect(answer.text).toContain('Content-Id: 3');
    // Change set 1: nothing persisted (b1 and b2 rolled back). Change set 2: both persisted.
    expect(['b1', 'b2', 'b3', 'b4'].flatMap((c) => commerce.store.find('Product', { code: c }))).toHaveLength(0);
    expect(['c1', 'c2'].flatMap((c) => commerce.store.find('Product', { code: c }))).toHaveLength(2);
    expect(commerce.store.count('Product')).toBe(before + 2);
  });

  it('answers each successful part with 201, Location and the entry', async () => {
    const answer = await sendBatch(batchBody([changeSet('cs', [post(product('d1'), '1')])]));
    expect(answer.status).toBe(202);
    expect(answer.text).toMatch(/HTTP\/1\.1 201 Created\r\n/);
    expect(answer.text).toContain(`Location: ${server.url}/odata2webservices/InboundProduct/Products('Staged%7CDefault%7Cd1')`);
    expect(answer.text).toContain('"integrationKey":"Staged|Default|d1"');
  });

  it('more parts than odata2services.batch.limit → 400 batch_limit_exceeded, nothing processed', async () => {
    const before = businessSnapshot(commerce);
    const parts = Array.from({ length: 201 }, (_, i) => post(product(`l${i}`), String(i)));
    const answer = await sendBatch(batchBody([changeSet('cs', parts)]));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({
      error: { code: 'batch_limit_exceeded', message: { lang: 'en', value: "The number of integration objects sent in the request has exceeded the 'odata2services.batch.limit' setting currently set to 200" } },
    });
    expect(businessSnapshot(commerce)).toBe(before);
  });

  it('malformed multipart → 400 odata_error, nothing processed', async () => {
    const before = businessSnapshot(commerce);
    const answer = await sendBatch('--wrong\r\nnot a batch\r\n');
    expect(answer.status).toBe(400);
    expect((JSON.parse(answer.text) as { error: { code: string } }).error.code).toBe('odata_error');
    expect(businessSnapshot(commerce)).toBe(before);
  });
});
