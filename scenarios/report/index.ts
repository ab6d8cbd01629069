/**
 * Scenario run reporters, over the model in `model.ts` (`ScenarioResult`, `RunSummary`).
 *
 * API
 * - `consoleReporter(write, { color?, maxLogLines? }) → Reporter` — live progress:
 *   `onScenarioStart(name)` (prints nothing), `onScenarioEnd(result)` (`✓ name (123 ms)`, or `✗`/`!`
 *   with file, steps, numbered failures with their diffs, and the log), `onRunEnd(summary)` (the
 *   failed scenarios again, then `N passed, N failed, N errors (X s)`). No escape codes unless `color`.
 * - `jsonReport(summary) → string` — stable pretty JSON with totals.
 * - `junitReport(summary, { suiteName? }) → string` — JUnit XML, one testcase per scenario,
 *   classname from the file path (`classnameOf`).
 * - `totals(results)`, `formatDuration(ms)`, `plainText(s)` / `xmlText(s)` — helpers they use.
 */
export type { Reporter, RunSummary, ScenarioFailure, ScenarioResult, ScenarioStatus, StepStatus, Totals } from './model.js';
export { totals } from './model.js';
export { consoleReporter, formatDuration, type ConsoleReporterOptions } from './console.js';
export { jsonReport } from './json.js';
export { junitReport, classnameOf, type JunitReportOptions } from './junit.js';
export { plainText, stripAnsi, xmlText } from './sanitize.js';
