/**
 * Tokens and typed literals of `$filter` / `$orderby` text, the way Olingo 2's expression tokenizer and
 * `EdmSimpleTypeFacadeImpl.parseUriLiteral` see them (spec §5.4 literal syntax). Doing this ourselves,
 * rather than through odata-parser, keeps what the parser loses: literal types (`8m`, `10L`, `1.5d`),
 * UTC date-times and token positions for Olingo's error messages.
 *
 * Olingo rules kept here, because they decide what a client gets back:
 * - only the blank is whitespace; any other character outside the literal alphabet is an error;
 * - a run of letters, digits and `-._~%!$&*+;:@` that is not a literal is a name (a property, an operator
 *   or a function name, decided by the parser), so `1.5` or `3000000000` are *names* (Olingo answers
 *   "No property …"): decimals need `M`, doubles `D`, longs `L`;
 * - integers are typed by range: 0/1 `System.Bit`, up to 127 `System.Uint7`, then SByte, Byte, Int16, Int32.
 *
 * One deliberate difference: the `datetime` / `datetimeoffset` prefixes are accepted in any case, because
 * SAP's 2211 help documents `DateTime'2012-05-29T09:13:28'` (V-GET-14) and later Olingo releases made the
 * prefix case-insensitive (OLINGO-883).
 */
import { olingoErrors } from './messages.js';

export type LiteralType =
  | 'Edm.Null'
  | 'Edm.Boolean'
  | 'Edm.String'
  | 'System.Bit'
  | 'System.Uint7'
  | 'Edm.SByte'
  | 'Edm.Byte'
  | 'Edm.Int16'
  | 'Edm.Int32'
  | 'Edm.Int64'
  | 'Edm.Decimal'
  | 'Edm.Double'
  | 'Edm.Single'
  | 'Edm.DateTime'
  | 'Edm.DateTimeOffset'
  | 'Edm.Guid'
  | 'Edm.Time'
  | 'Edm.Binary';

export interface Literal {
  type: LiteralType;
  /** The literal as written: `'it''s'`, `10L`, `datetime'2020-01-01T00:00'`. */
  text: string;
  /**
   * Edm.String: the content (quotes undoubled); numeric types: the number as written without suffix
   * (`-12`, `10.33`, `1.5e3`, `INF`); Edm.Boolean: true/false; Edm.DateTime: epoch millis (UTC);
   * Edm.Null: null; other prefixed types: the text between the quotes.
   */
  value: string | number | boolean | null;
}

export type Token =
  | { kind: '(' | ')' | ',' | 'symbol' | 'word'; text: string; position: number }
  | { kind: 'literal'; text: string; position: number; literal: Literal };

/** Olingo 2's filter functions (`FilterParserImpl.availableMethods`): a name is a function only when `(` follows. */
export const OLINGO_FUNCTIONS: ReadonlySet<string> = new Set([
  'endswith',
  'indexof',
  'startswith',
  'tolower',
  'toupper',
  'trim',
  'substring',
  'substringof',
  'replace',
  'concat',
  'length',
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'round',
  'ceiling',
  'floor',
]);

/** Olingo's `OTHER_LIT`: letters, ASCII digits and `-._~%!$&*+;:@`. */
const OTHER_LIT = /(?:\p{L}|[0-9]|[-._~%!$&*+;:@])+/uy;
/** Olingo's prefixed literals (`X'…'`, `binary'…'`, …); date-time prefixes in any case (see above). */
const PREFIX = /(?:X|binary|guid|time|[dD][aA][tT][eE][tT][iI][mM][eE](?:[oO][fF][fF][sS][eE][tT])?)(?=')/y;

/** Splits filter or orderby text into tokens; throws Olingo's tokenizer errors. */
export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < expression.length) {
    const c = expression[pos]!;
    switch (c) {
      case ' ':
        pos++;
        continue;
      case '(':
      case ')':
      case ',':
        tokens.push({ kind: c, text: c, position: pos });
        pos++;
        continue;
      case "'":
        pos = readQuoted(expression, pos, '', tokens);
        continue;
      case '=':
      case '/':
      case '?':
      case '.':
      case '*':
        tokens.push({ kind: 'symbol', text: c, position: pos });
        pos++;
        continue;
    }
    PREFIX.lastIndex = pos;
    const prefix = PREFIX.exec(expression);
    if (prefix) {
      pos = readQuoted(expression, pos + prefix[0].length, prefix[0], tokens);
      continue;
    }
    OTHER_LIT.lastIndex = pos;
    const run = OTHER_LIT.exec(expression);
    if (!run) {
      const codePoint = expression.codePointAt(pos)!;
      throw olingoErrors.tokenizer(String.fromCodePoint(codePoint), pos + 1, expression);
    }
    const text = run[0];
    const literal = parseUriLiteral(text);
    if (literal) {
      tokens.push({ kind: 'literal', text, position: pos, literal });
      pos += text.length;
    } else if (c === '-') {
      // A '-' that does not start a number is the unary minus (Olingo: a SYMBOL token of its own).
      tokens.push({ kind: 'symbol', text: '-', position: pos });
      pos++;
    } else {
      tokens.push({ kind: 'word', text, position: pos });
      pos += text.length;
    }
  }
  return tokens;
}

/**
 * Reads `'…'` (a doubled quote is a quote) starting at the opening quote `quote`, optionally after a type
 * prefix; returns the position after the closing quote.
 */
function readQuoted(expression: string, quote: number, prefix: string, tokens: Token[]): number {
  let pos = quote + 1;
  let closed = false;
  while (pos < expression.length) {
    if (expression[pos] === "'") {
      if (expression[pos + 1] === "'") {
        pos += 2;
        continue;
      }
      closed = true;
      pos++;
      break;
    }
    pos++;
  }
  if (!closed) throw olingoErrors.unterminatedString(quote + 1, expression);
  const text = prefix + expression.slice(quote, pos);
  const literal = parseUriLiteral(text);
  // Olingo reports a bad prefixed literal at its quote, with the prefix in the token text.
  if (!literal) throw olingoErrors.tokenizer(text, quote + 1, expression);
  tokens.push({ kind: 'literal', text, position: quote - prefix.length, literal });
  return pos;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const FLOAT_MAX = 3.4028234663852886e38;

/** Olingo's `parseUriLiteral`: the typed literal, or undefined when the text is no literal. */
export function parseUriLiteral(text: string): Literal | undefined {
  if (text === 'null') return { type: 'Edm.Null', text, value: null };
  if (text === 'true' || text === 'false') return { type: 'Edm.Boolean', text, value: text === 'true' };
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) {
    return { type: 'Edm.String', text, value: text.slice(1, -1).replace(/''/g, "'") };
  }
  if (/^-?[0-9]+$/.test(text)) {
    const n = Number(text);
    if (n < INT32_MIN || n > INT32_MAX) return undefined;
    const value = String(n);
    if (n === 0 || n === 1) return { type: 'System.Bit', text, value };
    if (n >= 0 && n <= 127) return { type: 'System.Uint7', text, value };
    if (n >= -128 && n < 0) return { type: 'Edm.SByte', text, value };
    if (n > 127 && n <= 255) return { type: 'Edm.Byte', text, value };
    if (n >= -32768 && n <= 32767) return { type: 'Edm.Int16', text, value };
    return { type: 'Edm.Int32', text, value };
  }
  const last = text[text.length - 1];
  const body = text.slice(0, -1);
  if (last === 'L' || last === 'l') {
    if (!/^[+-]?[0-9]+$/.test(body)) return undefined;
    const n = BigInt(body);
    return n < INT64_MIN || n > INT64_MAX ? undefined : { type: 'Edm.Int64', text, value: n.toString() };
  }
  if (last === 'M' || last === 'm') {
    return /^[+-]?[0-9]+(?:\.[0-9]+)?$/.test(body) ? { type: 'Edm.Decimal', text, value: body.replace(/^\+/, '') } : undefined;
  }
  if (last === 'D' || last === 'd') {
    if (!/^[+-]?[0-9]{1,17}(?:\.[0-9]{1,17})?(?:[Ee][+-]?[0-9]{1,3})?$/.test(body) || !Number.isFinite(Number(body))) return undefined;
    return { type: 'Edm.Double', text, value: body.replace(/^\+/, '') };
  }
  if (text === 'INF' || text === '-INF' || text === 'NaN') return { type: 'Edm.Single', text, value: text };
  if (last === 'F' || last === 'f') {
    if (!/^[+-]?[0-9]{1,9}(?:\.[0-9]{1,9})?(?:[Ee][+-]?[0-9]{1,2})?$/.test(body) || Math.abs(Number(body)) > FLOAT_MAX) return undefined;
    return { type: 'Edm.Single', text, value: body.replace(/^\+/, '') };
  }
  const quoted = /^([A-Za-z]+)'(.*)'$/s.exec(text);
  if (!quoted) return undefined;
  const [, prefix = '', inner = ''] = quoted;
  switch (/^datetime(?:offset)?$/i.test(prefix) ? prefix.toLowerCase() : prefix) {
    case 'datetime': {
      const millis = parseDateTime(inner);
      return millis === undefined ? undefined : { type: 'Edm.DateTime', text, value: millis };
    }
    case 'datetimeoffset': {
      const m = /^(.*?)(Z|[+-][0-9]{2}:[0-9]{2})$/.exec(inner);
      return m && parseDateTime(m[1]!) !== undefined ? { type: 'Edm.DateTimeOffset', text, value: inner } : undefined;
    }
    case 'guid':
      return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(inner) ? { type: 'Edm.Guid', text, value: inner } : undefined;
    case 'time':
      return /^PT(?:[0-9]{1,2}H)?(?:[0-9]{1,4}M)?(?:[0-9]{1,5}(?:\.[0-9]+)?S)?$/.test(inner) && inner !== 'PT' ? { type: 'Edm.Time', text, value: inner } : undefined;
    case 'X':
    case 'binary':
      return /^(?:[0-9a-fA-F]{2})*$/.test(inner) ? { type: 'Edm.Binary', text, value: inner } : undefined;
    default:
      return undefined;
  }
}

const DATE_TIME = /^([0-9]{1,4})-([0-9]{1,2})-([0-9]{1,2})T([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})(\.([0-9]{0,9}?)0*)?)?$/;

/**
 * Olingo's `EdmDateTime` URI form `yyyy-mm-ddThh:mm[:ss[.fffffff]]`, read as UTC (a GMT calendar), fields
 * checked strictly; fractions finer than a millisecond are rejected (Olingo converts to a Calendar).
 */
export function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  let millis = 0;
  if (m[7] !== undefined) {
    if (m[7].length === 1 || m[7].length > 10) return undefined;
    const nanos = Number((m[8] ?? '').padEnd(9, '0'));
    if (nanos % 1_000_000 !== 0) return undefined;
    millis = nanos / 1_000_000;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1) return undefined; // e.g. 2021-02-30
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime();
}
