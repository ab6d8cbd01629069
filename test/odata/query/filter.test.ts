// $filter (mock-commerce/odata/query/filter.ts): parsed against a real integration object and evaluated
// over items imported through ImpEx (see fixture.ts for the data). Expectations follow spec §5.4, §8.4 and
// the 2211 help vectors V-GET-14/15, B-085.
import { beforeAll, describe, expect, it } from 'vitest';
import { ODataRequestError } from '../../../mock-commerce/odata/odata-error.js';
import { compileFilter, parseFilter, type QueryContext } from '../../../mock-commerce/odata/query/filter.js';
import { buildFixture, describeError, type Fixture } from './fixture.js';
import { seededRandom } from '../../helpers/random.js';

let fx: Fixture;
beforeAll(() => {
  fx = buildFixture();
});

type Options = Partial<Pick<QueryContext, 'language' | 'profile'>>;

/** The key values (code, or qualifier for features) of the items of `itemCode` the filter selects. */
function select(text: string, itemCode = 'Product', options: Options = {}): string[] {
  const ctx = fx.context(itemCode, options);
  const predicate = compileFilter(parseFilter(text, ctx), ctx);
  return fx
    .items(itemCode)
    .filter(predicate)
    .map((i) => String(i.values.code ?? i.values.qualifier ?? i.values.version));
}

function error(text: string, itemCode = 'Product', options: Options = {}) {
  return describeError(() => parseFilter(text, fx.context(itemCode, options)));
}

const ALL = ['p1', 'p2', 'p3', 'p4', 'p5', "p'6"];

describe('Edm.String', () => {
  it.each([
    ["code eq 'p1'", ['p1']],
    ["code ne 'p1'", ['p2', 'p3', 'p4', 'p5', "p'6"]],
    ["code eq 'p''6'", ["p'6"]],
    ["code eq 'P1'", []],
    // Java String order: "p'6" < "p1" < … because ' (0x27) sorts before the digits
    ["code gt 'p3'", ['p4', 'p5']],
    ["code ge 'p3'", ['p3', 'p4', 'p5']],
    ["code lt 'p2'", ['p1', "p'6"]],
    ["code le 'p2'", ['p1', 'p2', "p'6"]],
  ])('%s', (filter, expected) => {
    expect(select(filter)).toEqual(expected);
  });

  it('orders by UTF-16 code units, not by locale: lower case sorts after every upper case letter', () => {
    expect(select("name lt 'Zebra'")).toEqual(['p1', 'p2', 'p3']); // "shirt" (p4) is greater than "Zebra"
    expect(select("name gt 'Z'", 'Product', { language: 'de' })).toEqual(['p4', "p'6"]); // Äpfel (U+00C4), Zebra
  });

  it('ne does not select null values (SQL <>)', () => {
    expect(select("name ne 'Shirt'")).toEqual(['p2', 'p3', 'p4', "p'6"]); // p5 has no English name
  });
});

describe('localized attributes compare in the context language', () => {
  it.each([
    ['en', "name eq 'Shirt'", ['p1']],
    ['de', "name eq 'Shirt'", []],
    ['en', "name eq 'Hemd'", []],
    ['de', "name eq 'Hemd'", ['p1']],
    ['en', 'name eq null', ['p5']],
    ['de', 'name eq null', ['p3', 'p5']],
    ['de', 'name ne null', ['p1', 'p2', 'p4', "p'6"]],
    ['de', "unit/name eq 'Stück'", ['p1', 'p3', 'p5']],
    ['en', "unit/name eq 'Stück'", []],
  ])('[%s] %s', (language, filter, expected) => {
    expect(select(filter, 'Product', { language })).toEqual(expected);
  });
});

describe('Edm.Int32 with every numeric literal type', () => {
  it.each([
    ['reviewCount eq 12', ['p1', 'p5']],
    ['reviewCount ne 12', ['p2', 'p3', 'p4', "p'6"]],
    ['reviewCount gt 5', ['p1', 'p5']],
    ['reviewCount ge 5', ['p1', 'p2', 'p5']],
    ['reviewCount lt 0', ["p'6"]],
    ['reviewCount le 0', ['p3', 'p4', "p'6"]],
    ['reviewCount eq -3', ["p'6"]],
    ['reviewCount eq 0', ['p3', 'p4']],
    ['reviewCount lt 10L', ['p2', 'p3', 'p4', "p'6"]],
    ['reviewCount gt 4.5m', ['p1', 'p2', 'p5']],
    ['reviewCount gt 4.5M', ['p1', 'p2', 'p5']],
    ['reviewCount le 4.9d', ['p3', 'p4', "p'6"]],
    ['reviewCount eq 12.0D', ['p1', 'p5']],
    ['reviewCount lt 1e1d', ['p2', 'p3', 'p4', "p'6"]],
    ['reviewCount ge 5f', ['p1', 'p2', 'p5']],
    ['reviewCount lt INF', ALL],
    ['reviewCount gt -INF', ALL],
    ['reviewCount eq NaN', []],
    ['reviewCount eq 300', []],
    ['reviewCount lt 40000', ALL],
    ['reviewCount lt 2147483647', ALL],
  ])('%s', (filter, expected) => {
    expect(select(filter)).toEqual(expected);
  });

  it('a literal written first compares the same way', () => {
    expect(select('12 eq reviewCount')).toEqual(['p1', 'p5']);
    expect(select('5 lt reviewCount')).toEqual(['p1', 'p5']);
    expect(select('0 ge reviewCount')).toEqual(['p3', 'p4', "p'6"]);
  });
});

describe('Edm.Double', () => {
  it.each([
    ['reviewRating gt 4', ['p1', 'p4']],
    ['reviewRating eq 5', ['p4']],
    ['reviewRating lt 1.5d', ['p5', "p'6"]],
    ['reviewRating ge 3.8d', ['p1', 'p2', 'p4']],
    ['reviewRating le 0', ["p'6"]],
    ['reviewRating eq 1.25m', ['p5']],
    ['reviewRating eq 1.25f', ['p5']],
    ['reviewRating ne 4.5d', ['p2', 'p4', 'p5', "p'6"]], // p3 has no rating
    ['reviewRating eq null', ['p3']],
    ['reviewRating ne null', ['p1', 'p2', 'p4', 'p5', "p'6"]],
    ['reviewRating gt null', []],
    ['reviewRating le null', []],
    ['null eq reviewRating', ['p3']],
  ])('%s', (filter, expected) => {
    expect(select(filter)).toEqual(expected);
  });
});

describe('Edm.DateTime (stored as epoch millis; literals read as UTC)', () => {
  it.each([
    ["onlineDate eq datetime'2012-05-29T09:13:28'", ['p4']],
    ["onlineDate lt datetime'2012-05-29T09:13:28'", ['p5']],
    ["onlineDate gt datetime'2012-05-29T09:13:28'", ['p1', 'p2', "p'6"]],
    ["onlineDate ge datetime'2020-01-01T10:00'", ['p1', 'p2']],
    ["onlineDate eq datetime'2012-05-29T09:13:28.5'", ["p'6"]],
    ["onlineDate le datetime'2012-05-29T09:13:28.500'", ['p4', 'p5', "p'6"]],
    ["onlineDate eq datetime'2012-5-29T9:13:28'", ['p4']],
    ["onlineDate lt DateTime'2012-05-29T09:13:28'", ['p5']], // the help's spelling (V-GET-14)
    ['onlineDate eq null', ['p3']],
    ['onlineDate ne null', ['p1', 'p2', 'p4', 'p5', "p'6"]],
  ])('%s', (filter, expected) => {
    expect(select(filter)).toEqual(expected);
  });

  it.each([
    ["onlineDate eq datetime'2012-13-01T00:00'", 23],
    ["onlineDate eq datetime'2021-02-29T00:00'", 23],
    ["onlineDate eq datetime'2012-05-29T24:00'", 23],
    ["onlineDate eq datetime'2012-05-29T09:13:28.1234'", 23],
    ["onlineDate eq datetime'2012-05-29'", 23],
  ])('a malformed date-time %s is a tokenizer error at its quote', (filter, position) => {
    const token = filter.slice('onlineDate eq '.length);
    expect(error(filter)).toEqual({
      status: 400,
      code: null,
      message: `Error while tokenizing a ODATA expression on token "${token}" at position ${position} in "${filter}".`,
    });
  });
});

describe('Edm.Int64 (stored as decimal strings, compared exactly)', () => {
  it.each([
    ['size eq 9007199254740993L', ['m2']], // 2^53 + 1: equal to m3 in floating point
    ['size gt 9007199254740992L', ['m2']],
    ['size ge 12345678901234L', ['m1', 'm2', 'm3']],
    ['size lt 0', ['m4']],
    ['size le -5', ['m4']],
    ['size eq -5L', ['m4']],
    ['size gt 1.5m', ['m1', 'm2', 'm3']],
    ['size lt 1e3d', ['m4']],
    ['size eq null', ['m5']],
    ['size lt INF', ['m1', 'm2', 'm3', 'm4']],
  ])('%s', (filter, expected) => {
    expect(select(filter, 'Media')).toEqual(expected);
  });
});

describe('Edm.Decimal (stored as decimal strings, compared exactly)', () => {
  it.each([
    ['numberValue eq 10.33m', ['f1', 'f2']], // 10.330 equals 10.33
    ['numberValue eq 10.33M', ['f1', 'f2']],
    ['numberValue gt 8m and numberValue le 9.5m', ['f4']],
    ['numberValue ge 8M', ['f1', 'f2', 'f3', 'f4']],
    ['numberValue gt 0.1m', ['f1', 'f2', 'f3', 'f4', 'f6']], // 0.1000000000000000000000000001 > 0.1
    ['numberValue eq 0.1m', []],
    ['numberValue eq 0.1d', []],
    ['numberValue lt 9', ['f3', 'f6']],
    ['numberValue eq 8L', ['f3']],
    ['numberValue eq null', ['f5']],
  ])('%s', (filter, expected) => {
    expect(select(filter, 'ProductFeature')).toEqual(expected);
  });
});

describe('Edm.Boolean', () => {
  it.each([
    ['active eq true', ['Online']],
    ['active eq false', ['Staged', 'Staged']],
    ['active ne true', ['Staged', 'Staged']],
    ['active eq 1', ['Online']], // Olingo promotes 0/1 (System.Bit) to Boolean
    ['active eq 0', ['Staged', 'Staged']],
    ['true eq active', ['Online']],
  ])('%s', (filter, expected) => {
    expect(select(filter, 'CatalogVersion')).toEqual(expected);
  });

  it('through a navigation', () => {
    expect(select('catalogVersion/active eq true')).toEqual(['p3']);
  });
});

describe('and / or / parentheses', () => {
  it.each([
    // and binds tighter than or
    ["code eq 'p1' or code eq 'p2' and reviewCount eq 12", ['p1']],
    ["code eq 'p2' and reviewCount eq 12 or code eq 'p3'", ['p3']],
    ["reviewCount eq 12 and code eq 'p1' or code eq 'p2'", ['p1', 'p2']],
    ["reviewCount eq 12 and (code eq 'p1' or code eq 'p2')", ['p1']],
    ["(code eq 'p1' or code eq 'p2') and reviewCount eq 5", ['p2']],
    ["((code eq 'p1') or ((code eq 'p2')))", ['p1', 'p2']],
    ["(code eq 'p1')or(code eq 'p2')", ['p1', 'p2']],
    ["code eq'p1'or code eq'p3'", ['p1', 'p3']],
    ["  code   eq   'p1'   or code eq 'p3'  ", ['p1', 'p3']],
    ["code eq 'p1' and code eq 'p2'", []],
    ["reviewCount ge 0 and reviewCount le 5 and catalogVersion/version eq 'Staged'", ['p2', 'p4']],
    ["code eq 'p1' or code eq 'p2' or code eq 'p3' and reviewCount eq 0 or code eq 'p4'", ['p1', 'p2', 'p3', 'p4']],
  ])('%s', (filter, expected) => {
    expect(select(filter)).toEqual(expected);
  });

  it('evaluates a long chain', () => {
    const filter = Array.from({ length: 600 }, (_, i) => `code eq 'x${i}'`).join(' or ') + " or code eq 'p5'";
    expect(select(filter)).toEqual(['p5']);
    const conjunction = Array.from({ length: 600 }, () => 'reviewCount ge 0').join(' and ');
    expect(select(conjunction)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
  });

  it('builds left-associated nodes with the literal typed and coerced', () => {
    const node = parseFilter("reviewCount gt 4.5m and (code eq 'p1' or 10L lt reviewCount)", fx.context());
    expect(node).toMatchObject({
      kind: 'and',
      left: { kind: 'comparison', operator: 'gt', literal: { type: 'Edm.Decimal', text: '4.5m' }, domain: 'number', value: 4.5 },
      right: {
        kind: 'or',
        left: { kind: 'comparison', operator: 'eq', literal: { type: 'Edm.String' }, domain: 'string', value: 'p1' },
        right: { kind: 'comparison', operator: 'gt', literal: { type: 'Edm.Int64', text: '10L' }, value: 10 },
      },
    });
  });
});

describe('navigation properties (one level)', () => {
  it.each([
    ["catalogVersion/version eq 'Online'", ['p3']],
    ["catalogVersion/version ne 'Staged'", ['p3']],
    ["catalogVersion/version eq 'Nope'", []], // no referenced item matches: empty, not an error
    ["unit/code eq 'pieces'", ['p1', 'p3', 'p5']],
    ["unit/code ne 'pieces'", ['p2', "p'6"]], // p4 has no unit
    ["unit/code eq 'nope' or code eq 'p4'", ['p4']],
    ["approvalStatus/code eq 'approved'", ['p1', 'p4']],
    ["catalogVersion / version eq 'Online'", ['p3']],
    ['unit eq null', ['p4']],
    ['unit ne null', ['p1', 'p2', 'p3', 'p5', "p'6"]],
    ['null eq unit', ['p4']],
    ['catalogVersion/catalog eq null', []],
    ['catalogVersion/catalog ne null', ALL],
  ])('%s', (filter, expected) => {
    expect(select(filter)).toEqual(expected);
  });

  it('navigation integrationKey: eq and (2211) ne', () => {
    expect(select("catalogVersion/integrationKey eq 'Staged|Default'")).toEqual(['p1', 'p2', 'p5']);
    expect(select("catalogVersion/integrationKey ne 'Staged|Default'")).toEqual(['p3', 'p4', "p'6"]);
    expect(select("'Staged|Other' eq catalogVersion/integrationKey")).toEqual(['p4', "p'6"]);
    expect(select("catalogVersion/integrationKey eq 'Default|Staged'")).toEqual([]);
    expect(select("code eq 'p1' or catalogVersion/integrationKey eq 'Staged|Default'")).toEqual(['p1', 'p2', 'p5']);
    expect(select("unit/integrationKey eq 'pieces'")).toEqual(['p1', 'p3', 'p5']);
    expect(select("catalogVersion/integrationKey eq 'Staged|Default'", 'Product', { profile: '2005' })).toEqual(['p1', 'p2', 'p5']);
  });

  it('navigation integrationKey: 2005 accepts only eq', () => {
    const expected = {
      status: 400,
      code: 'operation_not_supported',
      message: "For nested attribute filtering at someObject/IntegrationKey, logical operators other than 'eq' are not supported.",
    };
    expect(error("catalogVersion/integrationKey ne 'Staged|Default'", 'Product', { profile: '2005' })).toEqual(expected);
    expect(error("catalogVersion/integrationKey gt 'Staged|Default'", 'Product', { profile: '2005' })).toEqual(expected);
    expect(error("catalogVersion/integrationKey gt 'Staged|Default'")).toEqual(expected); // 2211 documents eq and ne only
    expect(error("catalogVersion/integrationKey le 'Staged|Default'")).toEqual(expected);
  });
});

describe('errors', () => {
  const olingo = (message: string) => ({ status: 400, code: null, message });
  const unexpected = { status: 500, code: 'unknown_error', message: 'An unexpected error occurred. See the log for details' };

  it('empty filter', () => {
    expect(error('')).toEqual(olingo("Value for '$filter' must not be null."));
    expect(error('   ')).toEqual(olingo("Value for '$filter' must not be null."));
  });

  it('top-level integrationKey', () => {
    const expected = {
      status: 400,
      code: 'integration_key_not_supported',
      message:
        "Filtering by integration key is not supported. Please supply the key with the Integration Object (e.g. https://.../InboundProduct/Products('Staged|Default|MyProduct'))",
    };
    expect(error("integrationKey eq 'Staged|Default|p1'")).toEqual(expected);
    expect(error("code eq 'p1' or integrationKey ne 'x'")).toEqual(expected);
    expect(error("'x' eq integrationKey")).toEqual(expected);
  });

  it('more than one navigation level', () => {
    expect(error("catalogVersion/catalog/id eq 'Default'")).toEqual({
      status: 400,
      code: 'filter_not_supported',
      message: 'Nested filter [catalogVersion/catalog/id] of more than one level is not supported.',
    });
    expect(error("code eq 'p1' and catalogVersion/catalog/integrationKey eq 'Default'")).toEqual({
      status: 400,
      code: 'filter_not_supported',
      message: 'Nested filter [catalogVersion/catalog/integrationKey] of more than one level is not supported.',
    });
  });

  it.each(['add', 'sub', 'mul', 'div', 'mod'])('arithmetic operator %s', (operator) => {
    expect(error(`reviewCount ${operator} 1 eq 2`)).toEqual({ status: 400, code: 'operator_not_supported', message: `Operator [${operator}] is not supported.` });
  });

  it.each([
    "not (code eq 'p1')",
    "not(code eq 'p1')",
    "code eq 'p1' and not (reviewCount eq 5)",
    "substringof('p', code)",
    "startswith(code, 'p')",
    "endswith(code,'1') eq true",
    "tolower(code) eq 'p1'",
    "length(code) eq 2",
    "year(onlineDate) eq 2020",
    '-reviewCount eq 3',
    'reviewCount eq - 3',
  ])('functions, not and unary minus give 500: %s', (filter) => {
    expect(error(filter)).toEqual(unexpected);
  });

  it('unknown properties (Olingo parser message)', () => {
    expect(error("foo eq 'x'")).toEqual(olingo(`No property "foo" exists in type "HybrisCommerceOData.Product" at position 1 in "foo eq 'x'".`));
    expect(error("code eq 'x' or Code eq 'y'")).toEqual(
      olingo(`No property "Code" exists in type "HybrisCommerceOData.Product" at position 16 in "code eq 'x' or Code eq 'y'".`),
    );
    expect(error("catalogVersion/foo eq 'x'")).toEqual(
      olingo(`No property "foo" exists in type "HybrisCommerceOData.CatalogVersion" at position 16 in "catalogVersion/foo eq 'x'".`),
    );
    expect(error("code/foo eq 'x'")).toEqual(olingo(`No property "foo" exists in type "Edm.String" at position 6 in "code/foo eq 'x'".`));
    // Olingo reads the property before the visitor sees the unsupported operator
    expect(error('foo add 1 eq 2')).toEqual(olingo(`No property "foo" exists in type "HybrisCommerceOData.Product" at position 1 in "foo add 1 eq 2".`));
    // numbers Olingo cannot type are names
    expect(error('reviewRating eq 1.5')).toEqual(
      olingo(`No property "1.5" exists in type "HybrisCommerceOData.Product" at position 17 in "reviewRating eq 1.5".`),
    );
    expect(error('size eq 3000000000', 'Media')).toEqual(
      olingo(`No property "3000000000" exists in type "HybrisCommerceOData.Media" at position 9 in "size eq 3000000000".`),
    );
    expect(error('size eq 9223372036854775808L', 'Media')).toEqual(
      olingo(`No property "9223372036854775808L" exists in type "HybrisCommerceOData.Media" at position 9 in "size eq 9223372036854775808L".`),
    );
  });

  it('collections cannot be compared', () => {
    expect(error("supercategories/code eq 'c1'")).toEqual(
      olingo(`Property "supercategories" at position 1 in "supercategories/code eq 'c1'" is a collection and cannot be used in this expression.`),
    );
    expect(error('supercategories eq null')).toEqual(
      olingo(`Property "supercategories" at position 1 in "supercategories eq null" is a collection and cannot be used in this expression.`),
    );
    expect(error("localizedAttributes/name eq 'x'")).toEqual(
      olingo(`Property "localizedAttributes" at position 1 in "localizedAttributes/name eq 'x'" is a collection and cannot be used in this expression.`),
    );
  });

  it('literals that do not convert to the property type', () => {
    expect(error('code eq 5')).toEqual(olingo(`Operator "eq" incompatible with operand types "Edm.String" and "System.Uint7" at position 6 in "code eq 5".`));
    expect(error("reviewCount eq 'x'")).toEqual(
      olingo(`Operator "eq" incompatible with operand types "Edm.Int32" and "Edm.String" at position 13 in "reviewCount eq 'x'".`),
    );
    expect(error("'x' lt reviewCount")).toEqual(olingo(`Operator "lt" incompatible with operand types "Edm.String" and "Edm.Int32" at position 5 in "'x' lt reviewCount".`));
    expect(error('reviewCount eq true')).toEqual(
      olingo(`Operator "eq" incompatible with operand types "Edm.Int32" and "Edm.Boolean" at position 13 in "reviewCount eq true".`),
    );
    expect(error("onlineDate gt '2012-05-29T09:13:28'")).toEqual(
      olingo(`Operator "gt" incompatible with operand types "Edm.DateTime" and "Edm.String" at position 12 in "onlineDate gt '2012-05-29T09:13:28'".`),
    );
    expect(error('onlineDate gt 2012')).toEqual(
      olingo(`Operator "gt" incompatible with operand types "Edm.DateTime" and "Edm.Int16" at position 12 in "onlineDate gt 2012".`),
    );
    expect(error("size eq 'big'", 'Media')).toEqual(olingo(`Operator "eq" incompatible with operand types "Edm.Int64" and "Edm.String" at position 6 in "size eq 'big'".`));
    expect(error('numberValue eq true', 'ProductFeature')).toEqual(
      olingo(`Operator "eq" incompatible with operand types "Edm.Decimal" and "Edm.Boolean" at position 13 in "numberValue eq true".`),
    );
    expect(error('active eq 2', 'CatalogVersion')).toEqual(
      olingo(`Operator "eq" incompatible with operand types "Edm.Boolean" and "System.Uint7" at position 8 in "active eq 2".`),
    );
    expect(error('active gt false', 'CatalogVersion')).toEqual(
      olingo(`Operator "gt" incompatible with operand types "Edm.Boolean" and "Edm.Boolean" at position 8 in "active gt false".`),
    );
    expect(error("catalogVersion eq 'Staged'")).toEqual(
      olingo(`Operator "eq" incompatible with operand types "HybrisCommerceOData.CatalogVersion" and "Edm.String" at position 16 in "catalogVersion eq 'Staged'".`),
    );
    expect(error('unit gt null')).toEqual(olingo(`Operator "gt" incompatible with operand types "HybrisCommerceOData.Unit" and "Edm.Null" at position 6 in "unit gt null".`));
    expect(error("onlineDate eq datetimeoffset'2012-05-29T09:13:28Z'")).toEqual(
      olingo(`Operator "eq" incompatible with operand types "Edm.DateTime" and "Edm.DateTimeOffset" at position 12 in "onlineDate eq datetimeoffset'2012-05-29T09:13:28Z'".`),
    );
    // Olingo's type check comes before Commerce's integrationKey check
    expect(error('integrationKey eq 5')).toEqual(
      olingo(`Operator "eq" incompatible with operand types "Edm.String" and "System.Uint7" at position 16 in "integrationKey eq 5".`),
    );
    expect(error("code eq 'p1' and reviewCount")).toEqual(
      olingo(`Operator "and" incompatible with operand types "Edm.Boolean" and "Edm.Int32" at position 14 in "code eq 'p1' and reviewCount".`),
    );
  });

  it('syntax errors', () => {
    expect(error("code eq 'p1")).toEqual(olingo(`Unterminated string literal at position 9 in "code eq 'p1".`));
    expect(error("code eq 'it''s")).toEqual(olingo(`Unterminated string literal at position 9 in "code eq 'it''s".`));
    expect(error('code eq "p1"')).toEqual(olingo(`Error while tokenizing a ODATA expression on token """ at position 9 in "code eq "p1"".`));
    expect(error("code\teq 'p1'")).toEqual(olingo(`Error while tokenizing a ODATA expression on token "\t" at position 5 in "code\teq 'p1'".`));
    expect(error('code eq')).toEqual(olingo(`Expression expected after position 7 in "code eq".`));
    expect(error("code eq 'p1' and")).toEqual(olingo(`Expression expected after position 16 in "code eq 'p1' and".`));
    expect(error("(code eq 'p1'")).toEqual(olingo(`Missing closing parenthesis ")" for opening parenthesis "(" at position 1 in "(code eq 'p1'".`));
    expect(error("(code eq 'p1' 'p2')")).toEqual(olingo(`Missing closing parenthesis ")" for opening parenthesis "(" at position 1 in "(code eq 'p1' 'p2')".`));
    expect(error("code eq 'p1')")).toEqual(olingo(`Invalid token ")" detected after parsing at position 13 in "code eq 'p1')".`));
    expect(error("code eq 'p1' 'p2'")).toEqual(olingo(`Invalid token "'p2'" detected after parsing at position 14 in "code eq 'p1' 'p2'".`));
    expect(error("code 'p1'")).toEqual(olingo(`Invalid token "'p1'" detected after parsing at position 6 in "code 'p1'".`));
    expect(error("code EQ 'p1'")).toEqual(olingo(`Invalid token "EQ" detected after parsing at position 6 in "code EQ 'p1'".`));
    expect(error('code')).toEqual(olingo(`Expression of type "Edm.Boolean" expected at position 1 in "code" (actual type is "Edm.String").`));
    expect(error('null')).toEqual(olingo(`Expression of type "Edm.Boolean" expected at position 1 in "null" (actual type is "Edm.Null").`));
    expect(error("code eq 'p1' eq 'p2'")).toEqual(olingo(`Invalid filter expression: 'code eq 'p1' eq 'p2''.`));
    expect(error("code eq = 'p1'")).toEqual(olingo(`Invalid filter expression: 'code eq = 'p1''.`));
    expect(error('()')).toEqual(olingo(`Invalid filter expression: '()'.`));
    expect(error(") or code eq 'p1'")).toEqual(olingo(`Invalid token ")" detected after parsing at position 1 in ") or code eq 'p1'".`));
    expect(error('(')).toEqual(olingo(`Missing closing parenthesis ")" for opening parenthesis "(" at position 1 in "(".`));
  });

  it('comparisons the visitor cannot turn into a condition', () => {
    expect(error('code eq code')).toEqual(unexpected);
    expect(error("'a' eq 'a'")).toEqual(unexpected);
    expect(error('active', 'CatalogVersion')).toEqual(unexpected);
    expect(error('true')).toEqual(unexpected);
  });

  it('refuses parentheses nested deeper than 200', () => {
    expect(select(`${'('.repeat(200)}code eq 'p1'${')'.repeat(200)}`)).toEqual(['p1']);
    const deep = `${'('.repeat(201)}code eq 'p1'${')'.repeat(201)}`;
    expect(error(deep)).toEqual(olingo(`Invalid filter expression: '${deep}'.`));
  });
});

describe('robustness: garbage never escapes as anything but an ODataRequestError, and never hangs', () => {
  const rnd = seededRandom(20240611);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const VOCABULARY = [
    'code', 'name', 'reviewCount', 'reviewRating', 'onlineDate', 'catalogVersion', 'catalogVersion/version', 'unit/code',
    'catalogVersion/integrationKey', 'integrationKey', 'supercategories', 'foo', 'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or',
    'not', 'add', 'mod', '(', ')', ',', '/', "'x'", "'it''s'", '10L', '8m', '1.5d', '2f', 'null', 'true', '-', '12',
    "datetime'2012-05-29T09:13:28'", 'substringof(', 'tolower(', 'INF', 'NaN', "X'0A'", 'asc', 'desc',
  ];
  const JUNK = ["'", "datetime'", "guid'", '=', '?', '*', '.', '$', '&', '%', ';', '@', '"', '\t', 'ü', '😀', '\u0000', '\uD800'];
  const UNICODE = ['ä', 'ß', 'é', 'Ω', '中', '文', '😀', '\u200B', '\u202E', '\uFEFF', '\uD83D', '\uDE00', 'ﬁ', '\u0301', 'ǅ', '٣'];

  function tokenSoup(): string {
    const n = 1 + Math.floor(rnd() * 12);
    const parts = Array.from({ length: n }, () => (rnd() < 0.08 ? pick(JUNK) : pick(VOCABULARY)));
    // a dangling operator at the end makes even an accidentally valid prefix an error
    return `${parts.join(rnd() < 0.7 ? ' ' : '')} ${pick(['and', 'or', 'eq', 'gt'])}`;
  }
  function unterminated(): string {
    return `${pick(['code', 'name', 'foo', "code eq 'x' and name"])} ${pick(['eq', 'ne', 'lt'])} '${pick(["abc", "it''s", '', 'ü😀'])}`;
  }
  function deepParentheses(): string {
    const depth = 1 + Math.floor(rnd() * 400);
    const open = '('.repeat(depth);
    const close = ')'.repeat(Math.max(0, depth - 1 - Math.floor(rnd() * 3)));
    return `${open}code eq 'p1'${close}`;
  }
  function tenKilobytes(): string {
    const kind = rnd();
    if (kind < 0.4) {
      let s = '';
      while (s.length < 10_000) s += `code eq 'x${s.length}' or `;
      return `${s}nope eq 1`;
    }
    if (kind < 0.7) return Array.from({ length: 10_000 }, () => pick(UNICODE)).join('');
    let s = '';
    while (s.length < 10_000) s += pick([...VOCABULARY, ...JUNK]) + (rnd() < 0.5 ? ' ' : '');
    return `${s} and`;
  }
  function unicode(): string {
    const n = 1 + Math.floor(rnd() * 20);
    return Array.from({ length: n }, () => (rnd() < 0.3 ? ' ' : pick(UNICODE))).join('');
  }

  const cases: string[] = [];
  for (let i = 0; i < 150; i++) cases.push(tokenSoup());
  for (let i = 0; i < 50; i++) cases.push(unterminated());
  for (let i = 0; i < 50; i++) cases.push(deepParentheses());
  for (let i = 0; i < 20; i++) cases.push(tenKilobytes());
  for (let i = 0; i < 80; i++) cases.push(unicode());

  it(`${cases.length} generated filters each throw an ODataRequestError (4xx/5xx) quickly`, () => {
    const ctx = fx.context();
    // warm the JIT up on a long filter, so that the timing below measures the code, not the compiler
    parseFilter(Array.from({ length: 700 }, (_, i) => `code eq 'w${i}'`).join(' or '), ctx);
    let slowest = 0;
    let total = 0;
    for (const text of cases) {
      const started = performance.now();
      let thrown: unknown;
      try {
        parseFilter(text, ctx);
      } catch (e) {
        thrown = e;
      }
      const elapsed = performance.now() - started;
      slowest = Math.max(slowest, elapsed);
      total += elapsed;
      expect(thrown, JSON.stringify(text.slice(0, 200))).toBeInstanceOf(ODataRequestError);
      const status = (thrown as ODataRequestError).status;
      expect(status >= 400 && status < 600, `${status} for ${JSON.stringify(text.slice(0, 200))}`).toBe(true);
    }
    // "Never hangs": a single case may hit a GC pause on a busy 2-core machine, the average may not.
    expect(slowest).toBeLessThan(250);
    expect(total / cases.length).toBeLessThan(5);
  });
});
