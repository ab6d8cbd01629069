/**
 * Authentication of route requests (none, Basic, API key, OAuth2 bearer tokens wherever the route
 * takes them) and the OAuth2 client-credentials token endpoint.
 */
import type { CompiledAuth, CompiledResponse, TokenEndpoint } from './compile.js';
import type { RequestView } from './request.js';

export interface IssuedToken {
  token: string;
  clientId: string;
  endpoint: string;
  expiresAt: number;
}

/** Why a request was not let in: `missing`, `invalid` or `expired` credentials. */
export type AuthFailureReason = 'missing' | 'invalid' | 'expired';

export interface AuthFailure {
  reason: AuthFailureReason;
  /** The default answer; `custom` (the definition's `unauthorized`) replaces its body and adds headers. */
  status: number;
  headers: Record<string, string>;
  body: unknown;
  custom?: CompiledResponse;
}

export function checkAuth(auth: CompiledAuth, view: RequestView, tokens: Map<string, IssuedToken>, now: number, realm: string): AuthFailure | undefined {
  switch (auth.kind) {
    case 'none':
      return undefined;
    case 'basic': {
      const credentials = basicCredentials(view.headers.authorization);
      const reason: AuthFailureReason | undefined = !credentials
        ? 'missing'
        : auth.users.get(credentials.user) === credentials.password && auth.users.has(credentials.user)
          ? undefined
          : 'invalid';
      if (!reason) return undefined;
      return failure(reason, { 'WWW-Authenticate': `Basic realm="${auth.realm}"` }, { error: 'unauthorized', error_description: reasonText('credentials', reason) }, auth.unauthorized);
    }
    case 'apiKey': {
      const key = auth.in === 'header' ? view.headers[auth.name] : view.query[auth.name];
      const reason: AuthFailureReason | undefined = key === undefined || key === '' ? 'missing' : auth.keys.has(key) ? undefined : 'invalid';
      if (!reason) return undefined;
      return failure(reason, {}, { error: 'invalid_api_key', error_description: reasonText('API key', reason) }, auth.unauthorized);
    }
    case 'oauth2': {
      const token = findToken(auth.accept, view);
      let reason: AuthFailureReason | undefined;
      if (token === undefined) reason = 'missing';
      else {
        const issued = tokens.get(token);
        if (!issued || issued.endpoint !== auth.endpoint.id) reason = 'invalid';
        else if (now >= issued.expiresAt) reason = 'expired';
      }
      if (!reason) return undefined;
      return failure(
        reason,
        { 'WWW-Authenticate': `Bearer realm="${realm}"${reason === 'missing' ? '' : `, error="invalid_token"`}` },
        { error: 'invalid_token', error_description: reasonText('access token', reason) },
        auth.unauthorized,
      );
    }
  }
}

function failure(reason: AuthFailureReason, headers: Record<string, string>, body: unknown, custom: CompiledResponse | undefined): AuthFailure {
  return { reason, status: 401, headers, body, ...(custom ? { custom } : {}) };
}

function reasonText(what: string, reason: AuthFailureReason): string {
  return reason === 'missing' ? `${what} missing` : reason === 'expired' ? `${what} expired` : `${what} not valid`;
}

export function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The first place the route accepts a token from that holds one. */
function findToken(accept: Extract<CompiledAuth, { kind: 'oauth2' }>['accept'], view: RequestView): string | undefined {
  for (const where of accept) {
    if (where.in === 'header') {
      const value = view.headers[(where.name ?? 'authorization').toLowerCase()];
      if (value === undefined) continue;
      const scheme = where.scheme ?? 'Bearer';
      if (scheme === '') return value.trim();
      const m = /^(\S+)\s+(.+)$/.exec(value.trim());
      if (m && m[1]?.toLowerCase() === scheme.toLowerCase()) return m[2]?.trim();
      continue;
    }
    if (where.in === 'query') {
      const value = view.query[where.name];
      if (value !== undefined && value !== '') return value;
      continue;
    }
    const body = view.body.kind === 'json' || view.body.kind === 'form' ? view.body.value : undefined;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const value = (body as Record<string, unknown>)[where.name];
      if (typeof value === 'string' && value !== '') return value;
    }
  }
  return undefined;
}

export type TokenRequestResult =
  | { ok: true; clientId: string }
  | { ok: false; status: number; body: unknown; custom?: CompiledResponse; headers?: Record<string, string> };

/** Reads a client-credentials token request (JSON or form body; client credentials in the body or Basic). */
export function readTokenRequest(endpoint: TokenEndpoint, view: RequestView): TokenRequestResult {
  const invalidRequest = (description: string): TokenRequestResult => ({ ok: false, status: 400, body: { error: 'invalid_request', error_description: description } });
  let fields: Record<string, unknown> = {};
  switch (view.body.kind) {
    case 'json':
      if (!endpoint.formats.has('json')) return invalidRequest('JSON bodies are not accepted; send application/x-www-form-urlencoded');
      if (!view.body.value || typeof view.body.value !== 'object' || Array.isArray(view.body.value)) return invalidRequest('the body must be a JSON object');
      fields = view.body.value as Record<string, unknown>;
      break;
    case 'form':
      if (!endpoint.formats.has('form')) return invalidRequest('form bodies are not accepted; send application/json');
      fields = view.body.value;
      break;
    case 'invalid-json':
      return invalidRequest('the body is not valid JSON');
    case 'text':
      return invalidRequest(`unsupported body; send ${[...endpoint.formats].map((f) => (f === 'json' ? 'application/json' : 'application/x-www-form-urlencoded')).join(' or ')}`);
    case 'none':
      break;
  }
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const grantType = text(fields.grant_type);
  if (grantType === undefined) return invalidRequest('grant_type is missing');
  if (grantType !== 'client_credentials') return { ok: false, status: 400, body: { error: 'unsupported_grant_type', error_description: `grant_type ${grantType} is not supported; use client_credentials` } };
  const basic = basicCredentials(view.headers.authorization);
  const clientId = text(fields.client_id) ?? basic?.user;
  const secret = text(fields.client_secret) ?? basic?.password;
  if (clientId === undefined || secret === undefined || endpoint.clients.get(clientId) !== secret || !endpoint.clients.has(clientId)) {
    return { ok: false, status: 401, body: { error: 'invalid_client' }, ...(endpoint.invalidClient ? { custom: endpoint.invalidClient } : {}) };
  }
  return { ok: true, clientId };
}
