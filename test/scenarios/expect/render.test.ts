import { describe, it, expect } from 'vitest';
import { captureNames, childPath, match, renderMismatches, renderValue, validateMatcher } from '../../../scenarios/expect/index.js';

describe('renderMismatches', () => {
  it('lists path, expected and actual under the title', () => {
    const r = match({ body: { order_id: '00001001' } }, { body: { order_id: '00001002' } });
    expect(renderMismatches(r.mismatches, { title: 'request 2 POST /sandbox-app-key/orders' })).toBe(
      ['request 2 POST /sandbox-app-key/orders', '  $.body.order_id', '    - expected: "00001001"', '    + actual:   "00001002"'].join('\n'),
    );
  });

  it('adds the message when it says more than "values differ", and indents without a title', () => {
    const r = match({ items: [1, 2, 3], gone: { $absent: true } }, { items: [1, 2], gone: 'x' });
    expect(renderMismatches(r.mismatches, { indent: '    ' })).toBe(
      [
        '    $.items — array length differs: expected 3, got 2',
        '      - expected: array of 3',
        '      + actual:   array of 2: [1, 2]',
        '    $.gone — expected no value here',
        '      - expected: (absent)',
        '      + actual:   "x"',
      ].join('\n'),
    );
  });

  it('is empty for no mismatches (the title alone with a title)', () => {
    expect(renderMismatches([])).toBe('');
    expect(renderMismatches([], { title: 't' })).toBe('t');
  });
});

describe('renderValue', () => {
  it.each<[string, unknown, string]>([
    ['string', 'a"b', '"a\\"b"'],
    ['absent', undefined, '(absent)'],
    ['null', null, 'null'],
    ['number', -1.5, '-1.5'],
    ['array', [1, 'a', null], '[1, "a", null]'],
    ['object', { a: 1, 'b-c': { d: [] } }, '{"a": 1, "b-c": {"d": []}}'],
    ['date', new Date(0), '1970-01-01T00:00:00.000Z'],
  ])('%s', (_name, value, rendered) => {
    expect(renderValue(value)).toBe(rendered);
  });

  it('truncates with … and stops walking huge values early', () => {
    const huge = Array.from({ length: 100_000 }, (_, i) => ({ i }));
    const s = renderValue(huge, 30);
    expect(s).toHaveLength(30);
    expect(s.endsWith('…')).toBe(true);
  });

  it('does not split a surrogate pair', () => {
    const s = renderValue('😀'.repeat(20), 10);
    expect(s.endsWith('…')).toBe(true);
    expect(/[\ud800-\udbff]…$/.test(s)).toBe(false);
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    expect(renderValue(a)).toBe('{"x": 1, "self": [circular]}');
  });
});

describe('childPath', () => {
  it.each<[string | number, string]>([
    ['plain', '$.plain'],
    ['_x9', '$._x9'],
    ['$metadata', '$.$metadata'],
    ['P-1', '$["P-1"]'],
    ['a.b', '$["a.b"]'],
    ["it's", '$["it\'s"]'],
    ['q"', '$["q\\""]'],
    [3, '$[3]'],
  ])('%s', (key, path) => {
    expect(childPath('$', key)).toBe(path);
  });
});

describe('validateMatcher', () => {
  it('is empty for a valid expectation', () => {
    expect(
      validateMatcher({
        $exact: true,
        status: { $oneOf: [200, 201] },
        body: { $json: { id: { $capture: 'id', $regex: '^\\d+$' }, tags: { $contains: ['a'] }, n: { $gte: 0, $lte: 9 } } },
        gone: { $absent: true },
        x: { $not: { $type: 'null' } },
        ref: '${earlier}',
        $$literal: 'cost $${x}',
      }),
    ).toEqual([]);
  });

  it('lists every problem with its path', () => {
    expect(validateMatcher({ a: { $nope: 1 }, b: [{ $type: 'int' }], c: { $regex: '[' } })).toEqual([
      { path: '$.a', message: expect.stringMatching(/unknown matcher "\$nope"/) as unknown },
      { path: '$.b[0].$type', message: expect.stringMatching(/\$type must be one of/) as unknown },
      { path: '$.c.$regex', message: expect.stringMatching(/invalid \$regex/) as unknown },
    ]);
  });

  it('checks ${name} references against knownCaptures when given', () => {
    const expected = { url: '/orders/${orderId}', auth: { $regex: '^Bearer ${token}$' }, ok: '${id}' };
    expect(validateMatcher(expected)).toEqual([]);
    expect(validateMatcher(expected, { knownCaptures: ['id', 'orderId'] })).toEqual([{ path: '$.auth.$regex', message: 'unknown capture "${token}"' }]);
  });
});

describe('captureNames', () => {
  it('collects $capture names, not those under $not', () => {
    expect(captureNames({ a: { $capture: 'a' }, b: [{ $capture: 'b', $regex: 'x' }], c: { $json: { d: { $capture: 'd' } } }, e: { $not: { $capture: 'e' } }, f: { $$capture: 'lit' } })).toEqual(['a', 'b', 'd']);
  });
});
