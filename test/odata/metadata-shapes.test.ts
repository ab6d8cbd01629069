/**
 * `$metadata` for primitive collections, maps, localized attributes and enumerations, against the shapes
 * SAP's 2211 help prints (V-MD-04 map attribute, V-MD-09 collection of String with localizedAttributes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../mock-commerce/app.js';
import { basic, fixtureProject, serve } from '../helpers/commerce.js';
import { type El, canonical, el, parseXml } from '../helpers/xml.js';

const NS = 'HybrisCommerceOData';
let server: RunningServer;

beforeAll(async () => {
  server = (await serve({ projectDir: fixtureProject('collections-and-maps'), commerceVersion: '2005' })).server;
});
afterAll(() => server.close());

async function schemaOf(io: string): Promise<El> {
  const res = await fetch(`${server.url}/odata2webservices/${io}/$metadata`, { headers: { Authorization: basic('reader', 'reader-secret') } });
  expect(res.status).toBe(200);
  return parseXml(await res.text()).children[0]!.children[0]!;
}

const find = (schema: El, name: string, attr: string, value: string): El | undefined => {
  const pool = name === 'EntitySet' || name === 'AssociationSet' ? schema.children.find((c) => c.name === 'EntityContainer')!.children : schema.children;
  return pool.find((c) => c.name === name && c.attrs[attr] === value);
};

describe('primitive collections and localized attributes (V-MD-09)', () => {
  it('models Catalog.urlPatterns as a navigation to a String entity keyed by value', async () => {
    const schema = await schemaOf('CatalogIO');
    expect(canonical(find(schema, 'EntityType', 'Name', 'String')!)).toEqual(
      canonical(el('EntityType', { Name: 'String' }, [el('Key', {}, [el('PropertyRef', { Name: 'value' })]), el('Property', { Name: 'value', Type: 'Edm.String', Nullable: 'false' })])),
    );
    const catalog = find(schema, 'EntityType', 'Name', 'Catalog')!;
    expect(catalog.children.find((c) => c.attrs.Name === 'urlPatterns')!.attrs).toEqual({
      Name: 'urlPatterns',
      Relationship: `${NS}.FK_Catalog_urlPatterns`,
      FromRole: 'Catalog',
      ToRole: 'java.lang.String',
      Nullable: 'true',
    });
    expect(catalog.children.find((c) => c.attrs.Name === 'name')!.attrs).toEqual({ Name: 'name', Type: 'Edm.String', 's:IsLanguageDependent': 'true', Nullable: 'true' });
    expect(canonical(find(schema, 'Association', 'Name', 'FK_Catalog_urlPatterns')!)).toEqual(
      canonical(
        el('Association', { Name: 'FK_Catalog_urlPatterns' }, [
          el('End', { Type: `${NS}.Catalog`, Multiplicity: '0..1', Role: 'Catalog' }),
          el('End', { Type: `${NS}.String`, Multiplicity: '*', Role: 'java.lang.String' }),
        ]),
      ),
    );
    expect(find(schema, 'EntitySet', 'Name', 'Strings')?.attrs.EntityType).toBe(`${NS}.String`);
    expect(find(schema, 'EntitySet', 'Name', 'Localized___Catalogs')?.attrs.EntityType).toBe(`${NS}.Localized___Catalog`);
    expect(canonical(find(schema, 'AssociationSet', 'Name', 'Catalog_Strings')!)).toEqual(
      canonical(
        el('AssociationSet', { Name: 'Catalog_Strings', Association: `${NS}.FK_Catalog_urlPatterns` }, [
          el('End', { EntitySet: 'Catalogs', Role: 'Catalog' }),
          el('End', { EntitySet: 'Strings', Role: 'java.lang.String' }),
        ]),
      ),
    );
    expect(find(schema, 'AssociationSet', 'Name', 'Catalog_Localized___Catalogs')).toBeDefined();
  });
});

describe('maps (V-MD-04)', () => {
  it('models ConsumedDestination.additionalProperties as a String2StringMapType entity keyed by key', async () => {
    const schema = await schemaOf('DestinationIO');
    const map = find(schema, 'EntityType', 'Name', 'String2StringMapType')!;
    expect(canonical(map)).toEqual(
      canonical(
        el('EntityType', { Name: 'String2StringMapType' }, [
          el('Key', {}, [el('PropertyRef', { Name: 'key' })]),
          el('Property', { Name: 'key', Type: 'Edm.String', Nullable: 'false', 's:IsUnique': 'true' }),
          el('Property', { Name: 'value', Type: 'Edm.String', Nullable: 'true' }),
        ]),
      ),
    );
    expect(canonical(find(schema, 'Association', 'Name', 'FK_ConsumedDestination_additionalProperties')!)).toEqual(
      canonical(
        el('Association', { Name: 'FK_ConsumedDestination_additionalProperties' }, [
          el('End', { Type: `${NS}.ConsumedDestination`, Multiplicity: '0..1', Role: 'ConsumedDestination' }),
          el('End', { Type: `${NS}.String2StringMapType`, Multiplicity: '*', Role: 'String2StringMapType' }),
        ]),
      ),
    );
    const destination = find(schema, 'EntityType', 'Name', 'ConsumedDestination')!;
    expect(destination.children.find((c) => c.attrs.Name === 'integrationKey')!.attrs['s:Alias']).toBe('ConsumedDestination_id|DestinationTarget_id');
  });
});

describe('enumerations', () => {
  it('reaches an enum-typed attribute through a navigation to the enum item, keyed by code', async () => {
    const schema = await schemaOf('OrderStatusIO');
    const order = find(schema, 'EntityType', 'Name', 'Order')!;
    expect(order.children.find((c) => c.attrs.Name === 'status')).toMatchObject({
      name: 'NavigationProperty',
      attrs: { Relationship: `${NS}.FK_Order_status`, ToRole: 'OrderStatus', Nullable: 'true' },
    });
    const status = find(schema, 'EntityType', 'Name', 'OrderStatus')!;
    expect(status.children.find((c) => c.attrs.Name === 'integrationKey')!.attrs['s:Alias']).toBe('OrderStatus_code');
    expect(find(schema, 'EntitySet', 'Name', 'OrderStatuses')).toBeDefined();
  });
});
