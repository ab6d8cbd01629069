/**
 * Commerce's inbound persistence (spec §6.1–§6.3, help §1.E–§1.G): upsert by the computed key, deep
 * payloads with the autoCreate/partOf rules, PATCH with replace semantics for collections, DELETE with
 * the partOf cascade. Runs inside a store transaction opened by the caller, so any error leaves the
 * store exactly as it was.
 */
import { integrationKeyValue } from '../../integration-objects/integration-key.js';
import type { SaveValidator } from '../../impex/import.js';
import type { IntegrationObjectModel, IoAttribute, IoItem } from '../../integration-objects/model.js';
import { itemByCode } from '../../integration-objects/model.js';
import { defaultValues, missingMandatory } from '../../store/model-rules.js';
import type { Item, ItemStore, Pk, StoredValue } from '../../store/store.js';
import type { Permission } from '../../security/access-rights.js';
import { entityKey, navigationTargets } from '../entity-values.js';
import { ODataRequestError } from '../odata-error.js';
import { malformed, type Payload, type PayloadValue } from './payload.js';

export interface WriteContext {
  io: IntegrationObjectModel;
  store: ItemStore;
  /** Language of plain localized properties (Content-Language, else the default). */
  language: string;
  /** Languages that exist in this Commerce. */
  isLanguage(isocode: string): boolean;
  /** `integrationservices.global.attributes.read-only` qualifiers: silently ignored on write. */
  readOnly: ReadonlySet<string>;
  /** Type-level access rights: throws the 403 when the right is missing. */
  check(permission: Permission, typeCode: string): void;
  /** Item-type matching for lookups (IntegrationObjectItem.itemTypeMatch or the global default). */
  lookupTypes(item: IoItem): string[];
  /** Save-time business rules (Commerce's validate interceptors), as for ImpEx. */
  validators: readonly SaveValidator[];
}

const RESERVED = new Set(['integrationKey', 'localizedAttributes']);

/** A parent that nested items refer back to (`OrderEntry.order` inside `Order.entries`). */
interface Implied {
  attribute: IoAttribute;
  pk: Pk;
}

function attributeByName(item: IoItem, name: string): IoAttribute | undefined {
  return item.attributes.find((a) => a.name === name);
}

function isObject(v: PayloadValue | undefined): v is Payload {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Every payload member must be an IO attribute (or integrationKey/localizedAttributes). */
function checkProperties(item: IoItem, payload: Payload): void {
  for (const name of Object.keys(payload)) {
    if (RESERVED.has(name)) continue;
    if (!attributeByName(item, name)) throw new ODataRequestError(400, 'invalid_property', `An entity contains [${name}] that is not defined in the Integration Object.`);
  }
}

// ---- value conversion ---------------------------------------------------------------------------

/** A JSON payload value as the stored form of an EDM primitive; wrong types are odata_error (E10). */
export function primitiveFromPayload(value: PayloadValue, edmType: string | undefined): StoredValue {
  if (value === null) return null;
  switch (edmType) {
    case 'Edm.Boolean':
      if (typeof value === 'boolean') return value;
      throw malformed();
    case 'Edm.SByte':
    case 'Edm.Int16':
    case 'Edm.Int32': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
      const max = edmType === 'Edm.SByte' ? 127 : edmType === 'Edm.Int16' ? 32767 : 2147483647;
      if (!Number.isInteger(n) || n > max || n < -max - 1) throw malformed();
      return n;
    }
    case 'Edm.Int64':
      // Long values travel as strings in V2 JSON (help B-037).
      if (typeof value === 'string' && /^[+-]?\d{1,19}$/.test(value)) {
        const n = BigInt(value);
        if (n >= -(2n ** 63n) && n < 2n ** 63n) return n.toString();
      }
      throw malformed();
    case 'Edm.Decimal':
      if (typeof value === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) return value.replace(/^\+/, '');
      throw malformed();
    case 'Edm.Double':
    case 'Edm.Single': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (Number.isNaN(n)) throw malformed();
      return n;
    }
    case 'Edm.DateTime': {
      const m = typeof value === 'string' ? /^\/Date\((-?\d+)(?:[+-]\d+)?\)\/$/.exec(value) : null;
      if (!m) throw malformed();
      return Number(m[1]);
    }
    default:
      if (typeof value === 'string') return value;
      throw malformed();
  }
}

// ---- lookups --------------------------------------------------------------------------------------

function findOne(ctx: WriteContext, item: IoItem, criteria: Record<string, StoredValue>): Item | undefined {
  const found: Item[] = [];
  for (const code of ctx.lookupTypes(item)) found.push(...ctx.store.find(code, criteria, { subtypes: false }));
  if (found.length > 1) {
    throw new ODataRequestError(400, 'ambiguous_key', `More than one item of [${item.code}] matches the key attributes ${JSON.stringify(criteria)}.`);
  }
  return found[0];
}

// ---- POST / PATCH -----------------------------------------------------------------------------------

export interface PersistResult {
  item: Item;
  created: boolean;
}

/**
 * Upserts one entity of `item` from `payload` (POST semantics), or updates `target` (PATCH semantics).
 * `canCreate` is false for a nested reference that is neither autoCreate nor partOf.
 */
export function persistEntity(
  ctx: WriteContext,
  item: IoItem,
  payload: Payload,
  options: { mode: 'post' | 'patch'; canCreate: boolean; target?: Item; implied?: Implied; referencedBy?: { attribute: IoAttribute; owner: IoItem } },
): PersistResult {
  checkProperties(item, payload);
  const ts = ctx.store.typeSystem;
  if (ts.enumType(item.typeCode)) return persistEnumReference(ctx, item, payload, options.referencedBy);
  const shape = ts.shapeOf(item.typeCode);
  if (shape.kind === 'type' || shape.kind === 'attributeDescriptor') return persistTypeReference(ctx, item, payload, shape.kind, options.referencedBy);

  let existing = options.target;
  if (!existing) {
    const criteria = keyCriteria(ctx, item, payload, options.implied);
    existing = findOne(ctx, item, criteria);
    if (!existing && !options.canCreate) {
      const by = options.referencedBy;
      throw new ODataRequestError(
        400,
        'missing_nav_property',
        `Item referenced by attribute [${by?.attribute.name ?? item.code}] in [${by?.owner.code ?? item.code}] item does not exist in the system. Cannot create referenced item for this attribute because it is not partof or autocreate for the item that it belongs to.`,
      );
    }
  }
  const creating = !existing;
  const values: Record<string, StoredValue> = {};
  const collections: [IoAttribute, PayloadValue][] = [];

  if (options.implied && payload[options.implied.attribute.name] === undefined) values[options.implied.attribute.qualifier] = options.implied.pk;
  for (const [name, raw] of Object.entries(payload)) {
    if (name === 'integrationKey') continue; // always recomputed (§2.4.3)
    if (name === 'localizedAttributes') {
      applyLocalizedAttributes(ctx, item, raw, values, existing, options.mode);
      continue;
    }
    const attribute = attributeByName(item, name)!;
    if (ctx.readOnly.has(attribute.qualifier)) continue;
    if (attribute.collection) {
      collections.push([attribute, raw]);
      continue;
    }
    if (attribute.kind === 'navigation') {
      values[attribute.qualifier] = navigationValue(ctx, item, attribute, raw);
      continue;
    }
    const converted = primitiveFromPayload(raw, attribute.edmType);
    if (attribute.localized) {
      const base = (values[attribute.qualifier] ?? existing?.values[attribute.qualifier] ?? {}) as Record<string, StoredValue>;
      values[attribute.qualifier] = { ...(typeof base === 'object' && !Array.isArray(base) ? base : {}), [ctx.language]: converted };
    } else {
      values[attribute.qualifier] = converted;
    }
  }

  let stored: Item;
  if (creating) {
    requireProperties(item, payload, options.implied);
    ctx.check('create', item.typeCode);
    const concrete = concreteType(ctx, item);
    stored = ctx.store.create(concrete, { ...defaultValues(ts, concrete), ...values });
  } else {
    // Only what actually changes is written (and needs the change right): a nested reference that just
    // names an existing item by its key changes nothing.
    for (const [q, v] of Object.entries(values)) if (JSON.stringify(existing!.values[q] ?? null) === JSON.stringify(v ?? null)) delete values[q];
    checkModifiable(ctx, existing!, values);
    if (Object.keys(values).length || collections.length) ctx.check('change', existing!.typeCode);
    stored = Object.keys(values).length ? ctx.store.update(existing!.pk, values) : existing!;
  }

  // Collections after the owner exists, so that nested items can refer back to it.
  for (const [attribute, raw] of collections) {
    const next = collectionValue(ctx, item, attribute, raw, stored, options.mode);
    if (next !== undefined) stored = ctx.store.update(stored.pk, { [attribute.qualifier]: next });
  }
  if (creating) {
    const missing = missingMandatory(ts, stored.typeCode, stored.values);
    if (missing.length) {
      throw new ODataRequestError(400, 'missing_property', `Property [${missing[0]}] is required for EntityType [${item.code}].`);
    }
  }
  for (const validate of ctx.validators) {
    const problem = validate({ typeCode: stored.typeCode, pk: stored.pk, values: stored.values, store: ctx.store });
    // Interceptor failures surface as Commerce's generic persistence error, with the reason.
    if (problem) throw new ODataRequestError(400, 'runtime_error', problem);
  }
  return { item: stored, created: creating };
}

/** A new item of an abstract type is created as its first concrete subtype (help B-018). */
function concreteType(ctx: WriteContext, item: IoItem): string {
  const ts = ctx.store.typeSystem;
  if (!ts.composedType(item.typeCode)?.abstract) return item.typeCode;
  const concrete = ts.typeAndSubtypes(item.typeCode).find((c) => !ts.composedType(c)?.abstract);
  if (!concrete) throw new ODataRequestError(400, 'invalid_property_definition', `Cannot create an item of the abstract type [${item.typeCode}].`);
  return concrete;
}

/** Key attributes → lookup criteria; nested key references are resolved (and created when allowed). */
function keyCriteria(ctx: WriteContext, item: IoItem, payload: Payload, implied: Implied | undefined): Record<string, StoredValue> {
  const criteria: Record<string, StoredValue> = {};
  for (const attribute of item.attributes) {
    if (!attribute.unique) continue;
    const raw = payload[attribute.name];
    if (attribute.kind === 'navigation') {
      if (raw === undefined || raw === null) {
        if (implied && implied.attribute.name === attribute.name) {
          criteria[attribute.qualifier] = implied.pk;
          continue;
        }
        // Reference key attributes can never be null (help B-011).
        throw new ODataRequestError(400, 'missing_key', `Key NavigationProperty [${attribute.name}] is required for EntityType [${item.code}].`);
      }
      criteria[attribute.qualifier] = navigationValue(ctx, item, attribute, raw);
      continue;
    }
    if (raw === undefined || raw === null) {
      // Optional key attributes may be null; mandatory ones are required (help B-011, E06).
      if (attribute.nullable) {
        criteria[attribute.qualifier] = null;
        continue;
      }
      throw new ODataRequestError(400, 'missing_key', `Key [${attribute.name}] is required for EntityType [${item.code}].`);
    }
    criteria[attribute.qualifier] = primitiveFromPayload(raw, attribute.edmType);
  }
  return criteria;
}

/** On creation, non-nullable IO attributes must be given (help E09, E07). */
function requireProperties(item: IoItem, payload: Payload, implied: Implied | undefined): void {
  for (const attribute of item.attributes) {
    if (attribute.nullable || attribute.unique || attribute.collection) continue;
    if (implied && implied.attribute.name === attribute.name) continue;
    const raw = payload[attribute.name];
    if (raw !== undefined && raw !== null) continue;
    if (attribute.kind === 'navigation') {
      throw new ODataRequestError(400, 'missing_nav_property', `NavigationProperty [${attribute.name}] is required for EntityType [${item.code}].`);
    }
    throw new ODataRequestError(400, 'missing_property', `Property [${attribute.name}] is required for EntityType [${item.code}].`);
  }
}

function checkModifiable(ctx: WriteContext, existing: Item, values: Record<string, StoredValue>): void {
  const ts = ctx.store.typeSystem;
  for (const [qualifier, value] of Object.entries(values)) {
    const descriptor = ts.attribute(existing.typeCode, qualifier);
    if (!descriptor || descriptor.writable) continue;
    if (JSON.stringify(existing.values[qualifier] ?? null) === JSON.stringify(value ?? null)) {
      delete values[qualifier]; // an unchanged initial-only key, e.g. OrderEntry.order
      continue;
    }
    throw new ODataRequestError(400, 'unmodifiable_attribute', `Attribute [${qualifier}] of [${existing.typeCode}] cannot be modified.`);
  }
}

/** A single-valued navigation: the referenced item's pk (or enum/type code), null for null. */
function navigationValue(ctx: WriteContext, owner: IoItem, attribute: IoAttribute, raw: PayloadValue): StoredValue {
  if (raw === null) return null;
  if (!isObject(raw)) throw malformed();
  const target = itemByCode(ctx.io, attribute.returnItem ?? '');
  if (!target) throw malformed();
  const result = persistEntity(ctx, target, raw, { mode: 'post', canCreate: attribute.autoCreate, referencedBy: { attribute, owner } });
  return result.item.pk < 0 ? (result.item.values.code as string) : result.item.pk;
}

/**
 * ComposedType and AttributeDescriptor references (the IntegrationService meta API: `type: {code}`,
 * `attributeDescriptor: {qualifier, enclosingType: {code}}`) name parts of the type system, which the
 * API cannot create: they resolve against it, or fail like any missing reference.
 */
function persistTypeReference(ctx: WriteContext, item: IoItem, payload: Payload, kind: 'type' | 'attributeDescriptor', by: { attribute: IoAttribute; owner: IoItem } | undefined): PersistResult {
  const ts = ctx.store.typeSystem;
  const missing = () =>
    new ODataRequestError(
      400,
      'missing_nav_property',
      `Item referenced by attribute [${by?.attribute.name ?? item.code}] in [${by?.owner.code ?? item.code}] item does not exist in the system. Cannot create referenced item for this attribute because it is not partof or autocreate for the item that it belongs to.`,
    );
  if (kind === 'type') {
    const code = payload.code;
    if (typeof code !== 'string' || (!ts.hasComposedType(code) && ts.shapeOf(code).kind === 'unknown')) throw missing();
    return { item: { pk: -1, typeCode: 'ComposedType', values: { code } }, created: false };
  }
  const enclosing = payload.enclosingType;
  const enclosingCode = isObject(enclosing) ? enclosing.code : undefined;
  const qualifier = payload.qualifier;
  if (typeof enclosingCode !== 'string' || typeof qualifier !== 'string' || !ts.attribute(enclosingCode, qualifier)) throw missing();
  return { item: { pk: -1, typeCode: 'AttributeDescriptor', values: { code: `${enclosingCode}:${qualifier}` } }, created: false };
}

/** Enumeration values are referenced by code and never created (spec §6.1 table). */
function persistEnumReference(ctx: WriteContext, item: IoItem, payload: Payload, by: { attribute: IoAttribute; owner: IoItem } | undefined): PersistResult {
  const code = payload.code;
  const values = ctx.store.typeSystem.enumType(item.typeCode)?.values ?? [];
  if (typeof code !== 'string' || !values.includes(code)) {
    throw new ODataRequestError(
      400,
      'missing_nav_property',
      `Item referenced by attribute [${by?.attribute.name ?? item.code}] in [${by?.owner.code ?? item.code}] item does not exist in the system. Cannot create referenced item for this attribute because it is not partof or autocreate for the item that it belongs to.`,
    );
  }
  return { item: { pk: -1, typeCode: item.typeCode, values: { code } }, created: false };
}

/** The reverse attribute of a relation end, when the target IO item models it (`OrderEntry.order`). */
function impliedReverse(ctx: WriteContext, owner: IoItem, attribute: IoAttribute, target: IoItem): IoAttribute | undefined {
  const relation = attribute.descriptor?.relation;
  if (!relation?.otherQualifier) return undefined;
  return target.attributes.find((a) => a.qualifier === relation.otherQualifier && a.kind === 'navigation' && a.returnItem === owner.code);
}

/** Collections: POST adds to what is stored (merge), PATCH replaces; null/absent leaves them alone. */
function collectionValue(ctx: WriteContext, owner: IoItem, attribute: IoAttribute, raw: PayloadValue, stored: Item, mode: 'post' | 'patch'): StoredValue | undefined {
  if (raw === null) return undefined;
  if (!Array.isArray(raw)) throw malformed();
  const current = stored.values[attribute.qualifier];
  if (attribute.kind === 'primitiveCollection') {
    const values = raw.map((el) => {
      if (!isObject(el) || !('value' in el)) throw malformed();
      return primitiveFromPayload(el.value!, attribute.edmType);
    });
    if (mode === 'patch' || !Array.isArray(current)) return values;
    return [...current, ...values.filter((v) => !current.includes(v))];
  }
  if (attribute.kind === 'map') {
    const entries: Record<string, StoredValue> = mode === 'post' && current && typeof current === 'object' && !Array.isArray(current) ? { ...current } : {};
    for (const el of raw) {
      if (!isObject(el)) throw malformed();
      if (el.key === undefined || el.key === null) throw new ODataRequestError(400, 'missing_key', `Key [key] is required for EntityType [${attribute.mapType ?? 'Map'}].`);
      entries[String(el.key)] = el.value === undefined ? null : primitiveFromPayload(el.value, 'Edm.String');
    }
    return entries;
  }
  // A collection of items.
  const target = itemByCode(ctx.io, attribute.returnItem ?? '');
  if (!target) throw malformed();
  const reverse = impliedReverse(ctx, owner, attribute, target);
  const pks: StoredValue[] = [];
  for (const el of raw) {
    if (!isObject(el)) throw malformed();
    const result = persistEntity(ctx, target, el, {
      mode: 'post',
      canCreate: attribute.autoCreate,
      ...(reverse ? { implied: { attribute: reverse, pk: stored.pk } } : {}),
      referencedBy: { attribute, owner },
    });
    const value = result.item.pk < 0 ? (result.item.values.code as string) : result.item.pk;
    if (!pks.includes(value)) pks.push(value);
  }
  if (mode === 'patch') {
    removeDroppedPartOf(ctx, stored, attribute, pks);
    return pks;
  }
  const existing = attribute.descriptor?.relation ? navigationTargets(ctx.store, stored, attribute).map((i) => i.pk) : Array.isArray(current) ? current : [];
  return [...existing, ...pks.filter((p) => !existing.includes(p as Pk))];
}

/** PATCH replaces a partOf collection: members no longer listed are removed, as the platform does. */
function removeDroppedPartOf(ctx: WriteContext, owner: Item, attribute: IoAttribute, kept: StoredValue[]): void {
  if (!attribute.partOf) return;
  for (const member of navigationTargets(ctx.store, owner, attribute)) {
    if (!kept.includes(member.pk)) removeWithParts(ctx, member);
  }
}

/** `localizedAttributes: [{language, name, …}]` writes specific languages (spec §6.1, help B-072/B-073). */
function applyLocalizedAttributes(ctx: WriteContext, item: IoItem, raw: PayloadValue, values: Record<string, StoredValue>, existing: Item | undefined, mode: 'post' | 'patch'): void {
  if (raw === null || raw === undefined) return;
  if (!Array.isArray(raw)) throw malformed();
  const localized = item.attributes.filter((a) => a.localized && a.kind === 'primitive');
  if (mode === 'patch' && raw.length === 0) {
    // An empty list clears the localized values (all languages).
    for (const a of localized) values[a.qualifier] = {};
    return;
  }
  for (const entry of raw) {
    if (!isObject(entry)) throw malformed();
    const language = entry.language;
    if (language === undefined || language === null || language === '') {
      throw new ODataRequestError(400, 'missing_language', `The localizedAttributes entry has no language for EntityType [${item.code}].`);
    }
    if (typeof language !== 'string' || !ctx.isLanguage(language)) {
      throw new ODataRequestError(400, 'invalid_language', `The language provided [${String(language)}] is not available in the system.`);
    }
    for (const [name, value] of Object.entries(entry)) {
      if (name === 'language') continue;
      const attribute = localized.find((a) => a.name === name);
      if (!attribute) throw new ODataRequestError(400, 'invalid_property', `An entity contains [${name}] that is not defined in the Integration Object.`);
      const base = (values[attribute.qualifier] ?? existing?.values[attribute.qualifier] ?? {}) as Record<string, StoredValue>;
      values[attribute.qualifier] = { ...base, [language]: primitiveFromPayload(value, attribute.edmType) };
    }
  }
}

// ---- keys and deletes -------------------------------------------------------------------------------

/** What a key part is read from: a payload object (falling back to a stored item) or a stored item. */
type KeySource = { payload?: Payload; stored?: Item | null };

/** The integrationKey a payload describes, with absent parts taken from `fallback` (PATCH), if computable. */
export function payloadKey(ctx: WriteContext, item: IoItem, payload: Payload, fallback?: Item): string | undefined {
  try {
    return integrationKeyValue<KeySource>(ctx.io, item, { payload, ...(fallback ? { stored: fallback } : {}) }, (attribute, from) => {
      const raw = from.payload?.[attribute.name];
      if (raw !== undefined) {
        if (attribute.kind === 'navigation') return isObject(raw) ? { payload: raw } : null;
        return raw === null ? null : primitiveFromPayload(raw, attribute.edmType);
      }
      const stored = from.stored;
      if (!stored) return null;
      const v = stored.values[attribute.qualifier];
      if (attribute.kind === 'navigation') return typeof v === 'number' ? { stored: ctx.store.get(v) ?? null } : typeof v === 'string' ? { payload: { code: v } } : null;
      return v ?? null;
    });
  } catch {
    return undefined;
  }
}

export function storedKey(ctx: WriteContext, item: IoItem, stored: Item): string {
  return entityKey(ctx.io, item, stored, ctx.store);
}

/** Removes an item and, recursively, the items its partOf attributes hold (the platform cascade). */
export function removeWithParts(ctx: WriteContext, stored: Item): void {
  const ts = ctx.store.typeSystem;
  ctx.check('remove', stored.typeCode);
  for (const descriptor of ts.attributes(stored.typeCode)) {
    if (!descriptor.partOf) continue;
    const fake: IoAttribute = {
      name: descriptor.qualifier,
      qualifier: descriptor.qualifier,
      enclosingType: stored.typeCode,
      descriptor,
      kind: 'navigation',
      collection: descriptor.shape.kind === 'collection',
      localized: false,
      unique: false,
      nullable: true,
      partOf: true,
      autoCreate: true,
      pk: 0,
    };
    const parts = fake.collection ? navigationTargets(ctx.store, stored, fake) : [];
    const single = !fake.collection && typeof stored.values[descriptor.qualifier] === 'number' ? ctx.store.get(stored.values[descriptor.qualifier] as number) : undefined;
    for (const part of single ? [...parts, single] : parts) if (ctx.store.get(part.pk)) removeWithParts(ctx, part);
  }
  ctx.store.remove(stored.pk);
}
