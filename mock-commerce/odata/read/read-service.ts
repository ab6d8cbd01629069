/**
 * OData reads (spec §4, §5): service document, entity sets, single entities, navigations, `$count`,
 * with `$filter`, `$orderby`, `$expand`, paging and `$inlinecount`, in JSON or Atom.
 *
 * A pure function of the parsed request: it reads the store and returns the response; errors are thrown
 * as {@link ODataRequestError} and rendered by the caller.
 */
import type { HttpResponse } from '../../http/types.js';
import type { IntegrationObjectModel, IoItem } from '../../integration-objects/model.js';
import type { Item, ItemStore } from '../../store/store.js';
import type { EdmEntityType, EdmSchema } from '../metadata.js';
import { ODataRequestError } from '../odata-error.js';
import { compileFilter, parseFilter } from '../query/filter.js';
import { compileOrderBy, parseOrderBy } from '../query/orderby.js';
import { atomEntryDocument, atomFeedDocument, atomPropertyDocument, serviceDocumentXml } from './atom.js';
import { type EntityNode, type ReadScope, entitySetItems, entitySetScan, findByKey, itemNode, navigate, nodeKey } from './entities.js';
import { type JsonWriteContext, entryDocument, feedDocument, jsonScalar, propertyDocument } from './json.js';
import { type ExpandNode, type Format, parseExpand, parseQueryOptions } from './query-options.js';
import type { EntityResource } from './resource-path.js';

export interface ReadRequest {
  io: IntegrationObjectModel;
  schema: EdmSchema;
  store: ItemStore;
  profile: '2211' | '2005';
  language: string;
  /** `scheme://host[:port]` */
  origin: string;
  /** The request path as received (percent-encoded). */
  rawPath: string;
  rawQuery: string;
  accept: string | undefined;
  pageSizeDefault: number;
  pageSizeMax: number;
  defaultItemTypeMatch: string;
  /** For Atom `<updated>`: the sandbox clock. */
  now: number;
  /** Called with every entity type the read touches (target and expanded), for type-level access rights. */
  checkRead?: (typeCode: string) => void;
}

const JSON_HEADERS = { 'Content-Type': 'application/json', DataServiceVersion: '2.0' };

export function chooseFormat(accept: string | undefined, format: Format | undefined): Format {
  if (format) return format;
  const a = (accept ?? '').toLowerCase();
  if (a.includes('application/json')) return 'json';
  // Olingo's default for entities without a JSON Accept header is Atom.
  return 'atom';
}

export function serviceDocument(request: Pick<ReadRequest, 'schema' | 'origin' | 'io' | 'accept'>): HttpResponse {
  const names = request.schema.entitySets.map((s) => s.name);
  if ((request.accept ?? '').toLowerCase().includes('application/json')) {
    return { status: 200, headers: { 'Content-Type': 'application/json', DataServiceVersion: '1.0' }, body: JSON.stringify({ d: { EntitySets: names } }) };
  }
  const contentType = (request.accept ?? '').toLowerCase().includes('application/xml') ? 'application/xml;charset=utf-8' : 'application/atomsvc+xml;charset=utf-8';
  return {
    status: 200,
    headers: { 'Content-Type': contentType, DataServiceVersion: '1.0' },
    body: serviceDocumentXml(`${request.origin}/odata2webservices/${request.io.code}/`, names),
  };
}

interface Target {
  single?: EntityNode;
  many?: EntityNode[];
  type: EdmEntityType;
  /** Whether the many-valued target is an entity set (not a navigation). */
  isSet: boolean;
  /** A whole entity set, read lazily (no copy) unless filtering or ordering needs every item. */
  setItem?: IoItem;
}

export function executeRead(request: ReadRequest, resource: EntityResource): HttpResponse {
  const scope: ReadScope = { io: request.io, schema: request.schema, store: request.store, defaultItemTypeMatch: request.defaultItemTypeMatch };
  const options = parseQueryOptions(request.rawQuery);
  const format = chooseFormat(request.accept, options.format);
  const target = resolveTarget(scope, resource);
  const expand = parseExpand(options.expandText, target.type, request.schema);
  if (request.checkRead) {
    // The entity set's type and every type on the way (V-GET-24: `Orders('o')/entries` needs OrderEntry).
    const types = new Set([resource.entityType.item?.typeCode, ...resource.navigation.map((s) => typeOfNavigation(scope, s.navigation.toEntityType)), ...touchedTypes(scope, target.type, expand)]);
    for (const typeCode of types) if (typeCode && !scope.store.typeSystem.enumType(typeCode)) request.checkRead(typeCode);
  }

  const serviceRoot = `${request.origin}/odata2webservices/${request.io.code}`;
  const json: JsonWriteContext = { scope, serviceRoot, language: request.language, writeNulls: request.profile === '2211' };
  const headers = (h: Record<string, string>): Record<string, string> => ({ ...h, 'Content-Language': request.language });

  if (resource.property !== undefined) {
    const node = target.single!;
    const property = node.type.properties.find((p) => p.name === resource.property)!;
    const value = node.kind === 'item' ? readProperty(json, node, property.name) : undefined;
    if (format === 'json') return { status: 200, headers: headers(JSON_HEADERS), body: propertyDocument(property.name, jsonScalar(value, property.type)) };
    return { status: 200, headers: headers({ 'Content-Type': 'application/xml;charset=utf-8', DataServiceVersion: '1.0' }), body: atomPropertyDocument(property, value) };
  }

  if (target.single) {
    if (format === 'json') return { status: 200, headers: headers(JSON_HEADERS), body: entryDocument(json, target.single, expand) };
    return {
      status: 200,
      headers: headers({ 'Content-Type': 'application/atom+xml;type=entry;charset=utf-8', DataServiceVersion: '2.0' }),
      body: atomEntryDocument(json, target.single, expand, request.now),
    };
  }

  const pageSize = Math.min(options.top ?? request.pageSizeDefault, request.pageSizeMax);
  const skip = options.skip ?? options.skiptoken ?? 0;
  const scan = target.setItem && options.orderby === undefined ? entitySetScan(scope, target.setItem) : undefined;
  let total: number;
  let page: EntityNode[];
  if (scan && options.filter === undefined) {
    // The common unfiltered page: count from the store, walk to the page, copy only the page.
    total = scan.count;
    page = resource.count ? [] : scan.page(skip, pageSize).map((stored) => itemNode(scope, target.type, stored));
  } else if (scan && options.filter !== undefined && target.type.item) {
    // A filtered entity set in store (= PK) order: only matches become nodes, and when no count is
    // asked for ($inlinecount, /$count) the walk stops at the first match past the page (which tells
    // whether there is a next page) — a page costs the same whatever the size of the set.
    const predicate = filterPredicate(request, target.type.item, options.filter);
    const wantsTotal = resource.count || options.inlinecount;
    const end = skip + pageSize;
    page = [];
    let matches = 0;
    for (const stored of scan.items()) {
      if (!predicate(stored)) continue;
      if (matches >= skip && matches < end) page.push(itemNode(scope, target.type, stored));
      matches++;
      if (!wantsTotal && matches > end) break;
    }
    total = matches;
  } else {
    let stored = target.setItem ? entitySetItems(scope, target.setItem) : undefined;
    let remaining = options;
    if (stored && options.filter !== undefined && target.type.item) {
      // Filter the stored items before they become nodes: only matches are wrapped and sorted.
      stored = stored.filter(filterPredicate(request, target.type.item, options.filter));
      remaining = { ...options, filter: undefined };
    }
    const all = target.many ?? (stored ? stored.map((s) => itemNode(scope, target.type, s)) : []);
    const nodes = applyQuery(request, target, remaining, all);
    total = nodes.length;
    page = nodes.slice(skip, skip + pageSize);
  }
  if (resource.count) {
    return { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8', DataServiceVersion: '2.0' }, body: String(total) };
  }
  const next = total > skip + pageSize ? nextLink(request, options.rawParts, skip + pageSize) : undefined;
  const count = options.inlinecount ? total : undefined;
  if (format === 'json') {
    return {
      status: 200,
      headers: headers(JSON_HEADERS),
      body: feedDocument(json, page, expand, { ...(count !== undefined ? { count } : {}), ...(next ? { next } : {}) }),
    };
  }
  return {
    status: 200,
    headers: headers({ 'Content-Type': 'application/atom+xml;type=feed;charset=utf-8', DataServiceVersion: '2.0' }),
    body: atomFeedDocument(json, {
      setName: target.isSet ? resource.setName : lastNavigationName(resource),
      selfHref: request.rawPath.slice(`/odata2webservices/${request.io.code}/`.length),
      nodes: page,
      expand,
      now: request.now,
      ...(count !== undefined ? { count } : {}),
      ...(next ? { next } : {}),
    }),
  };
}

function filterPredicate(request: ReadRequest, item: NonNullable<EdmEntityType['item']>, filter: string): (stored: Item) => boolean {
  const queryContext = { io: request.io, item, store: request.store, language: request.language, profile: request.profile };
  return compileFilter(parseFilter(filter, queryContext), queryContext);
}

/** `$filter` then `$orderby` over item nodes (other nodes are returned as they are). */
function applyQuery(request: ReadRequest, target: Target, options: ReturnType<typeof parseQueryOptions>, input: EntityNode[]): EntityNode[] {
  let nodes = input;
  if (!target.type.item || !nodes.every((n) => n.kind === 'item')) return nodes;
  const queryContext = { io: request.io, item: target.type.item, store: request.store, language: request.language, profile: request.profile };
  if (options.filter !== undefined) {
    const predicate = compileFilter(parseFilter(options.filter, queryContext), queryContext);
    nodes = nodes.filter((n) => predicate((n as { stored: Item }).stored));
  }
  if (options.orderby !== undefined) {
    const compare = compileOrderBy(parseOrderBy(options.orderby, queryContext), queryContext);
    nodes = [...nodes].sort((a, b) => compare((a as { stored: Item }).stored, (b as { stored: Item }).stored));
  }
  return nodes;
}

function lastNavigationName(resource: EntityResource): string {
  return resource.navigation[resource.navigation.length - 1]?.navigation.name ?? resource.setName;
}

function readProperty(ctx: JsonWriteContext, node: Extract<EntityNode, { kind: 'item' }>, name: string) {
  if (name === 'integrationKey') return nodeKey(ctx.scope, node);
  const attribute = node.item.attributes.find((a) => a.name === name);
  if (!attribute) return null;
  const raw = node.stored.values[attribute.qualifier];
  if (attribute.localized && raw && typeof raw === 'object' && !Array.isArray(raw)) return raw[ctx.language] ?? null;
  return raw ?? null;
}

/** `__next`: the request URI with `$skip`/`$skiptoken` removed and `$skiptoken={skip+top}` appended. */
function nextLink(request: ReadRequest, rawParts: string[], skiptoken: number): string {
  const kept = rawParts.filter((p) => {
    const name = p.split('=')[0]!;
    return name !== '$skip' && name !== '$skiptoken' && name !== '%24skip' && name !== '%24skiptoken';
  });
  return `${request.origin}${request.rawPath}?${[...kept, `$skiptoken=${skiptoken}`].join('&')}`;
}

function resolveTarget(scope: ReadScope, resource: EntityResource): Target {
  const setType = resource.entityType;
  let single: EntityNode | undefined;
  let many: EntityNode[] | undefined;
  let type = setType;
  let isSet = true;
  if (resource.key !== undefined) {
    if (!setType.item) throw new ODataRequestError(404, 'not_found', `[${setType.name}] with integration key [${resource.key}] was not found.`);
    single = itemNode(scope, setType, findByKey(scope, setType.item, resource.key));
  } else if (setType.item) {
    if (resource.navigation.length === 0) return { type: setType, isSet: true, setItem: setType.item };
    many = entitySetItems(scope, setType.item).map((stored) => itemNode(scope, setType, stored));
  } else {
    many = []; // Localized___, primitive-collection and map sets hold no entries of their own
  }
  for (const step of resource.navigation) {
    const from = single!;
    const result = navigate(scope, from, step.navigation);
    type = scope.schema.entityTypes.find((t) => t.name === step.navigation.toEntityType)!;
    isSet = false;
    if (Array.isArray(result)) {
      if (step.key !== undefined) {
        const match = result.find((n) => nodeKey(scope, n) === step.key);
        if (!match) throw new ODataRequestError(404, 'not_found', `[${type.name}] with integration key [${step.key}] was not found.`);
        single = match;
        many = undefined;
      } else {
        single = undefined;
        many = result;
      }
    } else if (result === null) {
      const ownerKey = nodeKey(scope, from);
      throw new ODataRequestError(404, 'not_found', `[${from.type.name}] with integration key [${ownerKey}] has no [${step.navigation.name}].`);
    } else {
      single = result;
      many = undefined;
    }
  }
  return { ...(single ? { single } : {}), ...(many ? { many } : {}), type, isSet };
}

function typeOfNavigation(scope: ReadScope, entityTypeName: string): string | undefined {
  return scope.schema.entityTypes.find((t) => t.name === entityTypeName)?.item?.typeCode;
}

/** Platform types of the target and of every expanded navigation (type-level read rights, B-089). */
function touchedTypes(scope: ReadScope, type: EdmEntityType, expand: ExpandNode): string[] {
  const out = new Set<string>();
  const ts = scope.store.typeSystem;
  const visit = (t: EdmEntityType, node: ExpandNode): void => {
    // Enumeration values are read as part of their owner; rights are granted on item types.
    if (t.item && !ts.enumType(t.item.typeCode)) out.add(t.item.typeCode);
    for (const [name, child] of node.children) {
      const navigation = t.navigations.find((n) => n.name === name)!;
      const target = scope.schema.entityTypes.find((e) => e.name === navigation.toEntityType);
      if (target) visit(target, child);
    }
  };
  visit(type, expand);
  return [...out];
}
