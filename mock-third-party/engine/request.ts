/**
 * The view of an HttpRequest that matching, templates and the journal work on: decoded path
 * segments, parsed query, lower-case headers and the parsed body. Parsing never throws.
 */
import type { HttpRequest } from '../../mock-commerce/http/types.js';
import { safeDecode, splitSegments } from './path-template.js';

/**
 * An HttpRequest as the third party receives it. Its `remoteAddress` (node:http, Express) is absent for
 * an in-process caller (msw, direct calls), which counts as local for the admin API.
 */
export type ThirdPartyRequest = HttpRequest;

export type ParsedBody =
  /** No body (or an empty one). */
  | { kind: 'none' }
  | { kind: 'json'; value: unknown; text: string }
  /** Declared (or looking like) JSON but not parseable. */
  | { kind: 'invalid-json'; text: string; error: string }
  | { kind: 'form'; value: Record<string, string | string[]>; text: string }
  | { kind: 'text'; text: string };

export interface RequestView {
  method: string;
  /** Path as received (percent-encoded). */
  path: string;
  /** Decoded segments. */
  segments: string[];
  /** Every value of each query parameter, in order. */
  queryAll: Record<string, string[]>;
  /** First value of each query parameter (repeated ones: an array in `queryJournal`). */
  query: Record<string, string>;
  headers: Record<string, string>;
  body: ParsedBody;
  /** The body as templates and the journal see it: JSON value, form fields, text, or null. */
  bodyValue: unknown;
  rawBody: string;
}

export function viewRequest(request: HttpRequest): RequestView {
  const queryAll: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [k, v] of new URLSearchParams(request.query)) (queryAll[k] ??= []).push(v);
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(queryAll)) query[k] = v[0] ?? '';
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) if (v !== undefined) headers[k.toLowerCase()] = v;
  const body = parseBody(request.body, headers['content-type']);
  return {
    method: request.method.toUpperCase(),
    path: request.path,
    segments: splitSegments(request.path.startsWith('/') ? request.path : `/${request.path}`).map(safeDecode),
    queryAll,
    query,
    headers,
    body,
    bodyValue: bodyValueOf(body),
    rawBody: body.kind === 'none' ? '' : body.text,
  };
}

/** Query as the journal records it: one string, or an array for a repeated parameter. */
export function journalQuery(view: RequestView): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(view.queryAll)) out[k] = v.length === 1 ? (v[0] ?? '') : [...v];
  return out;
}

export function parseBody(body: Buffer | undefined, contentType: string | undefined): ParsedBody {
  if (!body || body.length === 0) return { kind: 'none' };
  const text = body.toString('utf8');
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    const value: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(text)) {
      const prev = value[k];
      value[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return { kind: 'form', value, text };
  }
  const declaredJson = type === 'application/json' || type.endsWith('+json');
  const looksJson = type === '' && /^\s*[[{"]/.test(text);
  if (declaredJson || looksJson) {
    try {
      return { kind: 'json', value: JSON.parse(text) as unknown, text };
    } catch (e) {
      if (declaredJson) return { kind: 'invalid-json', text, error: (e as Error).message };
    }
  }
  return { kind: 'text', text };
}

function bodyValueOf(body: ParsedBody): unknown {
  switch (body.kind) {
    case 'none':
      return null;
    case 'json':
    case 'form':
      return body.value;
    default:
      return body.text;
  }
}
