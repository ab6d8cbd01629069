import { describe, it, expect } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { classnameOf, junitReport, type RunSummary } from '../../../scenarios/report/index.js';
import { failed, summary } from './fixtures.js';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'testcase',
});

function parse(xml: string): { suites: Node; suite: Node; cases: Node[] } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml) as Node;
  const suites = doc.testsuites as Node;
  const suite = suites.testsuite as Node;
  return { suites, suite, cases: (suite.testcase as Node[] | undefined) ?? [] };
}

/** Characters XML 1.0 does not allow anywhere in a document. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('junitReport', () => {
  const xml = junitReport(summary);
  const { suites, suite, cases } = parse(xml);

  it('has the declaration and suite totals', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(xml.endsWith('</testsuites>\n')).toBe(true);
    expect(suites).toMatchObject({ '@name': 'scenarios', '@tests': '3', '@failures': '1', '@errors': '1', '@time': '4.568' });
    expect(suite).toMatchObject({ '@name': 'scenarios', '@tests': '3', '@failures': '1', '@errors': '1', '@skipped': '0', '@time': '4.568', '@timestamp': '2025-01-02T03:04:05.678Z' });
  });

  it('has one testcase per scenario with name, classname and time in seconds', () => {
    expect(cases.map((c) => [c['@name'], c['@classname'], c['@time']])).toEqual([
      ['create order', 'scenarios.orders.create-order', '0.123'],
      ['sync <&>"\' products', 'scenarios.sync.products', '1.235'],
      ['broken', 'scenarios.broken', '0.005'],
    ]);
    expect(cases[0]).toEqual({ '@name': 'create order', '@classname': 'scenarios.orders.create-order', '@time': '0.123' });
  });

  it('escapes <&>"\' in attributes and text', () => {
    expect(xml).toContain('name="sync &lt;&amp;&gt;&quot;&apos; products"');
    const failure = cases[1]?.failure as Node;
    expect(failure['#text']).toContain('    - expected: "00001001"\n    + actual:   "00001002"');
  });

  it('gives a failed scenario a <failure> with every failure in its text', () => {
    const failure = cases[1]?.failure as Node;
    expect(failure['@type']).toBe('ScenarioFailure');
    expect(failure['@message']).toBe('receiver gets the order: request body differs (+1 more)');
    const text = failure['#text'] as string;
    expect(text.startsWith('[receiver gets the order] request body differs\nrequest 2 POST /sandbox-app-key/orders\n  $.body.order_id\n')).toBe(true);
    expect(text.endsWith('\n\nflow run FAILED\nsecond line')).toBe(true);
    expect(cases[1]?.error).toBeUndefined();
  });

  it('strips ANSI escapes and replaces the control characters XML forbids', () => {
    expect(FORBIDDEN.test(xml)).toBe(false);
    expect(xml).not.toContain('\u001b');
    const text = (cases[1]?.failure as Node)['#text'] as string;
    expect(text).toContain('red bell␇ nul␀ esc␛ vt␋ ff␌ lone\ufffd nonchar\ufffd cr\nend');
  });

  it('puts steps and log into <system-out>', () => {
    expect(cases[1]?.['system-out']).toBe(['steps:', '  ✓ seed (passed, 0.003 s)', '  ✗ receiver gets the order (failed, 0.040 s)', '  - monitoring (skipped, 0.000 s)', '', 'log:', 'MPL 1 COMPLETED', 'MPL 2 FAILED'].join('\n'));
  });

  it('gives a scenario that could not run an <error>', () => {
    expect(cases[2]?.error).toEqual({ '@message': 'cannot read fixture products.csv', '@type': 'ScenarioError', '#text': 'cannot read fixture products.csv' });
    expect(cases[2]?.failure).toBeUndefined();
    expect(cases[2]?.['system-out']).toBeUndefined();
  });

  it('keeps attributes on one line and control characters out of names', () => {
    const s: RunSummary = { results: [{ ...failed, name: 'a\nb\u0007\u001b[1mc', failures: [{ message: 'first\nsecond' }] }], durationMs: 0, startedAt: 'now' };
    const [tc] = parse(junitReport(s)).cases;
    expect(tc?.['@name']).toBe('a b␇c');
    expect((tc?.failure as Node)['@message']).toBe('first');
  });

  it('uses the suite name, and handles an empty run and a failure without details', () => {
    const empty = parse(junitReport({ results: [], durationMs: 0, startedAt: 'now' }, { suiteName: 'nightly & co' }));
    expect(empty.suites['@name']).toBe('nightly & co');
    expect(empty.suite).toMatchObject({ '@name': 'nightly & co', '@tests': '0', '@time': '0.000' });
    expect(empty.cases).toEqual([]);
    const bare = parse(junitReport({ results: [{ ...failed, failures: [], steps: [], log: [] }], durationMs: 0, startedAt: 'now' }));
    expect(bare.cases[0]?.failure).toEqual({ '@message': 'failed', '@type': 'ScenarioFailure' });
  });
});

describe('classnameOf', () => {
  it.each<[string, string]>([
    ['scenarios/orders/create-order.yaml', 'scenarios.orders.create-order'],
    ['./scenarios/a.b/c.yml', 'scenarios.a.b.c'],
    ['scenarios\\win\\x.json', 'scenarios.win.x'],
    ['/abs/path/s.yaml', 'abs.path.s'],
    ['.hidden', '.hidden'],
    ['noext', 'noext'],
    ['', 'scenarios'],
  ])('%s', (file, classname) => {
    expect(classnameOf(file)).toBe(classname);
  });
});
