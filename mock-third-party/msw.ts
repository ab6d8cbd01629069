/**
 * msw 2 adapter around the transport-free third-party core: answers every request to `baseUrl`'s
 * origin in-process, for code under test that calls the third party through `fetch`, `http.request` or
 * XMLHttpRequest:
 *
 *   const reviews = createThirdParty(loadDefinitionFile('reviews.yaml'));
 *   const server = setupServer(...thirdPartyHandlers({ thirdParty: reviews, baseUrl: 'https://api.thirdparty.com' }));
 *
 * The translation is the node:http adapter's: the path still percent-encoded, the query raw, header
 * names in lower case, Host and Content-Length as a server receives them. The whole host is the third
 * party: unmatched paths get its near-miss 404, not the next handler. An in-process caller counts as
 * local for the admin API.
 *
 * A response's fault plan is carried out in-process (`faults/fetch-transport.ts`): delays, error
 * answers, truncated, garbage and slow bodies; a reset is a network error (`fetch` rejects), and a
 * timeout never answers until the client aborts (then a network error). Answers without a fault are
 * built exactly as before.
 */
import { http, HttpResponse as MswResponse, type HttpHandler } from 'msw';
import { isHttpResponse, readFetchRequest, toFetchResponse } from '../mock-commerce/http/fetch-adapter.js';
import { asFaultPlan } from './engine/fault-hook.js';
import type { ThirdParty, ThirdPartyRequest, ThirdPartyResponse } from './engine/third-party.js';
import { isNoFault, responseWithFault } from './faults/index.js';

export interface ThirdPartyHandlersOptions {
  thirdParty: ThirdParty;
  /** Scheme, host and optional port the third party is reached at, e.g. `https://api.thirdparty.com`. */
  baseUrl: string;
}

export function thirdPartyHandlers(options: ThirdPartyHandlersOptions): HttpHandler[] {
  const origin = parseBaseUrl(options.baseUrl);
  const { thirdParty } = options;
  return [
    // A predicate on the raw URL rather than `${baseUrl}/*`: msw's path matching decodes the path and
    // throws on a malformed escape such as `%ZZ`, which the third party answers itself.
    http.all(
      ({ request }) => new URL(request.url).origin === origin,
      async ({ request }) => reply(await answer(thirdParty, request, origin), request),
    ),
  ];
}

function parseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`thirdPartyHandlers: baseUrl is not an absolute URL: ${baseUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`thirdPartyHandlers: baseUrl must be http(s): ${baseUrl}`);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    // The definition's basePath says where its routes live; the base URL names only the host.
    throw new Error(`thirdPartyHandlers: baseUrl must be scheme://host[:port] without a path (use the definition's basePath): ${baseUrl}`);
  }
  return url.origin;
}

/** The answer as a fetch Response, its fault plan (if any) carried out. */
async function reply(response: ThirdPartyResponse, request: Request): Promise<Response> {
  const plan = asFaultPlan(response.fault);
  const { status, headers, body } = response;
  if (!plan || isNoFault(plan)) return toFetchResponse({ status, headers, body }, request.method);
  const result = await responseWithFault({ status, headers, body }, plan, { signal: request.signal, method: request.method });
  return result === 'network-error' ? MswResponse.error() : result;
}

async function answer(thirdParty: ThirdParty, request: Request, origin: string): Promise<ThirdPartyResponse> {
  const read = await readFetchRequest(request, origin);
  if (isHttpResponse(read)) return read;
  try {
    const { status, headers, body: responseBody, fault } = thirdParty.handle(read as ThirdPartyRequest);
    return { status, headers, body: responseBody, ...(fault !== undefined ? { fault } : {}) };
  } catch {
    return { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'internal error' };
  }
}
