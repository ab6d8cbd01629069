/**
 * The outbound JSON payload (spec §11.3; help V-OUT-01/V-OUT-02, B-150): the demo order member for
 * member, atomic-type forms, enums, collections, maps, localized attributes and back-references.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Commerce } from '../../mock-commerce/commerce.js';
import { importImpex } from '../../mock-commerce/impex/import.js';
import { parseImpex } from '../../mock-commerce/impex/parse.js';
import type { IntegrationObjectModel, IoItem } from '../../mock-commerce/integration-objects/model.js';
import { buildOutboundPayload, outboundJson } from '../../mock-commerce/outbound/payload.js';
import type { Item } from '../../mock-commerce/store/store.js';
import { DEMO, load } from '../helpers/commerce.js';

const CV = 'sandboxProductCatalog:Online';
/** 2019-10-22T13:27:19 (demo order date) as epoch millis. */
const ORDER_DATE = Date.UTC(2019, 9, 22, 13, 27, 19);

let commerce: Commerce;

function io(code: string): IntegrationObjectModel {
  const model = commerce.integrationObjects.get(code);
  if (!model) throw new Error(`no IO ${code}`);
  return model;
}

function ioItem(model: IntegrationObjectModel, code: string): IoItem {
  const item = model.items.find((i) => i.code === code);
  if (!item) throw new Error(`no IO item ${code}`);
  return item;
}

function one(typeCode: string, criteria: Record<string, string | number>): Item {
  const item = commerce.store.find(typeCode, criteria)[0];
  if (!item) throw new Error(`no ${typeCode} ${JSON.stringify(criteria)}`);
  return item;
}

function payload(ioCode: string, itemCode: string, stored: Item, language?: string): Record<string, unknown> {
  const model = io(ioCode);
  return buildOutboundPayload(model, ioItem(model, itemCode), stored, commerce.store, language ? { language } : {});
}

function product(code: string): Item {
  const cv = one('CatalogVersion', { version: 'Online', catalog: one('Catalog', { id: 'sandboxProductCatalog' }).pk });
  return one('Product', { code, catalogVersion: cv.pk });
}

beforeAll(() => {
  commerce = load({ projectDir: DEMO });
  const report = importImpex(
    parseImpex(
      `INSERT_UPDATE Language; isocode[unique=true]; active
; fr ; true
$catalogVersion = catalogVersion(catalog(id), version)
INSERT_UPDATE Product; code[unique=true]; $catalogVersion[unique=true]; name[lang=de]; name[lang=fr]; description[lang=de]; specialTreatmentClasses
; P-1 ; ${CV} ; Kamera ; Appareil photo ;  ; "fragile->true;battery->UN3480"
; P-2 ; ${CV} ;        ;                ; Ein stabiles Stativ ;
INSERT_UPDATE Catalog; id[unique=true]; urlPatterns
; sandboxProductCatalog ; /shop,/store
INSERT_UPDATE Order; code[unique=true]; status(code)
; 00001001 ; CREATED
INSERT_UPDATE Order; code[unique=true]; user(uid); currency(isocode); date[dateformat = yyyy-MM-dd'T'HH:mm:ss]
; 00001002 ; jane@example.com ; USD ; 2019-10-22T13:27:19
INSERT_UPDATE ProductFeature; qualifier[unique=true]; numberValue; product(code, $catalogVersion)
; weight ; 10.50 ; P-1:${CV}
INSERT_UPDATE IntegrationObject; code[unique=true]; integrationType(code)
; Extras ; INBOUND
INSERT_UPDATE IntegrationObjectItem; integrationObject(code)[unique=true]; code[unique=true]; type(code); root[default=false]
; Extras ; Order ; Order ; true
; Extras ; Entry ; OrderEntry ;
; Extras ; Status ; OrderStatus ;
; Extras ; Product ; Product ;
; Extras ; CatalogVersion ; CatalogVersion ;
; Extras ; Catalog ; Catalog ;
; Extras ; Feature ; ProductFeature ;
INSERT_UPDATE IntegrationObjectItemAttribute; integrationObjectItem(integrationObject(code),code)[unique=true]; attributeName[unique=true]; attributeDescriptor(enclosingType(code),qualifier); returnIntegrationObjectItem(integrationObject(code),code); unique[default=false]
; Extras:Order ; code ; Order:code ; ; true
; Extras:Order ; date ; Order:date ;
; Extras:Order ; net ; Order:net ;
; Extras:Order ; status ; Order:status ; Extras:Status
; Extras:Order ; deliveryStatus ; Order:deliveryStatus ; Extras:Status
; Extras:Order ; entries ; Order:entries ; Extras:Entry
; Extras:Entry ; entryNumber ; OrderEntry:entryNumber ;
; Extras:Entry ; quantity ; OrderEntry:quantity ;
; Extras:Entry ; order ; OrderEntry:order ; Extras:Order
; Extras:Entry ; product ; OrderEntry:product ; Extras:Product
; Extras:Status ; code ; OrderStatus:code ;
; Extras:Product ; code ; Product:code ;
; Extras:Product ; catalogVersion ; Product:catalogVersion ; Extras:CatalogVersion
; Extras:Product ; title ; Product:name ;
; Extras:Product ; description ; Product:description ;
; Extras:Product ; specialTreatmentClasses ; Product:specialTreatmentClasses ;
; Extras:CatalogVersion ; version ; CatalogVersion:version ;
; Extras:CatalogVersion ; catalog ; CatalogVersion:catalog ; Extras:Catalog
; Extras:Catalog ; id ; Catalog:id ;
; Extras:Catalog ; urlPatterns ; Catalog:urlPatterns ;
; Extras:Feature ; qualifier ; ProductFeature:qualifier ; ; true
; Extras:Feature ; numberValue ; ProductFeature:numberValue ;
`,
      'outbound-extras.impex',
    ),
    commerce.store,
  );
  expect(report.errors).toEqual([]);
  // An empty German description (ImpEx reads an empty cell as "no value").
  const p1 = product('P-1');
  commerce.store.update(p1.pk, { description: { ...(p1.values.description as Record<string, string>), de: '' } });
});

describe('the demo order (§11.3 example shape)', () => {
  it('is built member for member', () => {
    const order = one('Order', { code: '00001001' });
    expect(payload('Orders', 'Order', order)).toEqual({
      date: `/Date(${ORDER_DATE})/`,
      code: '00001001',
      currency: { isocode: 'USD', integrationKey: 'USD' },
      user: { uid: 'jane@example.com', name: 'Jane Doe', integrationKey: 'jane%40example.com' },
      entries: [
        {
          entryNumber: 0,
          basePrice: 99.5,
          // Back to the root, already on the path: its key attribute only, no integrationKey (V-OUT-02).
          order: { code: '00001001' },
          product: {
            description: 'A compact camera',
            code: 'P-1',
            name: 'Camera',
            catalogVersion: {
              version: 'Online',
              catalog: { id: 'sandboxProductCatalog', integrationKey: 'sandboxProductCatalog' },
              integrationKey: 'Online|sandboxProductCatalog',
            },
            picture: {
              URL: '/medias/camera.jpg',
              code: 'camera-picture',
              catalogVersion: {
                version: 'Online',
                catalog: { id: 'sandboxProductCatalog', integrationKey: 'sandboxProductCatalog' },
                integrationKey: 'Online|sandboxProductCatalog',
              },
              integrationKey: 'Online|sandboxProductCatalog|camera-picture',
            },
            integrationKey: 'Online|sandboxProductCatalog|P-1',
            localizedAttributes: [
              { language: 'en', description: 'A compact camera', name: 'Camera' },
              { language: 'de', description: '', name: 'Kamera' },
              { language: 'fr', name: 'Appareil photo' },
            ],
          },
          integrationKey: '0|00001001',
        },
      ],
      integrationKey: '00001001',
    });
  });

  it('orders members as the IO attributes, then integrationKey, then localizedAttributes', () => {
    const order = one('Order', { code: '00001001' });
    const built = payload('Orders', 'Order', order);
    expect(Object.keys(built)).toEqual(['date', 'code', 'currency', 'user', 'entries', 'integrationKey']);
    const entries = built.entries as Record<string, unknown>[];
    const p = entries[0]?.product as Record<string, unknown>;
    expect(Object.keys(p)).toEqual(['description', 'code', 'name', 'catalogVersion', 'picture', 'integrationKey', 'localizedAttributes']);
  });

  it('serialises as plain JSON: no d, no __metadata, no results', () => {
    const model = io('Orders');
    const order = one('Order', { code: '00001001' });
    const text = outboundJson(model, ioItem(model, 'Order'), order, commerce.store);
    expect(text).toBe(JSON.stringify(buildOutboundPayload(model, ioItem(model, 'Order'), order, commerce.store)));
    expect(text.startsWith('{"date":"/Date(')).toBe(true);
    expect(text).not.toMatch(/"d"|__metadata|"results"|__deferred/);
    expect(text).toContain('"integrationKey":"jane%40example.com"');
  });

  it('sends the plain localized values in the requested language', () => {
    const built = payload('Orders', 'Product', product('P-1'), 'de');
    expect(built.name).toBe('Kamera');
    expect(built.description).toBe('');
    const fr = payload('Orders', 'Product', product('P-1'), 'fr');
    expect(fr.name).toBe('Appareil photo');
    expect(fr).not.toHaveProperty('description');
  });
});

describe('atomic types and enums', () => {
  it('sends Long and BigDecimal as strings, Date as /Date(ms)/, Boolean and Integer natively', () => {
    const built = payload('Extras', 'Order', one('Order', { code: '00001001' }));
    expect(built.date).toBe(`/Date(${ORDER_DATE})/`);
    expect(built.net).toBe(false);
    const entry = (built.entries as Record<string, unknown>[])[0];
    expect(entry?.entryNumber).toBe(0);
    expect(entry?.quantity).toBe('1');
    const feature = payload('Extras', 'Feature', one('ProductFeature', { qualifier: 'weight' }));
    expect(feature).toEqual({ qualifier: 'weight', numberValue: '10.50', integrationKey: 'weight' });
  });

  it('sends an enum value as an object of the enum item attributes, without integrationKey', () => {
    const built = payload('Extras', 'Order', one('Order', { code: '00001001' }));
    expect(built.status).toEqual({ code: 'CREATED' });
  });
});

describe('nulls and empty collections', () => {
  it('omits null attributes, null references and empty item collections', () => {
    const built = payload('Extras', 'Order', one('Order', { code: '00001002' }));
    // No status, no deliveryStatus, no entries.
    expect(built).toEqual({ code: '00001002', date: `/Date(${ORDER_DATE})/`, net: false, integrationKey: '00001002' });
    const orders = payload('Orders', 'Order', one('Order', { code: '00001002' }));
    expect(orders).toEqual({
      date: `/Date(${ORDER_DATE})/`,
      code: '00001002',
      currency: { isocode: 'USD', integrationKey: 'USD' },
      user: { uid: 'jane@example.com', name: 'Jane Doe', integrationKey: 'jane%40example.com' },
      integrationKey: '00001002',
    });
  });

  it('omits a null enum (deliveryStatus) and keeps empty strings', () => {
    const built = payload('Extras', 'Order', one('Order', { code: '00001001' }));
    expect(built).not.toHaveProperty('deliveryStatus');
    expect(Object.values(built)).not.toContain(null);
    const p2 = payload('Orders', 'Product', product('P-2'));
    expect(p2).not.toHaveProperty('picture');
    expect(p2.localizedAttributes).toEqual([
      { language: 'en', description: 'A sturdy tripod', name: 'Tripod' },
      { language: 'de', description: 'Ein stabiles Stativ' },
    ]);
  });

  it('has no localizedAttributes on an item without localized attributes', () => {
    const built = payload('Orders', 'CatalogVersion', one('CatalogVersion', { version: 'Online' }));
    expect(built).toEqual({
      version: 'Online',
      catalog: { id: 'sandboxProductCatalog', integrationKey: 'sandboxProductCatalog' },
      integrationKey: 'Online|sandboxProductCatalog',
    });
  });
});

describe('collections, maps and localized attributes', () => {
  it('sends primitive collections as [{value}] and maps as [{key, value}]', () => {
    const built = payload('Extras', 'Product', product('P-1'));
    expect(built.specialTreatmentClasses).toEqual([
      { key: 'fragile', value: 'true' },
      { key: 'battery', value: 'UN3480' },
    ]);
    const catalog = (built.catalogVersion as Record<string, unknown>).catalog;
    expect(catalog).toEqual({ id: 'sandboxProductCatalog', urlPatterns: [{ value: '/shop' }, { value: '/store' }], integrationKey: 'sandboxProductCatalog' });
  });

  it('keys localizedAttributes entries by platform qualifier, the plain value by IO attribute name', () => {
    const built = payload('Extras', 'Product', product('P-1'), 'de');
    expect(built.title).toBe('Kamera');
    expect(built.localizedAttributes).toEqual([
      { language: 'en', name: 'Camera', description: 'A compact camera' },
      { language: 'de', name: 'Kamera', description: '' },
      { language: 'fr', name: 'Appareil photo' },
    ]);
  });
});

describe('cyclic references', () => {
  it('renders a back-reference to the root with its primitive key attributes only', () => {
    const entry = one('OrderEntry', { entryNumber: 0, order: one('Order', { code: '00001001' }).pk });
    const built = payload('Extras', 'Entry', entry);
    expect(built.order).toEqual({
      code: '00001001',
      date: `/Date(${ORDER_DATE})/`,
      net: false,
      status: { code: 'CREATED' },
      // The entry is the root of this payload: entryNumber only (V-OUT-03).
      entries: [{ entryNumber: 0 }],
      integrationKey: '00001001',
    });
    expect(built.integrationKey).toBe('0|00001001');
  });
});
