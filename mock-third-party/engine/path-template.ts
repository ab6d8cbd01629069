/**
 * Path templates: literal text with `{name}` placeholders, each standing for a non-empty part of one
 * segment (`/apps/{app_key}/purchases`, `/files/{name}.json`). Requests are compared segment by
 * segment on their percent-decoded text; a malformed escape (`%ZZ`) stays as sent.
 */

export interface PathTemplate {
  source: string;
  /** Parameter names in order. */
  params: string[];
  /** Template with every placeholder written `{}`: equal for equivalent templates. */
  shape: string;
  segments: SegmentPattern[];
}

interface SegmentPattern {
  /** As written, for messages. */
  text: string;
  /** Percent-decoded (`%20` in a template matches a decoded space). */
  literal: string;
  /** Undefined for a literal segment. */
  regex?: RegExp;
  params: string[];
}

const PARAM = /\{([^{}]*)\}/g;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Throws an Error with a readable message for a malformed template. */
export function compilePathTemplate(source: string): PathTemplate {
  if (!source.startsWith('/')) throw new Error(`path must start with "/": ${source}`);
  if (source.includes('?') || source.includes('#')) throw new Error(`path must not hold a query or fragment: ${source}`);
  const params: string[] = [];
  const segments = splitSegments(source).map((text): SegmentPattern => {
    const withoutParams = text.replace(PARAM, '');
    if (withoutParams.includes('{') || withoutParams.includes('}')) throw new Error(`unbalanced "{" or "}" in path segment "${text}"`);
    const names: string[] = [];
    let pattern = '';
    let last = 0;
    for (const m of text.matchAll(PARAM)) {
      const name = m[1] ?? '';
      if (!PARAM_NAME.test(name)) throw new Error(`bad path parameter name "{${name}}" (letters, digits and _; not starting with a digit)`);
      if (params.includes(name)) throw new Error(`path parameter "{${name}}" appears twice`);
      if (m.index === last && last > 0) throw new Error(`path parameters must be separated by text: "${text}"`);
      pattern += escapeRegex(safeDecode(text.slice(last, m.index))) + '(.+?)';
      last = m.index + m[0].length;
      names.push(name);
      params.push(name);
    }
    if (names.length === 0) return { text, literal: safeDecode(text), params: [] };
    pattern += escapeRegex(safeDecode(text.slice(last)));
    return { text, literal: text, params: names, regex: new RegExp(`^${pattern}$`, 's') };
  });
  return { source, params, shape: source.replace(PARAM, '{}'), segments };
}

/** Splits a path into its segments (the leading `/` gives none; `/a//b` has an empty one). */
export function splitSegments(path: string): string[] {
  return path === '/' ? [''] : path.slice(1).split('/');
}

export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export interface PathComparison {
  matched: boolean;
  params: Record<string, string>;
  /** 0..1: how much of the path agrees (segment by segment, partial credit for near-equal literals). */
  similarity: number;
  /** First disagreement, for diagnostics. */
  detail?: string;
}

/** Compares decoded request segments with a template. */
export function comparePath(template: PathTemplate, segments: string[]): PathComparison {
  const params: Record<string, string> = {};
  const n = Math.max(template.segments.length, segments.length);
  let score = 0;
  let detail: string | undefined;
  for (let i = 0; i < n; i++) {
    const pattern = template.segments[i];
    const actual = segments[i];
    if (pattern === undefined || actual === undefined) {
      detail ??=
        pattern === undefined
          ? `the request has an extra segment "${actual ?? ''}"`
          : `the request ends before segment ${(i + 1).toString()} ("${pattern.text}")`;
      continue;
    }
    if (!pattern.regex) {
      if (pattern.literal === actual) score += 1;
      else {
        score += 0.5 * similarity(pattern.literal, actual);
        detail ??= `segment ${(i + 1).toString()}: expected "${pattern.text}", got "${actual}"`;
      }
      continue;
    }
    const m = pattern.regex.exec(actual);
    if (m) {
      pattern.params.forEach((name, k) => (params[name] = m[k + 1] ?? ''));
      score += 1;
    } else {
      score += 0.5;
      detail ??= `segment ${(i + 1).toString()}: "${actual}" does not fit "${pattern.text}"`;
    }
  }
  const matched = detail === undefined;
  return { matched, params: matched ? params : {}, similarity: n === 0 ? 1 : score / n, ...(detail ? { detail } : {}) };
}

/** 1 − normalised Levenshtein distance (strings cut at 64 characters). */
export function similarity(a: string, b: string): number {
  const x = a.slice(0, 64);
  const y = b.slice(0, 64);
  if (x === y) return 1;
  const max = Math.max(x.length, y.length);
  if (max === 0) return 1;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return 1 - (prev[y.length] ?? max) / max;
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
