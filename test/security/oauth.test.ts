/**
 * The client-credentials token service (spec §9.1, §16.7; help B-181): token issue with form and
 * Basic client authentication, Spring OAuth2 errors, expiry by an injected clock, and the principal a
 * bearer token runs as.
 */
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '../../mock-commerce/http/types.js';
import {
  bearerRequiredResponse,
  isBearerFailure,
  NO_VALID_USER,
  NOT_INTEGRATION_CLIENT,
  OAuthTokenService,
  TOKEN_PATH,
  type BearerFailure,
  type OAuthTokenServiceOptions,
} from '../../mock-commerce/security/oauth.js';
import type { Principal } from '../../mock-commerce/security/principals.js';
import type { ItemStore } from '../../mock-commerce/store/store.js';
import { SECURITY_FIXTURES, securityStore } from './store.js';

const CLIENTS = join(SECURITY_FIXTURES, 'oauth-clients.impex');
const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function tokenRequest(options: { method?: string; form?: string; query?: string; headers?: Record<string, string> } = {}): HttpRequest {
  return {
    method: options.method ?? 'POST',
    path: TOKEN_PATH,
    query: options.query ?? '',
    headers: { ...(options.form !== undefined ? FORM : {}), ...options.headers },
    ...(options.form !== undefined ? { body: Buffer.from(options.form) } : {}),
    origin: 'https://localhost:9002',
  };
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function json(res: HttpResponse): Record<string, unknown> {
  return JSON.parse(String(res.body)) as Record<string, unknown>;
}

function expectOAuthError(res: HttpResponse, status: number, body: Record<string, string>, challenge?: string): void {
  expect(res.status).toBe(status);
  expect(String(res.body)).toBe(JSON.stringify(body));
  expect(res.headers).toMatchObject({ 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  expect(res.headers['WWW-Authenticate']).toBe(challenge);
}

function failure(x: Principal | BearerFailure): BearerFailure {
  expect(isBearerFailure(x), JSON.stringify(x)).toBe(true);
  return x as BearerFailure;
}

describe('OAuth token endpoint', () => {
  let store: ItemStore;
  let now: number;
  let service: OAuthTokenService;
  const make = (options: OAuthTokenServiceOptions = {}) => new OAuthTokenService(store, { now: () => now, ...options });
  const issue = (form: string, headers: Record<string, string> = {}) => service.handleTokenRequest(tokenRequest({ form, headers }));

  beforeEach(() => {
    store = securityStore(CLIENTS).store;
    now = T0;
    service = make();
  });

  describe('issue', () => {
    it('form client authentication → 200 with a bearer token (Spring field order, no-store headers)', () => {
      const res = issue('grant_type=client_credentials&client_id=integration_client&client_secret=secret');
      expect(res.status).toBe(200);
      expect(res.headers).toEqual({ 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-store', Pragma: 'no-cache' });
      const body = json(res);
      expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'expires_in']);
      expect(body.access_token).toMatch(UUID);
      expect(body).toMatchObject({ token_type: 'bearer', expires_in: 43199 });
    });

    it('HTTP Basic client authentication with grant_type in the body', () => {
      const res = issue('grant_type=client_credentials', { authorization: basic('integration_client', 'secret') });
      expect(res.status).toBe(200);
      expect(json(res)).toMatchObject({ token_type: 'bearer', expires_in: 43199 });
    });

    it('parameters may come in the query string; form values are URL-decoded', () => {
      const res = service.handleTokenRequest(tokenRequest({ query: 'grant_type=client_credentials&client_id=scoped_client&client_secret=s3cr%2Bt' }));
      expect(res.status).toBe(200);
      expect(issue('grant_type=client_credentials&client_id=scoped_client&client_secret=s3cr%2Bt').status).toBe(200);
    });

    it("scope: the client's scopes when none is requested, else the requested ones", () => {
      expect(json(issue('grant_type=client_credentials&client_id=scoped_client&client_secret=s3cr%2Bt'))).toMatchObject({ scope: 'basic openid' });
      const res = issue('grant_type=client_credentials&client_id=scoped_client&client_secret=s3cr%2Bt&scope=openid');
      expect(Object.keys(json(res))).toEqual(['access_token', 'token_type', 'expires_in', 'scope']);
      expect(json(res).scope).toBe('openid');
    });

    it('a scope outside the client’s scopes → 400 invalid_scope naming the allowed ones', () => {
      const res = issue('grant_type=client_credentials&client_id=scoped_client&client_secret=s3cr%2Bt&scope=basic%20write');
      expectOAuthError(res, 400, { error: 'invalid_scope', error_description: 'Invalid scope: write', scope: 'basic openid' });
    });

    it('the same client and scope get the same token back while it is valid, with less time left', () => {
      const first = json(issue('grant_type=client_credentials&client_id=integration_client&client_secret=secret'));
      now += 100_000;
      const second = json(issue('grant_type=client_credentials', { authorization: basic('integration_client', 'secret') }));
      expect(second.access_token).toBe(first.access_token);
      expect(second.expires_in).toBe(43099);
      now = T0 + 43_200_001;
      const third = json(issue('grant_type=client_credentials&client_id=integration_client&client_secret=secret'));
      expect(third.access_token).not.toBe(first.access_token);
      expect(third.expires_in).toBe(43199);
    });

    it("the client's accessTokenValiditySeconds, else the configured default", () => {
      expect(json(issue('grant_type=client_credentials&client_id=short_client&client_secret=short')).expires_in).toBe(59);
      service = make({ accessTokenValiditySeconds: 3600 });
      expect(json(issue('grant_type=client_credentials&client_id=integration_client&client_secret=secret')).expires_in).toBe(3599);
    });

    it('injected token values', () => {
      service = make({ newTokenValue: () => 'fixed-token' });
      expect(json(issue('grant_type=client_credentials&client_id=integration_client&client_secret=secret')).access_token).toBe('fixed-token');
      expect(service.token('fixed-token')).toMatchObject({ clientId: 'integration_client', authorities: ['ROLE_INTEGRATIONADMINGROUP'], issuedAt: T0, expiresAt: T0 + 43_200_000 });
    });
  });

  describe('client authentication errors', () => {
    const BAD_CLIENT = { error: 'invalid_client', error_description: 'Bad client credentials' };
    const BAD_CLIENT_CHALLENGE = 'Bearer realm="oauth", error="invalid_client", error_description="Bad client credentials"';

    it('wrong secret (form) → 401 invalid_client "Bad client credentials"', () => {
      expectOAuthError(issue('grant_type=client_credentials&client_id=integration_client&client_secret=nope'), 401, BAD_CLIENT, BAD_CLIENT_CHALLENGE);
    });

    it('unknown client and missing secret (form) → the same answer', () => {
      expectOAuthError(issue('grant_type=client_credentials&client_id=ghost&client_secret=secret'), 401, BAD_CLIENT, BAD_CLIENT_CHALLENGE);
      expectOAuthError(issue('grant_type=client_credentials&client_id=integration_client'), 401, BAD_CLIENT, BAD_CLIENT_CHALLENGE);
    });

    it('a disabled client is unknown', () => {
      const client = store.find('OAuthClientDetails', { clientId: 'integration_client' })[0]!;
      store.update(client.pk, { disabled: true });
      expectOAuthError(issue('grant_type=client_credentials&client_id=integration_client&client_secret=secret'), 401, BAD_CLIENT, BAD_CLIENT_CHALLENGE);
    });

    it('wrong secret or unknown client (Basic) → 401 unauthorized "Bad credentials", Basic challenge', () => {
      const body = { error: 'unauthorized', error_description: 'Bad credentials' };
      const challenge = 'Basic realm="hybris/client", error="unauthorized", error_description="Bad credentials"';
      expectOAuthError(issue('grant_type=client_credentials', { authorization: basic('integration_client', 'nope') }), 401, body, challenge);
      expectOAuthError(issue('grant_type=client_credentials', { authorization: basic('ghost', 'secret') }), 401, body, challenge);
    });

    it('an unreadable Basic header → 401 unauthorized', () => {
      const challenge = (d: string) => `Basic realm="hybris/client", error="unauthorized", error_description="${d}"`;
      expectOAuthError(issue('grant_type=client_credentials', { authorization: 'Basic !!!' }), 401, { error: 'unauthorized', error_description: 'Failed to decode basic authentication token' }, challenge('Failed to decode basic authentication token'));
      const noColon = `Basic ${Buffer.from('integration_client').toString('base64')}`;
      expectOAuthError(issue('grant_type=client_credentials', { authorization: noColon }), 401, { error: 'unauthorized', error_description: 'Invalid basic authentication token' }, challenge('Invalid basic authentication token'));
    });

    it('no client credentials at all → 401 "Full authentication is required"', () => {
      const description = 'Full authentication is required to access this resource';
      const body = { error: 'unauthorized', error_description: description };
      const challenge = `Basic realm="hybris/client", error="unauthorized", error_description="${description}"`;
      expectOAuthError(issue('grant_type=client_credentials'), 401, body, challenge);
      // A JSON body is not read as parameters.
      const res = service.handleTokenRequest({
        ...tokenRequest(),
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ grant_type: 'client_credentials', client_id: 'integration_client', client_secret: 'secret' })),
      });
      expectOAuthError(res, 401, body, challenge);
    });

    it('a client_id parameter that is not the Basic-authenticated client → 401 invalid_client', () => {
      const res = issue('grant_type=client_credentials&client_id=scoped_client', { authorization: basic('integration_client', 'secret') });
      const description = 'Given client ID does not match authenticated client';
      expectOAuthError(res, 401, { error: 'invalid_client', error_description: description }, `Bearer error="invalid_client", error_description="${description}"`);
    });
  });

  describe('grant and method errors', () => {
    const AUTH = '&client_id=integration_client&client_secret=secret';

    it('no grant_type → 400 invalid_request "Missing grant type"', () => {
      expectOAuthError(issue(`x=1${AUTH}`), 400, { error: 'invalid_request', error_description: 'Missing grant type' });
      expectOAuthError(issue('', { authorization: basic('integration_client', 'secret') }), 400, { error: 'invalid_request', error_description: 'Missing grant type' });
    });

    it('a grant type the server has no granter for → 400 unsupported_grant_type', () => {
      expectOAuthError(issue(`grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer${AUTH}`), 400, {
        error: 'unsupported_grant_type',
        error_description: 'Unsupported grant type: urn:ietf:params:oauth:grant-type:jwt-bearer',
      });
    });

    it('password for an integration client → 401 invalid_client "Unauthorized grant type" (the server knows the grant)', () => {
      const description = 'Unauthorized grant type: password';
      expectOAuthError(issue(`grant_type=password&username=u&password=p${AUTH}`), 401, { error: 'invalid_client', error_description: description }, `Bearer error="invalid_client", error_description="${description}"`);
    });

    it('password on a server with only the client-credentials granter → 400 unsupported_grant_type', () => {
      service = make({ serverGrantTypes: ['client_credentials'] });
      expectOAuthError(issue(`grant_type=password${AUTH}`), 400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant type: password' });
    });

    it('implicit → 400 invalid_grant', () => {
      expectOAuthError(issue(`grant_type=implicit${AUTH}`), 400, { error: 'invalid_grant', error_description: 'Implicit grant type not supported from token endpoint' });
    });

    it('a grant the client is registered for but the mock does not implement → 400 unsupported_grant_type', () => {
      expectOAuthError(issue('grant_type=password&client_id=storefront&client_secret=sf-secret'), 400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant type: password' });
    });

    it('non-POST with client credentials → 405 method_not_allowed; without → 401 first', () => {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = service.handleTokenRequest(tokenRequest({ method, query: 'grant_type=client_credentials', headers: { authorization: basic('integration_client', 'secret') } }));
        expectOAuthError(res, 405, { error: 'method_not_allowed', error_description: `Request method '${method}' not supported` });
      }
      expect(service.handleTokenRequest(tokenRequest({ method: 'GET' })).status).toBe(401);
    });
  });

  describe('bearer tokens on the API', () => {
    const tokenOf = (form: string): string => json(issue(form)).access_token as string;

    it("a token runs as the client's user, with that user's groups (transitively) and the client id", () => {
      const token = tokenOf('grant_type=client_credentials&client_id=integration_client&client_secret=secret');
      const principal = service.resolveBearer(token) as Principal;
      expect(isBearerFailure(principal)).toBe(false);
      expect(principal.uid).toBe('oauthuser');
      expect(principal.clientId).toBe('integration_client');
      expect([...principal.groups].sort()).toEqual(['admingroup', 'integrationadmingroup', 'integrationservicegroup', 'integrationusergroup']);
      expect(principal.pk).toBe(store.find('Employee', { uid: 'oauthuser' })[0]!.pk);
    });

    it("group changes apply to tokens already issued", () => {
      const token = tokenOf('grant_type=client_credentials&client_id=scoped_client&client_secret=s3cr%2Bt');
      expect([...(service.resolveBearer(token) as Principal).groups].sort()).toEqual(['integrationusergroup', 'integrationviewgroup']);
      const user = store.find('Employee', { uid: 'viewuser' })[0]!;
      store.update(user.pk, { groups: [store.find('UserGroup', { uid: 'integrationdeletegroup' })[0]!.pk] });
      expect([...(service.resolveBearer(token) as Principal).groups].sort()).toEqual(['integrationdeletegroup', 'integrationusergroup']);
    });

    it('an unknown token → 401 invalid_token "Invalid access token: <token>" with a Bearer challenge', () => {
      const f = failure(service.resolveBearer('abc'));
      expect(f).toMatchObject({ error: 'invalid_token', status: 401, description: 'Invalid access token: abc' });
      expectOAuthError(f.response, 401, { error: 'invalid_token', error_description: 'Invalid access token: abc' }, 'Bearer realm="hybris", error="invalid_token", error_description="Invalid access token: abc"');
    });

    it('expiry follows the clock: valid to the last millisecond, then "Access token expired", then unknown', () => {
      const token = tokenOf('grant_type=client_credentials&client_id=short_client&client_secret=short');
      now = T0 + 60_000;
      expect(isBearerFailure(service.resolveBearer(token))).toBe(false);
      now = T0 + 60_001;
      const f = failure(service.resolveBearer(token));
      expect(f).toMatchObject({ error: 'expired', status: 401, description: `Access token expired: ${token}` });
      expectOAuthError(f.response, 401, { error: 'invalid_token', error_description: `Access token expired: ${token}` }, `Bearer realm="hybris", error="invalid_token", error_description="Access token expired: ${token}"`);
      expect(failure(service.resolveBearer(token))).toMatchObject({ error: 'invalid_token', description: `Invalid access token: ${token}` });
    });

    it('default lifetime 43200 s', () => {
      const token = tokenOf('grant_type=client_credentials&client_id=integration_client&client_secret=secret');
      now = T0 + 43_200_000;
      expect(isBearerFailure(service.resolveBearer(token))).toBe(false);
      now += 1;
      expect(failure(service.resolveBearer(token)).error).toBe('expired');
    });

    it('a client without a valid user → 403 "Provided credentials are not associated to a valid user account"', () => {
      // The user is mandatory for ImpEx; a client can still lose it (or be created without one).
      store.create('IntegrationClientCredentialsDetails', { clientId: 'orphan', clientSecret: 'secret', resourceIds: ['hybris'] });
      for (const form of [
        'grant_type=client_credentials&client_id=orphan&client_secret=secret',
        'grant_type=client_credentials&client_id=disabled_user_client&client_secret=secret',
      ]) {
        const f = failure(service.resolveBearer(tokenOf(form)));
        expect(f).toMatchObject({ error: 'invalid_user', status: 403, description: NO_VALID_USER });
        expectOAuthError(f.response, 403, { error: 'access_denied', error_description: NO_VALID_USER });
      }
      const token = tokenOf('grant_type=client_credentials&client_id=integration_client&client_secret=secret');
      store.remove(store.find('Employee', { uid: 'oauthuser' })[0]!.pk);
      expect(failure(service.resolveBearer(token))).toMatchObject({ error: 'invalid_user', description: NO_VALID_USER });
    });

    it('a client that is no integration client → 403 with Commerce’s message', () => {
      const token = tokenOf('grant_type=client_credentials&client_id=storefront&client_secret=sf-secret');
      const f = failure(service.resolveBearer(token));
      expect(f).toMatchObject({ error: 'invalid_client_type', status: 403, description: NOT_INTEGRATION_CLIENT });
    });

    it('a client removed after issue → 401 "Client not valid"', () => {
      const token = tokenOf('grant_type=client_credentials&client_id=integration_client&client_secret=secret');
      store.remove(store.find('OAuthClientDetails', { clientId: 'integration_client' })[0]!.pk);
      expect(failure(service.resolveBearer(token))).toMatchObject({ error: 'invalid_token', status: 401, description: 'Client not valid: integration_client' });
    });

    it('a client whose resourceIds lack hybris → 403 access_denied', () => {
      const token = tokenOf('grant_type=client_credentials&client_id=other_resource_client&client_secret=secret');
      const f = failure(service.resolveBearer(token));
      expect(f).toMatchObject({ error: 'access_denied', status: 403 });
      expectOAuthError(f.response, 403, { error: 'access_denied', error_description: 'Invalid token does not contain resource id (hybris)' });
    });

    it('revoked tokens are unknown', () => {
      const token = tokenOf('grant_type=client_credentials&client_id=integration_client&client_secret=secret');
      expect(service.revoke(token)).toBe(true);
      expect(failure(service.resolveBearer(token)).error).toBe('invalid_token');
      expect(service.revoke(token)).toBe(false);
    });

    it('no bearer token on an OAuth integration object → 401 "Full authentication is required"', () => {
      const description = 'Full authentication is required to access this resource';
      expectOAuthError(bearerRequiredResponse(), 401, { error: 'unauthorized', error_description: description }, `Bearer realm="hybris", error="unauthorized", error_description="${description}"`);
    });
  });
});
