/**
 * The JUnit XML report, as CI servers read it: one `<testsuite>` holding one `<testcase>` per
 * scenario, `<failure>` for a failed scenario and `<error>` for one that could not run (message
 * attribute: the first failure; text: every failure with its diff), steps and log in
 * `<system-out>`. Times in seconds with three decimals; text free of ANSI sequences and of the
 * characters XML 1.0 forbids. Built with fast-xml-parser's XMLBuilder (which escapes `<&>"'`).
 */
import { XMLBuilder } from 'fast-xml-parser';
import { totals, type RunSummary, type ScenarioResult } from './model.js';
import { xmlAttribute, xmlText } from './sanitize.js';

export interface JunitReportOptions {
  /** The `name` of `<testsuites>` and `<testsuite>` (default `scenarios`). */
  suiteName?: string;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
});

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/**
 * The JUnit classname of a scenario file: the path relative to the project without its extension,
 * `/` as `.` (`scenarios/orders/create-order.yaml` → `scenarios.orders.create-order`).
 */
export function classnameOf(file: string, fallback = 'scenarios'): string {
  const path = file.replace(/\\/g, '/').replace(/^(\.?\/)+/, '');
  const withoutExt = path.replace(/(?<=[^/])\.[^./]*$/, '');
  const name = withoutExt.split('/').filter((s) => s && s !== '.').join('.');
  return name || fallback;
}

function failureText(r: ScenarioResult): string {
  return r.failures
    .map((f) => {
      const head = f.step === undefined ? f.message : `[${f.step}] ${f.message}`;
      return f.diff ? `${head}\n${f.diff}` : head;
    })
    .join('\n\n');
}

function failureMessage(r: ScenarioResult): string {
  const [first] = r.failures;
  if (!first) return r.status === 'error' ? 'error' : 'failed';
  const head = (first.step === undefined ? first.message : `${first.step}: ${first.message}`).split('\n')[0] ?? '';
  return r.failures.length > 1 ? `${head} (+${r.failures.length - 1} more)` : head;
}

function systemOut(r: ScenarioResult): string {
  const lines: string[] = [];
  if (r.steps.length) {
    lines.push('steps:');
    for (const s of r.steps) lines.push(`  ${s.status === 'passed' ? '✓' : s.status === 'failed' ? '✗' : '-'} ${s.name} (${s.status}, ${seconds(s.durationMs)} s)`);
  }
  if (r.log?.length) {
    if (lines.length) lines.push('');
    lines.push('log:', ...r.log);
  }
  return lines.join('\n');
}

function testcase(r: ScenarioResult, suiteName: string): Record<string, unknown> {
  const tc: Record<string, unknown> = {
    '@_name': xmlAttribute(r.name),
    '@_classname': xmlAttribute(classnameOf(r.file, suiteName)),
    '@_time': seconds(r.durationMs),
  };
  if (r.status === 'passed') return tc;
  const text = xmlText(failureText(r));
  tc[r.status === 'error' ? 'error' : 'failure'] = {
    '@_message': xmlAttribute(failureMessage(r)),
    '@_type': r.status === 'error' ? 'ScenarioError' : 'ScenarioFailure',
    ...(text ? { '#text': text } : {}),
  };
  const out = xmlText(systemOut(r));
  if (out) tc['system-out'] = { '#text': out };
  return tc;
}

/** The run as a JUnit XML document (UTF-8, with an XML declaration and a trailing newline). */
export function junitReport(summary: RunSummary, options: JunitReportOptions = {}): string {
  const suiteName = options.suiteName ?? 'scenarios';
  const t = totals(summary.results);
  const counts = { '@_tests': String(t.scenarios), '@_failures': String(t.failed), '@_errors': String(t.errors) };
  const time = seconds(summary.durationMs);
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': xmlAttribute(suiteName),
      ...counts,
      '@_time': time,
      testsuite: {
        '@_name': xmlAttribute(suiteName),
        ...counts,
        '@_skipped': '0',
        '@_time': time,
        '@_timestamp': xmlAttribute(summary.startedAt),
        ...(summary.results.length ? { testcase: summary.results.map((r) => testcase(r, suiteName)) } : {}),
      },
    },
  };
  const xml = builder.build(doc) as string;
  return xml.endsWith('\n') ? xml : `${xml}\n`;
}
