/**
 * Outbound destinations (spec §11.1): a `ConsumedDestination` item read into the plain shape the sender
 * needs. The credential is stored as a pk reference to a `BasicCredential` or `ConsumedOAuthCredential`;
 * the CSRF fetch URL is the `csrfURL` entry of `additionalProperties`.
 *
 * Only the lookup is done here; whether the destination can be used (active, a valid URL) is decided by
 * the sender, which records an ERROR for it.
 */
import type { Item, ItemStore, StoredValue } from '../store/store.js';

export type DestinationCredential =
  | { type: 'basic'; username: string; password: string }
  | { type: 'oauth'; clientId: string; clientSecret: string; tokenUrl: string };

export interface ResolvedDestination {
  /** The `ConsumedDestination` id. */
  id: string;
  /** The full target URL the payload is posted to. */
  url: string;
  active: boolean;
  credential?: DestinationCredential;
  /** `additionalProperties.csrfURL`, when set (non-blank). */
  csrfUrl?: string;
  /** All `additionalProperties` as strings. */
  additional: Record<string, string>;
}

export type DestinationResolution = ResolvedDestination | { error: string };

/** The `additionalProperties` key naming the CSRF token fetch URL (2005 `DefaultCsrfOutboundRequestDecorator`). */
export const CSRF_URL_PROPERTY = 'csrfURL';

function text(value: StoredValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isType(store: ItemStore, item: Item, typeCode: string): boolean {
  return item.typeCode === typeCode || store.typeSystem.isSubtypeOf(item.typeCode, typeCode);
}

function resolveCredential(store: ItemStore, destinationId: string, ref: StoredValue | undefined): DestinationCredential | { error: string } | undefined {
  if (ref === undefined || ref === null) return undefined;
  const item = typeof ref === 'number' ? store.get(ref) : undefined;
  if (!item) return { error: `The credential of destination '${destinationId}' does not exist` };
  const id = text(item.values.id) ?? String(item.pk);
  if (isType(store, item, 'BasicCredential')) {
    return { type: 'basic', username: text(item.values.username) ?? '', password: text(item.values.password) ?? '' };
  }
  if (isType(store, item, 'ConsumedOAuthCredential')) {
    const tokenUrl = text(item.values.oAuthUrl);
    if (!tokenUrl) return { error: `The OAuth credential '${id}' of destination '${destinationId}' has no oAuthUrl` };
    return { type: 'oauth', clientId: text(item.values.clientId) ?? '', clientSecret: text(item.values.clientSecret) ?? '', tokenUrl };
  }
  return { error: `The credential '${id}' of destination '${destinationId}' is a ${item.typeCode}, which outbound requests do not support` };
}

/**
 * Reads the `ConsumedDestination` with the id. Ids are unique per destination target only; an id used by
 * several destinations is reported as ambiguous rather than guessed.
 */
export function resolveDestination(store: ItemStore, id: string): DestinationResolution {
  const found = store.find('ConsumedDestination', { id });
  if (found.length === 0) return { error: `Destination '${id}' was not found` };
  if (found.length > 1) return { error: `Destination id '${id}' is ambiguous: ${found.length} ConsumedDestinations use it` };
  const item = found[0]!;
  const additional: Record<string, string> = {};
  const props = item.values.additionalProperties;
  if (props && typeof props === 'object' && !Array.isArray(props)) {
    for (const [k, v] of Object.entries(props)) {
      const s = text(v);
      if (s !== undefined) additional[k] = s;
    }
  }
  const credential = resolveCredential(store, id, item.values.credential);
  if (credential && 'error' in credential) return credential;
  const csrfUrl = additional[CSRF_URL_PROPERTY]?.trim();
  return {
    id,
    url: text(item.values.url) ?? '',
    active: item.values.active === true,
    ...(credential ? { credential } : {}),
    ...(csrfUrl ? { csrfUrl } : {}),
    additional,
  };
}
