/**
 * Atom `<entry>` request bodies → the plain payload of the JSON path (spec §6.1, §14.1): the SCPI OData V2
 * receiver's entry, namespaces by URI, nulls, EDM literal conversion, inline entries and feeds, ignored
 * links, and refusals (malformed XML, wrong root, entity expansion, deep nesting) as 400 odata_error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EdmEntityType, EdmSchema } from '../../../mock-commerce/odata/metadata.js';
import { buildSchema } from '../../../mock-commerce/odata/metadata.js';
import { ODataRequestError } from '../../../mock-commerce/odata/odata-error.js';
import { MAX_XML_DEPTH, convertLiteral, parseAtomEntry, type Payload } from '../../../mock-commerce/odata/write/atom-entry.js';
import { loadCommerce } from '../../../mock-commerce/project.js';

const ATOM = 'http://www.w3.org/2005/Atom';
const M = 'http://schemas.microsoft.com/ado/2007/08/dataservices/metadata';
const D = 'http://schemas.microsoft.com/ado/2007/08/dataservices';
const REL = 'http://schemas.microsoft.com/ado/2007/08/dataservices/related/';
const NS = `xmlns="${ATOM}" xmlns:m="${M}" xmlns:d="${D}"`;
const ODATA_ERROR =
  'An error occurred while processing the request. The most likely cause of this error is the formatting of your OData request payload. Please verify the request payload format corresponds to the EDMX metadata for the Entity that you are attempting to create.';

/** An entry with properties in `<content>` and the given links; the root gets the namespace declarations. */
function entry(properties: string, links = '', root = true): string {
  return `<entry${root ? ` ${NS}` : ''}><content type="application/xml"><m:properties>${properties}</m:properties></content>${links}</entry>`;
}
function inlineLink(nav: string, inline: string, kind: 'entry' | 'feed' = 'entry'): string {
  return `<link rel="${REL}${nav}" type="application/atom+xml;type=${kind}" title="${nav}" href="x/${nav}"><m:inline>${inline}</m:inline></link>`;
}
function feed(...entries: string[]): string {
  return `<feed><title type="text">f</title><id>urn:f</id>${entries.join('')}</feed>`;
}

let productSchema: EdmSchema;
let product: EdmEntityType;
let ordersSchema: EdmSchema;
let order: EdmEntityType;

function typeOf(schema: EdmSchema, name: string): EdmEntityType {
  const t = schema.entityTypes.find((e) => e.name === name);
  if (!t) throw new Error(`no entity type ${name}`);
  return t;
}

beforeAll(() => {
  const { commerce, report } = loadCommerce({ projectDir: 'demo' });
  if (!commerce) throw new Error(JSON.stringify(report.errors));
  productSchema = buildSchema(commerce.integrationObjects.get('ThirdPartyInboundProduct')!);
  product = typeOf(productSchema, 'Product');
  ordersSchema = buildSchema(commerce.integrationObjects.get('Orders')!);
  order = typeOf(ordersSchema, 'Order');
});

function parse(xml: string, type: EdmEntityType = product, schema: EdmSchema = productSchema): Payload {
  return parseAtomEntry(xml, type, schema);
}

function refusal(run: () => unknown): ODataRequestError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ODataRequestError);
    return e as ODataRequestError;
  }
  throw new Error('expected a refusal');
}

function expectRefused(xml: string, type: EdmEntityType = product, schema: EdmSchema = productSchema): void {
  const e = refusal(() => parseAtomEntry(xml, type, schema));
  expect({ status: e.status, code: e.code, message: e.message }).toEqual({ status: 400, code: 'odata_error', message: ODATA_ERROR });
}

/** An entity type with one property per EDM type, for literal conversion through a whole entry. */
const TYPED: EdmEntityType = {
  name: 'Typed',
  key: 'integrationKey',
  properties: ['String', 'Boolean', 'Byte', 'SByte', 'Int16', 'Int32', 'Int64', 'Decimal', 'Single', 'Double', 'DateTime', 'Guid'].map((t) => ({
    name: t.toLowerCase(),
    type: `Edm.${t}`,
    nullable: true,
  })),
  navigations: [],
};
const TYPED_SCHEMA: EdmSchema = { entityTypes: [TYPED], associations: [], entitySets: [], associationSets: [] };

describe('the SCPI OData V2 receiver entry (SendProductRatings)', () => {
  const SCPI =
    `<entry xmlns="${ATOM}" xmlns:m="${M}" xmlns:d="${D}"><content type="application/xml"><m:properties>` +
    '<d:code>prod-4711</d:code><d:reviewRating m:type="Edm.Double">4.55769</d:reviewRating><d:reviewCount m:type="Edm.Int32">28</d:reviewCount>' +
    '<d:integrationKey>Online|Default|prod-4711</d:integrationKey></m:properties></content>' +
    `<link rel="${REL}catalogVersion" type="application/atom+xml;type=entry"><m:inline><entry><content type="application/xml"><m:properties>` +
    '<d:version>Online</d:version></m:properties></content>' +
    `<link rel="${REL}catalog" type="application/atom+xml;type=entry"><m:inline><entry><content type="application/xml"><m:properties>` +
    '<d:id>Default</d:id></m:properties></content></entry></m:inline></link></entry></m:inline></link></entry>';

  it('becomes the JSON payload: typed scalars, integrationKey kept, nested catalogVersion → catalog', () => {
    const payload = parse(SCPI);
    expect(payload).toEqual({
      code: 'prod-4711',
      reviewRating: 4.55769,
      reviewCount: 28,
      integrationKey: 'Online|Default|prod-4711',
      catalogVersion: { version: 'Online', catalog: { id: 'Default' } },
    });
    expect(Object.keys(payload)).toEqual(['code', 'reviewRating', 'reviewCount', 'integrationKey', 'catalogVersion']);
  });

  it('reads the score in every decimal form the flow sends (4.55769, 5.0, 5)', () => {
    for (const [text, value] of [['4.55769', 4.55769], ['5.0', 5], ['5', 5]] as const) {
      expect(parse(entry(`<d:reviewRating m:type="Edm.Double">${text}</d:reviewRating>`)).reviewRating).toBe(value);
    }
  });

  it('accepts an XML declaration, a BOM, pretty printing, comments and Atom metadata elements', () => {
    const xml =
      `\uFEFF<?xml version='1.0' encoding='UTF-8'?>\n<!-- sent by SCPI -->\n<entry ${NS} xml:base="https://commerce/odata2webservices/ThirdPartyInboundProduct/">\n` +
      '  <id>https://commerce/Products(\'x\')</id>\n  <title type="text"/>\n  <updated>2019-10-22T13:27:19Z</updated>\n  <author><name/></author>\n' +
      '  <category term="HybrisCommerceOData.Product" scheme="http://schemas.microsoft.com/ado/2007/08/dataservices/scheme"/>\n' +
      '  <content type="application/xml">\n    <m:properties>\n      <d:code>p1</d:code>\n      <!-- the count -->\n      <d:reviewCount>3</d:reviewCount>\n    </m:properties>\n  </content>\n</entry>\n';
    expect(parse(xml)).toEqual({ code: 'p1', reviewCount: 3 });
  });
});

describe('namespaces are resolved by URI, not by prefix', () => {
  it('accepts any prefixes, including Atom under a prefix and data as the default namespace', () => {
    const xml =
      `<atom:entry xmlns:atom="${ATOM}" xmlns:meta="${M}" xmlns:data="${D}"><atom:content type="application/xml"><meta:properties>` +
      '<data:code>p1</data:code><data:reviewCount>7</data:reviewCount></meta:properties></atom:content>' +
      `<atom:link rel="${REL}catalogVersion" href="x"><meta:inline><atom:entry><atom:content><meta:properties xmlns="${D}"><version>Staged</version></meta:properties></atom:content></atom:entry></meta:inline></atom:link></atom:entry>`;
    expect(parse(xml)).toEqual({ code: 'p1', reviewCount: 7, catalogVersion: { version: 'Staged' } });
  });

  it('honours declarations on inner elements and m:null under another prefix', () => {
    const xml = `<entry xmlns="${ATOM}"><content><x:properties xmlns:x="${M}"><y:code xmlns:y="${D}" x:null="true"/><y:reviewCount xmlns:y="${D}">1</y:reviewCount></x:properties></content></entry>`;
    expect(parse(xml)).toEqual({ code: null, reviewCount: 1 });
  });

  it('does not take the literal m:/d: prefixes for the namespaces', () => {
    // `d` bound to another namespace: not properties (skipped); `m` bound elsewhere: not m:properties.
    expect(parse(`<entry ${NS}><content><m:properties><d:code xmlns:d="urn:other">x</d:code><d:reviewCount>2</d:reviewCount></m:properties></content></entry>`)).toEqual({ reviewCount: 2 });
    expectRefused(`<entry xmlns="${ATOM}" xmlns:m="urn:other" xmlns:d="${D}"><content><m:properties><d:code>x</d:code></m:properties></content></entry>`);
    expect(parse(`<entry xmlns="${ATOM}" xmlns:m="urn:other" xmlns:d="${D}"><m:properties><d:code>x</d:code></m:properties></entry>`)).toEqual({});
  });

  it('refuses property elements in no namespace and undeclared prefixes', () => {
    expectRefused(`<entry xmlns="${ATOM}" xmlns:m="${M}"><content><m:properties><code xmlns="">x</code></m:properties></content></entry>`);
    expectRefused(`<entry xmlns="${ATOM}" xmlns:m="${M}"><content><m:properties><d:code>x</d:code></m:properties></content></entry>`);
    expectRefused(`<entry ${NS}><content><m:properties><d:code q:x="1">x</d:code></m:properties></content></entry>`);
  });

  it('reads media-link-entry style properties directly under <entry>', () => {
    expect(parse(`<entry ${NS}><content type="image/png" src="x.png"/><m:properties><d:code>p</d:code></m:properties></entry>`)).toEqual({ code: 'p' });
  });
});

describe('nulls', () => {
  it('m:null="true" is null whatever the type; m:null="false" reads the value', () => {
    const props = TYPED.properties.map((p) => `<d:${p.name} m:null="true"/>`).join('');
    const payload = parse(entry(props), TYPED, TYPED_SCHEMA);
    expect(Object.values(payload)).toHaveLength(TYPED.properties.length);
    expect(Object.values(payload).every((v) => v === null)).toBe(true);
    expect(parse(entry('<d:code m:null="false">p</d:code><d:reviewCount m:null="true">  </d:reviewCount><d:integrationKey m:null="true"></d:integrationKey>'))).toEqual({
      code: 'p',
      reviewCount: null,
      integrationKey: null,
    });
  });

  it('refuses an m:null other than true/false, and content in a null element', () => {
    expectRefused(entry('<d:code m:null="yes"/>'));
    expectRefused(entry('<d:code m:null="TRUE"/>'));
    expectRefused(entry('<d:code m:null="true">p</d:code>'));
  });

  it('an empty element is the empty string for Edm.String (not null)', () => {
    expect(parse(entry('<d:code/><d:integrationKey></d:integrationKey>'))).toEqual({ code: '', integrationKey: '' });
  });
});

describe('EDM literal conversion (the property type decides; m:type is not consulted)', () => {
  const valid: [string, string, unknown][] = [
    ['Edm.String', '  spaced\tand\nnewlines  ', '  spaced\tand\nnewlines  '],
    ['Edm.String', '', ''],
    ['Edm.Boolean', 'true', true],
    ['Edm.Boolean', 'false', false],
    ['Edm.Boolean', '1', true],
    ['Edm.Boolean', '0', false],
    ['Edm.Byte', '255', 255],
    ['Edm.Byte', '0', 0],
    ['Edm.SByte', '-128', -128],
    ['Edm.Int16', '-32768', -32768],
    ['Edm.Int32', '2147483647', 2147483647],
    ['Edm.Int32', '+42', 42],
    ['Edm.Int32', '007', 7],
    ['Edm.Int32', '-0', 0],
    ['Edm.Int64', '9223372036854775807', '9223372036854775807'],
    ['Edm.Int64', '-9223372036854775808', '-9223372036854775808'],
    ['Edm.Int64', '+0012', '12'],
    ['Edm.Decimal', '10.33', '10.33'],
    ['Edm.Decimal', '+007.50', '7.50'],
    ['Edm.Decimal', '-0.00', '0.00'],
    ['Edm.Decimal', '123456789012345678901234567890.123456789', '123456789012345678901234567890.123456789'],
    ['Edm.Double', '4.55769', 4.55769],
    ['Edm.Double', '-1.5E+10', -1.5e10],
    ['Edm.Double', '1e308', 1e308],
    ['Edm.Double', 'INF', Infinity],
    ['Edm.Double', '-INF', -Infinity],
    ['Edm.Double', 'NaN', NaN],
    ['Edm.Single', '4001.5', 4001.5],
    ['Edm.Single', '1.5e38', 1.5e38],
    ['Edm.Single', 'INF', Infinity],
    ['Edm.DateTime', '2019-10-22T13:27:19', `/Date(${Date.UTC(2019, 9, 22, 13, 27, 19)})/`],
    ['Edm.DateTime', '2019-10-22T13:27:19.123', `/Date(${Date.UTC(2019, 9, 22, 13, 27, 19, 123)})/`],
    ['Edm.DateTime', '2019-10-22T13:27:19.1', `/Date(${Date.UTC(2019, 9, 22, 13, 27, 19, 100)})/`],
    ['Edm.DateTime', '2019-10-22T13:27:19.120000000', `/Date(${Date.UTC(2019, 9, 22, 13, 27, 19, 120)})/`],
    ['Edm.DateTime', '2019-10-22T13:27', `/Date(${Date.UTC(2019, 9, 22, 13, 27)})/`],
    ['Edm.DateTime', '2020-2-9T3:4:5', `/Date(${Date.UTC(2020, 1, 9, 3, 4, 5)})/`],
    ['Edm.DateTime', '2020-02-29T00:00:00', `/Date(${Date.UTC(2020, 1, 29)})/`],
    ['Edm.DateTime', '1969-12-31T23:59:59.999', '/Date(-1)/'],
    ['Edm.DateTime', '0099-01-01T00:00:00', `/Date(${new Date('0099-01-01T00:00:00Z').getTime()})/`],
    ['Edm.Guid', 'not-checked', 'not-checked'],
  ];

  it.each(valid)('%s %j → %j', (edmType, text, expected) => {
    expect(convertLiteral(edmType, text)).toEqual(expected);
  });

  const invalid: [string, string][] = [
    ['Edm.Boolean', 'TRUE'],
    ['Edm.Boolean', 'yes'],
    ['Edm.Boolean', ''],
    ['Edm.Boolean', ' true'],
    ['Edm.Byte', '256'],
    ['Edm.Byte', '-1'],
    ['Edm.SByte', '128'],
    ['Edm.Int16', '32768'],
    ['Edm.Int32', '2147483648'],
    ['Edm.Int32', '1.0'],
    ['Edm.Int32', ' 28'],
    ['Edm.Int32', ''],
    ['Edm.Int32', '1e3'],
    ['Edm.Int32', '0x10'],
    ['Edm.Int64', '9223372036854775808'],
    ['Edm.Int64', '12L'],
    ['Edm.Int64', '1.5'],
    ['Edm.Decimal', '1.'],
    ['Edm.Decimal', '.5'],
    ['Edm.Decimal', '1e5'],
    ['Edm.Decimal', '10.33M'],
    ['Edm.Decimal', ''],
    ['Edm.Double', '4,5'],
    ['Edm.Double', '1.5d'],
    ['Edm.Double', 'Infinity'],
    ['Edm.Double', 'inf'],
    ['Edm.Double', '1e309'],
    ['Edm.Double', '1e1000'],
    ['Edm.Double', '123456789012345678'],
    ['Edm.Double', ''],
    ['Edm.Single', '12345678'],
    ['Edm.Single', '1e39'],
    ['Edm.Single', '1.5f'],
    ['Edm.DateTime', '2019-10-22T13:27:19Z'],
    ['Edm.DateTime', '2019-10-22T13:27:19+02:00'],
    ['Edm.DateTime', '2019-10-22'],
    ['Edm.DateTime', '2019-10-22 13:27:19'],
    ['Edm.DateTime', '/Date(1581351192100)/'],
    ['Edm.DateTime', '2019-13-01T00:00:00'],
    ['Edm.DateTime', '2019-02-29T00:00:00'],
    ['Edm.DateTime', '2019-04-31T00:00:00'],
    ['Edm.DateTime', '2019-10-22T24:00:00'],
    ['Edm.DateTime', '2019-10-22T13:60:00'],
    ['Edm.DateTime', '2019-10-22T13:27:60'],
    ['Edm.DateTime', '0000-01-01T00:00:00'],
    ['Edm.DateTime', '2019-10-22T13:27:19.'],
    ['Edm.DateTime', '2019-10-22T13:27:19.1234'],
    ['Edm.DateTime', '2019-10-22T13:27:19.1000000000'],
    ['Edm.DateTime', '12019-10-22T13:27:19'],
  ];

  it.each(invalid)('%s %j → 400 odata_error', (edmType, text) => {
    const e = refusal(() => convertLiteral(edmType, text));
    expect({ status: e.status, code: e.code, message: e.message }).toEqual({ status: 400, code: 'odata_error', message: ODATA_ERROR });
  });

  it('converts every type through a whole entry, decoding entities and CDATA in strings', () => {
    const xml = entry(
      '<d:string>a &amp; b &lt;c&gt; &quot;&apos; &#233;&#x1F600; <![CDATA[<raw> &amp; ]]>  </d:string><d:boolean>1</d:boolean><d:byte>200</d:byte><d:sbyte>-5</d:sbyte>' +
        '<d:int16>300</d:int16><d:int32>-70000</d:int32><d:int64>12345678901234567</d:int64><d:decimal>10.330</d:decimal><d:single>2.5</d:single>' +
        '<d:double>4001.0</d:double><d:datetime>2020-02-10T16:33:12.100</d:datetime><d:guid>0b5a4a8a-0000-0000-0000-000000000000</d:guid>',
    );
    expect(parse(xml, TYPED, TYPED_SCHEMA)).toEqual({
      string: 'a & b <c> "\' é😀 <raw> &amp;   ',
      boolean: true,
      byte: 200,
      sbyte: -5,
      int16: 300,
      int32: -70000,
      int64: '12345678901234567',
      decimal: '10.330',
      single: 2.5,
      double: 4001,
      datetime: `/Date(${Date.UTC(2020, 1, 10, 16, 33, 12, 100)})/`,
      guid: '0b5a4a8a-0000-0000-0000-000000000000',
    });
  });

  it('keeps string whitespace exactly (line breaks normalised to LF, as XML requires)', () => {
    expect(parse(entry('<d:code>\n  two\r\n  lines\t </d:code>')).code).toBe('\n  two\n  lines\t ');
    expect(parse(entry('<d:code>   </d:code>')).code).toBe('   ');
  });

  it('refuses a bad literal inside an entry, and in a nested inline entry', () => {
    expectRefused(entry('<d:reviewCount>many</d:reviewCount>'));
    expectRefused(entry('<d:reviewRating m:type="Edm.Double">4,5</d:reviewRating>'));
    expectRefused(entry('<d:date>2019-10-22T13:27:19Z</d:date>'), order, ordersSchema);
    expectRefused(
      entry('<d:code>o1</d:code>', inlineLink('entries', feed(entry('<d:entryNumber>one</d:entryNumber>', '', false)), 'feed')),
      order,
      ordersSchema,
    );
  });

  it('lets the property type win over m:type', () => {
    expect(parse(entry('<d:reviewCount m:type="Edm.String">28</d:reviewCount><d:code m:type="Edm.Int32">0042</d:code>'))).toEqual({ reviewCount: 28, code: '0042' });
  });

  it('refuses child elements inside a property', () => {
    expectRefused(entry('<d:code><d:x>1</d:x></d:code>'));
  });
});

describe('properties the entity type does not declare', () => {
  it('are kept as text for the engine to answer invalid_property', () => {
    expect(parse(entry('<d:code>p</d:code><d:averageScore m:type="Edm.Double">4.5</d:averageScore><d:unknownFlag>true</d:unknownFlag><d:gone m:null="true"/>'))).toEqual({
      code: 'p',
      averageScore: '4.5',
      unknownFlag: 'true',
      gone: null,
    });
  });

  it('are own members even when named __proto__ (no prototype pollution)', () => {
    const payload = parse(entry('<d:__proto__>x</d:__proto__><d:constructor>y</d:constructor>'));
    expect(Object.keys(payload)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(payload, '__proto__')?.value).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('a property given twice, or a property and an inline link of one name, are refused', () => {
    expectRefused(entry('<d:code>a</d:code><d:code>b</d:code>'));
    expectRefused(`<entry ${NS}><content><m:properties><d:code>a</d:code></m:properties></content><m:properties><d:code>b</d:code></m:properties></entry>`);
    expectRefused(entry('<d:catalogVersion>x</d:catalogVersion>', inlineLink('catalogVersion', entry('<d:version>Online</d:version>', '', false))));
    expectRefused(entry('', inlineLink('catalogVersion', '') + inlineLink('catalogVersion', '')));
  });
});

describe('navigation links', () => {
  it('reads to-many inline feeds as arrays and nested to-one entries (Orders: entries, user, localizedAttributes)', () => {
    const productEntry = entry(
      '<d:code>shirt</d:code>',
      inlineLink('localizedAttributes', feed(entry('<d:language>en</d:language><d:name>Shirt</d:name>', '', false), entry('<d:language>de</d:language><d:name>Hemd</d:name>', '', false)), 'feed') +
        inlineLink('catalogVersion', entry('<d:version>Online</d:version>', inlineLink('catalog', entry('<d:id>Default</d:id>', '', false)), false)),
      false,
    );
    const xml = entry(
      '<d:code>o1</d:code><d:date>2020-02-10T16:33:12</d:date>',
      inlineLink('user', entry('<d:uid>jane@example.com</d:uid>', '', false)) +
        inlineLink('currency', entry('<d:isocode>EUR</d:isocode>', '', false)) +
        inlineLink(
          'entries',
          feed(entry('<d:entryNumber>0</d:entryNumber><d:basePrice>19.99</d:basePrice>', inlineLink('product', productEntry), false), entry('<d:entryNumber>1</d:entryNumber>', '', false)),
          'feed',
        ),
    );
    expect(parse(xml, order, ordersSchema)).toEqual({
      code: 'o1',
      date: `/Date(${Date.UTC(2020, 1, 10, 16, 33, 12)})/`,
      user: { uid: 'jane@example.com' },
      currency: { isocode: 'EUR' },
      entries: [
        {
          entryNumber: 0,
          basePrice: 19.99,
          product: {
            code: 'shirt',
            localizedAttributes: [
              { language: 'en', name: 'Shirt' },
              { language: 'de', name: 'Hemd' },
            ],
            catalogVersion: { version: 'Online', catalog: { id: 'Default' } },
          },
        },
        { entryNumber: 1 },
      ],
    });
  });

  it('an empty inline is null for a to-one navigation and [] (an empty feed) for a to-many one', () => {
    expect(parse(entry('<d:code>o1</d:code>', inlineLink('user', '') + `<link rel="${REL}entries" href="x"><m:inline/></link>`), order, ordersSchema)).toEqual({
      code: 'o1',
      user: null,
      entries: [],
    });
    expect(parse(entry('', inlineLink('entries', feed(), 'feed')), order, ordersSchema)).toEqual({ entries: [] });
  });

  it('ignores links without inline content (deferred links, href bindings) and non-navigation rels', () => {
    const links =
      `<link rel="${REL}catalogVersion" type="application/atom+xml;type=entry" title="catalogVersion" href="CatalogVersions('Default%7COnline')"/>` +
      `<link rel="${REL}catalog" href="Catalogs('Default')"></link>` +
      '<link rel="edit" title="Product" href="Products(\'x\')"/><link rel="self" href="Products(\'x\')"><m:inline/></link>';
    expect(parse(entry('<d:code>p</d:code>', links))).toEqual({ code: 'p' });
  });

  it('keeps an inline entry of an undeclared navigation, untyped, for the engine to refuse', () => {
    expect(parse(entry('<d:code>p</d:code>', inlineLink('supplier', entry('<d:id>7</d:id>', '', false)) + inlineLink('tags', feed(entry('<d:v>a</d:v>', '', false)), 'feed') + inlineLink('nothing', '')))).toEqual({
      code: 'p',
      supplier: { id: '7' },
      tags: [{ v: 'a' }],
      nothing: null,
    });
  });

  it('refuses inline content that does not fit the navigation or is not an entry/feed', () => {
    const cv = entry('<d:version>Online</d:version>', '', false);
    expectRefused(entry('', inlineLink('catalogVersion', feed(cv), 'feed')));
    expectRefused(entry('', inlineLink('entries', entry('<d:entryNumber>1</d:entryNumber>', '', false))), order, ordersSchema);
    expectRefused(entry('', inlineLink('catalogVersion', cv + cv)));
    expectRefused(entry('', inlineLink('catalogVersion', '<m:properties><d:version>Online</d:version></m:properties>')));
    expectRefused(entry('', inlineLink('catalogVersion', 'Online')));
    expectRefused(entry('', inlineLink('supplier', '<d:x>1</d:x>')));
    expectRefused(entry('', `<link rel="${REL}catalogVersion"><d:x/></link>`));
    expectRefused(entry('', `<link rel="${REL}catalogVersion"><m:inline/><m:inline/></link>`));
    expectRefused(entry('', `<link rel="${REL}"><m:inline/></link>`));
  });
});

describe('refusals', () => {
  it.each([
    ['empty body', ''],
    ['not XML', 'code=p1'],
    ['JSON', '{"code":"p1"}'],
    ['unclosed element', `<entry ${NS}><content><m:properties><d:code>p</d:code></m:properties></content>`],
    ['mismatched end tag', `<entry ${NS}><content><m:properties><d:code>p</d:name></m:properties></content></entry>`],
    ['bare ampersand', entry('<d:code>a & b</d:code>')],
    ['unterminated reference', entry('<d:code>a &amp b</d:code>')],
    ['invalid character reference', entry('<d:code>&#0;</d:code>')],
    ['not a reference', entry('<d:code>&#xZZ;</d:code>')],
    ['repeated attribute', `<entry ${NS} a="1" a="2"/>`],
    ['two root elements', `<entry ${NS}/><entry ${NS}/>`],
    ['text after the root', `<entry ${NS}/>trailing`],
    ['an empty namespace binding', `<entry ${NS} xmlns:x=""/>`],
  ])('malformed XML: %s', (_name, xml) => {
    expectRefused(xml);
  });

  it.each([
    ['a feed', `<feed ${NS}>${entry('<d:code>p</d:code>', '', false)}</feed>`],
    ['a bare m:properties (Olingo refuses it too)', `<m:properties xmlns:m="${M}" xmlns:d="${D}"><d:code>p</d:code></m:properties>`],
    ['an entry in no namespace', `<entry xmlns:m="${M}" xmlns:d="${D}"><content><m:properties><d:code>p</d:code></m:properties></content></entry>`],
    ['an entry in the data namespace', `<d:entry xmlns:d="${D}"/>`],
    ['an entry in the metadata namespace', `<m:entry xmlns:m="${M}"/>`],
    ['a plain XML message', '<Products><Product><code>p</code></Product></Products>'],
  ])('wrong root: %s', (_name, xml) => {
    expectRefused(xml);
  });

  it('refuses text where only elements belong, and other elements in <content>', () => {
    expectRefused(`<entry ${NS}>text<content><m:properties><d:code>p</d:code></m:properties></content></entry>`);
    expectRefused(`<entry ${NS}><content>text</content></entry>`);
    expectRefused(`<entry ${NS}><content><d:code>p</d:code></content></entry>`);
    expectRefused(`<entry ${NS}><content><m:properties>text<d:code>p</d:code></m:properties></content></entry>`);
    expect(parse(`<entry ${NS}><content type="application/xml"/></entry>`)).toEqual({});
  });
});

describe('entity expansion and DOCTYPEs (DTDs are not processed, as by Olingo)', () => {
  it('refuses a billion-laughs entity expansion quickly', () => {
    const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)].join('');
    const xml = `<?xml version="1.0"?><!DOCTYPE entry [${lol}]>${entry('<d:code>&lol9;</d:code>')}`;
    const started = performance.now();
    expectRefused(xml);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses a reference to an internal entity and an external (XXE) entity', () => {
    expectRefused(`<!DOCTYPE entry [<!ENTITY name "injected">]>${entry('<d:code>&name;</d:code>')}`);
    expectRefused(`<!DOCTYPE entry [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${entry('<d:code>&xxe;</d:code>')}`);
    expectRefused(`<!DOCTYPE entry [<!ENTITY ns "${D}">]><entry xmlns="${ATOM}" xmlns:m="${M}" xmlns:d="&ns;"/>`);
  });

  it('ignores a DOCTYPE that is never referenced, and keeps the predefined entities working', () => {
    expect(parse(`<!DOCTYPE entry [<!ENTITY name "injected">]>${entry('<d:code>&amp;name;</d:code>')}`)).toEqual({ code: '&name;' });
  });
});

describe('nesting depth', () => {
  /** An entry whose element nesting reaches exactly `depth` (inside an ignored Atom element). */
  function nestedTo(depth: number): string {
    // entry (1) > author (2) > x … (3…depth)
    const inner = depth - 2;
    return `<entry ${NS}><author>${'<x>'.repeat(inner)}v${'</x>'.repeat(inner)}</author>${'<content><m:properties><d:code>p</d:code></m:properties></content>'}</entry>`;
  }

  it(`accepts ${MAX_XML_DEPTH} nested elements and refuses ${MAX_XML_DEPTH + 1}`, () => {
    expect(MAX_XML_DEPTH).toBe(100);
    expect(parse(nestedTo(MAX_XML_DEPTH))).toEqual({ code: 'p' });
    expectRefused(nestedTo(MAX_XML_DEPTH + 1));
    expectRefused(nestedTo(100_000));
  });

  /** `levels` inline entries of an (undeclared) navigation, one inside the other. */
  function nestedInline(levels: number): string {
    let xml = entry('<d:id>leaf</d:id>', '', false);
    for (let i = 0; i < levels; i++) xml = entry('', inlineLink('child', xml), false);
    return xml.replace('<entry>', `<entry ${NS}>`);
  }

  it('accepts realistic inline nesting and refuses 100-deep inline entries', () => {
    let expected: Payload = { id: 'leaf' };
    for (let i = 0; i < 20; i++) expected = { child: expected };
    expect(parse(nestedInline(20))).toEqual(expected);
    expectRefused(nestedInline(100));
  });
});

describe('large bodies', () => {
  it('parses a 5 MB entry (one huge string property) in reasonable time', () => {
    const chunk = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit &amp; more. ';
    const repeats = Math.ceil((5 * 1024 * 1024) / chunk.length);
    const xml = entry(`<d:code>${chunk.repeat(repeats)}</d:code><d:reviewCount>1</d:reviewCount>`);
    expect(xml.length).toBeGreaterThan(5 * 1024 * 1024);
    const started = performance.now();
    const payload = parse(xml);
    const elapsed = performance.now() - started;
    expect(payload.reviewCount).toBe(1);
    expect(payload.code).toBe(chunk.replace('&amp;', '&').repeat(repeats));
    expect(elapsed).toBeLessThan(15_000);
  }, 60_000);

  it('parses a 5 MB entry of many entries in an inline feed', () => {
    const line = entry('<d:entryNumber>1</d:entryNumber><d:basePrice>19.99</d:basePrice>', '', false);
    const count = Math.ceil((5 * 1024 * 1024) / line.length);
    const payload = parse(entry('<d:code>o1</d:code>', inlineLink('entries', feed(...Array.from({ length: count }, () => line)), 'feed')), order, ordersSchema);
    expect(payload.entries).toHaveLength(count);
  }, 60_000);
});
