/**
 * The simulated OData V2 sender endpoint over real HTTP (spec §3.1, §16.9): Basic auth, the CSRF
 * handshake bound to session cookies, Commerce JSON → flow XML, the flow's reply → 201 JSON, errors
 * returned to the sender, one processing log per accepted message.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EdmModel } from '../../../scenarios/scpi/edmx.js';
import type { Message } from '../../../scenarios/scpi/message.js';
import { type ODataSenderEndpoint, REQUEST_JSON_PROPERTY, startODataSender } from '../../../scenarios/scpi/odata-sender.js';
import { ProcessingLog } from '../../../scenarios/scpi/processing-log.js';
import { fetchMetadata } from '../../../scenarios/scpi/service-metadata.js';
import { basic } from '../../helpers/commerce.js';
import { COMMERCE_USER, ORDER_XML, type Systems, T0, exampleOrderPayload, postLikeCommerce, startSystems } from './helpers.js';

const USER = { username: 'sender', password: 's3cret' };
const AUTH = basic(USER.username, USER.password);
const REPLY = '<Orders><Order><integrationKey>00001001</integrationKey></Order></Orders>';

let systems: Systems;
let model: EdmModel;
let endpoint: ODataSenderEndpoint;
let log: ProcessingLog;
/** What the flow does with the message this time. */
let flow: (message: Message) => void | Promise<void>;
const received: { body: string; json: unknown }[] = [];

beforeAll(async () => {
  systems = await startSystems();
  model = await fetchMetadata({ serviceUrl: `${systems.server.url}/odata2webservices/Orders`, credentials: COMMERCE_USER, timeoutMs: 5000 });
  log = new ProcessingLog('test-flow', () => T0);
  endpoint = await startODataSender({
    iflowId: 'ThirdPartyOrderExport',
    entitySet: 'Orders',
    model,
    credentials: USER,
    log,
    process: async (message, run) => {
      received.push({ body: message.body, json: message.getProperty(REQUEST_JSON_PROPERTY) });
      await run.step('flow', () => flow(message));
    },
  });
});
afterAll(async () => {
  await endpoint.close();
  await systems.close();
});
beforeEach(() => {
  received.length = 0;
  flow = (message) => {
    message.body = REPLY;
  };
});

const running = () => ({ inboundUrl: endpoint.entitySetUrl, csrfUrl: endpoint.serviceRoot, inboundCredentials: USER, runs: () => log.runs(), close: () => Promise.resolve() });

async function fetchToken(cookie?: string): Promise<{ token: string; cookie: string; res: Response }> {
  const res = await fetch(endpoint.serviceRoot, { headers: { Authorization: AUTH, 'X-CSRF-Token': 'Fetch', Accept: 'application/json', ...(cookie ? { Cookie: cookie } : {}) } });
  return { token: res.headers.get('x-csrf-token') ?? '', cookie: res.headers.getSetCookie().join('; '), res };
}

function post(headers: Record<string, string>, body: string = JSON.stringify(exampleOrderPayload())): Promise<Response> {
  return fetch(endpoint.entitySetUrl, { method: 'POST', headers: { Authorization: AUTH, 'Content-Type': 'application/json', ...headers }, body });
}

describe('URLs and metadata', () => {
  it('serves /gw/odata/SAP/<IFLOW_ID_UPPERCASE>;v=1/ with the service document and the EDMX it was generated from', async () => {
    expect(endpoint.serviceRoot).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/gw\/odata\/SAP\/THIRDPARTYORDEREXPORT;v=1\/$/);
    expect(endpoint.entitySetUrl).toBe(`${endpoint.serviceRoot}Orders`);
    const root = await fetch(endpoint.serviceRoot, { headers: { Authorization: AUTH, Accept: 'application/json' } });
    expect(root.status).toBe(200);
    expect(((await root.json()) as { d: { EntitySets: string[] } }).d.EntitySets).toContain('Orders');
    const metadata = await fetch(`${endpoint.serviceRoot}$metadata`, { headers: { Authorization: AUTH } });
    expect(metadata.headers.get('content-type')).toBe('application/xml');
    expect(await metadata.text()).toBe(model.xml);
    const head = await fetch(`${endpoint.serviceRoot}$metadata`, { method: 'HEAD', headers: { Authorization: AUTH } });
    expect(head.status).toBe(200);
  });

  it('answers 405 for other operations and 404 elsewhere', async () => {
    expect((await fetch(endpoint.entitySetUrl, { headers: { Authorization: AUTH } })).status).toBe(405);
    expect((await fetch(`${endpoint.serviceRoot}Products`, { headers: { Authorization: AUTH } })).status).toBe(404);
    expect((await fetch(endpoint.serviceRoot.replace('THIRDPARTYORDEREXPORT', 'OTHER'), { headers: { Authorization: AUTH } })).status).toBe(404);
  });
});

describe('security', () => {
  it('requires Basic authentication (401 with WWW-Authenticate), for reads and writes', async () => {
    for (const authorization of [undefined, basic(USER.username, 'wrong'), 'Bearer abc']) {
      const res = await fetch(endpoint.serviceRoot, { headers: authorization ? { Authorization: authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    }
    const before = log.runs().length;
    const res = await fetch(endpoint.entitySetUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(log.runs()).toHaveLength(before);
  });

  it('hands out a CSRF token with session cookies on GET and HEAD with X-CSRF-Token: Fetch', async () => {
    const { token, res } = await fetchToken();
    expect(token).not.toBe('');
    expect(res.headers.getSetCookie()).toEqual([expect.stringMatching(/^JSESSIONID=[0-9A-F]+; Path=\/; Secure; HttpOnly$/), expect.stringMatching(/^__VCAP_ID__=[0-9a-f]+; Path=\/; HttpOnly$/)]);
    const head = await fetch(endpoint.serviceRoot, { method: 'HEAD', headers: { Authorization: AUTH, 'X-CSRF-Token': 'fetch' } });
    expect(head.headers.get('x-csrf-token')).toBeTruthy();
    const plain = await fetch(endpoint.serviceRoot, { headers: { Authorization: AUTH } });
    expect(plain.headers.get('x-csrf-token')).toBeNull();
  });

  it('refuses a POST without a token valid for its session cookie: 403 X-CSRF-Token: Required, no message', async () => {
    const a = await fetchToken();
    const b = await fetchToken();
    const before = log.runs().length;
    const attempts: Record<string, string>[] = [{}, { 'X-CSRF-Token': a.token }, { Cookie: a.cookie }, { 'X-CSRF-Token': a.token, Cookie: b.cookie }, { 'X-CSRF-Token': 'Fetch', Cookie: a.cookie }];
    for (const headers of attempts) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.headers.get('x-csrf-token')).toBe('Required');
    }
    expect(log.runs()).toHaveLength(before);
    expect((await post({ 'X-CSRF-Token': a.token, Cookie: a.cookie })).status).toBe(201);
  });

  it('answers the same token again within a session', async () => {
    const first = await fetchToken();
    const again = await fetchToken(first.cookie);
    expect(again.token).toBe(first.token);
    expect(again.res.headers.getSetCookie()).toEqual([]);
  });
});

describe('messages', () => {
  it('hands the flow the order as XML (and the JSON as received) and answers 201 with the reply as OData JSON', async () => {
    const res = await postLikeCommerce(running(), exampleOrderPayload());
    expect(res.status).toBe(201);
    expect(received).toEqual([{ body: ORDER_XML, json: JSON.stringify(exampleOrderPayload()) }]);
    const uri = `${endpoint.serviceRoot}Orders('00001001')`;
    expect(await res.json()).toEqual({ d: { __metadata: { id: uri, uri, type: 'HybrisCommerceOData.Order' }, integrationKey: '00001001' } });
    const run = log.runs().at(-1)!;
    expect(run).toMatchObject({ flow: 'test-flow', status: 'COMPLETED', startedAt: T0, endedAt: T0 });
    expect(run.steps.map((s) => s.name)).toEqual(['OData V2 sender: JSON to XML', 'flow', 'OData V2 sender: XML to JSON']);
    expect(run.steps[2]!.detail).toBe(`201 ${uri}`);
  });

  it('returns a failing flow\'s error to the sender as 500 OData error JSON and logs the message FAILED', async () => {
    flow = () => {
      throw new Error('third party said no');
    };
    const res = await postLikeCommerce(running(), exampleOrderPayload());
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'SYSTEM_ERROR', message: { lang: 'en', value: 'third party said no' } } });
    expect(log.runs().at(-1)).toMatchObject({ status: 'FAILED', error: 'third party said no', steps: [{ status: 'COMPLETED' }, { name: 'flow', status: 'FAILED', detail: 'third party said no' }] });
  });

  it('fails the message when the flow replies with nothing (the adapter needs the created entity)', async () => {
    flow = (message) => {
      message.body = '';
    };
    const res = await postLikeCommerce(running(), exampleOrderPayload());
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).toContain('the flow replied with an empty body');
    expect(log.runs().at(-1)!.steps.at(-1)).toMatchObject({ name: 'OData V2 sender: XML to JSON', status: 'FAILED' });
  });

  it('answers 400 for a body that is not JSON or does not fit the entity type (logged FAILED), 415 for other content types', async () => {
    const { token, cookie } = await fetchToken();
    const csrf = { 'X-CSRF-Token': token, Cookie: cookie };
    const notJson = await post(csrf, '{"code":');
    expect(notJson.status).toBe(400);
    expect(JSON.stringify(await notJson.json())).toContain('the request body is not JSON');
    const unknown = await post(csrf, JSON.stringify({ code: 'X', colour: 'red' }));
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain("the property 'colour' is not defined");
    expect(log.runs().at(-1)).toMatchObject({ status: 'FAILED', steps: [{ name: 'OData V2 sender: JSON to XML', status: 'FAILED' }] });
    expect((await post({ ...csrf, 'Content-Type': 'application/atom+xml' }, '<entry/>')).status).toBe(415);
    expect(received).toEqual([]);
  });
});

describe('without CSRF protection', () => {
  it('accepts a POST with Basic auth alone', async () => {
    const open = await startODataSender({ iflowId: 'open', entitySet: 'Orders', model, credentials: USER, log: new ProcessingLog('open', () => T0), csrf: false, process: (m) => Promise.resolve(void (m.body = REPLY)) });
    try {
      const res = await fetch(open.entitySetUrl, { method: 'POST', headers: { Authorization: AUTH, 'Content-Type': 'application/json' }, body: '{"code":"1"}' });
      expect(res.status).toBe(201);
      expect(open.serviceRoot).toContain('/gw/odata/SAP/OPEN;v=1/');
    } finally {
      await open.close();
    }
  });
});
