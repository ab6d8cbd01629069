/**
 * Loads scenario files. Every problem — YAML syntax, schema, an unknown step action, a flow that names
 * no or several implementations, an unknown reference flow, a bad duration or matcher — is reported
 * with file, line, column and JSON path, all at once:
 *
 *   send-orders.yaml:12:5: $.steps[2]: a step has exactly one action (create, update, …); found none
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseDuration } from '../../mock-commerce/clock/sandbox-clock.js';
import { readYaml } from '../../mock-third-party/definition/loader.js';
import { DefinitionError, type DefinitionIssue, type SourceLocator, byPosition, schemaIssues } from '../../mock-third-party/definition/validate.js';
import { formatJsonPath, type JsonPathSegments } from '../../mock-third-party/engine/compile.js';
import type { ScenarioDefinition } from './model.js';
import { scenarioSchema, stepSchemas } from './schema.js';

/** Problems of a scenario file (same shape as third-party definition problems). */
export class ScenarioFileError extends DefinitionError {
  constructor(issues: DefinitionIssue[]) {
    super(issues);
    this.name = 'ScenarioFileError';
  }
}

export interface LoadScenarioOptions {
  /** Reference flow names that exist (checked when given). */
  referenceFlows?: string[];
  /** Validates a matcher value; returns problems as `{ path (relative, `$`-rooted), message }`. */
  validateMatcher?: (value: unknown) => { path: string; message: string }[];
}

export interface LoadedScenario {
  file: string;
  definition: ScenarioDefinition;
}

let validators: { scenario: ValidateFunction; steps: Map<string, ValidateFunction> } | undefined;

function getValidators(): NonNullable<typeof validators> {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false, code: { optimize: false } });
    validators = { scenario: ajv.compile(scenarioSchema), steps: new Map(Object.entries(stepSchemas).map(([action, schema]) => [action, ajv.compile(schema)])) };
  }
  return validators;
}

export function loadScenarioFile(file: string, options: LoadScenarioOptions = {}): LoadedScenario {
  return { file, definition: parseScenario(readFileSync(file, 'utf8'), file, options) };
}

/** Parses and checks scenario text; `file` names it in errors. Throws ScenarioFileError. */
export function parseScenario(text: string, file = '<scenario>', options: LoadScenarioOptions = {}): ScenarioDefinition {
  let read: { value: unknown; locator: SourceLocator };
  try {
    read = readYaml(text, file);
  } catch (e) {
    if (e instanceof DefinitionError) throw new ScenarioFileError(e.issues);
    throw e;
  }
  const { value, locator } = read;
  const issues: DefinitionIssue[] = [];
  const issue = (path: JsonPathSegments, message: string, key = false): void => {
    const pos = locator.locate(path, key);
    issues.push({ file, ...(pos ? { line: pos.line, column: pos.column } : {}), path: formatJsonPath(path), message });
  };
  const { scenario, steps } = getValidators();
  if (!scenario(value)) {
    for (const e of schemaIssues(scenario.errors ?? [])) issue(e.path, e.message, e.key);
    throw new ScenarioFileError(byPosition(issues));
  }
  const definition = value as ScenarioDefinition;
  definition.sandbox ??= {};

  // steps: exactly one action each, then that action's schema (a bad step is not checked further below)
  const badSteps = new Set<number>();
  definition.steps.forEach((raw, i) => {
    const keys = Object.keys(raw as object).filter((k) => k !== 'name' && k !== 'timeout');
    const actions = keys.filter((k) => k in stepSchemas);
    if (actions.length !== 1) {
      const found = actions.length === 0 ? `found ${keys.length ? keys.map((k) => `'${k}'`).join(', ') : 'none'}` : `found ${actions.join(' and ')}`;
      issue(['steps', i], `a step has exactly one action (${Object.keys(stepSchemas).join(', ')}); ${found}`);
      badSteps.add(i);
      return;
    }
    const validate = steps.get(actions[0]!)!;
    if (!validate(raw)) {
      badSteps.add(i);
      for (const e of schemaIssues(validate.errors ?? [])) issue(['steps', i, ...e.path], e.message, e.key);
    }
  });

  // flow: exactly one implementation
  const flow = definition.flow;
  const kinds = (['reference', 'external', 'command'] as const).filter((k) => flow[k] !== undefined);
  if (kinds.length !== 1) issue(['flow'], `name exactly one flow implementation (reference, external or command); found ${kinds.length ? kinds.join(' and ') : 'none'}`);
  if (flow.reference && options.referenceFlows && !options.referenceFlows.includes(flow.reference)) {
    issue(['flow', 'reference'], `unknown reference flow '${flow.reference}' (known: ${options.referenceFlows.join(', ')})`);
  }
  // durations and times
  const checkDuration = (path: JsonPathSegments, v: unknown) => {
    if (v !== undefined && parseDuration(v) === undefined) issue(path, `not a duration: ${JSON.stringify(v)} (e.g. 5000, "90s", "5m", "PT1H")`);
  };
  checkDuration(['timeout'], definition.timeout);
  if (definition.sandbox.time !== undefined && !Number.isFinite(Date.parse(definition.sandbox.time))) issue(['sandbox', 'time'], `not an ISO 8601 time: ${definition.sandbox.time}`);
  definition.steps.forEach((s, i) => {
    if (badSteps.has(i)) return;
    if ('advanceClock' in s) checkDuration(['steps', i, 'advanceClock'], s.advanceClock);
    if ('waitUntil' in s) checkDuration(['steps', i, 'timeout'], s.timeout);
  });
  // matchers
  if (options.validateMatcher) {
    const check = (path: JsonPathSegments, v: unknown) => {
      if (v === undefined) return;
      for (const p of options.validateMatcher!(v)) issue(path, `${p.path === '$' ? '' : `${p.path}: `}${p.message}`);
    };
    const checkExpectations = (path: JsonPathSegments, e: ScenarioDefinition['expect']) => {
      if (!e) return;
      for (const [name, tp] of Object.entries(e.thirdParty ?? {})) check([...path, 'thirdParty', name, 'requests'], tp.requests);
      (e.commerce ?? []).forEach((c, i) => check([...path, 'commerce', i, 'body'], c.body));
      for (const key of ['outboundRequests', 'inboundRequests', 'outboundSyncRetries', 'flowRuns', 'cronJob'] as const) check([...path, key], e[key]);
    };
    definition.steps.forEach((s, i) => {
      if (badSteps.has(i)) return;
      if ('expect' in s) checkExpectations(['steps', i, 'expect'], s.expect);
      if ('waitUntil' in s) checkExpectations(['steps', i, 'waitUntil'], s.waitUntil);
    });
    checkExpectations(['expect'], definition.expect);
  }
  if (issues.length > 0) throw new ScenarioFileError(byPosition(issues));
  return definition;
}
