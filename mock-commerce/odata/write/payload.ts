/**
 * Request bodies of writes: JSON (a bare object, or Olingo's `{"d":{…}}` wrapper with `__metadata`
 * members and `@odata.*` annotations tolerated) or an Atom entry, both turned into one plain payload.
 */
import type { EdmEntityType, EdmSchema } from '../metadata.js';
import { ODataRequestError } from '../odata-error.js';

export type PayloadValue = null | string | number | boolean | Payload | PayloadValue[];
export interface Payload {
  [name: string]: PayloadValue;
}

/** Commerce's documented odata_error text (help E10) for payloads that do not fit the EDMX. */
export const ODATA_ERROR_MESSAGE =
  'An error occurred while processing the request. The most likely cause of this error is the formatting of your OData request payload. Please verify the request payload format corresponds to the EDMX metadata for the Entity that you are attempting to create.';

export function malformed(): ODataRequestError {
  return new ODataRequestError(400, 'odata_error', ODATA_ERROR_MESSAGE);
}

/** Nesting deeper than this is refused (no real integration object nests that far). */
const MAX_DEPTH = 64;

function checkDepth(value: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw malformed();
  if (Array.isArray(value)) for (const v of value) checkDepth(v, depth + 1);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) checkDepth(v, depth + 1);
}

/** Removes Olingo/V4 annotations (`__metadata`, `@odata.context`, …) recursively; unwraps `{"results":[…]}`. */
function clean(value: unknown): PayloadValue {
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => k !== '__metadata' && !k.startsWith('@odata.') && k !== '__deferred');
    if (keys.length === 1 && keys[0] === 'results' && Array.isArray(o.results)) return o.results.map(clean);
    const out: Payload = {};
    // defineProperty, so that a `__proto__` member stays data and never changes the object's prototype.
    for (const k of keys) Object.defineProperty(out, k, { value: clean(o[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value as PayloadValue;
}

export function parseJsonPayload(body: Buffer | undefined): Payload {
  if (!body || body.length === 0) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw malformed();
  }
  checkDepth(parsed, 0);
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'd' in parsed && Object.keys(parsed).length === 1) {
    parsed = (parsed as { d: unknown }).d;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw malformed();
  return clean(parsed) as Payload;
}

export type BodyFormat = 'json' | 'atom';

/** The body format from `Content-Type`; anything else is 415 as in Commerce (help E48). */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/atom+xml' || type === 'application/xml') return 'atom';
  throw new ODataRequestError(415, null, `Media type [${type || 'none'}] is not supported.`);
}

export type AtomParser = (xml: string, type: EdmEntityType, schema: EdmSchema) => Payload;

export function parsePayload(body: Buffer | undefined, contentType: string | undefined, type: EdmEntityType, schema: EdmSchema, atom: AtomParser): Payload {
  const format = bodyFormat(contentType);
  if (format === 'json') return parseJsonPayload(body);
  if (!body || body.length === 0) throw malformed();
  return atom(body.toString('utf8'), type, schema);
}
