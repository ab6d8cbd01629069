/**
 * The OData V2 receiver adapter, operation Create (POST) with Atom content, CSRF protection on, no
 * batch (SendProductRatings' Commerce call, spec §4.3, §14.1):
 *
 * 1. `GET {address}/$metadata` — only when the flow's cached copy is missing or older than an hour;
 * 2. `GET {address}` with `X-CSRF-Token: Fetch` and Basic auth — on every call (no session reuse);
 * 3. `POST {address}/{entitySet}` with one Atom entry built from the message body and the EDMX, the token
 *    (when the service issued one: Commerce by default issues none and checks none) and the cookies of
 *    the fetch (`name=value` pairs).
 *
 * Any non-2xx answer or transport failure throws, naming the call, its status and up to 1 KB of the
 * body. The answer body is not turned back into XML: the samples discard it, so the message body stays
 * what was sent and the status is in `CamelHttpResponseCode`.
 */
import { type EdmModel } from './edmx.js';
import { basicAuthorization, cookieHeader, httpCall, truncateBody } from './http-client.js';
import { DEFAULT_HTTP_TIMEOUT_MS, RESPONSE_CODE_HEADER } from './http-receiver.js';
import type { Message } from './message.js';
import { fetchMetadata, type MetadataCache } from './service-metadata.js';
import { flowXmlToAtomEntry } from './xml-to-atom.js';

export interface ODataReceiverConfig {
  /** The service root, e.g. `http://…/odata2webservices/ThirdPartyInboundProduct`. */
  address: string;
  entitySet: string;
  credentials: { username: string; password: string };
  /** The flow's `$metadata` cache (shared by the flow's runs). */
  metadata: MetadataCache;
  /** Fetch and send a CSRF token (default true). */
  csrf?: boolean;
  timeoutMs?: number;
  /** Leave out elements the EDMX does not declare instead of failing. */
  dropUndeclared?: boolean;
}

export class ODataReceiverError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ODataReceiverError';
  }
}

/** Creates the message body's entry; resolves with a log line of the calls made. */
export async function odataCreate(message: Message, config: ODataReceiverConfig): Promise<string> {
  const address = config.address.replace(/\/+$/, '');
  const timeoutMs = config.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const authorization = basicAuthorization(config.credentials);
  const calls: string[] = [];

  const { model: pending, cached } = config.metadata.get(address, () => fetchMetadata({ serviceUrl: address, credentials: config.credentials, timeoutMs }));
  let model: EdmModel;
  try {
    model = await pending;
  } catch (e) {
    throw new ODataReceiverError(`reading the metadata failed: ${(e as Error).message}`);
  }
  if (!cached) calls.push(`GET ${address}/$metadata`);
  const entry = flowXmlToAtomEntry(message.body, model, config.entitySet, { dropUndeclared: config.dropUndeclared ?? false });

  const headers: Record<string, string> = {
    Authorization: authorization,
    'Content-Type': 'application/atom+xml',
    Accept: 'application/atom+xml,application/xml,application/json',
  };
  if (config.csrf ?? true) {
    const fetched = await httpCall({ method: 'GET', url: address, headers: { Authorization: authorization, 'X-CSRF-Token': 'Fetch', Accept: 'application/xml' }, timeoutMs });
    calls.push(`GET ${address} (X-CSRF-Token: Fetch) → ${fetched.status.toString()}`);
    if (fetched.status < 200 || fetched.status >= 300) {
      throw new ODataReceiverError(`CSRF token fetch GET ${address} → ${fetched.status.toString()}: ${truncateBody(fetched.body) || '(empty body)'}`, fetched.status);
    }
    const token = fetched.headers.get('x-csrf-token');
    if (token && token.toLowerCase() !== 'required') headers['X-CSRF-Token'] = token;
    const cookies = cookieHeader(fetched.headers.getSetCookie());
    if (cookies) headers.Cookie = cookies;
  }
  const url = `${address}/${config.entitySet}`;
  const answer = await httpCall({ method: 'POST', url, headers, body: entry, timeoutMs });
  calls.push(`POST ${url} → ${answer.status.toString()}`);
  message.setHeader(RESPONSE_CODE_HEADER, answer.status.toString());
  if (answer.status < 200 || answer.status >= 300) {
    throw new ODataReceiverError(`POST ${url} → ${answer.status.toString()}: ${truncateBody(answer.body) || '(empty body)'}`, answer.status);
  }
  return calls.join('; ');
}
