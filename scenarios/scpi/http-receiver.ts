/**
 * The HTTP receiver adapter in request-reply (spec §6): the message's headers go out as HTTP headers
 * and its body as the request body; the answer's body replaces the message body and its status lands
 * in the header `CamelHttpResponseCode`. A non-2xx answer throws (the samples' adapter versions have no
 * "don't throw" switch), as does no answer within the timeout (60 s by default).
 *
 * Headers not sent: Camel's own (`Camel*`) and SCPI's (`SAP_*`) — they describe the exchange, not the
 * request. Response headers other than the status are not copied onto the message (SCPI copies only an
 * allow-list, empty by default).
 */
import { basicAuthorization, httpCall, truncateBody } from './http-client.js';
import type { Message } from './message.js';

export const DEFAULT_HTTP_TIMEOUT_MS = 60_000;
export const RESPONSE_CODE_HEADER = 'CamelHttpResponseCode';

export interface HttpReceiverConfig {
  method: string;
  url: string;
  /** Basic authentication (a user credential); none by default. */
  credentials?: { username: string; password: string };
  timeoutMs?: number;
}

export class HttpReceiverError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly responseBody: string,
  ) {
    super(message);
    this.name = 'HttpReceiverError';
  }
}

const INTERNAL_HEADER = /^(camel|sap_)/i;

/** Calls the receiver and updates the message; resolves with a log line such as `POST http://… → 200`. */
export async function requestReply(message: Message, config: HttpReceiverConfig): Promise<string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers())) if (!INTERNAL_HEADER.test(name)) headers[name] = value;
  if (config.credentials) headers.Authorization = basicAuthorization(config.credentials);
  const answer = await httpCall({
    method: config.method,
    url: config.url,
    headers,
    body: message.body,
    timeoutMs: config.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
  });
  message.setHeader(RESPONSE_CODE_HEADER, answer.status.toString());
  message.body = answer.body;
  const line = `${config.method} ${config.url} → ${answer.status.toString()}`;
  if (answer.status < 200 || answer.status >= 300) {
    throw new HttpReceiverError(`${line}: ${truncateBody(answer.body) || '(empty body)'}`, answer.status, answer.body);
  }
  return line;
}
