/**
 * The Commerce type system: composed (item) types with inheritance, atomic, enumeration, collection and
 * map types, and relation ends turned into attributes — merged from items.xml declarations in load order.
 *
 * Merge rules (as the platform builds its type system, plus the sandbox's precedence rule):
 * - `<itemtype autocreate="false">` fragments add attributes to a type declared elsewhere;
 * - a relation's targetElement becomes an attribute of the source type, its sourceElement an attribute of
 *   the target type, each with the modifiers of its own element;
 * - `redeclare="true"` in a subtype narrows type/modifiers of an inherited attribute; modifiers it does not
 *   state are inherited;
 * - a project declaration that redefines a built-in attribute (same type, same qualifier) wins, with a
 *   warning, because the built-in catalogue approximates one platform version and projects run others.
 */
import type {
  AttributeDeclaration,
  ItemsDeclarations,
  Modifiers,
  RelationDeclaration,
  SourceRef,
} from './items-xml.js';

export type CollectionKind = 'list' | 'set' | 'collection';

/** How a value of an attribute is shaped; drives ImpEx conversion, storage and OData mapping. */
export type ValueShape =
  | { kind: 'atomic'; javaClass: string }
  | { kind: 'item'; typeCode: string }
  | { kind: 'enum'; typeCode: string }
  /** A reference to a type of the type system itself (ComposedType and its subtypes). */
  | { kind: 'type' }
  /** A reference to an attribute descriptor, stored as `EnclosingType:qualifier`. */
  | { kind: 'attributeDescriptor' }
  | { kind: 'collection'; collectionKind: CollectionKind; element: ValueShape }
  | { kind: 'map'; typeCode: string; key: ValueShape; value: ValueShape }
  | { kind: 'localized'; value: ValueShape }
  | { kind: 'unknown'; typeCode: string };

export interface RelationEndInfo {
  relation: string;
  /** The type at the other end of the relation. */
  otherType: string;
  /** The attribute name the other end has, when it is navigable. */
  otherQualifier?: string;
  many: boolean;
  collectionKind: CollectionKind;
  ordered: boolean;
}

export interface AttributeDescriptor {
  qualifier: string;
  /** The type that declares (or last redeclares) the attribute. */
  declaringType: string;
  /** Type code as declared: an atomic Java class, a composed type, an enum, a collection or map type. */
  typeCode: string;
  shape: ValueShape;
  optional: boolean;
  unique: boolean;
  partOf: boolean;
  readable: boolean;
  writable: boolean;
  initial: boolean;
  private: boolean;
  localized: boolean;
  defaultValue?: string;
  persistence: 'property' | 'dynamic' | 'jalo';
  relation?: RelationEndInfo;
  source: SourceRef;
}

export interface ComposedType {
  code: string;
  superType?: string;
  abstract: boolean;
  source: SourceRef;
}

export interface EnumType {
  code: string;
  dynamic: boolean;
  values: string[];
  source: SourceRef;
}

export interface TypeSystemWarning {
  file: string;
  message: string;
}

const PRIMITIVES: Record<string, string> = {
  boolean: 'java.lang.Boolean',
  int: 'java.lang.Integer',
  long: 'java.lang.Long',
  double: 'java.lang.Double',
  float: 'java.lang.Float',
  short: 'java.lang.Short',
  byte: 'java.lang.Byte',
  char: 'java.lang.Character',
};

/** Java classes the platform treats as atomic even when no items.xml declares them. */
const WELL_KNOWN_ATOMICS = new Set([
  'java.lang.String',
  'java.lang.Boolean',
  'java.lang.Integer',
  'java.lang.Long',
  'java.lang.Double',
  'java.lang.Float',
  'java.lang.Short',
  'java.lang.Byte',
  'java.lang.Character',
  'java.lang.Number',
  'java.lang.Object',
  'java.util.Date',
  'java.math.BigDecimal',
  'java.math.BigInteger',
  'de.hybris.platform.core.PK',
]);

const META_TYPE_ROOT = 'ComposedType';
const ENUMERATION_VALUE = 'EnumerationValue';
const ATTRIBUTE_DESCRIPTOR = 'AttributeDescriptor';

interface PendingAttribute {
  decl: AttributeDeclaration;
  relation?: RelationEndInfo;
  source: SourceRef;
}

interface TypeEntry extends ComposedType {
  /** Own declarations by qualifier (relation ends included). */
  own: Map<string, PendingAttribute>;
}

export class TypeSystem {
  private readonly types = new Map<string, TypeEntry>();
  private readonly enums = new Map<string, EnumType>();
  private readonly collections = new Map<string, { elementType: string; kind: CollectionKind }>();
  private readonly maps = new Map<string, { argumentType: string; returnType: string }>();
  private readonly atomics = new Set<string>(WELL_KNOWN_ATOMICS);
  private readonly subtypes = new Map<string, string[]>();
  private readonly attributeCache = new Map<string, AttributeDescriptor | null>();
  private readonly allAttributesCache = new Map<string, AttributeDescriptor[]>();
  /** Types are fixed once built, so the hierarchy walks are cached. */
  private readonly subtypeCache = new Map<string, string[]>();
  readonly warnings: TypeSystemWarning[] = [];

  /** Builds a type system from declarations in load order (built-in first, then project files). */
  static build(declarations: ItemsDeclarations[]): TypeSystem {
    const ts = new TypeSystem();
    for (const d of declarations) ts.addNonItemTypes(d);
    const fragments: ItemsDeclarations['itemTypes'] = [];
    for (const d of declarations) {
      for (const it of d.itemTypes) {
        if (it.autocreate) ts.declareItemType(it);
        else fragments.push(it);
      }
    }
    for (const f of fragments) {
      if (!ts.types.has(f.code)) {
        ts.warn(f.source.file, `itemtype ${f.code} is extended with autocreate="false" but never declared; created as a subtype of ${f.extends ?? 'GenericItem'}`);
        ts.declareItemType({ ...f, autocreate: true, attributes: [] });
      }
      for (const a of f.attributes) ts.addOwnAttribute(f.code, { decl: a, source: f.source });
    }
    for (const d of declarations) for (const r of d.relations) ts.addRelation(r);
    ts.declareEnumerationTypes();
    ts.indexSubtypes();
    ts.checkReferences();
    return ts;
  }

  private warn(file: string, message: string): void {
    this.warnings.push({ file, message });
  }

  private addNonItemTypes(d: ItemsDeclarations): void {
    for (const a of d.atomicTypes) this.atomics.add(a.javaClass);
    for (const c of d.collectionTypes) this.collections.set(c.code, { elementType: c.elementType, kind: c.kind });
    for (const m of d.mapTypes) this.maps.set(m.code, { argumentType: m.argumentType, returnType: m.returnType });
    for (const e of d.enumTypes) {
      const existing = this.enums.get(e.code);
      if (existing) {
        for (const v of e.values) if (!existing.values.includes(v)) existing.values.push(v);
        if (e.autocreate && !e.source.builtin && existing.source.builtin) existing.dynamic = e.dynamic || existing.dynamic;
      } else {
        this.enums.set(e.code, { code: e.code, dynamic: e.dynamic, values: [...e.values], source: e.source });
      }
    }
  }

  private declareItemType(it: ItemsDeclarations['itemTypes'][number]): void {
    const existing = this.types.get(it.code);
    const superType = it.code === 'Item' ? undefined : (it.extends ?? 'GenericItem');
    if (existing) {
      if (existing.source.builtin && !it.source.builtin) {
        this.warn(it.source.file, `itemtype ${it.code} redeclares the built-in type; the project declaration wins`);
      } else {
        this.warn(it.source.file, `itemtype ${it.code} is declared again (first in ${existing.source.file}); declarations merged`);
      }
      if (it.extends) existing.superType = superType;
      existing.abstract = it.abstract;
      existing.source = it.source;
    } else {
      this.types.set(it.code, {
        code: it.code,
        ...(superType ? { superType } : {}),
        abstract: it.abstract,
        source: it.source,
        own: new Map(),
      });
    }
    for (const a of it.attributes) this.addOwnAttribute(it.code, { decl: a, source: it.source });
  }

  private addOwnAttribute(typeCode: string, pending: PendingAttribute): void {
    const entry = this.types.get(typeCode);
    if (!entry) return;
    const previous = entry.own.get(pending.decl.qualifier);
    if (previous && !previous.relation !== !pending.relation && previous.source.file === pending.source.file) {
      // The platform declares some attributes both as an <attribute> and as a relation end (e.g.
      // Order.user): the attribute states type and modifiers, the relation says what it links.
      const attribute = previous.relation ? pending : previous;
      const relationEnd = previous.relation ? previous : pending;
      entry.own.set(pending.decl.qualifier, { decl: { ...attribute.decl, redeclare: false }, relation: relationEnd.relation!, source: attribute.source });
      return;
    }
    if (previous) {
      const what = `${typeCode}.${pending.decl.qualifier}`;
      if (!previous.source.builtin && pending.source.builtin) {
        // Built-in fragments and relations are merged after every autocreate itemtype (phase order, not
        // file order), so a built-in declaration can arrive after a project one (e.g. a project redeclaring
        // Product with reviewCount, then commerceservices' Product fragment). The project still wins.
        this.warn(previous.source.file, `redefines built-in attribute ${what} (declared in ${pending.source.extension}); the project declaration wins`);
        return;
      }
      if (previous.source.builtin && !pending.source.builtin) {
        this.warn(pending.source.file, `redefines built-in attribute ${what} (declared in ${previous.source.extension}); the project declaration wins`);
      } else if (previous.source.file !== pending.source.file || previous.relation || pending.relation) {
        this.warn(pending.source.file, `attribute ${what} is declared again (first in ${previous.source.file}); the later declaration wins`);
      }
    }
    entry.own.set(pending.decl.qualifier, pending);
  }

  private addRelation(r: RelationDeclaration): void {
    const sourceType = r.source.type;
    const targetType = r.target.type;
    for (const [end, owner, other, otherEnd] of [
      [r.target, sourceType, targetType, r.source],
      [r.source, targetType, sourceType, r.target],
    ] as const) {
      if (!end.qualifier) continue;
      if (!this.types.has(owner)) {
        this.warn(r.declaredIn.file, `relation ${r.code} names unknown type ${owner}; end ${end.qualifier} ignored`);
        continue;
      }
      const many = end.cardinality === 'many';
      this.addOwnAttribute(owner, {
        decl: {
          qualifier: end.qualifier,
          type: other,
          redeclare: false,
          modifiers: end.modifiers,
          persistence: 'property',
        },
        relation: {
          relation: r.code,
          otherType: other,
          ...(otherEnd.qualifier ? { otherQualifier: otherEnd.qualifier } : {}),
          many,
          collectionKind: end.collectionType,
          ordered: end.ordered,
        },
        source: r.declaredIn,
      });
    }
  }

  /**
   * Every enumeration is also a type of its own, a subtype of EnumerationValue with `code` (unique) and
   * localized `name`: integration objects model enum types as items (e.g. item `OrderStatus`, attribute
   * `code` → `OrderStatus:code`).
   */
  private declareEnumerationTypes(): void {
    const builtin: SourceRef = { file: '(enumerations)', extension: 'core', builtin: true };
    if (!this.types.has(ENUMERATION_VALUE)) {
      this.types.set(ENUMERATION_VALUE, { code: ENUMERATION_VALUE, superType: 'Item', abstract: true, source: builtin, own: new Map() });
    }
    const ev = this.types.get(ENUMERATION_VALUE)!;
    if (!ev.own.has('code')) {
      ev.own.set('code', { decl: { qualifier: 'code', type: 'java.lang.String', redeclare: false, modifiers: { optional: false, unique: true, initial: true }, persistence: 'property' }, source: builtin });
    }
    if (!ev.own.has('name')) {
      ev.own.set('name', { decl: { qualifier: 'name', type: 'localized:java.lang.String', redeclare: false, modifiers: {}, persistence: 'property' }, source: builtin });
    }
    for (const e of this.enums.values()) {
      if (!this.types.has(e.code)) this.types.set(e.code, { code: e.code, superType: ENUMERATION_VALUE, abstract: false, source: e.source, own: new Map() });
    }
  }

  private indexSubtypes(): void {
    for (const t of this.types.values()) {
      if (!t.superType) continue;
      if (!this.types.has(t.superType)) {
        this.warn(t.source.file, `itemtype ${t.code} extends unknown type ${t.superType}`);
        continue;
      }
      const list = this.subtypes.get(t.superType) ?? [];
      list.push(t.code);
      this.subtypes.set(t.superType, list);
    }
  }

  private checkReferences(): void {
    for (const t of this.types.values()) {
      for (const p of t.own.values()) {
        if (p.decl.redeclare && !t.superType) continue;
        if (this.shapeOf(p.decl.type).kind === 'unknown') {
          this.warn(p.source.file, `attribute ${t.code}.${p.decl.qualifier} has unknown type ${p.decl.type}`);
        }
      }
    }
  }

  // ---- queries -------------------------------------------------------------------------------

  hasComposedType(code: string): boolean {
    return this.types.has(code);
  }

  composedType(code: string): ComposedType | undefined {
    const t = this.types.get(code);
    return t ? { code: t.code, ...(t.superType ? { superType: t.superType } : {}), abstract: t.abstract, source: t.source } : undefined;
  }

  composedTypeCodes(): string[] {
    return [...this.types.keys()];
  }

  enumType(code: string): EnumType | undefined {
    return this.enums.get(code);
  }

  enumTypeCodes(): string[] {
    return [...this.enums.keys()];
  }

  /** Adds a value to a dynamic enumeration (ImpEx and the API may create values of dynamic enums). */
  addEnumValue(code: string, value: string): void {
    const e = this.enums.get(code);
    if (e && !e.values.includes(value)) e.values.push(value);
  }

  /** The type and its supertypes, nearest first. */
  supertypeChain(code: string): string[] {
    const chain: string[] = [];
    let current: string | undefined = code;
    while (current && this.types.has(current) && !chain.includes(current)) {
      chain.push(current);
      current = this.types.get(current)?.superType;
    }
    return chain;
  }

  isSubtypeOf(code: string, superCode: string): boolean {
    return this.supertypeChain(code).includes(superCode);
  }

  /** The type and all its subtypes, transitively. */
  typeAndSubtypes(code: string): string[] {
    const cached = this.subtypeCache.get(code);
    if (cached) return cached;
    const out: string[] = [];
    const visit = (c: string): void => {
      out.push(c);
      for (const s of this.subtypes.get(c) ?? []) visit(s);
    };
    if (this.types.has(code)) visit(code);
    this.subtypeCache.set(code, out);
    return out;
  }

  /** The effective attribute `qualifier` of `typeCode`, with inherited declarations and redeclarations applied. */
  attribute(typeCode: string, qualifier: string): AttributeDescriptor | undefined {
    const key = `${typeCode}\u0000${qualifier}`;
    const cached = this.attributeCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const resolved = this.resolveAttribute(typeCode, qualifier);
    this.attributeCache.set(key, resolved ?? null);
    return resolved;
  }

  /** All effective attributes of a type, supertype attributes first. */
  attributes(typeCode: string): AttributeDescriptor[] {
    const cached = this.allAttributesCache.get(typeCode);
    if (cached) return cached;
    const qualifiers: string[] = [];
    for (const t of this.supertypeChain(typeCode).reverse()) {
      for (const q of this.types.get(t)?.own.keys() ?? []) if (!qualifiers.includes(q)) qualifiers.push(q);
    }
    const result = qualifiers.map((q) => this.attribute(typeCode, q)).filter((a): a is AttributeDescriptor => !!a);
    this.allAttributesCache.set(typeCode, result);
    return result;
  }

  private resolveAttribute(typeCode: string, qualifier: string): AttributeDescriptor | undefined {
    const declarations: { type: string; pending: PendingAttribute }[] = [];
    for (const t of this.supertypeChain(typeCode)) {
      const p = this.types.get(t)?.own.get(qualifier);
      if (p) {
        declarations.push({ type: t, pending: p });
        if (!p.decl.redeclare) break;
      }
    }
    if (declarations.length === 0) return undefined;
    // Fold from the original declaration down to the nearest redeclaration.
    declarations.reverse();
    const first = declarations[0]!;
    let modifiers: Required<Modifiers> = {
      optional: true,
      unique: false,
      read: true,
      write: true,
      initial: false,
      partOf: false,
      private: false,
      search: true,
      removable: true,
      encrypted: false,
    };
    let declaringType = first.type;
    let typeName = first.pending.decl.type;
    let defaultValue = first.pending.decl.defaultValue;
    let persistence = first.pending.decl.persistence;
    let relation = first.pending.relation;
    let source = first.pending.source;
    for (const { type, pending } of declarations) {
      modifiers = { ...modifiers, ...definedOnly(pending.decl.modifiers) };
      declaringType = type;
      if (pending.decl.type) typeName = pending.decl.type;
      if (pending.decl.defaultValue !== undefined) defaultValue = pending.decl.defaultValue;
      if (pending.decl.redeclare) {
        // A redeclared relation end keeps its relation; a narrowed collection type replaces the element type.
        if (relation && pending.decl.type && !this.collections.has(pending.decl.type)) relation = { ...relation, otherType: pending.decl.type };
      } else {
        persistence = pending.decl.persistence;
        relation = pending.relation;
      }
      source = pending.source;
    }
    const shape = relation
      ? relation.many
        ? { kind: 'collection' as const, collectionKind: relation.collectionKind, element: this.shapeOf(this.collections.get(typeName)?.elementType ?? relation.otherType) }
        : this.shapeOf(relation.otherType)
      : this.shapeOf(typeName);
    return {
      qualifier,
      declaringType,
      typeCode: typeName,
      shape,
      optional: modifiers.optional,
      unique: modifiers.unique,
      partOf: modifiers.partOf,
      readable: modifiers.read,
      writable: modifiers.write,
      initial: modifiers.initial,
      private: modifiers.private,
      localized: shape.kind === 'localized',
      ...(defaultValue !== undefined ? { defaultValue } : {}),
      persistence,
      ...(relation ? { relation } : {}),
      source,
    };
  }

  /** The value shape of a type code. */
  shapeOf(typeCode: string, seen: Set<string> = new Set()): ValueShape {
    const code = typeCode.trim();
    if (code.startsWith('localized:')) return { kind: 'localized', value: this.shapeOf(code.slice('localized:'.length), seen) };
    const primitive = PRIMITIVES[code];
    if (primitive) return { kind: 'atomic', javaClass: primitive };
    if (this.atomics.has(code)) return { kind: 'atomic', javaClass: code };
    if (this.enums.has(code)) return { kind: 'enum', typeCode: code };
    if (seen.has(code)) return { kind: 'unknown', typeCode: code };
    seen.add(code);
    const coll = this.collections.get(code);
    if (coll) return { kind: 'collection', collectionKind: coll.kind, element: this.shapeOf(coll.elementType, seen) };
    const map = this.maps.get(code);
    if (map) {
      if (map.argumentType === 'Language') return { kind: 'localized', value: this.shapeOf(map.returnType, seen) };
      return { kind: 'map', typeCode: code, key: this.shapeOf(map.argumentType, seen), value: this.shapeOf(map.returnType, seen) };
    }
    if (this.types.has(code)) {
      if (code === ATTRIBUTE_DESCRIPTOR || this.isSubtypeOf(code, ATTRIBUTE_DESCRIPTOR)) return { kind: 'attributeDescriptor' };
      if (code === META_TYPE_ROOT || this.isSubtypeOf(code, META_TYPE_ROOT)) return { kind: 'type' };
      return { kind: 'item', typeCode: code };
    }
    if (code === META_TYPE_ROOT || code === 'Type') return { kind: 'type' };
    if (code === ATTRIBUTE_DESCRIPTOR) return { kind: 'attributeDescriptor' };
    if (/^(java|de\.hybris)\./.test(code)) return { kind: 'atomic', javaClass: code };
    return { kind: 'unknown', typeCode: code };
  }
}

function definedOnly(m: Modifiers): Partial<Required<Modifiers>> {
  const out: Partial<Required<Modifiers>> = {};
  for (const [k, v] of Object.entries(m) as [keyof Modifiers, boolean | undefined][]) if (v !== undefined) out[k] = v;
  return out;
}
