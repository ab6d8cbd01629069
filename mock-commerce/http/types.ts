/**
 * The transport-free request and response the Commerce core works on. Adapters (node:http, Express,
 * msw) translate to and from them; only adapters know about a transport.
 */
export interface HttpRequest {
  method: string;
  /** Path as received, still percent-encoded, without the query string. */
  path: string;
  /** Raw query string without `?` (percent-encoded). */
  query: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body?: Buffer;
  /** `http://host:port`, for absolute URLs in responses. */
  origin: string;
  /** The client's IP address, when the transport has one (none for in-process requests such as msw's). */
  remoteAddress?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}
