/**
 * Outbound request monitoring (spec §10.2, §15; help V-MON-02): `recordOutboundRequest` and the
 * OutboundIntegrationMonitoring service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../mock-commerce/app.js';
import type { Commerce } from '../../mock-commerce/commerce.js';
import { recordOutboundRequest } from '../../mock-commerce/monitoring/outbound.js';
import { cleanupMonitoredRequests, payloadText } from '../../mock-commerce/monitoring/records.js';
import { as, loadDemoWithUsers, serveDemoWithUsers } from './helpers.js';

const PASSPORT = '2a54482a0300e600005341502043';
const DESTINATION = 'https://localhost:9002/odata2webservices/OutboundProduct/Products';

describe('OutboundRequests over HTTP', () => {
  let server: RunningServer;
  let commerce: Commerce;
  beforeAll(async () => {
    ({ server, commerce } = await serveDemoWithUsers());
  });
  afterAll(() => server.close());

  it('shows a recorded request in the documented shape (help V-MON-02)', async () => {
    recordOutboundRequest(commerce.store, commerce.config, {
      status: 'SUCCESS',
      type: 'OutboundProduct',
      destination: DESTINATION,
      integrationKey: 'Online|Default|TESTPRoduct',
      messageId: 'ac84d2e3-df97-44e3-a3d7-ab51c326a83c',
      sapPassport: PASSPORT,
      now: 1,
    });
    const res = await fetch(`${server.url}/odata2webservices/OutboundIntegrationMonitoring/OutboundRequests?$expand=status`, { headers: as('monitor-admin') });
    expect(res.status).toBe(200);
    const base = `${server.url}/odata2webservices/OutboundIntegrationMonitoring`;
    expect(((await res.json()) as { d: { results: unknown[] } }).d.results).toEqual([
      {
        __metadata: { id: `${base}/OutboundRequests('${PASSPORT}')`, uri: `${base}/OutboundRequests('${PASSPORT}')`, type: 'HybrisCommerceOData.OutboundRequest' },
        destination: DESTINATION,
        sapPassport: PASSPORT,
        error: null,
        requestIntegrationKey: 'Online|Default|TESTPRoduct',
        type: 'OutboundProduct',
        messageId: 'ac84d2e3-df97-44e3-a3d7-ab51c326a83c',
        integrationKey: PASSPORT,
        status: {
          __metadata: { id: `${base}/IntegrationRequestStatuses('SUCCESS')`, uri: `${base}/IntegrationRequestStatuses('SUCCESS')`, type: 'HybrisCommerceOData.IntegrationRequestStatus' },
          code: 'SUCCESS',
          integrationKey: 'SUCCESS',
        },
      },
    ]);
  });
});

describe('recordOutboundRequest', () => {
  it('records an error with a generated message id', () => {
    const commerce = loadDemoWithUsers();
    const request = recordOutboundRequest(commerce.store, commerce.config, {
      status: 'ERROR',
      type: 'Orders',
      destination: DESTINATION,
      error: 'The remote system answered 500.',
      userUid: 'integrationuser',
      now: 5,
    })!;
    expect(request.typeCode).toBe('OutboundRequest');
    expect(request.values).toMatchObject({
      status: 'ERROR',
      type: 'Orders',
      destination: DESTINATION,
      error: 'The remote system answered 500.',
      integrationKey: null,
      sapPassport: null,
      creationtime: 5,
      user: commerce.store.find('User', { uid: 'integrationuser' })[0]!.pk,
    });
    expect(request.values.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('records nothing with outboundservices.monitoring.enabled=false', () => {
    const commerce = loadDemoWithUsers({ properties: { 'outboundservices.monitoring.enabled': 'false' } });
    expect(recordOutboundRequest(commerce.store, commerce.config, { status: 'SUCCESS', type: 'Orders', destination: DESTINATION, now: 1 })).toBeUndefined();
    expect(commerce.store.count('OutboundRequest')).toBe(0);
  });

  it('keeps the body sent only with the outbound retention property for the status', () => {
    const off = loadDemoWithUsers();
    expect(recordOutboundRequest(off.store, off.config, { status: 'SUCCESS', type: 'Orders', destination: DESTINATION, payload: '{"a":1}', now: 1 })!.values.payload).toBeUndefined();

    const on = loadDemoWithUsers({ properties: { 'outboundservices.monitoring.success.payload.retention': 'true' } });
    const ids = ['message-id', 'media-id'];
    const success = recordOutboundRequest(on.store, on.config, { status: 'SUCCESS', type: 'Orders', destination: DESTINATION, payload: '{"a":1}', now: 1, uuid: () => ids.shift()! })!;
    expect(success.values.messageId).toBe('message-id');
    expect(payloadText(on.store, success)).toBe('{"a":1}');
    expect(on.store.get(success.values.payload as number)?.values.code).toBe('Payload_media-id');
    const error = recordOutboundRequest(on.store, on.config, { status: 'ERROR', type: 'Orders', destination: DESTINATION, payload: '{"a":1}', now: 1 })!;
    expect(payloadText(on.store, error)).toBeUndefined();
  });

  it('the cleanup job removes old outbound records', () => {
    const commerce = loadDemoWithUsers();
    recordOutboundRequest(commerce.store, commerce.config, { status: 'SUCCESS', type: 'Orders', destination: DESTINATION, now: 0 });
    recordOutboundRequest(commerce.store, commerce.config, { status: 'SUCCESS', type: 'Orders', destination: DESTINATION, now: 10_000 });
    expect(cleanupMonitoredRequests(commerce.store, 'OutboundRequest', { now: 20_000, ageSeconds: 15 })).toBe(1);
    expect(commerce.store.count('OutboundRequest')).toBe(1);
  });
});
