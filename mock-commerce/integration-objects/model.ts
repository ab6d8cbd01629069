/**
 * The integration-object model: IntegrationObject → items → attributes with their effective flags
 * (spec §2.2), read from the IntegrationObject* items in the store and the type system.
 *
 * One source of truth: `$metadata`, reads, writes and outbound payloads are all driven by this model.
 */
import type { Item, ItemStore, Pk } from '../store/store.js';
import type { AttributeDescriptor, TypeSystem, ValueShape } from '../types/type-system.js';

export type EdmPrimitive =
  | 'Edm.String'
  | 'Edm.Boolean'
  | 'Edm.SByte'
  | 'Edm.Int16'
  | 'Edm.Int32'
  | 'Edm.Int64'
  | 'Edm.Single'
  | 'Edm.Double'
  | 'Edm.Decimal'
  | 'Edm.DateTime';

/** Java class → EDM type, as Commerce's schema generator maps atomic types (spec §3.3). */
const EDM_BY_JAVA: Record<string, EdmPrimitive> = {
  'java.lang.String': 'Edm.String',
  'java.lang.Character': 'Edm.String',
  'java.math.BigInteger': 'Edm.String',
  'java.lang.Object': 'Edm.String',
  'java.lang.Boolean': 'Edm.Boolean',
  'java.lang.Byte': 'Edm.SByte',
  'java.lang.Short': 'Edm.Int16',
  'java.lang.Integer': 'Edm.Int32',
  'java.lang.Long': 'Edm.Int64',
  'java.lang.Float': 'Edm.Single',
  'java.lang.Double': 'Edm.Double',
  'java.math.BigDecimal': 'Edm.Decimal',
  'java.util.Date': 'Edm.DateTime',
};

export function edmTypeOf(javaClass: string): EdmPrimitive | undefined {
  return EDM_BY_JAVA[javaClass];
}

/** What an IO attribute is on the wire. */
export type IoAttributeKind =
  /** An EDM primitive property (possibly language-dependent). */
  | 'primitive'
  /** A navigation property to another IO item (single-valued or a collection). */
  | 'navigation'
  /** A collection of primitives: navigation to a synthetic `String`/`Integer`/… entity keyed by `value`. */
  | 'primitiveCollection'
  /** A non-localized map: navigation to a synthetic entity named after the map type, keyed by `key`. */
  | 'map';

export interface IoAttribute {
  /** The name on the wire (IntegrationObjectItemAttribute.attributeName). */
  name: string;
  /** The platform attribute it maps to (`enclosingType:qualifier`); several names may share one. */
  qualifier: string;
  enclosingType: string;
  descriptor?: AttributeDescriptor;
  kind: IoAttributeKind;
  /** EDM type of a primitive, or of the element of a primitive collection / the value of a map. */
  edmType?: EdmPrimitive;
  /** Java class of a primitive (or of a primitive collection element), e.g. `java.lang.String`. */
  javaClass?: string;
  /** The IO item code of a navigation target (returnIntegrationObjectItem). */
  returnItem?: string;
  /** Type code of a map attribute (names the synthetic entity type). */
  mapType?: string;
  /** Key/value Java classes of a map. */
  mapKeyJavaClass?: string;
  mapValueJavaClass?: string;
  collection: boolean;
  localized: boolean;
  /** IO flag OR type-system flag (spec §2.2). */
  unique: boolean;
  /** Type-system `optional` OR a default value; true when there is no descriptor. */
  nullable: boolean;
  partOf: boolean;
  /** IO `autoCreate` OR partOf. */
  autoCreate: boolean;
  /** Problems found while building, reported by schema validation. */
  problem?: string;
  /** Stable order: creation order of the attribute items. */
  pk: Pk;
}

export interface IoItem {
  code: string;
  typeCode: string;
  root: boolean;
  itemTypeMatch?: string;
  attributes: IoAttribute[];
  pk: Pk;
}

export interface IntegrationObjectModel {
  code: string;
  integrationType: string;
  items: IoItem[];
  pk: Pk;
}

export const IO_TYPES = new Set(['IntegrationObject', 'IntegrationObjectItem', 'IntegrationObjectItemAttribute']);

function str(item: Item, q: string): string | undefined {
  const v = item.values[q];
  return typeof v === 'string' ? v : undefined;
}

/** Reads one integration object from the store; undefined when no IntegrationObject has that code. */
export function readIntegrationObject(store: ItemStore, code: string): IntegrationObjectModel | undefined {
  const ioItem = store.find('IntegrationObject', { code })[0];
  if (!ioItem) return undefined;
  const ts = store.typeSystem;
  const itemRows = store.find('IntegrationObjectItem', { integrationObject: ioItem.pk }).sort((a, b) => a.pk - b.pk);
  const codeByPk = new Map(itemRows.map((i) => [i.pk, str(i, 'code') ?? '']));
  const items = itemRows.map((row): IoItem => {
    const attributeRows = store.find('IntegrationObjectItemAttribute', { integrationObjectItem: row.pk }).sort((a, b) => a.pk - b.pk);
    const itemTypeMatch = str(row, 'itemTypeMatch');
    return {
      code: str(row, 'code') ?? '',
      typeCode: str(row, 'type') ?? '',
      root: row.values.root === true,
      ...(itemTypeMatch ? { itemTypeMatch } : {}),
      attributes: attributeRows.map((a) => buildAttribute(ts, a, codeByPk)),
      pk: row.pk,
    };
  });
  return { code, integrationType: str(ioItem, 'integrationType') ?? 'INBOUND', items, pk: ioItem.pk };
}

function buildAttribute(ts: TypeSystem, row: Item, codeByPk: Map<Pk, string>): IoAttribute {
  const name = str(row, 'attributeName') ?? '';
  const ref = str(row, 'attributeDescriptor') ?? '';
  const colon = ref.indexOf(':');
  const enclosingType = colon < 0 ? '' : ref.slice(0, colon);
  const qualifier = colon < 0 ? ref : ref.slice(colon + 1);
  const descriptor = ts.attribute(enclosingType, qualifier);
  const returnPk = row.values.returnIntegrationObjectItem;
  const returnItem = typeof returnPk === 'number' ? codeByPk.get(returnPk) : undefined;
  const ioUnique = row.values.unique === true;
  const ioAutoCreate = row.values.autoCreate === true;
  const base = {
    name,
    qualifier,
    enclosingType,
    ...(descriptor ? { descriptor } : {}),
    ...(returnItem ? { returnItem } : {}),
    unique: ioUnique || (descriptor?.unique ?? false),
    nullable: descriptor ? descriptor.optional || descriptor.defaultValue !== undefined : true,
    partOf: descriptor?.partOf ?? false,
    pk: row.pk,
  };
  const autoCreate = ioAutoCreate || base.partOf;
  if (!descriptor) {
    return { ...base, kind: 'primitive', collection: false, localized: false, autoCreate, problem: `attribute descriptor [${ref}] does not exist` };
  }
  return { ...base, ...classify(descriptor.shape, returnItem, `${enclosingType}.${qualifier}`), autoCreate };
}

type Classified = Pick<IoAttribute, 'kind' | 'collection' | 'localized' | 'edmType' | 'javaClass' | 'mapType' | 'mapKeyJavaClass' | 'mapValueJavaClass' | 'problem'>;

function classify(shape: ValueShape, returnItem: string | undefined, where: string): Classified {
  switch (shape.kind) {
    case 'atomic':
      return primitive(shape.javaClass, false, where);
    case 'localized':
      if (shape.value.kind === 'atomic') return primitive(shape.value.javaClass, true, where);
      return { kind: 'navigation', collection: false, localized: true, problem: `localized reference attribute [${where}] is not supported` };
    case 'item':
    case 'enum':
    case 'type':
    case 'attributeDescriptor':
      return {
        kind: 'navigation',
        collection: false,
        localized: false,
        ...(returnItem ? {} : { problem: `attribute [${where}] refers to an item but has no returnIntegrationObjectItem` }),
      };
    case 'collection': {
      const el = shape.element;
      if (el.kind === 'atomic') {
        const edmType = edmTypeOf(el.javaClass);
        return {
          kind: 'primitiveCollection',
          collection: true,
          localized: false,
          javaClass: el.javaClass,
          ...(edmType ? { edmType } : { problem: `Can't map given platform type [${el.javaClass}] of [${where}]` }),
        };
      }
      return {
        kind: 'navigation',
        collection: true,
        localized: false,
        ...(returnItem ? {} : { problem: `collection attribute [${where}] has no returnIntegrationObjectItem` }),
      };
    }
    case 'map': {
      const keyClass = shape.key.kind === 'atomic' ? shape.key.javaClass : undefined;
      const valueClass = shape.value.kind === 'atomic' ? shape.value.javaClass : undefined;
      return {
        kind: 'map',
        collection: true,
        localized: false,
        mapType: shape.typeCode,
        ...(keyClass ? { mapKeyJavaClass: keyClass } : {}),
        ...(valueClass ? { mapValueJavaClass: valueClass } : {}),
        ...(keyClass && valueClass ? {} : { problem: `map attribute [${where}] with non-primitive keys or values is not supported` }),
      };
    }
    case 'unknown':
      return { kind: 'primitive', collection: false, localized: false, problem: `Can't map given platform type [${shape.typeCode}] of [${where}]` };
  }
}

function primitive(javaClass: string, localized: boolean, where: string): Classified {
  const edmType = edmTypeOf(javaClass);
  return {
    kind: 'primitive',
    collection: false,
    localized,
    javaClass,
    ...(edmType ? { edmType } : { problem: `Can't map given platform type [${javaClass}] of [${where}]` }),
  };
}

/** Caches integration objects read from the store; invalidated by any write to IntegrationObject* items. */
export class IntegrationObjectRegistry {
  private readonly cache = new Map<string, IntegrationObjectModel | null>();
  private seenRestores: number;

  constructor(private readonly store: ItemStore) {
    this.seenRestores = store.restoreCount;
    store.onChange((e) => {
      if (IO_TYPES.has(e.typeCode)) this.cache.clear();
    });
  }

  get(code: string): IntegrationObjectModel | undefined {
    if (this.store.restoreCount !== this.seenRestores) {
      this.cache.clear();
      this.seenRestores = this.store.restoreCount;
    }
    let model = this.cache.get(code);
    if (model === undefined) {
      model = readIntegrationObject(this.store, code) ?? null;
      this.cache.set(code, model);
    }
    return model ?? undefined;
  }

  codes(): string[] {
    return [...this.store.all('IntegrationObject')].map((i) => str(i, 'code') ?? '').filter(Boolean);
  }
}

export function itemByCode(io: IntegrationObjectModel, code: string): IoItem | undefined {
  return io.items.find((i) => i.code === code);
}
