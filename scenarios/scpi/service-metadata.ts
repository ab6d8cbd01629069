/**
 * Reading a service's `$metadata`: the sender endpoint reads Commerce's once when it starts (the
 * endpoint is generated from it), the OData receiver before its first call to an address and again
 * when its copy is older than an hour on the flow's clock.
 */
import { type EdmModel, parseEdmx } from './edmx.js';
import { basicAuthorization, httpCall, truncateBody } from './http-client.js';

export const METADATA_TTL_MS = 60 * 60 * 1000;

export interface MetadataRequest {
  /** The service root, e.g. `http://…/odata2webservices/Orders` (no trailing slash needed). */
  serviceUrl: string;
  credentials: { username: string; password: string };
  timeoutMs: number;
}

/** `GET {serviceUrl}/$metadata` with Basic auth, parsed. @throws Error naming the URL for non-2xx or bad EDMX. */
export async function fetchMetadata(request: MetadataRequest): Promise<EdmModel> {
  const url = `${request.serviceUrl.replace(/\/+$/, '')}/$metadata`;
  const answer = await httpCall({
    method: 'GET',
    url,
    headers: { Authorization: basicAuthorization(request.credentials), Accept: 'application/xml' },
    timeoutMs: request.timeoutMs,
  });
  if (answer.status < 200 || answer.status >= 300) throw new Error(`GET ${url} → ${answer.status.toString()}: ${truncateBody(answer.body) || '(empty body)'}`);
  try {
    return parseEdmx(answer.body);
  } catch (e) {
    throw new Error(`GET ${url}: ${(e as Error).message}`, { cause: e });
  }
}

/** EDMX per service address, kept for `ttlMs` on the flow's clock. A failed read is not kept. */
export class MetadataCache {
  private readonly entries = new Map<string, { at: number; model: Promise<EdmModel> }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = METADATA_TTL_MS,
  ) {}

  /** The cached model for `address`, or `load()`'s (concurrent callers share one load). */
  get(address: string, load: () => Promise<EdmModel>): { model: Promise<EdmModel>; cached: boolean } {
    const now = this.now();
    const entry = this.entries.get(address);
    if (entry && now - entry.at < this.ttlMs) return { model: entry.model, cached: true };
    const model = load();
    this.entries.set(address, { at: now, model });
    model.catch(() => {
      if (this.entries.get(address)?.model === model) this.entries.delete(address);
    });
    return { model, cached: false };
  }
}
