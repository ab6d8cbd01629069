/**
 * Who may read `$metadata`, and which integration objects are served (spec §8.3, §9; Version profiles).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../mock-commerce/app.js';
import { basic, fixtureProject, serve } from '../helpers/commerce.js';

const PROJECT = fixtureProject('third-party-inbound-product');
const URL_PATH = '/odata2webservices/ThirdPartyInboundProduct/$metadata';

const SERVLET_XML = (code: string, message: string): string =>
  [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">',
    `  <code>${code}</code>`,
    `  <message xml:lang="en">${message}</message>`,
    '</error>',
  ].join('\n');

describe('authentication and authorisation of $metadata', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = (await serve({ projectDir: PROJECT })).server;
  });
  afterAll(() => server.close());

  const get = (headers: Record<string, string> = {}, path = URL_PATH) => fetch(`${server.url}${path}`, { headers });

  it('no credentials → 401 with the servlet error document and a Basic challenge', async () => {
    const res = await get();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="/);
    expect(await res.text()).toBe(SERVLET_XML('unauthorized', 'user must be authenticated'));
  });

  it('the 401 document is pretty-printed JSON for JSON clients', async () => {
    const res = await get({ Accept: 'application/json' });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe(
      JSON.stringify({ error: { code: 'unauthorized', message: { lang: 'en', value: 'user must be authenticated' } } }, null, 2),
    );
  });

  it('wrong password, unknown user, bearer token and malformed header → 401', async () => {
    for (const auth of [basic('scpi', 'wrong'), basic('ghost', 'x'), 'Bearer abc', 'Basic !!!', 'Digest x']) {
      expect((await get({ Authorization: auth })).status, auth).toBe(401);
    }
  });

  it('create and view groups may read $metadata; delete-only and group-less users get 403', async () => {
    expect((await get({ Authorization: basic('scpi', 'scpi-secret') })).status).toBe(200);
    expect((await get({ Authorization: basic('viewer', 'viewer-secret') })).status).toBe(200);
    for (const [user, password] of [
      ['deleter', 'deleter-secret'],
      ['nobody', 'nobody-secret'],
    ]) {
      const res = await get({ Authorization: basic(user!, password!) });
      expect(res.status, user).toBe(403);
      expect(await res.text()).toBe(SERVLET_XML('forbidden', 'credentials provided are not authorized for the operation'));
    }
  });

  it('an unknown integration object → 404 servlet error document', async () => {
    const res = await get({ Authorization: basic('scpi', 'scpi-secret') }, '/odata2webservices/NoSuchIO/$metadata');
    expect(res.status).toBe(404);
    expect(await res.text()).toBe(SERVLET_XML('not_found', 'requested resource does not exist'));
  });
});

describe('which integration objects are served', () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });
  const status = async (options: Parameters<typeof serve>[0], io: string): Promise<number> => {
    const { server, commerce } = await serve(options);
    servers.push(server);
    // Remove the channel configuration to see the IO without one.
    for (const icc of [...commerce.store.all('InboundChannelConfiguration')]) commerce.store.remove(icc.pk);
    return (await fetch(`${server.url}/odata2webservices/${io}/$metadata`, { headers: { Authorization: basic('scpi', 'scpi-secret') } })).status;
  };

  it('2211: only with an InboundChannelConfiguration, unless legacy authentication is on', async () => {
    const exposed = await serve({ projectDir: PROJECT });
    servers.push(exposed.server);
    expect((await fetch(`${exposed.server.url}${URL_PATH}`, { headers: { Authorization: basic('scpi', 'scpi-secret') } })).status).toBe(200);
    expect(await status({ projectDir: PROJECT }, 'ThirdPartyInboundProduct')).toBe(404);
    expect(await status({ projectDir: PROJECT, properties: { 'integrationservices.legacy.authentication.enabled': 'true' } }, 'ThirdPartyInboundProduct')).toBe(200);
  });

  it('2005: served without a channel configuration (legacy Basic)', async () => {
    expect(await status({ projectDir: PROJECT, commerceVersion: '2005' }, 'ThirdPartyInboundProduct')).toBe(200);
  });
});
