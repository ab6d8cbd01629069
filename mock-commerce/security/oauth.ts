/**
 * OAuth 2.0 for the Integration API (spec §9.1, §16.7; help B-181): the authorization server's token
 * endpoint `POST /authorizationserver/oauth/token` with the client-credentials grant, and the resource
 * side that turns a bearer token into the principal a request runs as.
 *
 * Commerce's authorization server is Spring Security OAuth2 (2.x); bodies, statuses and headers follow
 * that library (spec confidence M: the spec quotes the body shape, not Commerce's configuration):
 *
 * - Client authentication comes first, as Spring's filters run before the endpoint: HTTP Basic
 *   (`BasicAuthenticationFilter`, entry point realm `hybris/client`) or, when the parameters carry a
 *   `client_id`, `client_id`/`client_secret` parameters (`ClientCredentialsTokenEndpointFilter`).
 *   Parameters are read from the query string and an `application/x-www-form-urlencoded` body, the
 *   first occurrence winning (servlet `getParameter`). Failures (unknown client, wrong secret, a
 *   disabled client):
 *   - form:  401 `{"error":"invalid_client","error_description":"Bad client credentials"}`
 *   - Basic: 401 `{"error":"unauthorized","error_description":"Bad credentials"}` — Spring's
 *     translation of a failed Basic login (no OAuth2 exception in the cause chain);
 *   - none:  401 `{"error":"unauthorized","error_description":"Full authentication is required to access this resource"}`.
 * - Then the endpoint (`TokenEndpoint`): only POST (else 405 `method_not_allowed`); a `client_id`
 *   parameter that differs from the Basic-authenticated client → 401 `invalid_client`; a `scope`
 *   outside the client's scopes → 400 `invalid_scope`; no `grant_type` → 400 `invalid_request`
 *   `Missing grant type`; `implicit` → 400 `invalid_grant`; a grant type the server has no granter for
 *   → 400 `unsupported_grant_type` `Unsupported grant type: x`; a grant type the server knows but the
 *   client is not registered for (`authorizedGrantTypes`; IntegrationClientCredentialsDetails default to
 *   `client_credentials` only) → 401 `invalid_client` `Unauthorized grant type: x`. Commerce's
 *   authorization server also serves the password, authorization-code and refresh-token grants (OCC
 *   storefronts log in with them), so an integration client asking for `password` gets the latter.
 *   Pass `serverGrantTypes: ['client_credentials']` for a server with only that granter. The mock issues
 *   tokens for `client_credentials` only: other grants a client is registered for answer 400
 *   `unsupported_grant_type`.
 * - Success: 200 `{"access_token":"<uuid>","token_type":"bearer","expires_in":43199,"scope":"basic openid"}`
 *   (Spring's field order; no `refresh_token`: client-credentials tokens have none). `scope` is the
 *   requested scope, or the client's `scope` set when none was requested, space-separated; it is left
 *   out when empty (as Spring serialises an empty scope). The client's `authorities` are kept with the
 *   token but are not scopes. Spring would refuse an empty scope with `invalid_scope` "Empty scope …";
 *   the mock issues the token, since Commerce's integration clients are routinely defined without one.
 * - Lifetime: the client's `accessTokenValiditySeconds`, else 43200 s (Spring's default, configurable);
 *   0 or less: never expires (no `expires_in`). `expires_in` is counted as Spring does when it
 *   serialises, at least a millisecond after issue: 43199 right after issue.
 * - Like Spring's DefaultTokenServices, a second request for the same client and scope returns the
 *   same, still valid token (with a smaller `expires_in`); an expired one is replaced.
 * - Every answer carries `Cache-Control: no-store` and `Pragma: no-cache`; every 401 a
 *   `WWW-Authenticate` challenge `<Type> realm="<realm>", error="…", error_description="…"`.
 *
 * On the API (`resolveBearer`), Spring's resource server and Commerce's
 * IntegrationServicesOauth2UserFilter: unknown token → 401 `invalid_token` "Invalid access token: <t>";
 * expired → 401 `invalid_token` "Access token expired: <t>" (the token is then forgotten, so a second
 * use is "Invalid access token"); client deleted or disabled since → 401 "Client not valid: <id>";
 * client without the `hybris` resource id → 403 `access_denied`; a client that is not an
 * IntegrationClientCredentialsDetails, or whose user is missing, not a user or login-disabled → 403
 * `access_denied` with Commerce's message. The exact texts and the 403 status are M/L in the spec (it
 * names the Spring OAuth2 401 body only as "typically"). The principal is resolved at every call, so
 * group changes apply at once.
 */
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponse } from '../http/types.js';
import type { Item, ItemStore, StoredValue } from '../store/store.js';
import { principalOf, sameSecret, type Principal } from './principals.js';

export const TOKEN_PATH = '/authorizationserver/oauth/token';
export const DEFAULT_ACCESS_TOKEN_VALIDITY_SECONDS = 43200;
/** Realm of the API's OAuth2 resource server (`WWW-Authenticate: Bearer realm="hybris", …`). */
export const RESOURCE_REALM = 'hybris';
/** Resource id of the Integration API; a client whose `resourceIds` are set must include it. */
export const RESOURCE_ID = 'hybris';
/** Realm of the token endpoint's Basic client authentication. */
export const CLIENT_REALM = 'hybris/client';
/** Realm of Spring's default entry point, used by the form (`client_id` parameter) client authentication. */
export const FORM_CLIENT_REALM = 'oauth';
/** Grant types Commerce's authorization server has granters for. */
export const SERVER_GRANT_TYPES: readonly string[] = ['authorization_code', 'refresh_token', 'password', 'client_credentials'];

const CLIENT_TYPE = 'OAuthClientDetails';
const INTEGRATION_CLIENT_TYPE = 'IntegrationClientCredentialsDetails';
const FULL_AUTHENTICATION = 'Full authentication is required to access this resource';

export const NO_VALID_USER = 'Provided credentials are not associated to a valid user account';
export const NOT_INTEGRATION_CLIENT = 'The client in the request was not of type IntegrationServicesClientDetails';

export interface OAuthTokenServiceOptions {
  /** Clock in epoch milliseconds; tests inject one to expire tokens. */
  now?: () => number;
  /** Lifetime of tokens whose client sets no `accessTokenValiditySeconds` (default 43200). */
  accessTokenValiditySeconds?: number;
  /** Token values (default: random UUIDs). */
  newTokenValue?: () => string;
  /** Grant types the authorization server knows (default {@link SERVER_GRANT_TYPES}). */
  serverGrantTypes?: readonly string[];
}

/** An issued access token, as the token store keeps it. */
export interface AccessToken {
  value: string;
  clientId: string;
  scope: readonly string[];
  /** The client's authorities when the token was issued (not checked by the Integration API). */
  authorities: readonly string[];
  issuedAt: number;
  /** Epoch millis; undefined: never expires. */
  expiresAt: number | undefined;
}

/** Why a bearer token does not authenticate; `response` is what the API answers. */
export interface BearerFailure {
  error: 'invalid_token' | 'expired' | 'access_denied' | 'invalid_user' | 'invalid_client_type';
  status: 401 | 403;
  description: string;
  response: HttpResponse;
}

export function isBearerFailure(x: Principal | BearerFailure): x is BearerFailure {
  return 'error' in x;
}

/** An OAuth2 error, as Spring's exception translator renders it. */
class OAuthError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    /** `WWW-Authenticate` type and realm of the entry point that renders it (401 only). */
    readonly challenge?: { type: 'Basic' | 'Bearer'; realm?: string },
    readonly extra: Record<string, string> = {},
  ) {}
}

/**
 * Spring OAuth2's error response: `{"error":…,"error_description":…}` (plus additional fields),
 * `Cache-Control: no-store`, `Pragma: no-cache`, and on a 401 a `WWW-Authenticate` challenge.
 */
export function oauthErrorResponse(
  status: number,
  error: string,
  description: string,
  challenge?: { type: 'Basic' | 'Bearer'; realm?: string },
  extra: Record<string, string> = {},
): HttpResponse {
  const headers: Record<string, string> = { ...NO_STORE, 'Content-Type': 'application/json;charset=UTF-8' };
  if (status === 401) {
    const c = challenge ?? { type: 'Bearer' };
    const realm = c.realm === undefined ? '' : `realm="${c.realm}", `;
    const fields = [`error="${error}"`, `error_description="${description}"`, ...Object.entries(extra).map(([k, v]) => `${k}="${v}"`)];
    headers['WWW-Authenticate'] = `${c.type} ${realm}${fields.join(', ')}`;
  }
  return { status, headers, body: JSON.stringify({ error, error_description: description, ...extra }) };
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

function render(e: OAuthError): HttpResponse {
  return oauthErrorResponse(e.status, e.code, e.description, e.challenge, e.extra);
}

/**
 * The API's answer to a request without a bearer token on an OAuth-protected integration object (no
 * `Authorization` header, or a Basic one): Spring's resource-server entry point.
 */
export function bearerRequiredResponse(): HttpResponse {
  return oauthErrorResponse(401, 'unauthorized', FULL_AUTHENTICATION, { type: 'Bearer', realm: RESOURCE_REALM });
}

/** The client-credentials token service; one per simulated Commerce. */
export class OAuthTokenService {
  private readonly tokens = new Map<string, AccessToken>();
  /** Token value by authentication key (client id + scope), for reuse as DefaultTokenServices does. */
  private readonly byAuthentication = new Map<string, string>();
  private readonly now: () => number;
  private readonly defaultValidity: number;
  private readonly newTokenValue: () => string;
  private readonly serverGrantTypes: ReadonlySet<string>;

  constructor(
    private readonly store: ItemStore,
    options: OAuthTokenServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.defaultValidity = options.accessTokenValiditySeconds ?? DEFAULT_ACCESS_TOKEN_VALIDITY_SECONDS;
    this.newTokenValue = options.newTokenValue ?? randomUUID;
    this.serverGrantTypes = new Set(options.serverGrantTypes ?? SERVER_GRANT_TYPES);
  }

  /** Answers a request to {@link TOKEN_PATH} (any method). */
  handleTokenRequest(request: HttpRequest): HttpResponse {
    try {
      return this.tokenResponse(this.grant(request));
    } catch (e) {
      if (e instanceof OAuthError) return render(e);
      throw e;
    }
  }

  /** The token as issued, or undefined (unknown). Does not check expiry. */
  token(value: string): AccessToken | undefined {
    return this.tokens.get(value);
  }

  /** Forgets every issued token (the sandbox's reset). */
  clear(): void {
    this.tokens.clear();
    this.byAuthentication.clear();
  }

  /** Forgets a token (revocation). */
  revoke(value: string): boolean {
    const token = this.tokens.get(value);
    if (!token) return false;
    this.forget(token);
    return true;
  }

  /** The principal a bearer token runs as: the client's user with that user's groups. */
  resolveBearer(value: string): Principal | BearerFailure {
    const token = this.tokens.get(value);
    if (!token) return bearerFailure('invalid_token', 401, `Invalid access token: ${value}`);
    if (token.expiresAt !== undefined && token.expiresAt < this.now()) {
      this.forget(token);
      return bearerFailure('expired', 401, `Access token expired: ${value}`);
    }
    const client = this.findClient(token.clientId);
    if (!client) return bearerFailure('invalid_token', 401, `Client not valid: ${token.clientId}`);
    const resourceIds = strings(client.values.resourceIds);
    if (resourceIds.length > 0 && !resourceIds.includes(RESOURCE_ID)) {
      return bearerFailure('access_denied', 403, `Invalid token does not contain resource id (${RESOURCE_ID})`);
    }
    if (!this.store.typeSystem.isSubtypeOf(client.typeCode, INTEGRATION_CLIENT_TYPE)) {
      return bearerFailure('invalid_client_type', 403, NOT_INTEGRATION_CLIENT);
    }
    const userPk = client.values.user;
    const user = typeof userPk === 'number' ? this.store.get(userPk) : undefined;
    if (!user || !this.store.typeSystem.isSubtypeOf(user.typeCode, 'User') || user.values.loginDisabled === true) {
      return bearerFailure('invalid_user', 403, NO_VALID_USER);
    }
    return { ...principalOf(this.store, user), clientId: token.clientId };
  }

  // ---- token endpoint ----

  private grant(request: HttpRequest): AccessToken {
    const params = requestParameters(request);
    const client = this.authenticateClient(request, params);
    if (request.method.toUpperCase() !== 'POST') {
      throw new OAuthError(405, 'method_not_allowed', `Request method '${request.method.toUpperCase()}' not supported`);
    }
    const clientId = stringValue(client.values.clientId);
    const requestedClientId = params.get('client_id');
    if (requestedClientId !== undefined && requestedClientId !== '' && requestedClientId !== clientId) {
      throw new OAuthError(401, 'invalid_client', 'Given client ID does not match authenticated client', { type: 'Bearer' });
    }
    const clientScopes = strings(client.values.scope);
    const requested = parseList(params.get('scope'));
    const scope = requested.length > 0 ? requested : clientScopes;
    if (clientScopes.length > 0) {
      const outside = scope.find((s) => !clientScopes.includes(s));
      if (outside !== undefined) throw new OAuthError(400, 'invalid_scope', `Invalid scope: ${outside}`, undefined, { scope: clientScopes.join(' ') });
    }
    const grantType = params.get('grant_type') ?? '';
    if (grantType.trim() === '') throw new OAuthError(400, 'invalid_request', 'Missing grant type');
    if (grantType === 'implicit') throw new OAuthError(400, 'invalid_grant', 'Implicit grant type not supported from token endpoint');
    if (!this.serverGrantTypes.has(grantType)) throw new OAuthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
    if (!this.authorizedGrantTypes(client).includes(grantType)) {
      throw new OAuthError(401, 'invalid_client', `Unauthorized grant type: ${grantType}`, { type: 'Bearer' });
    }
    if (grantType !== 'client_credentials') throw new OAuthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
    return this.issue(client, clientId, scope);
  }

  private authenticateClient(request: HttpRequest, params: Map<string, string>): Item {
    const header = request.headers.authorization;
    if (header !== undefined && /^basic /i.test(header)) {
      const encoded = header.slice(6).trim();
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 === 1) {
        throw new OAuthError(401, 'unauthorized', 'Failed to decode basic authentication token', { type: 'Basic', realm: CLIENT_REALM });
      }
      const decoded = Buffer.from(encoded, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new OAuthError(401, 'unauthorized', 'Invalid basic authentication token', { type: 'Basic', realm: CLIENT_REALM });
      const client = this.clientWithSecret(decoded.slice(0, colon), decoded.slice(colon + 1));
      if (!client) throw new OAuthError(401, 'unauthorized', 'Bad credentials', { type: 'Basic', realm: CLIENT_REALM });
      return client;
    }
    const clientId = params.get('client_id');
    if (clientId !== undefined) {
      const client = this.clientWithSecret(clientId.trim(), params.get('client_secret') ?? '');
      if (!client) throw new OAuthError(401, 'invalid_client', 'Bad client credentials', { type: 'Bearer', realm: FORM_CLIENT_REALM });
      return client;
    }
    throw new OAuthError(401, 'unauthorized', FULL_AUTHENTICATION, { type: 'Basic', realm: CLIENT_REALM });
  }

  private clientWithSecret(clientId: string, secret: string): Item | undefined {
    const client = this.findClient(clientId);
    if (!client) return undefined;
    const stored = client.values.clientSecret;
    return sameSecret(typeof stored === 'string' ? stored : '', secret) ? client : undefined;
  }

  /** An enabled OAuth client by id (ClientDetailsService.loadClientByClientId). */
  private findClient(clientId: string): Item | undefined {
    if (!this.store.typeSystem.hasComposedType(CLIENT_TYPE)) return undefined;
    const client = this.store.find(CLIENT_TYPE, { clientId })[0];
    return client && client.values.disabled !== true ? client : undefined;
  }

  private authorizedGrantTypes(client: Item): string[] {
    const set = strings(client.values.authorizedGrantTypes);
    if (set.length > 0) return set;
    // IntegrationClientCredentialsDetails redeclares authorizedGrantTypes with this default.
    return this.store.typeSystem.isSubtypeOf(client.typeCode, INTEGRATION_CLIENT_TYPE) ? ['client_credentials'] : [];
  }

  private issue(client: Item, clientId: string, scope: readonly string[]): AccessToken {
    const now = this.now();
    const key = `${clientId}\u0000${[...scope].sort().join(' ')}`;
    const existingValue = this.byAuthentication.get(key);
    const existing = existingValue === undefined ? undefined : this.tokens.get(existingValue);
    if (existing) {
      if (existing.expiresAt === undefined || existing.expiresAt >= now) return existing;
      this.forget(existing);
    }
    const validity = typeof client.values.accessTokenValiditySeconds === 'number' ? client.values.accessTokenValiditySeconds : this.defaultValidity;
    const token: AccessToken = {
      value: this.newTokenValue(),
      clientId,
      scope: [...scope],
      authorities: strings(client.values.authorities),
      issuedAt: now,
      expiresAt: validity > 0 ? now + validity * 1000 : undefined,
    };
    this.tokens.set(token.value, token);
    this.byAuthentication.set(key, token.value);
    return token;
  }

  private forget(token: AccessToken): void {
    this.tokens.delete(token.value);
    for (const [key, value] of this.byAuthentication) if (value === token.value) this.byAuthentication.delete(key);
  }

  private tokenResponse(token: AccessToken): HttpResponse {
    const body: Record<string, string | number> = { access_token: token.value, token_type: 'bearer' };
    if (token.expiresAt !== undefined) {
      // Spring computes it when serialising, a moment after issue: whole seconds left, truncated.
      body.expires_in = Math.max(0, Math.floor((token.expiresAt - this.now() - 1) / 1000));
    }
    if (token.scope.length > 0) body.scope = token.scope.join(' ');
    return { status: 200, headers: { ...NO_STORE, 'Content-Type': 'application/json;charset=UTF-8' }, body: JSON.stringify(body) };
  }
}

function bearerFailure(error: BearerFailure['error'], status: 401 | 403, description: string): BearerFailure {
  const code = status === 401 ? 'invalid_token' : 'access_denied';
  return { error, status, description, response: oauthErrorResponse(status, code, description, { type: 'Bearer', realm: RESOURCE_REALM }) };
}

/** Query-string then form-body parameters, first occurrence winning (servlet `getParameter`). */
function requestParameters(request: HttpRequest): Map<string, string> {
  const out = new Map<string, string>();
  const add = (text: string): void => {
    for (const [k, v] of new URLSearchParams(text)) if (!out.has(k)) out.set(k, v);
  };
  add(request.query);
  const contentType = (request.headers['content-type'] ?? '').toLowerCase();
  if (request.body && contentType.startsWith('application/x-www-form-urlencoded')) add(request.body.toString('utf8'));
  return out;
}

/** Spring's OAuth2Utils.parseParameterList: whitespace- or comma-separated. */
function parseList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter((s) => s !== '');
}

function strings(v: StoredValue | undefined): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' && v !== '' ? [v] : [];
}

function stringValue(v: StoredValue | undefined): string {
  return typeof v === 'string' ? v : '';
}
