/**
 * Inbound persistence over real HTTP (spec §6.1–§6.3, help §1.E–§1.G, §2.3, §2.6, §2.7, §2.9): the
 * nested-item table row by row, the write error catalogue, collections and languages, PATCH and DELETE,
 * hooks, and "nothing half-applied" proven by store snapshots.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningServer, startCommerceServer } from '../../../mock-commerce/app.js';
import type { Commerce } from '../../../mock-commerce/commerce.js';
import { importImpex } from '../../../mock-commerce/impex/import.js';
import { parseImpex } from '../../../mock-commerce/impex/parse.js';
import type { StoreSnapshot } from '../../../mock-commerce/store/store.js';
import { DEMO, basic, businessSnapshot, fixtureProject, load } from '../../helpers/commerce.js';

const AUTH = basic('integration', 'pass');
const CV = { version: 'Staged', catalog: { id: 'Default' } };

let commerce: Commerce;
let server: RunningServer;
let initial: StoreSnapshot;
let initialBusiness: string;

beforeAll(async () => {
  commerce = load({ projectDir: fixtureProject('inbound-product') });
  // An IO whose Product.unit is autoCreate, to see creation of referenced items.
  const report = importImpex(
    parseImpex(
      `INSERT_UPDATE IntegrationObject; code[unique=true]; integrationType(code)
; AutoUnit ; INBOUND
; FullOrder ; INBOUND
INSERT_UPDATE Currency; isocode[unique=true]; symbol
; USD ; $
INSERT_UPDATE Customer; uid[unique=true]
; jane
INSERT_UPDATE IntegrationObjectItem; integrationObject(code)[unique=true]; code[unique=true]; type(code); root[default=false]
; FullOrder ; Order ; Order ; true
; FullOrder ; OrderEntry ; OrderEntry ;
; FullOrder ; Product ; Product ;
; FullOrder ; CatalogVersion ; CatalogVersion ;
; FullOrder ; Catalog ; Catalog ;
; FullOrder ; Currency ; Currency ;
; FullOrder ; User ; User ;
; FullOrder ; Unit ; Unit ;
INSERT_UPDATE IntegrationObjectItemAttribute; integrationObjectItem(integrationObject(code),code)[unique=true]; attributeName[unique=true]; attributeDescriptor(enclosingType(code),qualifier); returnIntegrationObjectItem(integrationObject(code),code)
; FullOrder:Order ; code ; Order:code ;
; FullOrder:Order ; date ; Order:date ;
; FullOrder:Order ; currency ; Order:currency ; FullOrder:Currency
; FullOrder:Order ; user ; Order:user ; FullOrder:User
; FullOrder:Order ; entries ; Order:entries ; FullOrder:OrderEntry
; FullOrder:OrderEntry ; entryNumber ; OrderEntry:entryNumber ;
; FullOrder:OrderEntry ; order ; OrderEntry:order ; FullOrder:Order
; FullOrder:OrderEntry ; product ; OrderEntry:product ; FullOrder:Product
; FullOrder:OrderEntry ; quantity ; OrderEntry:quantity ;
; FullOrder:OrderEntry ; unit ; OrderEntry:unit ; FullOrder:Unit
; FullOrder:Product ; code ; Product:code ;
; FullOrder:Product ; catalogVersion ; Product:catalogVersion ; FullOrder:CatalogVersion
; FullOrder:CatalogVersion ; version ; CatalogVersion:version ;
; FullOrder:CatalogVersion ; catalog ; CatalogVersion:catalog ; FullOrder:Catalog
; FullOrder:Catalog ; id ; Catalog:id ;
; FullOrder:Currency ; isocode ; Currency:isocode ;
; FullOrder:User ; uid ; User:uid ;
; FullOrder:Unit ; code ; Unit:code ;
INSERT_UPDATE IntegrationObjectItem; integrationObject(code)[unique=true]; code[unique=true]; type(code); root[default=false]
; AutoUnit ; Product ; Product ; true
; AutoUnit ; Unit ; Unit ;
; AutoUnit ; CatalogVersion ; CatalogVersion ;
; AutoUnit ; Catalog ; Catalog ;
INSERT_UPDATE IntegrationObjectItemAttribute; integrationObjectItem(integrationObject(code),code)[unique=true]; attributeName[unique=true]; attributeDescriptor(enclosingType(code),qualifier); returnIntegrationObjectItem(integrationObject(code),code); unique[default=false]; autoCreate[default=false]
; AutoUnit:Product ; code ; Product:code ; ;
; AutoUnit:Product ; catalogVersion ; Product:catalogVersion ; AutoUnit:CatalogVersion ;
; AutoUnit:Product ; unit ; Product:unit ; AutoUnit:Unit ; ; true
; AutoUnit:Unit ; code ; Unit:code ; ;
; AutoUnit:Unit ; unitType ; Unit:unitType ; ;
; AutoUnit:CatalogVersion ; version ; CatalogVersion:version ; ;
; AutoUnit:CatalogVersion ; catalog ; CatalogVersion:catalog ; AutoUnit:Catalog ;
; AutoUnit:Catalog ; id ; Catalog:id ; ;
INSERT_UPDATE InboundChannelConfiguration; integrationObject(code)[unique=true]; authenticationType(code)
; AutoUnit ; BASIC
; FullOrder ; BASIC
`,
      'auto-unit.impex',
    ),
    commerce.store,
  );
  if (report.errors.length) throw new Error(JSON.stringify(report.errors));
  server = await startCommerceServer(commerce);
  initial = commerce.store.snapshot();
  initialBusiness = businessSnapshot(commerce);
});
afterAll(() => server.close());
beforeEach(() => commerce.store.restore(initial));

interface Answer {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, io = 'InboundProduct'): Promise<Answer> {
  const res = await fetch(`${server.url}/odata2webservices/${io}/${path}`, {
    method,
    headers: { Authorization: AUTH, Accept: 'application/json', 'Content-Type': 'application/json', ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

const d = (a: Answer) => (a.body as { d: Record<string, unknown> }).d;
const error = (status: number, code: string | null, value: string, innererror?: string) => ({
  status,
  body: { error: { code, message: { lang: 'en', value }, ...(innererror !== undefined ? { innererror } : {}) } },
});
const expectError = (a: Answer, status: number, code: string | null, value: string, innererror?: string) => {
  expect({ status: a.status, body: a.body }).toEqual(error(status, code, value, innererror));
};
const unchanged = () => expect(businessSnapshot(commerce)).toBe(initialBusiness);

describe('POST upsert', () => {
  it('creates: 201, Location, the full entry with nulls, readable afterwards', async () => {
    const a = await send('POST', 'Products', { code: 'new1', name: 'New', catalogVersion: CV });
    expect(a.status).toBe(201);
    expect(a.headers.get('location')).toBe(`${server.url}/odata2webservices/InboundProduct/Products('Staged%7CDefault%7Cnew1')`);
    expect(a.headers.get('content-language')).toBe('en');
    expect(d(a)).toMatchObject({ code: 'new1', name: 'New', integrationKey: 'Staged|Default|new1' });
    const read = await send('GET', "Products('Staged%7CDefault%7Cnew1')?$expand=catalogVersion");
    expect(read.status).toBe(200);
    expect((d(read).catalogVersion as { integrationKey: string }).integrationKey).toBe('Staged|Default');
  });

  it('updates an existing item found by its key — still 201 — and ignores the payload integrationKey', async () => {
    const before = commerce.store.count('Product');
    const a = await send('POST', 'Products', { code: 'p1', name: 'Renamed', catalogVersion: CV, integrationKey: 'totally|wrong' });
    expect(a.status).toBe(201);
    expect(d(a)).toMatchObject({ code: 'p1', name: 'Renamed', integrationKey: 'Staged|Default|p1' });
    expect(commerce.store.count('Product')).toBe(before);
  });

  it('tolerates the {"d":…} wrapper, __metadata and @odata annotations', async () => {
    const a = await send('POST', 'Products', { d: { __metadata: { type: 'HybrisCommerceOData.Product' }, '@odata.context': '$metadata#Products/$entity', code: 'wrapped', catalogVersion: CV } });
    expect(a.status).toBe(201);
    expect(d(a).code).toBe('wrapped');
  });

  it('nested item exists → linked', async () => {
    const a = await send('POST', 'Products', { code: 'linked', catalogVersion: CV, unit: { code: 'pieces' } });
    expect(a.status).toBe(201);
    const stored = commerce.store.find('Product', { code: 'linked' })[0]!;
    expect(commerce.store.get(stored.values.unit as number)?.values.code).toBe('pieces');
  });

  it('nested item missing, not autoCreate/partOf → 400 missing_nav_property with the root key as innererror; nothing saved', async () => {
    const a = await send('POST', 'Products', { code: 'n', catalogVersion: CV, unit: { code: 'kg' } });
    expectError(
      a,
      400,
      'missing_nav_property',
      'Item referenced by attribute [unit] in [Product] item does not exist in the system. Cannot create referenced item for this attribute because it is not partof or autocreate for the item that it belongs to.',
      'Staged|Default|n',
    );
    unchanged();
  });

  it('nested item missing, IO autoCreate → created', async () => {
    const a = await send('POST', 'Products', { code: 'auto', catalogVersion: CV, unit: { code: 'kg', unitType: 'weight' } }, {}, 'AutoUnit');
    expect(a.status).toBe(201);
    expect(commerce.store.find('Unit', { code: 'kg' })[0]?.values.unitType).toBe('weight');
  });

  it('nested item missing, partOf → created, with the implied back reference (Order.entries → OrderEntry.order)', async () => {
    const entry = (n: number, product: string) => ({ entryNumber: n, quantity: '1', product: { code: product, catalogVersion: CV }, unit: { code: 'pieces' } });
    const a = await send('POST', 'Orders', { code: 'O-2', date: '/Date(1700000000000)/', currency: { isocode: 'USD' }, user: { uid: 'jane' }, entries: [entry(0, 'p1'), entry(1, 'p2')] }, {}, 'FullOrder');
    expect(a.status).toBe(201);
    const order = commerce.store.find('Order', { code: 'O-2' })[0]!;
    const entries = commerce.store.find('OrderEntry', { order: order.pk });
    expect(entries.map((e) => e.values.entryNumber).sort()).toEqual([0, 1]);
    const read = await send('GET', "Orders('O-2')/entries", undefined, {}, 'FullOrder');
    expect((read.body as { d: { results: { integrationKey: string }[] } }).d.results.map((r) => r.integrationKey)).toEqual(['0|O-2', '1|O-2']);
  });

  it('a platform-mandatory attribute the IO lacks fails the save (Commerce cannot save the item) and nothing is kept', async () => {
    const a = await send('POST', 'Orders', { code: 'O-3', date: '/Date(1700000000000)/', currency: { isocode: 'USD' }, user: { uid: 'jane' }, entries: [{ entryNumber: 0, product: { code: 'p1', catalogVersion: CV } }] }, {}, 'FullOrder');
    expectError(a, 400, 'missing_property', 'Property [quantity] is required for EntityType [OrderEntry].', 'O-3');
    unchanged();
  });

  it('enum value: known code linked, unknown code → missing_nav_property (enums are never created)', async () => {
    const ok = await send('POST', 'Products', { code: 'e1', catalogVersion: CV, approvalStatus: { code: 'approved' } }, {}, 'TypedProduct');
    expect(ok.status).toBe(201);
    expect(commerce.store.find('Product', { code: 'e1' })[0]?.values.approvalStatus).toBe('approved');
    const bad = await send('POST', 'Products', { code: 'e2', catalogVersion: CV, approvalStatus: { code: 'shiny' } }, {}, 'TypedProduct');
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { code: string } }).error.code).toBe('missing_nav_property');
  });

  it('missing key → 400 missing_key (primitive and navigation)', async () => {
    expectError(await send('POST', 'Products', { name: 'x', catalogVersion: CV }), 400, 'missing_key', 'Key [code] is required for EntityType [Product].', 'Staged|Default|null');
    expectError(await send('POST', 'Products', { code: 'x' }), 400, 'missing_key', 'Key NavigationProperty [catalogVersion] is required for EntityType [Product].', 'null|null|x');
    unchanged();
  });

  it('a required IO property missing on create → 400 missing_property', async () => {
    const a = await send('POST', 'Products', { code: 'auto2', catalogVersion: CV, unit: { code: 'box' } }, {}, 'AutoUnit');
    expectError(a, 400, 'missing_property', 'Property [unitType] is required for EntityType [Unit].', 'Staged|Default|auto2');
    unchanged();
  });

  it('a property not in the IO → 400 invalid_property', async () => {
    expectError(await send('POST', 'Products', { code: 'x', catalogVersion: CV, colour: 'red' }), 400, 'invalid_property', 'An entity contains [colour] that is not defined in the Integration Object.', 'Staged|Default|x');
  });

  it('wrong literal types → 400 odata_error; Long/Decimal must be strings', async () => {
    const msg =
      'An error occurred while processing the request. The most likely cause of this error is the formatting of your OData request payload. Please verify the request payload format corresponds to the EDMX metadata for the Entity that you are attempting to create.';
    for (const body of [
      { code: 1, catalogVersion: CV },
      { code: 'x', catalogVersion: CV, reviewCount: 'many' },
      { code: 'x', catalogVersion: CV, sequenceId: 12 },
      { code: 'x', catalogVersion: CV, onlineDate: '2020-01-01' },
      { code: 'x', catalogVersion: 'Staged' },
    ]) {
      const a = await send('POST', 'Products', body, {}, 'TypedProduct');
      expect(a.status, JSON.stringify(body)).toBe(400);
      expect((a.body as { error: { code: string; message: { value: string } } }).error).toMatchObject({ code: 'odata_error', message: { value: msg } });
    }
    const good = await send('POST', 'Products', { code: 'typed', catalogVersion: CV, reviewCount: 5, reviewRating: '4.25', sequenceId: '9007199254740993', onlineDate: '/Date(1581352392100)/' }, {}, 'TypedProduct');
    expect(good.status).toBe(201);
    expect(good.text).toContain('"reviewCount":5,"reviewRating":"4.25","onlineDate":"\\/Date(1581352392100)\\/","sequenceId":"9007199254740993"');
  });

  it('POST to an entity URI → 405; writes through a navigation → 501', async () => {
    expect((await send('POST', "Products('Staged%7CDefault%7Cp1')", { code: 'p1', catalogVersion: CV })).status).toBe(405);
    expect((await send('POST', "Products('Staged%7CDefault%7Cp1')/supercategories", { code: 'c' })).status).toBe(501);
  });
});

describe('collections and languages', () => {
  const supercategories = () => {
    const p = commerce.store.find('Product', { code: 'p3' })[0]!;
    return ((p.values.supercategories as number[] | undefined) ?? []).map((pk) => commerce.store.get(pk)!.values.code);
  };
  const cat = (code: string) => ({ code, catalogVersion: CV });

  it('POST adds to a collection (merge); PATCH replaces it; [] clears', async () => {
    expect((await send('POST', 'Products', { code: 'p3', catalogVersion: CV, supercategories: [cat('shirts')] })).status).toBe(201);
    expect((await send('POST', 'Products', { code: 'p3', catalogVersion: CV, supercategories: [cat('summer')] })).status).toBe(201);
    expect(supercategories()).toEqual(['shirts', 'summer']);
    expect((await send('POST', 'Products', { code: 'p3', catalogVersion: CV, supercategories: null })).status).toBe(201);
    expect(supercategories()).toEqual(['shirts', 'summer']);
    expect((await send('PATCH', "Products('Staged%7CDefault%7Cp3')", { supercategories: [cat('summer')] })).status).toBe(200);
    expect(supercategories()).toEqual(['summer']);
    expect((await send('PATCH', "Products('Staged%7CDefault%7Cp3')", { supercategories: [] })).status).toBe(200);
    expect(supercategories()).toEqual([]);
  });

  it('writes the plain localized property in the Content-Language, and specific languages via localizedAttributes', async () => {
    await send('POST', 'Products', { code: 'p2', catalogVersion: CV, name: 'T-Shirt (de)' }, { 'Content-Language': 'de' });
    await send('POST', 'Products', { code: 'p2', catalogVersion: CV, localizedAttributes: [{ language: 'en', name: 'Tee' }] });
    const p2 = commerce.store.find('Product', { code: 'p2' })[0]!;
    expect(p2.values.name).toEqual({ en: 'Tee', de: 'T-Shirt (de)' });
    const answer = await send('POST', 'Products', { code: 'p2', catalogVersion: CV }, { 'Content-Language': 'de' });
    expect(answer.headers.get('content-language')).toBe('de');
    expect(d(answer).name).toBe('T-Shirt (de)');
  });

  it('localizedAttributes without language → missing_language; unknown languages → invalid_language', async () => {
    const missing = await send('POST', 'Products', { code: 'p2', catalogVersion: CV, localizedAttributes: [{ name: 'x' }] });
    expect((missing.body as { error: { code: string } }).error.code).toBe('missing_language');
    const unknown = await send('POST', 'Products', { code: 'p2', catalogVersion: CV, localizedAttributes: [{ language: 'fr', name: 'x' }] });
    expectError(unknown, 400, 'invalid_language', 'The language provided [fr] is not available in the system.', 'Staged|Default|p2');
    const header = await send('POST', 'Products', { code: 'p2', catalogVersion: CV, name: 'x' }, { 'Content-Language': 'fr' });
    expectError(header, 400, 'invalid_language', 'The language provided [fr] is not available in the system.');
    unchanged();
  });
});

describe('PATCH and DELETE', () => {
  it('PATCH: 200 with the entry; absent attributes unchanged', async () => {
    const a = await send('PATCH', "Products('Staged%7CDefault%7Cp1')", { name: 'Patched' });
    expect(a.status).toBe(200);
    expect(d(a)).toMatchObject({ code: 'p1', name: 'Patched' });
    const p1 = commerce.store.find('Product', { code: 'p1' })[0]!;
    expect(p1.values.name).toEqual({ en: 'Patched', de: 'Hemd' });
    expect(p1.values.unit).toBeDefined();
  });

  it('PATCH: a payload key that differs from the path → 400 invalid_key; unknown key → 404', async () => {
    expectError(
      await send('PATCH', "Products('Staged%7CDefault%7Cp1')", { code: 'other' }),
      400,
      'invalid_key',
      'Key [Staged|Default|other] in the payload does not match the key [Staged|Default|p1] in the path.',
      'Staged|Default|p1',
    );
    expectError(await send('PATCH', "Products('Staged%7CDefault%7Cnope')", { name: 'x' }), 404, 'not_found', '[Product] with integration key [Staged|Default|nope] was not found.');
    expect((await send('PATCH', 'Products', { name: 'x' })).status).toBe(405);
    unchanged();
  });

  it('PATCH errors carry the path key as innererror and change nothing', async () => {
    const a = await send('PATCH', "Products('Staged%7CDefault%7Cp1')", { name: 'changed', unit: { code: 'kg' } });
    expectError(
      a,
      400,
      'missing_nav_property',
      'Item referenced by attribute [unit] in [Product] item does not exist in the system. Cannot create referenced item for this attribute because it is not partof or autocreate for the item that it belongs to.',
      'Staged|Default|p1',
    );
    unchanged();
  });

  it('DELETE: 200 with an empty body; then 404; collections → 405', async () => {
    const a = await send('DELETE', "Products('Staged%7CDefault%7Cp2')");
    expect(a.status).toBe(200);
    expect(a.text).toBe('');
    expect(commerce.store.find('Product', { code: 'p2' })).toHaveLength(0);
    expect((await send('DELETE', "Products('Staged%7CDefault%7Cp2')")).status).toBe(404);
    expect((await send('DELETE', 'Products')).status).toBe(405);
  });

  it('DELETE cascades to partOf items (Order → its entries)', async () => {
    const demo = load({ projectDir: DEMO });
    const demoServer = await startCommerceServer(demo);
    try {
      expect(demo.store.count('OrderEntry')).toBe(1);
      const res = await fetch(`${demoServer.url}/odata2webservices/Orders/Orders('00001001')`, { method: 'DELETE', headers: { Authorization: basic('integrationuser', 'sandbox') } });
      expect(res.status).toBe(200);
      expect(demo.store.count('Order')).toBe(0);
      expect(demo.store.count('OrderEntry')).toBe(0);
      expect(demo.store.count('Product')).toBeGreaterThan(0);
    } finally {
      await demoServer.close();
    }
  });
});

describe('bad bodies answer error documents and change nothing', () => {
  const MSG =
    'An error occurred while processing the request. The most likely cause of this error is the formatting of your OData request payload. Please verify the request payload format corresponds to the EDMX metadata for the Entity that you are attempting to create.';
  it('invalid JSON, arrays, empty bodies, 5 MB of garbage, 100-level nesting', async () => {
    let deep: unknown = { code: 'x' };
    for (let i = 0; i < 100; i++) deep = { code: 'x', catalogVersion: deep };
    for (const body of ['{bad', '[]', '', '"text"', 'null', `{"code":"${'x'.repeat(5 * 1024 * 1024)}`, JSON.stringify(deep)]) {
      const a = await send('POST', 'Products', body);
      expect(a.status, body.slice(0, 40)).toBe(400);
      expect((a.body as { error: { code: string; message: { value: string } } }).error).toMatchObject({ code: 'odata_error', message: { value: MSG } });
    }
    unchanged();
  });

  it('a 5 MB payload of unknown properties → invalid_property', async () => {
    const big: Record<string, string> = { code: 'x' };
    for (let i = 0; i < 5000; i++) big[`p${i}`] = 'y'.repeat(1000);
    const a = await send('POST', 'Products', { ...big, catalogVersion: CV });
    expect(a.status).toBe(400);
    expect((a.body as { error: { code: string } }).error.code).toBe('invalid_property');
    unchanged();
  });

  it('unsupported Content-Type → 415; XML sent as JSON → odata_error', async () => {
    expectError(await send('POST', 'Products', 'code=x', { 'Content-Type': 'text/plain' }), 415, null, 'Media type [text/plain] is not supported.');
    expect((await send('POST', 'Products', '<entry/>')).status).toBe(400);
    unchanged();
  });
});

describe('type-level rights on writes', () => {
  it('a create-group user without create rights on the type → 403 with the documented message', async () => {
    const res = await fetch(`${server.url}/odata2webservices/InboundProduct/Products`, {
      method: 'POST',
      headers: { Authorization: basic('creator', 'creator-secret'), 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ code: 'x', catalogVersion: CV }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: { code: 'forbidden', message: { lang: 'en', value: 'The user lacks create privileges for accessing the Product type.' }, innererror: 'Staged|Default|x' },
    });
    unchanged();
  });
});

describe('persistence hooks', () => {
  beforeAll(() => {
    commerce.hooks.registerPre('upperCaseName', ({ payload }) => ({ ...payload, name: String(payload.name ?? '').toUpperCase() }));
    commerce.hooks.registerPre('suppress', () => null);
    commerce.hooks.registerPre('explode', () => {
      throw new Error('boom');
    });
    commerce.hooks.registerPost('failAfterSave', () => {
      throw new Error('after');
    });
  });

  it('a pre hook may change the payload', async () => {
    const a = await send('POST', 'Products', { code: 'h1', name: 'quiet', catalogVersion: CV }, { 'Pre-Persist-Hook': 'upperCaseName' });
    expect(a.status).toBe(201);
    expect(d(a).name).toBe('QUIET');
  });

  it('a pre hook may suppress the item: 201, nothing saved', async () => {
    const a = await send('POST', 'Products', { code: 'h2', catalogVersion: CV }, { 'Pre-Persist-Hook': 'suppress' });
    expect(a.status).toBe(201);
    unchanged();
  });

  it('unknown hook → 400 hook_not_found; failing hooks → pre_persist_error / post_persist_error, rolled back', async () => {
    expectError(await send('POST', 'Products', { code: 'h3', catalogVersion: CV }, { 'Pre-Persist-Hook': 'nope' }), 400, 'hook_not_found', 'PrePersistHook [nope] does not exist. Payload will not be persisted.', 'Staged|Default|h3');
    expectError(
      await send('POST', 'Products', { code: 'h3', catalogVersion: CV }, { 'Pre-Persist-Hook': 'explode' }),
      400,
      'pre_persist_error',
      'Exception occurred during the execution of PrePersistHook: [explode].',
      'Staged|Default|h3',
    );
    expectError(
      await send('POST', 'Products', { code: 'h3', catalogVersion: CV }, { 'Post-Persist-Hook': 'failAfterSave' }),
      400,
      'post_persist_error',
      'Exception occurred during the execution of PostPersistHook: [failAfterSave].',
      'Staged|Default|h3',
    );
    unchanged();
  });
});
