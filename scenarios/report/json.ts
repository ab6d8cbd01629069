/**
 * The JSON report: the run summary with totals, keys in a fixed order whatever order the results
 * were built in, pretty-printed with a trailing newline (diff-friendly, stable across runs).
 */
import { totals, type RunSummary, type ScenarioResult } from './model.js';

function result(r: ScenarioResult): Record<string, unknown> {
  return {
    name: r.name,
    file: r.file,
    status: r.status,
    durationMs: r.durationMs,
    failures: r.failures.map((f) => ({
      ...(f.step !== undefined ? { step: f.step } : {}),
      message: f.message,
      ...(f.diff !== undefined ? { diff: f.diff } : {}),
    })),
    steps: r.steps.map((s) => ({ name: s.name, status: s.status, durationMs: s.durationMs })),
    ...(r.log !== undefined ? { log: [...r.log] } : {}),
  };
}

/** `{ startedAt, durationMs, totals: { scenarios, passed, failed, errors }, results: [...] }`, results in run order. */
export function jsonReport(summary: RunSummary): string {
  const doc = {
    startedAt: summary.startedAt,
    durationMs: summary.durationMs,
    totals: totals(summary.results),
    results: summary.results.map(result),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
