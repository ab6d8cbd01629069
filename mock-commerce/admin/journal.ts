/**
 * The request journal of the sandbox admin API (`GET /__sandbox/requests`): the last N requests the
 * simulated Commerce answered (admin requests excluded), oldest first.
 *
 * Recording is cheap (the request's own headers object, the body buffer kept as is up to 64 kB); entries are
 * rendered — credentials masked, JSON bodies parsed — only when they are read.
 */
import type { HttpRequest, HttpResponse } from '../http/types.js';

/** Entries kept by default (`sandbox.admin.journal.size`). */
export const DEFAULT_JOURNAL_SIZE = 10_000;
/** Request bodies are kept up to this many bytes. */
export const MAX_JOURNAL_BODY_BYTES = 64 * 1024;

/** One journaled request, as `GET /__sandbox/requests` answers it. */
export interface JournalEntry {
  /** Increases by one per recorded request over the Commerce's lifetime (not reset by a clear). */
  id: number;
  /** When the request arrived (sandbox clock), ISO 8601. */
  time: string;
  method: string;
  /** Path as received (percent-encoded), without the query string. */
  path: string;
  /** Raw query string without `?` (`client_secret`/`password` values masked). */
  query: string;
  /** Header names in lower case; `authorization`/`proxy-authorization` masked to `<Scheme> ***`. */
  headers: Record<string, string>;
  /**
   * The JSON value when the body is JSON, else its text (form bodies with `client_secret`/`password`
   * masked), `null` without a body. Bodies over 64 kB are cut to their first 64 kB and given as text.
   */
  body: unknown;
  status: number;
  /** Time the Commerce took to answer, in milliseconds. */
  durationMs: number;
}

/** Criteria of `GET /__sandbox/requests?method=&path=&status=`; every one given must match. */
export interface JournalFilter {
  /** HTTP method, case-insensitive. */
  method?: string;
  /** Substring of the path, or a regular expression. Matched against the raw and the decoded path. */
  path?: string | RegExp;
  status?: number;
}

interface Recorded {
  id: number;
  startedAt: number;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | undefined>;
  body: Buffer | undefined;
  truncated: boolean;
  status: number;
  durationMs: number;
}

export class RequestJournal {
  /** Recorded entries from `head` on; older slots are dropped in batches (amortised O(1) appends). */
  private entriesList: Recorded[] = [];
  private head = 0;
  private nextId = 1;

  constructor(
    private capacityValue: number = DEFAULT_JOURNAL_SIZE,
    /** The sandbox clock (epoch ms) for entry times. */
    private readonly clock: () => number = Date.now,
  ) {
    this.capacityValue = normaliseCapacity(capacityValue);
  }

  /** Entries kept; 0 switches journaling off. Shrinking drops the oldest entries. */
  get capacity(): number {
    return this.capacityValue;
  }

  set capacity(value: number) {
    this.capacityValue = normaliseCapacity(value);
    this.trim();
  }

  get size(): number {
    return this.entriesList.length - this.head;
  }

  /** Runs `answer` and journals the request with its status and duration. */
  record(request: HttpRequest, answer: () => HttpResponse): HttpResponse {
    if (this.capacityValue === 0) return answer();
    const startedAt = this.clock();
    const started = performance.now();
    let status = 500;
    try {
      const response = answer();
      status = response.status;
      return response;
    } finally {
      this.add(request, startedAt, status, performance.now() - started);
    }
  }

  private add(request: HttpRequest, startedAt: number, status: number, millis: number): void {
    const body = request.body && request.body.length > 0 ? request.body : undefined;
    const truncated = !!body && body.length > MAX_JOURNAL_BODY_BYTES;
    this.entriesList.push({
      id: this.nextId++,
      startedAt,
      method: request.method,
      path: request.path,
      query: request.query,
      // The adapters build a headers object per request and nothing changes it afterwards: kept as is.
      headers: request.headers,
      // A copy when cut, so that the journal does not keep a large request buffer alive.
      body: truncated ? Buffer.from(body.subarray(0, MAX_JOURNAL_BODY_BYTES)) : body,
      truncated,
      status,
      durationMs: Math.round(millis * 1000) / 1000,
    });
    this.trim();
  }

  private trim(): void {
    const excess = this.size - this.capacityValue;
    if (excess > 0) this.head += excess;
    if (this.head > 0 && this.head >= Math.max(1024, this.size)) {
      this.entriesList = this.entriesList.slice(this.head);
      this.head = 0;
    }
  }

  /** Journaled requests matching the filter, oldest first. */
  entries(filter: JournalFilter = {}): JournalEntry[] {
    const method = filter.method?.toUpperCase();
    const out: JournalEntry[] = [];
    for (let i = this.head; i < this.entriesList.length; i++) {
      const r = this.entriesList[i]!;
      if (method !== undefined && r.method.toUpperCase() !== method) continue;
      if (filter.status !== undefined && r.status !== filter.status) continue;
      if (filter.path !== undefined && !pathMatches(r.path, filter.path)) continue;
      out.push(render(r));
    }
    return out;
  }

  clear(): void {
    this.entriesList = [];
    this.head = 0;
  }
}

function normaliseCapacity(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function pathMatches(path: string, filter: string | RegExp): boolean {
  const decoded = safeDecode(path);
  const test = (p: string): boolean => {
    if (typeof filter === 'string') return p.includes(filter);
    filter.lastIndex = 0; // a /g or /y expression keeps state between calls
    return filter.test(p);
  };
  return test(path) || (decoded !== undefined && decoded !== path && test(decoded));
}

function render(r: Recorded): JournalEntry {
  return {
    id: r.id,
    time: new Date(r.startedAt).toISOString(),
    method: r.method,
    path: r.path,
    query: maskParameters(r.query),
    headers: maskHeaders(r.headers),
    body: renderBody(r.body, r.truncated, r.headers['content-type']),
    status: r.status,
    durationMs: r.durationMs,
  };
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization']);

/** `Basic dXNlcjpwdw==` → `Basic ***`, `Bearer abc` → `Bearer ***`; a value without a scheme → `***`. */
export function maskCredentials(value: string): string {
  const scheme = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+\S/.exec(value)?.[1];
  if (scheme === undefined) return '***';
  const lower = scheme.toLowerCase();
  const canonical = lower === 'basic' ? 'Basic' : lower === 'bearer' ? 'Bearer' : scheme;
  return `${canonical} ***`;
}

function maskHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = CREDENTIAL_HEADERS.has(name.toLowerCase()) ? maskCredentials(value) : value;
  }
  return out;
}

/** Masks the values of secret form/query parameters (the token endpoint takes `client_secret` there). */
function maskParameters(text: string): string {
  return text.replace(/(^|&)((?:client_secret|password)=)[^&]*/gi, '$1$2***');
}

function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json') || type === 'text/json';
}

function isFormType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

function renderBody(body: Buffer | undefined, truncated: boolean, contentType: string | undefined): unknown {
  if (!body) return null;
  const text = body.toString('utf8');
  if (!truncated && (isJsonType(contentType) || (contentType === undefined && /^\s*[[{]/.test(text)))) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // not valid JSON after all: given as text
    }
  }
  return isFormType(contentType) ? maskParameters(text) : text;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
