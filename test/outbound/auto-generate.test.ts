/**
 * `OutboundChannelConfiguration.autoGenerate` (mock-commerce/outbound/auto-generate.ts): saving a channel
 * with autoGenerate=true creates its container, streams, job and cron job — in the loaded demo Commerce,
 * where the generator is attached on load.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Commerce } from '../../mock-commerce/commerce.js';
import type { CronJobRun } from '../../mock-commerce/cronjobs/cron-jobs.js';
import { importImpex } from '../../mock-commerce/impex/import.js';
import { parseImpex } from '../../mock-commerce/impex/parse.js';
import type { Item } from '../../mock-commerce/store/store.js';
import { DEMO, load } from '../helpers/commerce.js';

/** Every type the generator may create (plus Trigger, which it must not). */
const GENERATED_TYPES = ['OutboundSyncStreamConfigurationContainer', 'OutboundSyncStreamConfiguration', 'OutboundSyncJob', 'CronJob', 'Trigger'];

const DESTINATION = `INSERT_UPDATE DestinationTarget; id[unique=true]
; orders
INSERT_UPDATE Endpoint; id[unique=true]; version[unique=true]; name
; ordersEndpoint ; v1 ; Orders
INSERT_UPDATE ConsumedDestination; id[unique=true]; url; active; endpoint(id,version); destinationTarget(id)[unique=true]
; ordersDest ; http://127.0.0.1:9/orders ; true ; ordersEndpoint:v1 ; orders
`;

let commerce: Commerce;

function impex(text: string, target: Commerce = commerce): void {
  const report = importImpex(parseImpex(text, 'x.impex'), target.store);
  expect(report.errors).toEqual([]);
}

function channel(code: string, io: string, autoGenerate: boolean | undefined): void {
  if (autoGenerate === undefined) {
    impex(`INSERT_UPDATE OutboundChannelConfiguration; code[unique = true]; integrationObject(code); destination(id)
; ${code} ; ${io} ; ordersDest
`);
  } else {
    impex(`INSERT_UPDATE OutboundChannelConfiguration; code[unique = true]; integrationObject(code); destination(id); autoGenerate
; ${code} ; ${io} ; ordersDest ; ${String(autoGenerate)}
`);
  }
}

function all(typeCode: string, target: Commerce = commerce): Item[] {
  return [...target.store.all(typeCode)];
}

function one(typeCode: string, criteria: Record<string, string>, target: Commerce = commerce): Item {
  const found = target.store.find(typeCode, criteria);
  expect(found, `${typeCode} ${JSON.stringify(criteria)}`).toHaveLength(1);
  return found[0]!;
}

/** Counts of the generator's types, to compare before and after. */
function counts(target: Commerce = commerce): Record<string, number> {
  return Object.fromEntries(GENERATED_TYPES.map((t) => [t, target.store.count(t)]));
}

function streamsOf(channelCode: string): { streamId: unknown; itemTypeForStream: unknown }[] {
  const ch = one('OutboundChannelConfiguration', { code: channelCode });
  return all('OutboundSyncStreamConfiguration')
    .filter((s) => s.values.outboundChannelConfiguration === ch.pk)
    .map((s) => ({ streamId: s.values.streamId, itemTypeForStream: s.values.itemTypeForStream }));
}

beforeEach(() => {
  commerce = load({ projectDir: DEMO, clock: () => Date.UTC(2026, 0, 5, 9, 0, 0) });
  impex(DESTINATION);
});

describe('autoGenerate=true for the demo Orders IO (root Order)', () => {
  it('creates the container, the Order and OrderEntry streams, the job and the cron job, and no trigger', () => {
    const before = counts();
    channel('ordersOut', 'Orders', true);
    const ch = one('OutboundChannelConfiguration', { code: 'ordersOut' });

    const container = one('OutboundSyncStreamConfigurationContainer', { id: 'ordersOutContainer' });
    expect(container.typeCode).toBe('OutboundSyncStreamConfigurationContainer');

    const streams = commerce.store.find('OutboundSyncStreamConfiguration', { container: container.pk });
    expect(streams.map((s) => ({ type: s.typeCode, ...s.values }))).toEqual([
      { type: 'OutboundSyncStreamConfiguration', streamId: 'ordersOut_Order_Stream', container: container.pk, itemTypeForStream: 'Order', outboundChannelConfiguration: ch.pk, active: true },
      { type: 'OutboundSyncStreamConfiguration', streamId: 'ordersOut_OrderEntry_Stream', container: container.pk, itemTypeForStream: 'OrderEntry', outboundChannelConfiguration: ch.pk, active: true },
    ]);
    // in particular no whereClause, and none for the items that do not navigate to the root
    for (const s of streams) expect(s.values).not.toHaveProperty('whereClause');
    for (const type of ['User', 'Currency', 'Product', 'Media', 'CatalogVersion', 'Catalog']) {
      expect(commerce.store.find('OutboundSyncStreamConfiguration', { itemTypeForStream: type })).toEqual([]);
    }

    const job = one('OutboundSyncJob', { code: 'ordersOutJob' });
    expect(job.typeCode).toBe('OutboundSyncJob');
    expect(job.values).toMatchObject({ springId: 'outboundSyncCronJobPerformable', streamConfigurationContainer: container.pk });

    const cronJob = one('CronJob', { code: 'ordersOutCronJob' });
    expect(cronJob.typeCode).toBe('OutboundSyncCronJob');
    expect(cronJob.values).toMatchObject({ job: job.pk });

    expect(counts()).toEqual({
      OutboundSyncStreamConfigurationContainer: before.OutboundSyncStreamConfigurationContainer! + 1,
      OutboundSyncStreamConfiguration: before.OutboundSyncStreamConfiguration! + 2,
      OutboundSyncJob: before.OutboundSyncJob! + 1,
      CronJob: before.CronJob! + 1,
      Trigger: before.Trigger!,
    });
    expect(all('Trigger')).toEqual([]);
    expect(commerce.outbound.triggers.list()).toEqual([]);
    expect(commerce.time.pending()).toEqual([]);
  });

  it('the generated cron job runs with the generated streams (nothing changed yet: SUCCESS, nothing sent, no warnings)', async () => {
    channel('ordersOut', 'Orders', true);
    const run = (await commerce.outbound.cronJobs.perform('ordersOutCronJob')) as CronJobRun;
    expect(run).toMatchObject({ code: 'ordersOutCronJob', type: 'OutboundSyncCronJob', status: 'FINISHED', result: 'SUCCESS', details: { sent: 0, failed: 0, items: [], warnings: [] } });
  });

  it('saving the channel again (ImpEx, update, unchanged or changed) creates no duplicates', () => {
    channel('ordersOut', 'Orders', true);
    const after = counts();
    const snapshot = GENERATED_TYPES.flatMap((t) => all(t).map((i) => i.pk));
    channel('ordersOut', 'Orders', true);
    const ch = one('OutboundChannelConfiguration', { code: 'ordersOut' });
    commerce.store.update(ch.pk, { autoGenerate: true });
    commerce.store.update(ch.pk, { synchronizeDelete: true });
    expect(counts()).toEqual(after);
    expect(GENERATED_TYPES.flatMap((t) => all(t).map((i) => i.pk))).toEqual(snapshot);
  });

  it('keeps what the project changed in the generated items (a whereClause, an inactive stream)', () => {
    channel('ordersOut', 'Orders', true);
    impex(`INSERT_UPDATE OutboundSyncStreamConfiguration; streamId[unique = true]; whereClause; active
; ordersOut_Order_Stream ; "{code} LIKE 'A%'" ; false
`);
    channel('ordersOut', 'Orders', true);
    expect(one('OutboundSyncStreamConfiguration', { streamId: 'ordersOut_Order_Stream' }).values).toMatchObject({ whereClause: "{code} LIKE 'A%'", active: false });
  });

  it('re-creates a generated stream that was removed when the channel is saved again', () => {
    channel('ordersOut', 'Orders', true);
    const stream = one('OutboundSyncStreamConfiguration', { streamId: 'ordersOut_OrderEntry_Stream' });
    commerce.store.remove(stream.pk);
    expect(streamsOf('ordersOut').map((s) => s.streamId)).toEqual(['ordersOut_Order_Stream']);
    channel('ordersOut', 'Orders', true);
    expect(streamsOf('ordersOut').map((s) => s.streamId)).toEqual(['ordersOut_Order_Stream', 'ordersOut_OrderEntry_Stream']);
  });

  it('reuses a container, job or cron job that already exists under the generated code', () => {
    impex(`INSERT_UPDATE OutboundSyncStreamConfigurationContainer; id[unique = true]
; preContainer
; ordersOutContainer
INSERT_UPDATE OutboundSyncJob; code[unique = true]; springId; streamConfigurationContainer(id)
; ordersOutJob ; outboundSyncCronJobPerformable ; preContainer
`);
    commerce.store.create('CronJob', { code: 'ordersOutCronJob' });
    const before = counts();
    channel('ordersOut', 'Orders', true);
    expect(counts()).toEqual({ ...before, OutboundSyncStreamConfiguration: before.OutboundSyncStreamConfiguration! + 2 });
    const container = one('OutboundSyncStreamConfigurationContainer', { id: 'ordersOutContainer' });
    expect(commerce.store.find('OutboundSyncStreamConfiguration', { container: container.pk })).toHaveLength(2);
    // the existing job is not rewired, the existing (plain) cron job is not replaced
    const pre = one('OutboundSyncStreamConfigurationContainer', { id: 'preContainer' });
    expect(one('OutboundSyncJob', { code: 'ordersOutJob' }).values.streamConfigurationContainer).toBe(pre.pk);
    expect(one('CronJob', { code: 'ordersOutCronJob' }).typeCode).toBe('CronJob');
  });

  it('two channels of one IO get their own sets', () => {
    channel('first', 'Orders', true);
    channel('second', 'Orders', true);
    expect(streamsOf('first').map((s) => s.streamId)).toEqual(['first_Order_Stream', 'first_OrderEntry_Stream']);
    expect(streamsOf('second').map((s) => s.streamId)).toEqual(['second_Order_Stream', 'second_OrderEntry_Stream']);
    one('OutboundSyncCronJob', { code: 'firstCronJob' });
    one('OutboundSyncCronJob', { code: 'secondCronJob' });
  });
});

describe('autoGenerate not true', () => {
  it.each([
    ['false', false],
    ['not given (default false)', undefined],
  ] as [string, boolean | undefined][])('autoGenerate %s creates nothing', (_name, autoGenerate) => {
    const before = counts();
    channel('manual', 'Orders', autoGenerate);
    expect(counts()).toEqual(before);
    expect(commerce.store.find('OutboundSyncStreamConfigurationContainer', { id: 'manualContainer' })).toEqual([]);
    expect(commerce.store.find('CronJob', { code: 'manualCronJob' })).toEqual([]);
  });

  it('switching autoGenerate from false to true generates then', () => {
    channel('later', 'Orders', false);
    const before = counts();
    channel('later', 'Orders', true);
    expect(counts().OutboundSyncStreamConfiguration).toBe(before.OutboundSyncStreamConfiguration! + 2);
    one('OutboundSyncCronJob', { code: 'laterCronJob' });
  });

  it('switching autoGenerate back to false leaves the generated items in place', () => {
    channel('flip', 'Orders', true);
    const after = counts();
    channel('flip', 'Orders', false);
    expect(counts()).toEqual(after);
  });

  it('a channel without an integration object, or with an unknown one, creates nothing', () => {
    const before = counts();
    commerce.store.create('OutboundChannelConfiguration', { code: 'noIo', autoGenerate: true });
    commerce.store.create('OutboundChannelConfiguration', { code: 'danglingIo', integrationObject: 999_999, autoGenerate: true });
    commerce.store.create('OutboundChannelConfiguration', { code: 'textIo', integrationObject: 'Orders', autoGenerate: true });
    expect(counts()).toEqual(before);
  });

  it('a channel without a code creates nothing', () => {
    const io = one('IntegrationObject', { code: 'Orders' });
    const before = counts();
    commerce.store.create('OutboundChannelConfiguration', { integrationObject: io.pk, autoGenerate: true });
    expect(counts()).toEqual(before);
  });

  it('autoGenerate must be the boolean true (a stored string does not count)', () => {
    const io = one('IntegrationObject', { code: 'Orders' });
    const before = counts();
    commerce.store.create('OutboundChannelConfiguration', { code: 'stringly', integrationObject: io.pk, autoGenerate: 'true' });
    expect(counts()).toEqual(before);
  });
});

describe('other integration objects', () => {
  it('an IO without a root item gets one stream per item type', () => {
    impex(`INSERT_UPDATE IntegrationObject; code[unique = true]; integrationType(code)
; ProductFeed ; INBOUND
INSERT_UPDATE IntegrationObjectItem; integrationObject(code)[unique = true]; code[unique = true]; type(code)
; ProductFeed ; Product        ; Product
; ProductFeed ; CatalogVersion ; CatalogVersion
; ProductFeed ; Catalog        ; Catalog
$item = integrationObjectItem(integrationObject(code), code)
$descriptor = attributeDescriptor(enclosingType(code), qualifier)
$returnItem = returnIntegrationObjectItem(integrationObject(code), code)
INSERT_UPDATE IntegrationObjectItemAttribute; $item[unique = true]; attributeName[unique = true]; $descriptor; $returnItem; unique[default = false]
; ProductFeed:Product        ; code           ; Product:code           ;                            ; true
; ProductFeed:Product        ; catalogVersion ; Product:catalogVersion ; ProductFeed:CatalogVersion ; true
; ProductFeed:CatalogVersion ; version        ; CatalogVersion:version ;                            ; true
; ProductFeed:CatalogVersion ; catalog        ; CatalogVersion:catalog ; ProductFeed:Catalog        ; true
; ProductFeed:Catalog        ; id             ; Catalog:id             ;                            ; true
`);
    expect(commerce.integrationObjects.get('ProductFeed')!.items.some((i) => i.root)).toBe(false);
    channel('feed', 'ProductFeed', true);
    expect(streamsOf('feed')).toEqual([
      { streamId: 'feed_Product_Stream', itemTypeForStream: 'Product' },
      { streamId: 'feed_CatalogVersion_Stream', itemTypeForStream: 'CatalogVersion' },
      { streamId: 'feed_Catalog_Stream', itemTypeForStream: 'Catalog' },
    ]);
    one('OutboundSyncCronJob', { code: 'feedCronJob' });
  });

  it('with a root: only single-valued navigation to the root counts (not a collection), streams are named by type code, not IO item code', () => {
    impex(`INSERT_UPDATE IntegrationObject; code[unique = true]; integrationType(code)
; VersionFeed ; INBOUND
INSERT_UPDATE IntegrationObjectItem; integrationObject(code)[unique = true]; code[unique = true]; type(code); root[default = false]
; VersionFeed ; Version ; CatalogVersion ; true
; VersionFeed ; Cat     ; Catalog        ;
; VersionFeed ; Prod    ; Product        ;
$item = integrationObjectItem(integrationObject(code), code)
$descriptor = attributeDescriptor(enclosingType(code), qualifier)
$returnItem = returnIntegrationObjectItem(integrationObject(code), code)
INSERT_UPDATE IntegrationObjectItemAttribute; $item[unique = true]; attributeName[unique = true]; $descriptor; $returnItem; unique[default = false]
; VersionFeed:Version ; version         ; CatalogVersion:version ;                     ; true
; VersionFeed:Version ; catalog         ; CatalogVersion:catalog ; VersionFeed:Cat     ; true
; VersionFeed:Cat     ; id              ; Catalog:id             ;                     ; true
; VersionFeed:Cat     ; catalogVersions ; Catalog:catalogVersions ; VersionFeed:Version ;
; VersionFeed:Prod    ; code            ; Product:code           ;                     ; true
; VersionFeed:Prod    ; catalogVersion  ; Product:catalogVersion ; VersionFeed:Version ; true
`);
    const io = commerce.integrationObjects.get('VersionFeed')!;
    expect(io.items.find((i) => i.code === 'Cat')!.attributes.find((a) => a.name === 'catalogVersions')).toMatchObject({ kind: 'navigation', collection: true, returnItem: 'Version' });
    channel('versions', 'VersionFeed', true);
    expect(streamsOf('versions')).toEqual([
      { streamId: 'versions_CatalogVersion_Stream', itemTypeForStream: 'CatalogVersion' },
      { streamId: 'versions_Product_Stream', itemTypeForStream: 'Product' },
    ]);
  });

  it('the demo ThirdPartyInboundProduct IO (root Product, nothing navigates to it) gets only the Product stream', () => {
    channel('ratings', 'ThirdPartyInboundProduct', true);
    expect(streamsOf('ratings')).toEqual([{ streamId: 'ratings_Product_Stream', itemTypeForStream: 'Product' }]);
  });

  it('an IO created after the channel does not generate retroactively; saving the channel then does', () => {
    const io = commerce.store.create('IntegrationObject', { code: 'Late', integrationType: 'INBOUND' });
    commerce.store.create('OutboundChannelConfiguration', { code: 'early', integrationObject: io.pk, autoGenerate: true });
    // the IO has no items yet: a container, job and cron job, but no stream
    expect(one('OutboundSyncStreamConfigurationContainer', { id: 'earlyContainer' })).toBeDefined();
    expect(streamsOf('early')).toEqual([]);
    impex(`INSERT_UPDATE IntegrationObjectItem; integrationObject(code)[unique = true]; code[unique = true]; type(code); root[default = false]
; Late ; Product ; Product ; true
`);
    expect(streamsOf('early')).toEqual([]);
    channel('early', 'Late', true);
    expect(streamsOf('early')).toEqual([{ streamId: 'early_Product_Stream', itemTypeForStream: 'Product' }]);
  });
});

describe('a project with its own types: type codes with underscores, channels loaded with the project', () => {
  let dir: string;
  let project: Commerce;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'auto-generate-'));
    cpSync(join(DEMO, 'impex'), join(dir, 'impex'), { recursive: true });
    mkdirSync(join(dir, 'types'));
    writeFileSync(
      join(dir, 'types', 'loyalty-items.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<items xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="items.xsd">
  <itemtypes>
    <itemtype code="Loyalty_Program" extends="GenericItem" autocreate="true" generate="true">
      <deployment table="LoyaltyPrograms" typecode="31001"/>
      <attributes>
        <attribute qualifier="code" type="java.lang.String"><persistence type="property"/><modifiers unique="true"/></attribute>
      </attributes>
    </itemtype>
    <itemtype code="Loyalty_Member" extends="GenericItem" autocreate="true" generate="true">
      <deployment table="LoyaltyMembers" typecode="31002"/>
      <attributes>
        <attribute qualifier="uid" type="java.lang.String"><persistence type="property"/><modifiers unique="true"/></attribute>
        <attribute qualifier="program" type="Loyalty_Program"><persistence type="property"/></attribute>
      </attributes>
    </itemtype>
  </itemtypes>
</items>
`,
    );
    writeFileSync(
      join(dir, 'impex', '90-loyalty.impex'),
      `INSERT_UPDATE IntegrationObject; code[unique = true]; integrationType(code)
; Loyalty ; INBOUND
INSERT_UPDATE IntegrationObjectItem; integrationObject(code)[unique = true]; code[unique = true]; type(code); root[default = false]
; Loyalty ; Program ; Loyalty_Program ; true
; Loyalty ; Member  ; Loyalty_Member  ;
$item = integrationObjectItem(integrationObject(code), code)
$descriptor = attributeDescriptor(enclosingType(code), qualifier)
$returnItem = returnIntegrationObjectItem(integrationObject(code), code)
INSERT_UPDATE IntegrationObjectItemAttribute; $item[unique = true]; attributeName[unique = true]; $descriptor; $returnItem; unique[default = false]
; Loyalty:Program ; code    ; Loyalty_Program:code   ;                 ; true
; Loyalty:Member  ; uid     ; Loyalty_Member:uid     ;                 ; true
; Loyalty:Member  ; program ; Loyalty_Member:program ; Loyalty:Program ;
${DESTINATION}
INSERT_UPDATE OutboundChannelConfiguration; code[unique = true]; integrationObject(code); destination(id); autoGenerate
; loyaltyChannel ; Loyalty ; ordersDest ; true
`,
    );
    project = load({ projectDir: dir, clock: () => 0 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a channel in the project ImpEx is generated for when the project is loaded; underscores leave the stream ids', () => {
    const ch = one('OutboundChannelConfiguration', { code: 'loyaltyChannel' }, project);
    const container = one('OutboundSyncStreamConfigurationContainer', { id: 'loyaltyChannelContainer' }, project);
    expect(project.store.find('OutboundSyncStreamConfiguration', { outboundChannelConfiguration: ch.pk }).map((s) => s.values)).toEqual([
      { streamId: 'loyaltyChannel_LoyaltyProgram_Stream', container: container.pk, itemTypeForStream: 'Loyalty_Program', outboundChannelConfiguration: ch.pk, active: true },
      { streamId: 'loyaltyChannel_LoyaltyMember_Stream', container: container.pk, itemTypeForStream: 'Loyalty_Member', outboundChannelConfiguration: ch.pk, active: true },
    ]);
    expect(one('OutboundSyncJob', { code: 'loyaltyChannelJob' }, project).values).toMatchObject({ springId: 'outboundSyncCronJobPerformable', streamConfigurationContainer: container.pk });
    expect(one('CronJob', { code: 'loyaltyChannelCronJob' }, project).typeCode).toBe('OutboundSyncCronJob');
    expect(all('Trigger', project)).toEqual([]);
  });

  // Known bug (not in the files this test may change): the reset snapshot is taken in SandboxAdmin.markLoaded
  // *before* onLoaded attaches outbound, and the generator only generates on attach and on channel saves, so
  // after POST /__sandbox/reset the streams, job and cron job generated for a loaded channel are gone. Fix
  // (e.g. regenerate in Outbound.reset, or snapshot after attaching), then make this an ordinary it().
  it('a sandbox reset keeps what was generated at load (it is part of the loaded state)', async () => {
    const res = await project.handle({ method: 'POST', path: '/__sandbox/reset', query: '', headers: {}, origin: 'http://localhost' });
    expect(res.status).toBe(204);
    expect(project.store.find('OutboundSyncStreamConfiguration', { streamId: 'loyaltyChannel_LoyaltyMember_Stream' })).toHaveLength(1);
    one('CronJob', { code: 'loyaltyChannelCronJob' }, project);
  });
});
