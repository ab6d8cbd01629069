/**
 * SendOrders end to end over real HTTP (spec §3): Commerce's side of the sender handshake (or Commerce's
 * own outbound sync) → the reference flow's OData V2 sender endpoint → the reviews third party.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importImpex } from '../../../mock-commerce/impex/import.js';
import { parseImpex } from '../../../mock-commerce/impex/parse.js';
import type { RunningFlow } from '../../../scenarios/flows/contract.js';
import { referenceFlows } from '../../../scenarios/flows/reference/index.js';
import { basic } from '../../helpers/commerce.js';
import { COMMERCE_USER, STOREFRONT, type Systems, VERIFIED_SEND_ORDERS_OUTPUT, contextFor, exampleOrderPayload, postLikeCommerce, startSystems } from './helpers.js';

let systems: Systems;
let flow: RunningFlow;

beforeAll(async () => {
  systems = await startSystems();
  flow = await referenceFlows['send-orders']!().start(contextFor(systems, { Commerce_Storefront_Url: STOREFRONT }));
});
afterAll(async () => {
  await flow.close();
  await systems.close();
});

function journal(path: string) {
  return systems.reviews.thirdParty.journal.filter((e) => e.path === path);
}

describe('SendOrders (quirks kept)', () => {
  it('sends the third party exactly the verified §3.2 output and answers Commerce 201 with the integrationKey', async () => {
    systems.reviews.thirdParty.reset();
    const res = await postLikeCommerce(flow, exampleOrderPayload());
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    const uri = `${flow.csrfUrl!}Orders('00001001')`;
    expect(await res.text()).toBe(`{"d":{"__metadata":{"id":"${uri}","uri":"${uri}","type":"HybrisCommerceOData.Order"},"integrationKey":"00001001"}}`);
    expect(res.headers.get('location')).toBe(uri);

    // 2: the token request, JSON client credentials with the sample's content type.
    const [token] = journal('/oauth/token');
    expect(token).toMatchObject({ method: 'POST', status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(token!.body).toEqual({ client_id: 'sandbox-app-key', client_secret: 'sandbox-app-secret', grant_type: 'client_credentials' });

    // 3/4: the mapped order, byte for byte the verified output (with the token this service issued).
    const [sent] = journal('/sandbox-app-key/orders');
    const utoken = (sent!.body as { utoken: string }).utoken;
    expect(utoken).toMatch(/^[A-Za-z0-9]{40}$/);
    const expected = VERIFIED_SEND_ORDERS_OUTPUT.replace('TOKEN123', utoken);
    expect(sent).toMatchObject({ method: 'POST', status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(sent!.body).toEqual(JSON.parse(expected));
    const run = flow.runs().at(-1)!;
    expect(run.attachments).toEqual([{ name: 'ThirdParty order', contentType: 'application/json', body: expected }]);
    // The quirk's effect: the service answers 200 but creates nothing (validate_data is a string).
    expect(systems.reviews.thirdParty.items('orders')).toEqual([]);

    expect(run.status).toBe('COMPLETED');
    expect(run.flow).toBe('reference:send-orders');
    expect(run.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      'OData V2 sender: JSON to XML:COMPLETED',
      'Save Payload:COMPLETED',
      'Retrieve Access Token:COMPLETED',
      'Map XML Payload to JSON:COMPLETED',
      'Send Order To ThirdParty:COMPLETED',
      'Prepare Response Body:COMPLETED',
      'OData V2 sender: XML to JSON:COMPLETED',
    ]);
    expect(run.steps[2]!.detail).toBe(`POST ${systems.reviews.url}/oauth/token → 200`);
    expect(run.steps[5]!.detail).toBe('<Orders><Order><integrationKey>00001001</integrationKey></Order></Orders>');
    expect(run.startedAt).toBe(Date.UTC(2026, 0, 5, 9, 0, 0));
  });

  it('fails the message when the token endpoint rejects the client: 500 with the error text, FAILED log, no order sent', async () => {
    const bad = await referenceFlows['send-orders']!().start(contextFor(systems, { ThirdParty_App_Secret: 'wrong' }));
    try {
      systems.reviews.thirdParty.reset();
      const res = await postLikeCommerce(bad, exampleOrderPayload());
      expect(res.status).toBe(500);
      const error = ((await res.json()) as { error: { message: { lang: string; value: string } } }).error.message;
      expect(error.lang).toBe('en');
      expect(error.value).toBe(`POST ${systems.reviews.url}/oauth/token → 401: {"error":"invalid_client"}`);
      const [run] = bad.runs();
      expect(run).toMatchObject({ status: 'FAILED', error: error.value });
      expect(run!.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['OData V2 sender: JSON to XML:COMPLETED', 'Save Payload:COMPLETED', 'Retrieve Access Token:FAILED']);
      expect(journal('/sandbox-app-key/orders')).toEqual([]);
    } finally {
      await bad.close();
    }
  });
});

describe('SendOrders fixed', () => {
  it('sends platform, validate_data true and a YYYY-MM-DD date: the service stores the order', async () => {
    const fixed = await referenceFlows['send-orders']!({ fixed: true }).start(contextFor(systems, { Commerce_Storefront_Url: STOREFRONT }));
    try {
      systems.reviews.thirdParty.reset();
      expect((await postLikeCommerce(fixed, exampleOrderPayload())).status).toBe(201);
      const [sent] = journal('/sandbox-app-key/orders');
      expect(sent!.body).toMatchObject({ validate_data: true, platform: 'general', order_date: '2019-10-22' });
      expect(sent!.body).not.toHaveProperty('platfom');
      expect(systems.reviews.thirdParty.items('orders')).toMatchObject([{ order_id: '00001001', platform: 'general', order_date: '2019-10-22', currency_iso: 'USD' }]);
    } finally {
      await fixed.close();
    }
  });

  it('refuses unknown options', () => {
    expect(() => referenceFlows['send-orders']!({ fixd: true })).toThrow(/reference:send-orders: unknown option 'fixd'/);
    expect(() => referenceFlows['send-orders']!({ fixed: 'yes' })).toThrow(/option fixed must be a boolean/);
  });
});

describe("Commerce's outbound sync → SendOrders", () => {
  it('delivers a changed order through the flow: Commerce records SUCCESS, the third party gets the mapped order', async () => {
    const q = (s: string) => `"${s}"`;
    const user = flow.inboundCredentials!;
    const report = importImpex(
      parseImpex(
        `INSERT_UPDATE DestinationTarget; id[unique = true]
; flowTarget
INSERT_UPDATE Endpoint; id[unique = true]; version[unique = true]; name
; flowEndpoint ; v1 ; SendOrders
INSERT_UPDATE BasicCredential; id[unique = true]; username; password
; flowCredential ; ${user.username} ; ${user.password}
INSERT_UPDATE ConsumedDestination; id[unique = true]; url; active; endpoint(id, version); destinationTarget(id)[unique = true]; credential(id); additionalProperties[map-delimiter = |]
; flowDestination ; ${q(flow.inboundUrl!)} ; true ; flowEndpoint:v1 ; flowTarget ; flowCredential ; ${q(`csrfURL->${flow.csrfUrl!}`)}
INSERT_UPDATE OutboundChannelConfiguration; code[unique = true]; integrationObject(code); destination(id); autoGenerate
; ordersToFlow ; Orders ; flowDestination ; true
`,
        'channel.impex',
      ),
      systems.commerce.store,
    );
    expect(report.errors).toEqual([]);
    const patched = await fetch(`${systems.server.url}/odata2webservices/Orders/Orders('00001001')`, {
      method: 'PATCH',
      headers: { Authorization: basic(COMMERCE_USER.username, COMMERCE_USER.password), 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ date: '/Date(1571750840000)/' }),
    });
    expect(patched.status, await patched.text()).toBe(200);

    systems.reviews.thirdParty.reset();
    const before = flow.runs().length;
    const perform = await fetch(`${systems.server.url}/__sandbox/cronjobs/ordersToFlowCronJob/perform`, { method: 'POST' });
    const outcome = (await perform.json()) as { details: { sent: number; failed: number; items: { ok: boolean; status?: number; error?: string }[] } };
    expect(outcome.details).toMatchObject({ sent: 1, failed: 0, items: [{ ok: true, status: 201 }] });

    const run = flow.runs()[before]!;
    expect(run.status).toBe('COMPLETED');
    const [sent] = journal('/sandbox-app-key/orders');
    expect(sent!.body).toMatchObject({
      email: 'jane@example.com',
      customer_name: 'Jane Doe',
      order_id: '00001001',
      order_date: '2019-10-22T13:27:20.000',
      products: { 'P-1': { url: `${STOREFRONT}/p/P-1`, name: 'Camera', description: 'A compact camera', price: '99.5', image: `${STOREFRONT}/medias/camera.jpg` } },
    });
  });
});
