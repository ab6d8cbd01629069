/**
 * Rendering for expectation diffs: paths (`$.products["P-1"].price`), compact one-line values with
 * truncation, and the multi-line mismatch listing the console and JUnit reports embed.
 */

/** A key that can be written after a dot; anything else is written in brackets as a JSON string. */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path of a child: `$.a`, `$["P-1"]`, `$["a.b"]`, `$[2]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** Longest rendered value before it is cut with `…`. */
export const DEFAULT_MAX_VALUE_LENGTH = 100;

/** What an absent value (a missing key) renders as. */
export const ABSENT = '(absent)';

class TooLong extends Error {}

/** Cuts `s` to at most `max` characters, ending in `…`, without splitting a surrogate pair. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = Math.max(0, max - 1);
  const last = s.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${s.slice(0, cut)}…`;
}

/**
 * One line for a value: strings JSON-quoted (control characters escaped), arrays and objects as
 * compact JSON (`{"a": 1, "b": [1, 2]}`), an absent value as `(absent)`; cut with `…` past `max`.
 */
export function renderValue(value: unknown, max: number = DEFAULT_MAX_VALUE_LENGTH): string {
  let out = '';
  const budget = max + 1;
  const seen = new Set<object>();
  const put = (s: string): void => {
    out += s;
    if (out.length > budget) throw new TooLong();
  };
  const walk = (v: unknown): void => {
    if (v === undefined) return put(ABSENT);
    if (v === null) return put('null');
    switch (typeof v) {
      case 'string':
        return put(JSON.stringify(v));
      case 'number':
      case 'boolean':
        return put(String(v));
      case 'bigint':
        return put(`${v}n`);
      case 'function':
        return put('[function]');
      case 'symbol':
        return put(v.toString());
      default:
        break;
    }
    const o = v as object;
    if (seen.has(o)) return put('[circular]');
    if (o instanceof Date) return put(Number.isNaN(o.getTime()) ? 'Invalid Date' : o.toISOString());
    seen.add(o);
    if (Array.isArray(o)) {
      put('[');
      o.forEach((item, i) => {
        if (i > 0) put(', ');
        walk(item);
      });
      put(']');
    } else {
      put('{');
      Object.entries(o).forEach(([k, item], i) => {
        if (i > 0) put(', ');
        put(`${JSON.stringify(k)}: `);
        walk(item);
      });
      put('}');
    }
    seen.delete(o);
  };
  try {
    walk(value);
  } catch (e) {
    if (!(e instanceof TooLong)) throw e;
  }
  return truncate(out, max);
}

/**
 * Two differing strings, each cut to a window around their first difference so that the difference
 * stays visible when both are long: `"…0000-4711…"` against `"…0000-4712…"`.
 */
export function renderStringPair(expected: string, actual: string, max: number = DEFAULT_MAX_VALUE_LENGTH): [string, string] {
  const e = JSON.stringify(expected);
  const a = JSON.stringify(actual);
  if (e.length <= max && a.length <= max) return [e, a];
  let p = 0;
  while (p < expected.length && p < actual.length && expected[p] === actual[p]) p++;
  const width = Math.max(8, max - 4);
  const start = p > Math.floor(width / 3) ? p - Math.floor(width / 3) : 0;
  const window = (s: string): string => {
    let from = start;
    const code = s.charCodeAt(from);
    if (from > 0 && code >= 0xdc00 && code <= 0xdfff) from++;
    let to = Math.min(s.length, from + width);
    const before = s.charCodeAt(to - 1);
    if (to < s.length && before >= 0xd800 && before <= 0xdbff) to--;
    const inner = JSON.stringify(s.slice(from, to)).slice(1, -1);
    return `"${from > 0 ? '…' : ''}${inner}${to < s.length ? '…' : ''}"`;
  };
  return [window(expected), window(actual)];
}

/** One failed expectation. */
export interface Mismatch {
  /** Where, JSONPath-like: `$.products["P-1"].price`, `$[2].body.utoken`. */
  path: string;
  /** What was expected, rendered (`"00001001"`, `/^\d+$/`, `>= 3`, `(absent)`). */
  expected: string;
  /** What was found, rendered (`(absent)` for a missing key). */
  actual: string;
  /** Why it failed, in a few words (`values differ`, `missing`, `array length differs: expected 3, got 2`). */
  message: string;
}

/** The message of a plain value difference, which the listing does not repeat. */
export const VALUES_DIFFER = 'values differ';

export interface RenderMismatchesOptions {
  /** A heading line, e.g. `request 2 POST /sandbox-app-key/orders`; the mismatches are indented under it. */
  title?: string;
  /** Prefix for every line (default none). */
  indent?: string;
}

/**
 * The mismatches as a readable multi-line diff (no trailing newline):
 *
 * ```
 * request 2 POST /sandbox-app-key/orders
 *   $.body.order_id
 *     - expected: "00001001"
 *     + actual:   "00001002"
 *   $.body.items — array length differs: expected 3, got 2
 *     - expected: array of 3
 *     + actual:   array of 2: [{"sku": "A"}, {"sku": "B"}]
 * ```
 */
export function renderMismatches(mismatches: readonly Mismatch[], options: RenderMismatchesOptions = {}): string {
  const indent = options.indent ?? '';
  const lines: string[] = [];
  let pad = indent;
  if (options.title !== undefined) {
    lines.push(`${indent}${options.title}`);
    pad = `${indent}  `;
  }
  for (const m of mismatches) {
    lines.push(m.message && m.message !== VALUES_DIFFER ? `${pad}${m.path} — ${m.message}` : `${pad}${m.path}`);
    lines.push(`${pad}  - expected: ${m.expected}`);
    lines.push(`${pad}  + actual:   ${m.actual}`);
  }
  return lines.join('\n');
}
