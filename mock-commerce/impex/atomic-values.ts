/**
 * Conversion of ImpEx cell text to stored atomic values, by Java class. Pure functions; a value that
 * cannot be converted throws {@link ValueError} with a message naming what was expected.
 */
import type { StoredValue } from '../store/store.js';

export class ValueError extends Error {}

const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  'java.lang.Byte': [-128n, 127n],
  'java.lang.Short': [-32768n, 32767n],
  'java.lang.Integer': [-2147483648n, 2147483647n],
  'java.lang.Long': [-9223372036854775808n, 9223372036854775807n],
};

/** ImpEx's default date format (Commerce `ImpExConstants` default pattern). */
export const DEFAULT_DATE_FORMAT = 'dd.MM.yyyy HH:mm:ss';

export function convertAtomic(raw: string, javaClass: string, options: { dateFormat?: string } = {}): StoredValue {
  const text = raw;
  switch (javaClass) {
    case 'java.lang.String':
    case 'java.lang.Object':
      return text;
    case 'java.lang.Character':
      if (text.length !== 1) throw new ValueError(`'${text}' is not a single character`);
      return text;
    case 'java.lang.Boolean': {
      const t = text.trim().toLowerCase();
      if (t === 'true') return true;
      if (t === 'false') return false;
      throw new ValueError(`'${text}' is not a boolean (true or false)`);
    }
    case 'java.lang.Byte':
    case 'java.lang.Short':
    case 'java.lang.Integer':
    case 'java.lang.Long': {
      const t = text.trim();
      if (!/^[+-]?\d+$/.test(t)) throw new ValueError(`'${text}' is not a whole number`);
      const n = BigInt(t);
      const [min, max] = INTEGER_RANGES[javaClass]!;
      if (n < min || n > max) throw new ValueError(`'${text}' is out of range for ${javaClass}`);
      // Long is kept as a decimal string so that values beyond 2^53 stay exact.
      return javaClass === 'java.lang.Long' ? n.toString() : Number(n);
    }
    case 'java.lang.Double':
    case 'java.lang.Float': {
      const t = text.trim();
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && !/^[+-]?(Infinity|NaN)$/.test(t)) {
        throw new ValueError(`'${text}' is not a number`);
      }
      return Number(t);
    }
    case 'java.math.BigDecimal':
    case 'java.math.BigInteger': {
      const t = text.trim();
      const pattern = javaClass === 'java.math.BigInteger' ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
      if (!pattern.test(t)) throw new ValueError(`'${text}' is not a ${javaClass === 'java.math.BigInteger' ? 'whole number' : 'decimal number'}`);
      return t.replace(/^\+/, '');
    }
    case 'java.util.Date':
      return parseDate(text.trim(), options.dateFormat ?? DEFAULT_DATE_FORMAT);
    default:
      // Other atomic classes (PK, StandardDateRange, …) have no text form the sandbox understands.
      throw new ValueError(`values of ${javaClass} cannot be imported`);
  }
}

/**
 * Parses a date with a Java SimpleDateFormat pattern (letters y M d H h m s S a; quoted literals), as UTC.
 * ISO-8601 text and epoch millis are accepted too, because project data often carries them.
 */
export function parseDate(text: string, pattern: string): number {
  // The pattern comes first: a digits-only pattern such as `yyyyMMddHHmm` must not read its cells as epoch millis.
  const fromPattern = parseWithPattern(text, pattern);
  if (fromPattern !== undefined) return fromPattern;
  if (/^\d{10,}$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const ms = Date.parse(/T/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new ValueError(`'${text}' does not match the date format '${pattern}'`);
}

function parseWithPattern(text: string, pattern: string): number | undefined {
  let regex = '';
  const fields: string[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      const literal = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      regex += literal === '' ? "'" : escapeRegex(literal);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      const width = j - i;
      if ('yMdHhmsS'.includes(c)) {
        fields.push(c);
        regex += width >= 3 && c === 'M' ? '(\\w+)' : `(\\d{1,${Math.max(width, c === 'y' ? 4 : 2)}})`;
      } else if (c === 'a') {
        fields.push('a');
        regex += '(AM|PM|am|pm)';
      } else {
        regex += '.+?';
      }
      i = j;
      continue;
    }
    regex += escapeRegex(c);
    i++;
  }
  const m = new RegExp(`^${regex}$`).exec(text);
  if (!m) return undefined;
  const parts: Record<string, string> = {};
  fields.forEach((f, idx) => (parts[f] = m[idx + 1] ?? ''));
  const month = /^\d+$/.test(parts.M ?? '1') ? Number(parts.M ?? 1) : monthIndex(parts.M ?? '') + 1;
  let hour = Number(parts.H ?? parts.h ?? 0);
  if (parts.a && /pm/i.test(parts.a) && hour < 12) hour += 12;
  if (parts.a && /am/i.test(parts.a) && hour === 12) hour = 0;
  const ms = Date.UTC(Number(parts.y ?? 1970), month - 1, Number(parts.d ?? 1), hour, Number(parts.m ?? 0), Number(parts.s ?? 0), Number(parts.S ?? 0));
  return Number.isNaN(ms) ? undefined : ms;
}

function monthIndex(name: string): number {
  return ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(name.slice(0, 3).toLowerCase());
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The value a `<defaultvalue>` expression of items.xml stands for, when the sandbox can tell; undefined
 * for expressions it cannot evaluate (the attribute then just stays unset).
 */
export function evaluateDefault(expression: string, javaClass?: string): StoredValue | undefined {
  const e = expression.trim();
  const enumValue = /getEnumerationValue\(\s*"[^"]*"\s*,\s*"([^"]*)"\s*\)/.exec(e);
  if (enumValue) return enumValue[1]!;
  const enumConstant = /^(?:[\w.]+\.)?[A-Z]\w*\.([A-Za-z_]\w*)$/.exec(e);
  if (/^(java\.lang\.)?Boolean\.TRUE$|^true$/i.test(e)) return true;
  if (/^(java\.lang\.)?Boolean\.FALSE$|^false$/i.test(e)) return false;
  const wrapped = /^(?:(?:java\.lang\.)?(?:Integer|Long|Double|Float|Short|Byte)\.valueOf\()?\s*(?:\(\w+\))?\s*([+-]?\d+(?:\.\d+)?)[dDfFlL]?\s*\)?$/.exec(e);
  if (wrapped) {
    const n = wrapped[1]!;
    return javaClass === 'java.lang.Long' || javaClass === 'java.math.BigDecimal' ? n : Number(n);
  }
  const str = /^"(.*)"$/.exec(e);
  if (str) return str[1]!;
  if (enumConstant && javaClass === undefined) return enumConstant[1]!;
  return undefined;
}
