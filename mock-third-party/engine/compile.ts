/**
 * Compiles a (schema-valid) definition into what the engine runs: path templates, matchers, templates,
 * effective auth per route, token endpoints, collections. Everything that can be wrong beyond the
 * JSON Schema is found here and reported as issues with the JSON path of the culprit, so the loader
 * can point at the file's line.
 */
import type {
  ActionDefinition,
  AuthDefinition,
  CollectionDefinition,
  HttpMethod,
  OAuth2Auth,
  RequestMatch,
  ResponseDefinition,
  RouteDefinition,
  ThirdPartyDefinition,
  TokenLocation,
} from '../definition/model.js';
import { ADMIN_ROOT } from '../admin/root.js';
import type { FaultDefinition, RateLimitDefinition } from '../definition/faults-model.js';
import {
  checkJsonPath,
  compileBodyMatcher,
  compileRegex,
  compileValueMatcher,
  deepEqual,
  type CompiledRequestMatcher,
  type CompiledValueMatcher,
} from './matchers.js';
import { compilePathTemplate, type PathTemplate } from './path-template.js';
import { compileValue, TemplateCompileError, type CompiledValue } from './templates.js';

export type JsonPathSegments = Array<string | number>;

export interface Issue {
  path: JsonPathSegments;
  message: string;
}

export interface CompiledResponse {
  status?: number;
  headers: Array<[string, CompiledValue]>;
  /** Undefined: no body written in the definition. */
  body?: CompiledValue;
  runAction?: boolean;
}

export type CompiledAuth =
  | { kind: 'none' }
  | { kind: 'basic'; users: Map<string, string>; realm: string; unauthorized?: CompiledResponse }
  | { kind: 'apiKey'; in: 'header' | 'query'; name: string; keys: Set<string>; unauthorized?: CompiledResponse }
  | { kind: 'oauth2'; endpoint: TokenEndpoint; accept: TokenLocation[]; unauthorized?: CompiledResponse };

export interface TokenEndpoint {
  id: string;
  /** Full path (basePath + tokenPath). */
  path: string;
  template: PathTemplate;
  matcher: CompiledRequestMatcher;
  clients: Map<string, string>;
  expiresIn: number;
  tokenLength: number;
  formats: Set<'json' | 'form'>;
  response?: CompiledResponse;
  invalidClient?: CompiledResponse;
}

export interface CompiledPagination {
  style: 'page' | 'cursor';
  pageParam: string;
  firstPage: number;
  cursorParam: string;
  sizeParam: string;
  defaultSize: number;
  maxSize: number;
}

export interface CompiledAction {
  collection: string;
  op: ActionDefinition['op'];
  id?: CompiledValue;
  item?: CompiledValue;
  merge: boolean;
  filter: Array<[string, CompiledValue]>;
  pagination?: CompiledPagination;
  notFound?: CompiledResponse;
}

export interface CompiledRoute {
  index: number;
  id: string;
  method: HttpMethod;
  template: PathTemplate;
  priority: number;
  matcher: CompiledRequestMatcher;
  auth: CompiledAuth;
  action?: CompiledAction;
  /** `response` as one step, or the sequence's steps. */
  steps: CompiledResponse[];
  cycle: boolean;
  faults: FaultDefinition[];
  rateLimit?: RateLimitDefinition;
}

export interface CompiledCollection {
  name: string;
  idField: string;
  idStrategy: 'sequence' | 'uuid';
  /** Unique keys besides the id; each a list of fields. */
  unique: string[][];
  onDuplicate: 'ignore' | 'reject';
  duplicateResponse?: CompiledResponse;
  items: Array<Record<string, unknown>>;
  generate?: { count: number; item: CompiledValue };
}

export interface CompiledDefinition {
  name: string;
  basePath: string;
  seed: number;
  /** In matching order: priority, then file order. */
  routes: CompiledRoute[];
  tokenEndpoints: TokenEndpoint[];
  collections: Map<string, CompiledCollection>;
  faults: FaultDefinition[];
  rateLimit?: RateLimitDefinition;
}

const DEFAULT_TOKEN_PATH = '/oauth/token';

/** Effective auth of a route: its own, merged over the top-level one when both have the same type. */
export function effectiveAuth(top: AuthDefinition | undefined, own: AuthDefinition | undefined): AuthDefinition {
  const base = top ?? { type: 'none' };
  if (!own) return base;
  if (own.type === base.type && own.type !== 'none') return { ...base, ...own } as AuthDefinition;
  return own;
}

export function compileDefinition(def: ThirdPartyDefinition): { compiled?: CompiledDefinition; issues: Issue[] } {
  const issues: Issue[] = [];
  const basePath = def.basePath ?? '';
  const collections = new Map<string, CompiledCollection>();
  for (const [name, c] of Object.entries(def.collections ?? {})) {
    // A collection with problems still counts as defined, so routes using it report nothing more.
    const compiled = compileCollection(name, c, ['collections', name], issues);
    collections.set(name, compiled ?? { name, idField: c.idField ?? 'id', idStrategy: 'sequence', unique: [], onDuplicate: 'ignore', items: [] });
  }

  const tokenEndpoints: TokenEndpoint[] = [];
  const endpointSources: Array<{ auth: OAuth2Auth; at: JsonPathSegments }> = [];
  const compileAuth = (auth: AuthDefinition, at: JsonPathSegments): CompiledAuth | undefined => {
    switch (auth.type) {
      case 'none':
        return { kind: 'none' };
      case 'basic':
        if (!auth.users?.length) {
          issues.push({ path: at, message: 'basic auth needs "users" (here or in the top-level auth)' });
          return undefined;
        }
        return {
          kind: 'basic',
          users: new Map(auth.users.map((u) => [u.username, u.password])),
          realm: auth.realm ?? def.name,
          ...optionalResponse('unauthorized', auth.unauthorized, [...at, 'unauthorized'], issues),
        };
      case 'apiKey': {
        if (!auth.keys?.length) {
          issues.push({ path: at, message: 'apiKey auth needs "keys" (here or in the top-level auth)' });
          return undefined;
        }
        const where = auth.in ?? 'header';
        return {
          kind: 'apiKey',
          in: where,
          name: where === 'header' ? (auth.name ?? 'X-API-Key').toLowerCase() : (auth.name ?? 'api_key'),
          keys: new Set(auth.keys),
          ...optionalResponse('unauthorized', auth.unauthorized, [...at, 'unauthorized'], issues),
        };
      }
      case 'oauth2': {
        if (!auth.clients?.length) {
          issues.push({ path: at, message: 'oauth2 auth needs "clients" (here or in the top-level auth)' });
          return undefined;
        }
        const endpoint = tokenEndpoint(auth, at);
        if (!endpoint) return undefined;
        return {
          kind: 'oauth2',
          endpoint,
          accept: auth.accept ?? [{ in: 'header' }],
          ...optionalResponse('unauthorized', auth.unauthorized, [...at, 'unauthorized'], issues),
        };
      }
    }
  };
  /** One endpoint per token path; two auth blocks issuing differently on one path conflict. */
  const tokenEndpoint = (auth: OAuth2Auth, at: JsonPathSegments): TokenEndpoint | undefined => {
    const path = basePath + (auth.tokenPath ?? DEFAULT_TOKEN_PATH);
    const issuing = (a: OAuth2Auth): unknown[] => [a.clients, a.expiresIn, a.tokenLength, a.requestFormats, a.response, a.invalidClient];
    const existing = tokenEndpoints.find((e) => e.path === path);
    if (existing) {
      const source = endpointSources[tokenEndpoints.indexOf(existing)];
      if (source && !deepEqual(issuing(source.auth), issuing(auth))) {
        issues.push({
          path: at,
          message: `a second token endpoint on ${path} that issues tokens differently (clients, expiresIn, tokenLength, requestFormats, response, invalidClient) from the one at ${formatJsonPath(source.at)}: give it its own tokenPath`,
        });
      }
      return existing;
    }
    let template: PathTemplate;
    try {
      template = compilePathTemplate(path);
    } catch (e) {
      issues.push({ path: [...at, 'tokenPath'], message: (e as Error).message });
      return undefined;
    }
    const endpoint: TokenEndpoint = {
      id: `oauth2-token ${path}`,
      path,
      template,
      matcher: { method: 'POST', path: { template }, query: [], headers: [], body: [] },
      clients: new Map((auth.clients ?? []).map((c) => [c.id, c.secret])),
      expiresIn: auth.expiresIn ?? 3600,
      tokenLength: auth.tokenLength ?? 40,
      formats: new Set(auth.requestFormats ?? ['json', 'form']),
      ...optionalResponse('response', auth.response, [...at, 'response'], issues),
      ...optionalResponse('invalidClient', auth.invalidClient, [...at, 'invalidClient'], issues),
    };
    tokenEndpoints.push(endpoint);
    endpointSources.push({ auth, at });
    return endpoint;
  };

  const topAuth = def.auth ? compileAuth(def.auth, ['auth']) : { kind: 'none' as const };
  const ids = routeIds(def.routes, issues);
  const routes: CompiledRoute[] = [];
  def.routes.forEach((r, index) => {
    const at = ['routes', index];
    const compiled = compileRoute(r, index, ids[index] ?? '', at, basePath, collections, issues, () =>
      r.auth ? compileAuth(effectiveAuth(def.auth, r.auth), [...at, 'auth']) : topAuth,
    );
    if (compiled) routes.push(compiled);
  });
  routes.sort((a, b) => a.priority - b.priority || a.index - b.index);
  checkReachability(routes, def.routes, tokenEndpoints, issues);
  checkFaults(def.faults, ['faults'], issues);
  if (issues.length > 0) return { issues };
  return {
    issues,
    compiled: {
      name: def.name,
      basePath,
      seed: def.seed ?? 0,
      routes,
      tokenEndpoints,
      collections,
      faults: def.faults ?? [],
      ...(def.rateLimit ? { rateLimit: def.rateLimit } : {}),
    },
  };
}

/** Explicit ids must be unique; the others are `METHOD path`, numbered when that repeats. */
function routeIds(routes: RouteDefinition[], issues: Issue[]): string[] {
  const taken = new Map<string, number>();
  routes.forEach((r, i) => {
    if (r.id === undefined) return;
    const first = taken.get(r.id);
    if (first !== undefined) issues.push({ path: ['routes', i, 'id'], message: `duplicate route id "${r.id}" (also routes[${first.toString()}])` });
    else taken.set(r.id, i);
  });
  return routes.map((r, i) => {
    if (r.id !== undefined) return r.id;
    const base = `${r.method} ${r.path}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base} #${n.toString()}`;
    taken.set(id, i);
    return id;
  });
}

function compileRoute(
  r: RouteDefinition,
  index: number,
  id: string,
  at: JsonPathSegments,
  basePath: string,
  collections: Map<string, CompiledCollection>,
  issues: Issue[],
  auth: () => CompiledAuth | undefined,
): CompiledRoute | undefined {
  const before = issues.length;
  let template: PathTemplate | undefined;
  try {
    template = compilePathTemplate(basePath + r.path);
    if (template.source === ADMIN_ROOT || template.source.startsWith(`${ADMIN_ROOT}/`)) {
      issues.push({ path: [...at, 'path'], message: `${ADMIN_ROOT} is reserved for the admin API` });
    }
  } catch (e) {
    issues.push({ path: [...at, 'path'], message: (e as Error).message });
  }
  const match = compileMatch(r.match, [...at, 'match'], issues);
  if (r.response && r.sequence) issues.push({ path: [...at, 'sequence'], message: 'a route has either "response" or "sequence", not both' });
  if (!r.response && !r.sequence && !r.action) issues.push({ path: at, message: 'a route needs a "response", a "sequence" or an "action"' });
  const steps: CompiledResponse[] = [];
  if (r.response) {
    const step = compileResponse(r.response, [...at, 'response'], issues);
    if (step) steps.push(step);
  }
  r.sequence?.responses.forEach((s, i) => {
    const step = compileResponse(s, [...at, 'sequence', 'responses', i], issues);
    if (step) steps.push(step);
  });
  if (steps.length === 0 && !r.sequence && !r.response) steps.push({ headers: [] });
  const action = r.action && template ? compileAction(r.action, [...at, 'action'], template, collections, issues) : undefined;
  checkFaults(r.faults, [...at, 'faults'], issues);
  const compiledAuth = auth();
  if (issues.length > before || !template || !match || !compiledAuth) return undefined;
  return {
    index,
    id,
    method: r.method,
    template,
    priority: r.priority ?? 0,
    matcher: { method: r.method, path: { template }, ...match },
    auth: compiledAuth,
    ...(action ? { action } : {}),
    steps,
    cycle: r.sequence?.then === 'cycle',
    faults: r.faults ?? [],
    ...(r.rateLimit ? { rateLimit: r.rateLimit } : {}),
  };
}

/** Compiles `match`, pointing at the bad regex or JSONPath. */
function compileMatch(match: RequestMatch | undefined, at: JsonPathSegments, issues: Issue[]): Pick<CompiledRequestMatcher, 'query' | 'headers' | 'body'> | undefined {
  const before = issues.length;
  const attempt = <T>(where: JsonPathSegments, f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      issues.push({ path: where, message: (e as Error).message });
      return undefined;
    }
  };
  const values = (section: 'query' | 'headers'): Array<[string, CompiledValueMatcher]> =>
    Object.entries(match?.[section] ?? {}).flatMap(([k, m]) => {
      const where = [...at, section, k, ...(m !== null && typeof m === 'object' && 'regex' in m ? ['regex'] : [])];
      const compiled = attempt(where, () => compileValueMatcher(m, 'text'));
      return compiled ? [[section === 'headers' ? k.toLowerCase() : k, compiled] as [string, CompiledValueMatcher]] : [];
    });
  const query = values('query');
  const headers = values('headers');
  const body = match?.body;
  if (body) {
    // Each part on its own first, so an error names its key.
    if (body.regex !== undefined) attempt([...at, 'body', 'regex'], () => compileRegex(body.regex ?? ''));
    for (const [expr, m] of Object.entries(body.jsonPath ?? {})) {
      const n = issues.length;
      attempt([...at, 'body', 'jsonPath', expr], () => checkJsonPath(expr));
      if (issues.length > n) continue;
      if (m !== null && typeof m === 'object' && 'regex' in m) attempt([...at, 'body', 'jsonPath', expr, 'regex'], () => compileValueMatcher(m, 'json'));
    }
  }
  if (issues.length > before) return undefined;
  const compiledBody = body ? attempt([...at, 'body'], () => compileBodyMatcher(body)) : [];
  if (!compiledBody) return undefined;
  return { query, headers, body: compiledBody };
}

function compileAction(
  a: ActionDefinition,
  at: JsonPathSegments,
  template: PathTemplate,
  collections: Map<string, CompiledCollection>,
  issues: Issue[],
): CompiledAction | undefined {
  const before = issues.length;
  const collection = collections.get(a.collection);
  if (!collection) {
    const known = [...collections.keys()];
    issues.push({
      path: [...at, 'collection'],
      message: `unknown collection "${a.collection}"${known.length ? ` (collections: ${known.join(', ')})` : ' (the definition has no collections)'}`,
    });
  }
  const allowed: Record<ActionDefinition['op'], Array<keyof ActionDefinition>> = {
    create: ['item'],
    read: ['id', 'notFound'],
    list: ['filter', 'pagination'],
    update: ['id', 'item', 'merge', 'notFound'],
    delete: ['id', 'notFound'],
  };
  for (const key of ['id', 'item', 'merge', 'filter', 'pagination', 'notFound'] as const) {
    if (a[key] !== undefined && !allowed[a.op].includes(key)) {
      issues.push({ path: [...at, key], message: `"${key}" does not apply to op "${a.op}"` });
    }
  }
  let id: CompiledValue | undefined;
  if (a.op === 'read' || a.op === 'update' || a.op === 'delete') {
    let source = a.id;
    if (source === undefined) {
      const idField = collection?.idField ?? 'id';
      const param = template.params.includes(idField) ? idField : template.params.at(-1);
      if (param === undefined) {
        issues.push({ path: at, message: `op "${a.op}" needs the item's id: set "id" (e.g. "{{request.query.id}}") or put a {${idField}} parameter in the path` });
      } else source = `{{params.${param}}}`;
    }
    if (source !== undefined) id = templateOf(source, [...at, 'id'], issues);
  }
  const item = a.item !== undefined ? templateOf(a.item, [...at, 'item'], issues) : undefined;
  const filter: Array<[string, CompiledValue]> = [];
  for (const [field, value] of Object.entries(a.filter ?? {})) {
    const compiled = templateOf(value, [...at, 'filter', field], issues);
    if (compiled) filter.push([field, compiled]);
  }
  let pagination: CompiledPagination | undefined;
  if (a.pagination) {
    const p = a.pagination;
    const page = p.style === 'page';
    for (const key of page ? (['cursorParam'] as const) : (['pageParam', 'firstPage'] as const)) {
      if (p[key] !== undefined) issues.push({ path: [...at, 'pagination', key], message: `"${key}" does not apply to ${p.style} pagination` });
    }
    pagination = {
      style: p.style,
      pageParam: p.pageParam ?? 'page',
      firstPage: p.firstPage ?? 1,
      cursorParam: p.cursorParam ?? 'cursor',
      sizeParam: p.sizeParam ?? (page ? 'count' : 'limit'),
      defaultSize: p.defaultSize ?? 10,
      maxSize: p.maxSize ?? 100,
    };
    const positionParam = page ? pagination.pageParam : pagination.cursorParam;
    if (positionParam === pagination.sizeParam) {
      issues.push({ path: [...at, 'pagination', 'sizeParam'], message: `"${pagination.sizeParam}" names both the ${page ? 'page' : 'cursor'} and the size parameter` });
    }
    if (pagination.defaultSize > pagination.maxSize) {
      issues.push({ path: [...at, 'pagination', 'defaultSize'], message: `defaultSize ${pagination.defaultSize.toString()} is above maxSize ${pagination.maxSize.toString()}` });
    }
  }
  const notFound = optionalResponse('notFound', a.notFound, [...at, 'notFound'], issues);
  if (issues.length > before) return undefined;
  return {
    collection: a.collection,
    op: a.op,
    ...(id ? { id } : {}),
    ...(item ? { item } : {}),
    merge: a.merge ?? true,
    filter,
    ...(pagination ? { pagination } : {}),
    ...notFound,
  };
}

function compileCollection(name: string, c: CollectionDefinition, at: JsonPathSegments, issues: Issue[]): CompiledCollection | undefined {
  const before = issues.length;
  const idField = c.idField ?? 'id';
  // The id is unique anyway: naming it again is harmless.
  const unique = (c.unique ?? []).map((u) => (Array.isArray(u) ? u : [u])).filter((key) => !(key.length === 1 && key[0] === idField));
  (c.unique ?? []).forEach((u, i) => {
    if (Array.isArray(u) && new Set(u).size !== u.length) issues.push({ path: [...at, 'unique', i], message: 'a field appears twice in this key' });
  });
  if (c.duplicateResponse && c.onDuplicate !== 'reject') {
    issues.push({ path: [...at, 'duplicateResponse'], message: 'duplicateResponse is only used with onDuplicate: reject' });
  }
  // Literal seed items must respect the id and the unique keys.
  const seen = unique.map(() => new Map<string, number>());
  const ids = new Map<string, number>();
  (c.items ?? []).forEach((item, i) => {
    const id = item[idField];
    if (id !== undefined && id !== null) {
      const key = JSON.stringify(String(id as string));
      const first = ids.get(key);
      if (first !== undefined) issues.push({ path: [...at, 'items', i, idField], message: `duplicate id ${String(id as string)} (also items[${first.toString()}])` });
      else ids.set(key, i);
    }
    unique.forEach((fields, k) => {
      const key = uniqueKeyOf(item, fields);
      if (key === undefined) return;
      const first = seen[k]?.get(key);
      if (first !== undefined) {
        issues.push({ path: [...at, 'items', i], message: `items[${first.toString()}] and items[${i.toString()}] have the same ${fields.join(' + ')}` });
      } else seen[k]?.set(key, i);
    });
  });
  const generated = c.generate ? templateOf(c.generate.item, [...at, 'generate', 'item'], issues) : undefined;
  const duplicateResponse = optionalResponse('duplicateResponse', c.duplicateResponse, [...at, 'duplicateResponse'], issues);
  if (issues.length > before) return undefined;
  return {
    name,
    idField,
    idStrategy: c.idStrategy ?? 'sequence',
    unique,
    onDuplicate: c.onDuplicate ?? 'ignore',
    ...duplicateResponse,
    items: c.items ?? [],
    ...(c.generate && generated ? { generate: { count: c.generate.count, item: generated } } : {}),
  };
}

/** The value of a unique key of an item as text; undefined when a field is missing. */
export function uniqueKeyOf(item: Record<string, unknown>, fields: string[]): string | undefined {
  const values: unknown[] = [];
  for (const f of fields) {
    const v = item[f];
    if (v === undefined || v === null) return undefined;
    values.push(typeof v === 'object' ? JSON.stringify(v) : String(v as string));
  }
  return JSON.stringify(values);
}

function compileResponse(r: ResponseDefinition, at: JsonPathSegments, issues: Issue[]): CompiledResponse | undefined {
  const before = issues.length;
  const headers: Array<[string, CompiledValue]> = [];
  for (const [name, value] of Object.entries(r.headers ?? {})) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      issues.push({ path: [...at, 'headers', name], message: `"${name}" is not a valid header name` });
      continue;
    }
    const compiled = templateOf(String(value), [...at, 'headers', name], issues);
    if (compiled) headers.push([name, compiled]);
  }
  const body = r.body !== undefined ? templateOf(r.body, [...at, 'body'], issues) : undefined;
  if (issues.length > before) return undefined;
  return {
    ...(r.status !== undefined ? { status: r.status } : {}),
    headers,
    ...(body ? { body } : {}),
    ...(r.runAction !== undefined ? { runAction: r.runAction } : {}),
  };
}

function optionalResponse<K extends string>(key: K, r: ResponseDefinition | undefined, at: JsonPathSegments, issues: Issue[]): { [P in K]?: CompiledResponse } {
  if (!r) return {};
  const compiled = compileResponse(r, at, issues);
  return compiled ? ({ [key]: compiled } as { [P in K]?: CompiledResponse }) : {};
}

function templateOf(value: unknown, at: JsonPathSegments, issues: Issue[]): CompiledValue | undefined {
  try {
    return compileValue(value);
  } catch (e) {
    if (e instanceof TemplateCompileError) issues.push({ path: [...at, ...e.path], message: e.message });
    else issues.push({ path: at, message: (e as Error).message });
    return undefined;
  }
}

/** Routes that can never be chosen: same method and equivalent path as a route tried first that matches whenever they do. */
function checkReachability(routes: CompiledRoute[], defs: RouteDefinition[], endpoints: TokenEndpoint[], issues: Issue[]): void {
  routes.forEach((route, j) => {
    const def = defs[route.index];
    for (const endpoint of endpoints) {
      if (route.method === 'POST' && route.template.shape === endpoint.template.shape) {
        issues.push({ path: ['routes', route.index, 'path'], message: `POST ${route.template.source} is the OAuth2 token endpoint (${endpoint.path}); the route would never be reached` });
      }
    }
    for (let i = 0; i < j; i++) {
      const earlier = routes[i];
      if (!earlier || earlier.method !== route.method || earlier.template.shape !== route.template.shape) continue;
      const earlierDef = defs[earlier.index];
      const earlierMatch = earlierDef?.match;
      const same = deepEqual(normaliseMatch(earlierMatch), normaliseMatch(def?.match));
      if (same) {
        issues.push({
          path: ['routes', route.index],
          message: `duplicate route: same method, path and match as routes[${earlier.index.toString()}] ("${earlier.id}")`,
        });
        return;
      }
      if (isEmptyMatch(earlierMatch)) {
        issues.push({
          path: ['routes', route.index],
          message: `unreachable route: routes[${earlier.index.toString()}] ("${earlier.id}") has the same method and path, no match conditions, and is tried first (give this route a lower priority or move it up)`,
        });
        return;
      }
    }
  });
}

function normaliseMatch(match: RouteDefinition['match']): unknown {
  if (!match) return {};
  const headers = match.headers ? Object.fromEntries(Object.entries(match.headers).map(([k, v]) => [k.toLowerCase(), v])) : undefined;
  const out: Record<string, unknown> = {};
  if (match.query && Object.keys(match.query).length) out.query = match.query;
  if (headers && Object.keys(headers).length) out.headers = headers;
  if (match.body) out.body = match.body;
  return out;
}

function isEmptyMatch(match: RouteDefinition['match']): boolean {
  return Object.keys(normaliseMatch(match) as object).length === 0;
}

function checkFaults(faults: FaultDefinition[] | undefined, at: JsonPathSegments, issues: Issue[]): void {
  faults?.forEach((f, i) => {
    if (f.type === 'latency' && f.distribution === 'uniform' && f.minMs > f.maxMs) {
      issues.push({ path: [...at, i, 'minMs'], message: `minMs (${f.minMs.toString()}) is above maxMs (${f.maxMs.toString()})` });
    }
  });
}

/** `$.routes[0].match.query.page`, bracketed where a key is not an identifier. */
export function formatJsonPath(path: JsonPathSegments): string {
  let out = '$';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg.toString()}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
