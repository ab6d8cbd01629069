/**
 * The console reporter: one line per scenario as it ends (`✓ name (123 ms)`), failures with their
 * diffs, steps and log indented under a failed scenario, and a closing
 * `N passed, N failed, N errors (X s)` line.
 */
import { totals, type Reporter, type RunSummary, type ScenarioResult } from './model.js';
import { plainText } from './sanitize.js';

export interface ConsoleReporterOptions {
  /** ANSI colours (default false: no escape codes at all, also none from the results' own text). */
  color?: boolean;
  /** Most log lines shown per failed scenario, the last ones (default 50). */
  maxLogLines?: number;
}

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
type Style = keyof typeof CODES;

/** `123 ms` below a second, `1.23 s` from there. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function consoleReporter(write: (s: string) => void, options: ConsoleReporterOptions = {}): Reporter {
  const color = options.color ?? false;
  const maxLogLines = options.maxLogLines ?? 50;
  const paint = (style: Style, s: string): string => (color ? `\u001b[${CODES[style]}m${s}\u001b[0m` : s);
  const line = (s = ''): void => write(`${s}\n`);
  /** Writes text (one or more lines) indented, made terminal-safe, with diff lines coloured. */
  const block = (text: string, indent: string): void => {
    for (const l of plainText(text).split('\n')) {
      const [, lead = '', rest = ''] = /^(\s*)(.*)$/s.exec(l) ?? [];
      const styled = rest.startsWith('- expected:') ? paint('green', rest) : rest.startsWith('+ actual:') ? paint('red', rest) : rest;
      line(`${indent}${lead}${styled}`);
    }
  };

  return {
    onScenarioStart() {
      // Nothing: a line per finished scenario keeps CI logs free of interleaved start lines.
    },

    onScenarioEnd(result: ScenarioResult) {
      const name = plainText(result.name);
      const time = paint('dim', `(${formatDuration(result.durationMs)})`);
      if (result.status === 'passed') return line(`  ${paint('green', '✓')} ${name} ${time}`);
      if (result.status === 'failed') line(`  ${paint('red', '✗')} ${paint('bold', name)} ${time}`);
      else line(`  ${paint('yellow', '!')} ${paint('bold', name)} ${time} ${paint('yellow', 'error')}`);
      line(`    ${paint('dim', plainText(result.file))}`);
      for (const step of result.steps) {
        const stepName = plainText(step.name);
        if (step.status === 'passed') line(`      ${paint('green', '✓')} ${stepName} ${paint('dim', `(${formatDuration(step.durationMs)})`)}`);
        else if (step.status === 'failed') line(`      ${paint('red', '✗')} ${stepName} ${paint('dim', `(${formatDuration(step.durationMs)})`)}`);
        else line(`      ${paint('dim', `- ${stepName} (skipped)`)}`);
      }
      result.failures.forEach((f, i) => {
        const label = `${i + 1}) `;
        const [first = '', ...rest] = plainText(f.step === undefined ? f.message : `${f.step}: ${f.message}`).split('\n');
        line(`    ${label}${paint(result.status === 'error' ? 'yellow' : 'red', first)}`);
        const indent = `    ${' '.repeat(label.length)}`;
        if (rest.length) block(rest.join('\n'), indent);
        if (f.diff) block(f.diff, indent);
      });
      if (result.log?.length) {
        line(`    ${paint('dim', 'log:')}`);
        const shown = result.log.slice(-maxLogLines);
        if (shown.length < result.log.length) line(paint('dim', `      … ${result.log.length - shown.length} earlier lines`));
        for (const l of shown) block(l, '      ');
      }
    },

    onRunEnd(summary: RunSummary) {
      const t = totals(summary.results);
      const notPassed = summary.results.filter((r) => r.status !== 'passed');
      line();
      if (notPassed.length) {
        for (const r of notPassed) {
          const mark = r.status === 'failed' ? paint('red', '✗') : paint('yellow', '!');
          line(`  ${mark} ${plainText(r.name)} ${paint('dim', `— ${plainText(r.file)}`)}`);
        }
        line();
      }
      const counts = [
        paint(t.passed ? 'green' : 'dim', `${t.passed} passed`),
        paint(t.failed ? 'red' : 'dim', `${t.failed} failed`),
        paint(t.errors ? 'yellow' : 'dim', `${t.errors} errors`),
      ].join(', ');
      line(`${counts} (${(summary.durationMs / 1000).toFixed(2)} s)`);
    },
  };
}
