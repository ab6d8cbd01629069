// $orderby (mock-commerce/odata/query/orderby.ts) over items imported through ImpEx (see fixture.ts).
// Expectations follow spec §5.5 and the 2211 help (V-GET-16, B-086).
import { beforeAll, describe, expect, it } from 'vitest';
import { ODataRequestError } from '../../../mock-commerce/odata/odata-error.js';
import { compileOrderBy, parseOrderBy } from '../../../mock-commerce/odata/query/orderby.js';
import type { QueryContext } from '../../../mock-commerce/odata/query/filter.js';
import { buildFixture, describeError, type Fixture } from './fixture.js';

let fx: Fixture;
beforeAll(() => {
  fx = buildFixture();
});

type Options = Partial<Pick<QueryContext, 'language' | 'profile'>>;

/** The key values of all items of `itemCode`, sorted by the orderby text. */
function order(text: string, itemCode = 'Product', options: Options = {}): string[] {
  const ctx = fx.context(itemCode, options);
  const compare = compileOrderBy(parseOrderBy(text, ctx), ctx);
  return fx
    .items(itemCode)
    .sort(compare)
    .map((i) => String(i.values.code ?? i.values.qualifier ?? `${i.values.version}:${i.pk}`));
}

function error(text: string, itemCode = 'Product') {
  return describeError(() => parseOrderBy(text, fx.context(itemCode)));
}

describe('ordering', () => {
  it.each([
    // Java String order: ' (0x27) before the digits
    ['code', ["p'6", 'p1', 'p2', 'p3', 'p4', 'p5']],
    ['code asc', ["p'6", 'p1', 'p2', 'p3', 'p4', 'p5']],
    ['code desc', ['p5', 'p4', 'p3', 'p2', 'p1', "p'6"]],
    // nulls first ascending, last descending; upper case before lower case
    ['name', ['p5', 'p1', 'p3', 'p2', "p'6", 'p4']],
    ['name desc', ['p4', "p'6", 'p2', 'p3', 'p1', 'p5']],
    // ties keep pk order, in both directions
    ['reviewCount', ["p'6", 'p3', 'p4', 'p2', 'p1', 'p5']],
    ['reviewCount desc', ['p1', 'p5', 'p2', 'p3', 'p4', "p'6"]],
    ['reviewCount desc, code asc', ['p1', 'p5', 'p2', 'p3', 'p4', "p'6"]],
    ['reviewCount desc,code desc', ['p5', 'p1', 'p2', 'p4', 'p3', "p'6"]],
    ['reviewCount  desc ,  code   desc', ['p5', 'p1', 'p2', 'p4', 'p3', "p'6"]],
    ['reviewRating', ['p3', "p'6", 'p5', 'p2', 'p1', 'p4']],
    ['reviewRating desc', ['p4', 'p1', 'p2', 'p5', "p'6", 'p3']],
    ['onlineDate', ['p3', 'p5', 'p4', "p'6", 'p1', 'p2']],
    // a navigation orders by the referenced item's pk (Default:Staged < Default:Online < Other:Staged)
    ['catalogVersion', ['p1', 'p2', 'p5', 'p3', 'p4', "p'6"]],
    ['catalogVersion desc', ['p4', "p'6", 'p3', 'p1', 'p2', 'p5']],
    ['catalogVersion desc, code desc', ['p4', "p'6", 'p3', 'p5', 'p2', 'p1']],
    ['unit', ['p4', 'p1', 'p3', 'p5', 'p2', "p'6"]],
    // enumeration values order by declaration: check, approved, unapproved
    ['approvalStatus', ['p2', 'p5', 'p1', 'p4', 'p3', "p'6"]],
  ])('%s', (text, expected) => {
    expect(order(text)).toEqual(expected);
  });

  it('localized attributes order in the context language', () => {
    // de: Hemd, Hose, –, Äpfel, –, Zebra; Ä (U+00C4) after Z
    expect(order('name', 'Product', { language: 'de' })).toEqual(['p3', 'p5', 'p1', 'p2', "p'6", 'p4']);
    expect(order('name desc', 'Product', { language: 'de' })).toEqual(['p4', "p'6", 'p2', 'p1', 'p3', 'p5']);
  });

  it('Int64 and Decimal order exactly', () => {
    expect(order('size', 'Media')).toEqual(['m5', 'm4', 'm1', 'm3', 'm2']); // m3 = 2^53, m2 = 2^53 + 1
    expect(order('size desc', 'Media')).toEqual(['m2', 'm3', 'm1', 'm4', 'm5']);
    expect(order('numberValue', 'ProductFeature')).toEqual(['f5', 'f6', 'f3', 'f4', 'f1', 'f2']); // 10.33 = 10.330: pk order
  });

  it('booleans order false before true', () => {
    expect(order('active desc, version', 'CatalogVersion').map((v) => v.split(':')[0])).toEqual(['Online', 'Staged', 'Staged']);
    expect(order('active', 'CatalogVersion').map((v) => v.split(':')[0])).toEqual(['Staged', 'Staged', 'Online']);
  });

  it('reads a long list', () => {
    const terms = parseOrderBy(Array.from({ length: 3000 }, (_, i) => (i % 2 ? 'code desc' : 'name')).join(','), fx.context());
    expect(terms).toHaveLength(3000);
    expect(terms[2999]).toMatchObject({ attribute: { name: 'code' }, descending: true });
  });

  it('parses to terms', () => {
    const terms = parseOrderBy('name desc, catalogVersion', fx.context());
    expect(terms.map((t) => [t.attribute.name, t.descending])).toEqual([
      ['name', true],
      ['catalogVersion', false],
    ]);
  });
});

describe('errors', () => {
  const olingo = (message: string) => ({ status: 400, code: null, message });

  it('integrationKey', () => {
    const expected = { status: 400, code: 'order_by_integration_key_not_supported', message: 'Ordering by integrationKey is not supported!' };
    expect(error('integrationKey')).toEqual(expected);
    expect(error('code, integrationKey desc')).toEqual(expected);
  });

  it('nested attributes', () => {
    expect(error('catalogVersion/version')).toEqual({
      status: 400,
      code: 'order_by_nested_attribute_not_supported',
      message: 'Ordering by nested attribute [catalogVersion/version] is not supported.',
    });
    expect(error('code desc, catalogVersion/integrationKey')).toEqual({
      status: 400,
      code: 'order_by_nested_attribute_not_supported',
      message: 'Ordering by nested attribute [catalogVersion/integrationKey] is not supported.',
    });
    expect(error('catalogVersion/catalog/id')).toEqual({
      status: 400,
      code: 'order_by_nested_attribute_not_supported',
      message: 'Ordering by nested attribute [catalogVersion/catalog/id] is not supported.',
    });
  });

  it('unknown properties (Olingo parser message), before any Commerce check', () => {
    expect(error('foo')).toEqual(olingo(`No property "foo" exists in type "HybrisCommerceOData.Product" at position 1 in "foo".`));
    expect(error('code,foo desc')).toEqual(olingo(`No property "foo" exists in type "HybrisCommerceOData.Product" at position 6 in "code,foo desc".`));
    expect(error('integrationKey, foo')).toEqual(olingo(`No property "foo" exists in type "HybrisCommerceOData.Product" at position 17 in "integrationKey, foo".`));
    expect(error('catalogVersion/foo')).toEqual(olingo(`No property "foo" exists in type "HybrisCommerceOData.CatalogVersion" at position 16 in "catalogVersion/foo".`));
    expect(error('Code')).toEqual(olingo(`No property "Code" exists in type "HybrisCommerceOData.Product" at position 1 in "Code".`));
  });

  it('collections', () => {
    expect(error('supercategories')).toEqual(
      olingo(`Property "supercategories" at position 1 in "supercategories" is a collection and cannot be used in this expression.`),
    );
  });

  it('syntax', () => {
    expect(error('')).toEqual(olingo("Value for '$orderby' must not be null."));
    expect(error('code sideways')).toEqual(olingo(`Invalid sort order in OData orderby parser at position 6 in "code sideways".`));
    expect(error('code DESC')).toEqual(olingo(`Invalid sort order in OData orderby parser at position 6 in "code DESC".`));
    expect(error('code desc name')).toEqual(olingo(`Comma or end of expression expected at position 11 in "code desc name".`));
    expect(error('code,')).toEqual(olingo(`Expression expected after position 5 in "code,".`));
    expect(error("code eq 'x'")).toEqual(olingo(`Invalid order by expression: 'code eq 'x''. `));
    expect(error("'x'")).toEqual(olingo(`Invalid order by expression: ''x''. `));
    expect(error(',code')).toEqual(olingo(`Invalid order by expression: ',code'. `));
    expect(error('code desc;')).toEqual(olingo(`Invalid sort order in OData orderby parser at position 6 in "code desc;".`));
    expect(error('code#')).toEqual(olingo(`Error while tokenizing a ODATA expression on token "#" at position 5 in "code#".`));
  });

  it('functions, not and unary minus give 500', () => {
    const unexpected = { status: 500, code: 'unknown_error', message: 'An unexpected error occurred. See the log for details' };
    expect(error('tolower(code)')).toEqual(unexpected);
    expect(error('code, length(name) desc')).toEqual(unexpected);
    expect(error('-reviewCount')).toEqual(unexpected);
    expect(error('tolower(foo)')).toEqual(olingo(`No property "foo" exists in type "HybrisCommerceOData.Product" at position 9 in "tolower(foo)".`));
  });

  it('garbage throws only ODataRequestErrors', () => {
    const samples = ['(', ')', "'", 'code desc desc', 'code/', '/code', 'code//name', '😀', 'code asc,,name', 'a'.repeat(10_000), 'code,'.repeat(2000)];
    for (const text of samples) {
      expect(() => parseOrderBy(text, fx.context()), text.slice(0, 50)).toThrow(ODataRequestError);
    }
  });
});
