/**
 * Runtime pieces over real HTTP: the HTTP receiver (headers out, status header in, errors), the OData
 * receiver against a CSRF-protecting Commerce, the processing log and the timer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../mock-commerce/app.js';
import type { Commerce } from '../../../mock-commerce/commerce.js';
import { HttpReceiverError, RESPONSE_CODE_HEADER, requestReply } from '../../../scenarios/scpi/http-receiver.js';
import { Message } from '../../../scenarios/scpi/message.js';
import { odataCreate } from '../../../scenarios/scpi/odata-receiver.js';
import { ProcessingLog } from '../../../scenarios/scpi/processing-log.js';
import { MetadataCache } from '../../../scenarios/scpi/service-metadata.js';
import { TimerStart } from '../../../scenarios/scpi/timer.js';
import { DEMO, serve } from '../../helpers/commerce.js';
import { CaptureServer } from './capture-server.js';
import { COMMERCE_USER, T0, commerceRequests, readProduct } from './helpers.js';

let target: CaptureServer;
let csrfCommerce: { commerce: Commerce; server: RunningServer };

beforeAll(async () => {
  [target, csrfCommerce] = await Promise.all([CaptureServer.start(), serve({ projectDir: DEMO, clock: () => T0, properties: { 'sandbox.csrf.enabled': 'true' } })]);
});
afterAll(async () => {
  csrfCommerce.commerce.outbound.close();
  await Promise.all([target.close(), csrfCommerce.server.close()]);
});

const RATING = '<Products><Product><code>P-2</code><reviewRating>4.25</reviewRating><reviewCount>9</reviewCount><catalogVersion><CatalogVersion><catalog><Catalog><id>sandboxProductCatalog</id></Catalog></catalog><version>Online</version></CatalogVersion></catalogVersion></Product></Products>';

describe('HTTP receiver', () => {
  it('sends the message headers but not Camel/SAP ones, replaces the body and sets CamelHttpResponseCode', async () => {
    target.reset();
    target.status = 202;
    target.body = '{"ok":1}';
    const message = new Message('{"a":1}', { 'Content-Type': 'application/json; charset=utf-8', 'X-Trace': 't1', CamelHttpResponseCode: '200', SAP_MessageProcessingLogID: 'x' });
    const line = await requestReply(message, { method: 'POST', url: `${target.url}/in`, credentials: { username: 'u', password: 'p' } });
    expect(line).toBe(`POST ${target.url}/in → 202`);
    expect(message.body).toBe('{"ok":1}');
    expect(message.getHeader(RESPONSE_CODE_HEADER)).toBe('202');
    const [sent] = target.requests;
    expect(sent).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json; charset=utf-8', 'x-trace': 't1', authorization: 'Basic dTpw' } });
    expect(sent!.headers.camelhttpresponsecode).toBeUndefined();
    expect(sent!.headers.sap_messageprocessinglogid).toBeUndefined();
  });

  it('throws on non-2xx with the status and at most 1 KB of the body', async () => {
    target.reset();
    target.status = 503;
    target.body = 'x'.repeat(3000);
    const error = (await requestReply(new Message(), { method: 'GET', url: target.url }).then(
      () => undefined,
      (e: unknown) => e,
    )) as HttpReceiverError;
    expect(error).toBeInstanceOf(HttpReceiverError);
    expect(error.status).toBe(503);
    expect(error.message).toBe(`GET ${target.url} → 503: ${'x'.repeat(1024)}… (3000 characters)`);
  });
});

describe('OData V2 receiver', () => {
  it('fetches a CSRF token from a protecting service and sends it with the Atom POST', async () => {
    const address = `${csrfCommerce.server.url}/odata2webservices/ThirdPartyInboundProduct`;
    const message = new Message(RATING);
    const line = await odataCreate(message, { address, entitySet: 'Products', credentials: COMMERCE_USER, metadata: new MetadataCache(() => T0) });
    expect(line).toBe(`GET ${address}/$metadata; GET ${address} (X-CSRF-Token: Fetch) → 200; POST ${address}/Products → 201`);
    expect(message.getHeader(RESPONSE_CODE_HEADER)).toBe('201');
    expect(message.body).toBe(RATING);
    const post = (await commerceRequests(csrfCommerce.server)).find((r) => r.method === 'POST')!;
    expect(post.headers['x-csrf-token']).toMatch(/^[0-9a-f]{32}$/);
    expect(await readProduct(csrfCommerce.server, 'P-2')).toEqual({ status: 200, reviewRating: '4.25', reviewCount: 9 });
  });

  it('without CSRF the protecting service answers 403, which the adapter reports', async () => {
    const address = `${csrfCommerce.server.url}/odata2webservices/ThirdPartyInboundProduct`;
    await expect(odataCreate(new Message(RATING), { address, entitySet: 'Products', credentials: COMMERCE_USER, metadata: new MetadataCache(() => T0), csrf: false })).rejects.toThrow(
      `POST ${address}/Products → 403`,
    );
  });

  it('reports a rejected metadata read and a message that does not fit the entity set before posting', async () => {
    const address = `${csrfCommerce.server.url}/odata2webservices/ThirdPartyInboundProduct`;
    await expect(odataCreate(new Message(RATING), { address, entitySet: 'Products', credentials: { username: 'integrationuser', password: 'wrong' }, metadata: new MetadataCache(() => T0) })).rejects.toThrow(
      `reading the metadata failed: GET ${address}/$metadata → 401`,
    );
    await expect(odataCreate(new Message('<Orders><Order/></Orders>'), { address, entitySet: 'Products', credentials: COMMERCE_USER, metadata: new MetadataCache(() => T0) })).rejects.toThrow(
      'the message body must be <Products>…</Products> for a Create on Products, not <Orders>',
    );
  });
});

describe('processing log and timer', () => {
  it('logs steps with clock times and durations, attachments, and the error of a failed step', async () => {
    let now = T0;
    const log = new ProcessingLog('demo', () => now);
    const timer = new TimerStart(log, async (message, run) => {
      await run.step('first', (step) => {
        now += 5;
        message.setProperty('n', 1);
        step.detail = 'did it';
      });
      run.attach('note', 'text/plain', 'hello');
      await run.step('second', () => {
        now += 7;
        throw new Error('boom');
      });
    });
    const run = await timer.trigger();
    expect(run).toEqual({
      id: 'demo-000001',
      flow: 'demo',
      status: 'FAILED',
      startedAt: T0,
      endedAt: T0 + 12,
      error: 'boom',
      steps: [
        { name: 'first', status: 'COMPLETED', startedAt: T0, durationMs: 5, detail: 'did it' },
        { name: 'second', status: 'FAILED', startedAt: T0 + 5, durationMs: 7, detail: 'boom' },
      ],
      attachments: [{ name: 'note', contentType: 'text/plain', body: 'hello' }],
    });
    expect(log.runs()).toEqual([run]);
  });

  it('shows a run in progress as PROCESSING', async () => {
    const log = new ProcessingLog('slow', () => T0);
    let release!: () => void;
    const timer = new TimerStart(log, () => new Promise<void>((resolve) => (release = resolve)));
    const pending = timer.trigger();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.runs().map((r) => r.status)).toEqual(['PROCESSING']);
    release();
    expect((await pending).status).toBe('COMPLETED');
    await timer.settled();
  });
});
