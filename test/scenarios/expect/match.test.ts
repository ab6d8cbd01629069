import { describe, it, expect } from 'vitest';
import { interpolate, match, MatcherError, type MatchOptions, type Mismatch } from '../../../scenarios/expect/index.js';

interface Case {
  name: string;
  expected: unknown;
  actual: unknown;
  options?: MatchOptions;
  /** Expected mismatches (a subset of each mismatch's fields); empty for a match. */
  mismatches?: Partial<Mismatch>[];
  captures?: Record<string, unknown>;
}

const ok = (name: string, expected: unknown, actual: unknown, options?: MatchOptions): Case => ({ name, expected, actual, options, mismatches: [] });
const bad = (name: string, expected: unknown, actual: unknown, mismatches: Partial<Mismatch>[], options?: MatchOptions): Case => ({ name, expected, actual, options, mismatches });

function run(c: Case): void {
  const r = match(c.expected, c.actual, c.options);
  const want = c.mismatches ?? [];
  expect(r.mismatches.map((m, i) => (want[i] ? Object.fromEntries(Object.keys(want[i]).map((k) => [k, m[k as keyof Mismatch]])) : m))).toEqual(want);
  expect(r.ok).toBe(want.length === 0);
  if (c.captures) expect(r.captures).toEqual(c.captures);
}

describe('primitives', () => {
  it.each<Case>([
    ok('equal strings', 'a', 'a'),
    ok('equal numbers', 4.5, 4.5),
    ok('booleans', false, false),
    ok('null', null, null),
    bad('different strings', '00001001', '00001002', [{ path: '$', expected: '"00001001"', actual: '"00001002"', message: 'values differ' }]),
    bad('number vs numeric string (strict)', 10, '10', [{ expected: '10', actual: '"10"', message: 'expected number, got string' }]),
    ok('number vs numeric string (loose)', 10, '10.00', { loose: true }),
    ok('negative exponent (loose)', -0.5, '-5e-1', { loose: true }),
    bad('non-numeric string (loose)', 10, '10 EUR', [{ message: 'expected number, got string' }], { loose: true }),
    bad('hex is not decimal (loose)', 16, '0x10', [{ actual: '"0x10"' }], { loose: true }),
    bad('empty string is not 0 (loose)', 0, '', [{ actual: '""' }], { loose: true }),
    bad('loose is one way: string vs number', '10', 10, [{ message: 'expected string, got number' }], { loose: true }),
    bad('null vs missing', null, undefined, [{ expected: 'null', actual: '(absent)', message: 'missing' }]),
    bad('null vs 0', null, 0, [{ message: 'expected null, got number' }]),
    bad('true vs "true"', true, 'true', [{ message: 'expected boolean, got string' }]),
  ])('$name', run);
});

describe('objects', () => {
  it.each<Case>([
    ok('subset: extra actual keys are fine', { a: 1 }, { a: 1, b: 2 }),
    ok('empty object matches any object', {}, { a: 1 }),
    bad('empty object does not match an array', {}, [], [{ message: 'expected object, got array' }]),
    bad('object vs null', { a: 1 }, null, [{ path: '$', message: 'expected object, got null' }]),
    bad('missing key', { a: 1, b: 2 }, { a: 1 }, [{ path: '$.b', expected: '2', actual: '(absent)', message: 'missing' }]),
    bad('every failing key is reported, in expected order', { b: 1, a: 2 }, { a: 3, b: 4 }, [{ path: '$.b' }, { path: '$.a' }]),
    bad('nested', { products: { 'P-1': { price: 10 } } }, { products: { 'P-1': { price: 11 } } }, [{ path: '$.products["P-1"].price', expected: '10', actual: '11' }]),
    ok('$exact with the same keys', { $exact: true, a: 1, b: { c: 1 } }, { a: 1, b: { c: 1, d: 2 } }),
    bad('$exact: extra keys, one mismatch each', { $exact: true, a: 1 }, { a: 1, b: 2, 'c.d': 'x' }, [
      { path: '$.b', expected: '(absent)', actual: '2', message: 'unexpected key ($exact)' },
      { path: '$["c.d"]', actual: '"x"' },
    ]),
    ok('$exact: false is a subset', { $exact: false, a: 1 }, { a: 1, b: 2 }),
    ok('$exact alone: empty object', { $exact: true }, {}),
    bad('$exact alone: non-empty object', { $exact: true }, { a: 1 }, [{ path: '$.a' }]),
    ok('$exact with an $absent key', { $exact: true, a: 1, b: { $absent: true } }, { a: 1 }),
    ok('$$ stands for a literal $ key', { $$ref: 'x', $$$id: 2 }, { $ref: 'x', $$id: 2 }),
    bad('$$ key mismatch path', { $$ref: 'x' }, { $ref: 'y' }, [{ path: '$.$ref' }]),
  ])('$name', run);
});

describe('paths', () => {
  it.each<Case>([
    bad('dots in keys use brackets', { 'a.b': 1 }, { 'a.b': 2 }, [{ path: '$["a.b"]' }]),
    bad('quotes in keys are escaped', { 'say "hi"': 1 }, {}, [{ path: '$["say \\"hi\\""]' }]),
    bad('spaces and dashes', { 'first name': { 'x-y': 1 } }, { 'first name': { 'x-y': 2 } }, [{ path: '$["first name"]["x-y"]' }]),
    bad('empty key', { '': 1 }, { '': 2 }, [{ path: '$[""]' }]),
    bad('digit-leading key', { '1st': 1 }, { '1st': 2 }, [{ path: '$["1st"]' }]),
    bad('array index then key', [{ a: 1 }, { body: { utoken: 'x' } }, { body: { utoken: 'y' } }], [{ a: 1 }, { body: { utoken: 'x' } }, { body: { utoken: 'z' } }], [{ path: '$[2].body.utoken' }]),
    bad('custom root', { a: 1 }, { a: 2 }, [{ path: 'response.a' }], { path: 'response' }),
  ])('$name', run);
});

describe('arrays', () => {
  it.each<Case>([
    ok('element-wise', [1, { a: 1 }], [1, { a: 1, b: 2 }]),
    ok('empty', [], []),
    bad('element mismatch', [1, 2, 3], [1, 5, 3], [{ path: '$[1]', expected: '2', actual: '5' }]),
    bad('order matters', ['a', 'b'], ['b', 'a'], [{ path: '$[0]' }, { path: '$[1]' }]),
    bad('shorter: one mismatch naming the length', [1, 2, 3], [1, 9], [
      { path: '$', expected: 'array of 3', actual: 'array of 2: [1, 9]', message: 'array length differs: expected 3, got 2' },
    ]),
    bad('longer', { items: [1] }, { items: [1, 2] }, [{ path: '$.items', message: 'array length differs: expected 1, got 2' }]),
    bad('not an array', [1], { 0: 1 }, [{ message: 'expected array, got object' }]),
    bad('missing array', { items: [] }, {}, [{ path: '$.items', actual: '(absent)', message: 'missing' }]),
  ])('$name', run);
});

describe('$contains', () => {
  it.each<Case>([
    ok('any order, extras fine', { $contains: [{ sku: 'B' }, { sku: 'A' }] }, [{ sku: 'A', q: 1 }, { sku: 'C' }, { sku: 'B' }]),
    ok('empty $contains matches any array', { $contains: [] }, []),
    ok('distinct elements needed, found by reassignment', { $contains: [{ $type: 'number' }, 1] }, [1, 2]),
    bad('duplicates need distinct elements', { $contains: ['a', 'a'] }, ['a', 'b'], [
      { path: '$', expected: '"a"', message: '$contains[1]: every element it matches ([0]) is taken by another expected element' },
    ]),
    bad('no element matches, closest named', { items: { $contains: [{ sku: 'Z', qty: 1 }] } }, { items: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 1 }] }, [
      { path: '$.items', message: '$contains[0]: no element matches; closest is $.items[1]: at $.items[1].sku expected "Z", got "B"' },
    ]),
    bad('empty actual', { $contains: [1] }, [], [{ message: '$contains[0]: the array is empty' }]),
    bad('not an array', { $contains: [1] }, 'x', [{ message: 'expected array, got string' }]),
    {
      name: 'captures from the assigned elements',
      expected: { $contains: [{ sku: 'B', id: { $capture: 'b' } }] },
      actual: [{ sku: 'A', id: 1 }, { sku: 'B', id: 2 }],
      mismatches: [],
      captures: { b: 2 },
    },
  ])('$name', run);
});

describe('matchers', () => {
  it.each<Case>([
    ok('$regex', { $regex: '^\\d{8}$' }, '00001001'),
    ok('$regex is unanchored', { $regex: 'token' }, 'a token here'),
    bad('$regex no match', { $regex: '^\\d+$' }, 'x1', [{ expected: '/^\\d+$/', actual: '"x1"', message: 'does not match the pattern' }]),
    bad('$regex on a number', { $regex: '^\\d+$' }, 12, [{ message: 'expected a string, got number' }]),
    bad('$regex on absent', { a: { $regex: 'x' } }, {}, [{ path: '$.a', expected: '/x/', actual: '(absent)', message: 'missing' }]),
    ...(['string', 'number', 'boolean', 'object', 'array', 'null'] as const).map((t) => {
      const samples = { string: 's', number: 1, boolean: true, object: { a: 1 }, array: [1], null: null };
      return ok(`$type ${t}`, { $type: t }, samples[t]);
    }),
    bad('$type array is not object', { $type: 'object' }, [], [{ expected: '(type object)', message: 'expected type object, got array' }]),
    bad('$type null is not object', { $type: 'object' }, null, [{ message: 'expected type object, got null' }]),
    bad('$type on absent', { a: { $type: 'null' } }, {}, [{ message: 'missing' }]),
    ok('$absent', { a: 1, b: { $absent: true } }, { a: 1 }),
    bad('$absent present', { b: { $absent: true } }, { b: null }, [{ path: '$.b', expected: '(absent)', actual: 'null', message: 'expected no value here' }]),
    ok('$any', { a: { $any: true } }, { a: null }),
    bad('$any absent', { a: { $any: true } }, {}, [{ expected: '(any value)', actual: '(absent)', message: 'missing' }]),
    ok('$gte', { $gte: 3 }, 3),
    ok('$lte', { $lte: 3 }, 2.5),
    ok('$gte and $lte', { $gte: 1, $lte: 9 }, 5),
    bad('$gte out of range', { $gte: 3 }, 2, [{ expected: '>= 3', actual: '2', message: 'out of range' }]),
    bad('$lte out of range', { $gte: 1, $lte: 9 }, 10, [{ expected: '<= 9', message: 'out of range' }]),
    bad('$gte on a string (strict)', { $gte: 3 }, '4', [{ message: 'expected a number, got string' }]),
    ok('$gte on a numeric string (loose)', { $gte: 3 }, '4', { loose: true }),
    ok('$oneOf', { $oneOf: ['A', 'B', { $type: 'null' }] }, null),
    bad('$oneOf none', { $oneOf: ['A', 'B'] }, 'C', [{ expected: 'one of ["A", "B"]', actual: '"C"', message: 'matches none of the 2 alternatives' }]),
    ok('$oneOf with $absent', { a: { $oneOf: [{ $absent: true }, 'x'] } }, {}),
    ok('$not', { $not: 'FAILED' }, 'COMPLETED'),
    bad('$not matched', { $not: 'FAILED' }, 'FAILED', [{ expected: 'not "FAILED"', actual: '"FAILED"', message: 'matched, but should not' }]),
    ok('$not on absent', { a: { $not: 'x' } }, {}),
    bad('$not $absent on absent', { a: { $not: { $absent: true } } }, {}, [{ expected: 'not (absent)', actual: '(absent)' }]),
    ok('$not of a matcher', { $not: { $regex: '^x' } }, 'yx'),
    ok('$json', { body: { $json: { order: { id: 7 } } } }, { body: '{"order":{"id":7,"x":1}}' }),
    bad('$json inner mismatch continues the path', { body: { $json: { order: { id: 7 } } } }, { body: '{"order":{"id":8}}' }, [
      { path: '$.body.order.id', expected: '7', actual: '8' },
    ]),
    bad('$json parse failure', { $json: {} }, '{oops', [{ expected: 'JSON text matching {}', actual: '"{oops"' }]),
    bad('$json on a non-string', { $json: {} }, { a: 1 }, [{ message: 'expected JSON text, got object' }]),
    ok('$json with a matcher', { $json: { $type: 'array' } }, '[1,2]'),
  ])('$name', run);

  it('reports the JSON parse error', () => {
    const r = match({ $json: {} }, '{oops');
    expect(r.mismatches[0]?.message).toMatch(/^not valid JSON: /);
  });

  it('reports the first failing operator of a combined matcher only', () => {
    const r = match({ $type: 'string', $regex: '^a' }, 5);
    expect(r.mismatches).toHaveLength(1);
    expect(r.mismatches[0]?.message).toBe('expected type string, got number');
  });
});

describe('captures', () => {
  it.each<Case>([
    { name: '$capture records a value', expected: { token: { $capture: 'token' } }, actual: { token: 'abc' }, mismatches: [], captures: { token: 'abc' } },
    { name: '$capture records objects', expected: { $capture: 'all' }, actual: { a: [1] }, mismatches: [], captures: { all: { a: [1] } } },
    { name: '$capture with $regex', expected: { id: { $capture: 'id', $regex: '^\\d+$' } }, actual: { id: '42' }, mismatches: [], captures: { id: '42' } },
    { name: '$capture with a failing $regex records nothing', expected: { id: { $capture: 'id', $regex: '^\\d+$' } }, actual: { id: 'x' }, mismatches: [{ path: '$.id' }], captures: {} },
    { name: '$capture of absent fails', expected: { id: { $capture: 'id' } }, actual: {}, mismatches: [{ path: '$.id', actual: '(absent)', message: 'missing' }], captures: {} },
    { name: 'same name, same value', expected: [{ $capture: 'x' }, { $capture: 'x' }], actual: [1, 1], mismatches: [], captures: { x: 1 } },
    {
      name: 'same name, different values',
      expected: [{ $capture: 'x' }, { $capture: 'x' }],
      actual: [1, 2],
      mismatches: [{ path: '$[1]', expected: '1', actual: '2', message: 'capture "x" already holds a different value in this match' }],
    },
    { name: 'partial captures on failure', expected: { a: { $capture: 'a' }, b: 1 }, actual: { a: 'x', b: 2 }, mismatches: [{ path: '$.b' }], captures: { a: 'x' } },
    { name: '$not never captures', expected: { $not: { $capture: 'x', $type: 'string' } }, actual: 1, mismatches: [], captures: {} },
    { name: '$oneOf captures from the matching alternative', expected: { $oneOf: [{ $type: 'string', $capture: 's' }, { $capture: 'n' }] }, actual: 3, mismatches: [], captures: { n: 3 } },
  ])('$name', run);

  it('carries captures across calls through options.captures', () => {
    const first = match({ status: 201, body: { order_id: { $capture: 'orderId', $regex: '^\\d{8}$' }, token: { $capture: 'token' } } }, { status: 201, body: { order_id: '00001001', token: 'ey.J' } });
    expect(first.ok).toBe(true);
    const captures = { ...first.captures };
    const second = match(
      { url: '/sandbox-app-key/orders/${orderId}', headers: { authorization: 'Bearer ${token}' }, body: { ref: '${orderId}' } },
      { url: '/sandbox-app-key/orders/00001001', headers: { authorization: 'Bearer ey.J' }, body: { ref: '00001001' } },
      { captures },
    );
    expect(second).toEqual({ ok: true, mismatches: [], captures: {} });
    const third = match({ url: '/orders/${orderId}' }, { url: '/orders/00001002' }, { captures });
    expect(third.mismatches).toEqual([{ path: '$.url', expected: '"/orders/00001001"', actual: '"/orders/00001002"', message: 'values differ' }]);
  });
});

describe('interpolation', () => {
  const captures = { id: '00001001', n: 42, obj: { a: 1, b: [2] }, dotted: 'v', 'order.id': 'o-1', re: 'a.b' };
  it.each<Case>([
    ok('inside a string', 'order ${id}!', 'order 00001001!', { captures }),
    ok('several references', '${id}/${n}', '00001001/42', { captures }),
    ok('a number in a string', 'n=${n}', 'n=42', { captures }),
    ok('a whole reference keeps the type', { count: '${n}' }, { count: 42 }, { captures }),
    ok('a whole reference with loose', { count: '${n}' }, { count: '42' }, { captures, loose: true }),
    bad('a whole reference is typed (strict)', { count: '${n}' }, { count: '42' }, [{ expected: '42', actual: '"42"', message: 'expected number, got string' }], { captures }),
    ok('a whole object reference, deep equal', { o: '${obj}' }, { o: { a: 1, b: [2] } }, { captures }),
    bad('a whole object reference is exact', { o: '${obj}' }, { o: { a: 1, b: [2], c: 3 } }, [{ path: '$.o', message: 'values differ' }], { captures }),
    ok('an object in a string is JSON', 'x=${obj}', 'x={"a":1,"b":[2]}', { captures }),
    ok('dotted names', '${order.id}', 'o-1', { captures }),
    ok('$${ is a literal ${', 'cost $${price}', 'cost ${price}', { captures }),
    ok('in $regex, regex-escaped', { $regex: '^${re}$' }, 'a.b', { captures }),
    bad('in $regex, the value is literal', { $regex: '^${re}$' }, 'aXb', [{ expected: '/^a\\.b$/' }], { captures }),
    ok('in $oneOf alternatives', { $oneOf: ['${id}', 'none'] }, '00001001', { captures }),
    bad('unknown name is a mismatch', { url: '/orders/${orderId}' }, { url: '/orders/1' }, [
      { path: '$.url', expected: '"/orders/${orderId}"', actual: '"/orders/1"', message: 'unknown capture "orderId" (captured: id, n, obj, dotted, order.id, re; write "$${" for a literal "${")' },
    ], { captures }),
    bad('unknown name without any captures', '${x}', 'a', [{ message: 'unknown capture "x" (captured: none; write "$${" for a literal "${")' }]),
    bad('unknown name in $regex', { $regex: '${x}' }, 'a', [{ message: 'unknown capture "x" in $regex' }]),
  ])('$name', run);
});

describe('rendering in mismatches', () => {
  it('truncates long values with …', () => {
    const r = match({ a: 1 }, { a: 'x'.repeat(500) }, { maxValueLength: 40 });
    expect(r.mismatches[0]?.actual).toHaveLength(40);
    expect(r.mismatches[0]?.actual.endsWith('…')).toBe(true);
  });

  it('shows long differing strings around their first difference', () => {
    const prefix = 'p'.repeat(300);
    const r = match(`${prefix}-4711-${'s'.repeat(300)}`, `${prefix}-4712-${'s'.repeat(300)}`, { maxValueLength: 60 });
    const m = r.mismatches[0]!;
    expect(m.expected).toMatch(/^"….*-4711-.*…"$/);
    expect(m.actual).toMatch(/^"….*-4712-.*…"$/);
    expect(m.expected.length).toBeLessThanOrEqual(64);
  });

  it('escapes control characters in strings', () => {
    const r = match('a', 'line1\nline2\u001b[31m');
    expect(r.mismatches[0]?.actual).toBe('"line1\\nline2\\u001b[31m"');
  });
});

describe('bad matchers throw MatcherError with the path', () => {
  it.each<[string, unknown, string, RegExp]>([
    ['unknown $ key', { a: { b: { $regx: 'x' } } }, '$.a.b', /unknown matcher "\$regx"/],
    ['matcher keys mixed with field keys', { a: { $regex: 'x', b: 1 } }, '$.a', /cannot be mixed/],
    ['bad $type', [{ $type: 'int' }], '$[0].$type', /\$type must be one of/],
    ['invalid $regex', { $regex: '(' }, '$.$regex', /invalid \$regex/],
    ['non-string $regex', { $regex: 1 }, '$.$regex', /must be a string/],
    ['$gte not a number', { $gte: '3' }, '$.$gte', /finite number/],
    ['$absent false', { $absent: false }, '$.$absent', /must be true/],
    ['$absent combined', { $absent: true, $type: 'string' }, '$', /cannot be combined/],
    ['$any false', { $any: false }, '$.$any', /must be true/],
    ['empty $oneOf', { $oneOf: [] }, '$.$oneOf', /non-empty array/],
    ['$contains not an array', { $contains: 'x' }, '$.$contains', /must be an array/],
    ['bad $capture name', { $capture: '1x' }, '$.$capture', /\$capture must be a name/],
    ['nested in $not', { $not: { $foo: 1 } }, '$.$not', /unknown matcher/],
    ['nested in $oneOf', { $oneOf: ['a', { $bar: 1 }] }, '$.$oneOf[1]', /unknown matcher/],
    ['nested in $json', { $json: { a: { $baz: 1 } } }, '$.$json.a', /unknown matcher/],
    ['$exact not boolean', { $exact: 'yes', a: 1 }, '$', /\$exact must be true or false/],
    ['$exact on a matcher', { $exact: true, $any: true }, '$', /\$exact applies to field objects/],
    ['undefined value', { a: undefined }, '$.a', /not a valid expected value.*\$absent/],
    ['a RegExp', { a: /x/ }, '$.a', /\$regex/],
    ['unterminated ${', { a: 'x${y' }, '$.a', /unterminated/],
    ['invalid reference', { 'k.k': '${a b}' }, '$["k.k"]', /invalid capture reference/],
  ])('%s', (_name, expected, path, message) => {
    let error: unknown;
    try {
      match(expected, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MatcherError);
    const e = error as MatcherError;
    expect(e.path).toBe(path);
    expect(e.message).toMatch(message);
    expect(e.problems[0]?.path).toBe(path);
  });
});

describe('interpolate (values to send)', () => {
  it('resolves references in every string, keeping whole references typed', () => {
    expect(interpolate({ a: ['id ${id}', '${n}'], b: { c: '$${x}', d: 3, e: null } }, { id: 'X', n: 42 })).toEqual({
      value: { a: ['id X', 42], b: { c: '${x}', d: 3, e: null } },
      unknown: [],
    });
  });

  it('leaves strings with unknown names as they are and lists the names', () => {
    expect(interpolate(['${a}', 'x${b}${a}', '${ok}'], { ok: true })).toEqual({ value: ['${a}', 'x${b}${a}', true], unknown: ['a', 'b'] });
  });
});
