/**
 * Inbound request monitoring (spec §10.1; help V-MON-01, B-190…B-193): every POST, PATCH and DELETE on
 * `/odata2webservices` is recorded as an `InboundRequest` (GET is not monitored; a `$batch` records one
 * per part), readable through the `InboundIntegrationMonitoring` meta integration object
 * (`essential-data/20-monitoring.impex`):
 *
 * | InboundRequest | from |
 * |---|---|
 * | `status` | `SUCCESS` / `ERROR` |
 * | `type` | the integration object code from the URL |
 * | `httpMethod` | `POST`, `PATCH`, `DELETE` |
 * | `integrationKey` (`requestIntegrationKey` on the wire) | the response's `d.integrationKey`, or for an error its `innererror` |
 * | `messageId` | request header `integrationMessageId` |
 * | `sapPassport` | request header `SAP-PASSPORT` |
 * | `user` | the authenticated user |
 * | `errors` | `InboundRequestError`s (`code`, `message`) |
 * | `payload` | the request body, only with payload retention on |
 *
 * Without the headers Commerce keeps blanks: the documented entries have `"messageId":""`,
 * `"requestIntegrationKey":""` and `"sapPassport":null` (integrationKey `1568915657343||`), so absent
 * `messageId` and `integrationKey` are stored as empty strings and an absent passport as null.
 */
import type { Item, ItemStore, StoredValue } from '../store/store.js';
import { type MonitoringConfig, type RequestStatus, createItem, createPayloadMedia, monitoringEnabled, payloadRetained, userPk } from './records.js';

/** The header carrying the message id an inbound request is recorded with. */
export const MESSAGE_ID_HEADER = 'integrationMessageId';
/** The header carrying the SAP passport. */
export const SAP_PASSPORT_HEADER = 'SAP-PASSPORT';

export type InboundHttpMethod = 'POST' | 'PATCH' | 'DELETE';

export interface InboundRequestErrorDetails {
  /** The OData error code, e.g. `missing_key`, `unknown_error`. */
  code: string;
  message: string;
}

export interface InboundRequestDetails {
  status: RequestStatus;
  /** The integration object code (`/odata2webservices/{type}/…`). */
  type: string;
  httpMethod: InboundHttpMethod;
  /** The integrationKey of the entity written; default empty. */
  integrationKey?: string;
  /** The `integrationMessageId` request header; default empty. */
  messageId?: string;
  /** The `SAP-PASSPORT` request header; default none (null). */
  sapPassport?: string;
  /** The authenticated user's uid; an unknown uid records no user. */
  userUid?: string;
  errors?: InboundRequestErrorDetails[];
  /** The request body; kept only when the payload retention property for the status is on. */
  payload?: string;
  /** Content type of the payload; default `application/json`. */
  payloadMime?: string;
  /** The sandbox clock (epoch ms): the records' creationtime. */
  now: number;
  /** UUID source for the payload media code (default `crypto.randomUUID`). */
  uuid?: () => string;
}

/**
 * Records one inbound request (and its errors) in its own transaction; returns the `InboundRequest`,
 * or undefined when `inboundservices.monitoring.enabled` is off.
 *
 * Call it after the request's own write transaction has ended (committed or rolled back): called inside
 * an open {@link ItemStore.transaction} it joins that transaction and would be undone with it.
 */
export function recordInboundRequest(store: ItemStore, config: MonitoringConfig, details: InboundRequestDetails): Item | undefined {
  if (!monitoringEnabled(config, 'inbound')) return undefined;
  return store.transaction(() => {
    const values: Record<string, StoredValue> = {
      creationtime: details.now,
      modifiedtime: details.now,
      status: details.status,
      type: details.type,
      httpMethod: details.httpMethod,
      integrationKey: details.integrationKey ?? '',
      messageId: details.messageId ?? '',
      sapPassport: details.sapPassport ?? null,
      user: userPk(store, details.userUid),
    };
    if (details.payload !== undefined && payloadRetained(config, 'inbound', details.status)) {
      values.payload = createPayloadMedia(store, config, details.payload, {
        ...(details.payloadMime ? { mime: details.payloadMime } : {}),
        ...(details.uuid ? { uuid: details.uuid } : {}),
      });
    }
    const request = createItem(store, 'InboundRequest', values);
    for (const error of details.errors ?? []) {
      createItem(store, 'InboundRequestError', {
        creationtime: details.now,
        modifiedtime: details.now,
        code: error.code,
        message: error.message,
        inboundRequest: request.pk,
      });
    }
    return request;
  });
}

/** The `InboundRequestError`s of a request, oldest first. */
export function inboundRequestErrors(store: ItemStore, request: Item): Item[] {
  return store.find('InboundRequestError', { inboundRequest: request.pk }).sort((a, b) => a.pk - b.pk);
}
