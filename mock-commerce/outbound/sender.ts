/**
 * The outbound sender: Commerce posting an already-built payload to a `ConsumedDestination`
 * (spec §11.2 sequence of the 2005 `DefaultOutboundServiceFacade`; help B-151…B-156).
 *
 * Per send:
 * 1. the destination is resolved; unknown, inactive, an unsupported credential or a URL that is not
 *    http(s) gives an ERROR record (no HTTP call);
 * 2. OAuth (`ConsumedOAuthCredential`): a client-credentials token is fetched from `oAuthUrl`
 *    (`grant_type=client_credentials`, the client id and secret as HTTP Basic client authentication, the
 *    Spring default) and cached per destination until `expires_in` has passed (no `expires_in`: kept).
 *    A 401 from the destination does not drop the token: the help says tokens are reused until they
 *    expire or the cached rest template is evicted (B-154);
 * 3. CSRF (`additionalProperties.csrfURL`): `GET csrfURL` with `X-CSRF-Token: Fetch` and the
 *    destination's auth; the `X-CSRF-Token` answer and all `Set-Cookie` values (joined with `; `,
 *    attributes included) are cached per destination for `outboundservices.cache.csrf.ttlSeconds`;
 *    a missing token or cookie fails the send. The spec (M) says a 403 of the main call does not
 *    invalidate the cache, so by default a 403 is an ERROR; `csrfRefetchOn403` opts into one refetch
 *    and resend when the receiver answers 403 with `X-CSRF-Token: Required`;
 * 4. `POST url` with the JSON payload and `Content-Type`/`Accept: application/json`, `SAP-PASSPORT`,
 *    `X-OutboundMonitoring-MessageId`, Basic or Bearer auth and the CSRF headers.
 *
 * Success is 200 or 201 in the 2005 profile, any 2xx in later releases (`anySuccess`, default from the
 * profile). The whole send (token, CSRF fetch, POST) has one deadline, 5 s by default (B-152; no
 * Commerce property sets it); then `Request timed out after 5000 ms`. An error response body over
 * 1024 bytes is not read (B-152: `The error response message exceeded the allowed size.`).
 *
 * Each POST is an attempt, recorded as an `OutboundRequest`; a send that fails before any POST records
 * one ERROR attempt. Network and remote problems never throw.
 */
import { randomUUID } from 'node:crypto';
import type { CommerceConfig } from '../config/profile.js';
import { OUTBOUND_MESSAGE_ID_HEADER, recordOutboundRequest } from '../monitoring/outbound.js';
import type { RequestStatus } from '../monitoring/records.js';
import type { ItemStore } from '../store/store.js';
import { type DestinationCredential, type ResolvedDestination, resolveDestination } from './destinations.js';

export const DEFAULT_OUTBOUND_TIMEOUT_MS = 5000;
/** Error response bodies larger than this are not read (help B-152). */
export const ERROR_BODY_LIMIT = 1024;
export const ERROR_BODY_TOO_LARGE = 'The error response message exceeded the allowed size.';

export interface OutboundSenderOptions {
  /** The sandbox clock (epoch ms): record times and token/CSRF cache expiry. */
  now: () => number;
  fetch?: typeof fetch;
  /** The deadline for a whole send; default 5000 ms. */
  timeoutMs?: number;
  /** Any 2xx is success (2105+); default true except in the 2005 profile, where only 200 and 201 are. */
  anySuccess?: boolean;
  /** On 403 with `X-CSRF-Token: Required`, refetch the CSRF token once and resend (default false, see above). */
  csrfRefetchOn403?: boolean;
  /** UUID source for message ids and passports (default `crypto.randomUUID`). */
  uuid?: () => string;
}

export interface OutboundSendMeta {
  /** The outbound integration object code (`OutboundRequest.type`). */
  integrationObject: string;
  /** The sent entity's integrationKey. */
  integrationKey: string;
  /** Who sends (OUTBOUNDSYNC, WEBHOOKSERVICES, UNKNOWN); not recorded, the type catalogue lacks it. */
  source?: string;
  /** POST (default) the payload, or DELETE without a body (delete synchronisation). */
  method?: 'POST' | 'DELETE';
  /** Appended to the destination URL, e.g. `('key')` for a DELETE. */
  urlSuffix?: string;
  /** Extra headers of the call (webhooks: CloudEvents), given the attempt's passport. */
  headers?: (attempt: { sapPassport: string; messageId: string }) => Record<string, string>;
}

export interface OutboundAttempt {
  status: RequestStatus;
  /** The HTTP status of the POST, when there was an answer. */
  httpStatus?: number;
  error?: string;
  messageId: string;
  sapPassport: string;
}

export interface OutboundSendResult {
  ok: boolean;
  /** The HTTP status of the last POST, when there was an answer. */
  status?: number;
  error?: string;
  /** One per recorded `OutboundRequest`, in order. */
  attempts: OutboundAttempt[];
}

interface CachedToken {
  token: string;
  /** Epoch ms; undefined: no `expires_in`, kept until the cache is cleared. */
  expiresAt?: number;
}

interface CachedCsrf {
  token: string;
  cookies: string;
  expiresAt: number;
}

class SendFailure extends Error {}

/**
 * A plausible SAP passport (DSR format version 3, 230 bytes, `*TH*` eye catchers), hex encoded
 * upper-case: system id, service, user, action and a transaction id/root context id from the UUID. The
 * field layout follows the public passport description; it is not byte-exact with SAP's library.
 */
export function buildSapPassport(options: { systemId: string; service: number; user: string; action: string; uuid: string }): string {
  const buf = Buffer.alloc(230, 0);
  let at = 0;
  const ascii = (value: string, length: number) => {
    buf.write(value.slice(0, length).padEnd(length, ' '), at, length, 'latin1');
    at += length;
  };
  const u16 = (value: number) => {
    buf.writeUInt16BE(value & 0xffff, at);
    at += 2;
  };
  const hexId = options.uuid.replace(/-/g, '').toUpperCase().padEnd(32, '0').slice(0, 32);
  ascii('*TH*', 4);
  buf.writeUInt8(3, at++); // version
  u16(230); // length
  u16(0); // trace flag
  ascii(options.systemId, 32);
  u16(options.service);
  ascii(options.user, 32);
  ascii(options.action, 40);
  u16(0); // action type
  ascii(options.systemId, 32); // previous system id
  ascii(hexId, 32); // transaction id
  ascii('000', 3); // client
  u16(0); // system type
  Buffer.from(hexId, 'hex').copy(buf, at); // root context id
  at += 16;
  Buffer.from(hexId, 'hex').copy(buf, at); // connection id
  at += 16;
  buf.writeUInt32BE(1, at); // connection counter
  at += 4;
  u16(0); // variable part count
  u16(0); // variable part offset
  ascii('*TH*', 4);
  return buf.toString('hex').toUpperCase();
}

function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function httpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Reads at most `limit + 1` bytes; undefined when the body is larger than `limit`. */
async function readCapped(res: Response, limit: number): Promise<string | undefined> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > limit) return undefined;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class OutboundSender {
  private readonly fetchFn: typeof fetch;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly csrf = new Map<string, CachedCsrf>();

  constructor(
    private readonly store: ItemStore,
    private readonly config: CommerceConfig,
    private readonly options: OutboundSenderOptions,
  ) {
    this.fetchFn = options.fetch ?? fetch;
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_OUTBOUND_TIMEOUT_MS;
  }

  private get anySuccess(): boolean {
    return this.options.anySuccess ?? this.config.version !== '2005';
  }

  /** Forgets cached OAuth tokens and CSRF tokens (a rest template / CSRF cache eviction). */
  clearCaches(): void {
    this.tokens.clear();
    this.csrf.clear();
  }

  async send(destinationId: string, payload: unknown, meta: OutboundSendMeta): Promise<OutboundSendResult> {
    const uuid = this.options.uuid ?? randomUUID;
    const messageId = uuid();
    const attempts: OutboundAttempt[] = [];
    const method = meta.method ?? 'POST';
    const body = method === 'DELETE' ? '' : JSON.stringify(payload ?? {});
    let target = destinationId;
    const record = (status: RequestStatus, extra: { httpStatus?: number; error?: string }, sapPassport = this.passport(meta.integrationObject, uuid())): OutboundAttempt => {
      const attempt: OutboundAttempt = { status, messageId, sapPassport, ...extra };
      attempts.push(attempt);
      recordOutboundRequest(this.store, this.config, {
        status,
        type: meta.integrationObject,
        destination: target,
        integrationKey: meta.integrationKey,
        messageId,
        sapPassport,
        ...(extra.error !== undefined ? { error: extra.error } : {}),
        ...(body ? { payload: body, payloadMime: 'application/json' } : {}),
        now: this.options.now(),
        uuid,
      });
      return attempt;
    };
    const fail = (error: string, httpStatus?: number): OutboundSendResult => {
      record('ERROR', { error, ...(httpStatus !== undefined ? { httpStatus } : {}) });
      return { ok: false, error, ...(httpStatus !== undefined ? { status: httpStatus } : {}), attempts };
    };

    const resolved = resolveDestination(this.store, destinationId);
    if ('error' in resolved) return fail(resolved.error);
    const destination = resolved;
    if (destination.url) target = destination.url;
    if (!destination.active) return fail(`Destination '${destinationId}' is not active`);
    if (!httpUrl(destination.url)) return fail(`Destination '${destinationId}' has no valid http(s) URL: '${destination.url}'`);
    if (destination.csrfUrl !== undefined && !httpUrl(destination.csrfUrl)) return fail(`Destination '${destinationId}' has no valid csrfURL: '${destination.csrfUrl}'`);
    if (destination.credential?.type === 'oauth' && !httpUrl(destination.credential.tokenUrl)) {
      return fail(`The OAuth token URL of destination '${destinationId}' is not a valid http(s) URL: '${destination.credential.tokenUrl}'`);
    }

    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const authorization = await this.authorization(destination, signal);
      let csrf = destination.csrfUrl ? await this.csrfToken(destination, authorization, signal, false) : undefined;
      for (let round = 0; ; round++) {
        const sapPassport = this.passport(meta.integrationObject, uuid());
        const headers: Record<string, string> = {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'SAP-PASSPORT': sapPassport,
          [OUTBOUND_MESSAGE_ID_HEADER]: messageId,
          ...(authorization ? { Authorization: authorization } : {}),
          ...(csrf ? { 'X-CSRF-Token': csrf.token, Cookie: csrf.cookies } : {}),
          ...meta.headers?.({ sapPassport, messageId }),
        };
        if (method === 'DELETE') delete headers['Content-Type'];
        const url = destination.url + (meta.urlSuffix ?? '');
        const res = await this.request(url, method, { method, headers, ...(method === 'POST' ? { body } : {}), signal });
        const success = res.status === 200 || res.status === 201 || (this.anySuccess && res.status >= 200 && res.status < 300);
        if (success) {
          await res.arrayBuffer();
          record('SUCCESS', { httpStatus: res.status }, sapPassport);
          return { ok: true, status: res.status, attempts };
        }
        const csrfRequired = res.status === 403 && (res.headers.get('x-csrf-token') ?? '').toLowerCase() === 'required';
        const error = await this.errorText(res);
        record('ERROR', { httpStatus: res.status, error }, sapPassport);
        if (csrfRequired && destination.csrfUrl && this.options.csrfRefetchOn403 && round === 0) {
          csrf = await this.csrfToken(destination, authorization, signal, true);
          continue;
        }
        return { ok: false, status: res.status, error, attempts };
      }
    } catch (e) {
      const error = e instanceof SendFailure ? e.message : this.describe(e, destination.url, 'POST');
      return fail(error);
    }
  }

  private passport(action: string, id: string): string {
    return buildSapPassport({
      systemId: this.config.get('integrationservices.sap.passport.systemid') ?? 'SAP Commerce',
      service: Number.parseInt(this.config.get('integrationservices.sap.passport.service') ?? '39', 10) || 39,
      user: this.config.get('integrationservices.sap.passport.user') ?? '',
      action,
      uuid: id,
    });
  }

  private async errorText(res: Response): Promise<string> {
    const text = await readCapped(res, ERROR_BODY_LIMIT);
    const head = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    if (text === undefined) return `${head}: ${ERROR_BODY_TOO_LARGE}`;
    return text ? `${head}: [${text}]` : head;
  }

  /** A fetch that turns network failures and the deadline into {@link SendFailure}s. */
  private async request(url: string, method: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchFn(url, init);
    } catch (e) {
      throw new SendFailure(this.describe(e, url, method));
    }
  }

  private describe(e: unknown, url: string, method: string): string {
    const err = e as { name?: string; message?: string; cause?: { message?: string; code?: string } };
    if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `Request timed out after ${this.timeoutMs} ms`;
    const detail = err?.cause?.message ?? err?.message ?? String(e);
    return `I/O error on ${method} request for "${url}": ${detail}`;
  }

  private async authorization(destination: ResolvedDestination, signal: AbortSignal): Promise<string | undefined> {
    const credential: DestinationCredential | undefined = destination.credential;
    if (!credential) return undefined;
    if (credential.type === 'basic') return basicAuth(credential.username, credential.password);
    const cached = this.tokens.get(destination.id);
    const now = this.options.now();
    if (cached && (cached.expiresAt === undefined || cached.expiresAt > now)) return `Bearer ${cached.token}`;
    this.tokens.delete(destination.id);
    const res = await this.request(credential.tokenUrl, 'POST', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        Authorization: basicAuth(credential.clientId, credential.clientSecret),
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      signal,
    });
    const text = await readCapped(res, 64 * 1024).catch((e: unknown) => {
      throw new SendFailure(this.describe(e, credential.tokenUrl, 'POST'));
    });
    if (res.status < 200 || res.status >= 300) {
      throw new SendFailure(`Failed to obtain an OAuth access token from ${credential.tokenUrl}: ${res.status}${text && text.length <= ERROR_BODY_LIMIT ? ` [${text}]` : ''}`);
    }
    let json: { access_token?: unknown; expires_in?: unknown } = {};
    try {
      json = JSON.parse(text ?? '') as typeof json;
    } catch {
      // handled below
    }
    if (typeof json.access_token !== 'string' || !json.access_token) {
      throw new SendFailure(`Failed to obtain an OAuth access token from ${credential.tokenUrl}: the answer has no access_token`);
    }
    const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : typeof json.expires_in === 'string' ? Number(json.expires_in) : NaN;
    this.tokens.set(destination.id, { token: json.access_token, ...(Number.isFinite(expiresIn) ? { expiresAt: now + expiresIn * 1000 } : {}) });
    return `Bearer ${json.access_token}`;
  }

  private async csrfToken(destination: ResolvedDestination, authorization: string | undefined, signal: AbortSignal, refresh: boolean): Promise<CachedCsrf> {
    const now = this.options.now();
    const cached = this.csrf.get(destination.id);
    if (!refresh && cached && cached.expiresAt > now) return cached;
    this.csrf.delete(destination.id);
    const url = destination.csrfUrl!;
    const res = await this.request(url, 'GET', {
      method: 'GET',
      headers: { 'X-CSRF-Token': 'Fetch', Accept: 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
      signal,
    });
    await readCapped(res, ERROR_BODY_LIMIT).catch((e: unknown) => {
      throw new SendFailure(this.describe(e, url, 'GET'));
    });
    const token = res.headers.get('x-csrf-token');
    const cookies = res.headers.getSetCookie();
    if (res.status < 200 || res.status >= 300 || !token || token.toLowerCase() === 'required' || cookies.length === 0) {
      throw new SendFailure(`Failed to fetch the CSRF token or CSRF cookies from ${destination.id} (${res.status})`);
    }
    const ttl = Number.parseInt(this.config.get('outboundservices.cache.csrf.ttlSeconds') ?? '60', 10);
    const entry: CachedCsrf = { token, cookies: cookies.join('; '), expiresAt: now + (Number.isFinite(ttl) ? ttl : 60) * 1000 };
    this.csrf.set(destination.id, entry);
    return entry;
  }
}
