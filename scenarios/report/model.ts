/**
 * What a scenario run produces, for the reporters: one `ScenarioResult` per scenario and a
 * `RunSummary` for the run. Plain data (JSON-serialisable).
 */

export interface ScenarioFailure {
  /** The step that failed, when the failure belongs to one. */
  step?: string;
  /** One line (more are allowed) saying what went wrong. */
  message: string;
  /** A multi-line explanation, typically `renderMismatches(…)` from `scenarios/expect`. */
  diff?: string;
}

export type ScenarioStatus = 'passed' | 'failed' | 'error';
export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface ScenarioResult {
  name: string;
  /** The scenario file, relative to the project (the JUnit classname is derived from it). */
  file: string;
  /** `failed`: an expectation did not hold; `error`: the scenario could not run (bad file, crash, timeout). */
  status: ScenarioStatus;
  durationMs: number;
  failures: ScenarioFailure[];
  /** Steps run, in order, with their own status and duration. */
  steps: { name: string; status: StepStatus; durationMs: number }[];
  /** Free-form lines worth showing on failure (e.g. the flow's message processing log). */
  log?: string[];
}

export interface RunSummary {
  results: ScenarioResult[];
  durationMs: number;
  /** When the run started, ISO 8601. */
  startedAt: string;
}

/** Progress callbacks a runner calls as scenarios run. */
export interface Reporter {
  onScenarioStart(name: string): void;
  onScenarioEnd(result: ScenarioResult): void;
  onRunEnd(summary: RunSummary): void;
}

export interface Totals {
  scenarios: number;
  passed: number;
  failed: number;
  errors: number;
}

export function totals(results: readonly ScenarioResult[]): Totals {
  const t: Totals = { scenarios: results.length, passed: 0, failed: 0, errors: 0 };
  for (const r of results) {
    if (r.status === 'passed') t.passed++;
    else if (r.status === 'failed') t.failed++;
    else t.errors++;
  }
  return t;
}
