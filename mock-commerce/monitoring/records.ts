/**
 * What inbound and outbound monitoring share (spec §10, §15; help V-MON-01/02, B-190…B-193): the
 * configuration switches, payload retention as `IntegrationApiMedia`, item creation with the model
 * rules every writer applies, and the retention cleanup.
 *
 * Payloads: Commerce keeps a retained request body as an `IntegrationApiMedia` (`MonitoredRequest.payload`)
 * whose bytes live in the media storage, outside the item database. The sandbox does the same: the media
 * item (code `Payload_<uuid>`, mime, size) is a store item; its text lives in a media storage per store
 * ({@link payloadText} reads it). The monitoring integration objects do not expose the payload (as in
 * Commerce), so only the API below reads it.
 */
import { randomUUID } from 'node:crypto';
import type { CommerceConfig } from '../config/profile.js';
import { defaultValues, missingMandatory } from '../store/model-rules.js';
import type { Item, ItemStore, Pk, StoredValue } from '../store/store.js';

/** `IntegrationRequestStatus` values. */
export type RequestStatus = 'SUCCESS' | 'ERROR';

/** The configuration monitoring reads (a {@link CommerceConfig} fits). */
export type MonitoringConfig = Pick<CommerceConfig, 'get' | 'bool'>;

export type MonitoringDirection = 'inbound' | 'outbound';

const PROPERTY_PREFIX: Record<MonitoringDirection, string> = {
  inbound: 'inboundservices.monitoring',
  outbound: 'outboundservices.monitoring',
};

/**
 * `inboundservices.monitoring.enabled` / `outboundservices.monitoring.enabled`. The profile defaults
 * them to true (spec §15; the 2211 tutorial says "By default, monitoring is enabled", while "Monitoring
 * Setup" says false: help B-190).
 */
export function monitoringEnabled(config: MonitoringConfig, direction: MonitoringDirection): boolean {
  return config.bool(`${PROPERTY_PREFIX[direction]}.enabled`);
}

/**
 * `….monitoring.success.payload.retention` / `….monitoring.error.payload.retention`: documented default
 * false (spec §15; help B-191), which is what an absent property means here. (Commerce's code falls back
 * to true when the property is missing, but its extensions ship it set to false, so it never is.)
 */
export function payloadRetained(config: MonitoringConfig, direction: MonitoringDirection, status: RequestStatus): boolean {
  return config.bool(`${PROPERTY_PREFIX[direction]}.${status === 'SUCCESS' ? 'success' : 'error'}.payload.retention`);
}

/** `integrationservices.media.persistence.media.name.prefix` (spec §15), default `Payload_`. */
export function payloadMediaPrefix(config: MonitoringConfig): string {
  return config.get('integrationservices.media.persistence.media.name.prefix') ?? 'Payload_';
}

/** Creates an item the way Commerce's model service saves one: defaults first, mandatory values checked. */
export function createItem(store: ItemStore, typeCode: string, values: Record<string, StoredValue>): Item {
  const full = { ...defaultValues(store.typeSystem, typeCode), ...values };
  const missing = missingMandatory(store.typeSystem, typeCode, full);
  if (missing.length > 0) throw new Error(`missing values for mandatory attributes [${missing.join(', ')}] of new ${typeCode}`);
  return store.create(typeCode, full);
}

/** The media storage: media code → text, per store. */
const mediaStorage = new WeakMap<ItemStore, Map<string, string>>();

/** Creates an `IntegrationApiMedia` holding `text`; returns its pk. */
export function createPayloadMedia(store: ItemStore, config: MonitoringConfig, text: string, options: { mime?: string; uuid?: () => string } = {}): Pk {
  const code = `${payloadMediaPrefix(config)}${(options.uuid ?? randomUUID)()}`;
  const media = createItem(store, 'IntegrationApiMedia', {
    code,
    mime: options.mime ?? 'application/json',
    // Long values are stored as decimal strings (store.ts).
    size: String(Buffer.byteLength(text, 'utf8')),
    realFileName: code,
  });
  let storage = mediaStorage.get(store);
  if (!storage) mediaStorage.set(store, (storage = new Map()));
  storage.set(code, text);
  return media.pk;
}

/** The retained payload of a monitored request (InboundRequest/OutboundRequest), or undefined. */
export function payloadText(store: ItemStore, request: Item | Pk): string | undefined {
  const item = typeof request === 'number' ? store.get(request) : request;
  const mediaPk = item?.values.payload;
  if (typeof mediaPk !== 'number') return undefined;
  const code = store.get(mediaPk)?.values.code;
  return typeof code === 'string' ? mediaStorage.get(store)?.get(code) : undefined;
}

/** One week, the cleanup cron jobs' default age (help B-192). */
export const DEFAULT_RETENTION_SECONDS = 604800;

/**
 * The monitoring cleanup jobs (help B-192: `inboundRequestCleanupCronJob`, `outboundRequestCleanupJob`
 * and their media jobs): removes the requests of `typeCode` created more than `ageSeconds` before `now`,
 * with their errors and payload media. Returns how many requests were removed. One transaction.
 */
export function cleanupMonitoredRequests(
  store: ItemStore,
  typeCode: 'InboundRequest' | 'OutboundRequest',
  options: { now: number; ageSeconds?: number },
): number {
  const limit = options.now - (options.ageSeconds ?? DEFAULT_RETENTION_SECONDS) * 1000;
  return store.transaction(() => {
    const old = [...store.all(typeCode)].filter((r) => typeof r.values.creationtime === 'number' && r.values.creationtime < limit);
    for (const request of old) {
      if (typeCode === 'InboundRequest') for (const error of store.find('InboundRequestError', { inboundRequest: request.pk })) store.remove(error.pk);
      const media = request.values.payload;
      if (typeof media === 'number') {
        const code = store.get(media)?.values.code;
        if (typeof code === 'string') mediaStorage.get(store)?.delete(code);
        store.remove(media);
      }
      store.remove(request.pk);
    }
    return old.length;
  });
}

/** The pk of the User with this uid, or null. */
export function userPk(store: ItemStore, uid: string | undefined): Pk | null {
  if (uid === undefined) return null;
  return store.find('User', { uid })[0]?.pk ?? null;
}
