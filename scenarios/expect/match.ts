/**
 * `match(expected, actual)`: compares an actual value (a request body, a response, an item) with a
 * scenario expectation and lists every mismatch with its path; see `index.ts` for the language.
 */
import { isDeepStrictEqual } from 'node:util';
import { ABSENT, DEFAULT_MAX_VALUE_LENGTH, VALUES_DIFFER, childPath, renderStringPair, renderValue, type Mismatch } from './render.js';
import { MATCHER_KEYS, MatcherError, classify, isPlainObject, parseTemplate, validateMatcher, type MatcherKey, type TypeName } from './syntax.js';

export interface MatchOptions {
  /**
   * Lenient numbers: an expected number (and a `$gte`/`$lte` bound) also matches a decimal numeric
   * string actual (`"10.00"` matches `10`), as values arrive in query strings, headers and some
   * OData payloads. Never the other way round: an expected string matches only that string.
   */
  loose?: boolean;
  /** Values captured by earlier steps, for `${name}` in expected strings. */
  captures?: Readonly<Record<string, unknown>>;
  /** Path of the root value in mismatches (default `$`). */
  path?: string;
  /** Longest rendered value in a mismatch before it is cut with `…` (default 100). */
  maxValueLength?: number;
}

export interface MatchResult {
  ok: boolean;
  mismatches: Mismatch[];
  /**
   * What this call's `$capture`s recorded (not `options.captures`). Complete when `ok`; when not,
   * only what the matching parts recorded.
   */
  captures: Record<string, unknown>;
}

interface Ctx {
  loose: boolean;
  known: Readonly<Record<string, unknown>>;
  max: number;
  captured: Record<string, unknown>;
  mismatches: Mismatch[];
}

function typeName(v: unknown): TypeName | 'undefined' | 'other' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'undefined') return t;
  return t === 'object' ? 'object' : 'other';
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number an actual value stands for: a number, or under `loose` a decimal numeric string. */
function numberOf(actual: unknown, loose: boolean): number | undefined {
  if (typeof actual === 'number') return actual;
  if (loose && typeof actual === 'string' && DECIMAL.test(actual)) return Number(actual);
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A captured value written into a string: strings as they are, anything else as JSON. */
function interpolated(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
}

/** Resolves `${name}` references; `undefined` names come back in `unknown`. */
function resolveTemplate(s: string, known: Readonly<Record<string, unknown>>, escape: (v: string) => string = (v) => v): { value: unknown; unknown: string[] } {
  const parsed = parseTemplate(s);
  if (!parsed) return { value: s, unknown: [] };
  const unknown = parsed.parts.flatMap((p) => ('ref' in p && !Object.hasOwn(known, p.ref) ? [p.ref] : []));
  if (unknown.length) return { value: s, unknown };
  const [only] = parsed.parts;
  // A string that is exactly one reference stands for the captured value itself, whatever its type.
  if (parsed.parts.length === 1 && only && 'ref' in only) return { value: known[only.ref], unknown };
  return { value: parsed.parts.map((p) => ('ref' in p ? escape(interpolated(known[p.ref])) : p.text)).join(''), unknown };
}

/**
 * `${name}` references in every string of a value (e.g. a request body to send), with the same rules
 * as in expectations: `"${name}"` alone becomes the captured value itself, `$${` a literal `${`.
 * Strings with an unknown name are left as they are and the names listed in `unknown`.
 */
export function interpolate(value: unknown, captures: Readonly<Record<string, unknown>>): { value: unknown; unknown: string[] } {
  const unknown = new Set<string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const r = resolveTemplate(v, captures);
      r.unknown.forEach((n) => unknown.add(n));
      return r.value;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item)]));
    return v;
  };
  const result = walk(value);
  return { value: result, unknown: [...unknown] };
}

function describe(expected: unknown, max: number): string {
  if (isPlainObject(expected)) {
    const c = classify(expected);
    if (c.kind === 'matcher') {
      const parts = MATCHER_KEYS.filter((k) => k in expected && (k !== '$capture' || Object.keys(expected).length === 1)).map((k) => describeOp(k, expected[k], max));
      return parts.join(' and ');
    }
  }
  return renderValue(expected, max);
}

function describeOp(key: MatcherKey, operand: unknown, max: number): string {
  switch (key) {
    case '$absent':
      return ABSENT;
    case '$any':
    case '$capture':
      return '(any value)';
    case '$type':
      return `(type ${String(operand)})`;
    case '$regex':
      return `/${String(operand)}/`;
    case '$gte':
      return `>= ${String(operand)}`;
    case '$lte':
      return `<= ${String(operand)}`;
    case '$oneOf':
      return `one of ${renderValue(operand, max)}`;
    case '$not':
      return `not ${describe(operand, max)}`;
    case '$json':
      return `JSON text matching ${describe(operand, max)}`;
    case '$contains':
      return `array containing ${renderValue(operand, max)}`;
  }
}

/** Runs `fn` against a scratch context (captures seeded from `ctx`); nothing reaches `ctx`. */
function trial(ctx: Ctx, fn: (scratch: Ctx) => void): { ok: boolean; mismatches: Mismatch[]; captured: Record<string, unknown> } {
  const scratch: Ctx = { ...ctx, captured: { ...ctx.captured }, mismatches: [] };
  fn(scratch);
  return { ok: scratch.mismatches.length === 0, mismatches: scratch.mismatches, captured: scratch.captured };
}

function fail(ctx: Ctx, path: string, expected: string, actual: string, message: string): void {
  ctx.mismatches.push({ path, expected, actual, message });
}

function missing(ctx: Ctx, path: string, expected: string): void {
  fail(ctx, path, expected, ABSENT, 'missing');
}

function record(ctx: Ctx, name: string, value: unknown, path: string): void {
  if (Object.hasOwn(ctx.captured, name) && !isDeepStrictEqual(ctx.captured[name], value)) {
    fail(ctx, path, renderValue(ctx.captured[name], ctx.max), renderValue(value, ctx.max), `capture "${name}" already holds a different value in this match`);
    return;
  }
  ctx.captured[name] = value;
}

/** Primitive comparison (strict, with `loose` numbers). */
function matchPrimitive(expected: unknown, actual: unknown, path: string, ctx: Ctx): void {
  if (actual === undefined) return missing(ctx, path, renderValue(expected, ctx.max));
  if (expected === actual) return;
  if (typeof expected === 'number' && numberOf(actual, ctx.loose) === expected) return;
  if (typeof expected === 'string' && typeof actual === 'string') {
    const [e, a] = renderStringPair(expected, actual, ctx.max);
    return fail(ctx, path, e, a, VALUES_DIFFER);
  }
  const te = typeName(expected);
  const ta = typeName(actual);
  fail(ctx, path, renderValue(expected, ctx.max), renderValue(actual, ctx.max), te === ta ? VALUES_DIFFER : `expected ${te}, got ${ta}`);
}

/** Deep equality of a captured value standing in for an expected one: objects exact, no matchers. */
function matchLiteral(expected: unknown, actual: unknown, path: string, ctx: Ctx): void {
  if (Array.isArray(expected) || isPlainObject(expected)) {
    if (actual === undefined) return missing(ctx, path, renderValue(expected, ctx.max));
    if (!isDeepStrictEqual(expected, actual)) fail(ctx, path, renderValue(expected, ctx.max), renderValue(actual, ctx.max), VALUES_DIFFER);
    return;
  }
  matchPrimitive(expected, actual, path, ctx);
}

function matchValue(expected: unknown, actual: unknown, path: string, ctx: Ctx): void {
  if (typeof expected === 'string') return matchString(expected, actual, path, ctx);
  if (Array.isArray(expected)) return matchArray(expected, actual, path, ctx);
  if (isPlainObject(expected)) {
    const c = classify(expected);
    if (c.kind === 'matcher') return matchOps(expected, actual, path, ctx);
    if (actual === undefined) return missing(ctx, path, renderValue(expected, ctx.max));
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
      return fail(ctx, path, renderValue(expected, ctx.max), renderValue(actual, ctx.max), `expected object, got ${typeName(actual)}`);
    }
    const obj = actual as Record<string, unknown>;
    const expectedKeys = new Set<string>();
    for (const [key, actualKey] of c.fields) {
      expectedKeys.add(actualKey);
      matchValue(expected[key], Object.hasOwn(obj, actualKey) ? obj[actualKey] : undefined, childPath(path, actualKey), ctx);
    }
    if (c.exact) {
      for (const [key, value] of Object.entries(obj)) {
        if (!expectedKeys.has(key) && value !== undefined) fail(ctx, childPath(path, key), ABSENT, renderValue(value, ctx.max), 'unexpected key ($exact)');
      }
    }
    return;
  }
  matchPrimitive(expected, actual, path, ctx);
}

function matchString(expected: string, actual: unknown, path: string, ctx: Ctx): void {
  const { value, unknown } = resolveTemplate(expected, ctx.known);
  if (unknown.length) {
    const names = unknown.map((n) => `"${n}"`).join(', ');
    return fail(ctx, path, renderValue(expected, ctx.max), renderValue(actual, ctx.max), `unknown capture ${names} (captured: ${Object.keys(ctx.known).join(', ') || 'none'}; write "$\${" for a literal "\${")`);
  }
  if (value === expected) return matchPrimitive(expected, actual, path, ctx);
  matchLiteral(value, actual, path, ctx);
}

function matchArray(expected: unknown[], actual: unknown, path: string, ctx: Ctx): void {
  if (actual === undefined) return missing(ctx, path, renderValue(expected, ctx.max));
  if (!Array.isArray(actual)) return fail(ctx, path, renderValue(expected, ctx.max), renderValue(actual, ctx.max), `expected array, got ${typeName(actual)}`);
  if (actual.length !== expected.length) {
    return fail(ctx, path, `array of ${expected.length}`, `array of ${actual.length}: ${renderValue(actual, ctx.max)}`, `array length differs: expected ${expected.length}, got ${actual.length}`);
  }
  expected.forEach((item, i) => matchValue(item, actual[i], childPath(path, i), ctx));
}

function matchOps(ops: Record<string, unknown>, actual: unknown, path: string, ctx: Ctx): void {
  const max = ctx.max;
  for (const key of MATCHER_KEYS) {
    if (!(key in ops)) continue;
    const operand = ops[key];
    const before = ctx.mismatches.length;
    if (key === '$absent') {
      if (actual !== undefined) fail(ctx, path, ABSENT, renderValue(actual, max), 'expected no value here');
      return;
    }
    if (key === '$not') {
      if (trial(ctx, (s) => matchValue(operand, actual, path, s)).ok) fail(ctx, path, describeOp(key, operand, max), renderValue(actual, max), 'matched, but should not');
    } else if (key === '$oneOf') {
      const alternatives = operand as unknown[];
      const hit = alternatives.map((alt) => trial(ctx, (s) => matchValue(alt, actual, path, s))).find((t) => t.ok);
      if (hit) Object.assign(ctx.captured, hit.captured);
      else fail(ctx, path, describeOp(key, operand, max), renderValue(actual, max), `matches none of the ${alternatives.length} alternatives`);
    } else if (actual === undefined) {
      missing(ctx, path, describeOp(key, operand, max));
    } else {
      switch (key) {
        case '$any':
          break;
        case '$type': {
          const t = typeName(actual);
          if (t !== operand) fail(ctx, path, describeOp(key, operand, max), renderValue(actual, max), `expected type ${String(operand)}, got ${t}`);
          break;
        }
        case '$regex': {
          const { value, unknown } = resolveTemplate(operand as string, ctx.known, escapeRegExp);
          if (unknown.length) fail(ctx, path, describeOp(key, operand, max), renderValue(actual, max), `unknown capture ${unknown.map((n) => `"${n}"`).join(', ')} in $regex`);
          else if (typeof actual !== 'string') fail(ctx, path, `/${String(value)}/`, renderValue(actual, max), `expected a string, got ${typeName(actual)}`);
          else if (!new RegExp(value as string).test(actual)) fail(ctx, path, `/${String(value)}/`, renderValue(actual, max), 'does not match the pattern');
          break;
        }
        case '$gte':
        case '$lte': {
          const n = numberOf(actual, ctx.loose);
          const bound = operand as number;
          if (n === undefined) fail(ctx, path, describeOp(key, operand, max), renderValue(actual, max), `expected a number, got ${typeName(actual)}`);
          else if (key === '$gte' ? !(n >= bound) : !(n <= bound)) fail(ctx, path, describeOp(key, operand, max), renderValue(actual, max), `out of range`);
          break;
        }
        case '$json': {
          if (typeof actual !== 'string') {
            fail(ctx, path, describeOp(key, operand, max), renderValue(actual, max), `expected JSON text, got ${typeName(actual)}`);
            break;
          }
          let parsed: unknown;
          try {
            parsed = JSON.parse(actual);
          } catch (e) {
            fail(ctx, path, describeOp(key, operand, max), renderValue(actual, max), `not valid JSON: ${(e as Error).message}`);
            break;
          }
          matchValue(operand, parsed, path, ctx);
          break;
        }
        case '$contains':
          matchContains(operand as unknown[], actual, path, ctx);
          break;
        case '$capture':
          record(ctx, operand as string, actual, path);
          break;
        default:
          throw new MatcherError([{ path, message: `unknown matcher "${key}"` }]);
      }
    }
    // One failing operator is enough; `$capture` (checked last) records only a full match.
    if (ctx.mismatches.length > before) return;
  }
}

/** Each expected element matches a distinct actual element (a maximum bipartite matching). */
function matchContains(expected: unknown[], actual: unknown, path: string, ctx: Ctx): void {
  if (!Array.isArray(actual)) return fail(ctx, path, describeOp('$contains', expected, ctx.max), renderValue(actual, ctx.max), `expected array, got ${typeName(actual)}`);
  const trials = expected.map((item) => actual.map((a, j) => trial(ctx, (s) => matchValue(item, a, childPath(path, j), s))));
  const owner: number[] = actual.map(() => -1);
  const assign = (i: number, visited: Set<number>): boolean => {
    const row = trials[i] ?? [];
    for (let j = 0; j < row.length; j++) {
      if (!row[j]?.ok || visited.has(j)) continue;
      visited.add(j);
      const current = owner[j] ?? -1;
      if (current < 0 || assign(current, visited)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  const matched = expected.map((_, i) => assign(i, new Set()));
  expected.forEach((item, i) => {
    const row = trials[i] ?? [];
    if (matched[i]) {
      const j = owner.indexOf(i);
      for (const [name, value] of Object.entries(row[j]?.captured ?? {})) record(ctx, name, value, childPath(path, j));
      return;
    }
    const candidates = row.flatMap((t, j) => (t.ok ? [j] : []));
    let message: string;
    if (candidates.length) {
      message = `$contains[${i}]: every element it matches (${candidates.map((j) => `[${j}]`).join(', ')}) is taken by another expected element`;
    } else if (row.length === 0) {
      message = `$contains[${i}]: the array is empty`;
    } else {
      let best = 0;
      row.forEach((t, j) => {
        if (t.mismatches.length < (row[best]?.mismatches.length ?? Infinity)) best = j;
      });
      const first = row[best]?.mismatches[0];
      message = `$contains[${i}]: no element matches`;
      if (first) message += `; closest is ${childPath(path, best)}: at ${first.path} expected ${first.expected}, got ${first.actual}`;
    }
    fail(ctx, path, renderValue(item, ctx.max), renderValue(actual, ctx.max), message);
  });
}

/**
 * Matches `actual` against the expectation `expected`. Throws `MatcherError` when the expectation
 * itself is invalid (see `validateMatcher`); every other problem, including an unknown `${name}`, is
 * a mismatch.
 */
export function match(expected: unknown, actual: unknown, options: MatchOptions = {}): MatchResult {
  const problems = validateMatcher(expected);
  if (problems.length) throw new MatcherError(problems);
  const ctx: Ctx = {
    loose: options.loose ?? false,
    known: options.captures ?? {},
    max: options.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH,
    captured: {},
    mismatches: [],
  };
  matchValue(expected, actual, options.path ?? '$', ctx);
  return { ok: ctx.mismatches.length === 0, mismatches: ctx.mismatches, captures: ctx.captured };
}
