/**
 * The fetch-API side of the transport-free core, shared by the msw adapters of Commerce and of the third
 * parties: a fetch `Request` becomes an HttpRequest exactly as the node:http adapter translates an
 * IncomingMessage, and an HttpResponse becomes a fetch `Response` with the bytes node:http would send.
 */
import type { HttpRequest, HttpResponse } from './types.js';

/** Largest request body accepted (as the node:http adapter): bigger bodies get 413. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Statuses that never carry a body. */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

export function tooLarge(): HttpResponse {
  return { status: 413, headers: { 'Content-Type': 'text/plain' }, body: 'request body too large' };
}

/** Reads a fetch `Request`: the translated request, or the 413 answer for an oversized body. */
export async function readFetchRequest(request: Request, origin: string): Promise<HttpRequest | HttpResponse> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return tooLarge();
  const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
  if (body && body.length > MAX_BODY_BYTES) return tooLarge();
  return toHttpRequest(request, body, origin);
}

export function isHttpResponse(x: HttpRequest | HttpResponse): x is HttpResponse {
  return 'status' in x;
}

/** fetch `Request` → HttpRequest, as the node:http adapter translates an IncomingMessage. */
export function toHttpRequest(request: Request, body: Buffer | undefined, origin: string): HttpRequest {
  const url = new URL(request.url);
  const headers: Record<string, string | undefined> = {};
  // Header names come out of `Headers` in lower case; repeated headers are already joined with ', '.
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // A request on the wire always carries Host (and Content-Length for a body); fetch's Request keeps
  // them out of its headers, so add them as a server would receive them.
  headers.host ??= url.host;
  if (body && body.length > 0) headers['content-length'] ??= String(body.length);
  return {
    method: request.method.toUpperCase(),
    // `URL.pathname` keeps percent-escapes as sent (`%2F`, `%7C`, `%257C`); only dot segments are
    // resolved, as every client does before sending.
    path: url.pathname,
    query: url.search.slice(1),
    headers,
    ...(body && body.length > 0 ? { body } : {}),
    origin,
  };
}

/** HttpResponse → fetch `Response`: no body for HEAD and null-body statuses. */
export function toFetchResponse(response: HttpResponse, method: string): Response {
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  const headers = new Headers(response.headers);
  const nullBody = NULL_BODY_STATUSES.has(response.status);
  // Content-Length as node:http sends it: also `0` on a 204 (writeHttpResponse always sets it).
  headers.set('content-length', String(nullBody ? 0 : body.length));
  // A Buffer body, never a string: a string would make fetch add `Content-Type: text/plain` where the
  // simulated system sent none.
  const sendBody = !nullBody && method.toUpperCase() !== 'HEAD' && body.length > 0;
  return new Response(sendBody ? body : null, { status: response.status, headers });
}
