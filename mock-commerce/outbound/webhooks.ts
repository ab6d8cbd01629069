/**
 * Webhooks (webhookservices, spec §13; help B-170 … B-177): committed item saves and deletes sent to a
 * `WebhookConfiguration`'s destination, through the same sender as outbound sync, with CloudEvents
 * binary-mode headers.
 *
 * - Which items: the configuration's IO root type and its subtypes; a change of a non-root IO item that
 *   navigates to the root (e.g. `OrderEntry.order`) notifies the root as *Updated* (B-170). Items of
 *   other types are ignored. An IO without a root item is not sent (Commerce refuses such a webhook).
 * - Which events: `eventType` ItemSavedEvent (default; Created and Updated), ItemCreatedEvent,
 *   ItemUpdatedEvent, ItemDeletedEvent (payload from the item as it was before the delete).
 * - Changes delivered together (one transaction, e.g. a deep POST of an order with entries) are one
 *   event per (configuration, root): Created wins over Updated.
 * - `filterLocation` `model://<name>`: the function `<name>` exported by the project's `hooks/*.js`
 *   modules (or registered with `commerce.hooks.register`) is called with
 *   `{ item, integrationObject, eventType }`; the item is sent only when it returns true (or a
 *   promise of true). Any other scheme, an unknown name, a throw or another answer: not sent
 *   (fail closed, B-176), and said in `problems`.
 * - Sending is asynchronous, as Commerce's task executor: `idle()` resolves when every queued send has
 *   finished. The payload is built when the event is taken, so it shows the state the event saw.
 * - Retry (B-173, 2211 profile): a 5xx answer is retried once, 10 s later on the sandbox clock; 4xx,
 *   timeouts and network errors are not. The 2005 profile does not retry.
 *
 * Headers (spec §13.2): `ce-id` (UUID), `ce-type` `sap.cx.commerce.{IO}.{Created|Updated|Deleted}.{v}`
 * (`cloud.event.type.version`, default v1), `ce-source` `/{cloud.event.region|ccv2Region}/sap.cx.commerce`
 * plus `/{instance}` (2nd dot token of `ccv2.services.api.url.0`, else the host name), `ce-specversion`
 * (`cloud.event.specVersion`, 1.0), `ce-time` (sandbox clock, seconds, `Z`), `ce-subject` (the root's
 * integrationKey), `ce-sappassport` (the call's SAP passport).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { SandboxClock } from '../clock/sandbox-clock.js';
import type { CommerceConfig } from '../config/profile.js';
import type { IntegrationObjectModel, IntegrationObjectRegistry, IoItem } from '../integration-objects/model.js';
import { entityKey } from '../odata/entity-values.js';
import type { ChangeEvent, Item, ItemStore, StoredValue } from '../store/store.js';
import { buildOutboundPayload } from './payload.js';
import { rootOf } from './roots.js';
import type { OutboundSendMeta, OutboundSendResult } from './sender.js';

export const EVENT_PACKAGE = 'de.hybris.platform.webhookservices.event.';
export const ITEM_SAVED_EVENT = `${EVENT_PACKAGE}ItemSavedEvent`;
export const WEBHOOK_RETRY_DELAY_MS = 10_000;

export type WebhookOperation = 'Created' | 'Updated' | 'Deleted';

/** What a filter function is given. */
export interface WebhookFilterContext {
  item: Item;
  integrationObject: string;
  eventType: string;
}

export type WebhookFilter = (context: WebhookFilterContext) => unknown;

export interface WebhookDeps {
  store: ItemStore;
  config: CommerceConfig;
  integrationObjects: IntegrationObjectRegistry;
  clock: SandboxClock;
  sender: { send(destinationId: string, payload: unknown, meta: OutboundSendMeta): Promise<OutboundSendResult> };
  /** Resolves `model://<name>` filter names. */
  filter: (name: string) => WebhookFilter | undefined;
  uuid?: () => string;
}

/** One webhook call (with its retry, if any), for tests and the scenario engine. */
export interface WebhookDelivery {
  configuration: string;
  eventType: string;
  operation: WebhookOperation;
  integrationObject: string;
  integrationKey: string;
  /** Not sent: why (filter). */
  filtered?: string;
  results: OutboundSendResult[];
}

interface Configuration {
  item: Item;
  key: string;
  io: IntegrationObjectModel;
  rootIo: IoItem;
  destination: string;
  eventType: string;
  filterLocation: string | undefined;
}

interface Notification {
  configuration: Configuration;
  operation: WebhookOperation;
  root: Item;
}

const OPERATIONS_OF: Record<string, WebhookOperation[]> = {
  ItemSavedEvent: ['Created', 'Updated'],
  ItemCreatedEvent: ['Created'],
  ItemUpdatedEvent: ['Updated'],
  ItemDeletedEvent: ['Deleted'],
};

export class WebhookDispatcher {
  private buffer: ChangeEvent[] = [];
  private flushScheduled = false;
  private queue: Promise<unknown> = Promise.resolve();
  private inFlight = 0;
  private readonly deliveries: WebhookDelivery[] = [];
  private readonly problemList: string[] = [];
  private detach: (() => void) | undefined;

  constructor(private readonly deps: WebhookDeps) {}

  /** Starts listening to committed changes (idempotent). */
  attach(): void {
    this.detach ??= this.deps.store.onChange((e) => this.onChange(e));
  }

  close(): void {
    this.detach?.();
    this.detach = undefined;
  }

  /** Deliveries so far, oldest first. */
  history(): WebhookDelivery[] {
    return [...this.deliveries];
  }

  problems(): string[] {
    return [...this.problemList];
  }

  /** Forgets history and problems (sandbox reset); queued sends still finish. */
  clear(): void {
    this.deliveries.length = 0;
    this.problemList.length = 0;
    this.buffer = [];
  }

  /** Resolves when every event taken so far has been sent (retries scheduled on the clock excepted). */
  async idle(): Promise<void> {
    for (;;) {
      await Promise.resolve(); // let a pending flush run
      if (this.flushScheduled) continue;
      const queue = this.queue;
      await queue;
      if (queue === this.queue && this.inFlight === 0 && !this.flushScheduled) return;
    }
  }

  private onChange(event: ChangeEvent): void {
    this.buffer.push(event);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      const events = this.buffer;
      this.buffer = [];
      this.take(events);
    });
  }

  /** Turns committed changes into notifications and queues their sends. */
  private take(events: ChangeEvent[]): void {
    const configurations = this.configurations();
    if (configurations.length === 0) return;
    const notifications = new Map<string, Notification>();
    const { store } = this.deps;
    for (const event of events) {
      const item = event.kind === 'removed' ? event.removedItem : store.get(event.pk);
      if (!item) continue;
      for (const configuration of configurations) {
        const root = rootOf(store, configuration.io, item);
        if (!root || !root.io.root) continue;
        const operation: WebhookOperation = !root.self ? 'Updated' : event.kind === 'created' ? 'Created' : event.kind === 'removed' ? 'Deleted' : 'Updated';
        if (!OPERATIONS_OF[shortName(configuration.eventType)]?.includes(operation)) continue;
        const key = `${configuration.item.pk}:${root.item.pk}:${operation === 'Deleted' ? 'D' : 'S'}`;
        const previous = notifications.get(key);
        if (previous?.operation === 'Created') continue;
        notifications.set(key, { configuration, operation, root: root.item });
      }
    }
    for (const notification of notifications.values()) this.enqueue(notification);
  }

  private enqueue(notification: Notification): void {
    const { configuration, operation, root } = notification;
    const { store } = this.deps;
    const integrationKey = entityKey(configuration.io, configuration.rootIo, root, store);
    const payload = buildOutboundPayload(configuration.io, configuration.rootIo, root, store, { language: 'en' });
    const delivery: WebhookDelivery = {
      configuration: configuration.key,
      eventType: configuration.eventType,
      operation,
      integrationObject: configuration.io.code,
      integrationKey,
      results: [],
    };
    this.inFlight++;
    this.queue = this.queue
      .then(async () => {
        const rejected = await this.filterRejects(configuration, root);
        this.deliveries.push(delivery);
        if (rejected) {
          delivery.filtered = rejected;
          return;
        }
        const send = () => this.deps.sender.send(configuration.destination, payload, this.meta(configuration, operation, integrationKey));
        const first = await send();
        delivery.results.push(first);
        if (!first.ok && first.status !== undefined && first.status >= 500 && this.deps.config.version !== '2005') {
          this.deps.clock.schedule(this.deps.clock.now() + WEBHOOK_RETRY_DELAY_MS, `webhook retry ${configuration.key} ${integrationKey}`, async () => {
            const retry = await send();
            delivery.results.push(retry);
            return { integrationKey, ok: retry.ok, ...(retry.status !== undefined ? { status: retry.status } : {}) };
          });
        }
      })
      .catch((e: unknown) => this.problemList.push(`webhook ${configuration.key}: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => this.inFlight--);
  }

  private meta(configuration: Configuration, operation: WebhookOperation, integrationKey: string): OutboundSendMeta {
    const { config, clock } = this.deps;
    const uuid = this.deps.uuid ?? randomUUID;
    return {
      integrationObject: configuration.io.code,
      integrationKey,
      source: 'WEBHOOKSERVICES',
      headers: ({ sapPassport }) => ({
        'ce-id': uuid(),
        'ce-type': `sap.cx.commerce.${configuration.io.code}.${operation}.${config.get('cloud.event.type.version') ?? 'v1'}`,
        'ce-source': ceSource(config),
        'ce-specversion': config.get('cloud.event.specVersion') ?? '1.0',
        'ce-time': new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        ...(integrationKey.trim() !== '' ? { 'ce-subject': integrationKey } : {}),
        ...(sapPassport ? { 'ce-sappassport': sapPassport } : {}),
      }),
    };
  }

  /** Undefined when the item may be sent; else why not. */
  private async filterRejects(configuration: Configuration, item: Item): Promise<string | undefined> {
    const location = configuration.filterLocation?.trim();
    if (!location) return undefined;
    const m = /^model:\/\/(.+)$/.exec(location);
    const reject = (why: string): string => {
      this.problemList.push(`webhook ${configuration.key}: filter '${location}': ${why}`);
      return why;
    };
    if (!m) return reject('only model:// filter locations are supported');
    const filter = this.deps.filter(m[1]!);
    if (!filter) return reject(`no filter function named '${m[1]!}' (export it from a hooks/*.js module)`);
    try {
      const answer = await filter({ item, integrationObject: configuration.io.code, eventType: configuration.eventType });
      if (answer === true) return undefined;
      return answer === false ? 'filtered out' : reject(`the filter answered ${JSON.stringify(answer) ?? String(answer)} instead of true or false`);
    } catch (e) {
      return reject(`the filter threw: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private configurations(): Configuration[] {
    const { store, integrationObjects } = this.deps;
    const out: Configuration[] = [];
    for (const item of store.all('WebhookConfiguration')) {
      const ioItem = store.referenced(item.values.integrationObject);
      const destination = store.referenced(item.values.destination);
      const ioCode = str(ioItem?.values.code);
      const io = ioCode ? integrationObjects.get(ioCode) : undefined;
      const rootIo = io?.items.find((i) => i.root);
      const destinationId = str(destination?.values.id);
      if (!io || !rootIo || !destinationId) continue;
      const eventType = str(item.values.eventType) ?? ITEM_SAVED_EVENT;
      const target = str(store.referenced(destination?.values.destinationTarget)?.values.id) ?? '';
      out.push({
        item,
        key: `${destinationId}|${target}|${io.code}|${eventType}`,
        io,
        rootIo,
        destination: destinationId,
        eventType,
        filterLocation: str(item.values.filterLocation),
      });
    }
    return out;
  }
}

function shortName(eventType: string): string {
  return eventType.startsWith(EVENT_PACKAGE) ? eventType.slice(EVENT_PACKAGE.length) : eventType;
}

/** `ce-source` (spec §13.2). */
export function ceSource(config: CommerceConfig): string {
  const region = config.get('cloud.event.region') ?? 'ccv2Region';
  const apiUrl = config.get('ccv2.services.api.url.0');
  const instance = apiUrl && apiUrl !== 'https://localhost:9002' ? (apiUrl.split('.')[1] ?? '') : hostname();
  return `/${region}/sap.cx.commerce${instance.trim() !== '' ? `/${instance}` : ''}`;
}


function str(v: StoredValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
