/**
 * The expectation language's syntax: which objects are matchers, `${name}` templates, and
 * `validateMatcher`, which checks an expectation without an actual value (the scenario loader runs
 * it; `match` runs it too and throws `MatcherError`).
 */
import { childPath } from './render.js';

/** Every matcher key, in the order `match` checks them (`$capture` last: it records only a match). */
export const MATCHER_KEYS = ['$absent', '$any', '$type', '$regex', '$gte', '$lte', '$oneOf', '$not', '$json', '$contains', '$capture'] as const;
export type MatcherKey = (typeof MATCHER_KEYS)[number];

/** Values of `$type`. */
export const TYPE_NAMES = ['string', 'number', 'boolean', 'object', 'array', 'null'] as const;
export type TypeName = (typeof TYPE_NAMES)[number];

/** The modifier of a plain object that forbids extra keys. */
export const EXACT_KEY = '$exact';

/** Capture names: `orderId`, `order_id`, `order.id`, `order-id`. */
export const CAPTURE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** One problem in an expectation, at a path of the expectation itself. */
export interface MatcherProblem {
  path: string;
  message: string;
}

/** An invalid expectation (unknown `$` key, bad operand, …): a scenario-authoring error, not a mismatch. */
export class MatcherError extends Error {
  /** Path of the first problem. */
  readonly path: string;
  readonly problems: readonly MatcherProblem[];

  constructor(problems: readonly MatcherProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; ') || 'invalid matcher');
    this.name = 'MatcherError';
    this.path = problems[0]?.path ?? '$';
    this.problems = problems;
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The actual key a field key of an expected object names: `$$ref` stands for the literal key `$ref`. */
export function fieldName(key: string): string {
  return key.startsWith('$$') ? key.slice(1) : key;
}

function isOperatorKey(key: string): boolean {
  return key.startsWith('$') && !key.startsWith('$$') && key !== EXACT_KEY;
}

export type Classified =
  | { kind: 'matcher'; ops: Record<string, unknown> }
  | { kind: 'object'; fields: [expectedKey: string, actualKey: string][]; exact: boolean };

/** A plain expected object is a matcher when it has `$` keys (other than `$exact` and `$$…`), else a field object. */
export function classify(o: Record<string, unknown>): Classified {
  const keys = Object.keys(o);
  if (keys.some(isOperatorKey)) return { kind: 'matcher', ops: o };
  return {
    kind: 'object',
    fields: keys.filter((k) => k !== EXACT_KEY).map((k) => [k, fieldName(k)]),
    exact: o[EXACT_KEY] === true,
  };
}

// ---- templates --------------------------------------------------------------------------------------

export type TemplatePart = { text: string } | { ref: string };

/**
 * Splits a string into literal text and `${name}` references; `$${` stands for a literal `${`.
 * Returns null when the string has no `${` at all (the common case), or the problems it has.
 */
export function parseTemplate(s: string): { parts: TemplatePart[]; problems: string[] } | null {
  if (!s.includes('${')) return null;
  const parts: TemplatePart[] = [];
  const problems: string[] = [];
  let text = '';
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('$${', i)) {
      text += '${';
      i += 3;
    } else if (s.startsWith('${', i)) {
      const end = s.indexOf('}', i + 2);
      if (end < 0) {
        problems.push(`unterminated "\${" in ${JSON.stringify(s)} (write "$\${" for a literal "\${")`);
        text += s.slice(i);
        break;
      }
      const name = s.slice(i + 2, end);
      if (!CAPTURE_NAME.test(name)) problems.push(`invalid capture reference "\${${name}}" (write "$\${" for a literal "\${")`);
      if (text) parts.push({ text });
      text = '';
      parts.push({ ref: name });
      i = end + 1;
    } else {
      text += s[i];
      i++;
    }
  }
  if (text) parts.push({ text });
  return { parts, problems };
}

/** The names a string refers to with `${name}`. */
function templateRefs(s: string): string[] {
  return (parseTemplate(s)?.parts ?? []).flatMap((p) => ('ref' in p ? [p.ref] : []));
}

// ---- validation -------------------------------------------------------------------------------------

export interface ValidateOptions {
  /**
   * Capture names available to this expectation (captured by earlier steps). When given, a
   * `${name}` reference to any other name is a problem; when omitted, references are not checked.
   */
  knownCaptures?: Iterable<string>;
}

function describeKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'non-plain'} object`;
  return `a ${typeof v}`;
}

/**
 * Checks an expectation without an actual value: unknown `$` keys, matcher keys mixed with field
 * keys, bad operands (`$type: "int"`, an invalid `$regex`, `$gte: "3"`, …), malformed `${…}`
 * references and values no scenario file can hold (undefined, functions, class instances). Returns
 * every problem with the path of the offending value in the expectation; empty when valid.
 */
export function validateMatcher(expected: unknown, options: ValidateOptions = {}): MatcherProblem[] {
  const known = options.knownCaptures === undefined ? undefined : new Set(options.knownCaptures);
  const problems: MatcherProblem[] = [];
  const add = (path: string, message: string): void => {
    problems.push({ path, message });
  };
  const checkString = (s: string, path: string): void => {
    const parsed = parseTemplate(s);
    if (!parsed) return;
    for (const p of parsed.problems) add(path, p);
    if (known) {
      for (const ref of templateRefs(s)) if (!known.has(ref)) add(path, `unknown capture "\${${ref}}"`);
    }
  };
  const walk = (v: unknown, path: string): void => {
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return;
    if (typeof v === 'string') return checkString(v, path);
    if (Array.isArray(v)) return v.forEach((item, i) => walk(item, childPath(path, i)));
    if (!isPlainObject(v)) {
      const hint = v instanceof RegExp ? ' (write { $regex: "…" })' : v === undefined ? ' (write { $absent: true } for a missing key)' : '';
      return add(path, `${describeKind(v)} is not a valid expected value${hint}`);
    }
    const c = classify(v);
    if (c.kind === 'object') {
      if (EXACT_KEY in v && typeof v[EXACT_KEY] !== 'boolean') add(path, '$exact must be true or false');
      for (const [key, actualKey] of c.fields) walk(v[key], childPath(path, actualKey));
      return;
    }
    const keys = Object.keys(v);
    const fields = keys.filter((k) => !isOperatorKey(k) && k !== EXACT_KEY);
    if (fields.length) {
      add(path, `matcher keys (${keys.filter(isOperatorKey).join(', ')}) cannot be mixed with field keys (${fields.join(', ')}); write a literal "$" key as "$$"`);
    }
    if (EXACT_KEY in v) add(path, '$exact applies to field objects, not to matchers');
    const opKeys = keys.filter(isOperatorKey);
    for (const key of opKeys) {
      const operand = v[key];
      const at = childPath(path, key);
      switch (key as MatcherKey) {
        case '$absent':
          if (operand !== true) add(at, '$absent must be true');
          if (opKeys.length > 1) add(path, '$absent cannot be combined with other matchers');
          break;
        case '$any':
          if (operand !== true) add(at, '$any must be true');
          break;
        case '$type':
          if (!(TYPE_NAMES as readonly unknown[]).includes(operand)) add(at, `$type must be one of ${TYPE_NAMES.join(', ')}, not ${JSON.stringify(operand)}`);
          break;
        case '$regex':
          if (typeof operand !== 'string') add(at, '$regex must be a string');
          else {
            checkString(operand, at);
            const parsed = parseTemplate(operand);
            const pattern = parsed ? parsed.parts.map((p) => ('text' in p ? p.text : '')).join('') : operand;
            try {
              new RegExp(pattern);
            } catch (e) {
              add(at, `invalid $regex: ${(e as Error).message}`);
            }
          }
          break;
        case '$gte':
        case '$lte':
          if (typeof operand !== 'number' || !Number.isFinite(operand)) add(at, `${key} must be a finite number`);
          break;
        case '$oneOf':
          if (!Array.isArray(operand) || operand.length === 0) add(at, '$oneOf must be a non-empty array');
          else operand.forEach((alt, i) => walk(alt, childPath(at, i)));
          break;
        case '$contains':
          if (!Array.isArray(operand)) add(at, '$contains must be an array');
          else operand.forEach((item, i) => walk(item, childPath(at, i)));
          break;
        case '$not':
        case '$json':
          walk(operand, at);
          break;
        case '$capture':
          if (typeof operand !== 'string' || !CAPTURE_NAME.test(operand)) add(at, `$capture must be a name matching ${CAPTURE_NAME.source}`);
          break;
        default:
          add(path, `unknown matcher "${key}" (known: ${MATCHER_KEYS.join(', ')}, and $exact on field objects)`);
      }
    }
  };
  walk(expected, '$');
  return problems;
}

/** Every name the expectation captures with `$capture` (to check later steps' `${name}` references). */
export function captureNames(expected: unknown): string[] {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isPlainObject(v)) return;
    const matcher = classify(v).kind === 'matcher';
    if (matcher && typeof v.$capture === 'string') names.add(v.$capture);
    // What `$not` matched is never captured.
    for (const [key, item] of Object.entries(v)) if (!(matcher && key === '$not')) walk(item);
  };
  walk(expected);
  return [...names];
}
