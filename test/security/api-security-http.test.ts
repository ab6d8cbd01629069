/**
 * Security on the OData API over real HTTP: OAuth2 client credentials for an OAUTH channel, the wrong
 * scheme for a channel, and type-level access rights on reads (2211: V-GET-24, B-089).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../mock-commerce/app.js';
import { basic, fixtureProject, serve } from '../helpers/commerce.js';

const PROJECT = fixtureProject('inbound-product');

describe('OAuth2 client credentials', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = (await serve({ projectDir: PROJECT })).server;
  });
  afterAll(() => server.close());

  const token = async (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/authorizationserver/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body });

  it('issues a bearer token that reads an OAUTH integration object', async () => {
    const res = await token('grant_type=client_credentials&client_id=scpi-client&client_secret=client-secret');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBe(43199);
    const read = await fetch(`${server.url}/odata2webservices/SecuredCatalog/Catalogs('Default')`, { headers: { Authorization: `Bearer ${body.access_token}`, Accept: 'application/json' } });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { d: { id: string } }).d.id).toBe('Default');
    const metadata = await fetch(`${server.url}/odata2webservices/SecuredCatalog/$metadata`, { headers: { Authorization: `Bearer ${body.access_token}` } });
    expect(metadata.status).toBe(200);
  });

  it('also takes the client credentials as HTTP Basic', async () => {
    const res = await token('grant_type=client_credentials', { Authorization: basic('scpi-client', 'client-secret') });
    expect(res.status).toBe(200);
  });

  it('refuses bad client credentials with Spring OAuth2 error documents', async () => {
    const wrong = await token('grant_type=client_credentials&client_id=scpi-client&client_secret=nope');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'invalid_client', error_description: 'Bad client credentials' });
    const unknownGrant = await token('grant_type=magic&client_id=scpi-client&client_secret=client-secret');
    expect(unknownGrant.status).toBe(400);
    expect(((await unknownGrant.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('an OAUTH channel refuses Basic (401), and a BASIC channel refuses a bearer token (401)', async () => {
    const basicOnOauth = await fetch(`${server.url}/odata2webservices/SecuredCatalog/Catalogs`, { headers: { Authorization: basic('integration', 'pass') } });
    expect(basicOnOauth.status).toBe(401);
    const issued = (await (await token('grant_type=client_credentials&client_id=scpi-client&client_secret=client-secret')).json()) as { access_token: string };
    const bearerOnBasic = await fetch(`${server.url}/odata2webservices/InboundProduct/Products`, { headers: { Authorization: `Bearer ${issued.access_token}` } });
    expect(bearerOnBasic.status).toBe(401);
  });

  it('an unknown bearer token → 401 invalid_token', async () => {
    const res = await fetch(`${server.url}/odata2webservices/SecuredCatalog/Catalogs`, { headers: { Authorization: 'Bearer not-a-token' } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_token');
  });
});

describe('type-level access rights on reads (2211)', () => {
  let server2211: RunningServer;
  let server2005: RunningServer;
  beforeAll(async () => {
    server2211 = (await serve({ projectDir: PROJECT })).server;
    server2005 = (await serve({ projectDir: PROJECT, commerceVersion: '2005' })).server;
  });
  afterAll(async () => {
    await server2211.close();
    await server2005.close();
  });
  const VIEWER = { Authorization: basic('viewer', 'viewer-secret'), Accept: 'application/json' };
  const forbidden = (type: string) => ({ error: { code: 'forbidden', message: { lang: 'en', value: `The user lacks read privileges for accessing the ${type} type.` } } });

  it('reads types the user may read', async () => {
    const res = await fetch(`${server2211.url}/odata2webservices/InboundProduct/Products?$expand=catalogVersion/catalog`, { headers: VIEWER });
    expect(res.status).toBe(200);
  });

  it('checks expanded and navigated types: 403 with the documented message', async () => {
    for (const path of ['Products?$expand=unit', "Products('Staged%7CDefault%7Cp1')/unit", "Products('Staged%7CDefault%7Cp1')?$expand=supercategories", 'Units', 'Categories']) {
      const res = await fetch(`${server2211.url}/odata2webservices/InboundProduct/${path}`, { headers: VIEWER });
      expect(res.status, path).toBe(403);
      const type = path.includes('supercategories') || path === 'Categories' ? 'Category' : 'Unit';
      expect(await res.json(), path).toEqual(forbidden(type));
    }
  });

  it('2005 does not check type-level rights', async () => {
    const res = await fetch(`${server2005.url}/odata2webservices/InboundProduct/Products?$expand=unit`, { headers: VIEWER });
    expect(res.status).toBe(200);
  });
});
