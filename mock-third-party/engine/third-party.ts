/**
 * The pure core of a simulated third-party API: `createThirdParty(definition)` answers HttpRequests
 * (no transport), keeps state, a journal and verifications. Adapters (`../app.ts`: Express and
 * node:http; `../msw.ts`: msw) only translate.
 *
 * A request goes: admin API (`/__sandbox/…`) → OAuth2 token endpoints → routes (by priority, then file
 * order; the first whose method, path and `match` all hold) → the route's auth → its sequence step →
 * its action on a collection → the step's response rendered from templates. A request no route takes
 * gets a 404 naming the closest routes and what differed.
 */
import type { HttpResponse } from '../../mock-commerce/http/types.js';
import { handleAdmin, isAdminPath } from '../admin/admin.js';
import type { FaultDefinition, RateLimitDefinition } from '../definition/faults-model.js';
import type { ThirdPartyDefinition } from '../definition/model.js';
import { checkDefinition } from '../definition/validate.js';
import { checkAuth, readTokenRequest, type IssuedToken } from './auth.js';
import { asFaultPlan, blockingAnswer, createDefaultFaultHook, type DefaultFaultHook, type RuntimeFaults } from './fault-hook.js';
import { CollectionStore, type Item } from './collections.js';
import type { CompiledAction, CompiledDefinition, CompiledResponse, CompiledRoute, TokenEndpoint } from './compile.js';
import {
  compilePattern,
  matches,
  verifyCount,
  verifyOrder as verifyOrderOf,
  type CountSpec,
  type JournalEntry,
  type Recorded,
  type RequestPattern,
} from './journal.js';
import { evaluate } from './matchers.js';
import { runtime, seededFaker } from './random.js';
import { journalQuery, viewRequest, type RequestView, type ThirdPartyRequest } from './request.js';
import { asText, type TemplateContext, type TemplateRuntime } from './templates.js';

export type { ThirdPartyRequest } from './request.js';
export type { CountSpec, JournalEntry, RequestPattern } from './journal.js';
export { VerificationError } from './journal.js';

/** What the fault layer (`mock-third-party/faults/`) is told about each request a route or the 404 answers. */
export interface FaultHookInput {
  /** Top-level faults, then the route's. */
  faults: FaultDefinition[];
  /** The route's rate limit, else the top-level one. */
  rateLimit?: RateLimitDefinition;
  /** Route id; null for an unmatched request. */
  route: string | null;
  request: Omit<JournalEntry, 'status' | 'route'>;
  /** 1-based call number of the route (since reset); 0 for an unmatched request. */
  call: number;
  now: number;
}

/**
 * Plans a fault for a request; whatever it returns (if not undefined) travels as the response's `fault`.
 * A result shaped like the fault module's `FaultPlan` (`delayMs` a number) is also obeyed by the engine:
 * with `error` or `drop` the request reaches neither the action nor the route's sequence (nothing
 * changes), and `handle()` answers with the error (a 504 stand-in for a drop, journaled with status 0);
 * otherwise its `headers` (if any) are added to the answer.
 */
export type FaultPlanner = (input: FaultHookInput) => unknown;

export interface ThirdPartyOptions {
  /** Clock (ms since the epoch) for token expiry, the journal and `{{now}}`; default `Date.now`. */
  now?: () => number;
  /** Bearer token that opens the admin API to non-loopback callers (else they get 403). */
  adminToken?: string;
  /** Journal entries kept (oldest dropped first); default 10,000. */
  journalLimit?: number;
  /** Larger request bodies get 413; default 10 MiB. */
  maxBodyBytes?: number;
  /**
   * The fault layer's hook. Default: the definition's faults and rate limits, seeded with its `seed`,
   * plus runtime switches (`engine/fault-hook.ts`); pass your own to replace them.
   */
  planFault?: FaultPlanner;
}

export type ThirdPartyResponse = HttpResponse & { fault?: unknown };

export interface ThirdParty {
  readonly name: string;
  /** The validated definition. */
  readonly definition: ThirdPartyDefinition;
  handle(request: ThirdPartyRequest): ThirdPartyResponse;
  /** Back to the loaded definition: collections re-seeded, sequences, tokens and the journal cleared. */
  reset(): void;
  /** Every request answered since the last reset or clear, oldest first (admin calls excluded). */
  readonly journal: readonly JournalEntry[];
  clearJournal(): void;
  /** Journal entries matching a pattern. */
  find(pattern: RequestPattern): JournalEntry[];
  /** Throws VerificationError unless `count` (default: at least 1) requests match. */
  verify(pattern: RequestPattern, options?: { count?: CountSpec }): void;
  /** Throws VerificationError unless requests matching the patterns arrived in this order (others may come between). */
  verifyOrder(patterns: RequestPattern[]): void;
  /** Current items of a collection (copies). */
  items(collection: string): Item[];
  readonly adminToken: string | undefined;
  /** Runtime fault switches (`/__sandbox/faults`); undefined when a `planFault` option replaces the default hook. */
  readonly runtimeFaults: RuntimeFaults | undefined;
}

const DEFAULT_JOURNAL_LIMIT = 10_000;
const DEFAULT_MAX_BODY = 10 * 1024 * 1024;
/** Bodies above this are journaled as `{"truncated":true,"bytes":n}` (and no body pattern matches them). */
const JOURNAL_BODY_BYTES = 1024 * 1024;
const JSON_TYPE = 'application/json';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const NULL_BODY = new Set([204, 205, 304]);

interface Defaults {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Thrown inside an action to answer with a prepared response instead of the step's. */
class Answer {
  constructor(readonly response: HttpResponse) {}
}

export function createThirdParty(definition: ThirdPartyDefinition, options: ThirdPartyOptions = {}): ThirdParty {
  const { definition: checked, compiled } = checkDefinition(definition);
  return new Engine(checked, compiled, options);
}

class Engine implements ThirdParty {
  readonly name: string;
  readonly adminToken: string | undefined;
  private readonly now: () => number;
  private readonly journalLimit: number;
  private readonly maxBodyBytes: number;
  private readonly stores = new Map<string, CollectionStore>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly counters = new Map<string, number>();
  private recorded: Recorded[] = [];
  private nextId = 1;
  private readonly faultHook: DefaultFaultHook | undefined;
  private readonly planner: FaultPlanner | undefined;

  constructor(
    readonly definition: ThirdPartyDefinition,
    private readonly compiled: CompiledDefinition,
    private readonly options: ThirdPartyOptions,
  ) {
    this.name = compiled.name;
    this.adminToken = options.adminToken;
    this.now = options.now ?? Date.now;
    this.journalLimit = options.journalLimit ?? DEFAULT_JOURNAL_LIMIT;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    if (options.planFault) this.planner = options.planFault;
    else {
      const hook = createDefaultFaultHook(compiled);
      this.faultHook = hook;
      this.planner = (input) => hook.plan(input);
    }
    for (const [name, c] of compiled.collections) {
      this.stores.set(name, new CollectionStore(c, () => seededFaker(compiled.seed, `uuid ${name}`, this.count(`uuid ${name}`)).string.uuid()));
    }
    this.reset();
  }

  get runtimeFaults(): RuntimeFaults | undefined {
    return this.faultHook?.runtime;
  }

  get journal(): readonly JournalEntry[] {
    return this.kept().map((r) => r.entry);
  }

  clearJournal(): void {
    this.recorded = [];
  }

  reset(): void {
    this.tokens.clear();
    this.counters.clear();
    this.recorded = [];
    this.nextId = 1;
    this.faultHook?.reset();
    for (const [name, store] of this.stores) {
      store.clear();
      const c = store.def;
      for (const item of c.items) store.create(item);
      if (c.generate) {
        const rt = runtime(this.compiled.seed, `collection ${name}`, 0, this.now);
        for (let index = 0; index < c.generate.count; index++) {
          const item = c.generate.item({ index, seed: this.compiled.seed, collection: name }, rt);
          // A generated item that repeats an id or unique key is skipped.
          if (isObject(item)) store.create(item);
        }
      }
    }
  }

  items(collection: string): Item[] {
    const store = this.stores.get(collection);
    if (!store) throw new Error(`${this.name}: no collection "${collection}"`);
    return structuredClone(store.list());
  }

  find(pattern: RequestPattern): JournalEntry[] {
    const matcher = compilePattern(pattern);
    return this.kept().filter((r) => matches(matcher, r)).map((r) => r.entry);
  }

  verify(pattern: RequestPattern, options: { count?: CountSpec } = {}): void {
    verifyCount(pattern, options.count ?? { min: 1 }, this.kept());
  }

  verifyOrder(patterns: RequestPattern[]): void {
    verifyOrderOf(patterns, this.kept());
  }

  /** The journal: the last `journalLimit` recorded requests. */
  private kept(): Recorded[] {
    if (this.journalLimit <= 0) return [];
    return this.recorded.length > this.journalLimit ? this.recorded.slice(-this.journalLimit) : this.recorded;
  }

  handle(request: ThirdPartyRequest): ThirdPartyResponse {
    if (isAdminPath(request.path)) return handleAdmin(this, request);
    // A body over the limit is not even parsed: it is answered with 413.
    const tooLarge = request.body !== undefined && request.body.length > this.maxBodyBytes;
    const view = viewRequest(tooLarge ? { ...request, body: undefined } : request);
    const time = this.now();
    const entry: JournalEntry = {
      id: this.nextId++,
      time: new Date(time).toISOString(),
      method: view.method,
      path: view.path,
      query: journalQuery(view),
      headers: { ...view.headers },
      body: view.bodyValue,
      route: null,
      status: 0,
    };
    let response: ThirdPartyResponse;
    try {
      response = tooLarge
        ? json(413, { error: 'payload_too_large', error_description: `request bodies are limited to ${this.maxBodyBytes.toString()} bytes` })
        : this.answer(view, entry);
    } catch (e) {
      response = json(500, { error: 'internal_error', error_description: (e as Error).message });
    }
    // A dropped call (timeout, reset) is never answered.
    entry.status = asFaultPlan(response.fault)?.drop ? 0 : response.status;
    // Big bodies are not kept: the journal stays small in long-running sandboxes.
    const big = tooLarge || view.rawBody.length > JOURNAL_BODY_BYTES;
    if (big) entry.body = { truncated: true, bytes: request.body?.length ?? 0 };
    this.recorded.push({ entry, view: big ? { ...view, body: { kind: 'none' }, bodyValue: null, rawBody: '' } : view });
    // Dropping the oldest entries one by one would shift the whole array on every request once the journal
    // is full (10,000 entries by default): drop them in batches, and read only the last `journalLimit`.
    if (this.recorded.length >= this.journalLimit + Math.max(1024, this.journalLimit >> 2)) this.recorded = this.journalLimit > 0 ? this.recorded.slice(-this.journalLimit) : [];
    return response;
  }

  private answer(view: RequestView, entry: JournalEntry): ThirdPartyResponse {
    for (const endpoint of this.compiled.tokenEndpoints) {
      if (evaluate(endpoint.matcher, view).matched) {
        entry.route = endpoint.id;
        return this.issueToken(endpoint, view);
      }
    }
    for (const route of this.compiled.routes) {
      const result = evaluate(route.matcher, view);
      if (result.matched) {
        entry.route = route.id;
        return this.runRoute(route, result.params, view, entry);
      }
    }
    const fault = this.planFault(null, 0, entry);
    const plan = asFaultPlan(fault);
    const response: ThirdPartyResponse = withFaultHeaders(blockingAnswer(plan) ?? this.nearMiss(view), plan);
    if (fault !== undefined) response.fault = fault;
    return response;
  }

  private count(key: string): number {
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    return n;
  }

  private planFault(route: CompiledRoute | null, call: number, entry: JournalEntry): unknown {
    const planner = this.planner;
    if (!planner) return undefined;
    const faults = [...this.compiled.faults, ...(route?.faults ?? [])];
    const rateLimit = route?.rateLimit ?? this.compiled.rateLimit;
    const { status: _status, route: _route, ...request } = entry;
    return planner({ faults, ...(rateLimit ? { rateLimit } : {}), route: route?.id ?? null, request, call, now: this.now() });
  }

  // ------------------------------------------------------------------------------------------- tokens

  private issueToken(endpoint: TokenEndpoint, view: RequestView): HttpResponse {
    const context: TemplateContext = { request: this.requestContext(view, {}), params: {} };
    const rt = runtime(this.compiled.seed, `token-response ${endpoint.path}`, 0, this.now);
    const read = readTokenRequest(endpoint, view);
    if (!read.ok) return this.respond(read.custom, { status: read.status, body: read.body, headers: read.headers ?? {} }, context, rt);
    let token: string;
    do {
      token = seededFaker(this.compiled.seed, `token ${endpoint.path}`, this.count(`token ${endpoint.path}`)).string.alphanumeric(endpoint.tokenLength);
    } while (this.tokens.has(token));
    const expiresAt = this.now() + endpoint.expiresIn * 1000;
    this.tokens.set(token, { token, clientId: read.clientId, endpoint: endpoint.id, expiresAt });
    context.token = { access_token: token, token_type: 'bearer', expires_in: endpoint.expiresIn, client_id: read.clientId, expires_at: new Date(expiresAt).toISOString() };
    return this.respond(
      endpoint.response,
      { status: 200, headers: { 'Cache-Control': 'no-store' }, body: { access_token: token, token_type: 'bearer', expires_in: endpoint.expiresIn } },
      context,
      rt,
    );
  }

  // ------------------------------------------------------------------------------------------- routes

  private runRoute(route: CompiledRoute, params: Record<string, string>, view: RequestView, entry: JournalEntry): ThirdPartyResponse {
    const context: TemplateContext = { request: this.requestContext(view, params), params, state: this.stateContext() };
    const failure = checkAuth(route.auth, view, this.tokens, this.now(), this.name);
    if (failure) {
      const rt = runtime(this.compiled.seed, `auth ${route.id}`, 0, this.now);
      return this.respond(failure.custom, { status: failure.status, headers: failure.headers, body: failure.body }, { ...context, auth: { reason: failure.reason } }, rt);
    }
    const call = this.count(`route ${route.id}`);
    const fault = this.planFault(route, call, entry);
    const plan = asFaultPlan(fault);
    const blocked = blockingAnswer(plan);
    if (blocked) {
      // The call never reaches the service: no action, no sequence step.
      const answer: ThirdPartyResponse = blocked;
      answer.fault = fault;
      return answer;
    }
    // Calls a fault answered do not count: the n-th call the service serves gets step n (and its data).
    const served = this.count(`served ${route.id}`);
    const steps = route.steps;
    const step = (route.cycle ? steps[(served - 1) % steps.length] : steps[Math.min(served, steps.length) - 1]) ?? { headers: [] };
    const rt = runtime(this.compiled.seed, `route ${route.id}`, served, this.now);
    let defaults: Defaults = { status: 200 };
    const runAction = route.action !== undefined && (step.runAction ?? (step.status === undefined || step.status < 400));
    let response: ThirdPartyResponse;
    try {
      if (route.action && runAction) {
        const result = this.perform(route.action, view, context, rt);
        context.action = result.action;
        defaults = result.defaults;
      }
      response = this.respond(step, defaults, context, rt);
    } catch (e) {
      if (!(e instanceof Answer)) throw e;
      response = e.response;
    }
    response = withFaultHeaders(response, plan);
    if (fault !== undefined) response.fault = fault;
    return response;
  }

  private requestContext(view: RequestView, params: Record<string, string>): Record<string, unknown> {
    return {
      method: view.method,
      path: view.path,
      params,
      query: { ...view.query },
      queryAll: view.queryAll,
      headers: view.headers,
      body: view.bodyValue,
      rawBody: view.rawBody,
    };
  }

  /** `state.<collection>`: the collection's items, read when a template asks. */
  private stateContext(): Record<string, unknown> {
    const state: Record<string, unknown> = {};
    for (const [name, store] of this.stores) Object.defineProperty(state, name, { enumerable: true, get: () => store.list() });
    return state;
  }

  private perform(action: CompiledAction, view: RequestView, context: TemplateContext, rt: TemplateRuntime): { action: Record<string, unknown>; defaults: Defaults } {
    const store = this.stores.get(action.collection);
    if (!store) throw new Error(`no collection "${action.collection}"`);
    const base = { op: action.op, collection: action.collection };
    const idOf = (): string => asText(action.id?.(context, rt));
    const bodyItem = (): Item => {
      const value = action.item ? action.item(context, rt) : view.bodyValue;
      if (!isObject(value)) {
        throw new Answer(
          json(400, {
            error: 'invalid_body',
            error_description: view.body.kind === 'invalid-json' ? `the body is not valid JSON: ${view.body.error}` : 'the body must be a JSON object',
          }),
        );
      }
      return value;
    };
    const notFound = (id: string): never => {
      throw new Answer(this.respond(action.notFound, { status: 404, body: { error: 'not_found', id } }, { ...context, action: { ...base, id } }, rt));
    };
    const duplicate = (result: { existing: Item; fields: string[]; value: unknown }): never => {
      const field = result.fields.join('+');
      const c = store.def;
      throw new Answer(
        this.respond(c.duplicateResponse, { status: 409, body: { error: 'duplicate', field, value: result.value } }, { ...context, action: { ...base, duplicate: true, item: result.existing, field, value: result.value } }, rt),
      );
    };
    switch (action.op) {
      case 'create': {
        const result = store.create(bodyItem());
        if (result.kind === 'ok') return { action: { ...base, created: true, item: result.item }, defaults: { status: 201, body: result.item } };
        if (result.kind === 'not-found') throw new Error('create cannot miss');
        if (store.def.onDuplicate === 'reject') return duplicate(result);
        return { action: { ...base, created: false, duplicate: true, item: result.existing }, defaults: { status: 200, body: result.existing } };
      }
      case 'read': {
        const id = idOf();
        const item = store.get(id);
        if (!item) return notFound(id);
        return { action: { ...base, id, item }, defaults: { status: 200, body: item } };
      }
      case 'update': {
        const id = idOf();
        if (!store.get(id)) return notFound(id);
        const result = store.update(id, bodyItem(), action.merge);
        if (result.kind === 'not-found') return notFound(id);
        if (result.kind === 'duplicate') {
          if (store.def.onDuplicate === 'reject') return duplicate(result);
          const current = store.get(id);
          return { action: { ...base, id, updated: false, duplicate: true, item: current }, defaults: { status: 200, body: current } };
        }
        return { action: { ...base, id, updated: true, item: result.item }, defaults: { status: 200, body: result.item } };
      }
      case 'delete': {
        const id = idOf();
        const item = store.delete(id);
        if (!item) return notFound(id);
        return { action: { ...base, id, deleted: true, item }, defaults: { status: 204 } };
      }
      case 'list':
        return this.list(action, store, view, context, rt, base);
    }
  }

  private list(
    action: CompiledAction,
    store: CollectionStore,
    view: RequestView,
    context: TemplateContext,
    rt: TemplateRuntime,
    base: Record<string, unknown>,
  ): { action: Record<string, unknown>; defaults: Defaults } {
    let items = store.list();
    for (const [field, value] of action.filter) {
      const want = value(context, rt);
      if (want === undefined || want === null || want === '') continue;
      const text = asText(want);
      items = items.filter((item) => asText(item[field]) === text);
    }
    const total = items.length;
    const p = action.pagination;
    if (!p) return { action: { ...base, items, total }, defaults: { status: 200, body: { items, total } } };
    const badParameter = (name: string, description: string): never => {
      throw new Answer(json(400, { error: 'invalid_parameter', parameter: name, error_description: description }));
    };
    const integer = (name: string, fallback: number, min: number): number => {
      const raw = view.query[name];
      if (raw === undefined || raw === '') return fallback;
      if (!/^\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) return badParameter(name, `${name} must be an integer ≥ ${min.toString()}`);
      return Number(raw);
    };
    const size = Math.min(integer(p.sizeParam, p.defaultSize, 1), p.maxSize);
    if (p.style === 'page') {
      const page = integer(p.pageParam, p.firstPage, p.firstPage);
      const start = (page - p.firstPage) * size;
      const slice = items.slice(start, start + size);
      return { action: { ...base, items: slice, total, page, size }, defaults: { status: 200, body: { items: slice, total, page, size } } };
    }
    const cursor = view.query[p.cursorParam];
    let start = 0;
    if (cursor !== undefined && cursor !== '') {
      const decoded = decodeCursor(cursor);
      if (decoded === undefined) return badParameter(p.cursorParam, `${p.cursorParam} is not a cursor this API issued`);
      start = decoded;
    }
    const slice = items.slice(start, start + size);
    const nextCursor = start + size < total ? encodeCursor(start + size) : null;
    return {
      action: { ...base, items: slice, total, size, cursor: cursor ?? null, nextCursor },
      defaults: { status: 200, body: { items: slice, total, nextCursor } },
    };
  }

  // ---------------------------------------------------------------------------------------- responses

  /** Renders a response: the definition's (if any) over the defaults. */
  private respond(custom: CompiledResponse | undefined, defaults: Defaults, context: TemplateContext, rt: TemplateRuntime): HttpResponse {
    let status = custom?.status ?? defaults.status;
    const headers: Record<string, string> = { ...(defaults.headers ?? {}) };
    for (const [name, value] of custom?.headers ?? []) {
      for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
      headers[name] = headerSafe(asText(value(context, rt)));
    }
    let body: unknown = defaults.body;
    if (custom?.body) {
      body = custom.body(context, rt);
      if (custom.status === undefined && NULL_BODY.has(status)) status = 200;
    }
    return serialise(status, headers, body);
  }

  // ---------------------------------------------------------------------------------------- near miss

  private nearMiss(view: RequestView): HttpResponse {
    const candidates = [
      ...this.compiled.tokenEndpoints.map((e) => ({ id: e.id, method: 'POST', path: e.path, result: evaluate(e.matcher, view) })),
      ...this.compiled.routes.map((r) => ({ id: r.id, method: r.method as string, path: r.template.source, result: evaluate(r.matcher, view) })),
    ];
    const closest = candidates
      .sort((a, b) => b.result.score - a.result.score)
      .slice(0, 3)
      .map((c) => ({ route: c.id, method: c.method, path: c.path, score: Math.round(c.result.score * 100) / 100, differences: c.result.differences }));
    const first = closest[0];
    return json(404, {
      error: 'no_route_matched',
      message: `${this.name}: no route matches ${view.method} ${view.path}${first ? `; closest: ${first.route} (${first.differences.map((d) => d.message).join('; ')})` : ''}`,
      request: { method: view.method, path: view.path, query: Object.fromEntries(Object.entries(view.query)) },
      closest,
    });
  }
}

/** The plan's extra headers (rate limits) on an answer; the answer's own headers are replaced. */
function withFaultHeaders(response: HttpResponse, plan: { headers?: Record<string, string> } | undefined): HttpResponse {
  const extra = plan?.headers;
  if (!extra || Object.keys(extra).length === 0) return response;
  const lower = new Set(Object.keys(extra).map((k) => k.toLowerCase()));
  const headers = Object.fromEntries(Object.entries(response.headers).filter(([k]) => !lower.has(k.toLowerCase())));
  return { ...response, headers: { ...headers, ...extra } };
}

/** What a header value may hold on the wire (node:http throws on anything else). */
function headerSafe(value: string): string {
  return value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
}

function isObject(value: unknown): value is Item {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return serialise(status, headers, body);
}

/** JSON for values, text for strings, nothing for undefined; Content-Type unless the headers set one. */
function serialise(status: number, headers: Record<string, string>, body: unknown): HttpResponse {
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  if (body === undefined || NULL_BODY.has(status)) return { status, headers, body: '' };
  if (typeof body === 'string') return { status, headers: hasType ? headers : { 'Content-Type': TEXT_TYPE, ...headers }, body };
  return { status, headers: hasType ? headers : { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset.toString()}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}
