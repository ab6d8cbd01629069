/**
 * Request matching, graded (as WireMock does): a matcher does not just say yes or no, it scores how
 * close a request comes (0..1) and lists exactly what differed. Routes and verification patterns use
 * the same matchers, so the 404 of an unmatched request and a failed verification explain themselves
 * alike.
 */
import { JSONPath } from 'jsonpath-plus';
import type { BodyMatcher, ValueMatcher } from '../definition/model.js';
import { comparePath, type PathTemplate } from './path-template.js';
import type { RequestView } from './request.js';

export interface Difference {
  in: 'method' | 'path' | 'query' | 'header' | 'body' | 'route';
  /** Query parameter, header name, or the JSON path of a body field. */
  name?: string;
  expected: string;
  actual: string;
  message: string;
}

export interface CompiledValueMatcher {
  /** What it expects, for messages: `"100"`, `matches /^\d+$/`, `present`, `absent`. */
  expected: string;
  /** `undefined` means absent. */
  test(value: unknown): boolean;
}

/** `text`: query parameters and headers (compared as text); `json`: JSON values (typed). */
export function compileValueMatcher(matcher: ValueMatcher, mode: 'text' | 'json'): CompiledValueMatcher {
  const conditions: Array<{ expected: string; test: (v: unknown) => boolean }> = [];
  const spec: { equals?: unknown; regex?: string; exists?: boolean } =
    matcher !== null && typeof matcher === 'object' ? matcher : { equals: matcher };
  if ('equals' in spec) {
    const want = spec.equals;
    conditions.push(
      mode === 'text'
        ? { expected: JSON.stringify(asText(want)), test: (v) => v !== undefined && asText(v) === asText(want) }
        : { expected: JSON.stringify(want) ?? 'undefined', test: (v) => v !== undefined && deepEqual(v, want) },
    );
  }
  if (spec.regex !== undefined) {
    const re = compileRegex(spec.regex);
    conditions.push({ expected: `matches /${spec.regex}/`, test: (v) => v !== undefined && re.test(asText(v)) });
  }
  if (spec.exists !== undefined) {
    const exists = spec.exists;
    conditions.push({ expected: exists ? 'present' : 'absent', test: (v) => (v !== undefined) === exists });
  }
  return {
    expected: conditions.map((c) => c.expected).join(' and ') || 'anything',
    test: (v) => conditions.every((c) => c.test(v)),
  };
}

/** Throws an Error with a readable message for a bad regex. */
export function compileRegex(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new Error(`bad regex /${source}/: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`, { cause: e });
  }
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}

/** Describes an actual value for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'absent';
  const json = JSON.stringify(value) ?? String(value);
  const short = json.length > 120 ? `${json.slice(0, 117)}...` : json;
  return typeof value === 'string' || value === null ? short : `${short} (${Array.isArray(value) ? 'array' : typeof value})`;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b as object, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Where `actual` does not contain `expected` (objects: more keys allowed; arrays: more elements, any order). */
export function subsetDifferences(expected: unknown, actual: unknown, path = '$', out: Array<{ path: string; expected: unknown; actual: unknown }> = []): typeof out {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      out.push({ path, expected, actual });
      return out;
    }
    for (const [k, v] of Object.entries(expected)) {
      const child = jsonPathKey(path, k);
      if (!Object.hasOwn(actual, k)) out.push({ path: child, expected: v, actual: undefined });
      else subsetDifferences(v, (actual as Record<string, unknown>)[k], child, out);
    }
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      out.push({ path, expected, actual });
      return out;
    }
    const used = new Set<number>();
    expected.forEach((e, i) => {
      const j = actual.findIndex((a, k) => !used.has(k) && subsetDifferences(e, a).length === 0);
      if (j < 0) out.push({ path: `${path}[${i.toString()}]`, expected: e, actual: actual[i] });
      else used.add(j);
    });
    return out;
  }
  if (!deepEqual(expected, actual)) out.push({ path, expected, actual });
  return out;
}

function jsonPathKey(parent: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** Throws for an expression jsonpath-plus cannot evaluate. */
export function checkJsonPath(expression: string): void {
  if (!expression.startsWith('$')) throw new Error(`JSONPath must start with "$": ${expression}`);
  try {
    JSONPath({ path: expression, json: { a: [{ b: 1 }] }, wrap: true, eval: 'safe' });
  } catch (e) {
    throw new Error(`bad JSONPath ${expression}: ${(e as Error).message}`, { cause: e });
  }
}

export function evaluateJsonPath(expression: string, value: unknown): unknown[] {
  const json = value !== null && typeof value === 'object' ? value : [value];
  try {
    return JSONPath({ path: expression, json, wrap: true, eval: 'safe' }) as unknown[];
  } catch {
    return [];
  }
}

interface BodyCondition {
  check(view: RequestView): Difference[];
}

function bodyDifference(name: string | undefined, expected: string, actual: string, message: string): Difference {
  return { in: 'body', ...(name !== undefined ? { name } : {}), expected, actual, message };
}

/** The body as JSON (form fields count), or the difference saying it is not. */
function jsonBody(view: RequestView): { ok: true; value: unknown } | { ok: false; diff: Difference } {
  if (view.body.kind === 'json' || view.body.kind === 'form') return { ok: true, value: view.body.value };
  const actual = view.body.kind === 'none' ? 'no body' : view.body.kind === 'invalid-json' ? `invalid JSON (${view.body.error})` : 'text, not JSON';
  return { ok: false, diff: bodyDifference(undefined, 'a JSON body', actual, `body: expected a JSON body, got ${actual}`) };
}

function existsCondition(exists: boolean): BodyCondition {
  const want = exists ? 'a body' : 'no body';
  return {
    check: (view) => ((view.body.kind !== 'none') === exists ? [] : [bodyDifference(undefined, want, exists ? 'no body' : 'a body', `body: expected ${want}`)]),
  };
}

function equalsCondition(want: unknown): BodyCondition {
  return {
    check: (view) => {
      const body = jsonBody(view);
      if (!body.ok) return [body.diff];
      if (deepEqual(body.value, want)) return [];
      const first = subsetDifferences(want, body.value)[0];
      if (!first) return [bodyDifference('$', describeValue(want), describeValue(body.value), 'body: has more than expected (equals)')];
      return [
        bodyDifference(first.path, describeValue(first.expected), describeValue(first.actual), `body ${first.path}: expected ${describeValue(first.expected)}, got ${describeValue(first.actual)}`),
      ];
    },
  };
}

function subsetCondition(want: unknown): BodyCondition {
  return {
    check: (view) => {
      const body = jsonBody(view);
      if (!body.ok) return [body.diff];
      return subsetDifferences(want, body.value)
        .slice(0, 5)
        .map((d) => bodyDifference(d.path, describeValue(d.expected), describeValue(d.actual), `body ${d.path}: expected ${describeValue(d.expected)}, got ${describeValue(d.actual)}`));
    },
  };
}

function jsonPathCondition(expression: string, m: ValueMatcher): BodyCondition {
  checkJsonPath(expression);
  const value = compileValueMatcher(m, 'json');
  return {
    check: (view) => {
      const body = jsonBody(view);
      if (!body.ok) return [{ ...body.diff, name: expression }];
      const actual = evaluateJsonPath(expression, body.value)[0];
      if (value.test(actual)) return [];
      return [bodyDifference(expression, value.expected, describeValue(actual), `body ${expression}: expected ${value.expected}, got ${describeValue(actual)}`)];
    },
  };
}

function regexCondition(source: string): BodyCondition {
  const re = compileRegex(source);
  return {
    check: (view) => (re.test(view.rawBody) ? [] : [bodyDifference(undefined, `matches /${source}/`, describeValue(view.rawBody), `body: expected text matching /${source}/`)]),
  };
}

/** The conditions of a body matcher, in the order they were written (so differences read like the definition). */
export function compileBodyMatcher(matcher: BodyMatcher): BodyCondition[] {
  const conditions: BodyCondition[] = [];
  for (const key of Object.keys(matcher)) {
    if (key === 'exists' && matcher.exists !== undefined) conditions.push(existsCondition(matcher.exists));
    else if (key === 'equals') conditions.push(equalsCondition(matcher.equals));
    else if (key === 'subset') conditions.push(subsetCondition(matcher.subset));
    else if (key === 'regex' && matcher.regex !== undefined) conditions.push(regexCondition(matcher.regex));
    else if (key === 'jsonPath') for (const [expression, m] of Object.entries(matcher.jsonPath ?? {})) conditions.push(jsonPathCondition(expression, m));
  }
  return conditions;
}

export interface CompiledRequestMatcher {
  method?: string;
  /** Template (decoded segments) or regex (on the path as received). */
  path?: { template: PathTemplate } | { regex: RegExp; source: string };
  query: Array<[string, CompiledValueMatcher]>;
  headers: Array<[string, CompiledValueMatcher]>;
  body: BodyCondition[];
  route?: string;
}

export interface MatchResult {
  matched: boolean;
  /** 0..1, 1 for a match. */
  score: number;
  params: Record<string, string>;
  differences: Difference[];
}

const METHOD_WEIGHT = 1;
const PATH_WEIGHT = 3;
const NEAR = 0.5;

export function evaluate(matcher: CompiledRequestMatcher, view: RequestView, routeId?: string | null): MatchResult {
  let total = 0;
  let got = 0;
  const differences: Difference[] = [];
  let params: Record<string, string> = {};
  if (matcher.method !== undefined) {
    total += METHOD_WEIGHT;
    if (matcher.method === view.method) got += METHOD_WEIGHT;
    else differences.push({ in: 'method', expected: matcher.method, actual: view.method, message: `method: expected ${matcher.method}, got ${view.method}` });
  }
  if (matcher.path) {
    total += PATH_WEIGHT;
    if ('template' in matcher.path) {
      const cmp = comparePath(matcher.path.template, view.segments);
      got += PATH_WEIGHT * cmp.similarity;
      if (cmp.matched) params = cmp.params;
      else
        differences.push({
          in: 'path',
          expected: matcher.path.template.source,
          actual: view.path,
          message: `path: expected ${matcher.path.template.source}, got ${view.path} (${cmp.detail ?? 'different'})`,
        });
    } else if (matcher.path.regex.test(view.path)) got += PATH_WEIGHT;
    else
      differences.push({
        in: 'path',
        expected: `matches /${matcher.path.source}/`,
        actual: view.path,
        message: `path: expected a path matching /${matcher.path.source}/, got ${view.path}`,
      });
  }
  if (matcher.route !== undefined) {
    total += 1;
    if (matcher.route === routeId) got += 1;
    else differences.push({ in: 'route', expected: matcher.route, actual: routeId ?? 'none', message: `route: expected ${matcher.route}, got ${routeId ?? 'none'}` });
  }
  // A condition that fails on a value the request does carry earns half: the request was about it.
  const values = (where: 'query' | 'header', list: Array<[string, CompiledValueMatcher]>, actualOf: (name: string) => string | undefined): void => {
    for (const [name, m] of list) {
      total += 1;
      const actual = actualOf(name);
      if (m.test(actual)) {
        got += 1;
        continue;
      }
      if (actual !== undefined) got += NEAR;
      const label = where === 'query' ? `query parameter "${name}"` : `header "${name}"`;
      differences.push({ in: where, name, expected: m.expected, actual: describeValue(actual), message: `${label}: expected ${m.expected}, got ${describeValue(actual)}` });
    }
  };
  values('query', matcher.query, (name) => view.query[name]);
  values('header', matcher.headers, (name) => view.headers[name]);
  for (const condition of matcher.body) {
    total += 1;
    const diffs = condition.check(view);
    if (diffs.length === 0) got += 1;
    else {
      if (diffs.every((d) => d.actual !== 'absent' && d.expected !== 'a JSON body')) got += NEAR;
      differences.push(...diffs);
    }
  }
  const matched = differences.length === 0;
  return { matched, score: matched ? 1 : total === 0 ? 0 : got / total, params, differences };
}
