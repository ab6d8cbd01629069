/**
 * The entities a read addresses, as nodes the serialisers can write: items seen through an IO item,
 * `Localized___X` entries (one per language), primitive-collection values and map entries. Also the
 * lookups that produce them: entity sets (with item-type matching), keys, navigations.
 */
import { IntegrationKeyError, parseIntegrationKey } from '../../integration-objects/integration-key.js';
import type { IntegrationObjectModel, IoAttribute, IoItem } from '../../integration-objects/model.js';
import { itemByCode } from '../../integration-objects/model.js';
import type { Item, ItemStore, StoredValue } from '../../store/store.js';
import type { TypeSystem } from '../../types/type-system.js';
import {
  collectionValues,
  enumEntities,
  entityKey,
  languagesWithValues,
  navigationTarget,
  navigationTargets,
} from '../entity-values.js';
import type { EdmEntityType, EdmNavigation, EdmSchema } from '../metadata.js';
import { ODataRequestError } from '../odata-error.js';

export type EntityNode =
  | { kind: 'item'; type: EdmEntityType; item: IoItem; stored: Item }
  | { kind: 'localized'; type: EdmEntityType; ownerItem: IoItem; owner: Item; language: string }
  | { kind: 'value'; type: EdmEntityType; value: StoredValue }
  | { kind: 'mapEntry'; type: EdmEntityType; key: string; value: StoredValue };

export interface ReadScope {
  io: IntegrationObjectModel;
  schema: EdmSchema;
  store: ItemStore;
  /** Global default of `integrationservices.flexsearch.itemtypematch`. */
  defaultItemTypeMatch: string;
}

export function typeByName(scope: ReadScope, name: string): EdmEntityType {
  const t = scope.schema.entityTypes.find((e) => e.name === name);
  if (!t) throw new ODataRequestError(500, 'internal_error', `Entity type ${name} is missing from the schema.`);
  return t;
}

/** Per IO item: the matching types for a type system and default match (neither changes at run time). */
const matchingTypesCache = new WeakMap<IoItem, { ts: TypeSystem; defaultMatch: string; types: string[] }>();

/** The platform types whose items an IO item reads, per its itemTypeMatch (2211 help B-018). */
function matchingTypes(scope: ReadScope, item: IoItem): string[] {
  const ts = scope.store.typeSystem;
  const cached = matchingTypesCache.get(item);
  if (cached && cached.ts === ts && cached.defaultMatch === scope.defaultItemTypeMatch) return cached.types;
  const types = itemTypeMatchTypes(ts, item, scope.defaultItemTypeMatch);
  matchingTypesCache.set(item, { ts, defaultMatch: scope.defaultItemTypeMatch, types });
  return types;
}

/**
 * The platform types an IO item finds items of, per its itemTypeMatch (or the global default), for reads
 * and writes alike (help B-018): abstract and enum types always use ALL_SUBTYPES; RESTRICT_TO_ITEM_TYPE
 * the exact type; ALL_SUBTYPES the type and its subtypes; ALL_SUB_AND_SUPER_TYPES adds the supertypes.
 */
export function itemTypeMatchTypes(ts: TypeSystem, item: IoItem, defaultMatch: string): string[] {
  const match = item.itemTypeMatch ?? defaultMatch;
  if (ts.composedType(item.typeCode)?.abstract || ts.enumType(item.typeCode)) return ts.typeAndSubtypes(item.typeCode);
  switch (match) {
    case 'RESTRICT_TO_ITEM_TYPE':
      return [item.typeCode];
    case 'ALL_SUBTYPES':
      return ts.typeAndSubtypes(item.typeCode);
    default:
      return [...ts.typeAndSubtypes(item.typeCode), ...ts.supertypeChain(item.typeCode).slice(1)];
  }
}

/** Every stored item an IO item's entity set holds, in PK order. */
export function entitySetItems(scope: ReadScope, item: IoItem): Item[] {
  const ts = scope.store.typeSystem;
  if (ts.enumType(item.typeCode)) return enumEntities(scope.store, item.typeCode);
  const out: Item[] = [];
  let typesWithItems = 0;
  for (const code of matchingTypes(scope, item)) {
    const before = out.length;
    for (const i of scope.store.all(code, { subtypes: false })) out.push(i);
    if (out.length > before) typesWithItems++;
  }
  if (typesWithItems > 1) out.sort((a, b) => a.pk - b.pk);
  return out;
}

/**
 * A scan over an entity set that neither copies nor sorts it: available when the set's items all come
 * from one platform type (the usual case), so store order is PK order. Undefined otherwise.
 */
export function entitySetScan(scope: ReadScope, item: IoItem): { count: number; page(skip: number, take: number): Item[]; items(): Iterable<Item> } | undefined {
  const ts = scope.store.typeSystem;
  if (ts.enumType(item.typeCode)) return undefined;
  const populated = matchingTypes(scope, item).filter((code) => scope.store.count(code, { subtypes: false }) > 0);
  if (populated.length > 1) return undefined;
  const code = populated[0];
  return {
    count: code === undefined ? 0 : scope.store.count(code, { subtypes: false }),
    page(skip: number, take: number): Item[] {
      const out: Item[] = [];
      if (code === undefined || take <= 0) return out;
      let index = 0;
      for (const stored of scope.store.all(code, { subtypes: false })) {
        if (index++ < skip) continue;
        out.push(stored);
        if (out.length >= take) break;
      }
      return out;
    },
    items(): Iterable<Item> {
      return code === undefined ? [] : scope.store.all(code, { subtypes: false });
    },
  };
}

export function itemNode(scope: ReadScope, type: EdmEntityType, stored: Item): EntityNode {
  return { kind: 'item', type, item: type.item!, stored };
}

/**
 * Finds the item with a given integrationKey (decoded once, as it comes from the URL). Throws 400
 * invalid_key for a malformed key and 404 not_found when nothing matches.
 */
export function findByKey(scope: ReadScope, item: IoItem, key: string): Item {
  let parts;
  try {
    parts = parseIntegrationKey(key, scope.io, item);
  } catch (e) {
    if (e instanceof IntegrationKeyError) {
      throw new ODataRequestError(
        400,
        'invalid_key',
        `The integration key [${key}] is invalid. Please consult the IntegrationKey definition of [${item.code}] for configuration details.`,
      );
    }
    throw e;
  }
  const values = new Map(parts.map((p) => [p.part.segment, p.value]));
  const found = resolveByKeyParts(scope, item, values, [], key);
  if (!found) throw new ODataRequestError(404, 'not_found', `[${item.code}] with integration key [${key}] was not found.`);
  return found;
}

/** Key parts whose path starts with `prefix` identify `item`; resolve its criteria and look it up. */
function resolveByKeyParts(scope: ReadScope, item: IoItem, values: Map<string, string | null>, prefix: IoAttribute[], key: string): Item | null {
  const ts = scope.store.typeSystem;
  if (ts.enumType(item.typeCode)) {
    const code = values.get(`${item.code}_code`);
    return code ? (enumEntities(scope.store, item.typeCode).find((e) => e.values.code === code) ?? null) : null;
  }
  const criteria: Record<string, StoredValue> = {};
  let allNull = true;
  for (const attribute of item.attributes) {
    if (!attribute.unique) continue;
    if (attribute.kind === 'primitive') {
      const raw = values.get(`${item.code}_${attribute.name}`) ?? null;
      if (raw !== null) allNull = false;
      criteria[attribute.qualifier] = raw === null ? null : keyValue(raw, attribute, item, key);
    } else if (attribute.kind === 'navigation' && !attribute.collection && attribute.returnItem) {
      const target = itemByCode(scope.io, attribute.returnItem);
      if (!target) continue;
      const referenced = resolveByKeyParts(scope, target, values, [...prefix, attribute], key);
      if (referenced === undefined) continue;
      if (referenced !== null) allNull = false;
      if (referenced === null && hasNonNullPart(scope, target, values)) return null; // referenced item does not exist
      criteria[attribute.qualifier] = referenced === null ? null : typeof referenced.values.code === 'string' && referenced.pk < 0 ? referenced.values.code : referenced.pk;
    }
  }
  if (allNull && prefix.length > 0) return null;
  for (const code of matchingTypes(scope, item)) {
    const found = scope.store.find(code, criteria, { subtypes: false });
    if (found.length > 0) return found[0]!;
  }
  return null;
}

function hasNonNullPart(scope: ReadScope, item: IoItem, values: Map<string, string | null>): boolean {
  const prefix = `${item.code}_`;
  for (const [segment, value] of values) if (segment.startsWith(prefix) && value !== null) return true;
  void scope;
  return false;
}

/** Converts a key part to the stored form of its attribute; a part that cannot be converted → invalid_key. */
function keyValue(raw: string, attribute: IoAttribute, item: IoItem, key: string): StoredValue {
  const invalid = (): never => {
    throw new ODataRequestError(
      400,
      'invalid_key',
      `The integration key [${key}] is invalid. Please consult the IntegrationKey definition of [${item.code}] for configuration details.`,
    );
  };
  switch (attribute.edmType) {
    case 'Edm.Boolean':
      return raw === 'true' ? true : raw === 'false' ? false : invalid();
    case 'Edm.SByte':
    case 'Edm.Int16':
    case 'Edm.Int32':
      return /^[+-]?\d+$/.test(raw) ? Number(raw) : invalid();
    case 'Edm.Int64':
      return /^[+-]?\d+$/.test(raw) ? BigInt(raw).toString() : invalid();
    case 'Edm.Decimal':
      return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(raw) ? raw : invalid();
    case 'Edm.Double':
    case 'Edm.Single':
      return Number.isNaN(Number(raw)) || raw.trim() === '' ? invalid() : Number(raw);
    case 'Edm.DateTime':
      return /^-?\d+$/.test(raw) ? Number(raw) : invalid();
    default:
      return raw;
  }
}

/** Follows one navigation from an entity: a single node (or null) or a list. */
export function navigate(scope: ReadScope, from: EntityNode, navigation: EdmNavigation): EntityNode | EntityNode[] | null {
  if (from.kind !== 'item') return navigation.many ? [] : null;
  const target = typeByName(scope, navigation.toEntityType);
  if (!navigation.attribute) {
    // localizedAttributes: one entry per language that has a value.
    return languagesWithValues(from.stored, from.item).map((language) => ({ kind: 'localized', type: target, ownerItem: from.item, owner: from.stored, language }));
  }
  const attribute = navigation.attribute;
  if (attribute.kind === 'primitiveCollection') {
    const v = collectionValues(from.stored, attribute);
    return Array.isArray(v) ? v.map((value) => ({ kind: 'value' as const, type: target, value })) : [];
  }
  if (attribute.kind === 'map') {
    const v = collectionValues(from.stored, attribute);
    return v && !Array.isArray(v) ? Object.entries(v).map(([key, value]) => ({ kind: 'mapEntry' as const, type: target, key, value })) : [];
  }
  if (navigation.many) return navigationTargets(scope.store, from.stored, attribute).map((stored) => itemNode(scope, target, stored));
  const stored = navigationTarget(scope.store, from.stored, attribute);
  return stored ? itemNode(scope, target, stored) : null;
}

/**
 * Integration keys already computed, per store, IO item and stored item. A key depends on the item and
 * on the items its key navigates to, so the whole cache is dropped whenever the store's generation moves
 * (any write, rollback or restore).
 */
const keyCaches = new WeakMap<ItemStore, { generation: number; byIoItem: WeakMap<IoItem, WeakMap<Item, string>> }>();

function cachedEntityKey(scope: ReadScope, item: IoItem, stored: Item): string {
  const store = scope.store;
  let cache = keyCaches.get(store);
  if (!cache || cache.generation !== store.generation) keyCaches.set(store, (cache = { generation: store.generation, byIoItem: new WeakMap() }));
  let perItem = cache.byIoItem.get(item);
  if (!perItem) cache.byIoItem.set(item, (perItem = new WeakMap()));
  let key = perItem.get(stored);
  if (key === undefined) perItem.set(stored, (key = entityKey(scope.io, item, stored, store)));
  return key;
}

/** The key that addresses a node in its own entity set. */
export function nodeKey(scope: ReadScope, node: EntityNode): string {
  switch (node.kind) {
    case 'item':
      return cachedEntityKey(scope, node.item, node.stored);
    case 'localized':
      return node.language;
    case 'value':
      return String(node.value);
    case 'mapEntry':
      return node.key;
  }
}
