/**
 * One pure core, three adapters: the same definition answers identically (status, headers, bytes)
 * through the node:http server, the Express app and msw (a shared table of requests); the same seed
 * gives the same bytes and another seed other bytes; bad requests never crash it.
 */
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { http, passthrough } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThirdPartyApp, startThirdPartyServer, type RunningThirdParty } from '../../mock-third-party/app.js';
import { loadDefinitionFile, parseDefinition } from '../../mock-third-party/definition/loader.js';
import type { ThirdPartyDefinition } from '../../mock-third-party/definition/model.js';
import { createThirdParty, type ThirdParty } from '../../mock-third-party/engine/third-party.js';
import { thirdPartyHandlers } from '../../mock-third-party/msw.js';
import { manualClock, THIRD_PARTY_FIXTURES } from './helpers.js';

const MSW_BASE = 'https://api.thirdparty.example';
/** What a transport adds on its own; everything else must be the same bytes. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

interface Step {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Given the answers so far (JSON bodies), the body to send. */
  body?: (previous: unknown[]) => string | Buffer;
}

const json = (value: unknown): (() => string) => () => JSON.stringify(value);
const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };
const tokenOf = (previous: unknown[]): string => (previous[1] as { access_token: string }).access_token;
const purchase = (orderId: string, extra: Record<string, unknown> = {}) => (previous: unknown[]) =>
  JSON.stringify({ validate_data: true, platform: 'general', utoken: tokenOf(previous), order_id: orderId, email: 'jane@example.com', ...extra });

const TABLE: Step[] = [
  { name: 'admin health', method: 'GET', path: '/__sandbox/health' },
  {
    name: 'token (JSON)',
    method: 'POST',
    path: '/oauth/token',
    headers: JSON_HEADERS,
    body: json({ client_id: 'app-key', client_secret: 'app-secret', grant_type: 'client_credentials' }),
  },
  {
    name: 'token (form), wrong secret',
    method: 'POST',
    path: '/oauth/token',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: () => 'client_id=app-key&client_secret=nope&grant_type=client_credentials',
  },
  { name: 'purchase', method: 'POST', path: '/apps/KEY/purchases', headers: JSON_HEADERS, body: purchase('00001001') },
  { name: 'duplicate purchase (ignored)', method: 'POST', path: '/apps/KEY/purchases', headers: JSON_HEADERS, body: purchase('00001001') },
  {
    name: 'quirky purchase (silently ignored)',
    method: 'POST',
    path: '/apps/KEY/purchases',
    headers: JSON_HEADERS,
    body: purchase('00001002', { validate_data: 'true', platfom: 'general', platform: undefined }),
  },
  { name: 'purchase without token', method: 'POST', path: '/apps/KEY/purchases', headers: JSON_HEADERS, body: json({ order_id: 'x' }) },
  { name: 'bottom lines page 1', method: 'GET', path: '/v1/apps/KEY/bottom_lines?count=5&page=1&since_date=2025-01-01' },
  { name: 'bottom lines past the end', method: 'GET', path: '/v1/apps/KEY/bottom_lines?count=100&page=2' },
  { name: 'bad page', method: 'GET', path: '/v1/apps/KEY/bottom_lines?page=zero' },
  { name: 'near miss', method: 'GET', path: '/v1/apps/KEY/bottom_line?count=5' },
  { name: 'HEAD near miss', method: 'HEAD', path: '/v1/apps/KEY/bottom_lines' },
  { name: 'bad JSON', method: 'POST', path: '/apps/KEY/purchases', headers: JSON_HEADERS, body: () => '{"validate_data": tr' },
  { name: 'malformed escape', method: 'GET', path: '/v1/apps/%ZZ/bottom_lines' },
  { name: 'encoded slash', method: 'GET', path: '/v1/apps/a%2Fb/bottom_lines?count=1' },
  { name: 'unicode path', method: 'GET', path: '/%E2%9C%93/%F0%9F%98%80' },
  { name: 'admin verify ok', method: 'POST', path: '/__sandbox/verify', headers: JSON_HEADERS, body: json({ pattern: { route: 'create-purchase' }, count: 2 }) },
  { name: 'admin verify fails', method: 'POST', path: '/__sandbox/verify', headers: JSON_HEADERS, body: json({ pattern: { method: 'PUT' } }) },
  { name: 'admin clear journal', method: 'DELETE', path: '/__sandbox/requests' },
];

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function runTable(base: string): Promise<Answer[]> {
  const answers: Answer[] = [];
  const bodies: unknown[] = [];
  for (const step of TABLE) {
    const body = step.body?.(bodies);
    const res = await fetch(`${base}${step.path}`, { method: step.method, headers: step.headers ?? {}, ...(body !== undefined ? { body } : {}) });
    const raw = Buffer.from(await res.arrayBuffer());
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (!TRANSPORT_HEADERS.has(name)) headers[name] = value;
    });
    if (step.method !== 'HEAD' && res.status !== 204) expect(headers['content-length'], step.name).toBe(String(raw.length));
    const text = raw.toString('utf8');
    answers.push({ status: res.status, headers, body: text });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    bodies.push(parsed);
  }
  return answers;
}

describe('adapters answer alike', () => {
  const definition = loadDefinitionFile(join(THIRD_PARTY_FIXTURES, 'reviews.yaml'));
  const fresh = (): ThirdParty => createThirdParty(definition, { now: manualClock().now });
  let node: RunningThirdParty;
  let expressServer: Server;
  let expressUrl: string;
  let msw: SetupServer;
  const mswThirdParty = fresh();

  beforeAll(async () => {
    node = await startThirdPartyServer(fresh());
    expressServer = createThirdPartyApp(fresh()).listen(0, '127.0.0.1');
    await new Promise((resolve) => expressServer.once('listening', resolve));
    expressUrl = `http://127.0.0.1:${(expressServer.address() as AddressInfo).port.toString()}`;
    msw = setupServer(
      ...thirdPartyHandlers({ thirdParty: mswThirdParty, baseUrl: MSW_BASE }),
      http.all(({ request }) => new URL(request.url).hostname === '127.0.0.1', () => passthrough()),
    );
    msw.listen({ onUnhandledRequest: 'error' });
  });
  afterAll(async () => {
    msw.close();
    await node.close();
    await new Promise((resolve) => expressServer.close(resolve));
  });

  it('the node:http server, Express and msw give the same status, headers and bytes for every step', async () => {
    const viaNode = await runTable(node.url);
    const viaExpress = await runTable(expressUrl);
    const viaMsw = await runTable(MSW_BASE);
    TABLE.forEach((step, i) => {
      expect(viaExpress[i], `express: ${step.name}`).toEqual(viaNode[i]);
      expect(viaMsw[i], `msw: ${step.name}`).toEqual(viaNode[i]);
    });
    // What the table exercised, so an empty answer cannot pass by accident.
    expect(viaNode.map((a) => a.status)).toEqual([200, 200, 401, 200, 200, 200, 401, 200, 200, 400, 404, 404, 401, 200, 200, 404, 200, 409, 204]);
    expect(JSON.parse(viaNode[7]?.body ?? '')).toMatchObject({ response: { page: '1', per_page: '5', bottomlines: [{ domain_key: 'yotpo_site_reviews' }, {}, {}, {}, {}] } });
    expect(JSON.parse(viaNode[8]?.body ?? '')).toMatchObject({ response: { bottomlines: [] } });
    expect(viaNode[11]?.body).toBe('');
    // The purchase was stored once, the quirky one not at all.
    expect(mswThirdParty.items('purchases').map((p) => p.order_id)).toEqual(['00001001']);
  });

  it('msw rejects base URLs with a path', () => {
    expect(() => thirdPartyHandlers({ thirdParty: mswThirdParty, baseUrl: 'https://api.example.com/v1' })).toThrow(/without a path/);
    expect(() => thirdPartyHandlers({ thirdParty: mswThirdParty, baseUrl: 'ftp://api.example.com' })).toThrow(/http\(s\)/);
  });
});

describe('determinism', () => {
  const text = (seed: number): ThirdPartyDefinition =>
    parseDefinition(`name: seeded
seed: ${seed.toString()}
auth: {type: oauth2, clients: [{id: a, secret: b}]}
collections:
  people:
    idStrategy: uuid
    generate: {count: 5, item: {name: "{{faker 'person.fullName'}}", city: "{{faker 'location.city'}}"}}
routes:
  - {method: GET, path: /people, auth: none, action: {collection: people, op: list}}
  - {method: POST, path: /people, action: {collection: people, op: create}}
  - {method: GET, path: /fake, auth: none, response: {body: {n: "{{faker 'number.int'}}", s: "{{faker 'lorem.sentence'}}", at: "{{now}}"}}}
`);

  async function bytes(definition: ThirdPartyDefinition): Promise<string[]> {
    const server = await startThirdPartyServer(definition, { now: manualClock().now });
    try {
      const out: string[] = [];
      const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<string> => {
        const res = await fetch(`${server.url}${path}`, {
          method,
          headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const t = await res.text();
        out.push(`${res.status.toString()} ${t}`);
        return t;
      };
      const token = (JSON.parse(await send('POST', '/oauth/token', { client_id: 'a', client_secret: 'b', grant_type: 'client_credentials' })) as { access_token: string }).access_token;
      await send('GET', '/people');
      await send('POST', '/people', { name: 'New' }, { Authorization: `Bearer ${token}` });
      await send('GET', '/fake');
      await send('GET', '/fake');
      await send('GET', '/people');
      return out;
    } finally {
      await server.close();
    }
  }

  it('the same seed gives the same bytes; another seed other bytes', async () => {
    const a = await bytes(text(42));
    const b = await bytes(text(42));
    const c = await bytes(text(43));
    expect(b).toEqual(a);
    a.forEach((answer, i) => {
      // The create echoes the request and the clock-only answer is the same; everything generated differs.
      if (![2].includes(i)) expect(c[i], `answer ${i.toString()}`).not.toEqual(answer);
    });
  });
});

describe('bad requests never crash it', () => {
  let server: RunningThirdParty;
  beforeAll(async () => {
    server = await startThirdPartyServer(loadDefinitionFile(join(THIRD_PARTY_FIXTURES, 'reviews.yaml')));
  });
  afterAll(() => server.close());

  const send = (method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });

  it('bad JSON, binary bodies, huge bodies, deep nesting', async () => {
    expect((await send('POST', '/oauth/token', '{"client_id":', { 'Content-Type': 'application/json' })).status).toBe(400);
    expect((await send('POST', '/oauth/token', Buffer.from([0xff, 0xfe, 0x00, 0x01]), { 'Content-Type': 'application/json' })).status).toBe(400);
    const huge = await send('POST', '/apps/K/purchases', Buffer.alloc(11 * 1024 * 1024, 0x61), { 'Content-Type': 'application/json' });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: 'payload_too_large' });
    const deep = '['.repeat(20000) + ']'.repeat(20000);
    expect([400, 401, 404]).toContain((await send('POST', '/apps/K/purchases', deep, { 'Content-Type': 'application/json' })).status);
    expect((await send('POST', '/__sandbox/verify', deep, { 'Content-Type': 'application/json' })).status).toBe(400);
  });

  it('weird paths, queries, methods and headers', async () => {
    const paths = [
      '/',
      '//',
      '/%',
      '/%ZZ',
      '/a%00b',
      '/..%2F..%2Fetc%2Fpasswd',
      `/${'x'.repeat(20000)}`,
      '/v1/apps/%E0%A4%A/bottom_lines',
      '/v1/apps/K/bottom_lines?page=%ZZ&count=%',
      '/v1/apps/K/bottom_lines?page=1&page=2&count=999999999999999999999',
      '/__sandbox',
      '/__sandbox/requests?path=%7B&status=999',
      '/__sandbox/requests?path=%2F%7Bx',
      '/*',
    ];
    for (const path of paths) {
      const res = await send('GET', path);
      expect(res.status, path).toBeGreaterThanOrEqual(200);
      expect(res.status, path).toBeLessThan(500);
      await res.arrayBuffer();
    }
    // (Methods node's parser does not know are refused by node itself, with 400.)
    for (const method of ['PROPFIND', 'OPTIONS', 'PATCH', 'PURGE']) {
      const res = await send(method, '/apps/K/purchases');
      expect(res.status, method).toBe(404);
      await res.arrayBuffer();
    }
    const odd = await send('GET', '/v1/apps/K/bottom_lines', undefined, { 'X-Weird': 'ä\u00ff', Authorization: 'Bearer', 'Content-Type': ';;;' });
    expect(odd.status).toBe(200);
    expect((await fetch(`${server.url}/__sandbox/health`)).status).toBe(200);
  });
});

describe('HTTPS', () => {
  it('serves over HTTPS with a self-signed certificate', async () => {
    const server = await startThirdPartyServer(parseDefinition('name: tls\nroutes: [{method: GET, path: /ping, response: {body: pong}}]\n'), { https: true });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(`${server.url}/ping`, { rejectUnauthorized: false }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(answer).toEqual({ status: 200, body: 'pong' });
    } finally {
      await server.close();
    }
  });
});
