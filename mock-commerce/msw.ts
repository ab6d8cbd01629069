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
import { isHttpResponse, readFetchRequest, toFetchResponse } from './http/fetch-adapter.js';
import type { HttpResponse as CommerceResponse } from './http/types.js';

export interface CommerceHandlersOptions {
  commerce: Commerce;
  /** Scheme, host and optional port Commerce is reached at, e.g. `https://my-commerce.example.com`. */
  baseUrl: string;
}

/**
 * Path roots Commerce serves (the Integration API, the OAuth server, the sandbox admin API); everything
 * else under `baseUrl` falls through to other handlers.
 */
const COMMERCE_ROOTS = [ODATA_ROOT, '/authorizationserver', '/__sandbox'];

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
  const read = await readFetchRequest(request, origin);
  if (isHttpResponse(read)) return read;
  try {
    return await handle(read);
  } catch {
    // What the node:http adapter answers when the handler throws or rejects.
    return { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'internal error' };
  }
}
