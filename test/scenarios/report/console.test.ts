import { describe, it, expect } from 'vitest';
import { consoleReporter, formatDuration, stripAnsi, type ConsoleReporterOptions, type RunSummary } from '../../../scenarios/report/index.js';
import { errored, failed, passed, summary } from './fixtures.js';

function run(s: RunSummary, options?: ConsoleReporterOptions): string {
  let out = '';
  const r = consoleReporter((x) => (out += x), options);
  for (const result of s.results) {
    r.onScenarioStart(result.name);
    r.onScenarioEnd(result);
  }
  r.onRunEnd(s);
  return out;
}

describe('consoleReporter', () => {
  it('prints progress, failures with diffs, steps and log, and the closing line', () => {
    expect(run(summary)).toBe(
      [
        '  ✓ create order (123 ms)',
        '  ✗ sync <&>"\' products (1.23 s)',
        '    ./scenarios/sync/products.yml',
        '      ✓ seed (3 ms)',
        '      ✗ receiver gets the order (40 ms)',
        '      - monitoring (skipped)',
        '    1) receiver gets the order: request body differs',
        '       request 2 POST /sandbox-app-key/orders',
        '         $.body.order_id',
        '           - expected: "00001001"',
        '           + actual:   "00001002"',
        '       red bell␇ nul␀ esc␛ vt␋ ff␌ lone\ud800 nonchar\uffff cr',
        '       end',
        '    2) flow run FAILED',
        '       second line',
        '    log:',
        '      MPL 1 COMPLETED',
        '      MPL 2 FAILED',
        '  ! broken (5 ms) error',
        '    scenarios\\broken.yaml',
        '    1) cannot read fixture products.csv',
        '',
        '  ✗ sync <&>"\' products — ./scenarios/sync/products.yml',
        '  ! broken — scenarios\\broken.yaml',
        '',
        '1 passed, 1 failed, 1 errors (4.57 s)',
        '',
      ].join('\n'),
    );
  });

  it('writes no escape codes without color, even from the results’ own text', () => {
    expect(run(summary, { color: false })).not.toContain('\u001b');
  });

  it('colours with color: true', () => {
    const out = run(summary, { color: true });
    expect(out).toContain('\u001b[32m✓\u001b[0m create order');
    expect(out).toContain('\u001b[32m- expected: "00001001"\u001b[0m');
    expect(out).toContain('\u001b[31m+ actual:   "00001002"\u001b[0m');
    expect(stripAnsi(out)).toBe(run(summary));
  });

  it('ends an all-green run with the counts only', () => {
    expect(run({ results: [passed], durationMs: 200, startedAt: summary.startedAt })).toBe('  ✓ create order (123 ms)\n\n1 passed, 0 failed, 0 errors (0.20 s)\n');
  });

  it('handles an empty run', () => {
    expect(run({ results: [], durationMs: 0, startedAt: summary.startedAt })).toBe('\n0 passed, 0 failed, 0 errors (0.00 s)\n');
  });

  it('shows the last maxLogLines log lines', () => {
    const log = Array.from({ length: 10 }, (_, i) => `line ${i}`);
    const out = run({ results: [{ ...errored, log }], durationMs: 1, startedAt: summary.startedAt }, { maxLogLines: 3 });
    expect(out).toContain('    log:\n      … 7 earlier lines\n      line 7\n      line 8\n      line 9\n');
  });

  it('prints a failure without a step or diff on one line', () => {
    const out = run({ results: [{ ...failed, steps: [], log: undefined, failures: [{ message: 'expected 1 request, got 0' }] }], durationMs: 1, startedAt: summary.startedAt });
    expect(out).toContain('    ./scenarios/sync/products.yml\n    1) expected 1 request, got 0\n\n');
  });
});

describe('formatDuration', () => {
  it.each<[number, string]>([
    [0, '0 ms'],
    [12.6, '13 ms'],
    [999, '999 ms'],
    [1000, '1.00 s'],
    [61_234, '61.23 s'],
  ])('%d', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
