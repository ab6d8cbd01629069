/**
 * Reading an entity's values through its integration-object item: the one place that knows how stored
 * values map to OData values (used by `$filter`, `$orderby`, serialisation and keys).
 */
import { integrationKeyValue } from '../integration-objects/integration-key.js';
import type { IntegrationObjectModel, IoAttribute, IoItem } from '../integration-objects/model.js';
import type { Item, ItemStore, StoredValue } from '../store/store.js';

/**
 * An OData primitive value: strings; numbers for Int16/Int32/SByte/Single/Double; booleans; DateTime as
 * epoch millis (number); Int64 and Decimal as decimal strings (exact).
 */
export type PrimitiveValue = string | number | boolean;

/** An entity: a stored item seen through an IO item. */
export interface Entity {
  item: IoItem;
  stored: Item;
}

/** The value of a primitive attribute (localized ones in `language`, falling back to none). */
export function primitiveValue(stored: Item, attribute: IoAttribute, language: string): PrimitiveValue | null {
  const raw = stored.values[attribute.qualifier];
  const v = attribute.localized ? localizedValue(raw, language) : raw;
  if (v === undefined || v === null) return null;
  if (typeof v === 'object') return null;
  return v;
}

function localizedValue(raw: StoredValue | undefined, language: string): StoredValue | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  return raw[language];
}

/** Every language that has a non-null value for some localized attribute of the entity, sorted. */
export function languagesWithValues(stored: Item, item: IoItem): string[] {
  const out = new Set<string>();
  for (const a of item.attributes) {
    if (!a.localized || a.kind !== 'primitive') continue;
    const raw = stored.values[a.qualifier];
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      for (const [lang, v] of Object.entries(raw)) if (v !== null && v !== undefined) out.add(lang);
    }
  }
  return [...out].sort();
}

/**
 * Enumeration values and types are not items of the store (they are stored as their code); seen through
 * an integration object they are entities with a `code` (and, for enum values, a localized `name`).
 * These synthetic items stand for them; negative pks keep them apart from stored items.
 */
const syntheticItems = new Map<string, Item>();
let nextSyntheticPk = -1;

export function codeEntity(typeCode: string, code: string): Item {
  const key = `${typeCode}\u0000${code}`;
  let item = syntheticItems.get(key);
  if (!item) {
    item = { pk: nextSyntheticPk--, typeCode, values: { code } };
    syntheticItems.set(key, item);
  }
  return item;
}

/** The entities of an enumeration type, in declaration order. */
export function enumEntities(store: ItemStore, typeCode: string): Item[] {
  return (store.typeSystem.enumType(typeCode)?.values ?? []).map((code) => codeEntity(typeCode, code));
}

/**
 * An attribute descriptor seen as an entity: `qualifier` and `enclosingType` (a type code, itself read as a
 * ComposedType entity), from the stored `Enclosing:qualifier` form.
 */
export function attributeDescriptorEntity(ref: string): Item {
  const key = `AttributeDescriptor\u0000${ref}`;
  let item = syntheticItems.get(key);
  if (!item) {
    const colon = ref.indexOf(':');
    item = { pk: nextSyntheticPk--, typeCode: 'AttributeDescriptor', values: { qualifier: ref.slice(colon + 1), enclosingType: ref.slice(0, colon), code: ref } };
    syntheticItems.set(key, item);
  }
  return item;
}

/** The item a single-valued navigation points to, or null. */
export function navigationTarget(store: ItemStore, stored: Item, attribute: IoAttribute): Item | null {
  const v = stored.values[attribute.qualifier];
  if (typeof v === 'number') return store.get(v) ?? null;
  if (typeof v === 'string') return referenceEntity(attribute, v);
  return null;
}

function referenceEntity(attribute: IoAttribute, value: string): Item {
  const shape = attribute.descriptor?.shape;
  const element = shape?.kind === 'collection' ? shape.element : shape;
  if (element?.kind === 'attributeDescriptor') return attributeDescriptorEntity(value);
  return codeEntity(element?.kind === 'enum' ? element.typeCode : 'ComposedType', value);
}

/**
 * The items a collection navigation points to, in stored order; dangling references are skipped.
 *
 * The "many" end of a one-to-many relation (e.g. `Order.entries`) is, in Commerce, not stored at all:
 * it is the set of items whose foreign key (`OrderEntry.order`) points here. So for such an end the
 * items found by that key are included (after any stored members, in PK order), whichever end the
 * data was written through.
 */
export function navigationTargets(store: ItemStore, stored: Item, attribute: IoAttribute): Item[] {
  const v = stored.values[attribute.qualifier];
  const out: Item[] = [];
  const relation = attribute.descriptor?.relation;
  if (relation?.many && relation.otherQualifier) {
    const reverse = store.typeSystem.attribute(relation.otherType, relation.otherQualifier);
    if (reverse && !reverse.relation?.many) {
      const seen = new Set<number>();
      for (const pk of Array.isArray(v) ? v : []) {
        const item = typeof pk === 'number' ? store.get(pk) : undefined;
        if (item && !seen.has(item.pk)) {
          seen.add(item.pk);
          out.push(item);
        }
      }
      for (const item of store.find(relation.otherType, { [relation.otherQualifier]: stored.pk }).sort((a, b) => a.pk - b.pk)) {
        if (!seen.has(item.pk)) out.push(item);
      }
      return out;
    }
  }
  if (!Array.isArray(v)) return [];
  for (const x of v) {
    if (typeof x === 'number') {
      const item = store.get(x);
      if (item) out.push(item);
    } else if (typeof x === 'string') out.push(referenceEntity(attribute, x));
  }
  return out;
}

/** The raw values of a primitive collection or map attribute. */
export function collectionValues(stored: Item, attribute: IoAttribute): StoredValue[] | Record<string, StoredValue> | null {
  const v = stored.values[attribute.qualifier];
  if (v === undefined || v === null) return null;
  return v as StoredValue[] | Record<string, StoredValue>;
}

/** The integrationKey of a stored item seen as `item` (language for localized key parts: none exist). */
export function entityKey(io: IntegrationObjectModel, item: IoItem, stored: Item, store: ItemStore): string {
  return integrationKeyValue(io, item, stored, (attribute, from) => {
    if (attribute.kind === 'navigation') return navigationTarget(store, from, attribute);
    return primitiveValue(from, attribute, 'en');
  });
}
