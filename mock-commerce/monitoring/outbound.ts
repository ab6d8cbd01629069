/**
 * Outbound request monitoring (spec §10.2; help V-MON-02): every request Commerce sends (outbound
 * service, outbound sync, webhooks) is recorded as an `OutboundRequest`, readable through the
 * `OutboundIntegrationMonitoring` meta integration object (`essential-data/20-monitoring.impex`):
 *
 * | OutboundRequest | from |
 * |---|---|
 * | `destination` | the URL posted to |
 * | `type` | the outbound integration object code |
 * | `messageId` | a UUID per send, also sent as header `X-OutboundMonitoring-MessageId` |
 * | `status` | `SUCCESS` when the remote answered 2xx, else `ERROR` |
 * | `error` | the error text |
 * | `integrationKey` (`requestIntegrationKey` on the wire) | the sent entity's key, URL-decoded |
 * | `sapPassport` | the `SAP-PASSPORT` header sent (the entry's OData key) |
 * | `payload` | the body sent, only with payload retention on |
 *
 * The 2211 fields `source` (OUTBOUNDSYNC, WEBHOOKSERVICES, UNKNOWN) and the HTTP method are not in the
 * sandbox's type catalogue and are not recorded.
 */
import { randomUUID } from 'node:crypto';
import type { Item, ItemStore, StoredValue } from '../store/store.js';
import { type MonitoringConfig, type RequestStatus, createItem, createPayloadMedia, monitoringEnabled, payloadRetained, userPk } from './records.js';

/** The header an outbound request carries its message id in. */
export const OUTBOUND_MESSAGE_ID_HEADER = 'X-OutboundMonitoring-MessageId';

export interface OutboundRequestDetails {
  status: RequestStatus;
  /** The outbound integration object code. */
  type: string;
  /** The URL the request was sent to. */
  destination: string;
  /** The sent entity's integrationKey (URL-decoded). */
  integrationKey?: string;
  /** The message id sent; default a new UUID (with dashes, as documented). */
  messageId?: string;
  /** The SAP passport sent; default none (null). */
  sapPassport?: string;
  /** Why the request failed. */
  error?: string;
  /** The session user the send ran as. */
  userUid?: string;
  /** The body sent; kept only when the payload retention property for the status is on. */
  payload?: string;
  payloadMime?: string;
  /** The sandbox clock (epoch ms): the record's creationtime. */
  now: number;
  /** UUID source for the message id and the payload media code (default `crypto.randomUUID`). */
  uuid?: () => string;
}

/**
 * Records one outbound request in its own transaction; returns the `OutboundRequest`, or undefined when
 * `outboundservices.monitoring.enabled` is off. As for inbound, call it outside any open transaction.
 */
export function recordOutboundRequest(store: ItemStore, config: MonitoringConfig, details: OutboundRequestDetails): Item | undefined {
  if (!monitoringEnabled(config, 'outbound')) return undefined;
  const uuid = details.uuid ?? randomUUID;
  return store.transaction(() => {
    const values: Record<string, StoredValue> = {
      creationtime: details.now,
      modifiedtime: details.now,
      status: details.status,
      type: details.type,
      destination: details.destination,
      integrationKey: details.integrationKey ?? null,
      messageId: details.messageId ?? uuid(),
      sapPassport: details.sapPassport ?? null,
      error: details.error ?? null,
      user: userPk(store, details.userUid),
    };
    if (details.payload !== undefined && payloadRetained(config, 'outbound', details.status)) {
      values.payload = createPayloadMedia(store, config, details.payload, { ...(details.payloadMime ? { mime: details.payloadMime } : {}), uuid });
    }
    return createItem(store, 'OutboundRequest', values);
  });
}
