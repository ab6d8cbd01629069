/**
 * The admin API under `/__sandbox` (the simulated Commerce serves the same shape):
 *
 *   GET    /__sandbox/health                                  200 {"status":"UP","system":"third-party","name":…}
 *   GET    /__sandbox/requests[?method=&path=&status=&route=] 200 {"requests":[journal entries]}
 *   DELETE /__sandbox/requests                                204 (journal cleared)
 *   POST   /__sandbox/reset                                   204 (state back to the definition)
 *   POST   /__sandbox/verify  {pattern, count}                200 {"ok":true} | 409 {"ok":false,"message":…}
 *   GET    /__sandbox/faults                                  200 {"faults":[{route, faults, exclusive}]} (runtime switches)
 *   POST   /__sandbox/faults  {route: id|"*", faults, exclusive?}  204 (replaces the target's switch) | 400 {error, problems}
 *   DELETE /__sandbox/faults[?route=id|*]                     204 (one target's switch off, or all)
 *
 * Served to loopback callers (and in-process ones, whose request has no remote address); anyone else
 * needs `Authorization: Bearer <adminToken>` when an admin token is configured, and gets 403 when none is.
 */
import type { HttpResponse } from '../../mock-commerce/http/types.js';
import { patternProblems } from '../definition/validate.js';
import type { RuntimeFaults } from '../engine/fault-hook.js';
import type { CountSpec, JournalEntry, RequestPattern } from '../engine/journal.js';
import { faultsProblems } from '../faults/index.js';
import { VerificationError } from '../engine/journal.js';
import { parseBody, type ThirdPartyRequest } from '../engine/request.js';
import { ADMIN_ROOT } from './root.js';

export { ADMIN_ROOT };

/** What the admin API needs of a third party. */
export interface AdminTarget {
  readonly name: string;
  readonly adminToken: string | undefined;
  readonly journal: readonly JournalEntry[];
  clearJournal(): void;
  reset(): void;
  find(pattern: RequestPattern): JournalEntry[];
  verify(pattern: RequestPattern, options?: { count?: CountSpec }): void;
  /** Runtime fault switches; without them `/faults` answers 501. */
  readonly runtimeFaults?: RuntimeFaults | undefined;
}

export function isAdminPath(path: string): boolean {
  return path === ADMIN_ROOT || path.startsWith(`${ADMIN_ROOT}/`);
}

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return true;
  const a = address.toLowerCase();
  return a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.') || a === 'localhost';
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

const NO_CONTENT: HttpResponse = { status: 204, headers: {}, body: '' };

export function handleAdmin(target: AdminTarget, request: ThirdPartyRequest): HttpResponse {
  const denied = checkAccess(target, request);
  if (denied) return denied;
  const resource = request.path.slice(ADMIN_ROOT.length);
  const method = request.method.toUpperCase();
  const allow = (methods: string[]): HttpResponse | undefined =>
    methods.includes(method) ? undefined : json(405, { error: 'method_not_allowed', allowed: methods }, { Allow: methods.join(', ') });
  switch (resource) {
    case '/health':
      return allow(['GET']) ?? json(200, { status: 'UP', system: 'third-party', name: target.name });
    case '/requests': {
      const bad = allow(['GET', 'DELETE']);
      if (bad) return bad;
      if (method === 'DELETE') {
        target.clearJournal();
        return NO_CONTENT;
      }
      return listRequests(target, request.query);
    }
    case '/reset': {
      const bad = allow(['POST']);
      if (bad) return bad;
      target.reset();
      return NO_CONTENT;
    }
    case '/verify':
      return allow(['POST']) ?? verify(target, request);
    case '/faults':
      return allow(['GET', 'POST', 'DELETE']) ?? faults(target, request, method);
    default:
      return json(404, { error: 'not_found', message: `no admin resource ${request.path} (health, requests, reset, verify, faults)` });
  }
}

function checkAccess(target: AdminTarget, request: ThirdPartyRequest): HttpResponse | undefined {
  if (isLoopback(request.remoteAddress)) return undefined;
  if (target.adminToken === undefined) {
    return json(403, { error: 'forbidden', message: 'the admin API answers loopback callers only (configure an admin token to open it)' });
  }
  const m = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
  if (m?.[1]?.trim() === target.adminToken) return undefined;
  return json(401, { error: 'unauthorized', message: 'admin token missing or wrong' }, { 'WWW-Authenticate': 'Bearer realm="sandbox-admin"' });
}

function listRequests(target: AdminTarget, query: string): HttpResponse {
  const params = new URLSearchParams(query);
  const method = params.get('method');
  const path = params.get('path');
  const status = params.get('status');
  const route = params.get('route');
  if (status !== null && !/^\d{3}$/.test(status)) return json(400, { error: 'bad_request', message: 'status must be a three-digit number' });
  let entries: readonly JournalEntry[] = target.journal;
  if (path !== null && path !== '') {
    try {
      const ids = new Set(target.find({ path }).map((e) => e.id));
      entries = entries.filter((e) => ids.has(e.id) || e.path === path);
    } catch (e) {
      return json(400, { error: 'bad_request', message: `path: ${(e as Error).message}` });
    }
  }
  if (method !== null && method !== '') entries = entries.filter((e) => e.method === method.toUpperCase());
  if (status !== null) entries = entries.filter((e) => e.status === Number(status));
  if (route !== null) entries = entries.filter((e) => (e.route ?? '') === route);
  return json(200, { requests: entries.map(masked) });
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization']);
const SECRET_FIELDS = new Set(['client_secret', 'password']);

/**
 * An entry as the admin API shows it (as the Commerce side does): credentials in `Authorization`
 * headers, `client_secret` and `password` (query, top-level body fields) masked. The in-process
 * journal keeps them, for verification.
 */
function masked(entry: JournalEntry): JournalEntry {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(entry.headers)) {
    headers[name] = CREDENTIAL_HEADERS.has(name) ? maskCredentials(value) : value;
  }
  const query: JournalEntry['query'] = {};
  for (const [name, value] of Object.entries(entry.query)) query[name] = SECRET_FIELDS.has(name) ? '***' : value;
  let body = entry.body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).some((k) => SECRET_FIELDS.has(k))) {
    body = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '***' : (v as unknown)]));
  }
  return { ...entry, query, headers, body };
}

/** `Basic dXNlcjpwdw==` → `Basic ***`; a value without a scheme → `***`. */
function maskCredentials(value: string): string {
  const scheme = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+\S/.exec(value)?.[1];
  return scheme === undefined ? '***' : `${scheme} ***`;
}

function verify(target: AdminTarget, request: ThirdPartyRequest): HttpResponse {
  const body = parseBody(request.body, 'application/json');
  if (body.kind !== 'json' || body.value === null || typeof body.value !== 'object' || Array.isArray(body.value)) {
    return json(400, { ok: false, message: 'send a JSON object {"pattern": {…}, "count": n | {"min": n, "max": n}}' });
  }
  const { pattern = {}, count, ...rest } = body.value as { pattern?: unknown; count?: unknown };
  const extra = Object.keys(rest);
  const problems = [...patternProblems(pattern, count), ...extra.map((k) => `unknown key "${k}" (pattern, count)`)];
  if (problems.length > 0) return json(400, { ok: false, message: problems.join('; ') });
  try {
    target.verify(pattern as RequestPattern, count === undefined ? {} : { count: count as CountSpec });
    return json(200, { ok: true });
  } catch (e) {
    if (e instanceof VerificationError) return json(409, { ok: false, message: e.message });
    return json(400, { ok: false, message: (e as Error).message });
  }
}

function faults(target: AdminTarget, request: ThirdPartyRequest, method: string): HttpResponse {
  const runtime = target.runtimeFaults;
  if (!runtime) {
    return json(501, { error: 'not_implemented', message: 'runtime faults are off: this third party has its own planFault hook' });
  }
  if (method === 'GET') {
    return json(200, { faults: runtime.list().map((s) => ({ route: s.target, faults: s.faults, exclusive: s.exclusive })) });
  }
  if (method === 'DELETE') {
    const route = new URLSearchParams(request.query).get('route');
    runtime.disable(route === null || route === '' ? undefined : route);
    return NO_CONTENT;
  }
  const usage = 'send a JSON object {"route": "<route id>" | "*", "faults": [fault, …], "exclusive"?: boolean}';
  const body = parseBody(request.body, 'application/json');
  if (body.kind !== 'json' || body.value === null || typeof body.value !== 'object' || Array.isArray(body.value)) {
    return json(400, { error: 'bad_request', message: usage, problems: [] });
  }
  const { route, faults: list, exclusive, ...rest } = body.value as { route?: unknown; faults?: unknown; exclusive?: unknown };
  const problems: string[] = Object.keys(rest).map((k) => `unknown key "${k}" (route, faults, exclusive)`);
  if (typeof route !== 'string' || route === '') problems.push('route: must be a route id or "*"');
  else if (route !== '*' && !runtime.routes.includes(route)) problems.push(`route: no route "${route}" (routes: ${runtime.routes.join(', ')}; or "*" for all)`);
  problems.push(...faultsProblems(list));
  if (exclusive !== undefined && typeof exclusive !== 'boolean') problems.push('exclusive: must be a boolean');
  if (problems.length > 0) return json(400, { error: 'invalid_faults', message: problems.join('; '), problems });
  try {
    runtime.enable(route as string, list as Parameters<RuntimeFaults['enable']>[1], { exclusive: exclusive === true });
  } catch (e) {
    const message = (e as Error).message;
    return json(400, { error: 'invalid_faults', message, problems: [message] });
  }
  return NO_CONTENT;
}
