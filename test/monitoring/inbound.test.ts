/**
 * Inbound request monitoring (spec §10.1, §15; help V-MON-01, B-190, B-191): `recordInboundRequest`
 * and what the InboundIntegrationMonitoring service shows of its records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../mock-commerce/app.js';
import type { Commerce } from '../../mock-commerce/commerce.js';
import { inboundRequestErrors, recordInboundRequest } from '../../mock-commerce/monitoring/inbound.js';
import { cleanupMonitoredRequests, payloadText } from '../../mock-commerce/monitoring/records.js';
import { as, loadDemoWithUsers, serveDemoWithUsers } from './helpers.js';

type Json = Record<string, unknown>;

const T0 = 1568915657343;
const T1 = 1568915679339;

describe('InboundRequests over HTTP', () => {
  let server: RunningServer;
  let commerce: Commerce;
  beforeAll(async () => {
    ({ server, commerce } = await serveDemoWithUsers());
  });
  afterAll(() => server.close());

  const read = async (path: string): Promise<Json> => {
    const res = await fetch(`${server.url}/odata2webservices/InboundIntegrationMonitoring/${path}`, { headers: as('monitor-admin') });
    expect(res.status, path).toBe(200);
    return ((await res.json()) as { d: Json }).d;
  };

  it('starts empty', async () => {
    expect(await read('InboundRequests')).toEqual({ results: [] });
  });

  it('shows recorded requests with status, type, httpMethod, messageId and errors', async () => {
    recordInboundRequest(commerce.store, commerce.config, {
      status: 'ERROR',
      type: 'Orders',
      httpMethod: 'POST',
      errors: [{ code: 'missing_key', message: 'The integration key is missing.' }],
      userUid: 'integrationuser',
      now: T0,
    });
    recordInboundRequest(commerce.store, commerce.config, {
      status: 'SUCCESS',
      type: 'ThirdPartyInboundProduct',
      httpMethod: 'PATCH',
      integrationKey: 'Online|sandboxProductCatalog|P-1',
      messageId: 'msg-42',
      sapPassport: '2a54482a0300e6',
      userUid: 'integrationuser',
      now: T1,
    });

    const { results } = (await read('InboundRequests?$expand=errors,status,httpMethod,user')) as { results: Json[] };
    const base = `${server.url}/odata2webservices/InboundIntegrationMonitoring`;
    expect(results).toHaveLength(2);
    expect(results[0]).toEqual({
      __metadata: { id: `${base}/InboundRequests('${T0}%7C%7C')`, uri: `${base}/InboundRequests('${T0}%7C%7C')`, type: 'HybrisCommerceOData.InboundRequest' },
      requestIntegrationKey: '',
      messageId: '',
      creationtime: `/Date(${T0})/`,
      type: 'Orders',
      sapPassport: null,
      integrationKey: `${T0}||`,
      status: {
        __metadata: { id: `${base}/IntegrationRequestStatuses('ERROR')`, uri: `${base}/IntegrationRequestStatuses('ERROR')`, type: 'HybrisCommerceOData.IntegrationRequestStatus' },
        code: 'ERROR',
        integrationKey: 'ERROR',
      },
      httpMethod: {
        __metadata: { id: `${base}/HttpMethods('POST')`, uri: `${base}/HttpMethods('POST')`, type: 'HybrisCommerceOData.HttpMethod' },
        code: 'POST',
        integrationKey: 'POST',
      },
      user: {
        __metadata: { id: `${base}/InboundUsers('integrationuser')`, uri: `${base}/InboundUsers('integrationuser')`, type: 'HybrisCommerceOData.InboundUser' },
        uid: 'integrationuser',
        name: 'SCPI integration user',
        integrationKey: 'integrationuser',
      },
      errors: {
        results: [
          {
            __metadata: {
              id: `${base}/InboundRequestErrors('${T0}%7C${T0}%7C%7C')`,
              uri: `${base}/InboundRequestErrors('${T0}%7C${T0}%7C%7C')`,
              type: 'HybrisCommerceOData.InboundRequestError',
            },
            creationtime: `/Date(${T0})/`,
            code: 'missing_key',
            message: 'The integration key is missing.',
            integrationKey: `${T0}|${T0}||`,
            inboundRequest: { __deferred: { uri: `${base}/InboundRequestErrors('${T0}%7C${T0}%7C%7C')/inboundRequest` } },
          },
        ],
      },
    });
    expect(results[1]).toMatchObject({
      requestIntegrationKey: 'Online|sandboxProductCatalog|P-1',
      messageId: 'msg-42',
      type: 'ThirdPartyInboundProduct',
      sapPassport: '2a54482a0300e6',
      integrationKey: `${T1}|msg-42|Online%7CsandboxProductCatalog%7CP-1`,
      status: { code: 'SUCCESS' },
      httpMethod: { code: 'PATCH' },
      errors: { results: [] },
    });
  });

  it('addresses a record by its key, filters and counts', async () => {
    const single = await read(`InboundRequests('${T1}%7Cmsg-42%7COnline%257CsandboxProductCatalog%257CP-1')`);
    expect(single).toMatchObject({ messageId: 'msg-42', type: 'ThirdPartyInboundProduct' });
    const errors = (await read(`InboundRequests?$filter=${encodeURIComponent("status/code eq 'ERROR'")}`)) as { results: Json[] };
    expect(errors.results.map((r) => r.type)).toEqual(['Orders']);
    const res = await fetch(`${server.url}/odata2webservices/InboundIntegrationMonitoring/InboundRequests/$count`, { headers: as('monitor-admin') });
    expect(await res.text()).toBe('2');
    const navigation = (await read(`InboundRequests('${T1}%7Cmsg-42%7COnline%257CsandboxProductCatalog%257CP-1')/errors`)) as { results: Json[] };
    expect(navigation.results).toEqual([]);
  });

  it('a key ending in blank parts cannot be addressed: Java split drops them (spec §2.4.3) → 400 invalid_key', async () => {
    const res = await fetch(`${server.url}/odata2webservices/InboundIntegrationMonitoring/InboundRequests('${T0}%7C%7C')`, { headers: as('monitor-admin') });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_key');
  });
});

describe('recordInboundRequest', () => {
  it('creates the InboundRequest and its errors through the store', () => {
    const commerce = loadDemoWithUsers();
    const request = recordInboundRequest(commerce.store, commerce.config, {
      status: 'ERROR',
      type: 'Orders',
      httpMethod: 'DELETE',
      integrationKey: '00001001',
      messageId: 'm-1',
      sapPassport: 'passport',
      userUid: 'monitor-admin',
      errors: [
        { code: 'not_found', message: 'first' },
        { code: 'unknown_error', message: 'second' },
      ],
      now: T0,
    })!;
    expect(request.typeCode).toBe('InboundRequest');
    expect(request.values).toMatchObject({
      status: 'ERROR',
      type: 'Orders',
      httpMethod: 'DELETE',
      integrationKey: '00001001',
      messageId: 'm-1',
      sapPassport: 'passport',
      creationtime: T0,
      modifiedtime: T0,
      user: commerce.store.find('User', { uid: 'monitor-admin' })[0]!.pk,
    });
    expect(request.values.payload).toBeUndefined();
    expect(inboundRequestErrors(commerce.store, request).map((e) => [e.typeCode, e.values.code, e.values.message, e.values.creationtime])).toEqual([
      ['InboundRequestError', 'not_found', 'first', T0],
      ['InboundRequestError', 'unknown_error', 'second', T0],
    ]);
  });

  it('keeps blanks for absent headers and records no user for an unknown uid', () => {
    const commerce = loadDemoWithUsers();
    const request = recordInboundRequest(commerce.store, commerce.config, { status: 'SUCCESS', type: 'Orders', httpMethod: 'POST', userUid: 'ghost', now: T0 })!;
    expect(request.values).toMatchObject({ integrationKey: '', messageId: '', sapPassport: null, user: null });
  });

  it('is one transaction: a record that cannot be saved leaves nothing behind', () => {
    const commerce = loadDemoWithUsers();
    const before = commerce.store.size;
    expect(() =>
      recordInboundRequest(commerce.store, commerce.config, {
        status: 'ERROR',
        type: 'Orders',
        httpMethod: 'POST',
        // A missing mandatory message fails the second item, after the request was created.
        errors: [{ code: 'x', message: null as unknown as string }],
        now: T0,
      }),
    ).toThrow(/mandatory attributes \[message\]/);
    expect(commerce.store.size).toBe(before);
    expect(commerce.store.count('InboundRequest')).toBe(0);
  });

  it('records nothing with inboundservices.monitoring.enabled=false', () => {
    const commerce = loadDemoWithUsers({ properties: { 'inboundservices.monitoring.enabled': 'false' } });
    const before = commerce.store.size;
    expect(recordInboundRequest(commerce.store, commerce.config, { status: 'ERROR', type: 'Orders', httpMethod: 'POST', errors: [{ code: 'c', message: 'm' }], now: T0 })).toBeUndefined();
    expect(commerce.store.size).toBe(before);
  });

  it('monitoring is on by default in both profiles', () => {
    for (const commerceVersion of ['2211', '2005'] as const) {
      const commerce = loadDemoWithUsers({ commerceVersion });
      expect(recordInboundRequest(commerce.store, commerce.config, { status: 'SUCCESS', type: 'Orders', httpMethod: 'POST', now: T0 }), commerceVersion).toBeDefined();
    }
  });

  describe('payload retention', () => {
    const record = (commerce: Commerce, status: 'SUCCESS' | 'ERROR') =>
      recordInboundRequest(commerce.store, commerce.config, { status, type: 'Orders', httpMethod: 'POST', payload: '{"code":"00001001"}', now: T0, uuid: () => 'fixed-uuid' })!;

    it('is off by default: no payload and no media', () => {
      const commerce = loadDemoWithUsers();
      for (const status of ['SUCCESS', 'ERROR'] as const) {
        const request = record(commerce, status);
        expect(request.values.payload, status).toBeUndefined();
        expect(payloadText(commerce.store, request)).toBeUndefined();
      }
      expect(commerce.store.count('IntegrationApiMedia')).toBe(0);
    });

    it('success retention keeps the bodies of successful requests as IntegrationApiMedia', () => {
      const commerce = loadDemoWithUsers({ properties: { 'inboundservices.monitoring.success.payload.retention': 'true' } });
      const success = record(commerce, 'SUCCESS');
      const error = record(commerce, 'ERROR');
      expect(payloadText(commerce.store, success)).toBe('{"code":"00001001"}');
      expect(payloadText(commerce.store, error.pk)).toBeUndefined();
      const media = commerce.store.get(success.values.payload as number)!;
      expect(media.typeCode).toBe('IntegrationApiMedia');
      expect(media.values).toMatchObject({ code: 'Payload_fixed-uuid', mime: 'application/json', size: '19' });
    });

    it('error retention keeps only the bodies of failed requests; the media name prefix is configurable', () => {
      const commerce = loadDemoWithUsers({
        properties: { 'inboundservices.monitoring.error.payload.retention': 'true', 'integrationservices.media.persistence.media.name.prefix': 'Body-' },
      });
      expect(payloadText(commerce.store, record(commerce, 'SUCCESS'))).toBeUndefined();
      const error = record(commerce, 'ERROR');
      expect(payloadText(commerce.store, error)).toBe('{"code":"00001001"}');
      expect(commerce.store.get(error.values.payload as number)?.values.code).toBe('Body-fixed-uuid');
    });
  });

  it('the cleanup job removes records older than a week, with their errors and payloads', () => {
    const commerce = loadDemoWithUsers({ properties: { 'inboundservices.monitoring.error.payload.retention': 'true' } });
    const week = 604800 * 1000;
    const old = recordInboundRequest(commerce.store, commerce.config, { status: 'ERROR', type: 'Orders', httpMethod: 'POST', errors: [{ code: 'c', message: 'm' }], payload: '{}', now: T0 })!;
    const recent = recordInboundRequest(commerce.store, commerce.config, { status: 'ERROR', type: 'Orders', httpMethod: 'POST', errors: [{ code: 'c', message: 'm' }], now: T0 + week })!;
    expect(cleanupMonitoredRequests(commerce.store, 'InboundRequest', { now: T0 + week + 1 })).toBe(1);
    expect(commerce.store.get(old.pk)).toBeUndefined();
    expect(commerce.store.get(recent.pk)).toBeDefined();
    expect(commerce.store.count('InboundRequestError')).toBe(1);
    expect(commerce.store.count('IntegrationApiMedia')).toBe(0);
    expect(payloadText(commerce.store, old)).toBeUndefined();
  });
});
