/**
 * The sandbox admin API of the simulated Commerce, under `/__sandbox` — the same contract the simulated
 * third parties serve:
 *
 * - `GET /__sandbox/health` → 200 `{"status":"UP","system":"commerce","version":"2211"|"2005",
 *   "integrationObjects":<integration objects defined>,"items":<items in the store>}`
 * - `GET /__sandbox/requests[?method=&path=&status=]` → 200 `{"requests":[entry, …]}`, oldest first (see
 *   {@link JournalEntry}); `method` is case-insensitive, `path` a substring or `/regex/flags`, `status` a
 *   number; every given filter must match. A bad regex or status → 400 `{"error":"…"}`.
 * - `DELETE /__sandbox/requests` → 204: the journal is emptied.
 * - `POST /__sandbox/reset` → 204: the store goes back to exactly what was loaded, issued OAuth and CSRF
 *   tokens are forgotten, the journal is emptied, reset listeners run.
 * - `POST /__sandbox/cronjobs/{code}/perform` → runs the cron job now and answers when it finished:
 *   200 with what the installed cron job runner answers (the Commerce's: the run, see
 *   `cronjobs/cron-jobs.ts`), 404 `{"error":"no such cron job"}` when there is none.
 * - `GET /__sandbox/clock` → 200 `{"now":"<ISO>","epochMillis":n,"timers":[{"label","at"}…]}`.
 * - `POST /__sandbox/clock` with `{"advance":"5m"|"PT1H"|<ms>}` or `{"set":"<ISO>"|<epoch ms>}` → moves
 *   the sandbox clock, runs every trigger and retry that became due and answers when they finished:
 *   200 `{"now":…,"epochMillis":…,"fired":[{"label","at","result"|"error"}…]}`; a body that is not one
 *   of these → 400 `{"error":"…"}`.
 * - Any other `/__sandbox` path → 404 `{"error":"not found"}`; a known path with another method → 405
 *   `{"error":"method not allowed"}` with `Allow`.
 *
 * Every answer with a body is JSON (`Content-Type: application/json`). Admin requests are not
 * journaled and never reach Commerce's authentication.
 *
 * Security: loopback clients (127.0.0.0/8, ::1, ::ffff:127.x) and in-process requests without a remote
 * address (msw, direct `commerce.handle` calls) are served as they are. Any other client must send
 * `Authorization: Bearer <sandbox.admin.token>`; without that property configured, or with another
 * token, the answer is 403 `{"error":"forbidden"}`.
 *
 * Configuration: `sandbox.admin.token` (see above), `sandbox.admin.journal.size` (entries kept,
 * default 10000; 0 switches the journal off).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { CommerceConfig } from '../config/profile.js';
import type { HttpRequest, HttpResponse } from '../http/types.js';
import type { IntegrationObjectRegistry } from '../integration-objects/model.js';
import type { OAuthTokenService } from '../security/oauth.js';
import type { ItemStore, StoreSnapshot } from '../store/store.js';
import { type FiredTimer, type SandboxClock, parseDuration } from '../clock/sandbox-clock.js';
import { DEFAULT_JOURNAL_SIZE, type JournalFilter, RequestJournal } from './journal.js';

export const SANDBOX_ROOT = '/__sandbox';
export const ADMIN_TOKEN_PROPERTY = 'sandbox.admin.token';
export const JOURNAL_SIZE_PROPERTY = 'sandbox.admin.journal.size';

/** What the admin API needs of the simulated Commerce (the `Commerce` class is one). */
export interface SandboxHost {
  readonly store: ItemStore;
  readonly config: CommerceConfig;
  readonly oauth: OAuthTokenService;
  readonly integrationObjects: IntegrationObjectRegistry;
  readonly clock: () => number;
  readonly time: SandboxClock;
}

/** The answer of a cron job run: status (default 200) and a JSON body (none for 204). */
export interface CronJobAnswer {
  status?: number;
  body?: unknown;
}

/**
 * Extension point for cron jobs (outbound sync): runs the job with this code now and says how it went;
 * `undefined` when there is no such job (→ 404 `{"error":"no such cron job"}`). A thrown error → 500
 * `{"error":<message>}`.
 */
export type CronJobRunner = (code: string) => CronJobAnswer | undefined | Promise<CronJobAnswer | undefined>;

/** Called after `POST /__sandbox/reset` restored the store (e.g. to drop outbound queues). */
export type ResetListener = () => void;

export function isSandboxPath(path: string): boolean {
  return path === SANDBOX_ROOT || path.startsWith(`${SANDBOX_ROOT}/`);
}

/** Loopback or in-process (no remote address): served without a token. */
export function isLocalAddress(address: string | undefined): boolean {
  if (address === undefined) return true;
  const a = address.trim().toLowerCase().replace(/^::ffff:/, '');
  return a === '::1' || a === '0:0:0:0:0:0:0:1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

export class SandboxAdmin {
  private loaded: StoreSnapshot | undefined;
  private journalValue: RequestJournal | undefined;
  private cronJobRunner: CronJobRunner | undefined;
  private readonly resetListeners = new Set<ResetListener>();

  /**
   * Only keeps its arguments: the Commerce constructs its admin while it is itself being constructed.
   * `forgetCsrfTokens` drops the CSRF tokens the Commerce issued; `onLoaded` runs once the loaded
   * state is marked (the Commerce starts outbound then).
   */
  constructor(
    private readonly host: SandboxHost,
    private readonly forgetCsrfTokens: () => void = () => {},
    private readonly onLoaded: () => void = () => {},
  ) {}

  /** The request journal (created on first use with `sandbox.admin.journal.size` entries). */
  get journal(): RequestJournal {
    this.journalValue ??= new RequestJournal(this.host.config.int(JOURNAL_SIZE_PROPERTY, DEFAULT_JOURNAL_SIZE), () => this.host.clock());
    return this.journalValue;
  }

  /**
   * Takes the snapshot reset returns to: the store as it is now (or `snapshot`, which must equal it;
   * snapshots are never changed, restoring copies them). `loadCommerce` calls it once the project is
   * loaded; a Commerce built otherwise gets one before its first request.
   */
  markLoaded(snapshot?: StoreSnapshot): void {
    // onLoaded first: what it derives from the loaded data (auto-generated outbound configuration) is part
    // of the state reset returns to (a given snapshot must already contain it).
    this.onLoaded();
    this.loaded = snapshot ?? this.host.store.snapshot();
  }

  /** The state reset returns to (undefined until marked). */
  loadedSnapshot(): StoreSnapshot | undefined {
    return this.loaded;
  }

  /**
   * Installs the cron job runner (`POST /__sandbox/cronjobs/{code}/perform`); undefined removes it.
   * Returns the runner it replaces.
   */
  setCronJobRunner(runner: CronJobRunner | undefined): CronJobRunner | undefined {
    const previous = this.cronJobRunner;
    this.cronJobRunner = runner;
    return previous;
  }

  /** Runs `listener` after every reset; returns the function that removes it. */
  onReset(listener: ResetListener): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  /**
   * The Commerce's entry point: `/__sandbox/*` is answered here (before any authentication); every
   * other request is answered by `commerce` and journaled.
   */
  handle(request: HttpRequest, commerce: () => HttpResponse): HttpResponse | Promise<HttpResponse> {
    if (!this.loaded) this.markLoaded();
    if (isSandboxPath(request.path)) return this.serveAdmin(request);
    return this.journal.record(request, commerce);
  }

  /** Back to the loaded state: store, OAuth and CSRF tokens, journal. */
  reset(): void {
    if (this.loaded) this.host.store.restore(this.loaded);
    this.host.oauth.clear();
    this.forgetCsrfTokens();
    this.journal.clear();
    for (const listener of this.resetListeners) listener();
  }

  private serveAdmin(request: HttpRequest): HttpResponse | Promise<HttpResponse> {
    if (!this.authorized(request)) return json(403, { error: 'forbidden' });
    const failed = (e: unknown) => json(500, { error: e instanceof Error ? e.message : String(e) });
    try {
      const answer = this.route(request);
      return answer instanceof Promise ? answer.catch(failed) : answer;
    } catch (e) {
      return failed(e);
    }
  }

  private authorized(request: HttpRequest): boolean {
    if (isLocalAddress(request.remoteAddress)) return true;
    const expected = this.host.config.get(ADMIN_TOKEN_PROPERTY);
    if (expected === undefined || expected === '') return false;
    const presented = /^\s*bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    return presented !== undefined && sameToken(presented, expected);
  }

  private route(request: HttpRequest): HttpResponse | Promise<HttpResponse> {
    const path = request.path.slice(SANDBOX_ROOT.length);
    const method = request.method.toUpperCase();
    if (path === '/health') return method === 'GET' ? this.health() : notAllowed('GET');
    if (path === '/requests') {
      if (method === 'GET') return this.requests(request.query);
      if (method === 'DELETE') {
        this.journal.clear();
        return noContent();
      }
      return notAllowed('GET, DELETE');
    }
    if (path === '/reset') {
      if (method !== 'POST') return notAllowed('POST');
      this.reset();
      return noContent();
    }
    const cron = /^\/cronjobs\/([^/]+)\/perform$/.exec(path);
    if (cron) return method === 'POST' ? this.performCronJob(cron[1]!) : notAllowed('POST');
    if (path === '/clock') {
      if (method === 'GET') return json(200, this.clockState());
      return method === 'POST' ? this.moveClock(request) : notAllowed('GET, POST');
    }
    return json(404, { error: 'not found' });
  }

  private clockState(): { now: string; epochMillis: number; timers: { label: string; at: string }[] } {
    const now = this.host.time.now();
    const timers = this.host.time.pending().map((t) => ({ label: t.label, at: new Date(t.at).toISOString() }));
    return { now: new Date(now).toISOString(), epochMillis: now, timers };
  }

  /** `{"advance": duration}` or `{"set": time}`; runs what became due and answers after it. */
  private async moveClock(request: HttpRequest): Promise<HttpResponse> {
    let body: unknown;
    try {
      body = JSON.parse(request.body?.toString('utf8') ?? '');
    } catch {
      return json(400, { error: 'the body must be JSON: {"advance":"5m"} or {"set":"2030-01-01T00:00:00Z"}' });
    }
    const { advance, set } = (body ?? {}) as { advance?: unknown; set?: unknown };
    let fired: FiredTimer[];
    try {
      fired = await this.move(advance, set);
    } catch (e) {
      if (e instanceof RangeError || e instanceof BadClockRequest) return json(400, { error: e.message });
      throw e;
    }
    const { now, epochMillis } = this.clockState();
    return json(200, { now, epochMillis, fired: fired.map((f) => ({ ...f, at: new Date(f.at).toISOString() })) });
  }

  private move(advance: unknown, set: unknown): Promise<FiredTimer[]> {
    if (advance !== undefined && set === undefined) {
      const ms = parseDuration(advance);
      if (ms === undefined) throw new BadClockRequest(`invalid duration: ${JSON.stringify(advance)} (e.g. 5000, "90s", "5m", "1h", "PT1H30M")`);
      return this.host.time.advance(ms);
    }
    if (set !== undefined && advance === undefined) {
      const at = typeof set === 'number' ? set : typeof set === 'string' ? Date.parse(set) : NaN;
      if (!Number.isFinite(at)) throw new BadClockRequest(`invalid time: ${JSON.stringify(set)} (ISO 8601 or epoch milliseconds)`);
      return this.host.time.set(at);
    }
    throw new BadClockRequest('give exactly one of "advance" or "set"');
  }

  private health(): HttpResponse {
    return json(200, {
      status: 'UP',
      system: 'commerce',
      version: this.host.config.version,
      integrationObjects: this.host.integrationObjects.codes().length,
      items: this.host.store.size,
    });
  }

  private requests(query: string): HttpResponse {
    const params = new URLSearchParams(query);
    const filter: JournalFilter = {};
    const method = params.get('method');
    if (method !== null && method !== '') filter.method = method;
    const status = params.get('status');
    if (status !== null && status !== '') {
      if (!/^\d{3}$/.test(status.trim())) return json(400, { error: `invalid status filter: ${status}` });
      filter.status = Number(status.trim());
    }
    const path = params.get('path');
    if (path !== null && path !== '') {
      const regex = /^\/(.+)\/([a-z]*)$/.exec(path);
      if (regex) {
        try {
          filter.path = new RegExp(regex[1]!, regex[2]);
        } catch {
          return json(400, { error: `invalid path filter: ${path}` });
        }
      } else {
        filter.path = path;
      }
    }
    return json(200, { requests: this.journal.entries(filter) });
  }

  private async performCronJob(rawCode: string): Promise<HttpResponse> {
    const code = safeDecode(rawCode);
    const answer = code === undefined ? undefined : await this.cronJobRunner?.(code);
    if (!answer) return json(404, { error: 'no such cron job' });
    const status = answer.status ?? 200;
    return answer.body === undefined || status === 204 ? { status, headers: {}, body: '' } : json(status, answer.body);
  }
}

/** A `POST /__sandbox/clock` body that says no valid move (→ 400). */
class BadClockRequest extends Error {}

const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
}

function noContent(): HttpResponse {
  return { status: 204, headers: {}, body: '' };
}

function notAllowed(allow: string): HttpResponse {
  return { ...json(405, { error: 'method not allowed' }), headers: { ...JSON_HEADERS, Allow: allow } };
}

/** Constant-time comparison of two tokens of any length. */
function sameToken(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
