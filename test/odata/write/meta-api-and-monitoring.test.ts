/**
 * The IntegrationService meta API (spec §16.8): an integration object created by POST is served at once;
 * and the InboundRequest records every write leaves (spec §10.1), readable through
 * InboundIntegrationMonitoring.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../mock-commerce/app.js';
import type { Commerce } from '../../../mock-commerce/commerce.js';
import { basic, businessSnapshot } from '../../helpers/commerce.js';
import { PASSWORD, serveDemoWithUsers } from '../../monitoring/helpers.js';

let commerce: Commerce;
let server: RunningServer;
beforeAll(async () => {
  ({ commerce, server } = await serveDemoWithUsers());
});
afterAll(() => server.close());

const META = { Authorization: basic('meta-admin', PASSWORD), 'Content-Type': 'application/json', Accept: 'application/json' };
const attr = (io: string, item: string, name: string, enclosing: string, qualifier: string, returnItem?: string) => ({
  attributeName: name,
  attributeDescriptor: { qualifier, enclosingType: { code: enclosing } },
  ...(returnItem ? { returnIntegrationObjectItem: { code: returnItem, integrationObject: { code: io } } } : {}),
});

describe('IntegrationService meta API', () => {
  it('POSTing an integration object (items, attributes) and its channel makes it servable at once', async () => {
    const io = {
      code: 'RuntimeUnit',
      integrationType: { code: 'INBOUND' },
      items: [
        { code: 'Unit', type: { code: 'Unit' }, root: true, attributes: [attr('RuntimeUnit', 'Unit', 'code', 'Unit', 'code'), attr('RuntimeUnit', 'Unit', 'unitType', 'Unit', 'unitType')] },
      ],
    };
    const created = await fetch(`${server.url}/odata2webservices/IntegrationService/IntegrationObjects`, { method: 'POST', headers: META, body: JSON.stringify(io) });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { d: { integrationKey: string } }).d.integrationKey).toBe('RuntimeUnit');
    // 2211 exposes an integration object through an InboundChannelConfiguration.
    const channel = await fetch(`${server.url}/odata2webservices/IntegrationService/InboundChannelConfigurations`, {
      method: 'POST',
      headers: META,
      body: JSON.stringify({ integrationObject: { code: 'RuntimeUnit' }, authenticationType: { code: 'BASIC' } }),
    });
    expect(channel.status).toBe(201);

    const metadata = await fetch(`${server.url}/odata2webservices/RuntimeUnit/$metadata`, { headers: { Authorization: basic('integrationuser', 'sandbox') } });
    expect(metadata.status).toBe(200);
    const xml = await metadata.text();
    expect(xml).toContain('<EntityType Name="Unit"><Key><PropertyRef Name="integrationKey"/></Key><Property Name="code" Type="Edm.String" s:IsUnique="true" Nullable="false"/>');
    expect(xml).toContain('<EntitySet Name="Units" EntityType="HybrisCommerceOData.Unit"/>');
    // Reading its entities needs the type-level read right on Unit (2211), which nobody has yet.
    const denied = await fetch(`${server.url}/odata2webservices/RuntimeUnit/Units/$count`, { headers: { Authorization: basic('meta-admin', PASSWORD) } });
    expect(denied.status).toBe(403);
    commerce.accessRights.set('integrationadmingroup', 'Unit', 'read', true);
    const units = await fetch(`${server.url}/odata2webservices/RuntimeUnit/Units/$count`, { headers: { Authorization: basic('meta-admin', PASSWORD) } });
    expect(await units.text()).toBe(String(commerce.store.count('Unit')));
  });

  it('reads attribute descriptors and types back through the meta IO', async () => {
    const res = await fetch(
      `${server.url}/odata2webservices/IntegrationService/IntegrationObjectItemAttributes?$filter=attributeName%20eq%20'unitType'&$expand=attributeDescriptor/enclosingType`,
      { headers: META },
    );
    expect(res.status).toBe(200);
    const results = ((await res.json()) as { d: { results: { attributeDescriptor: { qualifier: string; enclosingType: { code: string } } }[] } }).d.results;
    expect(results.map((r) => [r.attributeDescriptor.qualifier, r.attributeDescriptor.enclosingType.code])).toContainEqual(['unitType', 'Unit']);
  });

  it('an unknown type or attribute descriptor → missing_nav_property; nothing is created', async () => {
    const before = businessSnapshot(commerce);
    for (const item of [
      { code: 'X', type: { code: 'NoSuchType' }, root: true, attributes: [] },
      { code: 'Unit', type: { code: 'Unit' }, root: true, attributes: [attr('Broken', 'Unit', 'code', 'Unit', 'noSuchQualifier')] },
    ]) {
      const res = await fetch(`${server.url}/odata2webservices/IntegrationService/IntegrationObjects`, {
        method: 'POST',
        headers: META,
        body: JSON.stringify({ code: 'Broken', integrationType: { code: 'INBOUND' }, items: [item] }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('missing_nav_property');
    }
    expect(businessSnapshot(commerce)).toBe(before);
  });

  it('save rules apply to the API too: a reserved attribute name is refused', async () => {
    const res = await fetch(`${server.url}/odata2webservices/IntegrationService/IntegrationObjects`, {
      method: 'POST',
      headers: META,
      body: JSON.stringify({ code: 'Reserved', integrationType: { code: 'INBOUND' }, items: [{ code: 'Unit', type: { code: 'Unit' }, root: true, attributes: [attr('Reserved', 'Unit', 'integrationKey', 'Unit', 'code')] }] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; message: { value: string } } }).error.message.value).toContain('[integrationKey] is reserved');
    expect(commerce.store.find('IntegrationObject', { code: 'Reserved' })).toHaveLength(0);
  });
});

describe('inbound monitoring of writes', () => {
  const MONITOR = { Authorization: basic('monitor-admin', PASSWORD), Accept: 'application/json' };
  const requests = async (filter: string) => {
    const res = await fetch(`${server.url}/odata2webservices/InboundIntegrationMonitoring/InboundRequests?$filter=${encodeURIComponent(filter)}&$expand=errors`, { headers: MONITOR });
    expect(res.status).toBe(200);
    return ((await res.json()) as { d: { results: Record<string, unknown>[] } }).d.results;
  };

  it('records a successful POST with its key, message id and user, and a failed one with its error', async () => {
    const post = (body: object, messageId: string) =>
      fetch(`${server.url}/odata2webservices/ThirdPartyInboundProduct/Products`, {
        method: 'POST',
        headers: { Authorization: basic('integrationuser', 'sandbox'), 'Content-Type': 'application/json', integrationMessageId: messageId },
        body: JSON.stringify(body),
      });
    expect((await post({ code: 'P-1', reviewCount: 99, catalogVersion: { version: 'Online', catalog: { id: 'sandboxProductCatalog' } } }, 'msg-ok')).status).toBe(201);
    expect((await post({ code: 'P-1', catalogVersion: { version: 'Nope', catalog: { id: 'sandboxProductCatalog' } } }, 'msg-bad')).status).toBe(400);

    const [ok] = await requests("messageId eq 'msg-ok'");
    expect(ok).toMatchObject({ messageId: 'msg-ok', requestIntegrationKey: 'Online|sandboxProductCatalog|P-1', errors: { results: [] } });
    const [bad] = await requests("messageId eq 'msg-bad'");
    expect(bad).toMatchObject({ messageId: 'msg-bad', requestIntegrationKey: 'Nope|sandboxProductCatalog|P-1' });
    expect((bad!.errors as { results: { code: string }[] }).results.map((e) => e.code)).toEqual(['missing_nav_property']);
  });
});
