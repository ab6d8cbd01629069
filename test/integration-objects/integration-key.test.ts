/**
 * The integrationKey (spec §2.4): alias order, value encoding, and parsing a key from a URL.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Commerce } from '../../mock-commerce/commerce.js';
import { importImpex } from '../../mock-commerce/impex/import.js';
import { parseImpex } from '../../mock-commerce/impex/parse.js';
import {
  IntegrationKeyError,
  integrationKeyValue,
  javaDoubleToString,
  javaUrlDecode,
  javaUrlEncode,
  keyAlias,
  ordinalCompare,
  parseIntegrationKey,
  storedValueReader,
} from '../../mock-commerce/integration-objects/integration-key.js';
import { type IntegrationObjectModel, itemByCode } from '../../mock-commerce/integration-objects/model.js';
import { DEMO, load } from '../helpers/commerce.js';

let commerce: Commerce;
let orders: IntegrationObjectModel;

function importText(text: string): void {
  const report = importImpex(parseImpex(text, 'inline.impex'), commerce.store);
  if (report.errors.length) throw new Error(report.errors.map((e) => `${e.line}: ${e.message}`).join('\n'));
}

function keyOf(io: IntegrationObjectModel, itemCode: string, typeCode: string, criteria: Record<string, string | number | null>): string {
  const item = commerce.store.find(typeCode, criteria)[0];
  if (!item) throw new Error(`no ${typeCode} ${JSON.stringify(criteria)}`);
  return integrationKeyValue(io, itemByCode(io, itemCode)!, item, storedValueReader(commerce.store));
}

beforeAll(() => {
  commerce = load({ projectDir: DEMO });
  orders = commerce.integrationObjects.get('Orders')!;
  importText(`
$cv = catalogVersion(catalog(id), version)
INSERT_UPDATE Product; code[unique = true]; $cv[unique = true]
; testProduct001|with|pipes ; sandboxProductCatalog:Staged
; with space/slash@at:colon~tilde'quote ; sandboxProductCatalog:Staged
; ümlaut+plus%percent ; sandboxProductCatalog:Staged
INSERT_UPDATE Media; code[unique = true]; $cv[unique = true]
; no-catalog-media ; sandboxProductCatalog:Staged
`);
});

describe('alias', () => {
  it('sorts segments ordinally: OrderEntry_entryNumber before Order_code (E < _)', () => {
    expect(keyAlias(orders, itemByCode(orders, 'OrderEntry')!)).toBe('OrderEntry_entryNumber|Order_code');
    expect(keyAlias(orders, itemByCode(orders, 'Product')!)).toBe('CatalogVersion_version|Catalog_id|Product_code');
    expect(keyAlias(orders, itemByCode(orders, 'Order')!)).toBe('Order_code');
  });

  it('uses Java String ordering, not locale collation', () => {
    const segments = ['Item_codeValue', 'ItemType_x', 'Item_code', 'ItemTypeExtension_x', 'Item_codeValueAttribute', 'a_x', 'B_x'];
    expect([...segments].sort(ordinalCompare)).toEqual(['B_x', 'ItemTypeExtension_x', 'ItemType_x', 'Item_code', 'Item_codeValue', 'Item_codeValueAttribute', 'a_x']);
  });
});

describe('value', () => {
  it('joins the key values in alias order, each URL-encoded like Java URLEncoder', () => {
    expect(keyOf(orders, 'Product', 'Product', { code: 'P-1' })).toBe('Online|sandboxProductCatalog|P-1');
    expect(keyOf(orders, 'Product', 'Product', { code: 'testProduct001|with|pipes' })).toBe('Staged|sandboxProductCatalog|testProduct001%7Cwith%7Cpipes');
    expect(keyOf(orders, 'Product', 'Product', { code: "with space/slash@at:colon~tilde'quote" })).toBe(
      'Staged|sandboxProductCatalog|with+space%2Fslash%40at%3Acolon%7Etilde%27quote',
    );
    expect(keyOf(orders, 'Product', 'Product', { code: 'ümlaut+plus%percent' })).toBe('Staged|sandboxProductCatalog|%C3%BCmlaut%2Bplus%25percent');
  });

  it('follows unique references: an order entry is keyed by its number and its order', () => {
    const order = commerce.store.find('Order', { code: '00001001' })[0]!;
    expect(keyOf(orders, 'OrderEntry', 'OrderEntry', { order: order.pk, entryNumber: 0 })).toBe('0|00001001');
  });

  it('writes dates as epoch millis and absent values as null', () => {
    const io = { ...orders, items: orders.items.map((i) => (i.code === 'Order' ? { ...i, attributes: i.attributes.map((a) => (a.name === 'date' ? { ...a, unique: true } : a)) } : i)) };
    const order = commerce.store.find('Order', { code: '00001001' })[0]!;
    const value = integrationKeyValue(io, itemByCode(io, 'Order')!, order, storedValueReader(commerce.store));
    expect(value).toBe(`00001001|${Date.UTC(2019, 9, 22, 13, 27, 19)}`);
    const payload = { code: null, date: '/Date(1571750839000)/' };
    const fromPayload = integrationKeyValue(io, itemByCode(io, 'Order')!, payload, (a, from) => (from as Record<string, unknown>)[a.name]);
    expect(fromPayload).toBe('null|1571750839000');
  });

  it('formats doubles like Java Double.toString', () => {
    expect(javaDoubleToString(4001)).toBe('4001.0');
    expect(javaDoubleToString(99.5)).toBe('99.5');
    expect(javaDoubleToString(1e7)).toBe('1.0E7');
    expect(javaDoubleToString(0.0001)).toBe('1.0E-4');
    expect(javaDoubleToString(-0)).toBe('-0.0');
  });

  it('encodes exactly the characters Java URLEncoder encodes', () => {
    expect(javaUrlEncode('aZ09.-*_')).toBe('aZ09.-*_');
    expect(javaUrlEncode("!'()~ |/")).toBe('%21%27%28%29%7E+%7C%2F');
    expect(javaUrlDecode('a+b%7Cc')).toBe('a b|c');
  });
});

describe('parsing a key from the URL', () => {
  const product = () => itemByCode(orders, 'Product')!;

  it('splits on | and URL-decodes each part a second time', () => {
    // URL `Products('Staged%7Cx%7CtestProduct001%257Cwith%257Cpipes')` arrives here percent-decoded once.
    const parts = parseIntegrationKey('Staged|sandboxProductCatalog|testProduct001%7Cwith%7Cpipes', orders, product());
    expect(parts.map((p) => [p.part.segment, p.value])).toEqual([
      ['CatalogVersion_version', 'Staged'],
      ['Catalog_id', 'sandboxProductCatalog'],
      ['Product_code', 'testProduct001|with|pipes'],
    ]);
    expect(parseIntegrationKey('Staged|c|with+space', orders, product())[2]!.value).toBe('with space');
  });

  it('reads the literal null as an absent value', () => {
    expect(parseIntegrationKey('null|null|p', orders, product()).map((p) => p.value)).toEqual([null, null, 'p']);
  });

  it('rejects a wrong number of parts with invalid_key', () => {
    for (const literal of ['Staged|Default', 'Staged||Default|x', 'a|b|c|d', '']) {
      let error: unknown;
      try {
        parseIntegrationKey(literal, orders, product());
      } catch (e) {
        error = e;
      }
      expect(error, literal).toBeInstanceOf(IntegrationKeyError);
      expect((error as IntegrationKeyError).code).toBe('invalid_key');
    }
  });

  it('drops trailing empty parts like Java String.split', () => {
    expect(parseIntegrationKey('Staged|c|p||', orders, product()).map((p) => p.value)).toEqual(['Staged', 'c', 'p']);
  });

  it('rejects malformed percent-encoding with invalid_key', () => {
    expect(() => parseIntegrationKey('Staged|c|%E0%A4%A', orders, product())).toThrow(IntegrationKeyError);
  });
});
