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
 * 3. `whereClause`: the subset of `where-clause.ts`, evaluated on the changed item; a change not
 *    matching is consumed without sending. A clause outside the subset makes the stream skipped
 *    (nothing consumed) and is reported in `warnings`;
 * 4. changes are grouped per (channel, root item): one POST of the root's §11.3 payload each;
 * 4a. deletes (B-160): consumed without sending, unless the channel has `synchronizeDelete=true`
 *    (a 2105+ attribute; opt-in) and the deleted item is a root item: then one
 *    `DELETE {destination url}('{integrationKey}')` without a body. Commerce's own wire format is not
 *    in the sources (spec §12.2 open question); this is the OData V2 delete of the entity in the
 *    destination's entity set — what an SCPI OData sender endpoint at that URL accepts — with the
 *    integrationKey as the key predicate (quotes doubled, then percent-encoded as Commerce encodes keys
 *    in URLs). Deletes of non-root items are ignored, as documented;
 * 5. success consumes the group's changes and removes the `OutboundSyncRetry` of (root, channel);
 *    failure creates/updates it (`syncAttempts+1`, `remainingSyncAttempts-1`, starting from 0 and
 *    `outboundsync.max.retries`) and keeps the changes for the next run; when `remainingSyncAttempts`
 *    reaches 0, `reachedMaxRetries=true` and the changes are consumed: the item is given up until it
 *    changes again. A retry that reached the maximum starts over on the next failure.
 *
 * Sends run one after another (no grouping timeout, no thread pool). The cron job's result is SUCCESS,
 * or ERROR when some sends failed (B-167); `cronjobs/cron-jobs.ts` records it on the item.
 *
 * Only changes after `attach()` count: the project's loaded data is the baseline, as if a first run had
 * already consumed it (a real Commerce reports items without a version marker as new on a stream's
 * first run; a sandbox sending its whole sample data at the first run would only be noise).
 */
import type { CommerceConfig } from '../config/profile.js';
import type { IntegrationObjectModel, IntegrationObjectRegistry, IoItem } from '../integration-objects/model.js';
import { entityKey } from '../odata/entity-values.js';
import type { Item, ItemStore, StoredValue } from '../store/store.js';
import { buildOutboundPayload } from './payload.js';
import type { OutboundSendMeta, OutboundSendResult } from './sender.js';
import { ChangeLog, type ItemChange } from './changes.js';
import type { PerformResult } from '../cronjobs/cron-jobs.js';
import { rootOf } from './roots.js';
import { type ItemPredicate, WhereClauseError, parseWhereClause } from './where-clause.js';

export const DEFAULT_MAX_RETRIES = 5;

export interface OutboundSyncDeps {
  store: ItemStore;
  config: CommerceConfig;
  integrationObjects: IntegrationObjectRegistry;
  sender: { send(destinationId: string, payload: unknown, meta: OutboundSendMeta): Promise<OutboundSendResult> };
}

export interface OutboundSyncItemResult {
  integrationKey: string;
  /** POST (create or update) or DELETE (delete synchronisation). */
  method: 'POST' | 'DELETE';
  ok: boolean;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
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
  synchronizeDelete: boolean;
}

interface Group {
  channel: Channel;
  rootIo: IoItem;
  root: Item;
  method: 'POST' | 'DELETE';
  changes: { streamId: string; change: ItemChange }[];
}

export class OutboundSync {
  readonly changes: ChangeLog;

  constructor(private readonly deps: OutboundSyncDeps) {
    this.changes = new ChangeLog(deps.store);
  }

  /** Starts recording store changes; only changes after this are synchronised. */
  attach(): void {
    this.changes.attach();
  }

  /** The performable of `OutboundSyncCronJob`s (see `cronjobs/cron-jobs.ts`). */
  readonly perform = async (cronJob: Item): Promise<PerformResult> => {
    const result = await this.run(cronJob);
    return { result: result.failed > 0 ? 'ERROR' : 'SUCCESS', details: { ...result } };
  };

  /** One run of the cron job: what was sent, what failed, what was skipped. */
  async run(cronJob: Item): Promise<OutboundSyncRunResult> {
    const { store } = this.deps;
    const job = store.referenced(cronJob.values.job);
    const container = job && store.referenced(job.values.streamConfigurationContainer);
    const result: OutboundSyncRunResult = { sent: 0, failed: 0, items: [], warnings: [] };
    if (!container) {
      result.warnings.push(`Cron job '${str(cronJob.values.code) ?? cronJob.pk}' has no job with a stream configuration container`);
      return result;
    }
    const groups = new Map<string, Group>();
    for (const stream of store.find('OutboundSyncStreamConfiguration', { container: container.pk })) {
      if (stream.values.active === false) continue;
      this.collect(stream, groups, result);
    }
    for (const group of groups.values()) await this.sendGroup(group, result);
    return result;
  }

  private collect(stream: Item, groups: Map<string, Group>, result: OutboundSyncRunResult): void {
    const { store } = this.deps;
    const streamId = str(stream.values.streamId) ?? String(stream.pk);
    const typeCode = str(stream.values.itemTypeForStream);
    const channel = this.channel(store.referenced(stream.values.outboundChannelConfiguration));
    if (!typeCode || !channel) {
      result.warnings.push(`Stream '${streamId}' has no item type or no usable outbound channel`);
      return;
    }
    let where: ItemPredicate | undefined;
    try {
      where = parseWhereClause(str(stream.values.whereClause));
    } catch (e) {
      if (!(e instanceof WhereClauseError)) throw e;
      result.warnings.push(`Stream '${streamId}': whereClause '${str(stream.values.whereClause) ?? ''}' is not supported (${e.message}); stream skipped`);
      return;
    }
    for (const change of this.changes.changes(streamId, typeCode)) {
      const target = this.target(change, channel, where);
      if (!target) {
        this.changes.consume(streamId, change.pk, change.version);
        continue;
      }
      const key = `${channel.item.pk}:${target.method}:${target.item.pk}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { channel, rootIo: target.io, root: target.item, method: target.method, changes: [] }));
      group.changes.push({ streamId, change });
    }
  }

  /** What a change makes the channel send: the root to POST, a root to DELETE, or nothing. */
  private target(change: ItemChange, channel: Channel, where: ItemPredicate | undefined): { io: IoItem; item: Item; method: 'POST' | 'DELETE' } | undefined {
    const { store } = this.deps;
    if (change.kind === 'deleted') {
      const removed = change.removedItem;
      if (!channel.synchronizeDelete || !removed || (where && !where(removed.values))) return undefined;
      const root = rootOf(store, channel.io, removed);
      return root?.self && root.io.root ? { io: root.io, item: removed, method: 'DELETE' } : undefined;
    }
    const item = store.get(change.pk);
    if (!item || (where && !where(item.values))) return undefined;
    const root = rootOf(store, channel.io, item);
    return root ? { io: root.io, item: root.item, method: 'POST' } : undefined;
  }

  private async sendGroup(group: Group, result: OutboundSyncRunResult): Promise<void> {
    const { store, sender } = this.deps;
    const { channel, rootIo, root, method } = group;
    const integrationKey = entityKey(channel.io, rootIo, root, store);
    const payload = method === 'POST' ? buildOutboundPayload(channel.io, rootIo, root, store, { language: 'en' }) : undefined;
    const meta: OutboundSendMeta = { integrationObject: channel.io.code, integrationKey, source: 'OUTBOUNDSYNC', method };
    if (method === 'DELETE') meta.urlSuffix = `('${encodeURIComponent(integrationKey.replaceAll("'", "''"))}')`;
    const sent = await sender.send(channel.destination, payload, meta);
    const outcome: OutboundSyncItemResult = {
      integrationKey,
      method,
      ok: sent.ok,
      ...(sent.status !== undefined ? { status: sent.status } : {}),
      ...(sent.error !== undefined ? { error: sent.error } : {}),
    };
    result.items.push(outcome);
    const retry = store.find('OutboundSyncRetry', { itemPk: String(root.pk), channel: channel.item.pk })[0];
    if (sent.ok) {
      result.sent++;
      this.consume(group);
      if (retry) store.remove(retry.pk);
      return;
    }
    result.failed++;
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

  private channel(item: Item | undefined): Channel | undefined {
    if (!item) return undefined;
    const { store, integrationObjects } = this.deps;
    const ioCode = str(store.referenced(item.values.integrationObject)?.values.code);
    const destination = str(store.referenced(item.values.destination)?.values.id);
    const io = ioCode ? integrationObjects.get(ioCode) : undefined;
    return io && destination ? { item, io, destination, synchronizeDelete: item.values.synchronizeDelete === true } : undefined;
  }
}


function str(v: StoredValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: StoredValue | undefined): number {
  return typeof v === 'number' ? v : Number(v ?? 0) || 0;
}
