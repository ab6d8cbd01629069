import { describe, it, expect } from 'vitest';
import { jsonReport, type ScenarioResult } from '../../../scenarios/report/index.js';
import { errored, failed, passed, summary } from './fixtures.js';

describe('jsonReport', () => {
  it('is pretty JSON with totals and the results in run order', () => {
    const text = jsonReport(summary);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "totals": {\n    "scenarios": 3,');
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['startedAt', 'durationMs', 'totals', 'results']);
    expect(doc.totals).toEqual({ scenarios: 3, passed: 1, failed: 1, errors: 1 });
    expect(doc.results).toEqual([passed, failed, errored]);
  });

  it('is stable: key order does not depend on how the results were built', () => {
    const shuffled: ScenarioResult = {
      log: failed.log,
      steps: failed.steps.map((s) => ({ durationMs: s.durationMs, status: s.status, name: s.name })),
      failures: failed.failures.map((f) => ({ diff: f.diff, message: f.message, step: f.step })),
      durationMs: failed.durationMs,
      status: failed.status,
      file: failed.file,
      name: failed.name,
    };
    expect(jsonReport({ startedAt: summary.startedAt, durationMs: summary.durationMs, results: [passed, shuffled, errored] })).toBe(jsonReport(summary));
  });

  it('leaves out absent optional fields', () => {
    const text = jsonReport({ results: [{ ...errored, failures: [{ message: 'm', step: undefined, diff: undefined }] }], durationMs: 1, startedAt: 'x' });
    expect(text).not.toContain('"step"');
    expect(text).not.toContain('"diff"');
    expect(text).not.toContain('"log"');
  });
});
