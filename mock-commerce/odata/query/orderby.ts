/**
 * `$orderby` for OData reads (spec §5.5, help V-GET-16, B-086): `prop [asc|desc]`, comma-separated.
 *
 * - Direct properties only: a primitive attribute, or a single-valued navigation, which orders by the
 *   referenced item's primary key (2211 help: "orders by the primary key"); enumeration values, which
 *   the store keeps as codes, order by their declaration order.
 * - Localized attributes order by their value in `ctx.language`.
 * - Errors, in Olingo's order first (unknown property → 400 "No property …", sort order and separator
 *   syntax, collections), then Commerce's per term: `integrationKey` → 400
 *   `order_by_integration_key_not_supported` "Ordering by integrationKey is not supported!"; a path
 *   `a/b` → 400 `order_by_nested_attribute_not_supported` "Ordering by nested attribute [a/b] is not
 *   supported." (bracket content: the path as written — the help names the code only); functions, `not`,
 *   unary `-` → 500 `unknown_error` (as in `$filter`).
 * - Nulls sort first ascending and last descending: Commerce turns `$orderby` into SQL `ORDER BY`, and
 *   HSQLDB (the local default) and SAP HANA put NULLs first in ascending order.
 * - Ties keep primary-key order (the platform's default order, spec §5.2), in both directions.
 */
import type { IoAttribute } from '../../integration-objects/model.js';
import type { Item } from '../../store/store.js';
import { primitiveValue } from '../entity-values.js';
import { compareIn, domainOf, toDomain, type ComparableValue, type Domain } from './edm-values.js';
import type { QueryContext } from './filter.js';
import { commerceErrors, olingoErrors } from './messages.js';
import { parseOrderByList } from './odata-parser-adapter.js';
import { resolvePath, type PathSegment, type ResolvedPath } from './properties.js';
import { OLINGO_FUNCTIONS, tokenize, type Token } from './tokenizer.js';

export interface OrderByTerm {
  /** A primitive attribute or a single-valued navigation of the item. */
  attribute: IoAttribute;
  descending: boolean;
}


/** Terms handed to odata-parser at a time. */
const LIST_SLICE = 32;

const BINARY_OPERATORS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'add', 'sub', 'mul', 'div', 'mod']);

/** Parses and checks `$orderby` text against `ctx.item`; throws {@link ODataRequestError}. */
export function parseOrderBy(text: string, ctx: QueryContext): OrderByTerm[] {
  if (text.trim() === '') throw olingoErrors.emptyOption('$orderby');
  const tokens = tokenize(text);
  const parsed: { path: ResolvedPath; descending: boolean }[] = [];
  let i = 0;
  for (;;) {
    const t = tokens[i];
    const unary = t?.kind === 'symbol' && t.text === '-';
    if (t?.kind !== 'word' && !unary) throw olingoErrors.invalidOrderBy(text);
    if (unary || t.text === 'not' || (OLINGO_FUNCTIONS.has(t.text) && tokens[i + 1]?.kind === '(')) {
      // Olingo parses these (checking the names in them); Commerce's visitor does not handle them.
      for (const path of pathsIn(tokens.slice(i))) resolvePath(ctx.io, ctx.item, path, text);
      throw commerceErrors.unexpected();
    }
    const segments: PathSegment[] = [{ name: t.text, position: t.position }];
    i++;
    while (tokens[i]?.kind === 'symbol' && tokens[i]!.text === '/' && tokens[i + 1]?.kind === 'word') {
      segments.push({ name: tokens[i + 1]!.text, position: tokens[i + 1]!.position });
      i += 2;
    }
    const path = resolvePath(ctx.io, ctx.item, segments, text);
    let next = tokens[i];
    let descending = false;
    if (next?.kind === 'word' && (next.text === 'asc' || next.text === 'desc')) {
      descending = next.text === 'desc';
      next = tokens[++i];
    } else if (next?.kind === 'word' && BINARY_OPERATORS.has(next.text)) {
      throw olingoErrors.invalidOrderBy(text); // an expression, not a property
    } else if (next && next.kind !== ',') {
      throw olingoErrors.invalidSortOrder(next.position + 1, text);
    }
    parsed.push({ path, descending });
    if (!next) break;
    if (next.kind !== ',') throw olingoErrors.commaOrEndExpected(next.position + 1, text);
    i++;
    if (!tokens[i]) throw olingoErrors.expressionExpectedAfter(next.position + 1, text);
  }

  // odata-parser reads the list, from placeholder names, in slices: its time and stack grow with the length.
  for (let from = 0; from < parsed.length; from += LIST_SLICE) {
    const slice = parsed.slice(from, from + LIST_SLICE);
    const list = parseOrderByList(slice.map((p, n) => `p${n}${p.descending ? ' desc' : ''}`).join(','));
    if (!list || list.length !== slice.length || list.some((term, n) => term.name !== `p${n}` || term.descending !== slice[n]!.descending)) {
      throw olingoErrors.invalidOrderBy(text);
    }
  }

  return parsed.map(({ path, descending }) => {
    const [step] = path.steps;
    if (path.steps.length > 1) throw commerceErrors.nestedOrderBy(path.text);
    if (!step || step.kind === 'integrationKey') throw commerceErrors.integrationKeyOrderBy();
    return { attribute: step.attribute, descending };
  });
}

/** The property paths among tokens (names not followed by `(`, with their `/` continuations). */
function pathsIn(tokens: Token[]): PathSegment[][] {
  const paths: PathSegment[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || tokens[i + 1]?.kind === '(' || t.text === 'not' || BINARY_OPERATORS.has(t.text) || t.text === 'asc' || t.text === 'desc') continue;
    const segments: PathSegment[] = [{ name: t.text, position: t.position }];
    while (tokens[i + 1]?.kind === 'symbol' && tokens[i + 1]!.text === '/' && tokens[i + 2]?.kind === 'word') {
      segments.push({ name: tokens[i + 2]!.text, position: tokens[i + 2]!.position });
      i += 2;
    }
    paths.push(segments);
  }
  return paths;
}

/** Compiles order terms to a comparator over stored items of `ctx.item`'s type. */
export function compileOrderBy(terms: OrderByTerm[], ctx: QueryContext): (a: Item, b: Item) => number {
  const keys = terms.map((term) => ({ ...sortKey(term.attribute, ctx), descending: term.descending }));
  return (a, b) => {
    for (const key of keys) {
      const c = compareNullsFirst(key.domain, key.read(a), key.read(b));
      if (c !== 0) return key.descending ? -c : c;
    }
    return a.pk - b.pk;
  };
}

function compareNullsFirst(domain: Domain, x: ComparableValue, y: ComparableValue): number {
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  const c = compareIn(domain, x, y);
  return Number.isNaN(c) ? 0 : c;
}

function sortKey(attribute: IoAttribute, ctx: QueryContext): { domain: Domain; read: (stored: Item) => ComparableValue } {
  if (attribute.kind === 'primitive' && attribute.edmType) {
    const domain = domainOf(attribute.edmType);
    return { domain, read: (stored) => toDomain(primitiveValue(stored, attribute, ctx.language), domain) };
  }
  const shape = attribute.descriptor?.shape;
  if (shape?.kind === 'enum') {
    const values = ctx.store.typeSystem.enumType(shape.typeCode)?.values ?? [];
    return {
      domain: 'number',
      read: (stored) => {
        const code = stored.values[attribute.qualifier];
        if (typeof code !== 'string') return null;
        const index = values.indexOf(code);
        return index < 0 ? values.length : index;
      },
    };
  }
  // References to items are stored as their pk; type and attribute-descriptor references as their code.
  return {
    domain: shape?.kind === 'type' || shape?.kind === 'attributeDescriptor' ? 'string' : 'number',
    read: (stored) => {
      const v = stored.values[attribute.qualifier];
      return typeof v === 'number' || typeof v === 'string' ? v : null;
    },
  };
}
