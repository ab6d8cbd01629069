/**
 * The simulated SCPI runtime's pure conversions, on the demo Commerce's real `$metadata`: Commerce JSON
 * → flow XML (sender), flow XML → 201 JSON (sender reply), flow XML → Atom entry (receiver, checked with
 * Commerce's own Atom parser), plus Java number text, JsonSlurper numbers, parameters and expressions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../../mock-commerce/odata/metadata.js';
import { parseAtomEntry } from '../../../mock-commerce/odata/write/atom-entry.js';
import { CsrfSessions, sessionOf } from '../../../scenarios/scpi/csrf-sessions.js';
import { type EdmModel, EdmxError, entityTypeOfSet, parseEdmx } from '../../../scenarios/scpi/edmx.js';
import { javaDoubleToString, javaFloatToString } from '../../../scenarios/scpi/java-format.js';
import { JsonNumber, slurpJson, toJsonText } from '../../../scenarios/scpi/json-slurper.js';
import { Message } from '../../../scenarios/scpi/message.js';
import { ODataInputError, odataJsonToXml } from '../../../scenarios/scpi/odata-json-to-xml.js';
import { ReplyConversionError, replyXmlToODataJson, stringifyODataJson } from '../../../scenarios/scpi/odata-xml-to-json.js';
import { MissingParameterError, resolveParameters, substituteParameters } from '../../../scenarios/scpi/parameters.js';
import { SimpleExpressionError, evaluateSimple } from '../../../scenarios/scpi/simple-expression.js';
import { textAtPath, parseXml } from '../../../scenarios/scpi/xml.js';
import { AtomConversionError, flowXmlToAtomEntry } from '../../../scenarios/scpi/xml-to-atom.js';
import { basic } from '../../helpers/commerce.js';
import { COMMERCE_USER, ORDER_XML, type Systems, exampleOrderPayload, startSystems } from './helpers.js';

let systems: Systems;
let orders: EdmModel;
let products: EdmModel;

async function metadata(io: string): Promise<string> {
  const res = await fetch(`${systems.server.url}/odata2webservices/${io}/$metadata`, { headers: { Authorization: basic(COMMERCE_USER.username, COMMERCE_USER.password) } });
  return res.text();
}

beforeAll(async () => {
  systems = await startSystems();
  orders = parseEdmx(await metadata('Orders'));
  products = parseEdmx(await metadata('ThirdPartyInboundProduct'));
});
afterAll(() => systems.close());

describe('EDMX', () => {
  it('reads entity sets, key, property types and navigation targets with their multiplicity', () => {
    expect(orders.namespace).toBe('HybrisCommerceOData');
    expect(orders.entitySets.get('Orders')).toBe('Order');
    const order = entityTypeOfSet(orders, 'Orders');
    expect(order.keys).toEqual(['integrationKey']);
    expect(order.properties.map((p) => `${p.name}:${p.type}`)).toEqual(['date:Edm.DateTime', 'code:Edm.String', 'integrationKey:Edm.String']);
    expect(order.navigations).toEqual([
      { name: 'currency', toType: 'Currency', many: false },
      { name: 'user', toType: 'User', many: false },
      { name: 'entries', toType: 'OrderEntry', many: true },
    ]);
  });

  it('names what is missing', () => {
    expect(() => entityTypeOfSet(orders, 'Nope')).toThrow(/entity set Nope is not in the \$metadata/);
    expect(() => parseEdmx('<html/>')).toThrow(EdmxError);
  });
});

describe('sender: Commerce JSON → flow XML', () => {
  it('nests navigations by target type, repeats to-many entries, formats dates and doubles, skips localizedAttributes', () => {
    expect(odataJsonToXml(exampleOrderPayload(), orders, 'Orders')).toBe(ORDER_XML);
  });

  it('renders JSON numbers of Edm.Double as Java does and keeps numbers sent as text', () => {
    const entry = (basePrice: unknown) => odataJsonToXml({ code: 'X', entries: [{ entryNumber: 3, basePrice }] }, orders, 'Orders');
    expect(entry(5)).toContain('<basePrice>5.0</basePrice>');
    expect(entry(12345678.9)).toContain('<basePrice>1.23456789E7</basePrice>');
    expect(entry('10.50')).toContain('<basePrice>10.50</basePrice>');
    expect(entry(3)).toContain('<entryNumber>3</entryNumber>');
  });

  it('writes null as xsi:nil and accepts a verbose {"d": …} wrapper', () => {
    expect(odataJsonToXml({ d: { code: 'X', date: null } }, orders, 'Orders')).toBe(
      '<Orders><Order><date xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/><code>X</code></Order></Orders>',
    );
  });

  it('refuses members the entity type does not declare and values of the wrong shape (400)', () => {
    expect(() => odataJsonToXml({ code: 'X', colour: 'red' }, orders, 'Orders')).toThrow(/Order: the property 'colour' is not defined in entity type HybrisCommerceOData.Order/);
    expect(() => odataJsonToXml({ entries: { entryNumber: 1 } }, orders, 'Orders')).toThrow(/Order\/entries: a to-many navigation property needs a JSON array/);
    expect(() => odataJsonToXml({ date: 'yesterday' }, orders, 'Orders')).toThrow(ODataInputError);
    expect(() => odataJsonToXml([1], orders, 'Orders')).toThrow(/must be a JSON object/);
  });
});

describe('sender reply: flow XML → 201 JSON', () => {
  const root = 'http://127.0.0.1:1/gw/odata/SAP/THIRDPARTYORDEREXPORT;v=1/';

  it('answers the created entity with __metadata id, uri and type', () => {
    const json = replyXmlToODataJson('<Orders><Order><integrationKey>00001001</integrationKey></Order></Orders>', orders, 'Orders', root);
    expect(stringifyODataJson(json)).toBe(
      `{"d":{"__metadata":{"id":"${root}Orders('00001001')","uri":"${root}Orders('00001001')","type":"HybrisCommerceOData.Order"},"integrationKey":"00001001"}}`,
    );
  });

  it('types properties from the EDMX and encodes the key literal', () => {
    const json = replyXmlToODataJson(
      '<Orders><Order><date>2019-10-22T13:27:19.000</date><integrationKey>a|b c</integrationKey><entries><OrderEntry><entryNumber>2</entryNumber><basePrice>5.0</basePrice></OrderEntry></entries></Order></Orders>',
      orders,
      'Orders',
      root,
    );
    expect(json.d).toMatchObject({
      __metadata: { uri: `${root}Orders('a%7Cb%20c')` },
      date: '/Date(1571750839000)/',
      entries: { results: [{ __metadata: { type: 'HybrisCommerceOData.OrderEntry' }, entryNumber: 2, basePrice: '5.0' }] },
    });
    expect(stringifyODataJson(json)).toContain('"date":"\\/Date(1571750839000)\\/"');
  });

  it('refuses an empty reply, another root and undeclared elements', () => {
    expect(() => replyXmlToODataJson('', orders, 'Orders', root)).toThrow(/empty body/);
    expect(() => replyXmlToODataJson('<Products/>', orders, 'Orders', root)).toThrow(/must be <Orders>/);
    expect(() => replyXmlToODataJson('<Orders><Order><status>ok</status></Order></Orders>', orders, 'Orders', root)).toThrow(ReplyConversionError);
  });
});

describe('receiver: flow XML → Atom entry', () => {
  const ratingXml =
    '<Products><Product><code>P-1</code><reviewRating>5.0</reviewRating><reviewCount>28</reviewCount><catalogVersion><CatalogVersion><catalog><Catalog><id>sandboxProductCatalog</id></Catalog></catalog><version>Online</version></CatalogVersion></catalogVersion></Product></Products>';

  it('writes one entry: typed properties in the flow order, navigations as inline entries', () => {
    const link = (nav: string, inner: string) =>
      `<link rel="http://schemas.microsoft.com/ado/2007/08/dataservices/related/${nav}" type="application/atom+xml;type=entry" title="${nav}"><m:inline><entry>${inner}</entry></m:inline></link>`;
    expect(flowXmlToAtomEntry(ratingXml, products, 'Products')).toBe(
      '<entry xmlns="http://www.w3.org/2005/Atom" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices">' +
        link(
          'catalogVersion',
          link('catalog', '<content type="application/xml"><m:properties><d:id>sandboxProductCatalog</d:id></m:properties></content>') +
            '<content type="application/xml"><m:properties><d:version>Online</d:version></m:properties></content>',
        ) +
        '<content type="application/xml"><m:properties><d:code>P-1</d:code><d:reviewRating m:type="Edm.Double">5.0</d:reviewRating><d:reviewCount m:type="Edm.Int32">28</d:reviewCount></m:properties></content></entry>',
    );
  });

  it('is read by Commerce as the same product payload', () => {
    const schema = buildSchema(systems.commerce.integrationObjects.get('ThirdPartyInboundProduct')!);
    const type = schema.entityTypes.find((t) => t.name === 'Product')!;
    expect(parseAtomEntry(flowXmlToAtomEntry(ratingXml, products, 'Products'), type, schema)).toEqual({
      code: 'P-1',
      reviewRating: 5,
      reviewCount: 28,
      catalogVersion: { version: 'Online', catalog: { id: 'sandboxProductCatalog' } },
    });
  });

  it('sends empty non-string values as m:null, escapes text, and fails or drops undeclared elements', () => {
    const xml = '<Products><Product><code>A&amp;B</code><reviewRating/><averageScore>4.5</averageScore></Product></Products>';
    expect(() => flowXmlToAtomEntry(xml, products, 'Products')).toThrow(/<averageScore> is not a property of HybrisCommerceOData.Product/);
    const atom = flowXmlToAtomEntry(xml, products, 'Products', { dropUndeclared: true });
    expect(atom).toContain('<d:code>A&amp;B</d:code><d:reviewRating m:type="Edm.Double" m:null="true"/></m:properties>');
    expect(atom).not.toContain('averageScore');
  });

  it('needs exactly one entry of the entity set', () => {
    expect(() => flowXmlToAtomEntry('<Products/>', products, 'Products')).toThrow(/exactly one <Product>/);
    expect(() => flowXmlToAtomEntry('<Orders><Order/></Orders>', products, 'Products')).toThrow(AtomConversionError);
    expect(() => flowXmlToAtomEntry('not xml', products, 'Products')).toThrow(AtomConversionError);
  });
});

describe('values and expressions', () => {
  it("writes doubles and floats as Java's toString does", () => {
    expect([5, 99.5, 0.001, 1e-4, 1e7, 12345678.9, -0, 0, 1 / 3].map(javaDoubleToString)).toEqual([
      '5.0',
      '99.5',
      '0.001',
      '1.0E-4',
      '1.0E7',
      '1.23456789E7',
      '-0.0',
      '0.0',
      '0.3333333333333333',
    ]);
    expect([0.1, 1.5, 1 / 3, 16777216].map(javaFloatToString)).toEqual(['0.1', '1.5', '0.33333334', '1.6777216E7']);
  });

  it('keeps the text of JSON numbers as JsonSlurper does, and writes it back', () => {
    const json = slurpJson('{"a":[5.0,4.55769,5,-1e3],"s":"5.0 \\" 7","n":null,"t":true}');
    expect(json).toEqual({ a: [new JsonNumber('5.0'), new JsonNumber('4.55769'), new JsonNumber('5'), new JsonNumber('-1e3')], s: '5.0 " 7', n: null, t: true });
    expect(toJsonText(json)).toBe('{"a":[5.0,4.55769,5,-1e3],"s":"5.0 \\" 7","n":null,"t":true}');
    expect(() => slurpJson('{"a": 01}')).toThrow(SyntaxError);
    expect(() => slurpJson('<html>')).toThrow(SyntaxError);
  });

  it('substitutes {{parameters}} literally and names the missing ones', () => {
    expect(substituteParameters('{{Base}}/{{Key}}/orders?x={{Key}}', { Base: 'http://h', Key: 'a&b' })).toBe('http://h/a&b/orders?x=a&b');
    expect(() => substituteParameters('{{A}}{{B}}{{A}}', {})).toThrow(new MissingParameterError(['A', 'B']));
    expect(resolveParameters({ A: '1', B: '2' }, { B: '3' })).toEqual({ A: '1', B: '3' });
    expect(() => resolveParameters({}, {}, ['Target_Url'])).toThrow(/externalized parameter without a value: Target_Url/);
  });

  it('evaluates ${property.x} / ${header.x} / ${in.body} with the value as it is', () => {
    const message = new Message('<b/>', { 'Content-Type': 'text/plain' });
    message.setProperty('integrationKey', 'a&b');
    message.setProperty('page', 2);
    expect(evaluateSimple('${property.integrationKey}|${property.page}|${header.content-type}|${in.body}|${property.none}', message)).toBe('a&b|2|text/plain|<b/>|');
    expect(() => evaluateSimple('${date:now}', message)).toThrow(SimpleExpressionError);
  });

  it('keeps property types and treats header names case-insensitively', () => {
    const message = new Message();
    message.setProperty('page', '0');
    message.setHeader('content-type', 'a');
    message.setHeader('Content-Type', 'b');
    expect(message.getProperty('page')).toBe('0');
    expect(message.getProperty('page')).not.toBe(0);
    expect(message.headers()).toEqual({ 'Content-Type': 'b' });
  });

  it('reads absolute paths in flow XML', () => {
    expect(textAtPath(parseXml(ORDER_XML), '/Orders/Order/integrationKey')).toBe('00001001');
    expect(textAtPath(parseXml(ORDER_XML), '/Orders/Order/missing')).toBeUndefined();
    expect(textAtPath(parseXml(ORDER_XML), '/Products/Product')).toBeUndefined();
  });

  it('binds CSRF tokens to the session named in a Commerce-style Cookie header', () => {
    const sessions = new CsrfSessions();
    const first = sessions.fetch(undefined);
    expect(first.setCookies[0]).toMatch(/^JSESSIONID=[0-9A-F]{32}; Path=\/; Secure; HttpOnly$/);
    const cookie = first.setCookies.join('; ');
    expect(sessionOf(cookie)).toBe(/^JSESSIONID=([0-9A-F]+)/.exec(first.setCookies[0]!)![1]);
    expect(sessions.valid(cookie, first.token)).toBe(true);
    expect(sessions.fetch(cookie)).toEqual({ token: first.token, setCookies: [] });
    expect(sessions.valid(cookie, 'other')).toBe(false);
    expect(sessions.valid(undefined, first.token)).toBe(false);
    expect(sessions.valid(sessions.fetch(undefined).setCookies[0], first.token)).toBe(false);
  });
});
