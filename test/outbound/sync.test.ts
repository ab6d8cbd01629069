/**
 * Outbound sync (spec §12; help B-160 … B-163): the demo Commerce with an ImpEx-configured channel for
 * the `Orders` IO, streams for Order and OrderEntry and a cron job, sending to a real HTTP receiver.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Commerce } from '../../mock-commerce/commerce.js';
import { importImpex } from '../../mock-commerce/impex/import.js';
import { parseImpex } from '../../mock-commerce/impex/parse.js';
import type { OutboundSyncRunResult } from '../../mock-commerce/outbound/sync.js';
import type { Item } from '../../mock-commerce/store/store.js';
import { DEMO, load } from '../helpers/commerce.js';

interface Received {
  url: string;
  body: Record<string, unknown>;
}

let server: Server;
let base: string;
let received: Received[] = [];
let answer = 201;
let commerce: Commerce;

/** Runs the cron job through the Commerce's cron job service; the outbound sync run's result. */
async function perform(code: string): Promise<OutboundSyncRunResult | undefined> {
  const run = await commerce.outbound.performCronJob(code);
  return run && 'details' in run ? (run.details as unknown as OutboundSyncRunResult) : undefined;
}

function impex(text: string): void {
  const report = importImpex(parseImpex(text, 'sync.impex'), commerce.store);
  expect(report.errors).toEqual([]);
}

function retries(): Item[] {
  return [...commerce.store.all('OutboundSyncRetry')];
}

function cronJob(code: string): Item {
  const item = commerce.store.find('OutboundSyncCronJob', { code })[0];
  if (!item) throw new Error(`no cron job ${code}`);
  return item;
}

function createOrder(code: string, basePrice = 10): void {
  impex(`$catalogVersion = catalogVersion(catalog(id), version)
INSERT_UPDATE Order; code[unique = true]; user(uid); currency(isocode); date[dateformat = yyyy-MM-dd'T'HH:mm:ss]; net
; ${code} ; jane@example.com ; EUR ; 2020-01-02T03:04:05 ; false
INSERT_UPDATE OrderEntry; order(code)[unique = true]; entryNumber[unique = true]; product(code, $catalogVersion); quantity; unit(code); basePrice
; ${code} ; 0 ; P-2:sandboxProductCatalog:Online ; 1 ; pieces ; ${basePrice}
`);
}

function setEntryPrice(code: string, basePrice: number): void {
  impex(`INSERT_UPDATE OrderEntry; order(code)[unique = true]; entryNumber[unique = true]; basePrice
; ${code} ; 0 ; ${basePrice}
`);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown> });
      res.writeHead(answer, { 'Content-Type': 'application/json' }).end(answer === 201 ? '{}' : '{"error":{"message":"boom"}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  commerce = load({ projectDir: DEMO });
  received = [];
  answer = 201;
  impex(`INSERT_UPDATE DestinationTarget; id[unique=true]
; orders
INSERT_UPDATE Endpoint; id[unique=true]; version[unique=true]; name
; ordersEndpoint ; v1 ; Orders
INSERT_UPDATE ConsumedDestination; id[unique=true]; url; active; endpoint(id,version); destinationTarget(id)[unique=true]
; ordersDest ; ${base}/orders ; true ; ordersEndpoint:v1 ; orders
INSERT_UPDATE OutboundChannelConfiguration; code[unique = true]; integrationObject(code); destination(id); autoGenerate
; ordersChannel ; Orders ; ordersDest ; false
INSERT_UPDATE OutboundSyncStreamConfigurationContainer; id[unique = true]
; ordersContainer
INSERT_UPDATE OutboundSyncStreamConfiguration; streamId[unique = true]; container(id); itemTypeForStream(code); outboundChannelConfiguration(code)
; ordersChannel_Order_Stream      ; ordersContainer ; Order      ; ordersChannel
; ordersChannel_OrderEntry_Stream ; ordersContainer ; OrderEntry ; ordersChannel
INSERT_UPDATE OutboundSyncJob; code[unique = true]; springId; streamConfigurationContainer(id)
; ordersJob ; outboundSyncCronJobPerformable ; ordersContainer
INSERT_UPDATE OutboundSyncCronJob; code[unique = true]; job(code)
; ordersCronJob ; ordersJob
`);
});

describe('outbound sync cron job runs', () => {
  it('sends a new order once, with its entries, as the §11.3 payload; a second run sends nothing', async () => {
    createOrder('00002001');
    const first = await perform('ordersCronJob');
    expect(first).toEqual({ sent: 1, failed: 0, items: [{ integrationKey: '00002001', method: 'POST', ok: true, status: 201 }], warnings: [] });
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toBe('/orders');
    expect(received[0]!.body).toMatchObject({
      code: '00002001',
      currency: { isocode: 'EUR', integrationKey: 'EUR' },
      user: { uid: 'jane@example.com' },
      entries: [{ entryNumber: 0, basePrice: 10, product: { code: 'P-2' } }],
      integrationKey: '00002001',
    });
    expect(received[0]!.body).not.toHaveProperty('d');
    expect(cronJob('ordersCronJob').values).toMatchObject({ status: 'FINISHED', result: 'SUCCESS' });
    expect([...commerce.store.all('OutboundRequest')]).toHaveLength(1);

    const second = await perform('ordersCronJob');
    expect(second).toEqual({ sent: 0, failed: 0, items: [], warnings: [] });
    expect(received).toHaveLength(1);
  });

  it('re-sends the root order when one of its entries changes', async () => {
    createOrder('00002002');
    await perform('ordersCronJob');
    setEntryPrice('00002002', 42);
    const run = await perform('ordersCronJob');
    expect(run?.items).toEqual([{ integrationKey: '00002002', method: 'POST', ok: true, status: 201 }]);
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toMatchObject({ code: '00002002', entries: [{ basePrice: 42 }] });
  });

  it('coalesces an order and its entry changed together into one send', async () => {
    createOrder('00002003');
    createOrder('00002004');
    const run = await perform('ordersCronJob');
    expect(run?.sent).toBe(2);
    expect(received.map((r) => r.body.code)).toEqual(['00002003', '00002004']);
  });

  it('does not send items existing before attach, nor deletes', async () => {
    const demoOrder = commerce.store.find('Order', { code: '00001001' })[0]!;
    expect(await perform('ordersCronJob')).toMatchObject({ sent: 0, failed: 0 });
    commerce.store.remove(demoOrder.pk);
    expect(await perform('ordersCronJob')).toMatchObject({ sent: 0, failed: 0 });
    expect(received).toHaveLength(0);
  });

  it('retries a failed send on each later run up to outboundsync.max.retries, then gives up until the order changes', async () => {
    answer = 500;
    createOrder('00002005');
    for (let run = 1; run <= 5; run++) {
      const result = await perform('ordersCronJob');
      expect(result).toMatchObject({ sent: 0, failed: 1, items: [{ integrationKey: '00002005', ok: false, error: expect.any(String) }] });
      expect(cronJob('ordersCronJob').values.result).toBe('ERROR');
      const [retry] = retries();
      expect(retries()).toHaveLength(1);
      expect(retry!.values).toMatchObject({ syncAttempts: run, remainingSyncAttempts: 5 - run, reachedMaxRetries: run === 5 });
    }
    const order = commerce.store.find('Order', { code: '00002005' })[0]!;
    expect(retries()[0]!.values).toMatchObject({ itemPk: String(order.pk) });
    expect(received).toHaveLength(5);

    expect(await perform('ordersCronJob')).toMatchObject({ sent: 0, failed: 0 });
    expect(received).toHaveLength(5);

    // a new change makes the order eligible again and starts the retry over
    setEntryPrice('00002005', 11);
    expect(await perform('ordersCronJob')).toMatchObject({ failed: 1 });
    expect(retries()[0]!.values).toMatchObject({ syncAttempts: 1, remainingSyncAttempts: 4, reachedMaxRetries: false });

    answer = 201;
    expect(await perform('ordersCronJob')).toMatchObject({ sent: 1, failed: 0 });
    expect(retries()).toEqual([]);
    expect(received).toHaveLength(7);
    expect(await perform('ordersCronJob')).toMatchObject({ sent: 0 });
  });

  it('filters by a single-equality whereClause and reports other clauses as unsupported', async () => {
    impex(`INSERT_UPDATE OutboundSyncStreamConfiguration; streamId[unique = true]; whereClause
; ordersChannel_Order_Stream      ; "{code} = '00002007'"
; ordersChannel_OrderEntry_Stream ; "{item.order} IN ({{SELECT {pk} FROM {Order}}})"
`);
    createOrder('00002006');
    createOrder('00002007');
    const run = await perform('ordersCronJob');
    expect(run?.items).toEqual([{ integrationKey: '00002007', method: 'POST', ok: true, status: 201 }]);
    expect(run?.warnings).toEqual([expect.stringContaining('not supported')]);
  });

  it('returns undefined for an unknown cron job', async () => {
    expect(await perform('nope')).toBeUndefined();
  });
});

describe('ChangeLog', () => {
  it('tracks subtypes, consumes per stream and forgets everything on clear', () => {
    createOrder('00002008');
    const orders = commerce.outbound.sync.changes.changes('s1', 'AbstractOrder');
    expect(orders.map((c) => commerce.store.get(c.pk)?.values.code)).toEqual(['00002008']);
    commerce.outbound.sync.changes.consume('s1', orders[0]!.pk, orders[0]!.version);
    expect(commerce.outbound.sync.changes.changes('s1', 'AbstractOrder')).toEqual([]);
    expect(commerce.outbound.sync.changes.changes('s2', 'Order')).toHaveLength(1);
    commerce.outbound.sync.changes.clear();
    expect(commerce.outbound.sync.changes.changes('s2', 'Order')).toEqual([]);
  });
});
