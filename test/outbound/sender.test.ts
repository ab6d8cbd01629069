/**
 * The outbound sender (spec §11.1, §11.2, §16.9; help B-151, B-152, B-154, B-155) against real HTTP
 * receivers on ephemeral ports: an SCPI-like OData endpoint enforcing CSRF, an OAuth token server, failing
 * and slow receivers. Destinations are ImpEx-imported into the demo Commerce.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Commerce } from '../../mock-commerce/commerce.js';
import { importImpex } from '../../mock-commerce/impex/import.js';
import { parseImpex } from '../../mock-commerce/impex/parse.js';
import { resolveDestination } from '../../mock-commerce/outbound/destinations.js';
import { OutboundSender, buildSapPassport } from '../../mock-commerce/outbound/sender.js';
import type { Item } from '../../mock-commerce/store/store.js';
import { DEMO, basic, load } from '../helpers/commerce.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Receiver {
  server: Server;
  base: string;
  requests: Received[];
}

async function receiver(handle: (req: Received, res: ServerResponse) => void): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      handle(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function close(r: Receiver): Promise<void> {
  r.server.closeAllConnections();
  return new Promise((resolve) => r.server.close(() => resolve()));
}

const SCPI_AUTH = basic('scpiuser', 's3cret');
const PAYLOAD = { code: 'P1', integrationKey: 'Staged|Default|P1' };
const META = { integrationObject: 'OutboundProduct', integrationKey: 'Staged|Default|P1' };

let commerce: Commerce;
let scpi: Receiver;
let oauth: Receiver;
let failing: Receiver;
let slow: Receiver;
let closedPort: string;
/** The SCPI stand-in's current CSRF token; rotating it makes cached tokens stale. */
let csrfToken = 'tok-1';
let clock = 1_700_000_000_000;
let tokenSerial = 0;

function records(): Item[] {
  return [...commerce.store.all('OutboundRequest')];
}

function sender(options: Partial<ConstructorParameters<typeof OutboundSender>[2]> = {}): OutboundSender {
  return new OutboundSender(commerce.store, commerce.config, { now: () => clock, ...options });
}

beforeAll(async () => {
  scpi = await receiver((req, res) => {
    if (req.headers.authorization !== SCPI_AUTH) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="scpi"' }).end();
      return;
    }
    if (req.method === 'GET' && req.headers['x-csrf-token'] === 'Fetch') {
      res.setHeader('Set-Cookie', ['JSESSIONID=ab12; Path=/; HttpOnly', '__VCAP_ID__=cd34; Path=/']);
      res.writeHead(200, { 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' }).end('{}');
      return;
    }
    if (req.method === 'POST') {
      const cookie = req.headers.cookie ?? '';
      if (req.headers['x-csrf-token'] !== csrfToken || !cookie.includes('JSESSIONID=ab12')) {
        res.writeHead(403, { 'X-CSRF-Token': 'Required' }).end('CSRF token validation failed');
        return;
      }
      res.writeHead(201, { 'Content-Type': 'application/json' }).end(req.body);
      return;
    }
    res.writeHead(405).end();
  });
  oauth = await receiver((req, res) => {
    if (req.url === '/oauth/token') {
      const ok = req.headers.authorization === basic('client1', 'secret1') && new URLSearchParams(req.body).get('grant_type') === 'client_credentials';
      if (!ok) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"invalid_client"}');
        return;
      }
      tokenSerial++;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: `at-${tokenSerial}`, token_type: 'bearer', expires_in: 3600 }));
      return;
    }
    const ok = req.headers.authorization === `Bearer at-${tokenSerial}`;
    res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' }).end('{}');
  });
  failing = await receiver((req, res) => {
    const big = req.url === '/big';
    res.writeHead(req.url === '/nocontent' ? 204 : 500, { 'Content-Type': 'application/json' });
    res.end(req.url === '/nocontent' ? undefined : big ? JSON.stringify({ error: 'x'.repeat(5000) }) : '{"error":{"message":"boom"}}');
  });
  slow = await receiver((_req, res) => {
    setTimeout(() => {
      if (!res.destroyed) res.writeHead(201).end('{}');
    }, 1000);
  });
  const probe = await receiver((_req, res) => res.end());
  closedPort = probe.base;
  await close(probe);

  commerce = load({ projectDir: DEMO });
  const impex = `INSERT_UPDATE DestinationTarget; id[unique=true]
; scpi
INSERT_UPDATE Endpoint; id[unique=true]; version[unique=true]; name
; scpiEndpoint ; v1 ; SCPI
INSERT_UPDATE BasicCredential; id[unique=true]; username; password
; scpiBasic ; scpiuser ; s3cret
INSERT_UPDATE ConsumedOAuthCredential; id[unique=true]; clientId; clientSecret; oAuthUrl
; scpiOAuth ; client1 ; secret1 ; ${oauth.base}/oauth/token
INSERT_UPDATE ConsumedCertificateCredential; id[unique=true]; certificateData
; scpiCert ; MIIB
INSERT_UPDATE ConsumedDestination; id[unique=true]; url; active; endpoint(id,version); destinationTarget(id)[unique=true]; credential(id); additionalProperties[map-delimiter=|]
; csrfDest ; "${scpi.base}/gw/odata/SAP/REPLICATE;v=1/Products" ; true ; scpiEndpoint:v1 ; scpi ; scpiBasic ; "csrfURL->${scpi.base}/gw/odata/SAP/REPLICATE;v=1/"
; basicNoCsrf ; "${scpi.base}/gw/odata/SAP/REPLICATE;v=1/Products" ; true ; scpiEndpoint:v1 ; scpi ; scpiBasic ;
; oauthDest ; ${oauth.base}/api/products ; true ; scpiEndpoint:v1 ; scpi ; scpiOAuth ;
; failing ; ${failing.base}/fail ; true ; scpiEndpoint:v1 ; scpi ; ;
; failingBig ; ${failing.base}/big ; true ; scpiEndpoint:v1 ; scpi ; ;
; noContent ; ${failing.base}/nocontent ; true ; scpiEndpoint:v1 ; scpi ; ;
; slow ; ${slow.base}/slow ; true ; scpiEndpoint:v1 ; scpi ; ;
; inactive ; ${failing.base}/fail ; false ; scpiEndpoint:v1 ; scpi ; ;
; badUrl ; not a url ; true ; scpiEndpoint:v1 ; scpi ; ;
; certDest ; ${failing.base}/fail ; true ; scpiEndpoint:v1 ; scpi ; scpiCert ;
; closed ; ${closedPort}/x ; true ; scpiEndpoint:v1 ; scpi ; ;
`;
  const report = importImpex(parseImpex(impex, 'destinations.impex'), commerce.store);
  expect(report.errors).toEqual([]);
});

afterAll(async () => {
  await Promise.all([scpi, oauth, failing, slow].map(close));
});

beforeEach(() => {
  for (const r of [scpi, oauth, failing, slow]) r.requests.length = 0;
  for (const item of records()) commerce.store.remove(item.pk);
});

describe('resolveDestination', () => {
  it('reads url, active, credential and csrfURL of a ConsumedDestination', () => {
    expect(resolveDestination(commerce.store, 'csrfDest')).toEqual({
      id: 'csrfDest',
      url: `${scpi.base}/gw/odata/SAP/REPLICATE;v=1/Products`,
      active: true,
      credential: { type: 'basic', username: 'scpiuser', password: 's3cret' },
      csrfUrl: `${scpi.base}/gw/odata/SAP/REPLICATE;v=1/`,
      additional: { csrfURL: `${scpi.base}/gw/odata/SAP/REPLICATE;v=1/` },
    });
    expect(resolveDestination(commerce.store, 'oauthDest')).toMatchObject({
      credential: { type: 'oauth', clientId: 'client1', clientSecret: 'secret1', tokenUrl: `${oauth.base}/oauth/token` },
    });
    expect(resolveDestination(commerce.store, 'nope')).toEqual({ error: "Destination 'nope' was not found" });
    expect(resolveDestination(commerce.store, 'certDest')).toEqual({ error: expect.stringContaining('ConsumedCertificateCredential') });
  });
});

describe('OutboundSender', () => {
  it('fetches a CSRF token with Basic auth, posts with token and cookies, and caches the token for 60 s', async () => {
    const s = sender();
    const result = await s.send('csrfDest', PAYLOAD, META);
    expect(result).toMatchObject({ ok: true, status: 201 });
    expect(scpi.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    const [fetchReq, post] = scpi.requests;
    expect(fetchReq!.url).toBe('/gw/odata/SAP/REPLICATE;v=1/');
    expect(fetchReq!.headers).toMatchObject({ 'x-csrf-token': 'Fetch', accept: 'application/json', authorization: SCPI_AUTH });
    expect(post!.url).toBe('/gw/odata/SAP/REPLICATE;v=1/Products');
    expect(post!.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: SCPI_AUTH,
      'x-csrf-token': 'tok-1',
      cookie: 'JSESSIONID=ab12; Path=/; HttpOnly; __VCAP_ID__=cd34; Path=/',
    });
    expect(JSON.parse(post!.body)).toEqual(PAYLOAD);
    const passport = post!.headers['sap-passport'] as string;
    expect(passport).toMatch(/^2A54482A0300E60000/);
    expect(passport).toHaveLength(460);
    expect(Buffer.from(passport, 'hex').toString('latin1')).toContain('SAP Commerce');

    const [rec] = records();
    expect(rec!.values).toMatchObject({
      status: 'SUCCESS',
      type: 'OutboundProduct',
      destination: `${scpi.base}/gw/odata/SAP/REPLICATE;v=1/Products`,
      integrationKey: 'Staged|Default|P1',
      messageId: post!.headers['x-outboundmonitoring-messageid'],
      sapPassport: passport,
      error: null,
    });
    expect(result.attempts).toEqual([expect.objectContaining({ status: 'SUCCESS', httpStatus: 201, sapPassport: passport })]);

    // Cached: the second send does not fetch again; after 60 s it does.
    await s.send('csrfDest', PAYLOAD, META);
    expect(scpi.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'POST']);
    clock += 61_000;
    await s.send('csrfDest', PAYLOAD, META);
    expect(scpi.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'POST', 'GET', 'POST']);
    expect(records().map((r) => r.values.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(new Set(records().map((r) => r.values.sapPassport)).size).toBe(3);
  });

  it('a 403 "X-CSRF-Token: Required" after the token rotated is an ERROR by default (cache not invalidated)', async () => {
    const s = sender();
    csrfToken = 'tok-A';
    await s.send('csrfDest', PAYLOAD, META);
    csrfToken = 'tok-B';
    const result = await s.send('csrfDest', PAYLOAD, META);
    expect(result).toMatchObject({ ok: false, status: 403 });
    expect(result.error).toContain('CSRF token validation failed');
    expect(records().map((r) => r.values.status)).toEqual(['SUCCESS', 'ERROR']);
    expect(scpi.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'POST']);
  });

  it('with csrfRefetchOn403, refetches the token once and resends (two attempts recorded)', async () => {
    const s = sender({ csrfRefetchOn403: true });
    csrfToken = 'tok-C';
    await s.send('csrfDest', PAYLOAD, META);
    csrfToken = 'tok-D';
    const result = await s.send('csrfDest', PAYLOAD, META);
    expect(result).toMatchObject({ ok: true, status: 201 });
    expect(result.attempts.map((a) => a.httpStatus)).toEqual([403, 201]);
    expect(scpi.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'POST', 'GET', 'POST']);
    expect(records().map((r) => r.values.status)).toEqual(['SUCCESS', 'ERROR', 'SUCCESS']);
    const [, first, second] = records();
    expect(first!.values.messageId).toBe(second!.values.messageId);
  });

  it('posts with Basic auth and no CSRF headers when no csrfURL is set', async () => {
    csrfToken = 'tok-1';
    const result = await sender().send('basicNoCsrf', PAYLOAD, META);
    // The SCPI stand-in insists on CSRF: a POST without it is refused.
    expect(result).toMatchObject({ ok: false, status: 403 });
    expect(scpi.requests).toHaveLength(1);
    expect(scpi.requests[0]!.headers.authorization).toBe(SCPI_AUTH);
    expect(scpi.requests[0]!.headers['x-csrf-token']).toBeUndefined();
  });

  it('fetches an OAuth token once (client credentials, Basic client auth), reuses it, refetches once expired', async () => {
    const s = sender();
    const before = tokenSerial;
    expect(await s.send('oauthDest', PAYLOAD, META)).toMatchObject({ ok: true, status: 200 });
    expect(await s.send('oauthDest', PAYLOAD, META)).toMatchObject({ ok: true, status: 200 });
    const tokenRequests = () => oauth.requests.filter((r) => r.url === '/oauth/token');
    expect(tokenRequests()).toHaveLength(1);
    expect(tokenRequests()[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenRequests()[0]!.body).toBe('grant_type=client_credentials');
    expect(oauth.requests.filter((r) => r.url === '/api/products').map((r) => r.headers.authorization)).toEqual([`Bearer at-${before + 1}`, `Bearer at-${before + 1}`]);
    clock += 3_601_000;
    expect(await s.send('oauthDest', PAYLOAD, META)).toMatchObject({ ok: true });
    expect(tokenRequests()).toHaveLength(2);
    expect(oauth.requests.at(-1)!.headers.authorization).toBe(`Bearer at-${before + 2}`);
    expect(records().map((r) => r.values.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
  });

  it('records a 500 as ERROR with the error body; a body over 1 KB is not read', async () => {
    const result = await sender().send('failing', PAYLOAD, META);
    expect(result).toMatchObject({ ok: false, status: 500 });
    expect(result.error).toBe('500 Internal Server Error: [{"error":{"message":"boom"}}]');
    const big = await sender().send('failingBig', PAYLOAD, META);
    expect(big.error).toBe('500 Internal Server Error: The error response message exceeded the allowed size.');
    expect(records().map((r) => [r.values.status, r.values.error])).toEqual([
      ['ERROR', result.error],
      ['ERROR', big.error],
    ]);
  });

  it('2005 accepts only 200/201; any 2xx with anySuccess', async () => {
    expect(await sender({ anySuccess: false }).send('noContent', PAYLOAD, META)).toMatchObject({ ok: false, status: 204 });
    expect(await sender({ anySuccess: true }).send('noContent', PAYLOAD, META)).toMatchObject({ ok: true, status: 204 });
    expect(records().map((r) => r.values.status)).toEqual(['ERROR', 'SUCCESS']);
  });

  it('times out a slow receiver', async () => {
    const result = await sender({ timeoutMs: 200 }).send('slow', PAYLOAD, META);
    expect(result).toMatchObject({ ok: false, error: 'Request timed out after 200 ms' });
    expect(records().map((r) => [r.values.status, r.values.error])).toEqual([['ERROR', 'Request timed out after 200 ms']]);
  });

  it.each([
    ['nope', "Destination 'nope' was not found", 'nope'],
    ['inactive', "Destination 'inactive' is not active", 'FAILING/fail'],
    ['badUrl', "Destination 'badUrl' has no valid http(s) URL: 'not a url'", 'not a url'],
    ['certDest', 'ConsumedCertificateCredential', 'certDest'],
    ['closed', 'I/O error on POST request for', 'CLOSED/x'],
  ])('%s: an ERROR record, no throw', async (id, error, destination) => {
    const result = await sender().send(id, PAYLOAD, META);
    expect(result.ok).toBe(false);
    expect(result.error).toContain(error);
    const [rec, ...rest] = records();
    expect(rest).toEqual([]);
    expect(rec!.values).toMatchObject({
      status: 'ERROR',
      destination: destination.replace('FAILING', failing.base).replace('CLOSED', closedPort),
      type: 'OutboundProduct',
      integrationKey: 'Staged|Default|P1',
    });
    expect(rec!.values.error).toContain(error);
  });

  it('builds a 230-byte passport carrying system id, service 39 and the transaction id', () => {
    const hex = buildSapPassport({ systemId: 'SAP Commerce', service: 39, user: 'admin', action: 'OutboundProduct', uuid: '0123456789abcdef0123456789abcdef' });
    const bytes = Buffer.from(hex, 'hex');
    expect(bytes).toHaveLength(230);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('*TH*');
    expect(bytes.subarray(-4).toString('latin1')).toBe('*TH*');
    expect(bytes.readUInt16BE(41)).toBe(39);
    expect(bytes.toString('latin1')).toContain('0123456789ABCDEF0123456789ABCDEF');
  });
});
