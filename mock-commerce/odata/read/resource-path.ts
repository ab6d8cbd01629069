/**
 * Parses the resource path after `/odata2webservices/{IO}` into what it addresses, the way Olingo's URI
 * parser does: segments are split on `/` first and percent-decoded one by one (so an encoded `%2F` stays
 * inside its segment), key predicates are OData string literals, and unknown names give Olingo's 404s.
 */
import type { EdmEntityType, EdmNavigation, EdmSchema } from '../metadata.js';
import { ODataRequestError } from '../odata-error.js';

export type ResourcePath =
  | { kind: 'serviceDocument' }
  | { kind: 'metadata' }
  | { kind: 'batch' }
  | EntityResource;

export interface NavigationStep {
  navigation: EdmNavigation;
  /** Key of an entity inside a to-many navigation (`entries('…')`), already decoded once. */
  key?: string;
}

export interface EntityResource {
  kind: 'entities';
  /** The entity set addressed first. */
  setName: string;
  entityType: EdmEntityType;
  /** Key literal of the first segment, decoded once (Olingo) — still carrying the per-value encoding. */
  key?: string;
  navigation: NavigationStep[];
  /** A simple property addressed after the entity (`…('k')/code`). */
  property?: string;
  count: boolean;
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ODataRequestError(400, null, `Could not decode the URI segment '${raw}'.`);
  }
}

/** Splits `Name('key')` / `Name(integrationKey='key')` / `Name`; returns the key literal unquoted. */
function splitKeyed(segment: string): { name: string; key?: string } {
  const open = segment.indexOf('(');
  if (open < 0) return { name: segment };
  if (!segment.endsWith(')')) throw new ODataRequestError(400, null, `Invalid segment '${segment}'.`);
  const name = segment.slice(0, open);
  const predicate = segment.slice(open + 1, -1);
  const named = /^\s*integrationKey\s*=\s*('(?:[^']|'')*')\s*$/.exec(predicate);
  const literal = named ? named[1]! : predicate.trim();
  if (!/^'(?:[^']|'')*'$/.test(literal)) {
    throw new ODataRequestError(400, null, `Invalid key predicate: '${predicate}'.`);
  }
  return { name, key: literal.slice(1, -1).replace(/''/g, "'") };
}

function navigationOf(type: EdmEntityType, name: string): EdmNavigation | undefined {
  return type.navigations.find((n) => n.name === name);
}

/** Parses the path segments after the IO code (raw, percent-encoded). */
export function parseResourcePath(rawSegments: string[], schema: EdmSchema): ResourcePath {
  if (rawSegments.length === 0) return { kind: 'serviceDocument' };
  const segments = rawSegments.map(decodeSegment);
  const first = segments[0]!;
  if (first === '$metadata' && segments.length === 1) return { kind: 'metadata' };
  if (first === '$batch' && segments.length === 1) return { kind: 'batch' };

  const { name: setName, key } = splitKeyed(first);
  const set = schema.entitySets.find((s) => s.name === setName);
  if (!set) throw new ODataRequestError(404, null, `Could not find an entity set or function import for '${setName}'.`);
  const entityType = schema.entityTypes.find((t) => `${'HybrisCommerceOData'}.${t.name}` === set.entityType)!;
  const resource: EntityResource = { kind: 'entities', setName, entityType, ...(key !== undefined ? { key } : {}), navigation: [], count: false };

  let current = entityType;
  let single = key !== undefined;
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment === '$count' && i === segments.length - 1) {
      if (single) throw new ODataRequestError(400, null, `The request URI is not valid: $count cannot follow a single entity.`);
      resource.count = true;
      break;
    }
    if (!single) throw new ODataRequestError(400, null, `The request URI is not valid: '${segment}' must follow a single entity.`);
    const { name, key: navKey } = splitKeyed(segment);
    const navigation = navigationOf(current, name);
    if (!navigation) {
      const property = current.properties.find((p) => p.name === name);
      if (property && navKey === undefined && i === segments.length - 1) {
        resource.property = name;
        break;
      }
      throw new ODataRequestError(404, null, `Could not find property with name: '${name}'.`);
    }
    if (navKey !== undefined && !navigation.many) throw new ODataRequestError(400, null, `Invalid key predicate on single-valued navigation '${name}'.`);
    resource.navigation.push({ navigation, ...(navKey !== undefined ? { key: navKey } : {}) });
    const target = navigationTarget(navigation, current, schemaTypes(schema));
    current = target;
    single = !navigation.many || navKey !== undefined;
  }
  return resource;
}

function schemaTypes(schema: EdmSchema): Map<string, EdmEntityType> {
  return new Map(schema.entityTypes.map((t) => [t.name, t]));
}

function navigationTarget(n: EdmNavigation, from: EdmEntityType, types: Map<string, EdmEntityType>): EdmEntityType {
  const t = types.get(n.toEntityType);
  if (!t) throw new ODataRequestError(500, 'internal_error', `Navigation ${from.name}.${n.name} has no target type.`);
  return t;
}
