/**
 * msw 2 adapter around the transport-free Commerce core: answers `${baseUrl}/odata2webservices/…` and
 * `${baseUrl}/authorizationserver/…` in-process, for code under test that talks to Commerce through
 * `fetch`, `http.request` or XMLHttpRequest.
 *
 *   const server = setupServer(...commerceHandlers({ commerce, baseUrl: 'https://my-commerce.example.com' }));
 *
 * The translation is the node:http adapter's (`http/node-adapter.ts`): the path is handed over still
 * percent-encoded (`%2F`, `%257C` arrive as sent), the query raw, header names in lower case; a
 * request outside the two roots does not match, so later handlers (or `onUnhandledRequest`) answer it.
 */
import { http, type HttpHandler } from 'msw';
import { ODATA_ROOT, type Commerce } from './commerce.js';
import type { Handler } from './http/node-adapter.js';
import type { HttpRequest, HttpResponse as CommerceResponse } from './http/types.js';

export interface CommerceHandlersOptions {
  commerce: Commerce;
  /** Scheme, host and optional port Commerce is reached at, e.g. `https://my-commerce.example.com`. */
  baseUrl: string;
}

/** Path roots Commerce serves; everything else under `baseUrl` falls through to other handlers. */
/** Paths the simulated Commerce answers: the Integration API, the OAuth server and the sandbox admin API. */
const COMMERCE_ROOTS = [ODATA_ROOT, '/authorizationserver', '/__sandbox'];

/** Same limit as the node:http adapter: bigger bodies get 413. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Statuses whose responses never carry a body (fetch's `Response` refuses one). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

export function commerceHandlers(options: CommerceHandlersOptions): HttpHandler[] {
  const origin = parseBaseUrl(options.baseUrl);
  const handle: Handler = (request) => options.commerce.handle(request);
  return [
    // A custom predicate rather than `${baseUrl}/*`: msw's path matching runs path-to-regexp with
    // decodeURIComponent over the wildcard, which throws on a malformed escape such as `%ZZ` (the
    // node:http server hands those to Commerce, which answers 404). The predicate looks at the raw URL.
    http.all(({ request }) => {
      const url = new URL(request.url);
      return url.origin === origin && isUnderRoot(url.pathname);
    }, async ({ request }) => toFetchResponse(await answer(handle, request, origin), request.method)),
  ];
}

function parseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`commerceHandlers: baseUrl is not an absolute URL: ${baseUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`commerceHandlers: baseUrl must be http(s): ${baseUrl}`);
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    // Commerce serves its roots at the top of the host; a context path would change every route.
    throw new Error(`commerceHandlers: baseUrl must be scheme://host[:port] without a path: ${baseUrl}`);
  }
  return url.origin;
}

function isUnderRoot(path: string): boolean {
  return COMMERCE_ROOTS.some((root) => path === root || path.startsWith(`${root}/`));
}

async function answer(handle: Handler, request: Request, origin: string): Promise<CommerceResponse> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return tooLarge();
  const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
  if (body && body.length > MAX_BODY_BYTES) return tooLarge();
  try {
    return await handle(toHttpRequest(request, body, origin));
  } catch {
    // What the node:http adapter answers when the handler throws or rejects.
    return { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'internal error' };
  }
}

function tooLarge(): CommerceResponse {
  return { status: 413, headers: { 'Content-Type': 'text/plain' }, body: 'request body too large' };
}

/** fetch `Request` → HttpRequest, as the node:http adapter translates an IncomingMessage. */
function toHttpRequest(request: Request, body: Buffer | undefined, origin: string): HttpRequest {
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

/** HttpResponse → fetch `Response`; no body for HEAD and null-body statuses, Content-Length as node:http sends it. */
function toFetchResponse(response: CommerceResponse, method: string): Response {
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  const headers = new Headers(response.headers);
  const nullBody = NULL_BODY_STATUSES.has(response.status);
  if (nullBody) headers.delete('content-length');
  else headers.set('content-length', String(body.length));
  // A Buffer body, never a string: a string would make fetch add `Content-Type: text/plain` where
  // Commerce sent none.
  const sendBody = !nullBody && method.toUpperCase() !== 'HEAD' && body.length > 0;
  return new Response(sendBody ? body : null, { status: response.status, headers });
}
