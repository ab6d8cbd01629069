/**
 * The request journal and verification: every request the third party answered (admin calls aside),
 * with the route that answered it, and checks over them that explain themselves when they fail.
 */
import type { BodyMatcher, ValueMatcher } from '../definition/model.js';
import { compileBodyMatcher, compileRegex, compileValueMatcher, describeValue, evaluate, type CompiledRequestMatcher, type Difference } from './matchers.js';
import { compilePathTemplate } from './path-template.js';
import type { RequestView } from './request.js';

export interface JournalEntry {
  /** 1, 2, … in arrival order (restarts at reset). */
  id: number;
  /** ISO time from the third party's clock. */
  time: string;
  method: string;
  /** As received (percent-encoded). */
  path: string;
  /** Repeated parameters as arrays. */
  query: Record<string, string | string[]>;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** Parsed JSON or form body, the text of any other body, or null. */
  body: unknown;
  /** Id of the route that answered (`oauth2-token <path>` for a token endpoint), null when none matched. */
  route: string | null;
  status: number;
}

/** What a verification looks for; every field given must match. */
export interface RequestPattern {
  method?: string;
  /** A path template (`/apps/{app_key}/purchases`, matched on decoded segments) or a regex on the path as received. */
  path?: string | RegExp | { regex: string };
  /** The route that answered. */
  route?: string;
  query?: Record<string, ValueMatcher>;
  headers?: Record<string, ValueMatcher>;
  body?: BodyMatcher;
}

export type CountSpec = number | { min?: number; max?: number };

export class VerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerificationError';
  }
}

export interface Recorded {
  entry: JournalEntry;
  view: RequestView;
}

/** Compiles a pattern; throws an Error for a bad regex, JSONPath or path template. */
export function compilePattern(pattern: RequestPattern): CompiledRequestMatcher {
  let path: CompiledRequestMatcher['path'];
  if (pattern.path instanceof RegExp) path = { regex: pattern.path, source: pattern.path.source };
  else if (typeof pattern.path === 'object') path = { regex: compileRegex(pattern.path.regex), source: pattern.path.regex };
  else if (typeof pattern.path === 'string') path = { template: compilePathTemplate(pattern.path) };
  return {
    ...(pattern.method ? { method: pattern.method.toUpperCase() } : {}),
    ...(path ? { path } : {}),
    ...(pattern.route !== undefined ? { route: pattern.route } : {}),
    query: Object.entries(pattern.query ?? {}).map(([k, m]) => [k, compileValueMatcher(m, 'text')]),
    headers: Object.entries(pattern.headers ?? {}).map(([k, m]) => [k.toLowerCase(), compileValueMatcher(m, 'text')]),
    body: pattern.body ? compileBodyMatcher(pattern.body) : [],
  };
}

export function matches(matcher: CompiledRequestMatcher, r: Recorded): boolean {
  return evaluate(matcher, r.view, r.entry.route).matched;
}

/** `POST /apps/{app_key}/purchases with query page = "1", body $.order_id = "1"`. */
export function describePattern(pattern: RequestPattern): string {
  const head = [pattern.method?.toUpperCase() ?? 'any method', describePath(pattern.path)].join(' ');
  const parts: string[] = [];
  if (pattern.route !== undefined) parts.push(`route "${pattern.route}"`);
  for (const [k, m] of Object.entries(pattern.query ?? {})) parts.push(`query ${k} ${describeMatcher(m)}`);
  for (const [k, m] of Object.entries(pattern.headers ?? {})) parts.push(`header ${k.toLowerCase()} ${describeMatcher(m)}`);
  const b = pattern.body;
  if (b) {
    if (b.exists !== undefined) parts.push(b.exists ? 'a body' : 'no body');
    if ('equals' in b) parts.push(`body = ${describeValue(b.equals)}`);
    if ('subset' in b) parts.push(`body containing ${describeValue(b.subset)}`);
    for (const [expr, m] of Object.entries(b.jsonPath ?? {})) parts.push(`body ${expr} ${describeMatcher(m)}`);
    if (b.regex !== undefined) parts.push(`body matching /${b.regex}/`);
  }
  return parts.length ? `${head} with ${parts.join(', ')}` : head;
}

function describePath(path: RequestPattern['path']): string {
  if (path === undefined) return 'any path';
  if (path instanceof RegExp) return `path matching ${path.toString()}`;
  if (typeof path === 'object') return `path matching /${path.regex}/`;
  return path;
}

function describeMatcher(m: ValueMatcher): string {
  return `${m !== null && typeof m === 'object' ? '' : '= '}${compileValueMatcher(m, 'json').expected}`;
}

export function describeCount(count: CountSpec): string {
  if (typeof count === 'number') return `exactly ${plural(count)}`;
  const { min, max } = count;
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${plural(min)}` : `between ${min.toString()} and ${plural(max)}`;
  if (min !== undefined) return `at least ${plural(min)}`;
  if (max !== undefined) return `at most ${plural(max)}`;
  return 'any number of requests';
}

function plural(n: number): string {
  return `${n.toString()} request${n === 1 ? '' : 's'}`;
}

export function countOk(count: CountSpec, n: number): boolean {
  if (typeof count === 'number') return n === count;
  return (count.min === undefined || n >= count.min) && (count.max === undefined || n <= count.max);
}

export function summarise(entry: JournalEntry): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(entry.query)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, x);
  const query = q.toString();
  return `#${entry.id.toString()} ${entry.method} ${entry.path}${query ? `?${query}` : ''} → ${entry.status.toString()}${entry.route ? ` (${entry.route})` : ''}`;
}

const MAX_LISTED = 20;

/** The closest requests to a pattern, each with what differed. */
export function closest(matcher: CompiledRequestMatcher, recorded: Recorded[], limit = 3): Array<{ entry: JournalEntry; differences: Difference[] }> {
  return recorded
    .map((r) => ({ r, result: evaluate(matcher, r.view, r.entry.route) }))
    .filter((x) => !x.result.matched)
    .sort((a, b) => b.result.score - a.result.score || a.r.entry.id - b.r.entry.id)
    .slice(0, limit)
    .map((x) => ({ entry: x.r.entry, differences: x.result.differences }));
}

export function verifyCount(pattern: RequestPattern, count: CountSpec, recorded: Recorded[]): void {
  const matcher = compilePattern(pattern);
  const hits = recorded.filter((r) => matches(matcher, r));
  if (countOk(count, hits.length)) return;
  const lines = [`Expected ${describeCount(count)} matching ${describePattern(pattern)}, but received ${hits.length.toString()}.`];
  if (hits.length > 0) {
    lines.push('Matching requests:');
    for (const h of hits.slice(0, MAX_LISTED)) lines.push(`  ${summarise(h.entry)}`);
  }
  const near = closest(matcher, recorded);
  if (near.length > 0 && (typeof count === 'number' ? count > hits.length : (count.min ?? 0) > hits.length)) {
    lines.push('Closest requests:');
    for (const n of near) lines.push(`  ${summarise(n.entry)}: ${n.differences.map((d) => d.message).join('; ')}`);
  }
  lines.push(...listAll(recorded));
  throw new VerificationError(lines.join('\n'));
}

export function verifyOrder(patterns: RequestPattern[], recorded: Recorded[]): void {
  const matchers = patterns.map(compilePattern);
  let after = -1;
  const found: number[] = [];
  for (const [k, matcher] of matchers.entries()) {
    const index = recorded.findIndex((r, i) => i > after && matches(matcher, r));
    if (index < 0) {
      const lines = [`Expected requests in this order:`];
      patterns.forEach((p, i) => lines.push(`  ${(i + 1).toString()}. ${describePattern(p)}`));
      found.forEach((idx, i) => lines.push(`Step ${(i + 1).toString()} matched ${summarise((recorded[idx] as Recorded).entry)}.`));
      const previous = after >= 0 ? ` after #${(recorded[after] as Recorded).entry.id.toString()}` : '';
      const earlier = recorded.filter((r, i) => i <= after && matches(matcher, r));
      lines.push(
        `Step ${(k + 1).toString()} (${describePattern(patterns[k] ?? {})}) matched no request${previous}` +
          (earlier.length ? ` (it matched ${earlier.map((r) => `#${r.entry.id.toString()}`).join(', ')}, too early).` : '.'),
      );
      const near = closest(matcher, recorded.slice(after + 1));
      if (near.length > 0) {
        lines.push('Closest requests:');
        for (const n of near) lines.push(`  ${summarise(n.entry)}: ${n.differences.map((d) => d.message).join('; ')}`);
      }
      lines.push(...listAll(recorded));
      throw new VerificationError(lines.join('\n'));
    }
    found.push(index);
    after = index;
  }
}

function listAll(recorded: Recorded[]): string[] {
  if (recorded.length === 0) return ['No requests were received.'];
  const lines = [`All ${plural(recorded.length)} received:`];
  for (const r of recorded.slice(0, MAX_LISTED)) lines.push(`  ${summarise(r.entry)}`);
  if (recorded.length > MAX_LISTED) lines.push(`  … and ${(recorded.length - MAX_LISTED).toString()} more`);
  return lines;
}
