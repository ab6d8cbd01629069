/**
 * `$metadata` against the structure real Commerce generates for the reference services (Orders and
 * ThirdPartyInboundProduct). The expected documents are written out here, element by element; sibling
 * order is free, attribute values must match exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../mock-commerce/app.js';
import { DEMO, basic, fixtureProject, serve } from '../helpers/commerce.js';
import { type El, canonical, el, parseXml } from '../helpers/xml.js';

const NS = 'HybrisCommerceOData';

const key = (name = 'integrationKey'): El => el('Key', {}, [el('PropertyRef', { Name: name })]);
const prop = (Name: string, Type: string, Nullable: boolean, flag?: 'unique' | 'localized'): El =>
  el('Property', {
    Name,
    Type,
    ...(flag === 'unique' ? { 's:IsUnique': 'true' } : flag === 'localized' ? { 's:IsLanguageDependent': 'true' } : {}),
    Nullable: String(Nullable),
  });
const ik = (alias: string): El => el('Property', { Name: 'integrationKey', Type: 'Edm.String', Nullable: 'false', 's:Alias': alias });
const nav = (from: string, name: string, to: string, Nullable: boolean, flags: { unique?: boolean; partOf?: boolean; autoCreate?: boolean } = {}): El =>
  el('NavigationProperty', {
    Name: name,
    Relationship: `${NS}.FK_${from}_${name}`,
    FromRole: from,
    ToRole: to,
    ...(flags.unique ? { 's:IsUnique': 'true' } : {}),
    Nullable: String(Nullable),
    ...(flags.partOf ? { 's:IsPartOf': 'true' } : {}),
    ...(flags.autoCreate ? { 's:IsAutoCreate': 'true' } : {}),
  });
const entity = (name: string, children: El[], keyName?: string): El => el('EntityType', { Name: name }, [key(keyName), ...children]);
const assoc = (from: string, attr: string, to: string, fromMult = '0..1', toMult = '0..1'): El =>
  el('Association', { Name: `FK_${from}_${attr}` }, [
    el('End', { Type: `${NS}.${from}`, Multiplicity: fromMult, Role: from }),
    el('End', { Type: `${NS}.${to}`, Multiplicity: toMult, Role: to }),
  ]);
const set = (name: string, type: string): El => el('EntitySet', { Name: name, EntityType: `${NS}.${type}` });
const assocSet = (name: string, fk: string, from: [string, string], to: [string, string]): El =>
  el('AssociationSet', { Name: name, Association: `${NS}.${fk}` }, [
    el('End', { EntitySet: from[0], Role: from[1] }),
    el('End', { EntitySet: to[0], Role: to[1] }),
  ]);
const edmx = (schemaChildren: El[], container: El[]): El =>
  el('edmx:Edmx', { 'xmlns:edmx': 'http://schemas.microsoft.com/ado/2007/06/edmx', Version: '1.0' }, [
    el('edmx:DataServices', { 'm:DataServiceVersion': '1.0', 'xmlns:m': 'http://schemas.microsoft.com/ado/2007/08/dataservices/metadata' }, [
      el(
        'Schema',
        { Namespace: NS, xmlns: 'http://schemas.microsoft.com/ado/2008/09/edm', 's:schema-version': '1', 'xmlns:s': 'http://schemas.sap.com/commerce' },
        [...schemaChildren, el('EntityContainer', { Name: 'Container', 'm:IsDefaultEntityContainer': 'true' }, container)],
      ),
    ]),
  ]);

const catalogVersion = entity('CatalogVersion', [
  prop('version', 'Edm.String', false, 'unique'),
  ik('CatalogVersion_version|Catalog_id'),
  nav('CatalogVersion', 'catalog', 'Catalog', false, { unique: true }),
]);
const catalog = entity('Catalog', [prop('id', 'Edm.String', false, 'unique'), ik('Catalog_id')]);

const ORDERS = edmx(
  [
    entity('Order', [
      prop('date', 'Edm.DateTime', false),
      prop('code', 'Edm.String', true, 'unique'),
      ik('Order_code'),
      nav('Order', 'currency', 'Currency', false),
      nav('Order', 'user', 'User', false),
      nav('Order', 'entries', 'OrderEntry', true, { partOf: true, autoCreate: true }),
    ]),
    entity('OrderEntry', [
      prop('entryNumber', 'Edm.Int32', true, 'unique'),
      prop('basePrice', 'Edm.Double', true),
      ik('OrderEntry_entryNumber|Order_code'),
      nav('OrderEntry', 'order', 'Order', false, { unique: true }),
      nav('OrderEntry', 'product', 'Product', false),
    ]),
    entity('User', [prop('uid', 'Edm.String', false, 'unique'), prop('name', 'Edm.String', true), ik('User_uid')]),
    entity(
      'Localized___Product',
      [prop('name', 'Edm.String', true, 'localized'), prop('description', 'Edm.String', true, 'localized'), el('Property', { Name: 'language', Type: 'Edm.String', Nullable: 'false' })],
      'language',
    ),
    entity('Currency', [prop('isocode', 'Edm.String', false, 'unique'), ik('Currency_isocode')]),
    entity('Media', [
      prop('URL', 'Edm.String', true),
      prop('code', 'Edm.String', false, 'unique'),
      ik('CatalogVersion_version|Catalog_id|Media_code'),
      nav('Media', 'catalogVersion', 'CatalogVersion', false, { unique: true }),
    ]),
    catalogVersion,
    entity('Product', [
      prop('description', 'Edm.String', true, 'localized'),
      prop('code', 'Edm.String', false, 'unique'),
      prop('name', 'Edm.String', true, 'localized'),
      ik('CatalogVersion_version|Catalog_id|Product_code'),
      nav('Product', 'catalogVersion', 'CatalogVersion', false, { unique: true }),
      nav('Product', 'picture', 'Media', true),
      nav('Product', 'localizedAttributes', 'Localized___Product', true),
    ]),
    catalog,
    assoc('Product', 'catalogVersion', 'CatalogVersion'),
    assoc('Product', 'picture', 'Media'),
    assoc('OrderEntry', 'order', 'Order'),
    assoc('OrderEntry', 'product', 'Product'),
    assoc('Media', 'catalogVersion', 'CatalogVersion'),
    assoc('Order', 'currency', 'Currency'),
    assoc('Order', 'user', 'User'),
    assoc('Order', 'entries', 'OrderEntry', '1', '*'),
    assoc('CatalogVersion', 'catalog', 'Catalog'),
    assoc('Product', 'localizedAttributes', 'Localized___Product', '1', '*'),
  ],
  [
    set('Orders', 'Order'),
    set('OrderEntries', 'OrderEntry'),
    set('Users', 'User'),
    set('Localized___Products', 'Localized___Product'),
    set('Currencies', 'Currency'),
    set('Medias', 'Media'),
    set('CatalogVersions', 'CatalogVersion'),
    set('Products', 'Product'),
    set('Catalogs', 'Catalog'),
    assocSet('Product_CatalogVersions', 'FK_Product_catalogVersion', ['Products', 'Product'], ['CatalogVersions', 'CatalogVersion']),
    assocSet('Product_Medias', 'FK_Product_picture', ['Products', 'Product'], ['Medias', 'Media']),
    assocSet('OrderEntry_Orders', 'FK_OrderEntry_order', ['OrderEntries', 'OrderEntry'], ['Orders', 'Order']),
    assocSet('OrderEntry_Products', 'FK_OrderEntry_product', ['OrderEntries', 'OrderEntry'], ['Products', 'Product']),
    assocSet('Media_CatalogVersions', 'FK_Media_catalogVersion', ['Medias', 'Media'], ['CatalogVersions', 'CatalogVersion']),
    assocSet('Order_Currencies', 'FK_Order_currency', ['Orders', 'Order'], ['Currencies', 'Currency']),
    assocSet('Order_Users', 'FK_Order_user', ['Orders', 'Order'], ['Users', 'User']),
    assocSet('Order_OrderEntries', 'FK_Order_entries', ['Orders', 'Order'], ['OrderEntries', 'OrderEntry']),
    assocSet('CatalogVersion_Catalogs', 'FK_CatalogVersion_catalog', ['CatalogVersions', 'CatalogVersion'], ['Catalogs', 'Catalog']),
    assocSet('Product_Localized___Products', 'FK_Product_localizedAttributes', ['Products', 'Product'], ['Localized___Products', 'Localized___Product']),
  ],
);

const THIRD_PARTY_INBOUND_PRODUCT = edmx(
  [
    catalogVersion,
    entity('Product', [
      prop('averageScore', 'Edm.String', true),
      prop('reviewCount', 'Edm.String', true),
      prop('code', 'Edm.String', false, 'unique'),
      ik('CatalogVersion_version|Catalog_id|Product_code'),
      nav('Product', 'catalogVersion', 'CatalogVersion', false, { unique: true }),
    ]),
    catalog,
    assoc('Product', 'catalogVersion', 'CatalogVersion'),
    assoc('CatalogVersion', 'catalog', 'Catalog'),
  ],
  [
    set('CatalogVersions', 'CatalogVersion'),
    set('Products', 'Product'),
    set('Catalogs', 'Catalog'),
    assocSet('Product_CatalogVersions', 'FK_Product_catalogVersion', ['Products', 'Product'], ['CatalogVersions', 'CatalogVersion']),
    assocSet('CatalogVersion_Catalogs', 'FK_CatalogVersion_catalog', ['CatalogVersions', 'CatalogVersion'], ['Catalogs', 'Catalog']),
  ],
);

async function getMetadata(server: RunningServer, io: string, auth: string, query = ''): Promise<Response> {
  return fetch(`${server.url}/odata2webservices/${io}/$metadata${query}`, { headers: { Authorization: auth } });
}

describe('$metadata of the reference services', () => {
  let demo: RunningServer;
  let tpip: RunningServer;
  beforeAll(async () => {
    demo = (await serve({ projectDir: DEMO })).server;
    tpip = (await serve({ projectDir: fixtureProject('third-party-inbound-product') })).server;
  });
  afterAll(async () => {
    await demo.close();
    await tpip.close();
  });

  it('serves the Orders service structurally equal to what Commerce generates', async () => {
    const res = await getMetadata(demo, 'Orders', basic('integrationuser', 'sandbox'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(res.headers.get('dataserviceversion')).toBe('1.0');
    const body = await res.text();
    expect(canonical(parseXml(body))).toEqual(canonical(ORDERS));
  });

  it('serves ThirdPartyInboundProduct on one line with the single-quoted prologue, like Commerce', async () => {
    const res = await getMetadata(tpip, 'ThirdPartyInboundProduct', basic('scpi', 'scpi-secret'));
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.startsWith(`<?xml version='1.0' encoding='UTF-8'?><edmx:Edmx `)).toBe(true);
    expect(body).not.toContain('\n');
    expect(canonical(parseXml(body))).toEqual(canonical(THIRD_PARTY_INBOUND_PRODUCT));
  });

  it('writes Property and NavigationProperty attributes in the order Commerce emits them', async () => {
    const body = await (await getMetadata(demo, 'Orders', basic('integrationuser', 'sandbox'))).text();
    expect(body).toContain('<Property Name="code" Type="Edm.String" s:IsUnique="true" Nullable="true"/>');
    expect(body).toContain('<Property Name="name" Type="Edm.String" s:IsLanguageDependent="true" Nullable="true"/>');
    expect(body).toContain('<Property Name="integrationKey" Type="Edm.String" Nullable="false" s:Alias="OrderEntry_entryNumber|Order_code"/>');
    expect(body).toContain(
      '<NavigationProperty Name="entries" Relationship="HybrisCommerceOData.FK_Order_entries" FromRole="Order" ToRole="OrderEntry" Nullable="true" s:IsPartOf="true" s:IsAutoCreate="true"/>',
    );
    expect(body).toContain(
      '<NavigationProperty Name="order" Relationship="HybrisCommerceOData.FK_OrderEntry_order" FromRole="OrderEntry" ToRole="Order" s:IsUnique="true" Nullable="false"/>',
    );
  });

  it('the demo product IO exposes reviewRating and reviewCount with the types commerceservices declares', async () => {
    const body = await (await getMetadata(demo, 'ThirdPartyInboundProduct', basic('integrationuser', 'sandbox'))).text();
    const product = parseXml(body).children[0]!.children[0]!.children.find((c) => c.attrs.Name === 'Product')!;
    const props = Object.fromEntries(product.children.filter((c) => c.name === 'Property').map((c) => [c.attrs.Name, c.attrs.Type]));
    expect(props).toEqual({ reviewRating: 'Edm.Double', reviewCount: 'Edm.Int32', code: 'Edm.String', integrationKey: 'Edm.String' });
  });

  it('restricts the document to one item and what it references with ?Item', async () => {
    for (const query of ['?Catalog', '?Catalog=']) {
      const res = await getMetadata(demo, 'Orders', basic('integrationuser', 'sandbox'), query);
      expect(res.status).toBe(200);
      const schema = parseXml(await res.text()).children[0]!.children[0]!;
      const names = schema.children.filter((c) => c.name === 'EntityType').map((c) => c.attrs.Name);
      expect(names).toEqual(['Catalog']);
      const sets = schema.children.find((c) => c.name === 'EntityContainer')!.children.map((c) => c.attrs.Name);
      expect(sets).toEqual(['Catalogs']);
    }
    const product = await getMetadata(demo, 'Orders', basic('integrationuser', 'sandbox'), '?Product');
    const types = parseXml(await product.text())
      .children[0]!.children[0]!.children.filter((c) => c.name === 'EntityType')
      .map((c) => c.attrs.Name)
      .sort();
    expect(types).toEqual(['Catalog', 'CatalogVersion', 'Localized___Product', 'Media', 'Product']);
  });

  it('answers 400 invalid_metadata_parameter for an unknown item or more than one parameter', async () => {
    for (const query of ['?Nope', '?Catalog&Product']) {
      const res = await getMetadata(demo, 'Orders', basic('integrationuser', 'sandbox'), query);
      expect(res.status, query).toBe(400);
      expect(await res.text()).toBe(
        `<?xml version='1.0' encoding='UTF-8'?><error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"><code>invalid_metadata_parameter</code><message xml:lang="en">The query parameters cannot be parsed to an entity type.</message></error>`,
      );
    }
  });
});
