/**
 * OData reads over real HTTP (spec §4, §5, §8; help V-GET-*): documents member for member, paging,
 * counts, navigation, expansion, languages, formats and the error documents of reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../mock-commerce/app.js';
import { startCommerceServer } from '../../mock-commerce/app.js';
import type { Commerce } from '../../mock-commerce/commerce.js';
import { importImpex } from '../../mock-commerce/impex/import.js';
import { parseImpex } from '../../mock-commerce/impex/parse.js';
import { DEMO, basic, fixtureProject, load } from '../helpers/commerce.js';

const PROJECT = fixtureProject('inbound-product');
const AUTH = basic('integration', 'pass');
const JSON_ACCEPT = { Authorization: AUTH, Accept: 'application/json' };

function addProducts(commerce: Commerce, codes: string[], version = 'Staged'): void {
  const rows = codes.map((c) => `; ${c} ; Default:${version} ; Name of ${c}`).join('\n');
  const report = importImpex(parseImpex(`INSERT_UPDATE Product; code[unique=true]; catalogVersion(catalog(id),version)[unique=true]; name[lang=en]\n${rows}\n`, 'extra.impex'), commerce.store);
  if (report.errors.length) throw new Error(JSON.stringify(report.errors));
}

async function get(server: RunningServer, path: string, headers: Record<string, string> = JSON_ACCEPT): Promise<Response> {
  return fetch(`${server.url}/odata2webservices${path}`, { headers });
}

async function json(server: RunningServer, path: string, headers: Record<string, string> = JSON_ACCEPT): Promise<{ status: number; body: unknown; text: string; res: Response }> {
  const res = await get(server, path, headers);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, res };
}

const meta = (base: string, set: string, key: string, type: string) => ({
  __metadata: { id: `${base}/${set}('${key}')`, uri: `${base}/${set}('${key}')`, type: `HybrisCommerceOData.${type}` },
});
const deferred = (base: string, path: string) => ({ __deferred: { uri: `${base}/${path}` } });

describe('reads, 2211 profile', () => {
  let commerce: Commerce;
  let server: RunningServer;
  let base: string;
  beforeAll(async () => {
    commerce = load({ projectDir: PROJECT });
    server = await startCommerceServer(commerce);
    base = `${server.url}/odata2webservices/InboundProduct`;
  });
  afterAll(() => server.close());

  it('answers spec §16.1 member for member: filter, top, inlinecount, nested expand, __next', async () => {
    const query = "$filter=catalogVersion/version%20eq%20'Staged'&$top=2&$inlinecount=allpages&$expand=catalogVersion/catalog";
    const { status, text, res } = await json(server, `/InboundProduct/Products?${query}`, { ...JSON_ACCEPT, 'Accept-Language': 'en' });
    expect(status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('dataserviceversion')).toBe('2.0');
    expect(res.headers.get('content-language')).toBe('en');
    const catalogVersion = {
      ...meta(base, 'CatalogVersions', 'Staged%7CDefault', 'CatalogVersion'),
      version: 'Staged',
      integrationKey: 'Staged|Default',
      catalog: { ...meta(base, 'Catalogs', 'Default', 'Catalog'), id: 'Default', integrationKey: 'Default' },
    };
    const product = (code: string, name: string) => {
      const key = `Staged%7CDefault%7C${code}`;
      return {
        ...meta(base, 'Products', key, 'Product'),
        code,
        name,
        integrationKey: `Staged|Default|${code}`,
        catalogVersion,
        unit: deferred(base, `Products('${key}')/unit`),
        supercategories: deferred(base, `Products('${key}')/supercategories`),
        localizedAttributes: deferred(base, `Products('${key}')/localizedAttributes`),
      };
    };
    const expected = {
      d: {
        __count: '3',
        results: [product('p1', 'Shirt'), product('p2', 'T-Shirt')],
        // The raw query as it arrived (fetch sends ' as %27), with $skiptoken appended.
        __next: `${base}/Products?${new URL(`http://h/?${query}`).search.slice(1)}&$skiptoken=2`,
      },
    };
    expect(text).toBe(JSON.stringify(expected));
  });

  it('addresses an entity by its key, the pipe inside a value double-encoded (V-GET-04)', async () => {
    const { status, body } = await json(server, "/InboundProduct/Products('Online%7CDefault%7CtestProduct001%257Cwith%257Cpipes')");
    expect(status).toBe(200);
    const d = (body as { d: Record<string, unknown> }).d;
    expect(d.code).toBe('testProduct001|with|pipes');
    expect(d.integrationKey).toBe('Online|Default|testProduct001%7Cwith%7Cpipes');
    expect((d.__metadata as { uri: string }).uri).toBe(`${base}/Products('Online%7CDefault%7CtestProduct001%257Cwith%257Cpipes')`);
    // The named key predicate form is the same entity.
    const named = await json(server, "/InboundProduct/Products(integrationKey='Online%7CDefault%7CtestProduct001%257Cwith%257Cpipes')");
    expect(named.text).toBe(JSON.stringify(body));
  });

  it('writes null properties (2211) and every navigation as __deferred', async () => {
    const { body } = await json(server, "/InboundProduct/Products('Staged%7CDefault%7Cp2')", { ...JSON_ACCEPT, 'Accept-Language': 'de' });
    const d = (body as { d: Record<string, unknown> }).d;
    expect(Object.keys(d)).toEqual(['__metadata', 'code', 'name', 'integrationKey', 'catalogVersion', 'unit', 'supercategories', 'localizedAttributes']);
    expect(d.name).toBeNull(); // p2 has no German name
  });

  it('writes scalars the Olingo 2.0.10 way: Int32 number, Double/Int64 strings, \\/Date(ms)\\/', async () => {
    const { text } = await json(server, "/TypedProduct/Products('Staged%7CDefault%7Cp1')");
    expect(text).toContain('"reviewCount":12,"reviewRating":"4.5","onlineDate":"\\/Date(1581352392100)\\/","sequenceId":"9007199254740993"');
    const p4 = await json(server, "/TypedProduct/Products('Online%7CDefault%7Cp4')");
    expect(p4.text).toContain('"reviewCount":7,"reviewRating":"4001.0","onlineDate":null,"sequenceId":null');
  });

  it('expands to-one, to-many, enum and localizedAttributes; Localized___ entries omit nulls', async () => {
    const { body } = await json(server, "/InboundProduct/Products('Staged%7CDefault%7Cp2')?$expand=unit,supercategories,localizedAttributes");
    const d = (body as { d: Record<string, { results?: unknown[] } & Record<string, unknown>> }).d;
    expect(d.unit).toMatchObject({ ...meta(base, 'Units', 'pieces', 'Unit'), code: 'pieces', name: 'Piece', unitType: 'pieces', integrationKey: 'pieces' });
    expect(d.supercategories?.results).toHaveLength(1);
    expect(d.localizedAttributes).toEqual({ results: [{ ...meta(base, 'Localized___Products', 'en', 'Localized___Product'), name: 'T-Shirt', language: 'en' }] });
    const p1 = await json(server, "/InboundProduct/Products('Staged%7CDefault%7Cp1')/localizedAttributes");
    expect(p1.body).toEqual({
      d: {
        results: [
          { ...meta(base, 'Localized___Products', 'de', 'Localized___Product'), name: 'Hemd', language: 'de' },
          { ...meta(base, 'Localized___Products', 'en', 'Localized___Product'), name: 'Shirt', language: 'en' },
        ],
      },
    });
    const typed = await json(server, "/TypedProduct/Products('Staged%7CDefault%7Cp1')?$expand=approvalStatus");
    const typedBase = `${server.url}/odata2webservices/TypedProduct`;
    expect((typed.body as { d: { approvalStatus: unknown } }).d.approvalStatus).toEqual({
      ...meta(typedBase, 'ArticleApprovalStatuses', 'check', 'ArticleApprovalStatus'),
      code: 'check',
      integrationKey: 'check',
    });
  });

  it('writes an expanded null reference as null', async () => {
    const { body } = await json(server, "/InboundProduct/Products('Staged%7CDefault%7Cp3')?$expand=unit");
    expect((body as { d: { unit: unknown } }).d.unit).toBeNull();
  });

  it('roots deferred links of expanded entities at their own URI (V-GET-09)', async () => {
    const { body } = await json(server, '/InboundProduct/Products?$top=1&$expand=catalogVersion');
    const cv = (body as { d: { results: { catalogVersion: { catalog: unknown } }[] } }).d.results[0]!.catalogVersion;
    expect(cv.catalog).toEqual(deferred(base, "CatalogVersions('Staged%7CDefault')/catalog"));
  });

  it('navigates to one entity, to a collection, and counts a collection navigation', async () => {
    const one = await json(server, "/InboundProduct/Products('Staged%7CDefault%7Cp1')/catalogVersion");
    expect((one.body as { d: { integrationKey: string } }).d.integrationKey).toBe('Staged|Default');
    const many = await json(server, "/InboundProduct/Products('Staged%7CDefault%7Cp1')/supercategories");
    expect((many.body as { d: { results: { code: string }[] } }).d.results.map((r) => r.code)).toEqual(['shirts', 'summer']);
    const count = await get(server, "/InboundProduct/Products('Staged%7CDefault%7Cp1')/supercategories/$count");
    expect(await count.text()).toBe('2');
  });

  it('counts an entity set with /$count as text/plain, honouring $filter', async () => {
    const all = await get(server, '/InboundProduct/Products/$count');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await all.text()).toBe('5');
    const staged = await get(server, "/InboundProduct/Products/$count?$filter=catalogVersion/version%20eq%20'Staged'");
    expect(await staged.text()).toBe('3');
  });

  it('lists every entity set in the service document, JSON and AtomPub', async () => {
    const { body, res } = await json(server, '/InboundProduct');
    expect(res.headers.get('dataserviceversion')).toBe('1.0');
    expect(body).toEqual({ d: { EntitySets: ['Products', 'Localized___Products', 'CatalogVersions', 'Catalogs', 'Units', 'Localized___Units', 'Categories', 'Localized___Categories'] } });
    const xml = await get(server, '/InboundProduct', { Authorization: AUTH, Accept: 'application/xml' });
    const text = await xml.text();
    expect(text).toContain(`<service xml:base="${base}/" xmlns="http://www.w3.org/2007/app" xmlns:atom="http://www.w3.org/2005/Atom"><workspace><atom:title>Default</atom:title>`);
    expect(text).toContain('<collection href="Products"><atom:title>Products</atom:title></collection>');
  });

  it('answers Atom for XML clients: feed with m:count, typed properties and the next link', async () => {
    const res = await get(server, '/TypedProduct/Products?$top=1&$inlinecount=allpages', { Authorization: AUTH, Accept: 'application/atom+xml' });
    expect(res.headers.get('content-type')).toBe('application/atom+xml;type=feed;charset=utf-8');
    const text = await res.text();
    expect(text).toMatch(/^<\?xml version='1\.0' encoding='utf-8'\?><feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
    expect(text).toContain('<m:count>5</m:count>');
    expect(text).toContain('<d:reviewCount m:type="Edm.Int32">12</d:reviewCount><d:reviewRating m:type="Edm.Double">4.5</d:reviewRating>');
    expect(text).toContain('<d:onlineDate m:type="Edm.DateTime">2020-02-10T16:33:12.1</d:onlineDate>');
    expect(text).toContain(`<link href="${server.url}/odata2webservices/TypedProduct/Products?$top=1&amp;$inlinecount=allpages&amp;$skiptoken=1" rel="next"/>`);
    const json1 = await get(server, '/TypedProduct/Products?$top=1&$format=json', { Authorization: AUTH, Accept: 'application/atom+xml' });
    expect(json1.headers.get('content-type')).toBe('application/json');
  });
});

describe('paging (V-GET-01…06)', () => {
  let server: RunningServer;
  let base: string;
  let commerce: Commerce;
  beforeAll(async () => {
    commerce = load({ projectDir: PROJECT, properties: { 'odata2services.page.size.max': '5' } });
    addProducts(
      commerce,
      Array.from({ length: 8 }, (_, i) => `x${i + 1}`),
    );
    server = await startCommerceServer(commerce);
    base = `${server.url}/odata2webservices/InboundProduct`;
  });
  afterAll(() => server.close());

  const codes = (body: unknown) => (body as { d: { results: { code: string }[] } }).d.results.map((r) => r.code);
  const next = (body: unknown) => (body as { d: { __next?: string } }).d.__next;

  it('defaults to a page of 10 — clamped here by page.size.max=5 — and links the next page', async () => {
    const { body } = await json(server, '/InboundProduct/Products');
    expect(codes(body)).toEqual(['p1', 'p2', 'p3', 'p4', 'testProduct001|with|pipes']);
    expect(next(body)).toBe(`${base}/Products?$skiptoken=5`);
  });

  it('$top is a page size: __next keeps $top and carries $skiptoken', async () => {
    const { body } = await json(server, '/InboundProduct/Products?$top=2');
    expect(codes(body)).toEqual(['p1', 'p2']);
    expect(next(body)).toBe(`${base}/Products?$top=2&$skiptoken=2`);
    const clamped = await json(server, '/InboundProduct/Products?$top=45');
    expect(codes(clamped.body)).toHaveLength(5);
    expect(next(clamped.body)).toBe(`${base}/Products?$top=45&$skiptoken=5`);
  });

  it('$skip offsets; __next drops $skip for the absolute $skiptoken; the last page has no __next', async () => {
    const { body } = await json(server, '/InboundProduct/Products?$skip=2&$top=2');
    expect(codes(body)).toEqual(['p3', 'p4']);
    expect(next(body)).toBe(`${base}/Products?$top=2&$skiptoken=4`);
    const last = await json(server, '/InboundProduct/Products?$top=5&$skip=10');
    expect(codes(last.body)).toEqual(['x6', 'x7', 'x8']);
    expect(next(last.body)).toBeUndefined();
    const token = await json(server, '/InboundProduct/Products?$skiptoken=12');
    expect(codes(token.body)).toEqual(['x8']);
  });

  it('$inlinecount=allpages gives __count as a string before results; none omits it', async () => {
    const { text } = await json(server, '/InboundProduct/Products?$top=2&$skip=11&$inlinecount=allpages');
    expect(text.startsWith('{"d":{"__count":"13","results":[')).toBe(true);
    const none = await json(server, '/InboundProduct/Products?$top=2&$inlinecount=none');
    expect(none.text).not.toContain('__count');
  });
});

describe('2005 profile: data-based serialisation', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startCommerceServer(load({ projectDir: PROJECT, commerceVersion: '2005' }));
  });
  afterAll(() => server.close());

  it('omits null properties from entries', async () => {
    const { body } = await json(server, "/TypedProduct/Products('Online%7CDefault%7Cp4')");
    const d = (body as { d: Record<string, unknown> }).d;
    expect('onlineDate' in d).toBe(false);
    expect('sequenceId' in d).toBe(false);
    expect(d.reviewRating).toBe('4001.0');
  });
});

describe('languages (§5.6)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startCommerceServer(load({ projectDir: PROJECT }));
  });
  afterAll(() => server.close());

  const nameIn = async (language: string | undefined) => {
    const headers: Record<string, string> = { ...JSON_ACCEPT, ...(language !== undefined ? { 'Accept-Language': language } : {}) };
    const r = await json(server, "/InboundProduct/Products('Staged%7CDefault%7Cp1')", headers);
    return { status: r.status, name: (r.body as { d?: { name?: string } }).d?.name, language: r.res.headers.get('content-language'), body: r.body };
  };

  it('selects localized values by the first Accept-Language entry', async () => {
    expect(await nameIn('de')).toMatchObject({ status: 200, name: 'Hemd', language: 'de' });
    expect(await nameIn('de-DE,en;q=0.5')).toMatchObject({ name: 'Hemd', language: 'de' });
    expect(await nameIn('en-US')).toMatchObject({ name: 'Shirt', language: 'en' });
    expect(await nameIn('*')).toMatchObject({ name: 'Shirt', language: 'en' });
    expect(await nameIn(undefined)).toMatchObject({ name: 'Shirt', language: 'en' });
  });

  it('answers 400 invalid_language for a language Commerce does not have', async () => {
    const r = await nameIn('fr');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: { code: 'invalid_language', message: { lang: 'en', value: 'The language provided [fr] is not available in the system.' } } });
  });
});

describe('read errors (§5, §8)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startCommerceServer(load({ projectDir: PROJECT }));
  });
  afterAll(() => server.close());

  const cases: [string, number, string | null, string][] = [
    ['/InboundProduct/Packages', 404, null, "Could not find an entity set or function import for 'Packages'."],
    ["/InboundProduct/Products('Staged%7CDefault%7Cnope')", 404, 'not_found', '[Product] with integration key [Staged|Default|nope] was not found.'],
    [
      "/InboundProduct/Products('Staged%7CDefault')",
      400,
      'invalid_key',
      'The integration key [Staged|Default] is invalid. Please consult the IntegrationKey definition of [Product] for configuration details.',
    ],
    [
      "/InboundProduct/Products('Staged%7C%7CDefault%7Cx')",
      400,
      'invalid_key',
      'The integration key [Staged||Default|x] is invalid. Please consult the IntegrationKey definition of [Product] for configuration details.',
    ],
    ["/InboundProduct/Products('Staged%7CDefault%7Cp1')/nothing", 404, null, "Could not find property with name: 'nothing'."],
    ["/InboundProduct/Products('Staged%7CDefault%7Cp3')/unit", 404, 'not_found', '[Product] with integration key [Staged|Default|p3] has no [unit].'],
    ['/InboundProduct/Products?$expand=nothing', 404, null, "Could not find property with name: 'nothing'."],
    ['/InboundProduct/Products?$top=-1', 400, null, "Invalid value '-1' for system query option $top."],
    ['/InboundProduct/Products?$skip=abc', 400, null, "Invalid value 'abc' for system query option $skip."],
    ['/InboundProduct/Products?$skip=1&$skiptoken=2', 400, 'invalid_query_parameter', '[$skip] and [$skiptoken] query parameters cannot be combined in the same get request.'],
    ['/InboundProduct/Products?$skiptoken=x', 400, 'invalid_query_parameter', 'The value [x] of query parameter [$skiptoken] is invalid.'],
    ['/InboundProduct/Products?$inlinecount=some', 400, null, "Invalid value 'some' for system query option $inlinecount."],
    ['/InboundProduct/Products?$nope=1', 400, null, "Invalid system query option: '$nope'."],
    ['/InboundProduct/Products?$top=1&$top=2', 400, null, "Duplicate system query parameter names: '$top'."],
    ['/InboundProduct/Products?$filter=%E0%A4%A', 400, null, "The URI query string '%E0%A4%A' is not correctly percent-encoded."],
    ["/InboundProduct/Products(5)", 400, null, "Invalid key predicate: '5'."],
    [
      "/InboundProduct/Products?$filter=integrationKey%20eq%20'x'",
      400,
      'integration_key_not_supported',
      "Filtering by integration key is not supported. Please supply the key with the Integration Object (e.g. https://.../InboundProduct/Products('Staged|Default|MyProduct'))",
    ],
    ["/InboundProduct/Products?$filter=catalogVersion/catalog/id%20eq%20'Default'", 400, 'filter_not_supported', 'Nested filter [catalogVersion/catalog/id] of more than one level is not supported.'],
    ['/InboundProduct/Products?$filter=code%20add%201%20eq%202', 400, 'operator_not_supported', 'Operator [add] is not supported.'],
    ["/InboundProduct/Products?$filter=substringof('a',code)", 500, 'unknown_error', 'An unexpected error occurred. See the log for details'],
    ["/InboundProduct/Products?$filter=not%20(code%20eq%20'p1')", 500, 'unknown_error', 'An unexpected error occurred. See the log for details'],
    ['/InboundProduct/Products?$orderby=integrationKey', 400, 'order_by_integration_key_not_supported', 'Ordering by integrationKey is not supported!'],
    ['/InboundProduct/Products?$orderby=catalogVersion/version', 400, 'order_by_nested_attribute_not_supported', 'Ordering by nested attribute [catalogVersion/version] is not supported.'],
  ];
  for (const [path, status, code, message] of cases) {
    it(`${path} → ${status} ${code ?? '(no code)'}`, async () => {
      const r = await json(server, path);
      expect(r.status).toBe(status);
      expect(r.res.headers.get('dataserviceversion')).toBe('1.0');
      expect(r.body).toEqual({ error: { code, message: { lang: 'en', value: message } } });
    });
  }

  it('renders the error as XML for XML clients', async () => {
    const res = await get(server, '/InboundProduct/Packages', { Authorization: AUTH, Accept: 'application/xml' });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe(
      `<?xml version='1.0' encoding='UTF-8'?><error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"><code/><message xml:lang="en">Could not find an entity set or function import for 'Packages'.</message></error>`,
    );
  });

  it('a view user reads; a create-only user may not (403)', async () => {
    expect((await get(server, '/InboundProduct/Products', { Authorization: basic('viewer', 'viewer-secret'), Accept: 'application/json' })).status).toBe(200);
    expect((await get(server, '/InboundProduct/Products', { Authorization: basic('creator', 'creator-secret'), Accept: 'application/json' })).status).toBe(403);
  });
});

describe('relations read from either end', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startCommerceServer(load({ projectDir: DEMO }));
  });
  afterAll(() => server.close());

  it('lists Order.entries from the entries that point at the order (one-to-many, FK on OrderEntry)', async () => {
    const auth = { Authorization: basic('integrationuser', 'sandbox'), Accept: 'application/json' };
    const res = await fetch(`${server.url}/odata2webservices/Orders/Orders('00001001')/entries`, { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { d: { results: { integrationKey: string; entryNumber: number }[] } };
    expect(body.d.results.map((r) => [r.integrationKey, r.entryNumber])).toEqual([['0|00001001', 0]]);
    const count = await fetch(`${server.url}/odata2webservices/Orders/Orders('00001001')/entries/$count`, { headers: auth });
    expect(await count.text()).toBe('1');
  });
});
