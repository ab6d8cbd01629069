/**
 * The `whereClause` subset outbound sync streams evaluate (mock-commerce/outbound/where-clause.ts):
 * every case is a real parse of the clause and an evaluation against an item's stored values.
 */
import { describe, expect, it } from 'vitest';
import { WhereClauseError, parseWhereClause } from '../../mock-commerce/outbound/where-clause.js';
import type { StoredValue } from '../../mock-commerce/store/store.js';

type Values = Record<string, StoredValue>;

function matches(clause: string, values: Values): boolean {
  const predicate = parseWhereClause(clause);
  if (!predicate) throw new Error(`'${clause}' parsed to no restriction`);
  return predicate(values);
}

function refusal(clause: string): string {
  try {
    parseWhereClause(clause);
  } catch (e) {
    expect(e).toBeInstanceOf(WhereClauseError);
    return (e as Error).message;
  }
  throw new Error(`'${clause}' was accepted`);
}

describe('parseWhereClause: no restriction', () => {
  it.each([undefined, '', '   ', '\n\t '])('%j is no restriction (undefined)', (text) => {
    expect(parseWhereClause(text)).toBeUndefined();
  });
});

describe('parseWhereClause: comparisons', () => {
  const cases: [clause: string, values: Values, expected: boolean][] = [
    // = and the {item.q} / {q} spellings
    ["{code} = 'A1'", { code: 'A1' }, true],
    ["{code} = 'A1'", { code: 'A2' }, false],
    ["{item.code} = 'A1'", { code: 'A1' }, true],
    ["{ item.code } = 'A1'", { code: 'A1' }, true],
    ["{code}='A1'", { code: 'A1' }, true],
    ["{code} = 'a1'", { code: 'A1' }, false],
    ["{code} = ''", { code: '' }, true],
    // <> and != are the same
    ["{code} <> 'A1'", { code: 'A2' }, true],
    ["{code} <> 'A1'", { code: 'A1' }, false],
    ["{code} != 'A1'", { code: 'A2' }, true],
    ["{code} != 'A1'", { code: 'A1' }, false],
    // ordering of strings is lexicographic
    ["{code} < 'B'", { code: 'A9' }, true],
    ["{code} < 'B'", { code: 'B' }, false],
    ["{code} <= 'B'", { code: 'B' }, true],
    ["{code} > 'B'", { code: 'Ba' }, true],
    ["{code} >= 'B'", { code: 'A' }, false],
    // numbers
    ['{n} = 5', { n: 5 }, true],
    ['{n} = 5', { n: 6 }, false],
    ['{n} = 5.0', { n: 5 }, true],
    ['{n} = 2.5', { n: 2.5 }, true],
    ['{n} < 10', { n: 9 }, true],
    ['{n} < 10', { n: 10 }, false],
    ['{n} <= 10', { n: 10 }, true],
    ['{n} > 10', { n: 10 }, false],
    ['{n} > 10', { n: 10.5 }, true],
    ['{n} >= 10', { n: 10 }, true],
    ['{n} <> 10', { n: 11 }, true],
    ['{n} <> 10', { n: 10 }, false],
    ['{n} > -5', { n: -4 }, true],
    ['{n} > -5', { n: -6 }, false],
    ['{n} = 0', { n: 0 }, true],
    // a number attribute against a numeric string literal compares as numbers
    ["{n} = '5'", { n: 5 }, true],
    ["{n} = ' 5 '", { n: 5 }, true],
    ["{n} > '9'", { n: 10 }, true],
    ["{n} = '5.50'", { n: 5.5 }, true],
    // … a non-numeric string cannot be compared: no condition matches, not even <>
    ["{n} = 'five'", { n: 5 }, false],
    ["{n} <> 'five'", { n: 5 }, false],
    ["{n} = ''", { n: 0 }, false],
    ["{n} = '0x10'", { n: 16 }, false],
    // Long / BigDecimal values are stored as decimal strings: against a number literal they compare as numbers
    ['{quantity} > 10', { quantity: '9' }, false],
    ['{quantity} > 10', { quantity: '11' }, true],
    ['{quantity} < 10', { quantity: '9' }, true],
    ['{quantity} = 10', { quantity: '10' }, true],
    ['{price} = 1.5', { price: '1.50' }, true],
    ['{price} >= -1', { price: '-0.5' }, true],
    // … against a string literal they compare as the strings they are
    ["{quantity} = '10'", { quantity: '10' }, true],
    ["{quantity} = '10.0'", { quantity: '10' }, false],
    // a string that is not a number against a number literal: as text
    ['{code} = 5', { code: '5' }, true],
    ['{code} = 5', { code: 'five' }, false],
    // booleans: true/false, also 1/0 (number or string)
    ['{active} = true', { active: true }, true],
    ['{active} = true', { active: false }, false],
    ['{active} = false', { active: false }, true],
    ['{active} = TRUE', { active: true }, true],
    ['{active} <> false', { active: true }, true],
    ['{active} = 1', { active: true }, true],
    ['{active} = 0', { active: false }, true],
    ['{active} = 1', { active: false }, false],
    ["{active} = '1'", { active: true }, true],
    ["{active} = '0'", { active: false }, true],
    ['{active} = 2', { active: true }, false],
    ['{active} <> 2', { active: true }, false],
    ["{active} = 'true'", { active: true }, false],
    // a number attribute is not a boolean
    ['{n} = true', { n: 1 }, false],
    // enum values by code, dates as epoch ms
    ["{status} = 'FINISHED'", { status: 'FINISHED' }, true],
    ['{date} >= 1767600000000', { date: 1767600000000 }, true],
    ['{date} < 1767600000000', { date: 1767600000000 }, false],
    // references are item pks: a number matches the pk, a code never does
    ['{catalogVersion} = 42', { catalogVersion: 42 }, true],
    ["{catalogVersion} = '42'", { catalogVersion: 42 }, true],
    ["{catalogVersion} = 'Online'", { catalogVersion: 42 }, false],
    ["{catalogVersion} <> 'Online'", { catalogVersion: 42 }, false],
    // null and missing values never match a comparison, whatever the operator
    ["{code} = 'A'", { code: null }, false],
    ["{code} <> 'A'", { code: null }, false],
    ["{code} <> 'A'", {}, false],
    ['{n} < 5', {}, false],
    ['{n} >= 0', { n: null }, false],
    ['{active} = false', {}, false],
    // localized values and collections cannot be compared with a literal
    ["{name} = 'Shoe'", { name: { en: 'Shoe' } }, false],
    ["{name} <> 'Shoe'", { name: { en: 'Shoe' } }, false],
    ['{entries} = 1', { entries: [1] }, false],
    ['{entries} <> 1', { entries: [1, 2] }, false],
  ];
  it.each(cases)('%s with %j → %s', (clause, values, expected) => {
    expect(matches(clause, values)).toBe(expected);
  });
});

describe('parseWhereClause: string literals', () => {
  const cases: [clause: string, values: Values, expected: boolean][] = [
    ["{name} = 'O''Brien'", { name: "O'Brien" }, true],
    ["{name} = 'O''Brien'", { name: 'OBrien' }, false],
    ["{name} = ''''", { name: "'" }, true],
    ["{name} = 'a''''b'", { name: "a''b" }, true],
    ["{name} = 'two  spaces'", { name: 'two  spaces' }, true],
    ["{name} = 'AND'", { name: 'AND' }, true],
    ["{name} = 'x OR y'", { name: 'x OR y' }, true],
    ["{name} = '{code}'", { name: '{code}' }, true],
    ["{name} = '({{x}})'", { name: '({{x}})' }, true],
    ["{name} = 'ünïcödé €'", { name: 'ünïcödé €' }, true],
  ];
  it.each(cases)('%s with %j → %s', (clause, values, expected) => {
    expect(matches(clause, values)).toBe(expected);
  });
});

describe('parseWhereClause: LIKE and NOT LIKE', () => {
  const cases: [clause: string, values: Values, expected: boolean][] = [
    ["{code} LIKE 'A%'", { code: 'A' }, true],
    ["{code} LIKE 'A%'", { code: 'ABC' }, true],
    ["{code} LIKE 'A%'", { code: 'BA' }, false],
    ["{code} LIKE '%A'", { code: 'BA' }, true],
    ["{code} LIKE '%B%'", { code: 'ABC' }, true],
    ["{code} LIKE '%B%'", { code: 'AC' }, false],
    ["{code} LIKE '%'", { code: '' }, true],
    ["{code} LIKE 'A_C'", { code: 'ABC' }, true],
    ["{code} LIKE 'A_C'", { code: 'AC' }, false],
    ["{code} LIKE 'A_C'", { code: 'ABBC' }, false],
    ["{code} LIKE '___'", { code: 'xyz' }, true],
    ["{code} LIKE 'ABC'", { code: 'ABC' }, true],
    ["{code} LIKE 'ABC'", { code: 'ABCD' }, false],
    // the whole value must match, across line breaks too
    ["{code} LIKE 'A%Z'", { code: 'A\nmiddle\nZ' }, true],
    ["{code} LIKE 'A_Z'", { code: 'A\nZ' }, true],
    // regular-expression characters are literal
    ["{code} LIKE 'a.c'", { code: 'abc' }, false],
    ["{code} LIKE 'a.c'", { code: 'a.c' }, true],
    ["{code} LIKE '(a)+[b]*$'", { code: '(a)+[b]*$' }, true],
    ["{code} LIKE 'a\\%'", { code: 'a\\xyz' }, true],
    // case-sensitive, as the stored value is
    ["{code} LIKE 'a%'", { code: 'ABC' }, false],
    // numbers and booleans match as their text
    ["{n} LIKE '12%'", { n: 123 }, true],
    ["{active} LIKE 'tr%'", { active: true }, true],
    // NOT LIKE
    ["{code} NOT LIKE 'A%'", { code: 'BA' }, true],
    ["{code} NOT LIKE 'A%'", { code: 'AB' }, false],
    ["{code} not like 'A%'", { code: 'BA' }, true],
    // null, missing, localized and collection values match neither LIKE nor NOT LIKE
    ["{code} LIKE '%'", { code: null }, false],
    ["{code} NOT LIKE 'A%'", { code: null }, false],
    ["{code} NOT LIKE 'A%'", {}, false],
    ["{name} LIKE '%object%'", { name: { en: 'x' } }, false],
    ["{name} NOT LIKE 'x'", { name: { en: 'x' } }, false],
    ["{entries} LIKE '1%'", { entries: [1, 2] }, false],
  ];
  it.each(cases)('%s with %j → %s', (clause, values, expected) => {
    expect(matches(clause, values)).toBe(expected);
  });
});

describe('parseWhereClause: IN and NOT IN', () => {
  const cases: [clause: string, values: Values, expected: boolean][] = [
    ["{code} IN ('A', 'B')", { code: 'A' }, true],
    ["{code} IN ('A', 'B')", { code: 'B' }, true],
    ["{code} IN ('A', 'B')", { code: 'C' }, false],
    ["{code} IN ('A')", { code: 'A' }, true],
    ["{code} in('A','B')", { code: 'B' }, true],
    ['{n} IN (1, 2, 3)', { n: 2 }, true],
    ['{n} IN (1, 2, 3)', { n: 4 }, false],
    ["{n} IN ('2', 7)", { n: 2 }, true],
    ['{quantity} IN (2, 3)', { quantity: '3' }, true],
    ['{active} IN (true)', { active: true }, true],
    ['{active} IN (1)', { active: true }, true],
    ["{code} IN ('it''s')", { code: "it's" }, true],
    ["{code} NOT IN ('A', 'B')", { code: 'C' }, true],
    ["{code} NOT IN ('A', 'B')", { code: 'A' }, false],
    ['{n} NOT IN (1, 2)', { n: 3 }, true],
    ['{n} NOT IN (1, 2)', { n: 1 }, false],
    // null and missing values match neither
    ["{code} IN ('A')", { code: null }, false],
    ["{code} NOT IN ('A')", { code: null }, false],
    ["{code} NOT IN ('A')", {}, false],
    // NOT IN (a, b) is <> a AND <> b: a value that cannot be compared with an element does not match
    ["{n} NOT IN ('abc')", { n: 5 }, false],
    ["{catalogVersion} NOT IN ('Online')", { catalogVersion: 42 }, false],
    ["{name} NOT IN ('x')", { name: { en: 'y' } }, false],
    ["{name} IN ('x')", { name: { en: 'x' } }, false],
    // IN is = a OR = b: an element that cannot be compared is simply no match
    ["{n} IN ('abc', 5)", { n: 5 }, true],
  ];
  it.each(cases)('%s with %j → %s', (clause, values, expected) => {
    expect(matches(clause, values)).toBe(expected);
  });
});

describe('parseWhereClause: IS [NOT] NULL', () => {
  const cases: [clause: string, values: Values, expected: boolean][] = [
    ['{code} IS NULL', { code: null }, true],
    ['{code} IS NULL', {}, true],
    ['{code} IS NULL', { code: '' }, false],
    ['{n} IS NULL', { n: 0 }, false],
    ['{active} IS NULL', { active: false }, false],
    ['{code} IS NOT NULL', { code: 'A' }, true],
    ['{code} IS NOT NULL', { code: '' }, true],
    ['{code} IS NOT NULL', { code: null }, false],
    ['{code} IS NOT NULL', {}, false],
    ['{name} IS NOT NULL', { name: { en: 'x' } }, true],
    ['{code} is not null', { code: 'A' }, true],
  ];
  it.each(cases)('%s with %j → %s', (clause, values, expected) => {
    expect(matches(clause, values)).toBe(expected);
  });
});

describe('parseWhereClause: AND and parentheses', () => {
  const clause = "{code} LIKE 'A%' AND {n} > 1 AND {active} = true";
  const cases: [clause: string, values: Values, expected: boolean][] = [
    [clause, { code: 'AX', n: 2, active: true }, true],
    [clause, { code: 'BX', n: 2, active: true }, false],
    [clause, { code: 'AX', n: 1, active: true }, false],
    [clause, { code: 'AX', n: 2, active: false }, false],
    [clause, { code: 'AX', n: 2 }, false],
    ["({code} = 'A')", { code: 'A' }, true],
    ["(({code} = 'A'))", { code: 'A' }, true],
    ["({code} = 'A' AND {n} = 1) AND {active} = true", { code: 'A', n: 1, active: true }, true],
    ["({code} = 'A' AND {n} = 1) AND {active} = true", { code: 'A', n: 2, active: true }, false],
    ["{code} = 'A' AND ({n} IN (1, 2) AND {x} IS NULL)", { code: 'A', n: 2 }, true],
    ["{code} = 'A' AND ({n} IN (1, 2) AND {x} IS NULL)", { code: 'A', n: 2, x: 'set' }, false],
    // keywords in any case, whitespace anywhere
    ["{code} like 'A%' and {n} is null", { code: 'A' }, true],
    ["  {code}   =   'A'   aNd   {n}>=1  ", { code: 'A', n: 1 }, true],
    ["{code} = 'A'\nAND\t{n} = 1", { code: 'A', n: 1 }, true],
  ];
  it.each(cases)('%s with %j → %s', (text, values, expected) => {
    expect(matches(text, values)).toBe(expected);
  });

  it('the predicate is reusable and does not depend on earlier calls', () => {
    const predicate = parseWhereClause("{code} LIKE 'A%' AND {n} > 1")!;
    expect([{ code: 'A', n: 2 }, { code: 'B', n: 2 }, { code: 'A', n: 2 }].map(predicate)).toEqual([true, false, true]);
  });
});

describe('parseWhereClause: refused clauses', () => {
  const cases: [clause: string, message: RegExp][] = [
    // OR, anywhere
    ["{code} = 'A' OR {code} = 'B'", /OR is not supported/],
    ["{code} = 'A' or {code} = 'B'", /OR is not supported/],
    ["({code} = 'A' OR {code} = 'B')", /OR is not supported/],
    ["{n} = 1 AND ({code} = 'A' OR {code} = 'B')", /OR is not supported/],
    // sub-queries
    ['{pk} IN ({{SELECT {pk} FROM {Product}}})', /sub-queries/],
    ['{{SELECT {pk} FROM {Order}}}', /sub-queries/],
    // functions
    ["LOWER({code}) = 'a'", /expected an attribute \{qualifier\} but found 'LOWER'/],
    ["{code} = UPPER('a')", /expected a literal but found 'UPPER'/],
    ['{date} > CURRENT_TIMESTAMP', /expected a literal but found 'CURRENT_TIMESTAMP'/],
    // joins / paths and other attribute references
    ["{catalogVersion.version} = 'Online'", /unsupported attribute reference \{catalogVersion\.version\}/],
    ["{p.code} = 'A'", /unsupported attribute reference \{p\.code\}/],
    ["{item.code[en]} = 'A'", /unsupported attribute reference/],
    ["{} = 'A'", /unsupported attribute reference \{\}/],
    ["{1code} = 'A'", /unsupported attribute reference/],
    ["{code = 'A'", /unclosed '\{' at 0/],
    // comparing two attributes
    ['{code} = {name}', /expected a literal but found \{name\}/],
    // literals
    ["{code} = 'A", /unclosed string literal/],
    ["{code} = 'it''s", /unclosed string literal/],
    ['{code} = "A"', /unexpected '"' at 9/],
    ['{n} = 1e3', /unexpected 'E3'/],
    ['{n} = .5', /unexpected '\.' at 6/],
    ['{code} = NULL', /expected a literal but found 'NULL'/],
    // structure
    ["{code} = 'A' AND", /unexpected end of the clause/],
    ['{code} =', /unexpected end of the clause/],
    ['{code}', /unexpected end of the clause/],
    ["AND {code} = 'A'", /expected an attribute \{qualifier\} but found 'AND'/],
    ["{code} = 'A' {n} = 1", /unexpected \{n\}/],
    ["{code} = 'A' 'B'", /unexpected 'B'/],
    ["{code} = 'A')", /unexpected '\)'/],
    ["({code} = 'A'", /unexpected end of the clause/],
    ["({code} = 'A' AND {n} = 1 {x} = 2)", /expected '\)' but found \{x\}/],
    ['()', /expected an attribute \{qualifier\} but found '\)'/],
    ["'A' = {code}", /expected an attribute \{qualifier\} but found 'A'/],
    ["{code} == 'A'", /expected a literal but found '='/],
    ["{code} 'A'", /expected a comparison after \{code\} but found 'A'/],
    ["{code} BETWEEN 'A' AND 'B'", /expected a comparison after \{code\} but found 'BETWEEN'/],
    ["{code} # 'A'", /unexpected '#' at 7/],
    ["{code} = 'A';", /unexpected ';' at 12/],
    // NOT only in NOT LIKE / NOT IN / IS NOT NULL
    ["NOT {code} = 'A'", /expected an attribute \{qualifier\} but found 'NOT'/],
    ["{code} NOT = 'A'", /NOT is only supported in NOT LIKE, NOT IN and IS NOT NULL/],
    ['{code} IS NOT NOT NULL', /expected NULL after IS/],
    ['{code} IS EMPTY', /expected NULL after IS/],
    ['{code} IS', /expected NULL after IS/],
    // LIKE and IN operands
    ['{code} LIKE 5', /LIKE needs a string pattern/],
    ['{code} LIKE {name}', /LIKE needs a string pattern/],
    ['{code} LIKE', /unexpected end of the clause/],
    ["{code} IN 'A'", /expected '\(' after IN/],
    ['{code} IN ()', /expected a literal but found '\)'/],
    ["{code} IN ('A',)", /expected a literal but found '\)'/],
    ["{code} IN ('A' 'B')", /expected ',' or '\)' but found 'B'/],
    ["{code} IN ('A'", /unexpected end of the clause/],
    ['{code} IN ({name})', /expected a literal but found \{name\}/],
  ];
  it.each(cases)('%s → WhereClauseError %s', (clause, message) => {
    expect(refusal(clause)).toMatch(message);
  });

  it('WhereClauseError is an Error', () => {
    expect(() => parseWhereClause("{a} = 1 OR {b} = 2")).toThrow(Error);
    expect(() => parseWhereClause("{a} = 1 OR {b} = 2")).toThrow(WhereClauseError);
  });
});
