/**
 * Outbound end to end (spec §11–§13; help B-150 … B-176), over real HTTP on ephemeral ports: orders are
 * created and changed through the inbound API (`OrderCapture`), the outbound sync cron job is run through
 * the admin API or a Trigger on the sandbox clock, and a receiver that behaves like an SCPI OData sender
 * endpoint (Basic or OAuth, CSRF handshake bound to session cookies) records what Commerce sent.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../mock-commerce/app.js';
import type { Commerce } from '../../mock-commerce/commerce.js';
import { importImpex } from '../../mock-commerce/impex/import.js';
import { parseImpex } from '../../mock-commerce/impex/parse.js';
import type { LoadOptions } from '../../mock-commerce/project.js';
import type { Item } from '../../mock-commerce/store/store.js';
import { packageRoot } from '../../mock-commerce/util/package-root.js';
import { basic } from '../helpers/commerce.js';
import { Receiver, type ReceiverOptions, SERVICE_PATH } from '../helpers/receiver.js';
import { PASSWORD, USERS, importProject, serveDemoWithUsers } from '../monitoring/helpers.js';

/** The sandbox's base clock in these tests: fixed, so only `/__sandbox/clock` moves time. */
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const CAPTURE = join(packageRoot(), 'scenarios', 'catalog', 'impex', 'order-capture.impex');
const INTEGRATION_USER = basic('integrationuser', 'sandbox');
const CHANNEL = 'scpiOrdersChannel';
const CRON_JOB = `${CHANNEL}CronJob`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Sandbox {
  commerce: Commerce;
  server: RunningServer;
  receiver: Receiver;
}

interface SetupOptions {
  receiver?: ReceiverOptions;
  /** Destination credential: scpiBasic (default), scpiOAuth or none. */
  credential?: 'scpiBasic' | 'scpiOAuth' | '';
  csrf?: boolean;
  load?: Omit<LoadOptions, 'projectDir'>;
  /** Extra ImpEx after the channel (e.g. triggers, webhooks); `${url}` is the receiver's base URL. */
  impex?: (url: string) => string;
}

function impex(commerce: Commerce, text: string, name = 'e2e.impex'): void {
  const report = importImpex(parseImpex(text, name), commerce.store);
  expect(report.errors).toEqual([]);
  commerce.accessRights.addBlocks(report.userRights, name);
}

/**
 * The demo Commerce (with the monitoring users), the OrderCapture inbound IO, and an autoGenerate
 * channel for the outbound `Orders` IO to a destination on the receiver.
 */
async function setup(options: SetupOptions = {}): Promise<Sandbox> {
  const receiver = await Receiver.start(options.receiver ?? { basic: { username: 'scpiuser', password: 's3cret' } });
  const { commerce, server } = await serveDemoWithUsers({ clock: () => T0, ...options.load });
  impex(commerce, readFileSync(CAPTURE, 'utf8'), CAPTURE);
  const url = receiver.url;
  const credential = options.credential ?? 'scpiBasic';
  const csrf = options.csrf ?? true;
  impex(
    commerce,
    `INSERT_UPDATE DestinationTarget; id[unique=true]
; scpi
INSERT_UPDATE Endpoint; id[unique=true]; version[unique=true]; name
; scpiEndpoint ; v1 ; SCPI
INSERT_UPDATE BasicCredential; id[unique=true]; username; password
; scpiBasic ; scpiuser ; s3cret
INSERT_UPDATE ConsumedOAuthCredential; id[unique=true]; clientId; clientSecret; oAuthUrl
; scpiOAuth ; client1 ; secret1 ; ${url}/oauth/token
INSERT_UPDATE ConsumedDestination; id[unique=true]; url; active; endpoint(id,version); destinationTarget(id)[unique=true]; credential(id); additionalProperties[map-delimiter=|]
; scpiOrders ; "${url}${SERVICE_PATH}/Orders" ; true ; scpiEndpoint:v1 ; scpi ; ${credential} ; ${csrf ? `"csrfURL->${url}${SERVICE_PATH}/"` : ''}
INSERT_UPDATE OutboundChannelConfiguration; code[unique=true]; integrationObject(code); destination(id); autoGenerate
; ${CHANNEL} ; Orders ; scpiOrders ; true
${options.impex?.(url) ?? ''}`,
  );
  return { commerce, server, receiver };
}

async function teardown(sandbox: Sandbox | undefined): Promise<void> {
  if (!sandbox) return;
  sandbox.commerce.outbound.close();
  await Promise.all([sandbox.server.close(), sandbox.receiver.close()]);
}

function orderBody(code: string, entry: { basePrice?: string; quantity?: string } = {}): Record<string, unknown> {
  return {
    code,
    date: '/Date(1581351192100)/',
    currency: { isocode: 'USD' },
    user: { uid: 'jane@example.com' },
    entries: [
      {
        entryNumber: 0,
        quantity: entry.quantity ?? '2',
        basePrice: entry.basePrice ?? '10.5',
        unit: { code: 'pieces' },
        product: { code: 'P-1', catalogVersion: { version: 'Online', catalog: { id: 'sandboxProductCatalog' } } },
      },
    ],
  };
}

async function inbound(server: RunningServer, method: string, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(`${server.url}/odata2webservices/OrderCapture/${path}`, {
    method,
    headers: { Authorization: INTEGRATION_USER, 'Content-Type': 'application/json', Accept: 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return res;
}

async function createOrder(server: RunningServer, code: string, entry: { basePrice?: string; quantity?: string } = {}): Promise<void> {
  const res = await inbound(server, 'POST', 'Orders', orderBody(code, entry));
  expect(res.status, await res.clone().text()).toBe(201);
}

async function setEntryPrice(server: RunningServer, order: string, basePrice: string): Promise<void> {
  const res = await inbound(server, 'PATCH', `OrderEntries('${encodeURIComponent(`0|${order}`)}')`, { basePrice });
  expect(res.status, await res.clone().text()).toBe(200);
}

interface CronRun {
  code: string;
  type: string;
  status: string;
  result: string;
  startTime: string;
  endTime: string;
  details: { sent: number; failed: number; items: { integrationKey: string; method: string; ok: boolean; status?: number; error?: string }[]; warnings: string[] };
}

async function perform(server: RunningServer, code = CRON_JOB): Promise<CronRun> {
  const res = await fetch(`${server.url}/__sandbox/cronjobs/${encodeURIComponent(code)}/perform`, { method: 'POST' });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  return (await res.json()) as CronRun;
}

async function moveClock(server: RunningServer, body: unknown): Promise<{ now: string; fired: { label: string; result?: unknown; error?: string }[] }> {
  const res = await fetch(`${server.url}/__sandbox/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as { now: string; fired: { label: string; result?: unknown; error?: string }[] };
}

interface OutboundRequestEntity {
  status: { code: string };
  messageId: string;
  sapPassport: string;
  requestIntegrationKey: string;
  destination: string;
  type: string;
  error: string | null;
}

/** OutboundRequests read through the OutboundIntegrationMonitoring service, as a monitoring user would. */
async function outboundRequests(server: RunningServer): Promise<OutboundRequestEntity[]> {
  const res = await fetch(`${server.url}/odata2webservices/OutboundIntegrationMonitoring/OutboundRequests?$expand=status&$top=100`, {
    headers: { Authorization: basic('monitor-admin', PASSWORD), Accept: 'application/json' },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { d: { results: OutboundRequestEntity[] } }).d.results;
}

/** Sets (or, with null, removes) a stream's where clause. */
function setWhere(commerce: Commerce, stream: string, whereClause: string | null): void {
  const item = commerce.store.find('OutboundSyncStreamConfiguration', { streamId: `${CHANNEL}_${stream}_Stream` })[0];
  if (!item) throw new Error(`no stream ${stream}`);
  commerce.store.update(item.pk, { whereClause });
}

function retries(commerce: Commerce): Item[] {
  return [...commerce.store.all('OutboundSyncRetry')];
}

function jsonBody(body: string): unknown {
  return JSON.parse(body) as unknown;
}

/** What the §11.3 example becomes for an OrderCapture order of the demo's P-1 (see payload.test.ts). */
function expectedPayload(code: string, basePrice: number): Record<string, unknown> {
  const catalogVersion = { version: 'Online', catalog: { id: 'sandboxProductCatalog', integrationKey: 'sandboxProductCatalog' }, integrationKey: 'Online|sandboxProductCatalog' };
  return {
    date: '/Date(1581351192100)/',
    code,
    currency: { isocode: 'USD', integrationKey: 'USD' },
    user: { uid: 'jane@example.com', name: 'Jane Doe', integrationKey: 'jane%40example.com' },
    entries: [
      {
        entryNumber: 0,
        basePrice,
        order: { code },
        product: {
          description: 'A compact camera',
          code: 'P-1',
          name: 'Camera',
          catalogVersion,
          picture: { URL: '/medias/camera.jpg', code: 'camera-picture', catalogVersion, integrationKey: 'Online|sandboxProductCatalog|camera-picture' },
          integrationKey: 'Online|sandboxProductCatalog|P-1',
          localizedAttributes: [{ language: 'en', description: 'A compact camera', name: 'Camera' }],
        },
        integrationKey: `0|${code}`,
      },
    ],
    integrationKey: code,
  };
}

describe('outbound sync to a CSRF-protected SCPI endpoint with Basic auth', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(() => teardown(s));

  it('sends an order created through the inbound API once, with the headers, token, cookies and §11.3 payload; the OutboundRequest reads SUCCESS', async () => {
    const { server, receiver } = s;
    await createOrder(server, 'E2E-1');
    expect(receiver.requests).toEqual([]); // nothing is sent before the cron job runs

    const run = await perform(server);
    expect(run).toEqual({
      code: CRON_JOB,
      type: 'OutboundSyncCronJob',
      status: 'FINISHED',
      result: 'SUCCESS',
      startTime: new Date(T0).toISOString(),
      endTime: new Date(T0).toISOString(),
      details: { sent: 1, failed: 0, items: [{ integrationKey: 'E2E-1', method: 'POST', ok: true, status: 201 }], warnings: [] },
    });

    // 1. the CSRF fetch, with the destination's credentials
    const [fetchCall, ...others] = receiver.requests;
    expect(fetchCall).toMatchObject({ method: 'GET', url: `${SERVICE_PATH}/` });
    expect(fetchCall!.headers).toMatchObject({ 'x-csrf-token': 'Fetch', accept: 'application/json', authorization: basic('scpiuser', 's3cret') });
    // 2. one POST, which the receiver accepted only with the token and the session cookies it issued
    expect(others).toHaveLength(1);
    const post = others[0]!;
    expect(post.method).toBe('POST');
    expect(post.url).toBe(`${SERVICE_PATH}/Orders`);
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.headers.accept).toBe('application/json');
    expect(post.headers.authorization).toBe(basic('scpiuser', 's3cret'));
    expect(post.headers['x-csrf-token']).toMatch(/^[0-9a-f]{32}$/);
    expect(post.headers.cookie).toMatch(/^JSESSIONID=[0-9a-f-]{36}; Path=\/; Secure; HttpOnly; __VCAP_ID__=[0-9a-f]{8}; Path=\/$/);
    expect(post.headers['sap-passport']).toMatch(/^2A54482A03[0-9A-F]+$/);
    expect(post.headers['x-outboundmonitoring-messageid']).toMatch(UUID);

    // 3. the payload, member for member and in order
    const payload = jsonBody(post.body) as Record<string, unknown>;
    expect(payload).toEqual(expectedPayload('E2E-1', 10.5));
    expect(Object.keys(payload)).toEqual(['date', 'code', 'currency', 'user', 'entries', 'integrationKey']);

    // 4. the monitoring record, read as a monitoring user reads it
    const [record, ...moreRecords] = await outboundRequests(server);
    expect(moreRecords).toEqual([]);
    expect(record).toMatchObject({
      status: { code: 'SUCCESS' },
      type: 'Orders',
      requestIntegrationKey: 'E2E-1',
      destination: `${receiver.url}${SERVICE_PATH}/Orders`,
      messageId: post.headers['x-outboundmonitoring-messageid'],
      sapPassport: post.headers['sap-passport'],
      error: null,
    });

    // 5. nothing changed: the next run sends nothing
    expect((await perform(server)).details).toEqual({ sent: 0, failed: 0, items: [], warnings: [] });
    expect(receiver.dataCalls()).toHaveLength(1);
  });

  it('re-sends the root order when one of its entries changes, reusing the cached CSRF token', async () => {
    const { server, receiver } = s;
    await createOrder(server, 'E2E-2');
    await perform(server);
    const before = receiver.dataCalls().length;
    await setEntryPrice(server, 'E2E-2', '42');
    const run = await perform(server);
    expect(run.details.items).toEqual([{ integrationKey: 'E2E-2', method: 'POST', ok: true, status: 201 }]);
    const calls = receiver.dataCalls();
    expect(calls).toHaveLength(before + 1);
    expect(jsonBody(calls.at(-1)!.body)).toEqual(expectedPayload('E2E-2', 42));
    expect(receiver.csrfFetches()).toHaveLength(1); // within the 60 s cache
  });

  it('refetches the CSRF token once the 60 s cache has expired on the sandbox clock', async () => {
    const { server, receiver } = s;
    await moveClock(server, { advance: '61s' });
    await createOrder(server, 'E2E-3');
    expect((await perform(server)).result).toBe('SUCCESS');
    expect(receiver.csrfFetches()).toHaveLength(2);
  });

  it('sends only items inside the streams where clauses', async () => {
    const { commerce, server, receiver } = s;
    impex(
      commerce,
      `INSERT_UPDATE OutboundSyncStreamConfiguration; streamId[unique = true]; whereClause
; ${CHANNEL}_Order_Stream      ; "{code} LIKE 'KEEP-%'"
; ${CHANNEL}_OrderEntry_Stream ; "{item.quantity} > 1 AND {basePrice} IS NOT NULL"
`,
    );
    try {
      const before = receiver.dataCalls().length;
      await createOrder(server, 'KEEP-1', { quantity: '2' });
      await createOrder(server, 'SKIP-1', { quantity: '1' });
      const run = await perform(server);
      expect(run.details.items.map((i) => i.integrationKey)).toEqual(['KEEP-1']);
      expect(receiver.dataCalls().slice(before).map((c) => (jsonBody(c.body) as { code: string }).code)).toEqual(['KEEP-1']);
      // the skipped order's changes were consumed: without the clauses, it is not sent later either
      setWhere(commerce, 'Order', null);
      setWhere(commerce, 'OrderEntry', null);
      expect((await perform(server)).details.sent).toBe(0);
    } finally {
      setWhere(commerce, 'Order', null);
      setWhere(commerce, 'OrderEntry', null);
    }
  });

  it('reports a where clause outside the supported subset and skips the stream without consuming', async () => {
    const { commerce, server } = s;
    setWhere(commerce, 'Order', "{code} = 'A' OR {code} = 'B'");
    await createOrder(server, 'E2E-OR');
    const run = await perform(server);
    expect(run.details.warnings).toEqual([expect.stringMatching(/^Stream 'scpiOrdersChannel_Order_Stream': whereClause .* is not supported \(OR is not supported\); stream skipped$/)]);
    // the entry stream still routes the new entry to its order
    expect(run.details.items.map((i) => i.integrationKey)).toEqual(['E2E-OR']);
    setWhere(commerce, 'Order', null);
    // the order's own change was kept while its stream was skipped: sent (again) now
    expect((await perform(server)).details.items.map((i) => i.integrationKey)).toEqual(['E2E-OR']);
  });

  it('runs the cron job from a Trigger when the sandbox clock reaches its Quartz cron expression', async () => {
    const { commerce, server, receiver } = s;
    impex(commerce, `INSERT_UPDATE Trigger; cronJob(code)[unique = true]; cronExpression; active\n; ${CRON_JOB} ; 0 0/5 * * * ? ; true\n`);
    try {
      await createOrder(server, 'E2E-T1');
      const before = receiver.dataCalls().length;
      const clock = (await (await fetch(`${server.url}/__sandbox/clock`)).json()) as { now: string; timers: { label: string; at: string }[] };
      const next = clock.timers.find((t) => t.label.startsWith(`trigger ${CRON_JOB}`));
      expect(next).toBeDefined();
      const wait = Date.parse(next!.at) - Date.parse(clock.now);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(5 * 60_000);

      const early = await moveClock(server, { advance: wait - 1000 });
      expect(early.fired).toEqual([]);
      expect(receiver.dataCalls()).toHaveLength(before);

      const due = await moveClock(server, { advance: '1s' });
      expect(due.fired).toEqual([
        expect.objectContaining({ label: `trigger ${CRON_JOB} '0 0/5 * * * ?'`, result: expect.objectContaining({ code: CRON_JOB, result: 'SUCCESS', details: expect.objectContaining({ sent: 1 }) }) }),
      ]);
      expect(receiver.dataCalls()).toHaveLength(before + 1);
      expect((jsonBody(receiver.dataCalls().at(-1)!.body) as { code: string }).code).toBe('E2E-T1');

      // an hour later: fires once (Quartz misfire "fire once now"), nothing changed so nothing sent
      const later = await moveClock(server, { advance: '1h' });
      expect(later.fired).toHaveLength(1);
      expect(receiver.dataCalls()).toHaveLength(before + 1);
    } finally {
      impex(commerce, `REMOVE Trigger; cronJob(code)[unique = true]\n; ${CRON_JOB}\n`);
    }
    expect(commerce.time.pending().filter((t) => t.label.startsWith('trigger'))).toEqual([]);
  });
});

describe('a receiver answering 500, then recovering', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(() => teardown(s));

  it('records ERROR, retries on each later run until reachedMaxRetries after 5 sends, then waits for the next change', async () => {
    const { commerce, server, receiver } = s;
    receiver.status = 500;
    await createOrder(server, 'E2E-500');
    for (let attempt = 1; attempt <= 5; attempt++) {
      const run = await perform(server);
      expect(run.result).toBe('ERROR');
      expect(run.details).toMatchObject({ sent: 0, failed: 1, items: [{ integrationKey: 'E2E-500', ok: false, status: 500, error: expect.stringContaining('500') }] });
      expect(retries(commerce).map((r) => r.values)).toEqual([
        expect.objectContaining({ syncAttempts: attempt, remainingSyncAttempts: 5 - attempt, reachedMaxRetries: attempt === 5 }),
      ]);
    }
    expect(receiver.dataCalls()).toHaveLength(5);
    const records = await outboundRequests(server);
    expect(records).toHaveLength(5);
    expect(records.every((r) => r.status.code === 'ERROR' && r.requestIntegrationKey === 'E2E-500' && /500/.test(r.error ?? ''))).toBe(true);
    expect(new Set(records.map((r) => r.messageId)).size).toBe(5);

    // given up: later runs send nothing
    expect((await perform(server)).details).toMatchObject({ sent: 0, failed: 0, items: [] });
    expect(receiver.dataCalls()).toHaveLength(5);

    // a change makes it eligible again; the retry count starts over
    await setEntryPrice(server, 'E2E-500', '11');
    expect((await perform(server)).details.failed).toBe(1);
    expect(retries(commerce)[0]!.values).toMatchObject({ syncAttempts: 1, remainingSyncAttempts: 4, reachedMaxRetries: false });

    receiver.status = 201;
    const recovered = await perform(server);
    expect(recovered).toMatchObject({ result: 'SUCCESS', details: { sent: 1, failed: 0 } });
    expect(retries(commerce)).toEqual([]);
    expect(receiver.dataCalls()).toHaveLength(7);
    expect((await outboundRequests(server)).filter((r) => r.status.code === 'SUCCESS')).toHaveLength(1);
  });
});

describe('a receiver slower than the outbound timeout', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await setup({ load: { properties: { 'sandbox.outbound.timeout.ms': '300' } } });
  });
  afterAll(() => teardown(s));

  it('records ERROR "Request timed out after 300 ms" and keeps the change for the next run', async () => {
    const { commerce, server, receiver } = s;
    receiver.delayMs = 1500;
    await createOrder(server, 'E2E-SLOW');
    const started = Date.now();
    const run = await perform(server);
    expect(Date.now() - started).toBeLessThan(1400);
    expect(run).toMatchObject({ result: 'ERROR', details: { failed: 1, items: [{ integrationKey: 'E2E-SLOW', ok: false, error: 'Request timed out after 300 ms' }] } });
    expect((await outboundRequests(server)).map((r) => [r.status.code, r.error])).toEqual([['ERROR', 'Request timed out after 300 ms']]);
    expect(retries(commerce)).toHaveLength(1);
    receiver.delayMs = 0;
    expect((await perform(server)).details.sent).toBe(1);
  });
});

describe('an OAuth destination', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await setup({ receiver: { oauth: { clientId: 'client1', clientSecret: 'secret1', expiresIn: 120 } }, credential: 'scpiOAuth' });
  });
  afterAll(() => teardown(s));

  it('fetches the token once and reuses it; refetches it after it expired on the sandbox clock', async () => {
    const { server, receiver } = s;
    await createOrder(server, 'E2E-OA1');
    expect((await perform(server)).result).toBe('SUCCESS');
    await createOrder(server, 'E2E-OA2');
    expect((await perform(server)).result).toBe('SUCCESS');
    expect(receiver.tokensIssued).toBe(1);
    const tokenCalls = receiver.requests.filter((r) => r.url === '/oauth/token');
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]!.body).toBe('grant_type=client_credentials');
    const bearers = receiver.dataCalls().map((c) => c.headers.authorization);
    expect(bearers).toHaveLength(2);
    expect(bearers[0]).toMatch(/^Bearer [0-9a-f-]{36}$/);
    expect(bearers[1]).toBe(bearers[0]);
    // the CSRF fetch carries the bearer token too
    expect(receiver.csrfFetches()[0]!.headers.authorization).toBe(bearers[0]);

    await moveClock(server, { advance: '121s' });
    await createOrder(server, 'E2E-OA3');
    expect((await perform(server)).result).toBe('SUCCESS');
    expect(receiver.tokensIssued).toBe(2);
    const third = receiver.dataCalls()[2]!.headers.authorization;
    expect(third).toMatch(/^Bearer /);
    expect(third).not.toBe(bearers[0]);
  });

  it('records ERROR when the token endpoint rejects the client, and sends nothing', async () => {
    const { commerce, server, receiver } = s;
    impex(commerce, 'INSERT_UPDATE ConsumedOAuthCredential; id[unique=true]; clientSecret\n; scpiOAuth ; wrong\n');
    commerce.outbound.sender.clearCaches();
    const calls = receiver.dataCalls().length;
    await createOrder(server, 'E2E-OA4');
    const run = await perform(server);
    expect(run.details.items).toEqual([
      { integrationKey: 'E2E-OA4', method: 'POST', ok: false, error: expect.stringMatching(/^Failed to obtain an OAuth access token from http:\/\/127\.0\.0\.1:\d+\/oauth\/token: 401/) },
    ]);
    expect(receiver.dataCalls()).toHaveLength(calls);
  });
});

describe('delete synchronisation (opt-in, 2105+)', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(() => teardown(s));

  it('ignores deletes by default and sends DELETE {url}(key) for a deleted root once synchronizeDelete is on', async () => {
    const { commerce, server, receiver } = s;
    await createOrder(server, 'DEL-1');
    await createOrder(server, 'DEL-2');
    await perform(server);
    const before = receiver.dataCalls().length;

    expect((await inbound(server, 'DELETE', `Orders('DEL-1')`)).status).toBe(200);
    expect((await perform(server)).details).toMatchObject({ sent: 0, items: [] });
    expect(receiver.dataCalls()).toHaveLength(before);

    impex(commerce, `INSERT_UPDATE OutboundChannelConfiguration; code[unique=true]; synchronizeDelete\n; ${CHANNEL} ; true\n`);
    expect((await inbound(server, 'DELETE', `Orders('DEL-2')`)).status).toBe(200);
    const run = await perform(server);
    expect(run.details.items).toEqual([{ integrationKey: 'DEL-2', method: 'DELETE', ok: true, status: 201 }]);
    const call = receiver.dataCalls().at(-1)!;
    expect(call.method).toBe('DELETE');
    expect(call.url).toBe(`${SERVICE_PATH}/Orders('DEL-2')`);
    expect(call.body).toBe('');
    expect(call.headers['content-type']).toBeUndefined();
    expect(call.headers['x-csrf-token']).toMatch(/^[0-9a-f]{32}$/);
    const record = (await outboundRequests(server)).at(-1)!;
    expect(record).toMatchObject({ status: { code: 'SUCCESS' }, requestIntegrationKey: 'DEL-2' });
  });
});

describe('webhooks', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await setup({
      receiver: { basic: { username: 'scpiuser', password: 's3cret' }, csrf: false },
      csrf: false,
      impex: (url) => `INSERT_UPDATE ConsumedDestination; id[unique=true]; url; active; endpoint(id,version); destinationTarget(id)[unique=true]; credential(id)
; webhookOrders ; "${url}${SERVICE_PATH}/Webhooks" ; true ; scpiEndpoint:v1 ; scpi ; scpiBasic
INSERT_UPDATE WebhookConfiguration; integrationObject(code)[unique = true]; destination(id)[unique = true]; filterLocation
; Orders ; webhookOrders ; model://notIgnored
`,
    });
    s.commerce.webhookFilters.set('notIgnored', ({ item }) => !String(item.values.code).startsWith('IGNORED-'));
  });
  afterAll(() => teardown(s));
  afterEach(async () => {
    s.receiver.status = 201;
    await s.commerce.outbound.webhooks.idle();
    await moveClock(s.server, { advance: '1m' }); // let any pending retry run out
  });

  const webhookCalls = () => s.receiver.dataCalls().filter((c) => c.url === `${SERVICE_PATH}/Webhooks`);

  it('posts the payload with CloudEvents headers for a create, and for an update of a child routed to the root', async () => {
    const { commerce, server } = s;
    await createOrder(server, 'WH-1');
    await commerce.outbound.webhooks.idle();
    const [created, ...rest] = webhookCalls();
    expect(rest).toEqual([]); // the order and its entry, saved together: one event
    const now = commerce.time.now();
    expect(created!.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: basic('scpiuser', 's3cret'),
      'ce-type': 'sap.cx.commerce.Orders.Created.v1',
      'ce-subject': 'WH-1',
      'ce-specversion': '1.0',
      'ce-source': `/ccv2Region/sap.cx.commerce/${hostname()}`,
      'ce-time': new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    expect(created!.headers['ce-id']).toMatch(UUID);
    expect(created!.headers['ce-sappassport']).toBe(created!.headers['sap-passport']);
    expect(jsonBody(created!.body)).toEqual(expectedPayload('WH-1', 10.5));

    await setEntryPrice(server, 'WH-1', '12');
    await commerce.outbound.webhooks.idle();
    const updated = webhookCalls()[1]!;
    expect(updated.headers['ce-type']).toBe('sap.cx.commerce.Orders.Updated.v1');
    expect(updated.headers['ce-subject']).toBe('WH-1');
    expect(updated.headers['ce-id']).not.toBe(created!.headers['ce-id']);
    expect(jsonBody(updated.body)).toEqual(expectedPayload('WH-1', 12));
    // the webhook sends are monitored like outbound sync's
    expect((await outboundRequests(server)).filter((r) => r.requestIntegrationKey === 'WH-1').map((r) => r.status.code)).toEqual(['SUCCESS', 'SUCCESS']);
  });

  it('does not send an item the filter rejects', async () => {
    const { commerce, server } = s;
    const before = webhookCalls().length;
    await createOrder(server, 'IGNORED-1');
    await commerce.outbound.webhooks.idle();
    expect(webhookCalls()).toHaveLength(before);
    expect(commerce.outbound.webhooks.history().at(-1)).toMatchObject({ integrationKey: 'IGNORED-1', filtered: 'filtered out', results: [] });
  });

  it('retries a 5xx once, 10 s later on the sandbox clock (2211)', async () => {
    const { commerce, server, receiver } = s;
    receiver.status = 503;
    const before = webhookCalls().length;
    await createOrder(server, 'WH-503');
    await commerce.outbound.webhooks.idle();
    expect(webhookCalls()).toHaveLength(before + 1);
    expect((await moveClock(server, { advance: '9s' })).fired).toEqual([]);
    receiver.status = 201;
    const fired = await moveClock(server, { advance: '1s' });
    expect(fired.fired).toEqual([expect.objectContaining({ label: expect.stringContaining('webhook retry'), result: { integrationKey: 'WH-503', ok: true, status: 201 } })]);
    expect(webhookCalls()).toHaveLength(before + 2);
    expect(webhookCalls().at(-1)!.headers['ce-type']).toBe('sap.cx.commerce.Orders.Created.v1');
  });

  it('does not retry a 4xx', async () => {
    const { commerce, server, receiver } = s;
    receiver.status = 400;
    const before = webhookCalls().length;
    await createOrder(server, 'WH-400');
    await commerce.outbound.webhooks.idle();
    expect((await moveClock(server, { advance: '30s' })).fired).toEqual([]);
    expect(webhookCalls()).toHaveLength(before + 1);
  });
});

describe('webhooks in the 2005 profile', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await setup({
      receiver: { csrf: false },
      credential: '',
      csrf: false,
      load: { commerceVersion: '2005' },
      impex: () => `INSERT_UPDATE WebhookConfiguration; integrationObject(code)[unique = true]; destination(id)[unique = true]; eventType[unique = true]
; Orders ; scpiOrders ; de.hybris.platform.webhookservices.event.ItemCreatedEvent
`,
    });
  });
  afterAll(() => teardown(s));

  it('sends ItemCreatedEvent only for creates and does not retry a 5xx', async () => {
    const { commerce, server, receiver } = s;
    receiver.status = 500;
    await createOrder(server, 'WH05-1');
    await commerce.outbound.webhooks.idle();
    expect(receiver.dataCalls().map((c) => c.headers['ce-type'])).toEqual(['sap.cx.commerce.Orders.Created.v1']);
    expect((await moveClock(server, { advance: '1m' })).fired).toEqual([]);
    receiver.status = 201;
    await setEntryPrice(server, 'WH05-1', '1');
    await commerce.outbound.webhooks.idle();
    expect(receiver.dataCalls()).toHaveLength(1);
  });
});

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('misconfigured destinations', () => {
  let s: Sandbox;
  let deadPort: number;
  beforeAll(async () => {
    deadPort = await closedPort();
    s = await setup({
      impex: (url) => `INSERT_UPDATE ConsumedCertificateCredential; id[unique=true]; certificateData
; certCredential ; MIIB
INSERT_UPDATE BasicCredential; id[unique=true]; username; password
; doomedCredential ; a ; b
INSERT_UPDATE ConsumedDestination; id[unique=true]; url; active; endpoint(id,version); destinationTarget(id)[unique=true]; credential(id)
; badUrl      ; not a url                      ; true  ; scpiEndpoint:v1 ; scpi ;
; unreachable ; http://127.0.0.1:${deadPort}/orders ; true  ; scpiEndpoint:v1 ; scpi ;
; inactive    ; "${url}${SERVICE_PATH}/Orders" ; false ; scpiEndpoint:v1 ; scpi ; scpiBasic
; certificate ; "${url}${SERVICE_PATH}/Orders" ; true  ; scpiEndpoint:v1 ; scpi ; certCredential
; dangling    ; "${url}${SERVICE_PATH}/Orders" ; true  ; scpiEndpoint:v1 ; scpi ; doomedCredential
INSERT_UPDATE OutboundChannelConfiguration; code[unique=true]; integrationObject(code); destination(id); autoGenerate
; badUrlChannel      ; Orders ; badUrl      ; true
; unreachableChannel ; Orders ; unreachable ; true
; inactiveChannel    ; Orders ; inactive    ; true
; certificateChannel ; Orders ; certificate ; true
; danglingChannel    ; Orders ; dangling    ; true
INSERT_UPDATE Trigger; cronJob(code)[unique = true]; cronExpression
; badUrlChannelCronJob ; 0 * * * * ?
`,
    });
    const doomed = s.commerce.store.find('BasicCredential', { id: 'doomedCredential' })[0]!;
    s.commerce.store.remove(doomed.pk); // the destination now references a credential that does not exist
  });
  afterAll(() => teardown(s));

  it.each([
    ['badUrlChannelCronJob', /^Destination 'badUrl' has no valid http\(s\) URL: 'not a url'$/],
    ['unreachableChannelCronJob', /^I\/O error on POST request for "http:\/\/127\.0\.0\.1:\d+\/orders": .*ECONNREFUSED/],
    ['inactiveChannelCronJob', /^Destination 'inactive' is not active$/],
    ['certificateChannelCronJob', /^The credential 'certCredential' of destination 'certificate' is a ConsumedCertificateCredential, which outbound requests do not support$/],
    ['danglingChannelCronJob', /^The credential of destination 'dangling' does not exist$/],
  ])('%s: an ERROR record with a clear error, no crash', async (cronJob, error) => {
    const { commerce, server } = s;
    await createOrder(server, `MIS-${cronJob}`);
    const run = await perform(server, cronJob);
    expect(run.result).toBe('ERROR');
    // each channel sees every order created so far: look at this test's order
    expect(run.details.items.filter((i) => i.integrationKey === `MIS-${cronJob}`)).toEqual([expect.objectContaining({ ok: false, error: expect.stringMatching(error) })]);
    expect(run.details.items.every((i) => !i.ok)).toBe(true);
    const records = [...commerce.store.all('OutboundRequest')].filter((r) => r.values.integrationKey === `MIS-${cronJob}`);
    expect(records.length).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${server.url}/__sandbox/health`)).status).toBe(200);
  });

  it('a trigger of a misconfigured channel fires without breaking the scheduler', async () => {
    const { server } = s;
    await createOrder(server, 'MIS-TRIGGER');
    const fired = await moveClock(server, { advance: '1m' });
    const run = fired.fired.find((f) => f.label.startsWith('trigger badUrlChannelCronJob'));
    expect(run).toMatchObject({ result: { result: 'ERROR' } });
    expect(run?.error).toBeUndefined();
    // and it is scheduled again
    const clock = (await (await fetch(`${server.url}/__sandbox/clock`)).json()) as { timers: { label: string }[] };
    expect(clock.timers.some((t) => t.label.startsWith('trigger badUrlChannelCronJob'))).toBe(true);
  });
});

describe('sandbox reset', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(() => teardown(s));

  it('forgets unsent changes, retries and configuration made after the load', async () => {
    const { commerce, server, receiver } = s;
    // setup() configured the channel after the load: a reset removes it, as any other runtime data
    await createOrder(server, 'RESET-1');
    expect((await fetch(`${server.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
    importProject(commerce, USERS);
    const res = await fetch(`${server.url}/__sandbox/cronjobs/${CRON_JOB}/perform`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect((await perform(server, 'outboundSyncCronJob')).details).toEqual({ sent: 0, failed: 0, items: [], warnings: [] });
    expect(receiver.dataCalls()).toEqual([]);
  });
});
