/**
 * Olingo 2.0.10 verbose JSON (spec §5.3): `{"d":…}` documents with `__metadata`, `__deferred` links,
 * inline expansions, `__count` as a string before `results`, `__next` after it. Written as text so that
 * member order and scalar forms (Int64/Decimal/Double as strings, `\/Date(ms)\/`) are exact.
 */
import { javaDoubleToString } from '../../integration-objects/integration-key.js';
import type { StoredValue } from '../../store/store.js';
import { primitiveValue } from '../entity-values.js';
import type { EdmProperty } from '../metadata.js';
import { NAMESPACE } from '../metadata.js';
import { type EntityNode, type ReadScope, navigate, nodeKey } from './entities.js';
import type { ExpandNode } from './query-options.js';

export interface JsonWriteContext {
  scope: ReadScope;
  /** `https://host/odata2webservices/{IO}` */
  serviceRoot: string;
  language: string;
  /** 2211 writes null properties; 2005 omits them (data-based serialisation). */
  writeNulls: boolean;
}

/** Olingo's URI encoder for key literals: RFC 3986 unreserved and sub-delims stay, the rest is %XX. */
export function encodeKeyForUri(key: string): string {
  return encodeURIComponent(key).replace(/%(2[146789ABC]|3[ABD]|40)/g, (m) => decodeURIComponent(m));
}

export function entityUrl(ctx: JsonWriteContext, node: EntityNode): string {
  const setName = ctx.scope.schema.entitySets.find((s) => s.entityType === `${NAMESPACE}.${node.type.name}`)?.name ?? node.type.name;
  return `${ctx.serviceRoot}/${setName}('${encodeKeyForUri(nodeKey(ctx.scope, node))}')`;
}

/** A scalar as Olingo writes it for its EDM type; undefined when the value is null. */
export function jsonScalar(value: StoredValue | undefined, edmType: string): string | undefined {
  if (value === null || value === undefined || typeof value === 'object') return undefined;
  switch (edmType) {
    case 'Edm.Boolean':
      return typeof value === 'boolean' ? String(value) : String(value === 'true');
    case 'Edm.SByte':
    case 'Edm.Byte':
    case 'Edm.Int16':
    case 'Edm.Int32':
      return typeof value === 'number' ? String(value) : String(Number(value));
    case 'Edm.Int64':
    case 'Edm.Decimal':
      return JSON.stringify(String(value));
    case 'Edm.Double':
    case 'Edm.Single':
      return JSON.stringify(typeof value === 'number' ? javaDoubleToString(value) : String(value));
    case 'Edm.DateTime':
      return `"\\/Date(${typeof value === 'number' ? Math.trunc(value) : String(value)})\\/"`;
    default:
      return JSON.stringify(String(value));
  }
}

/** A property's value on any kind of node (the integrationKey of items is computed). */
export function propertyValue(ctx: JsonWriteContext, node: EntityNode, property: EdmProperty): StoredValue | undefined {
  switch (node.kind) {
    case 'item': {
      if (property.name === 'integrationKey') return nodeKey(ctx.scope, node);
      const attribute = node.item.attributes.find((a) => a.name === property.name && a.kind === 'primitive');
      return attribute ? primitiveValue(node.stored, attribute, ctx.language) : null;
    }
    case 'localized': {
      if (property.name === 'language') return node.language;
      const attribute = node.ownerItem.attributes.find((a) => a.name === property.name && a.localized);
      return attribute ? primitiveValue(node.owner, attribute, node.language) : null;
    }
    case 'value':
      return node.value;
    case 'mapEntry':
      return property.name === 'key' ? node.key : node.value;
  }
}

/** One entry object (without the `{"d":…}` wrapper). */
export function entryJson(ctx: JsonWriteContext, node: EntityNode, expand: ExpandNode): string {
  const url = entityUrl(ctx, node);
  const parts: string[] = [`"__metadata":{"id":${JSON.stringify(url)},"uri":${JSON.stringify(url)},"type":"${NAMESPACE}.${node.type.name}"}`];
  // Entries of Localized___ types are data-based in every profile: null values are left out (B-075).
  const writeNulls = ctx.writeNulls && node.kind !== 'localized';
  for (const property of node.type.properties) {
    const scalar = jsonScalar(propertyValue(ctx, node, property), property.type);
    if (scalar !== undefined) parts.push(`${JSON.stringify(property.name)}:${scalar}`);
    else if (writeNulls) parts.push(`${JSON.stringify(property.name)}:null`);
  }
  for (const navigation of node.type.navigations) {
    const child = expand.children.get(navigation.name);
    if (!child) {
      parts.push(`${JSON.stringify(navigation.name)}:{"__deferred":{"uri":${JSON.stringify(`${url}/${navigation.name}`)}}}`);
      continue;
    }
    const target = navigate(ctx.scope, node, navigation);
    let value: string;
    if (Array.isArray(target)) value = `{"results":[${target.map((t) => entryJson(ctx, t, child)).join(',')}]}`;
    else value = target ? entryJson(ctx, target, child) : 'null';
    parts.push(`${JSON.stringify(navigation.name)}:${value}`);
  }
  return `{${parts.join(',')}}`;
}

export function entryDocument(ctx: JsonWriteContext, node: EntityNode, expand: ExpandNode): string {
  return `{"d":${entryJson(ctx, node, expand)}}`;
}

export function feedDocument(ctx: JsonWriteContext, nodes: EntityNode[], expand: ExpandNode, options: { count?: number; next?: string }): string {
  const parts: string[] = [];
  if (options.count !== undefined) parts.push(`"__count":"${options.count}"`);
  parts.push(`"results":[${nodes.map((n) => entryJson(ctx, n, expand)).join(',')}]`);
  if (options.next !== undefined) parts.push(`"__next":${JSON.stringify(options.next)}`);
  return `{"d":{${parts.join(',')}}}`;
}

/** `…('k')/code` → `{"d":{"code":"p1"}}` (Olingo's simple-property document). */
export function propertyDocument(name: string, scalar: string | undefined): string {
  return `{"d":{${JSON.stringify(name)}:${scalar ?? 'null'}}}`;
}
