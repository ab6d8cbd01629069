/**
 * The JSON payload Commerce's outbound (outbound sync, webhooks) POSTs for an item, built from an
 * integration object (spec §11.3; help V-OUT-01 … V-OUT-04, B-150).
 *
 * Plain JSON, not OData: no `d` wrapper, no `__metadata`, no `results` arrays; nested objects inline.
 * - String/Boolean/Integer/Double/Float/Short/Byte are native JSON; Long and BigDecimal are strings;
 *   Date is `"/Date(<epoch-ms>)/"`.
 * - A reference is a nested object with the referenced IO item's attributes and its own integrationKey.
 * - An enum value is an object of the enum IO item's attributes (`{"code":"CREATED"}`), without an
 *   integrationKey: an enum value is not an item.
 * - Collections of items are arrays; primitive collections `[{"value":…}]`; maps `[{"key":…,"value":…}]`;
 *   every collection is omitted when null or empty.
 * - A localized primitive is its value in the requested language, plus `localizedAttributes`: one entry
 *   `{language, <platform qualifier>: value}` per language with a non-null value (in Language order).
 * - Nulls are omitted everywhere; empty strings are kept.
 * - A reference back to an item already on the path from the root is rendered with only its primitive
 *   key attributes: no integrationKey, no further nesting (V-OUT-02, B-150).
 *
 * Member order: the IO attributes in IO order, then `integrationKey`, then `localizedAttributes`.
 */
import type { IntegrationObjectModel, IoAttribute, IoItem } from '../integration-objects/model.js';
import { itemByCode } from '../integration-objects/model.js';
import { collectionValues, entityKey, navigationTarget, navigationTargets } from '../odata/entity-values.js';
import type { Item, ItemStore, Pk, StoredValue } from '../store/store.js';

export interface OutboundPayloadOptions {
  /** The session language of the plain localized values; default `en` (the platform default). */
  language?: string;
}

type Json = string | number | boolean | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The outbound payload of `stored` seen through `item` of `io`, as a plain object. */
export function buildOutboundPayload(
  io: IntegrationObjectModel,
  item: IoItem,
  stored: Item,
  store: ItemStore,
  options: OutboundPayloadOptions = {},
): Record<string, unknown> {
  const builder = new PayloadBuilder(io, store, options.language ?? 'en');
  return builder.object(item, stored, []);
}

/** The outbound payload serialised as Commerce sends it (member order as built). */
export function outboundJson(
  io: IntegrationObjectModel,
  item: IoItem,
  stored: Item,
  store: ItemStore,
  options: OutboundPayloadOptions = {},
): string {
  return JSON.stringify(buildOutboundPayload(io, item, stored, store, options));
}

/** A stored atomic value as outbound JSON, by its Java class (`AtomicTypeValueConverter`). */
export function outboundPrimitive(value: StoredValue | undefined, javaClass: string | undefined): Json | undefined {
  if (value === null || value === undefined || typeof value === 'object') return undefined;
  switch (javaClass) {
    case 'java.lang.Long':
    case 'java.math.BigDecimal':
    case 'java.math.BigInteger':
      return String(value);
    case 'java.util.Date':
      return typeof value === 'number' ? `/Date(${Math.trunc(value)})/` : value;
    default:
      return value;
  }
}

class PayloadBuilder {
  private languageOrder: Map<string, number> | undefined;

  constructor(
    private readonly io: IntegrationObjectModel,
    private readonly store: ItemStore,
    private readonly language: string,
  ) {}

  object(item: IoItem, stored: Item, path: readonly Pk[]): JsonObject {
    const out: JsonObject = {};
    const here = [...path, stored.pk];
    for (const attribute of item.attributes) {
      const value = this.attributeValue(attribute, stored, here);
      if (value !== undefined) out[attribute.name] = value;
    }
    if (!this.isEnum(item)) out.integrationKey = entityKey(this.io, item, stored, this.store);
    const localized = this.localizedAttributes(item, stored);
    if (localized.length > 0) out.localizedAttributes = localized;
    return out;
  }

  private attributeValue(attribute: IoAttribute, stored: Item, path: readonly Pk[]): Json | undefined {
    switch (attribute.kind) {
      case 'primitive': {
        const raw = stored.values[attribute.qualifier];
        const value = attribute.localized ? localizedIn(raw, this.language) : raw;
        return outboundPrimitive(value, attribute.javaClass);
      }
      case 'primitiveCollection': {
        const values = collectionValues(stored, attribute);
        if (!Array.isArray(values)) return undefined;
        const out = values.flatMap((v): JsonObject[] => {
          const value = outboundPrimitive(v, attribute.javaClass);
          return value === undefined ? [] : [{ value }];
        });
        return out.length > 0 ? out : undefined;
      }
      case 'map': {
        const values = collectionValues(stored, attribute);
        if (!values || Array.isArray(values)) return undefined;
        const out = Object.entries(values).flatMap(([k, v]): JsonObject[] => {
          const key = outboundPrimitive(k, attribute.mapKeyJavaClass) ?? k;
          const value = outboundPrimitive(v, attribute.mapValueJavaClass);
          return [value === undefined ? { key } : { key, value }];
        });
        return out.length > 0 ? out : undefined;
      }
      case 'navigation': {
        const target = attribute.returnItem ? itemByCode(this.io, attribute.returnItem) : undefined;
        if (!target) return undefined;
        if (attribute.collection) {
          const out = navigationTargets(this.store, stored, attribute).map((t) => this.nested(target, t, path));
          return out.length > 0 ? out : undefined;
        }
        const t = navigationTarget(this.store, stored, attribute);
        return t ? this.nested(target, t, path) : undefined;
      }
    }
  }

  /** A referenced item: in full, or, when it is already on the path, only its primitive key attributes. */
  private nested(item: IoItem, stored: Item, path: readonly Pk[]): JsonObject {
    if (!path.includes(stored.pk)) return this.object(item, stored, path);
    const out: JsonObject = {};
    for (const attribute of item.attributes) {
      if (!attribute.unique || attribute.kind !== 'primitive') continue;
      const value = this.attributeValue(attribute, stored, path);
      if (value !== undefined) out[attribute.name] = value;
    }
    return out;
  }

  private isEnum(item: IoItem): boolean {
    return this.store.typeSystem.enumType(item.typeCode) !== undefined;
  }

  /** `[{language, <qualifier>: value, …}]`, one entry per language with at least one non-null value. */
  private localizedAttributes(item: IoItem, stored: Item): JsonObject[] {
    const attributes = item.attributes.filter((a) => a.kind === 'primitive' && a.localized);
    if (attributes.length === 0) return [];
    const byLanguage = new Map<string, JsonObject>();
    for (const attribute of attributes) {
      const raw = stored.values[attribute.qualifier];
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) continue;
      for (const [language, v] of Object.entries(raw)) {
        const value = outboundPrimitive(v, attribute.javaClass);
        if (value === undefined) continue;
        let entry = byLanguage.get(language);
        if (!entry) {
          entry = { language };
          byLanguage.set(language, entry);
        }
        if (!(attribute.qualifier in entry)) entry[attribute.qualifier] = value;
      }
    }
    const order = this.languages();
    const rank = (l: string): number => order.get(l) ?? Number.MAX_SAFE_INTEGER;
    return [...byLanguage.entries()]
      .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([, entry]) => entry);
  }

  /** The system's languages in creation order (the order Commerce lists them). */
  private languages(): Map<string, number> {
    if (!this.languageOrder) {
      const languages = [...this.store.all('Language')].sort((a, b) => a.pk - b.pk);
      this.languageOrder = new Map(languages.map((l, i) => [String(l.values.isocode), i]));
    }
    return this.languageOrder;
  }
}

function localizedIn(raw: StoredValue | undefined, language: string): StoredValue | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  return raw[language];
}
