/**
 * The definition model of a simulated third-party API: what a YAML definition file holds once it has
 * been parsed and validated (`loader.ts`, `validate.ts`). Plain data, as authored: optional fields keep
 * their documented defaults, which the engine applies. `mock-third-party/README.md` describes every
 * field with an example.
 *
 * Strings in templated places (response bodies and headers, action `id`/`item`/`filter`, generated
 * collection items, token responses) are Handlebars templates: see `engine/templates.ts`.
 */
import type { FaultDefinition, RateLimitDefinition } from './faults-model.js';

export type { FaultDefinition, RateLimitDefinition } from './faults-model.js';

export interface ThirdPartyDefinition {
  /** Identifies the simulated system (admin health, journal, messages). */
  name: string;
  /** Prefix of every route path and token endpoint path; default `''`. */
  basePath?: string;
  /** Seed of all generated data (faker, tokens, generated ids); default 0. */
  seed?: number;
  /** Default authentication of every route; default `none`. */
  auth?: AuthDefinition;
  collections?: Record<string, CollectionDefinition>;
  routes: RouteDefinition[];
  /** Faults applied to every route (before the route's own); implemented by `mock-third-party/faults/`. */
  faults?: FaultDefinition[];
  rateLimit?: RateLimitDefinition;
}

// ---------------------------------------------------------------------------------------------- auth

export type AuthDefinition = NoAuth | BasicAuth | ApiKeyAuth | OAuth2Auth;

export interface NoAuth {
  type: 'none';
}

/** What a failed authentication answers (a template like a route response). */
export interface AuthFailure {
  unauthorized?: ResponseDefinition;
}

export interface BasicAuth extends AuthFailure {
  type: 'basic';
  users: Array<{ username: string; password: string }>;
  /** Realm of the `WWW-Authenticate` challenge; default the definition's name. */
  realm?: string;
}

export interface ApiKeyAuth extends AuthFailure {
  type: 'apiKey';
  /** Where the key travels: a header (default) or a query parameter. */
  in?: 'header' | 'query';
  /** Header or query parameter name; default `X-API-Key` (header) or `api_key` (query). */
  name?: string;
  keys: string[];
}

/** Where a route takes an OAuth2 access token from. */
export type TokenLocation =
  | { in: 'header'; name?: string; scheme?: string }
  | { in: 'body'; name: string }
  | { in: 'query'; name: string };

export interface OAuth2Auth extends AuthFailure {
  type: 'oauth2';
  /** Token endpoint (client-credentials grant), under `basePath`; default `/oauth/token`. */
  tokenPath?: string;
  /** Required at top level; a route's `oauth2` auth inherits the top-level one's fields it leaves out. */
  clients?: Array<{ id: string; secret: string }>;
  /** Token lifetime in seconds; default 3600. */
  expiresIn?: number;
  /** Length of issued tokens (alphanumeric, derived from the seed); default 40. */
  tokenLength?: number;
  /** Request bodies the token endpoint accepts; default both. */
  requestFormats?: Array<'json' | 'form'>;
  /** Token response; default 200 `{"access_token","token_type":"bearer","expires_in"}`. */
  response?: ResponseDefinition;
  /** Answer to unknown client or wrong secret; default 401 `{"error":"invalid_client"}`. */
  invalidClient?: ResponseDefinition;
  /** Where routes look for the token, in this order; default `[{in: header}]` (`Authorization: Bearer`). */
  accept?: TokenLocation[];
}

// ----------------------------------------------------------------------------------------- collections

export interface CollectionDefinition {
  /** Field holding an item's id; default `id`. */
  idField?: string;
  /** How a created item without an id gets one: `sequence` (1, 2, … after the largest numeric id; default) or `uuid`. */
  idStrategy?: 'sequence' | 'uuid';
  /** Unique keys besides the id: a field name, or a list of field names for a composite key. */
  unique?: Array<string | string[]>;
  /** What creating (or updating into) a duplicate does: `ignore` (default; nothing is stored, the route answers as usual) or `reject`. */
  onDuplicate?: 'ignore' | 'reject';
  /** Answer of a rejected duplicate; default 409 `{"error":"duplicate","field":…,"value":…}`. */
  duplicateResponse?: ResponseDefinition;
  /** Seed items, stored as written. */
  items?: Array<Record<string, unknown>>;
  /** Generated seed items (after `items`): `count` renderings of the `item` template, with `index`. */
  generate?: { count: number; item: Record<string, unknown> };
}

// ---------------------------------------------------------------------------------------------- routes

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface RouteDefinition {
  /** Names the route in the journal and in diagnostics; default `METHOD path`. */
  id?: string;
  method: HttpMethod;
  /** Path template under `basePath`: literal text and `{param}` placeholders, e.g. `/apps/{app_key}/purchases`. */
  path: string;
  /** Lower numbers are tried first; equal priorities in file order. Default 0. */
  priority?: number;
  /** Overrides the top-level `auth`; an object of the same `type` inherits the fields it leaves out. */
  auth?: AuthDefinition;
  match?: RequestMatch;
  action?: ActionDefinition;
  response?: ResponseDefinition;
  sequence?: SequenceDefinition;
  faults?: FaultDefinition[];
  rateLimit?: RateLimitDefinition;
}

/**
 * Matches one value: a scalar is an exact value; an object combines `equals` (a JSON value, deep
 * equality), `regex` (on the value as text) and `exists`.
 */
export type ValueMatcher = string | number | boolean | null | { equals?: unknown; regex?: string; exists?: boolean };

/** Conditions on a JSON (or form) body; all given must hold. */
export interface BodyMatcher {
  /** The whole body equals this JSON value. */
  equals?: unknown;
  /** The body contains this: objects may have more fields, arrays more elements (in any order). */
  subset?: unknown;
  /** JSONPath expression → matcher of its first result (`exists` tests whether there is any). */
  jsonPath?: Record<string, ValueMatcher>;
  /** A regex the raw body text matches. */
  regex?: string;
  /** Whether there is a body at all. */
  exists?: boolean;
}

export interface RequestMatch {
  /** Query parameter → matcher of its first value (`exists: false`: absent). */
  query?: Record<string, ValueMatcher>;
  /** Header (any case) → matcher. */
  headers?: Record<string, ValueMatcher>;
  body?: BodyMatcher;
}

export interface PaginationDefinition {
  style: 'page' | 'cursor';
  /** Page style: the page number parameter (default `page`) and the first page's number (default 1). */
  pageParam?: string;
  firstPage?: number;
  /** Cursor style: the cursor parameter; default `cursor`. */
  cursorParam?: string;
  /** Page size parameter; default `count` (page) or `limit` (cursor). */
  sizeParam?: string;
  /** Default 10; sizes above `maxSize` (default 100) are capped. */
  defaultSize?: number;
  maxSize?: number;
}

export interface ActionDefinition {
  collection: string;
  op: 'create' | 'read' | 'list' | 'update' | 'delete';
  /** read/update/delete: the item's id (template); default the path parameter named like the id field, else the last one. */
  id?: string;
  /** create/update: the item (template value); default the request body. */
  item?: unknown;
  /** update: merge into the stored item (default) or replace it. */
  merge?: boolean;
  /** list: field → value (template); items whose field equals it (as text). Empty values are ignored. */
  filter?: Record<string, string>;
  pagination?: PaginationDefinition;
  /** read/update/delete of a missing id; default 404 `{"error":"not_found"}`. */
  notFound?: ResponseDefinition;
}

export interface ResponseDefinition {
  /** Default 200 (route), or per op for an action (create 201, delete 204). */
  status?: number;
  headers?: Record<string, string>;
  /** JSON value whose string leaves are templates; a string body is sent as text. */
  body?: unknown;
  /** Whether the route's action runs with this response; default: unless `status` ≥ 400. */
  runAction?: boolean;
}

export interface SequenceDefinition {
  /** One response per call, in order. */
  responses: ResponseDefinition[];
  /** After the last: keep answering it (`last`, default) or start again (`cycle`). */
  then?: 'last' | 'cycle';
}
