/**
 * Runs many scenario files, each in its own fresh sandbox, several at a time, and sums them up. A file
 * that does not load is an `error` result naming every problem, not a crash of the run.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../../mock-commerce/util/package-root.js';
import { loadScenarioFile } from '../definition/loader.js';
import { validateMatcher } from '../expect/index.js';
import type { FlowUnderTest } from '../flows/contract.js';
import { referenceFlows } from '../flows/reference/index.js';
import type { RunSummary, ScenarioResult } from '../report/model.js';
import { runScenario } from './run-scenario.js';

/** The documented scenarios shipped with the package. */
export const CATALOG_DIR = join(packageRoot(), 'scenarios', 'catalog');

const SUPPORT_FOLDERS = new Set(['third-party', 'impex']);

export interface RunScenariosOptions {
  /** Scenarios run at once (default 4). */
  concurrency?: number;
  /** Replaces every scenario's flow (e.g. `--flow-url`). */
  flow?: FlowUnderTest;
  onScenarioStart?: (file: string) => void;
  onScenarioEnd?: (result: ScenarioResult) => void;
}

/**
 * Scenario files under the given files and folders (`*.yaml`, `*.yml`, recursively, sorted). Folders
 * named `third-party` or `impex` hold what scenarios refer to (third-party definitions, ImpEx), not
 * scenarios, and are skipped when walking a folder.
 */
export function findScenarioFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (path: string): void => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        const child = join(path, entry);
        if (statSync(child).isDirectory() ? !SUPPORT_FOLDERS.has(entry) : /\.ya?ml$/i.test(entry)) walk(child);
      }
    } else out.push(path);
  };
  for (const p of paths) walk(resolve(p));
  return out;
}

/** Loads a scenario file as the runner does (with matcher and reference-flow checks). */
export function loadScenario(file: string) {
  return loadScenarioFile(file, {
    referenceFlows: Object.keys(referenceFlows),
    validateMatcher: (value) => validateMatcher(value).map((p) => ({ path: p.path, message: p.message })),
  });
}

export async function runScenarioFile(file: string, options: { flow?: FlowUnderTest } = {}): Promise<ScenarioResult> {
  let loaded;
  try {
    loaded = loadScenario(file);
  } catch (e) {
    return { name: file, file, status: 'error', durationMs: 0, failures: [{ message: (e as Error).message }], steps: [] };
  }
  return runScenario(loaded, options.flow ? { flow: options.flow } : {});
}

export async function runScenarios(files: string[], options: RunScenariosOptions = {}): Promise<RunSummary> {
  const startedAt = new Date();
  const started = Date.now();
  const results: ScenarioResult[] = new Array<ScenarioResult>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const file = files[i]!;
      options.onScenarioStart?.(file);
      const result = await runScenarioFile(file, options.flow ? { flow: options.flow } : {});
      results[i] = result;
      options.onScenarioEnd?.(result);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, files.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { results, durationMs: Date.now() - started, startedAt: startedAt.toISOString() };
}
