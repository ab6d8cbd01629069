/** The Commerce-triggered variants without a SAP sample (spec §2, catalogue 1–3), over real HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningFlow } from '../../../scenarios/flows/contract.js';
import { referenceFlows } from '../../../scenarios/flows/reference/index.js';
import { MissingParameterError } from '../../../scenarios/scpi/parameters.js';
import { basic } from '../../helpers/commerce.js';
import { CaptureServer } from './capture-server.js';
import { type Systems, contextFor, exampleOrderPayload, postLikeCommerce, startSystems } from './helpers.js';

let systems: Systems;
let target: CaptureServer;
const flows: RunningFlow[] = [];

async function start(name: string, parameters: Record<string, string> = {}, options: Record<string, unknown> = {}): Promise<RunningFlow> {
  const flow = await referenceFlows[name]!(options).start(contextFor(systems, { Target_Url: `${target.url}/orders`, ...parameters }));
  flows.push(flow);
  return flow;
}

beforeAll(async () => {
  [systems, target] = await Promise.all([startSystems(), CaptureServer.start()]);
});
afterAll(async () => {
  await Promise.all(flows.map((f) => f.close()));
  await Promise.all([systems.close(), target.close()]);
});
beforeEach(() => target.reset());

const SUMMARY = { order_id: '00001001', email: 'jane@example.com', currency: 'USD', total: 104.5, lines: [{ sku: 'P-1', price: 99.5 }, { sku: 'P-2', price: 5 }] };

describe('pass-through (no auth, no transformation)', () => {
  it("forwards Commerce's JSON unchanged and answers Commerce 201 with the order's integrationKey", async () => {
    const flow = await start('pass-through');
    expect(flow.inboundUrl).toMatch(/\/gw\/odata\/SAP\/ORDERSPASSTHROUGH;v=1\/Orders$/);
    target.body = '{"received":true}';
    const res = await postLikeCommerce(flow, exampleOrderPayload());
    expect(res.status).toBe(201);
    expect(((await res.json()) as { d: { integrationKey: string } }).d.integrationKey).toBe('00001001');
    expect(target.requests).toHaveLength(1);
    const [sent] = target.requests;
    expect(sent).toMatchObject({ method: 'POST', url: '/orders', body: JSON.stringify(exampleOrderPayload()) });
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(sent!.headers.authorization).toBeUndefined();
    expect(Object.keys(sent!.headers).filter((h) => /^(camel|sap_)/i.test(h))).toEqual([]);
    const run = flow.runs().at(-1)!;
    expect(run.status).toBe('COMPLETED');
    expect(run.attachments).toEqual([{ name: 'Target answer', contentType: 'application/json', body: '{"received":true}' }]);
  });

  it("returns the target's rejection to Commerce as 500", async () => {
    const flow = await start('pass-through');
    target.status = 422;
    target.body = '{"error":"unknown customer"}';
    const res = await postLikeCommerce(flow, exampleOrderPayload());
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { message: { value: string } } }).error.message.value).toBe(`POST ${target.url}/orders → 422: {"error":"unknown customer"}`);
    expect(flow.runs().at(-1)!.status).toBe('FAILED');
  });

  it('fails on a target slower than the receiver timeout', async () => {
    const flow = await start('pass-through', {}, { timeoutMs: 100 });
    target.delayMs = 1000;
    const res = await postLikeCommerce(flow, exampleOrderPayload());
    expect(res.status).toBe(500);
    expect(flow.runs().at(-1)!.error).toBe(`POST ${target.url}/orders: no answer within 100 ms (timeout)`);
  });

  it('needs Target_Url', async () => {
    await expect(referenceFlows['pass-through']!().start(contextFor(systems))).rejects.toThrow(MissingParameterError);
  });
});

describe('transform (no auth, with transformation)', () => {
  it('posts the order summary JSON without authentication', async () => {
    const flow = await start('transform');
    expect((await postLikeCommerce(flow, exampleOrderPayload())).status).toBe(201);
    const [sent] = target.requests;
    expect(JSON.parse(sent!.body)).toEqual(SUMMARY);
    expect(sent!.headers.authorization).toBeUndefined();
    expect(flow.runs().at(-1)!.steps.map((s) => s.name)).toEqual([
      'OData V2 sender: JSON to XML',
      'Save Payload',
      'Map Order To Target JSON',
      'Send Order To Target',
      'Prepare Response Body',
      'OData V2 sender: XML to JSON',
    ]);
  });
});

describe('basic-auth (Basic authentication, with transformation)', () => {
  it('posts the order summary with Basic Target_User / Target_Password', async () => {
    const flow = await start('basic-auth', { Target_User: 'shop', Target_Password: 'pa:ss' });
    expect((await postLikeCommerce(flow, exampleOrderPayload())).status).toBe(201);
    const [sent] = target.requests;
    expect(sent!.headers.authorization).toBe(basic('shop', 'pa:ss'));
    expect(JSON.parse(sent!.body)).toEqual(SUMMARY);
    expect(flow.runs().at(-1)!.steps.find((s) => s.name === 'Retrieve Credentials')!.detail).toBe('Basic user shop');
  });

  it('needs Target_User and Target_Password', async () => {
    await expect(referenceFlows['basic-auth']!().start(contextFor(systems, { Target_Url: target.url }))).rejects.toThrow(
      'externalized parameters without a value: Target_User, Target_Password',
    );
  });
});

describe('registry', () => {
  it('names the five reference flows', () => {
    expect(Object.keys(referenceFlows)).toEqual(['send-orders', 'send-product-ratings', 'pass-through', 'transform', 'basic-auth']);
    expect(Object.values(referenceFlows).map((f) => f().name)).toEqual([
      'reference:send-orders',
      'reference:send-product-ratings',
      'reference:pass-through',
      'reference:transform',
      'reference:basic-auth',
    ]);
  });
});
