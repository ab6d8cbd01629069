/**
 * The simulated Commerce: type system, item store, integration objects, configuration — and the pure
 * request handler the transport adapters call (`handle(request) → response`).
 *
 * Request pipeline for `/odata2webservices/{IO}/…`, in Commerce's order: authentication (Spring
 * Security: 401), group authorisation (403), integration-object exposure (interceptor: 404), then OData.
 */
import { randomUUID } from 'node:crypto';
import { SandboxAdmin } from './admin/admin.js';
import { SandboxClock } from './clock/sandbox-clock.js';
import type { CommerceConfig } from './config/profile.js';
import type { HttpRequest, HttpResponse } from './http/types.js';
import { IntegrationObjectRegistry, type IntegrationObjectModel } from './integration-objects/model.js';
import { SchemaError, validateSchema } from './integration-objects/validation.js';
import { odataError, servletError, wantsJson } from './odata/errors.js';
import { type EdmSchema, buildSchema, serialiseEdmx } from './odata/metadata.js';
import { ODataRequestError } from './odata/odata-error.js';
import { executeRead, serviceDocument } from './odata/read/read-service.js';
import { DEFAULT_READ_CACHE_ENTRIES, READ_CACHE_PROPERTY, ReadCache } from './odata/read/response-cache.js';
import { MESSAGE_ID_HEADER, recordInboundRequest } from './monitoring/inbound.js';
import { type BatchItem, type BatchRequestPart, type BatchResponseItem, type BatchResponsePart, parseBatch, writeBatchResponse } from './odata/batch/multipart.js';
import { parseResourcePath } from './odata/read/resource-path.js';
import { PersistenceHooks } from './odata/write/hooks.js';
import { parseAtomEntry } from './odata/write/atom-entry.js';
import type { AtomParser } from './odata/write/payload.js';
import { executeWrite } from './odata/write/write-service.js';
import { Outbound } from './outbound/outbound.js';
import type { WebhookFilter } from './outbound/webhooks.js';
import { AccessRights, forbiddenMessage } from './security/access-rights.js';
import { type ChannelAuthenticationType, type Operation, authenticationSchemeAllowed, authorizeOperation, isVisible, operationOf } from './security/authorization.js';
import { OAuthTokenService, TOKEN_PATH, bearerRequiredResponse, isBearerFailure } from './security/oauth.js';
import { authenticateBasic, parseAuthorization, type Principal } from './security/principals.js';
import type { ItemStore, StoreSnapshot } from './store/store.js';

export const ODATA_ROOT = '/odata2webservices';

const BASIC_REALM = 'Basic realm="Spring Security Application"';
const DEFAULT_LANGUAGE = 'en';

/** The code, message and innererror of an OData error document (JSON or XML) we produced. */
function parseErrorDocument(body: string | Buffer): { code: string | null; message: string; innererror?: string } | undefined {
  const text = body.toString();
  try {
    const e = (JSON.parse(text) as { error?: { code: string | null; message?: { value?: string }; innererror?: string } }).error;
    if (e) return { code: e.code, message: e.message?.value ?? '', ...(e.innererror !== undefined ? { innererror: e.innererror } : {}) };
  } catch {
    const code = /<code>([^<]*)<\/code>/.exec(text)?.[1] ?? null;
    const message = /<message[^>]*>([^<]*)<\/message>/.exec(text)?.[1] ?? '';
    const inner = /<innererror>([^<]*)<\/innererror>/.exec(text)?.[1];
    return { code, message, ...(inner !== undefined ? { innererror: inner } : {}) };
  }
  return undefined;
}

/** The OData error document of a request error or a schema error; anything else is rethrown (a bug: 500). */
function errorResponse(e: unknown, json: boolean): HttpResponse {
  if (e instanceof ODataRequestError) {
    return odataError({ status: e.status, code: e.code, message: e.message, ...(e.innererror !== undefined ? { innererror: e.innererror } : {}) }, json);
  }
  if (e instanceof SchemaError) return odataError({ status: e.status, code: e.code, message: e.message }, json);
  throw e;
}

/** Thrown inside a change set's transaction to roll it back after a failing part. */
class ChangeSetFailed extends Error {}

/** A `$batch` part as a request of its own: URL relative to the service root (or absolute), its headers. */
function partRequest(part: BatchRequestPart, outer: HttpRequest, serviceRoot: string): HttpRequest {
  let url = part.url;
  const absolute = /^https?:\/\/[^/]+(\/.*)$/.exec(url);
  if (absolute) url = absolute[1]!;
  const path = url.startsWith('/') ? url : `${serviceRoot}/${url}`;
  const q = path.indexOf('?');
  return {
    method: part.method,
    path: q < 0 ? path : path.slice(0, q),
    query: q < 0 ? '' : path.slice(q + 1),
    headers: { ...part.headers, authorization: outer.headers.authorization },
    ...(part.body.length > 0 ? { body: part.body } : {}),
    origin: outer.origin,
  };
}

function toBatchPart(response: HttpResponse, contentId: string | undefined): BatchResponsePart {
  return { status: response.status, headers: response.headers, body: response.body, ...(contentId !== undefined ? { contentId } : {}) };
}

function formatOption(query: string): string | null {
  const m = /(?:^|&)(?:\$|%24)format=([^&]*)/.exec(query);
  return m ? m[1]! : null;
}

export interface CommerceLogger {
  warn(message: string): void;
}

export class Commerce {
  readonly integrationObjects: IntegrationObjectRegistry;
  /** OAuth2 client-credentials tokens (`/authorizationserver/oauth/token`). */
  readonly oauth: OAuthTokenService;
  /** Type-level access rights from `$START_USERRIGHTS` blocks (checked when the property is on). */
  readonly accessRights: AccessRights;
  /** Hooks named by `Pre-Persist-Hook` / `Post-Persist-Hook` headers. */
  readonly hooks = new PersistenceHooks();
  /** Parses Atom entries of writes (what SCPI's OData receiver sends). */
  atomParser: AtomParser = parseAtomEntry;
  /** The sandbox clock: now, moving it forward, the timers (triggers, webhook retries) that run on it. */
  readonly time: SandboxClock;
  /** Now on the sandbox clock (epoch ms). */
  readonly clock: () => number;
  /** Webhook filters (`filterLocation` `model://<name>`) registered in code; project hooks also count. */
  readonly webhookFilters = new Map<string, WebhookFilter>();
  /** Outbound: destinations and sender, outbound sync, webhooks, cron jobs and triggers. */
  readonly outbound: Outbound;

  constructor(
    readonly store: ItemStore,
    readonly config: CommerceConfig,
    private readonly logger: CommerceLogger = { warn: () => {} },
    /** The base clock (epoch ms) the sandbox clock runs on; injectable so that answers are deterministic in tests. */
    baseClock: () => number = Date.now,
  ) {
    this.time = new SandboxClock(baseClock);
    this.clock = () => this.time.now();
    this.integrationObjects = new IntegrationObjectRegistry(store);
    this.oauth = new OAuthTokenService(store, { now: this.clock });
    this.accessRights = new AccessRights(store, { enabled: config.bool('integrationservices.authorization.accessrights.enabled') });
    this.outbound = new Outbound({
      store,
      config,
      integrationObjects: this.integrationObjects,
      time: this.time,
      webhookFilter: (name) => this.webhookFilters.get(name) ?? (this.hooks.preHook(name) as WebhookFilter | undefined),
    });
    this.readCache = new ReadCache(store, config.int(READ_CACHE_PROPERTY, DEFAULT_READ_CACHE_ENTRIES));
    this.admin.setCronJobRunner((code) => this.outbound.performCronJob(code).then((run) => (run ? { body: run } : undefined)));
    this.admin.onReset(() => this.outbound.reset());
  }

  get typeSystem() {
    return this.store.typeSystem;
  }

  /**
   * Integration objects served over `/odata2webservices`: INBOUND ones, and with the 2211 profile only
   * those an InboundChannelConfiguration exposes (unless legacy authentication is switched on).
   */
  servedIntegrationObjects(): IntegrationObjectModel[] {
    return this.integrationObjects
      .codes()
      .map((c) => this.integrationObjects.get(c))
      .filter((io): io is IntegrationObjectModel => !!io && this.isExposed(io));
  }

  private isExposed(io: IntegrationObjectModel): boolean {
    if (io.integrationType !== 'INBOUND') return false;
    if (this.config.bool('integrationservices.legacy.authentication.enabled')) return true;
    return this.store.find('InboundChannelConfiguration', { integrationObject: io.pk }).length > 0;
  }

  // ---- sandbox admin API (mock-commerce/admin/) ----
  /** `/__sandbox/*` (health, request journal, reset, cron jobs): answered before authentication. */
  readonly admin: SandboxAdmin = new SandboxAdmin(this, () => this.csrfTokens.clear(), () => this.outbound.attach());

  /**
   * The project is loaded: takes the snapshot `POST /__sandbox/reset` returns to, and starts outbound
   * (changes from now on are synchronised, webhooks fire, triggers are scheduled). `loadCommerce` calls
   * it; a Commerce built otherwise gets it before its first request.
   */
  markLoaded(snapshot?: StoreSnapshot): void {
    this.admin.markLoaded(snapshot);
  }

  /**
   * `/__sandbox/*` goes to the admin API; every other request is journaled and answered below. Answers
   * are synchronous except for admin calls that wait for work (running a cron job, moving the clock).
   */
  handle(request: HttpRequest): HttpResponse | Promise<HttpResponse> {
    return this.admin.handle(request, () => this.handleCommerce(request));
  }
  // ---- end sandbox admin API ----

  /** Answers of repeated JSON reads, valid while the store is unchanged (see response-cache.ts). */
  private readonly readCache: ReadCache;

  private handleCommerce(request: HttpRequest): HttpResponse {
    try {
      const key = this.readCache.keyOf(request);
      if (key === undefined) return this.route(request);
      return this.readCache.get(key) ?? this.readCache.put(key, this.route(request));
    } catch (e) {
      this.logger.warn(`unexpected error for ${request.method} ${request.path}: ${(e as Error).stack ?? String(e)}`);
      return servletError(500, request.headers.accept);
    }
  }

  private route(request: HttpRequest): HttpResponse {
    const path = request.path;
    const accept = request.headers.accept;
    if (path === TOKEN_PATH) return this.oauth.handleTokenRequest(request);
    if (path !== ODATA_ROOT && !path.startsWith(`${ODATA_ROOT}/`)) return servletError(404, accept);
    const segments = path.slice(ODATA_ROOT.length).split('/').filter((s) => s !== '');
    const ioCode = segments.length > 0 ? safeDecode(segments[0]!) : undefined;
    const io = ioCode === undefined ? undefined : this.integrationObjects.get(ioCode);
    const rest = segments.slice(1);

    // 1. Authentication (Spring Security), by the scheme the IO's InboundChannelConfiguration demands.
    const authenticated = this.authenticate(request, io);
    if ('response' in authenticated) return authenticated.response;
    const principal = authenticated.principal;

    // 2. The group × operation matrix (403), before the IO is resolved, as in Commerce.
    const decodedRest = rest.map((r) => safeDecode(r) ?? r);
    // HEAD on the service root or $metadata is how clients (SCPI's OData adapters) fetch a CSRF token:
    // it is answered like GET without a body. HEAD anywhere else stays denied, as in Commerce.
    const csrfProbe = request.method === 'HEAD' && (decodedRest.length === 0 || (decodedRest.length === 1 && decodedRest[0] === '$metadata'));
    const operation = operationOf(csrfProbe ? 'GET' : request.method, decodedRest);
    if (authorizeOperation(principal, operation, ioCode, decodedRest) === 'forbidden') return servletError(403, accept);

    // 3. The integration object must exist, be visible to this user and be exposed (404).
    if (!io || !isVisible(principal, io.code) || !this.isExposed(io)) return servletError(404, accept);

    // CSRF (off by default: Commerce issues no token and checks none; `sandbox.csrf.enabled=true` makes
    // the sandbox behave like a CSRF-protecting gateway, for flows that must handle the handshake).
    const csrf = this.config.bool('sandbox.csrf.enabled');
    if (csrf && (operation === 'create' || operation === 'update' || operation === 'delete')) {
      const token = request.headers['x-csrf-token'];
      if (!token || this.csrfTokens.get(token) !== principal.uid) return servletError(403, accept, { 'X-CSRF-Token': 'Required' });
    }
    const response = this.dispatch(io, request, rest, principal, operation, csrfProbe, decodedRest);
    if (csrf && (request.headers['x-csrf-token'] ?? '').toLowerCase() === 'fetch' && response.status < 400) {
      const token = randomUUID().replace(/-/g, '');
      this.csrfTokens.set(token, principal.uid);
      return { ...response, headers: { ...response.headers, 'X-CSRF-Token': token } };
    }
    return response;
  }

  /** Issued CSRF tokens (only with `sandbox.csrf.enabled`), by the user they were issued to. */
  private readonly csrfTokens = new Map<string, string>();

  private dispatch(io: IntegrationObjectModel, request: HttpRequest, rest: string[], principal: Principal, operation: Operation, csrfProbe: boolean, decodedRest: string[]): HttpResponse {
    const accept = request.headers.accept;
    if (operation === 'metadata') return this.metadata(io, request);
    if (csrfProbe) return { ...this.read(io, request, rest, principal), body: '' };
    if (operation === 'read') return this.read(io, request, rest, principal);
    if (operation === 'create' && decodedRest.length === 1 && decodedRest[0] === '$batch') return this.batch(io, request, principal);
    if (operation === 'create' || operation === 'update' || operation === 'delete') return this.write(io, request, rest, principal);
    return servletError(403, accept);
  }

  /**
   * `$batch` (spec §6.4): each change set is one transaction; on the first failing part the change set
   * is rolled back and answered by that error part alone. Parts run as the batch's user, with their own
   * headers. 202 with a multipart/mixed answer.
   */
  private batch(io: IntegrationObjectModel, request: HttpRequest, principal: Principal): HttpResponse {
    const json = wantsJson(request.headers.accept ?? 'application/json', null);
    let items;
    try {
      items = parseBatch(request.body ?? Buffer.alloc(0), request.headers['content-type'], this.config.int('odata2services.batch.limit', 200));
    } catch (e) {
      if (e instanceof ODataRequestError) return odataError({ status: e.status, code: e.code, message: e.message }, json);
      throw e;
    }
    const serviceRoot = `${ODATA_ROOT}/${io.code}`;
    const run = (part: BatchRequestPart): HttpResponse => {
      const sub = partRequest(part, request, serviceRoot);
      const segments = sub.path.slice(ODATA_ROOT.length).split('/').filter((x) => x !== '').slice(1);
      const decoded = segments.map((x) => safeDecode(x) ?? x);
      const operation = operationOf(sub.method, decoded);
      if (authorizeOperation(principal, operation, io.code, decoded) === 'forbidden') return servletError(403, sub.headers.accept);
      if (operation === 'read') return this.read(io, sub, segments, principal);
      if (operation === 'create' || operation === 'update' || operation === 'delete') return this.write(io, sub, segments, principal);
      return servletError(403, sub.headers.accept);
    };
    const responses: BatchResponseItem[] = [];
    const records: (() => void)[] = [];
    this.deferredMonitoring = records;
    try {
      this.runBatchItems(items, run, responses, records);
    } finally {
      this.deferredMonitoring = undefined;
    }
    for (const record of records) record();
    const written = writeBatchResponse(responses);
    return { status: 202, headers: { 'Content-Type': written.contentType, DataServiceVersion: '2.0' }, body: written.body };
  }

  /** Runs the batch items; a failed change set keeps only the monitoring record of its failing part. */
  private runBatchItems(items: BatchItem[], run: (part: BatchRequestPart) => HttpResponse, responses: BatchResponseItem[], records: (() => void)[]): void {
    for (const item of items) {
      if (item.kind === 'request') {
        responses.push({ kind: 'response', part: toBatchPart(run(item.part), item.part.contentId) });
        continue;
      }
      let failed: BatchResponsePart | undefined;
      const answers: BatchResponsePart[] = [];
      const before = records.length;
      try {
        this.store.transaction(() => {
          for (const part of item.parts) {
            const answer = toBatchPart(run(part), part.contentId);
            if (answer.status >= 400) {
              failed = answer;
              throw new ChangeSetFailed();
            }
            answers.push(answer);
          }
        });
      } catch (e) {
        if (!(e instanceof ChangeSetFailed)) throw e;
      }
      if (failed) records.splice(before, records.length - before - 1);
      responses.push(failed ? { kind: 'response', part: failed } : { kind: 'changeset', parts: answers });
    }
  }

  /** Monitoring records of the running `$batch` change set, written after its transaction. */
  private deferredMonitoring: (() => void)[] | undefined;

  /** A write and its InboundRequest record (spec §10.1): one per POST/PATCH/DELETE or `$batch` part. */
  private write(io: IntegrationObjectModel, request: HttpRequest, rawSegments: string[], principal: Principal): HttpResponse {
    const outcome = this.writeUnmonitored(io, request, rawSegments, principal);
    const method = request.method as 'POST' | 'PATCH' | 'DELETE';
    const record = (): void => {
      const failed = outcome.response.status >= 400;
      const error = failed ? parseErrorDocument(outcome.response.body) : undefined;
      recordInboundRequest(this.store, this.config, {
        status: failed ? 'ERROR' : 'SUCCESS',
        type: io.code,
        httpMethod: method,
        ...(outcome.integrationKey ?? error?.innererror ? { integrationKey: outcome.integrationKey ?? error?.innererror } : {}),
        ...(request.headers[MESSAGE_ID_HEADER.toLowerCase()] ? { messageId: request.headers[MESSAGE_ID_HEADER.toLowerCase()]! } : {}),
        ...(request.headers['sap-passport'] ? { sapPassport: request.headers['sap-passport'] } : {}),
        userUid: principal.uid,
        ...(error ? { errors: [{ code: error.code ?? 'unknown_error', message: error.message }] } : {}),
        ...(request.body ? { payload: request.body.toString('utf8'), payloadMime: request.headers['content-type'] ?? 'application/json' } : {}),
        now: this.clock(),
      });
    };
    if (this.deferredMonitoring) this.deferredMonitoring.push(record);
    else record();
    return outcome.response;
  }

  /** POST, PATCH, DELETE (spec §6). */
  private writeUnmonitored(io: IntegrationObjectModel, request: HttpRequest, rawSegments: string[], principal: Principal): { response: HttpResponse; integrationKey?: string } {
    const json = wantsJson(request.headers.accept ?? 'application/json', formatOption(request.query));
    try {
      const schema = this.schemaOf(io);
      const contentLanguage = this.requestLanguage(request.headers['content-language']);
      // The answer's language: Accept-Language, else the Content-Language (help B-070).
      const accepted = request.headers['accept-language'];
      const acceptLanguage = accepted && accepted.trim() !== '*' ? this.requestLanguage(accepted) : contentLanguage;
      const resource = parseResourcePath(rawSegments, schema);
      if (resource.kind !== 'entities') throw new ODataRequestError(405, null, 'The request dispatcher does not allow the HTTP method used for the request.');
      const outcome = executeWrite({
        io,
        schema,
        store: this.store,
        request,
        resource,
        contentLanguage,
        acceptLanguage,
        isLanguage: (isocode) => this.store.find('Language', { isocode }).length > 0,
        readOnly: new Set((this.config.get('integrationservices.global.attributes.read-only') ?? '').split(',').map((q) => q.trim()).filter(Boolean)),
        defaultItemTypeMatch: this.config.get('integrationservices.flexsearch.itemtypematch') ?? 'ALL_SUB_AND_SUPER_TYPES',
        check: (permission, typeCode) => {
          if (!this.accessRights.check(principal, typeCode, permission)) throw new ODataRequestError(403, 'forbidden', forbiddenMessage(permission, typeCode));
        },
        hooks: this.hooks,
        atom: this.atomParser,
      });
      return outcome;
    } catch (e) {
      return { response: errorResponse(e, json) };
    }
  }

  /**
   * Basic or Bearer, as the IO's channel configuration says (spec §9.1); without one, Basic. When the
   * IO cannot be resolved, the `Authorization` prefix picks the chain.
   */
  private authenticate(request: HttpRequest, io: IntegrationObjectModel | undefined): { principal: Principal } | { response: HttpResponse } {
    const accept = request.headers.accept;
    const credentials = parseAuthorization(request.headers.authorization);
    const channel = io ? this.channelOf(io) : credentials?.scheme === 'bearer' ? 'OAUTH' : undefined;
    const basicChallenge = { response: servletError(401, accept, { 'WWW-Authenticate': BASIC_REALM }) };
    if (channel === 'OAUTH') {
      if (credentials?.scheme !== 'bearer') return { response: bearerRequiredResponse() };
      const resolved = this.oauth.resolveBearer(credentials.token);
      return isBearerFailure(resolved) ? { response: resolved.response } : { principal: resolved };
    }
    if (credentials?.scheme !== 'basic' || !authenticationSchemeAllowed(channel, 'basic', false)) return basicChallenge;
    const principal = authenticateBasic(this.store, credentials.username, credentials.password);
    return principal ? { principal } : basicChallenge;
  }

  private channelOf(io: IntegrationObjectModel): ChannelAuthenticationType | undefined {
    const type = this.store.find('InboundChannelConfiguration', { integrationObject: io.pk })[0]?.values.authenticationType;
    return type === 'OAUTH' || type === 'BASIC' ? type : undefined;
  }

  /** Validated and built once per integration-object model; schema errors are rethrown on every use. */
  private readonly schemaCache = new WeakMap<IntegrationObjectModel, EdmSchema | SchemaError>();

  private schemaOf(io: IntegrationObjectModel): EdmSchema {
    let schema = this.schemaCache.get(io);
    if (!schema) {
      try {
        validateSchema(io, this.store);
        schema = buildSchema(io);
      } catch (e) {
        if (!(e instanceof SchemaError)) throw e;
        schema = e;
      }
      this.schemaCache.set(io, schema);
    }
    if (schema instanceof SchemaError) throw schema;
    return schema;
  }

  private read(io: IntegrationObjectModel, request: HttpRequest, rawSegments: string[], principal: Principal): HttpResponse {
    const json = wantsJson(request.headers.accept, formatOption(request.query));
    try {
      const schema = this.schemaOf(io);
      const language = this.requestLanguage(request.headers['accept-language']);
      const resource = parseResourcePath(rawSegments, schema);
      if (resource.kind === 'serviceDocument') return serviceDocument({ schema, origin: request.origin, io, accept: request.headers.accept });
      if (resource.kind !== 'entities') throw new ODataRequestError(405, null, 'The request dispatcher does not allow the HTTP method used for the request.');
      const response = executeRead(
        {
          io,
          schema,
          store: this.store,
          profile: this.config.version,
          language,
          origin: request.origin,
          rawPath: request.path,
          rawQuery: request.query,
          accept: request.headers.accept,
          pageSizeDefault: this.config.int('odata2services.page.size.default', 10),
          pageSizeMax: this.config.int('odata2services.page.size.max', 1000),
          defaultItemTypeMatch: this.config.get('integrationservices.flexsearch.itemtypematch') ?? 'ALL_SUB_AND_SUPER_TYPES',
          now: this.clock(),
          checkRead: (typeCode) => {
            if (!this.accessRights.check(principal, typeCode, 'read')) throw new ODataRequestError(403, 'forbidden', forbiddenMessage('read', typeCode));
          },
        },
        resource,
      );
      return request.method === 'HEAD' ? { ...response, body: '' } : response;
    } catch (e) {
      return errorResponse(e, json);
    }
  }

  /**
   * The request language (spec §5.6): the first `Accept-Language` entry's language part, which must be a
   * Language of this Commerce; absent or `*` → the default language (en).
   */
  private requestLanguage(header: string | undefined): string {
    const first = (header ?? '').split(',')[0]!.split(';')[0]!.trim();
    if (first === '' || first === '*') return DEFAULT_LANGUAGE;
    const language = first.split(/[-_]/)[0]!.toLowerCase();
    if (!/^[a-z]{2,8}$/.test(language) || this.store.find('Language', { isocode: language }).length === 0) {
      throw new ODataRequestError(400, 'invalid_language', `The language provided [${first}] is not available in the system.`);
    }
    return language;
  }


  /**
   * EDMX per integration object (and `?Item` restriction), cached for as long as the registry hands out
   * the same model: any change to the IO's definition items yields a new model, and so a new document.
   */
  private readonly edmxCache = new WeakMap<IntegrationObjectModel, Map<string, string>>();

  private edmx(io: IntegrationObjectModel, onlyItem: string | undefined): string {
    let perIo = this.edmxCache.get(io);
    if (!perIo) this.edmxCache.set(io, (perIo = new Map()));
    const key = onlyItem ?? '';
    let xml = perIo.get(key);
    if (xml === undefined) {
      const schema = this.schemaOf(io);
      xml = serialiseEdmx(onlyItem === undefined ? schema : buildSchema(io, onlyItem));
      perIo.set(key, xml);
    }
    return xml;
  }

  private metadata(io: IntegrationObjectModel, request: HttpRequest): HttpResponse {
    const params = request.query === '' ? [] : request.query.split('&').filter((p) => p !== '');
    let onlyItem: string | undefined;
    if (params.length > 0) {
      const name = safeDecode(params[0]!.split('=')[0]!);
      if (params.length > 1 || !name || !io.items.some((i) => i.code === name)) {
        return odataError({ status: 400, code: 'invalid_metadata_parameter', message: 'The query parameters cannot be parsed to an entity type.' }, false);
      }
      onlyItem = name;
    }
    try {
      const xml = this.edmx(io, onlyItem);
      return {
        status: 200,
        headers: { 'Content-Type': 'application/xml', DataServiceVersion: '1.0' },
        body: request.method === 'HEAD' ? '' : xml,
      };
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
      this.logger.warn(`$metadata of ${io.code}: ${e.code}: ${e.message}`);
      if (this.config.version === '2211') {
        // The 2211 help documents one generic answer; the reason is only logged (V-MD-06).
        const cyclic = /circular/i.test(e.message);
        return odataError(
          {
            status: 400,
            code: cyclic ? 'schema_generation_error' : null,
            message: 'The EDMX schema could not be generated. Please make sure that your Integration Object is defined correctly.',
          },
          false,
        );
      }
      // $metadata errors are always XML: the resource itself is XML.
      return odataError({ status: e.status, code: e.code, message: e.message }, false);
    }
  }
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
