import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extensionOfFile, type ItemsDeclarations, ItemsXmlError, parseItemsXml } from '../../mock-commerce/types/items-xml.js';

const here = dirname(fileURLToPath(import.meta.url));
const LOYALTY_FILE = join(here, '..', 'fixtures', 'types', 'loyalty-items.xml');

function parseFixture(): ItemsDeclarations {
  return parseItemsXml(readFileSync(LOYALTY_FILE, 'utf8'), LOYALTY_FILE);
}

function thrown(fn: () => unknown): ItemsXmlError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ItemsXmlError);
    return e as ItemsXmlError;
  }
  throw new Error('expected an ItemsXmlError');
}

describe('parseItemsXml: a project items.xml', () => {
  const d = parseFixture();
  const itemType = (code: string) => {
    const t = d.itemTypes.find((i) => i.code === code);
    if (!t) throw new Error(`no itemtype ${code}`);
    return t;
  };
  const attribute = (code: string, qualifier: string) => {
    const a = itemType(code).attributes.find((x) => x.qualifier === qualifier);
    if (!a) throw new Error(`no attribute ${code}.${qualifier}`);
    return a;
  };

  it('records the source file and derives the extension from the file name', () => {
    expect(itemType('LoyaltyCard').source).toEqual({ file: LOYALTY_FILE, extension: 'loyalty', builtin: false });
    expect(d.relations[0]!.declaredIn).toEqual({ file: LOYALTY_FILE, extension: 'loyalty', builtin: false });
    const builtin = parseItemsXml('<items/>', 'x.xml', { builtin: true, extension: 'core' });
    expect(builtin).toEqual({ atomicTypes: [], collectionTypes: [], mapTypes: [], enumTypes: [], relations: [], itemTypes: [] });
  });

  it('an empty or comment-only <items> is a valid, empty file', () => {
    const empty = { atomicTypes: [], collectionTypes: [], mapTypes: [], enumTypes: [], relations: [], itemTypes: [] };
    expect(parseItemsXml('<?xml version="1.0"?>\n<items>\n</items>\n', 'empty.xml')).toEqual(empty);
    expect(parseItemsXml('<items>\n  <!-- nothing yet -->\n</items>', 'comment.xml')).toEqual(empty);
    expect(parseItemsXml('<items><itemtypes></itemtypes></items>', 'nothing.xml')).toEqual(empty);
  });

  it('reads item types inside and outside <itemgroup>', () => {
    expect(d.itemTypes.map((t) => t.code).sort()).toEqual(['LoyaltyCard', 'LoyaltyProgram', 'PremiumLoyaltyCard', 'Product', 'VipCustomer']);
    expect(itemType('LoyaltyCard')).toMatchObject({ extends: 'GenericItem', abstract: false, autocreate: true });
    expect(itemType('PremiumLoyaltyCard')).toMatchObject({ extends: 'LoyaltyCard', autocreate: true });
    expect(itemType('LoyaltyProgram')).toMatchObject({ abstract: true, autocreate: true });
    expect(itemType('LoyaltyProgram').extends).toBeUndefined();
  });

  it('reads attributes with only the modifiers they state', () => {
    expect(itemType('LoyaltyCard').attributes.map((a) => a.qualifier)).toEqual([
      'cardNumber',
      'tier',
      'points',
      'tags',
      'notes',
      'pointsByTier',
      'headline',
      'terms',
      'displayName',
      'legacyCode',
      'validity',
    ]);
    expect(attribute('LoyaltyCard', 'cardNumber')).toEqual({
      qualifier: 'cardNumber',
      type: 'java.lang.String',
      redeclare: false,
      modifiers: { optional: false, unique: true, initial: true, write: false },
      persistence: 'property',
    });
    expect(attribute('LoyaltyCard', 'validity').modifiers).toEqual({ read: true, partOf: false, private: true, search: false, removable: false, encrypted: true });
    expect(attribute('LoyaltyCard', 'tags').modifiers).toEqual({});
  });

  it('reads default values (trimmed text) and persistence types', () => {
    expect(attribute('LoyaltyCard', 'tier').defaultValue).toBe('em().getEnumerationValue("LoyaltyTier","BRONZE")');
    expect(attribute('LoyaltyCard', 'points')).toMatchObject({ type: 'int', defaultValue: 'Integer.valueOf(0)', modifiers: { optional: false } });
    expect(attribute('LoyaltyCard', 'tags').defaultValue).toBeUndefined();
    expect(attribute('LoyaltyCard', 'displayName').persistence).toBe('dynamic');
    expect(attribute('LoyaltyCard', 'legacyCode').persistence).toBe('jalo');
    expect(attribute('LoyaltyCard', 'headline').type).toBe('localized:java.lang.String');
  });

  it('reads redeclarations with their narrowed modifiers only', () => {
    expect(attribute('PremiumLoyaltyCard', 'cardNumber')).toMatchObject({ redeclare: true, modifiers: { write: true } });
    expect(attribute('PremiumLoyaltyCard', 'tier')).toMatchObject({ redeclare: true, modifiers: { optional: false } });
    expect(attribute('VipCustomer', 'loyaltyCards')).toMatchObject({ redeclare: true, type: 'PremiumLoyaltyCardList', modifiers: {} });
  });

  it('reads an autocreate="false" fragment', () => {
    expect(itemType('Product')).toMatchObject({ autocreate: false, abstract: false });
    expect(itemType('Product').extends).toBeUndefined();
    expect(attribute('Product', 'loyaltyPoints')).toMatchObject({ type: 'java.lang.Integer', modifiers: { optional: true } });
  });

  it('reads a one-to-many relation with collectiontype, ordered and modifiers per end', () => {
    const r = d.relations.find((x) => x.code === 'Customer2LoyaltyCards')!;
    expect(r.localized).toBe(false);
    expect(r.source).toEqual({
      qualifier: 'owner',
      type: 'Customer',
      cardinality: 'one',
      collectionType: 'collection',
      ordered: false,
      modifiers: { optional: false, unique: true, initial: true },
    });
    expect(r.target).toEqual({
      qualifier: 'loyaltyCards',
      type: 'LoyaltyCard',
      cardinality: 'many',
      collectionType: 'list',
      ordered: true,
      modifiers: { partOf: true },
    });
  });

  it('reads a many-to-many relation; an end without collectiontype is a plain collection', () => {
    const r = d.relations.find((x) => x.code === 'LoyaltyCard2EligibleProducts')!;
    expect(r.source).toMatchObject({ qualifier: 'cards', type: 'LoyaltyCard', cardinality: 'many', collectionType: 'set', ordered: false, modifiers: {} });
    expect(r.target).toMatchObject({ qualifier: 'eligibleProducts', type: 'Product', cardinality: 'many', collectionType: 'collection', modifiers: { write: false } });
  });

  it('reads a relation end without a qualifier (non-navigable)', () => {
    const x = parseItemsXml(
      `<items><relations><relation code="R" localized="true">
        <sourceElement type="A" cardinality="one" navigable="false"/>
        <targetElement qualifier="bs" type="B" cardinality="many" collectiontype="set" ordered="true"/>
      </relation></relations></items>`,
      'r-items.xml',
    );
    expect(x.relations[0]!.localized).toBe(true);
    expect(x.relations[0]!.source.qualifier).toBeUndefined();
    expect(x.relations[0]!.target).toMatchObject({ qualifier: 'bs', collectionType: 'set', ordered: true });
  });

  it('reads enum types: a new dynamic one and an autocreate="false" extension', () => {
    expect(d.enumTypes).toEqual([
      { code: 'LoyaltyTier', dynamic: true, autocreate: true, values: ['BRONZE', 'SILVER', 'GOLD'], source: expect.objectContaining({ file: LOYALTY_FILE }) },
      { code: 'OrderStatus', dynamic: false, autocreate: false, values: ['AWAITING_LOYALTY_CHECK'], source: expect.objectContaining({ file: LOYALTY_FILE }) },
    ]);
  });

  it('reads collection, map and atomic types', () => {
    expect(d.collectionTypes.map(({ code, elementType, kind }) => ({ code, elementType, kind }))).toEqual([
      { code: 'LoyaltyTagSet', elementType: 'java.lang.String', kind: 'set' },
      { code: 'LoyaltyNoteCollection', elementType: 'java.lang.String', kind: 'collection' },
      { code: 'PremiumLoyaltyCardList', elementType: 'PremiumLoyaltyCard', kind: 'list' },
    ]);
    expect(d.mapTypes.map(({ code, argumentType, returnType }) => ({ code, argumentType, returnType }))).toEqual([
      { code: 'TierPointsMap', argumentType: 'LoyaltyTier', returnType: 'java.lang.Integer' },
      { code: 'LoyaltyLocalizedText', argumentType: 'Language', returnType: 'java.lang.String' },
    ]);
    expect(d.atomicTypes).toEqual([{ javaClass: 'java.time.Duration', extends: 'java.lang.Object', source: expect.objectContaining({ extension: 'loyalty' }) }]);
  });

  it('reads single and repeated elements alike', () => {
    const x = parseItemsXml(
      `<items>
        <enumtypes><enumtype code="Solo"><value code="ONLY"/></enumtype></enumtypes>
        <itemtypes><itemgroup name="g"><itemtype code="One"><attributes><attribute qualifier="a" type="java.lang.String"/></attributes></itemtype></itemgroup></itemtypes>
      </items>`,
      'solo-items.xml',
    );
    expect(x.enumTypes[0]).toMatchObject({ code: 'Solo', values: ['ONLY'], autocreate: true, dynamic: false });
    expect(x.itemTypes).toHaveLength(1);
    expect(x.itemTypes[0]!.attributes).toEqual([{ qualifier: 'a', type: 'java.lang.String', redeclare: false, modifiers: {}, persistence: 'property' }]);
  });

  it('takes boolean attributes case-insensitively', () => {
    const x = parseItemsXml(
      `<items><itemtypes><itemtype code="T" abstract="TRUE" autocreate="False"><attributes>
        <attribute qualifier="a" type="java.lang.String" redeclare="True"><modifiers optional="FALSE" unique=" true "/></attribute>
      </attributes></itemtype></itemtypes></items>`,
      't-items.xml',
    );
    expect(x.itemTypes[0]).toMatchObject({ abstract: true, autocreate: false });
    expect(x.itemTypes[0]!.attributes[0]).toMatchObject({ redeclare: true, modifiers: { optional: false, unique: true } });
  });
});

describe('parseItemsXml: errors', () => {
  it('malformed XML throws an ItemsXmlError naming the file and line', () => {
    const xml = ['<?xml version="1.0"?>', '<items>', '  <itemtypes>', '    <itemtype code="A">', '  </itemtypes>', '</items>'].join('\n');
    const e = thrown(() => parseItemsXml(xml, 'types/bad.xml'));
    expect(e.file).toBe('types/bad.xml');
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/^types\/bad\.xml:5: /);
  });

  it('a root element other than <items> is an error', () => {
    const e = thrown(() => parseItemsXml('<beans>\n</beans>', 'spring.xml'));
    expect(e).toMatchObject({ file: 'spring.xml', line: 1 });
    expect(e.reason).toContain('<items>');
  });

  it('an itemtype without a code is an error at its own line', () => {
    const xml = [
      '<items>', // 1
      '  <itemtypes>', // 2
      '    <itemtype code="Fine" autocreate="true">', // 3
      '    </itemtype>', // 4
      '    <itemtype extends="Fine" autocreate="true">', // 5
      '    </itemtype>', // 6
      '  </itemtypes>', // 7
      '</items>', // 8
    ].join('\n');
    const e = thrown(() => parseItemsXml(xml, 'types/nocode.xml'));
    expect(e).toMatchObject({ file: 'types/nocode.xml', line: 5 });
    expect(e.message).toBe('types/nocode.xml:5: <itemtype> without a code');
  });

  it('a codeless itemtype inside an itemgroup, and other codeless declarations, are errors', () => {
    const grouped = '<items>\n<itemtypes>\n<itemgroup name="g">\n<itemtype extends="X"/>\n</itemgroup>\n</itemtypes>\n</items>';
    expect(thrown(() => parseItemsXml(grouped, 'g.xml'))).toMatchObject({ line: 4, reason: '<itemtype> without a code' });
    const enumXml = '<items>\n<enumtypes>\n<enumtype><value code="A"/></enumtype>\n</enumtypes>\n</items>';
    expect(thrown(() => parseItemsXml(enumXml, 'e.xml'))).toMatchObject({ line: 3, reason: '<enumtype> without a code' });
    const relXml = '<items>\n<relations>\n<relation>\n<sourceElement type="A" cardinality="one"/><targetElement type="B" cardinality="many"/>\n</relation>\n</relations>\n</items>';
    expect(thrown(() => parseItemsXml(relXml, 'r.xml'))).toMatchObject({ line: 3, reason: '<relation> without a code' });
    const collXml = '<items>\n<collectiontypes>\n<collectiontype code="Ok" elementtype="A"/>\n<collectiontype elementtype="B"/>\n</collectiontypes>\n</items>';
    expect(thrown(() => parseItemsXml(collXml, 'c.xml'))).toMatchObject({ line: 4, reason: '<collectiontype> without a code' });
    const atomicXml = '<items>\n<atomictypes>\n<atomictype extends="java.lang.Object"/>\n</atomictypes>\n</items>';
    expect(thrown(() => parseItemsXml(atomicXml, 'a.xml'))).toMatchObject({ line: 3, reason: '<atomictype> without a code' });
  });

  it('an attribute without a qualifier is an error naming its type', () => {
    const xml = '<items>\n<itemtypes>\n<itemtype code="Q">\n<attributes><attribute type="java.lang.String"/></attributes>\n</itemtype>\n</itemtypes>\n</items>';
    const e = thrown(() => parseItemsXml(xml, 'q.xml'));
    expect(e).toMatchObject({ file: 'q.xml', line: 3 });
    expect(e.reason).toContain('Q');
  });
});

describe('extensionOfFile', () => {
  it('strips -items.xml or .xml and any folder', () => {
    expect(extensionOfFile('/a/b/core-items.xml')).toBe('core');
    expect(extensionOfFile('C:\\x\\myext-items.xml')).toBe('myext');
    expect(extensionOfFile('types/a.xml')).toBe('a');
  });
});
