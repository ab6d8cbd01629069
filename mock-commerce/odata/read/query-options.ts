/**
 * System query options of a read (spec §5.2–§5.5): split from the raw query string, decoded, checked.
 * `$filter` and `$orderby` stay text here; `odata/query/` parses them against the integration object.
 */
import type { EdmEntityType, EdmSchema } from '../metadata.js';
import { ODataRequestError } from '../odata-error.js';

export type Format = 'json' | 'atom';

export interface ExpandNode {
  /** Navigation property name → what to expand below it. */
  children: Map<string, ExpandNode>;
}

export interface QueryOptions {
  filter?: string;
  orderby?: string;
  top?: number;
  skip?: number;
  skiptoken?: number;
  inlinecount: boolean;
  expand: ExpandNode;
  format?: Format;
  /** The raw `name=value` parts as sent, in order (for `__next`). */
  rawParts: string[];
}

const SYSTEM_OPTIONS = new Set(['$filter', '$orderby', '$top', '$skip', '$skiptoken', '$inlinecount', '$expand', '$select', '$format']);

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ODataRequestError(400, null, `The URI query string '${text}' is not correctly percent-encoded.`);
  }
}

function nonNegativeInteger(name: string, value: string): number {
  if (!/^\d+$/.test(value) || value.length > 10 || Number(value) > 2147483647) {
    throw new ODataRequestError(400, null, `Invalid value '${value}' for system query option ${name}.`);
  }
  return Number(value);
}

/** Parses the query string of a read; throws {@link ODataRequestError} for bad options. */
export function parseQueryOptions(rawQuery: string): Omit<QueryOptions, 'expand'> & { expandText?: string } {
  const rawParts = rawQuery === '' ? [] : rawQuery.split('&').filter((p) => p !== '');
  const seen = new Set<string>();
  const out: Omit<QueryOptions, 'expand'> & { expandText?: string } = { inlinecount: false, rawParts };
  for (const part of rawParts) {
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));
    if (!name.startsWith('$')) continue; // custom query options are allowed and ignored
    if (!SYSTEM_OPTIONS.has(name)) throw new ODataRequestError(400, null, `Invalid system query option: '${name}'.`);
    if (seen.has(name)) throw new ODataRequestError(400, null, `Duplicate system query parameter names: '${name}'.`);
    seen.add(name);
    switch (name) {
      case '$filter':
        out.filter = value;
        break;
      case '$orderby':
        out.orderby = value;
        break;
      case '$top':
        out.top = nonNegativeInteger(name, value);
        break;
      case '$skip':
        out.skip = nonNegativeInteger(name, value);
        break;
      case '$skiptoken':
        if (!/^\d+$/.test(value) || Number(value) > 2147483647) {
          throw new ODataRequestError(400, 'invalid_query_parameter', `The value [${value}] of query parameter [$skiptoken] is invalid.`);
        }
        out.skiptoken = Number(value);
        break;
      case '$inlinecount':
        if (value !== 'allpages' && value !== 'none') throw new ODataRequestError(400, null, `Invalid value '${value}' for system query option $inlinecount.`);
        out.inlinecount = value === 'allpages';
        break;
      case '$expand':
        out.expandText = value;
        break;
      case '$format':
        if (value === 'json') out.format = 'json';
        else if (value === 'atom' || value === 'xml') out.format = 'atom';
        else throw new ODataRequestError(400, null, `Invalid value '${value}' for system query option $format.`);
        break;
      case '$select':
        // Commerce parses $select (Olingo) but returns every property: accepted and ignored.
        if (!/^\s*(\*|[\w/]+(\s*,\s*[\w/]+)*)\s*$/.test(value)) throw new ODataRequestError(400, null, `Invalid value '${value}' for system query option $select.`);
        break;
    }
  }
  if (out.skip !== undefined && out.skiptoken !== undefined) {
    throw new ODataRequestError(400, 'invalid_query_parameter', '[$skip] and [$skiptoken] query parameters cannot be combined in the same get request.');
  }
  return out;
}

/** Parses `$expand=a,a/b,c` into a tree, checking every segment is a navigation property. */
export function parseExpand(text: string | undefined, type: EdmEntityType, schema: EdmSchema): ExpandNode {
  const root: ExpandNode = { children: new Map() };
  if (text === undefined) return root;
  if (text.trim() === '') throw new ODataRequestError(400, null, 'Invalid value for system query option $expand.');
  const types = new Map(schema.entityTypes.map((t) => [t.name, t]));
  for (const path of text.split(',')) {
    let node = root;
    let current = type;
    for (const raw of path.split('/')) {
      const name = raw.trim();
      if (name === '') throw new ODataRequestError(400, null, `Invalid value '${text}' for system query option $expand.`);
      const navigation = current.navigations.find((n) => n.name === name);
      if (!navigation) throw new ODataRequestError(404, null, `Could not find property with name: '${name}'.`);
      let next = node.children.get(name);
      if (!next) node.children.set(name, (next = { children: new Map() }));
      node = next;
      current = types.get(navigation.toEntityType)!;
    }
  }
  return root;
}
