/**
 * A cache of read answers, valid for one state of the store.
 *
 * A GET's answer depends on the request (path, query, the headers below) and on the store; nothing else
 * changes it except the clock, which only Atom feeds (`<updated>`) and bearer tokens (expiry) read. So a
 * JSON answer to a Basic-authenticated GET can be served again, byte for byte, for as long as the store
 * has not changed: any write, rollback or restore moves the store's generation and empties the cache.
 * This is what makes repeated reads (a flow polling a page, a load test of key reads) cost little more
 * than writing the bytes.
 *
 * Not cached: other methods, bearer or missing credentials, CSRF token fetches, non-JSON answers, and
 * anything but 200. Authentication is part of the key (the exact `Authorization` header), so a cached
 * answer is only ever given to the credentials that produced it. `sandbox.read.cache.entries` bounds it
 * (default 2000; 0 switches it off).
 */
import type { HttpRequest, HttpResponse } from '../../http/types.js';
import type { ItemStore } from '../../store/store.js';

export const READ_CACHE_PROPERTY = 'sandbox.read.cache.entries';
export const DEFAULT_READ_CACHE_ENTRIES = 2000;

export class ReadCache {
  private readonly entries = new Map<string, HttpResponse>();
  private generation = -1;

  constructor(
    private readonly store: ItemStore,
    private readonly capacity: number,
  ) {}

  /** The cache key of a cacheable request, else undefined. */
  keyOf(request: HttpRequest): string | undefined {
    if (this.capacity <= 0 || request.method !== 'GET') return undefined;
    const h = request.headers;
    const authorization = h.authorization;
    if (!authorization || !/^basic /i.test(authorization) || h['x-csrf-token'] !== undefined) return undefined;
    return `${request.origin}\u0000${request.path}\u0000${request.query}\u0000${h.accept ?? ''}\u0000${h['accept-language'] ?? ''}\u0000${authorization}`;
  }

  get(key: string): HttpResponse | undefined {
    if (this.generation !== this.store.generation) return undefined;
    return this.entries.get(key);
  }

  /** Keeps a 200 JSON answer (its body as bytes, so that serving it again converts nothing). */
  put(key: string, response: HttpResponse): HttpResponse {
    if (response.status !== 200 || !(response.headers['Content-Type'] ?? '').startsWith('application/json')) return response;
    if (this.generation !== this.store.generation) {
      this.entries.clear();
      this.generation = this.store.generation;
    }
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    const kept: HttpResponse = { status: response.status, headers: response.headers, body: typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body };
    this.entries.set(key, kept);
    return kept;
  }
}
