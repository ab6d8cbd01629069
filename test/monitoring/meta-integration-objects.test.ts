/**
 * The built-in ("meta") integration objects of the essential data (spec §2.5; help §1.C, §1.J):
 * their `$metadata`, reading integration objects through IntegrationService, and who sees them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../mock-commerce/app.js';
import { loadCommerce } from '../../mock-commerce/project.js';
import { type El, parseXml } from '../helpers/xml.js';
import { as, serveDemoWithUsers } from './helpers.js';

interface EntityTypeInfo {
  keyAlias: string | undefined;
  properties: string[];
  navigations: string[];
}

function schemaOf(xml: string): { entityTypes: Map<string, EntityTypeInfo>; entitySets: string[] } {
  const schema = parseXml(xml).children[0]!.children[0]!;
  const entityTypes = new Map<string, EntityTypeInfo>();
  for (const t of schema.children.filter((c) => c.name === 'EntityType')) {
    const props = t.children.filter((c) => c.name === 'Property');
    entityTypes.set(t.attrs.Name!, {
      keyAlias: props.find((p) => p.attrs.Name === 'integrationKey')?.attrs['s:Alias'],
      properties: props.map((p) => p.attrs.Name!).filter((n) => n !== 'integrationKey'),
      navigations: t.children.filter((c) => c.name === 'NavigationProperty').map((n) => n.attrs.Name!),
    });
  }
  const container = schema.children.find((c) => c.name === 'EntityContainer') as El;
  return { entityTypes, entitySets: container.children.filter((c) => c.name === 'EntitySet').map((s) => s.attrs.Name!) };
}

type Json = Record<string, unknown>;
const results = (body: unknown): Json[] => (body as { d: { results: Json[] } }).d.results;
/** An expanded collection navigation: `{ results: [...] }`. */
const expanded = (value: unknown): Json[] => (value as { results: Json[] }).results;

describe('essential data', () => {
  it.each(['2211', '2005'] as const)('loads without errors or warnings (%s profile, no project)', (version) => {
    const { commerce, report } = loadCommerce({ commerceVersion: version });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(commerce!.integrationObjects.codes()).toEqual(['IntegrationService', 'InboundIntegrationMonitoring', 'OutboundIntegrationMonitoring']);
    // Exposed under both profiles: the 2211 one needs their InboundChannelConfigurations.
    expect(commerce!.servedIntegrationObjects().map((io) => io.code)).toEqual(['IntegrationService', 'InboundIntegrationMonitoring', 'OutboundIntegrationMonitoring']);
  });

  it('creates the webhookservicegroup and scriptservicegroup under integrationusergroup', () => {
    const { commerce } = loadCommerce({});
    const parent = commerce!.store.find('UserGroup', { uid: 'integrationusergroup' })[0]!;
    for (const uid of ['webhookservicegroup', 'scriptservicegroup']) {
      expect(commerce!.store.find('UserGroup', { uid })[0]?.values.groups, uid).toEqual([parent.pk]);
    }
  });
});

describe('meta integration objects over HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = (await serveDemoWithUsers()).server;
  });
  afterAll(() => server.close());

  const get = (path: string, user: string, accept = 'application/json') => fetch(`${server.url}/odata2webservices/${path}`, { headers: as(user, { Accept: accept }) });
  const json = async (path: string, user = 'meta-admin'): Promise<unknown> => {
    const res = await get(path, user);
    expect(res.status, path).toBe(200);
    return res.json();
  };

  describe('$metadata', () => {
    it('IntegrationService: every item, keyed as the Meta API documents', async () => {
      const res = await get('IntegrationService/$metadata', 'meta-admin', 'application/xml');
      expect(res.status).toBe(200);
      const { entityTypes, entitySets } = schemaOf(await res.text());
      expect([...entityTypes.keys()]).toEqual([
        'IntegrationObject',
        'IntegrationType',
        'ItemTypeMatchEnum',
        'IntegrationObjectItem',
        'IntegrationObjectItemAttribute',
        'IntegrationObjectItemClassificationAttribute',
        'ClassificationSystem',
        'ClassificationSystemVersion',
        'ClassAttributeAssignment',
        'ClassificationClass',
        'ClassificationAttribute',
        'AttributeDescriptor',
        'ComposedType',
        'InboundChannelConfiguration',
        'AuthenticationType',
      ]);
      const aliases = Object.fromEntries([...entityTypes].map(([name, t]) => [name, t.keyAlias]));
      expect(aliases).toMatchObject({
        IntegrationObject: 'IntegrationObject_code',
        IntegrationType: 'IntegrationType_code',
        IntegrationObjectItem: 'IntegrationObjectItem_code|IntegrationObject_code',
        IntegrationObjectItemAttribute: 'IntegrationObjectItemAttribute_attributeName|IntegrationObjectItem_code|IntegrationObject_code',
        AttributeDescriptor: 'AttributeDescriptor_qualifier|ComposedType_code',
        ComposedType: 'ComposedType_code',
        InboundChannelConfiguration: 'IntegrationObject_code',
        ClassificationSystemVersion: 'ClassificationSystemVersion_version|ClassificationSystem_id',
      });
      // The attribute names of the Meta API payloads (help V-META-01, spec §16.8).
      expect(entityTypes.get('IntegrationObject')).toEqual({ keyAlias: 'IntegrationObject_code', properties: ['code'], navigations: ['integrationType', 'items'] });
      expect(entityTypes.get('IntegrationObjectItem')).toMatchObject({
        properties: ['code', 'root'],
        navigations: ['type', 'itemTypeMatch', 'integrationObject', 'attributes', 'classificationAttributes'],
      });
      expect(entityTypes.get('IntegrationObjectItemAttribute')).toMatchObject({
        properties: ['attributeName', 'unique', 'autoCreate'],
        navigations: ['attributeDescriptor', 'returnIntegrationObjectItem', 'integrationObjectItem'],
      });
      expect(entityTypes.get('AttributeDescriptor')).toMatchObject({ properties: ['qualifier'], navigations: ['enclosingType'] });
      expect(entityTypes.get('InboundChannelConfiguration')).toMatchObject({ properties: [], navigations: ['integrationObject', 'authenticationType'] });
      expect(entitySets).toContain('IntegrationObjects');
      expect(entitySets).toContain('IntegrationObjectItemAttributes');
      expect(entitySets).toContain('InboundChannelConfigurations');
    });

    it('InboundIntegrationMonitoring: InboundRequest keyed by creationtime, messageId and requestIntegrationKey', async () => {
      const res = await get('InboundIntegrationMonitoring/$metadata', 'monitor-admin', 'application/xml');
      expect(res.status).toBe(200);
      const { entityTypes, entitySets } = schemaOf(await res.text());
      expect([...entityTypes.keys()]).toEqual(['InboundRequest', 'IntegrationRequestStatus', 'HttpMethod', 'InboundRequestError', 'InboundUser']);
      expect(entityTypes.get('InboundRequest')).toEqual({
        keyAlias: 'InboundRequest_creationtime|InboundRequest_messageId|InboundRequest_requestIntegrationKey',
        properties: ['requestIntegrationKey', 'messageId', 'creationtime', 'type', 'sapPassport'],
        navigations: ['status', 'httpMethod', 'user', 'errors'],
      });
      expect(entityTypes.get('InboundRequestError')).toEqual({
        keyAlias: 'InboundRequestError_creationtime|InboundRequest_creationtime|InboundRequest_messageId|InboundRequest_requestIntegrationKey',
        properties: ['creationtime', 'code', 'message'],
        navigations: ['inboundRequest'],
      });
      expect(entityTypes.get('InboundUser')?.keyAlias).toBe('InboundUser_uid');
      expect(entitySets).toEqual(['InboundRequests', 'IntegrationRequestStatuses', 'HttpMethods', 'InboundRequestErrors', 'InboundUsers']);
    });

    it('OutboundIntegrationMonitoring: OutboundRequest keyed by its SAP passport', async () => {
      const res = await get('OutboundIntegrationMonitoring/$metadata', 'monitor-admin', 'application/xml');
      expect(res.status).toBe(200);
      const { entityTypes, entitySets } = schemaOf(await res.text());
      expect(entityTypes.get('OutboundRequest')).toEqual({
        keyAlias: 'OutboundRequest_sapPassport',
        properties: ['destination', 'sapPassport', 'error', 'requestIntegrationKey', 'type', 'messageId'],
        navigations: ['status'],
      });
      expect(entitySets).toEqual(['OutboundRequests', 'IntegrationRequestStatuses']);
    });
  });

  describe('reading integration objects through IntegrationService', () => {
    it('lists the demo integration objects with their items', async () => {
      const ios = results(await json('IntegrationService/IntegrationObjects?$expand=items'));
      const byCode = Object.fromEntries(ios.map((io) => [io.code, expanded(io.items).map((i) => i.code)]));
      expect(byCode.Orders).toEqual(['Order', 'OrderEntry', 'User', 'Currency', 'Product', 'Media', 'CatalogVersion', 'Catalog']);
      expect(byCode.ThirdPartyInboundProduct).toEqual(['Product', 'CatalogVersion', 'Catalog']);
      // The meta integration objects are integration objects too.
      expect(Object.keys(byCode)).toEqual(['IntegrationService', 'InboundIntegrationMonitoring', 'OutboundIntegrationMonitoring', 'Orders', 'ThirdPartyInboundProduct']);
    });

    it('GET by $filter answers in the documented shape (help V-META-02)', async () => {
      const body = await json(`IntegrationService/IntegrationObjects?$filter=${encodeURIComponent("code eq 'Orders'")}`);
      const root = `${server.url}/odata2webservices/IntegrationService/IntegrationObjects('Orders')`;
      expect(results(body)).toEqual([
        {
          __metadata: { id: root, uri: root, type: 'HybrisCommerceOData.IntegrationObject' },
          code: 'Orders',
          integrationKey: 'Orders',
          integrationType: { __deferred: { uri: `${root}/integrationType` } },
          items: { __deferred: { uri: `${root}/items` } },
        },
      ]);
    });

    it('expands an item type to a ComposedType entity with its code', async () => {
      const body = (await json("IntegrationService/IntegrationObjectItems('OrderEntry%7COrders')?$expand=type,integrationObject")) as { d: Json };
      expect(body.d).toMatchObject({
        code: 'OrderEntry',
        root: false,
        integrationKey: 'OrderEntry|Orders',
        type: { code: 'OrderEntry', integrationKey: 'OrderEntry', __metadata: { type: 'HybrisCommerceOData.ComposedType' } },
        integrationObject: { code: 'Orders', integrationKey: 'Orders' },
      });
    });

    it('reads attributes with their flags and return items', async () => {
      const body = (await json("IntegrationService/IntegrationObjectItemAttributes('user%7COrder%7COrders')?$expand=returnIntegrationObjectItem,integrationObjectItem")) as { d: Json };
      expect(body.d).toMatchObject({
        attributeName: 'user',
        unique: false,
        autoCreate: false,
        integrationKey: 'user|Order|Orders',
        returnIntegrationObjectItem: { code: 'User', integrationKey: 'User|Orders' },
        integrationObjectItem: { code: 'Order', integrationKey: 'Order|Orders' },
      });
    });

    it('reads enumerations and channel configurations', async () => {
      expect(results(await json('IntegrationService/IntegrationTypes')).map((t) => t.code)).toEqual(['INBOUND']);
      expect(results(await json('IntegrationService/ItemTypeMatchEnums')).map((t) => t.code)).toEqual(['ALL_SUB_AND_SUPER_TYPES', 'RESTRICT_TO_ITEM_TYPE', 'ALL_SUBTYPES']);
      const channels = results(await json('IntegrationService/InboundChannelConfigurations?$expand=integrationObject,authenticationType'));
      expect(channels.map((c) => [c.integrationKey, (c.integrationObject as Json).code, (c.authenticationType as Json).code])).toEqual([
        ['IntegrationService', 'IntegrationService', 'BASIC'],
        ['InboundIntegrationMonitoring', 'InboundIntegrationMonitoring', 'BASIC'],
        ['OutboundIntegrationMonitoring', 'OutboundIntegrationMonitoring', 'BASIC'],
        ['Orders', 'Orders', 'BASIC'],
        ['ThirdPartyInboundProduct', 'ThirdPartyInboundProduct', 'BASIC'],
      ]);
    });

    // An AttributeDescriptor reference is stored as `Enclosing:qualifier` and read as a synthetic
    // AttributeDescriptor entity (qualifier, enclosingType → ComposedType).
    it('expands an attribute descriptor to its qualifier and enclosing type', async () => {
      const body = (await json("IntegrationService/IntegrationObjectItemAttributes('code%7COrder%7COrders')?$expand=attributeDescriptor/enclosingType")) as { d: Json };
      expect(body.d.attributeDescriptor).toMatchObject({ qualifier: 'code', integrationKey: 'code|Order', enclosingType: { code: 'Order' } });
    });
  });

  describe('who sees IntegrationService (integrationadmingroup and integrationservicegroup)', () => {
    it('an administrator outside integrationservicegroup does not see it: 404', async () => {
      for (const path of ['IntegrationService/$metadata', 'IntegrationService/IntegrationObjects', 'IntegrationService']) {
        const res = await get(path, 'admin-no-service');
        expect(res.status, path).toBe(404);
      }
    });

    it('integrationservicegroup without integrationadmingroup is forbidden: 403', async () => {
      for (const path of ['IntegrationService/$metadata', 'IntegrationService/IntegrationObjects']) {
        expect((await get(path, 'service-only')).status, path).toBe(403);
      }
    });

    it('the demo integration user (integrationadmingroup only) gets 404, without credentials 401', async () => {
      const res = await fetch(`${server.url}/odata2webservices/IntegrationService/IntegrationObjects`, { headers: { Authorization: `Basic ${Buffer.from('integrationuser:sandbox').toString('base64')}` } });
      expect(res.status).toBe(404);
      expect((await fetch(`${server.url}/odata2webservices/IntegrationService/IntegrationObjects`)).status).toBe(401);
    });

    it('a meta administrator may write to it, but not change or delete the meta definitions (403)', async () => {
      const post = await fetch(`${server.url}/odata2webservices/IntegrationService/IntegrationObjects`, {
        method: 'POST',
        headers: as('meta-admin', { 'Content-Type': 'application/json' }),
        body: JSON.stringify({ code: 'InboundUnit', integrationType: { code: 'INBOUND' } }),
      });
      expect([403, 404]).not.toContain(post.status);
      for (const method of ['PATCH', 'DELETE']) {
        for (const entity of ["IntegrationObjects('InboundIntegrationMonitoring')", "IntegrationObjects('IntegrationService')", "IntegrationObjectItems('InboundRequest%7CInboundIntegrationMonitoring')"]) {
          const res = await fetch(`${server.url}/odata2webservices/IntegrationService/${entity}`, {
            method,
            headers: as('meta-admin', { 'Content-Type': 'application/json' }),
            ...(method === 'PATCH' ? { body: '{}' } : {}),
          });
          expect(res.status, `${method} ${entity}`).toBe(403);
        }
      }
    });
  });

  describe('who sees the monitoring services (integrationadmingroup and integrationmonitoringgroup, GET only)', () => {
    const SERVICES = ['InboundIntegrationMonitoring', 'OutboundIntegrationMonitoring'];

    it('monitoring administrators read them', async () => {
      for (const service of SERVICES) {
        for (const path of ['$metadata', '', service === 'InboundIntegrationMonitoring' ? 'InboundRequests' : 'OutboundRequests']) {
          expect((await get(`${service}/${path}`, 'monitor-admin')).status, `${service}/${path}`).toBe(200);
        }
      }
    });

    it('administrators outside integrationmonitoringgroup do not see them: 404', async () => {
      for (const service of SERVICES) {
        expect((await get(`${service}/$metadata`, 'admin-no-service')).status).toBe(404);
        expect((await get(`${service}/$metadata`, 'meta-admin')).status).toBe(404);
      }
    });

    it('integrationmonitoringgroup without integrationadmingroup is forbidden (403), viewer or not', async () => {
      for (const service of SERVICES) {
        for (const user of ['monitor-only', 'monitor-viewer']) {
          expect((await get(`${service}/$metadata`, user)).status, `${user} ${service}`).toBe(403);
          expect((await get(`${service}/`, user)).status, `${user} ${service}`).toBe(403);
        }
      }
    });

    it('POST, PATCH and DELETE are forbidden even to monitoring administrators: 403', async () => {
      const requests: [string, string][] = [
        ['POST', 'InboundIntegrationMonitoring/InboundRequests'],
        ['PATCH', "InboundIntegrationMonitoring/InboundRequests('1%7C%7C')"],
        ['DELETE', "InboundIntegrationMonitoring/InboundRequests('1%7C%7C')"],
        ['POST', 'InboundIntegrationMonitoring/$batch'],
        ['POST', 'OutboundIntegrationMonitoring/OutboundRequests'],
        ['DELETE', "OutboundIntegrationMonitoring/OutboundRequests('x')"],
      ];
      for (const [method, path] of requests) {
        const res = await fetch(`${server.url}/odata2webservices/${path}`, {
          method,
          headers: as('monitor-admin', { 'Content-Type': 'application/json' }),
          ...(method === 'DELETE' ? {} : { body: '{}' }),
        });
        expect(res.status, `${method} ${path}`).toBe(403);
      }
    });
  });
});

describe('the 2005 profile', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = (await serveDemoWithUsers({ commerceVersion: '2005' })).server;
  });
  afterAll(() => server.close());

  it('serves the meta integration objects with the same rules', async () => {
    const get = (path: string, user: string) => fetch(`${server.url}/odata2webservices/${path}`, { headers: as(user) });
    expect((await get('IntegrationService/IntegrationObjects', 'meta-admin')).status).toBe(200);
    expect((await get('IntegrationService/IntegrationObjects', 'admin-no-service')).status).toBe(404);
    expect((await get('InboundIntegrationMonitoring/InboundRequests', 'monitor-admin')).status).toBe(200);
  });
});
