import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ItemsDeclarations, parseItemsXml } from '../../mock-commerce/types/items-xml.js';
import { builtinItemsFiles, loadTypeSystem } from '../../mock-commerce/types/load.js';
import { type AttributeDescriptor, TypeSystem } from '../../mock-commerce/types/type-system.js';

const here = dirname(fileURLToPath(import.meta.url));
const LOYALTY_FILE = join(here, '..', 'fixtures', 'types', 'loyalty-items.xml');

/** EDMX `Nullable` as the 2005 generator computes it: optional, or mandatory with a default value. */
function nullable(a: AttributeDescriptor): boolean {
  return a.optional || a.defaultValue !== undefined;
}

let builtinDecls: ItemsDeclarations[];
function builtins(): ItemsDeclarations[] {
  builtinDecls ??= builtinItemsFiles().map((f) => parseItemsXml(readFileSync(f, 'utf8'), f, { builtin: true }));
  return builtinDecls;
}

/** The built-in catalogue plus project files given as XML text, in order. */
function withProject(...files: [name: string, xml: string][]): TypeSystem {
  return TypeSystem.build([...builtins(), ...files.map(([name, xml]) => parseItemsXml(xml, name))]);
}

function items(body: string): string {
  return `<?xml version="1.0" encoding="ISO-8859-1"?>\n<items>\n${body}\n</items>\n`;
}

function attr(ts: TypeSystem, type: string, qualifier: string): AttributeDescriptor {
  const a = ts.attribute(type, qualifier);
  if (!a) throw new Error(`no attribute ${type}.${qualifier}`);
  return a;
}

describe('built-in catalogue: the facts behind $metadata', () => {
  let ts: TypeSystem;
  beforeAll(() => {
    ts = loadTypeSystem().typeSystem;
  });

  it('merges the whole catalogue without warnings', () => {
    expect(ts.warnings).toEqual([]);
  });

  it('Order.code is unique and optional (declared on AbstractOrder)', () => {
    const a = attr(ts, 'Order', 'code');
    expect(a).toMatchObject({ unique: true, optional: true, declaringType: 'AbstractOrder', shape: { kind: 'atomic', javaClass: 'java.lang.String' } });
    expect(nullable(a)).toBe(true);
  });

  it('Order.date is mandatory without a default (Nullable=false)', () => {
    const a = attr(ts, 'Order', 'date');
    expect(a).toMatchObject({ optional: false, unique: false, shape: { kind: 'atomic', javaClass: 'java.util.Date' } });
    expect(a.defaultValue).toBeUndefined();
    expect(nullable(a)).toBe(false);
  });

  it('Order.currency and Order.user are mandatory references', () => {
    expect(attr(ts, 'Order', 'currency')).toMatchObject({ optional: false, shape: { kind: 'item', typeCode: 'Currency' } });
    const user = attr(ts, 'Order', 'user');
    expect(user).toMatchObject({ optional: false, unique: false, declaringType: 'Order', shape: { kind: 'item', typeCode: 'User' } });
    expect(user.relation?.relation).toBe('User2Orders');
  });

  it('Order.entries is a partOf list of OrderEntry from AbstractOrder2AbstractOrderEntry, through the bare redeclare', () => {
    const a = attr(ts, 'Order', 'entries');
    expect(a.declaringType).toBe('Order');
    expect(a.typeCode).toBe('OrderEntryCollection');
    expect(a.partOf).toBe(true);
    expect(a.optional).toBe(true);
    expect(a.shape).toEqual({ kind: 'collection', collectionKind: 'list', element: { kind: 'item', typeCode: 'OrderEntry' } });
    expect(a.relation).toMatchObject({ relation: 'AbstractOrder2AbstractOrderEntry', otherQualifier: 'order', many: true, collectionKind: 'list' });
    // the relation end itself, on AbstractOrder
    expect(attr(ts, 'AbstractOrder', 'entries')).toMatchObject({
      declaringType: 'AbstractOrder',
      partOf: true,
      shape: { kind: 'collection', collectionKind: 'list', element: { kind: 'item', typeCode: 'AbstractOrderEntry' } },
    });
    expect(attr(ts, 'Cart', 'entries').shape).toEqual({ kind: 'collection', collectionKind: 'list', element: { kind: 'item', typeCode: 'CartEntry' } });
  });

  it('OrderEntry.order is unique and mandatory through its redeclaration; AbstractOrderEntry.order is not', () => {
    const entry = attr(ts, 'OrderEntry', 'order');
    expect(entry).toMatchObject({ declaringType: 'OrderEntry', unique: true, optional: false, initial: true, writable: false, shape: { kind: 'item', typeCode: 'Order' } });
    expect(entry.relation).toMatchObject({ relation: 'AbstractOrder2AbstractOrderEntry', otherQualifier: 'entries', many: false });
    expect(nullable(entry)).toBe(false);
    const abstract = attr(ts, 'AbstractOrderEntry', 'order');
    expect(abstract).toMatchObject({ declaringType: 'AbstractOrderEntry', unique: false, optional: true, writable: true, shape: { kind: 'item', typeCode: 'AbstractOrder' } });
    expect(attr(ts, 'CartEntry', 'order')).toMatchObject({ unique: true, optional: false, shape: { kind: 'item', typeCode: 'Cart' } });
  });

  it('OrderEntry.entryNumber is unique, optional and has a default', () => {
    const a = attr(ts, 'OrderEntry', 'entryNumber');
    expect(a).toMatchObject({ unique: true, optional: true, declaringType: 'AbstractOrderEntry', shape: { kind: 'atomic', javaClass: 'java.lang.Integer' } });
    expect(a.defaultValue).toContain('APPEND_AS_LAST');
  });

  it('OrderEntry.basePrice is an optional Double with a default', () => {
    const a = attr(ts, 'OrderEntry', 'basePrice');
    expect(a).toMatchObject({ optional: true, unique: false, defaultValue: '0.0', shape: { kind: 'atomic', javaClass: 'java.lang.Double' } });
  });

  it('OrderEntry.product is mandatory', () => {
    expect(attr(ts, 'OrderEntry', 'product')).toMatchObject({ optional: false, shape: { kind: 'item', typeCode: 'Product' } });
  });

  it('Currency.isocode is unique through its redeclaration while C2LItem.isocode is not', () => {
    expect(attr(ts, 'Currency', 'isocode')).toMatchObject({ declaringType: 'Currency', unique: true, optional: false });
    expect(attr(ts, 'C2LItem', 'isocode')).toMatchObject({ declaringType: 'C2LItem', unique: false, optional: false });
    for (const t of ['Language', 'Country', 'Region']) expect(attr(ts, t, 'isocode').unique).toBe(true);
  });

  it('CatalogVersion.catalog is unique and mandatory, from Catalog2VersionsRelation', () => {
    const a = attr(ts, 'CatalogVersion', 'catalog');
    expect(a).toMatchObject({ unique: true, optional: false, initial: true, writable: false, shape: { kind: 'item', typeCode: 'Catalog' } });
    expect(a.relation).toMatchObject({ relation: 'Catalog2VersionsRelation', otherType: 'Catalog', many: false });
    expect(a.source.extension).toBe('catalog');
    expect(attr(ts, 'CatalogVersion', 'version')).toMatchObject({ unique: true, optional: false });
    expect(attr(ts, 'Catalog', 'id')).toMatchObject({ unique: true, optional: false });
  });

  it('Product.code and Product.catalogVersion are unique and mandatory; catalogVersion comes from catalog', () => {
    expect(attr(ts, 'Product', 'code')).toMatchObject({ unique: true, optional: false, initial: true });
    const cv = attr(ts, 'Product', 'catalogVersion');
    expect(cv).toMatchObject({ unique: true, optional: false, shape: { kind: 'item', typeCode: 'CatalogVersion' } });
    expect(cv.source.extension).toBe('catalog');
    expect(attr(ts, 'Media', 'catalogVersion')).toMatchObject({ unique: true, optional: false });
    expect(attr(ts, 'Media', 'code')).toMatchObject({ unique: true, optional: false });
  });

  it('Product.name and Product.description are localized Strings', () => {
    for (const q of ['name', 'description']) {
      const a = attr(ts, 'Product', q);
      expect(a.localized).toBe(true);
      expect(a.optional).toBe(true);
      expect(a.shape).toEqual({ kind: 'localized', value: { kind: 'atomic', javaClass: 'java.lang.String' } });
    }
    expect(attr(ts, 'Product', 'picture')).toMatchObject({ optional: true, localized: false, shape: { kind: 'item', typeCode: 'Media' } });
  });

  it('Product.approvalStatus is mandatory with a default, so Nullable=true', () => {
    const a = attr(ts, 'Product', 'approvalStatus');
    expect(a.optional).toBe(false);
    expect(a.defaultValue).toContain('check');
    expect(a.shape).toEqual({ kind: 'enum', typeCode: 'ArticleApprovalStatus' });
    expect(nullable(a)).toBe(true);
  });

  it.each([
    ['Catalog', 'defaultCatalog'],
    ['CatalogVersion', 'active'],
    ['C2LItem', 'active'],
    ['Currency', 'digits'],
    ['AbstractOrder', 'net'],
    ['AbstractOrderEntry', 'giveAway'],
    ['PriceRow', 'minqtd'],
    ['IntegrationObjectItem', 'root'],
    ['InboundChannelConfiguration', 'authenticationType'],
  ])('%s.%s is mandatory with a default value (the readings of Nullable diverge)', (type, qualifier) => {
    const a = attr(ts, type, qualifier);
    expect(a.optional).toBe(false);
    expect(a.defaultValue).toBeDefined();
    expect(nullable(a)).toBe(true);
  });

  it('Product.reviewCount is the commerceservices Integer with default 0', () => {
    expect(attr(ts, 'Product', 'reviewCount')).toMatchObject({ typeCode: 'java.lang.Integer', defaultValue: '0', optional: true });
    expect(attr(ts, 'Product', 'reviewCount').source.extension).toBe('commerceservices');
    expect(ts.attribute('Product', 'averageScore')).toBeUndefined();
  });

  it('Media.URL is dynamic and writable', () => {
    expect(attr(ts, 'Media', 'URL')).toMatchObject({ persistence: 'dynamic', writable: true, optional: true, shape: { kind: 'atomic', javaClass: 'java.lang.String' } });
  });

  it('User.uid is unique and mandatory, inherited from Principal', () => {
    expect(attr(ts, 'User', 'uid')).toMatchObject({ declaringType: 'Principal', unique: true, optional: false });
    expect(attr(ts, 'Customer', 'uid')).toMatchObject({ declaringType: 'Principal', unique: true });
    expect(attr(ts, 'User', 'name')).toMatchObject({ optional: true, unique: false });
  });

  it('Order.status is an enum attribute whose enum knows CREATED', () => {
    expect(attr(ts, 'Order', 'status').shape).toEqual({ kind: 'enum', typeCode: 'OrderStatus' });
    expect(ts.enumType('OrderStatus')?.values).toContain('CREATED');
    expect(ts.shapeOf('OrderStatus')).toEqual({ kind: 'enum', typeCode: 'OrderStatus' });
  });

  it('meta references: IntegrationObjectItem.type is a type, IntegrationObjectItemAttribute.attributeDescriptor an attribute descriptor', () => {
    expect(attr(ts, 'IntegrationObjectItem', 'type').shape).toEqual({ kind: 'type' });
    expect(attr(ts, 'IntegrationObjectItemAttribute', 'attributeDescriptor').shape).toEqual({ kind: 'attributeDescriptor' });
  });

  it('hierarchy: Employee is a User and a Principal; User has Customer and Employee below it', () => {
    expect(ts.composedType('Employee')?.superType).toBe('User');
    expect(ts.isSubtypeOf('Employee', 'User')).toBe(true);
    expect(ts.isSubtypeOf('Employee', 'Principal')).toBe(true);
    expect(ts.isSubtypeOf('User', 'Employee')).toBe(false);
    expect(ts.supertypeChain('Employee')).toEqual(['Employee', 'User', 'Principal', 'GenericItem', 'LocalizableItem', 'ExtensibleItem', 'Item']);
    const users = ts.typeAndSubtypes('User');
    expect(users[0]).toBe('User');
    expect(users).toEqual(expect.arrayContaining(['User', 'Customer', 'Employee']));
    expect(users).not.toContain('UserGroup');
  });

  it('enumeration types are EnumerationValue subtypes with a unique code and a localized name', () => {
    expect(ts.composedType('OrderStatus')).toMatchObject({ code: 'OrderStatus', superType: 'EnumerationValue', abstract: false });
    expect(ts.isSubtypeOf('ArticleApprovalStatus', 'EnumerationValue')).toBe(true);
    expect(attr(ts, 'OrderStatus', 'code')).toMatchObject({ unique: true, optional: false, declaringType: 'EnumerationValue' });
    expect(attr(ts, 'ArticleApprovalStatus', 'code').unique).toBe(true);
    expect(attr(ts, 'OrderStatus', 'name').localized).toBe(true);
    expect(ts.typeAndSubtypes('EnumerationValue')).toContain('OrderStatus');
  });

  it('attributes(type) lists inherited attributes first and applies redeclarations', () => {
    const all = ts.attributes('OrderEntry');
    const qualifiers = all.map((a) => a.qualifier);
    expect(qualifiers).toEqual(expect.arrayContaining(['pk', 'order', 'entryNumber', 'basePrice', 'product']));
    expect(qualifiers.indexOf('pk')).toBeLessThan(qualifiers.indexOf('entryNumber'));
    expect(all.find((a) => a.qualifier === 'order')?.unique).toBe(true);
    expect(new Set(qualifiers).size).toBe(qualifiers.length);
  });

  it('shapeOf: primitives map to wrappers, localized: prefixes wrap, unknown codes stay unknown', () => {
    expect(ts.shapeOf('boolean')).toEqual({ kind: 'atomic', javaClass: 'java.lang.Boolean' });
    expect(ts.shapeOf('int')).toEqual({ kind: 'atomic', javaClass: 'java.lang.Integer' });
    expect(ts.shapeOf('localized:java.lang.String')).toEqual({ kind: 'localized', value: { kind: 'atomic', javaClass: 'java.lang.String' } });
    expect(ts.shapeOf('Product')).toEqual({ kind: 'item', typeCode: 'Product' });
    expect(ts.shapeOf('ComposedType')).toEqual({ kind: 'type' });
    expect(ts.shapeOf('NoSuchType')).toEqual({ kind: 'unknown', typeCode: 'NoSuchType' });
  });
});

describe('merging a project file over the built-in catalogue', () => {
  let ts: TypeSystem;
  beforeAll(() => {
    ts = TypeSystem.build([...builtins(), parseItemsXml(readFileSync(LOYALTY_FILE, 'utf8'), LOYALTY_FILE)]);
  });

  it('merges the fixture without warnings', () => {
    expect(ts.warnings).toEqual([]);
  });

  it('declares item types inside and outside an itemgroup, with GenericItem as the default supertype', () => {
    expect(ts.composedType('LoyaltyCard')).toMatchObject({ superType: 'GenericItem', abstract: false });
    expect(ts.composedType('PremiumLoyaltyCard')?.superType).toBe('LoyaltyCard');
    expect(ts.composedType('LoyaltyProgram')).toMatchObject({ superType: 'GenericItem', abstract: true });
    expect(ts.composedType('LoyaltyCard')?.source).toMatchObject({ file: LOYALTY_FILE, extension: 'loyalty', builtin: false });
  });

  it('attribute modifiers, defaults and persistence', () => {
    expect(attr(ts, 'LoyaltyCard', 'cardNumber')).toMatchObject({ optional: false, unique: true, initial: true, writable: false, readable: true });
    expect(attr(ts, 'LoyaltyCard', 'points')).toMatchObject({ optional: false, typeCode: 'int', defaultValue: 'Integer.valueOf(0)', shape: { kind: 'atomic', javaClass: 'java.lang.Integer' } });
    expect(attr(ts, 'LoyaltyCard', 'tier')).toMatchObject({ optional: true, shape: { kind: 'enum', typeCode: 'LoyaltyTier' } });
    expect(attr(ts, 'LoyaltyCard', 'displayName')).toMatchObject({ persistence: 'dynamic', writable: false });
    expect(attr(ts, 'LoyaltyCard', 'legacyCode').persistence).toBe('jalo');
    expect(attr(ts, 'LoyaltyCard', 'validity')).toMatchObject({ private: true, shape: { kind: 'atomic', javaClass: 'java.time.Duration' } });
    // modifiers never stated keep the items.xsd defaults
    expect(attr(ts, 'LoyaltyCard', 'validity')).toMatchObject({ optional: true, unique: false, writable: true, initial: false, partOf: false });
  });

  it('redeclare narrows the stated modifiers and inherits the rest', () => {
    const number = attr(ts, 'PremiumLoyaltyCard', 'cardNumber');
    expect(number).toMatchObject({ declaringType: 'PremiumLoyaltyCard', writable: true, unique: true, optional: false, initial: true });
    const tier = attr(ts, 'PremiumLoyaltyCard', 'tier');
    expect(tier).toMatchObject({ declaringType: 'PremiumLoyaltyCard', optional: false, shape: { kind: 'enum', typeCode: 'LoyaltyTier' } });
    expect(tier.defaultValue).toBe('em().getEnumerationValue("LoyaltyTier","BRONZE")');
    // the supertype is untouched
    expect(attr(ts, 'LoyaltyCard', 'cardNumber').writable).toBe(false);
    expect(attr(ts, 'LoyaltyCard', 'tier').optional).toBe(true);
    // non-redeclared attributes are simply inherited
    expect(attr(ts, 'PremiumLoyaltyCard', 'points').declaringType).toBe('LoyaltyCard');
  });

  it('one-to-many relation: each end becomes an attribute of the other type, with its own modifiers', () => {
    const cards = attr(ts, 'Customer', 'loyaltyCards');
    expect(cards).toMatchObject({ declaringType: 'Customer', partOf: true, optional: true, unique: false });
    expect(cards.shape).toEqual({ kind: 'collection', collectionKind: 'list', element: { kind: 'item', typeCode: 'LoyaltyCard' } });
    expect(cards.relation).toEqual({ relation: 'Customer2LoyaltyCards', otherType: 'LoyaltyCard', otherQualifier: 'owner', many: true, collectionKind: 'list', ordered: true });
    const owner = attr(ts, 'LoyaltyCard', 'owner');
    expect(owner).toMatchObject({ declaringType: 'LoyaltyCard', optional: false, unique: true, initial: true, partOf: false, shape: { kind: 'item', typeCode: 'Customer' } });
    expect(owner.relation).toMatchObject({ relation: 'Customer2LoyaltyCards', otherQualifier: 'loyaltyCards', many: false, ordered: false });
    // inherited by subtypes of both ends
    expect(attr(ts, 'PremiumLoyaltyCard', 'owner').unique).toBe(true);
    expect(ts.attribute('Employee', 'loyaltyCards')).toBeUndefined();
  });

  it('many-to-many relation: collection kinds per end, default kind collection', () => {
    const products = attr(ts, 'LoyaltyCard', 'eligibleProducts');
    expect(products.shape).toEqual({ kind: 'collection', collectionKind: 'collection', element: { kind: 'item', typeCode: 'Product' } });
    expect(products).toMatchObject({ writable: false, partOf: false });
    expect(products.relation).toMatchObject({ relation: 'LoyaltyCard2EligibleProducts', many: true, otherQualifier: 'cards' });
    const cards = attr(ts, 'Product', 'cards');
    expect(cards.shape).toEqual({ kind: 'collection', collectionKind: 'set', element: { kind: 'item', typeCode: 'LoyaltyCard' } });
    expect(cards.writable).toBe(true);
    expect(attr(ts, 'VariantProduct', 'cards').declaringType).toBe('Product');
  });

  it('a redeclared relation end with a narrower collection type keeps partOf and the relation', () => {
    const a = attr(ts, 'VipCustomer', 'loyaltyCards');
    expect(a.declaringType).toBe('VipCustomer');
    expect(a.shape).toEqual({ kind: 'collection', collectionKind: 'list', element: { kind: 'item', typeCode: 'PremiumLoyaltyCard' } });
    expect(a.partOf).toBe(true);
    expect(a.relation?.relation).toBe('Customer2LoyaltyCards');
  });

  it('an autocreate="false" fragment adds attributes to a built-in type', () => {
    const a = attr(ts, 'Product', 'loyaltyPoints');
    expect(a).toMatchObject({ declaringType: 'Product', optional: true, shape: { kind: 'atomic', javaClass: 'java.lang.Integer' } });
    expect(a.source.file).toBe(LOYALTY_FILE);
    // the built-in attributes stay
    expect(attr(ts, 'Product', 'code').unique).toBe(true);
    expect(ts.composedType('Product')?.source.builtin).toBe(true);
  });

  it('enums: a new enum, and an autocreate="false" enum that adds values to a built-in one', () => {
    expect(ts.enumType('LoyaltyTier')).toMatchObject({ dynamic: true, values: ['BRONZE', 'SILVER', 'GOLD'] });
    expect(ts.composedType('LoyaltyTier')?.superType).toBe('EnumerationValue');
    expect(attr(ts, 'LoyaltyTier', 'code').unique).toBe(true);
    const status = ts.enumType('OrderStatus')!;
    expect(status.values).toContain('CREATED');
    expect(status.values.at(-1)).toBe('AWAITING_LOYALTY_CHECK');
    expect(status.source.builtin).toBe(true);
  });

  it('collection and map types give collection, map and localized shapes', () => {
    expect(attr(ts, 'LoyaltyCard', 'tags').shape).toEqual({ kind: 'collection', collectionKind: 'set', element: { kind: 'atomic', javaClass: 'java.lang.String' } });
    expect(attr(ts, 'LoyaltyCard', 'notes').shape).toEqual({ kind: 'collection', collectionKind: 'collection', element: { kind: 'atomic', javaClass: 'java.lang.String' } });
    expect(attr(ts, 'LoyaltyCard', 'pointsByTier').shape).toEqual({
      kind: 'map',
      typeCode: 'TierPointsMap',
      key: { kind: 'enum', typeCode: 'LoyaltyTier' },
      value: { kind: 'atomic', javaClass: 'java.lang.Integer' },
    });
    // a map keyed by Language is a localized value, like localized:X
    expect(attr(ts, 'LoyaltyCard', 'terms')).toMatchObject({ localized: true, shape: { kind: 'localized', value: { kind: 'atomic', javaClass: 'java.lang.String' } } });
    expect(attr(ts, 'LoyaltyCard', 'headline').localized).toBe(true);
    expect(ts.shapeOf('PremiumLoyaltyCardList')).toEqual({ kind: 'collection', collectionKind: 'list', element: { kind: 'item', typeCode: 'PremiumLoyaltyCard' } });
  });

  it('does not leak into a type system built without the project file', () => {
    const plain = loadTypeSystem().typeSystem;
    expect(plain.hasComposedType('LoyaltyCard')).toBe(false);
    expect(plain.enumType('OrderStatus')?.values).not.toContain('AWAITING_LOYALTY_CHECK');
    expect(plain.attribute('Product', 'loyaltyPoints')).toBeUndefined();
  });
});

describe('precedence of project declarations over the built-in catalogue', () => {
  it('a fragment redefining Product.reviewCount as String wins, with a warning naming Product.reviewCount', () => {
    const ts = withProject([
      'types/sample.xml',
      items(`<itemtypes>
  <itemtype code="Product" autocreate="false" generate="false">
    <attributes>
      <attribute qualifier="reviewCount" type="java.lang.String"><persistence type="property"/></attribute>
      <attribute qualifier="averageScore" type="java.lang.String"><persistence type="property"/></attribute>
    </attributes>
  </itemtype>
</itemtypes>`),
    ]);
    const a = attr(ts, 'Product', 'reviewCount');
    expect(a.typeCode).toBe('java.lang.String');
    expect(a.shape).toEqual({ kind: 'atomic', javaClass: 'java.lang.String' });
    expect(a.source).toMatchObject({ file: 'types/sample.xml', builtin: false });
    // the whole project declaration wins: the built-in default 0 is gone
    expect(a.defaultValue).toBeUndefined();
    expect(attr(ts, 'Product', 'averageScore').typeCode).toBe('java.lang.String');
    expect(ts.warnings).toHaveLength(1);
    expect(ts.warnings[0]!.file).toBe('types/sample.xml');
    expect(ts.warnings[0]!.message).toContain('Product.reviewCount');
    expect(ts.warnings[0]!.message).toContain('commerceservices');
  });

  it('the project wins even when the built-in declaration is merged later (full redeclaration of Product)', () => {
    // Built-in fragments (commerceservices adds reviewCount) merge after all autocreate itemtypes.
    const ts = withProject([
      'types/copy.xml',
      items(`<itemtypes>
  <itemtype code="Product" extends="GenericItem" autocreate="true" generate="false">
    <attributes>
      <attribute qualifier="reviewCount" type="java.lang.String"><persistence type="property"/></attribute>
    </attributes>
  </itemtype>
</itemtypes>`),
    ]);
    expect(attr(ts, 'Product', 'reviewCount')).toMatchObject({ typeCode: 'java.lang.String', source: { file: 'types/copy.xml' } });
    expect(attr(ts, 'Product', 'catalogVersion').unique).toBe(true);
    expect(ts.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('Product redeclares the built-in type'), expect.stringContaining('Product.reviewCount')]),
    );
    expect(ts.warnings.every((w) => w.file === 'types/copy.xml')).toBe(true);
  });

  it('a project attribute wins over a built-in relation end merged after it', () => {
    const ts = withProject([
      'types/cv.xml',
      items(`<itemtypes>
  <itemtype code="CatalogVersion" autocreate="false" generate="false">
    <attributes>
      <attribute qualifier="catalog" type="Catalog"><modifiers optional="false" unique="false"/><persistence type="property"/></attribute>
    </attributes>
  </itemtype>
</itemtypes>`),
    ]);
    expect(attr(ts, 'CatalogVersion', 'catalog')).toMatchObject({ unique: false, optional: false, shape: { kind: 'item', typeCode: 'Catalog' } });
    expect(ts.warnings.map((w) => w.message)).toEqual([expect.stringContaining('CatalogVersion.catalog')]);
  });

  it('a project type extending a built-in type inherits its attributes', () => {
    const ts = withProject([
      'types/shop.xml',
      items(`<itemtypes>
  <itemtype code="ShopProduct" extends="Product" autocreate="true" generate="true">
    <attributes>
      <attribute qualifier="shopSku" type="java.lang.String"><modifiers unique="true" optional="false"/><persistence type="property"/></attribute>
      <attribute qualifier="name" type="localized:java.lang.String" redeclare="true"><modifiers optional="false"/></attribute>
    </attributes>
  </itemtype>
</itemtypes>`),
    ]);
    expect(ts.warnings).toEqual([]);
    expect(ts.isSubtypeOf('ShopProduct', 'Product')).toBe(true);
    expect(ts.typeAndSubtypes('Product')).toContain('ShopProduct');
    expect(attr(ts, 'ShopProduct', 'code')).toMatchObject({ declaringType: 'Product', unique: true, optional: false });
    expect(attr(ts, 'ShopProduct', 'catalogVersion')).toMatchObject({ declaringType: 'Product', unique: true });
    expect(attr(ts, 'ShopProduct', 'reviewCount').typeCode).toBe('java.lang.Integer');
    expect(attr(ts, 'ShopProduct', 'shopSku')).toMatchObject({ declaringType: 'ShopProduct', unique: true });
    expect(attr(ts, 'ShopProduct', 'name')).toMatchObject({ declaringType: 'ShopProduct', optional: false, localized: true });
    expect(attr(ts, 'Product', 'name').optional).toBe(true);
    const keys = ts.attributes('ShopProduct').filter((a) => a.unique).map((a) => a.qualifier);
    expect(keys).toEqual(expect.arrayContaining(['code', 'catalogVersion', 'shopSku']));
  });

  it('a fragment for a never-declared type warns and creates it under GenericItem', () => {
    const ts = withProject([
      'types/ghost.xml',
      items(`<itemtypes>
  <itemtype code="GhostItem" autocreate="false" generate="false">
    <attributes><attribute qualifier="label" type="java.lang.String"/></attributes>
  </itemtype>
</itemtypes>`),
    ]);
    expect(ts.warnings).toHaveLength(1);
    expect(ts.warnings[0]).toMatchObject({ file: 'types/ghost.xml' });
    expect(ts.warnings[0]!.message).toContain('GhostItem');
    expect(ts.warnings[0]!.message).toContain('never declared');
    expect(ts.composedType('GhostItem')?.superType).toBe('GenericItem');
    expect(attr(ts, 'GhostItem', 'label').shape).toEqual({ kind: 'atomic', javaClass: 'java.lang.String' });
  });

  it('warns about unknown supertypes, unknown attribute types and relations to unknown types', () => {
    const ts = withProject([
      'types/broken.xml',
      items(`<relations>
  <relation code="Thing2Nowhere" localized="false" autocreate="true" generate="true">
    <sourceElement qualifier="thing" type="Thing" cardinality="one"/>
    <targetElement qualifier="places" type="Nowhere" cardinality="many"/>
  </relation>
</relations>
<itemtypes>
  <itemtype code="Thing" extends="NoSuchSuper" autocreate="true" generate="true">
    <attributes><attribute qualifier="weird" type="NoSuchAtomic"/></attributes>
  </itemtype>
</itemtypes>`),
    ]);
    const messages = ts.warnings.map((w) => w.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Thing extends unknown type NoSuchSuper/),
        expect.stringMatching(/Thing\.weird has unknown type NoSuchAtomic/),
        expect.stringMatching(/Thing2Nowhere names unknown type Nowhere/),
      ]),
    );
    expect(ts.attribute('Thing', 'weird')?.shape).toEqual({ kind: 'unknown', typeCode: 'NoSuchAtomic' });
    // the end the known type carries is still added
    expect(attr(ts, 'Thing', 'places').shape).toMatchObject({ kind: 'collection', element: { kind: 'unknown', typeCode: 'Nowhere' } });
  });

  it('between two project files, the later declaration wins with a warning', () => {
    const ts = withProject(
      ['types/a.xml', items(`<itemtypes><itemtype code="Gadget" autocreate="true"><attributes><attribute qualifier="size" type="java.lang.String"/></attributes></itemtype></itemtypes>`)],
      ['types/b.xml', items(`<itemtypes><itemtype code="Gadget" autocreate="false"><attributes><attribute qualifier="size" type="java.lang.Integer"/></attributes></itemtype></itemtypes>`)],
    );
    expect(attr(ts, 'Gadget', 'size').typeCode).toBe('java.lang.Integer');
    expect(ts.warnings).toEqual([{ file: 'types/b.xml', message: expect.stringContaining('Gadget.size') }]);
  });
});
