/**
 * Outbound sync: an `OutboundSyncCronJob` run (spec §12; help B-160 … B-163, B-167).
 *
 * Per run: cron job → `OutboundSyncJob` → its `streamConfigurationContainer` → the active
 * `OutboundSyncStreamConfiguration`s → each stream's `OutboundChannelConfiguration` (integration object
 * and `ConsumedDestination`). For each unconsumed change of a stream (see `changes.ts`):
 * 1. the changed item is matched to the IO item of its type (or a supertype); no IO item → ignored
 *    and consumed (B-163);
 * 2. it is mapped to its root: a root item is itself; a non-root item follows one single-valued IO
 *    navigation whose target is the root IO item (e.g. `OrderEntry.order`). Deeper paths are not
 *    followed; no such navigation or no target → ignored and consumed. An IO without a root item sends
 *    each changed item on its own;
 * 3. `whereClause`: only a single equality `{qualifier} = 'value'` (also `{item.qualifier}`) on the
 *    changed item is supported; a change not matching is consumed without sending. Any other non-blank
 *    clause makes the stream skipped (nothing consumed) and is reported in `warnings`;
 * 4. changes are grouped per (channel, root item): one POST of the root's §11.3 payload each;
 * 5. success consumes the group's changes and removes the `OutboundSyncRetry` of (root, channel);
 *    failure creates/updates it (`syncAttempts+1`, `remainingSyncAttempts-1`, starting from 0 and
 *    `outboundsync.max.retries`) and keeps the changes for the next run; when `remainingSyncAttempts`
 *    reaches 0, `reachedMaxRetries=true` and the changes are consumed: the item is given up until it
 *    changes again. A retry that reached the maximum starts over on the next failure.
 *
 * Sends run one after another (no grouping timeout, no thread pool). The cron job item gets
 * `status=FINISHED` and `result` SUCCESS, or ERROR when some sends failed (B-167).
 */
import type { CommerceConfig } from '../config/profile.js';
import type { IntegrationObjectModel, IntegrationObjectRegistry, IoItem } from '../integration-objects/model.js';
import { entityKey, navigationTarget } from '../odata/entity-values.js';
import type { Item, ItemStore, StoredValue } from '../store/store.js';
import { buildOutboundPayload } from './payload.js';
import type { OutboundSendMeta, OutboundSendResult } from './sender.js';
import { ChangeLog, type ItemChange } from './changes.js';

export const DEFAULT_MAX_RETRIES = 5;

export interface OutboundSyncDeps {
  store: ItemStore;
  config: CommerceConfig;
  integrationObjects: IntegrationObjectRegistry;
  now: () => number;
  sender: { send(destinationId: string, payload: unknown, meta: OutboundSendMeta): Promise<OutboundSendResult> };
}

export interface OutboundSyncItemResult {
  integrationKey: string;
  ok: boolean;
  error?: string;
}

export interface OutboundSyncRunResult {
  sent: number;
  failed: number;
  items: OutboundSyncItemResult[];
  warnings: string[];
}

interface Channel {
  item: Item;
  io: IntegrationObjectModel;
  destination: string;
}

interface Group {
  channel: Channel;
  rootIo: IoItem;
  root: Item;
  changes: { streamId: string; change: ItemChange }[];
}

const WHERE_EQUALITY = /^\s*\{(?:item\.)?(\w+)\}\s*=\s*'((?:[^']|'')*)'\s*$/;

export class OutboundSync {
  readonly changes: ChangeLog;

  constructor(private readonly deps: OutboundSyncDeps) {
    this.changes = new ChangeLog(deps.store);
  }

  /** Starts recording store changes; only changes after this are synchronised. */
  attach(): void {
    this.changes.attach();
  }

  /** Runs an `OutboundSyncCronJob` by code; undefined when there is no such outbound sync cron job. */
  async performCronJob(code: string): Promise<OutboundSyncRunResult | undefined> {
    const { store } = this.deps;
    const cronJob = store.find('OutboundSyncCronJob', { code })[0];
    if (!cronJob) return undefined;
    const job = ref(store, cronJob.values.job);
    const container = job && ref(store, job.values.streamConfigurationContainer);
    const result: OutboundSyncRunResult = { sent: 0, failed: 0, items: [], warnings: [] };
    if (!container) {
      result.warnings.push(`Cron job '${code}' has no job with a stream configuration container`);
      this.finish(cronJob, result);
      return result;
    }
    const groups = new Map<string, Group>();
    for (const stream of store.find('OutboundSyncStreamConfiguration', { container: container.pk })) {
      if (stream.values.active === false) continue;
      this.collect(stream, groups, result);
    }
    for (const group of groups.values()) await this.sendGroup(group, result);
    this.finish(cronJob, result);
    return result;
  }

  private collect(stream: Item, groups: Map<string, Group>, result: OutboundSyncRunResult): void {
    const { store } = this.deps;
    const streamId = str(stream.values.streamId) ?? String(stream.pk);
    const typeCode = str(stream.values.itemTypeForStream);
    const channel = this.channel(ref(store, stream.values.outboundChannelConfiguration));
    if (!typeCode || !channel) {
      result.warnings.push(`Stream '${streamId}' has no item type or no usable outbound channel`);
      return;
    }
    const where = str(stream.values.whereClause)?.trim();
    let condition: { qualifier: string; value: string } | undefined;
    if (where) {
      const m = WHERE_EQUALITY.exec(where);
      if (!m) {
        result.warnings.push(`Stream '${streamId}': whereClause '${where}' is not supported; stream skipped`);
        return;
      }
      condition = { qualifier: m[1]!, value: m[2]!.replaceAll("''", "'") };
    }
    const rootIo = channel.io.items.find((i) => i.root);
    for (const change of this.changes.changes(streamId, typeCode)) {
      const item = store.get(change.pk);
      const ioItem = item && this.ioItemOf(channel.io, item);
      const matches = item !== undefined && (!condition || display(item.values[condition.qualifier]) === condition.value);
      const root = matches && ioItem ? this.rootOf(ioItem, item, rootIo) : undefined;
      if (!root) {
        this.changes.consume(streamId, change.pk, change.version);
        continue;
      }
      const key = `${channel.item.pk}:${root.item.pk}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { channel, rootIo: root.io, root: root.item, changes: [] }));
      group.changes.push({ streamId, change });
    }
  }

  private async sendGroup(group: Group, result: OutboundSyncRunResult): Promise<void> {
    const { store, sender } = this.deps;
    const { channel, rootIo, root } = group;
    const integrationKey = entityKey(channel.io, rootIo, root, store);
    const payload = buildOutboundPayload(channel.io, rootIo, root, store, { language: 'en' });
    const sent = await sender.send(channel.destination, payload, { integrationObject: channel.io.code, integrationKey, source: 'OUTBOUNDSYNC' });
    const retry = store.find('OutboundSyncRetry', { itemPk: String(root.pk), channel: channel.item.pk })[0];
    if (sent.ok) {
      result.sent++;
      result.items.push({ integrationKey, ok: true });
      this.consume(group);
      if (retry) store.remove(retry.pk);
      return;
    }
    result.failed++;
    result.items.push({ integrationKey, ok: false, ...(sent.error !== undefined ? { error: sent.error } : {}) });
    const max = this.deps.config.int('outboundsync.max.retries', 0);
    const fresh = !retry || retry.values.reachedMaxRetries === true;
    const attempts = (fresh ? 0 : num(retry.values.syncAttempts)) + 1;
    const remaining = Math.max(0, (fresh ? max : num(retry.values.remainingSyncAttempts)) - 1);
    const values = { syncAttempts: attempts, remainingSyncAttempts: remaining, reachedMaxRetries: remaining === 0 };
    if (retry) store.update(retry.pk, values);
    else store.create('OutboundSyncRetry', { itemPk: String(root.pk), channel: channel.item.pk, ...values });
    if (remaining === 0) this.consume(group);
  }

  private consume(group: Group): void {
    for (const { streamId, change } of group.changes) this.changes.consume(streamId, change.pk, change.version);
  }

  private finish(cronJob: Item, result: OutboundSyncRunResult): void {
    this.deps.store.update(cronJob.pk, { status: 'FINISHED', result: result.failed > 0 ? 'ERROR' : 'SUCCESS' });
  }

  private channel(item: Item | undefined): Channel | undefined {
    if (!item) return undefined;
    const { store, integrationObjects } = this.deps;
    const ioCode = str(ref(store, item.values.integrationObject)?.values.code);
    const destination = str(ref(store, item.values.destination)?.values.id);
    const io = ioCode ? integrationObjects.get(ioCode) : undefined;
    return io && destination ? { item, io, destination } : undefined;
  }

  /** The IO item for the stored item's type: exact type first, else the nearest supertype. */
  private ioItemOf(io: IntegrationObjectModel, item: Item): IoItem | undefined {
    const ts = this.deps.store.typeSystem;
    return io.items.find((i) => i.typeCode === item.typeCode) ?? io.items.find((i) => ts.isSubtypeOf(item.typeCode, i.typeCode));
  }

  private rootOf(ioItem: IoItem, item: Item, rootIo: IoItem | undefined): { io: IoItem; item: Item } | undefined {
    if (!rootIo || ioItem.root) return { io: ioItem, item };
    for (const attribute of ioItem.attributes) {
      if (attribute.kind !== 'navigation' || attribute.collection || attribute.returnItem !== rootIo.code) continue;
      const target = navigationTarget(this.deps.store, item, attribute);
      if (target && this.deps.store.get(target.pk) === target) return { io: rootIo, item: target };
    }
    return undefined;
  }
}

function ref(store: ItemStore, v: StoredValue | undefined): Item | undefined {
  return typeof v === 'number' ? store.get(v) : undefined;
}

function str(v: StoredValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: StoredValue | undefined): number {
  return typeof v === 'number' ? v : Number(v ?? 0) || 0;
}

function display(v: StoredValue | undefined): string | undefined {
  return v === null || v === undefined || typeof v === 'object' ? undefined : String(v);
}
