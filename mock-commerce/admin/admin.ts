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
 * - `POST /__sandbox/cronjobs/{code}/perform` → what the installed cron job runner answers, 404
 *   `{"error":"no such cron job"}` without one (see {@link CronJobRunner}).
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
export type CronJobRunner = (code: string) => CronJobAnswer | undefined;

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
   * `forgetCsrfTokens` drops the CSRF tokens the Commerce issued.
   */
  constructor(
    private readonly host: SandboxHost,
    private readonly forgetCsrfTokens: () => void = () => {},
  ) {}

  /** The request journal (created on first use with `sandbox.admin.journal.size` entries). */
  get journal(): RequestJournal {
    this.journalValue ??= new RequestJournal(this.host.config.int(JOURNAL_SIZE_PROPERTY, DEFAULT_JOURNAL_SIZE), () => this.host.clock());
    return this.journalValue;
  }

  /**
   * Takes the snapshot reset returns to: the store as it is now. `loadCommerce` calls it once the
   * project is loaded; a Commerce built otherwise gets one before its first request.
   */
  markLoaded(): void {
    this.loaded = this.host.store.snapshot();
  }

  /** Installs the cron job runner (`POST /__sandbox/cronjobs/{code}/perform`); undefined removes it. */
  setCronJobRunner(runner: CronJobRunner | undefined): void {
    this.cronJobRunner = runner;
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
  handle(request: HttpRequest, commerce: () => HttpResponse): HttpResponse {
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

  private serveAdmin(request: HttpRequest): HttpResponse {
    if (!this.authorized(request)) return json(403, { error: 'forbidden' });
    try {
      return this.route(request);
    } catch (e) {
      return json(500, { error: e instanceof Error ? e.message : String(e) });
    }
  }

  private authorized(request: HttpRequest): boolean {
    if (isLocalAddress(request.remoteAddress)) return true;
    const expected = this.host.config.get(ADMIN_TOKEN_PROPERTY);
    if (expected === undefined || expected === '') return false;
    const presented = /^\s*bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    return presented !== undefined && sameToken(presented, expected);
  }

  private route(request: HttpRequest): HttpResponse {
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
    return json(404, { error: 'not found' });
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

  private performCronJob(rawCode: string): HttpResponse {
    const code = safeDecode(rawCode);
    const answer = code === undefined ? undefined : this.cronJobRunner?.(code);
    if (!answer) return json(404, { error: 'no such cron job' });
    const status = answer.status ?? 200;
    return answer.body === undefined || status === 204 ? { status, headers: {}, body: '' } : json(status, answer.body);
  }
}

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
