/**
 * The `whereClause` of an `OutboundSyncStreamConfiguration`: a FlexibleSearch fragment that restricts
 * which changed items a stream reports (spec §12.1, e.g. `{item.code} LIKE 'A%'`).
 *
 * The sandbox has no SQL engine; it evaluates this subset on the changed item's own values:
 *
 *   clause     := condition (AND condition)*
 *   condition  := attr op literal | attr [NOT] LIKE 'pattern' | attr IS [NOT] NULL
 *               | attr [NOT] IN (literal, …) | '(' clause ')'
 *   attr       := {qualifier} | {item.qualifier}
 *   op         := = | <> | != | < | <= | > | >=
 *   literal    := 'text' ('' escapes a quote) | number | true | false
 *
 * Keywords are case-insensitive; `LIKE` knows `%` and `_`. Comparisons use the stored value: strings
 * and numbers as they are, enum values by code, booleans as true/false (also 1/0), dates as epoch ms;
 * Long/BigDecimal values (stored as decimal strings) compare as numbers against a number literal;
 * references compare as item PKs, so `{catalogVersion} = '…'` does not match a code. Values that cannot
 * be compared with the literal (null, localized values, collections, a number against 'text') match
 * no condition, negated or not: `NOT IN (a, b)` means `<> a AND <> b`. OR, sub-queries
 * (`{{SELECT …}}`), joins and functions are not supported: such a clause is refused when the stream
 * runs, with the reason, and the stream is skipped (nothing sent, nothing consumed).
 */
import type { StoredValue } from '../store/store.js';

export type ItemPredicate = (values: Readonly<Record<string, StoredValue>>) => boolean;

export class WhereClauseError extends Error {}

type Token = { kind: 'attr'; name: string } | { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'word'; value: string } | { kind: 'op'; value: string } | { kind: 'punct'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (text.startsWith('{{', i)) throw new WhereClauseError('sub-queries ({{…}}) are not supported');
    if (c === '{') {
      const end = text.indexOf('}', i);
      if (end < 0) throw new WhereClauseError(`unclosed '{' at ${i}`);
      const name = text.slice(i + 1, end).trim();
      const m = /^(?:item\.)?([A-Za-z_]\w*)$/.exec(name);
      if (!m) throw new WhereClauseError(`unsupported attribute reference {${name}}`);
      tokens.push({ kind: 'attr', name: m[1]! });
      i = end + 1;
      continue;
    }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new WhereClauseError('unclosed string literal');
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      tokens.push({ kind: 'string', value });
      i = j + 1;
      continue;
    }
    const op = /^(<>|!=|<=|>=|=|<|>)/.exec(text.slice(i));
    if (op) {
      tokens.push({ kind: 'op', value: op[1] === '!=' ? '<>' : op[1]! });
      i += op[1]!.length;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', value: c });
      i++;
      continue;
    }
    const num = /^-?\d+(?:\.\d+)?/.exec(text.slice(i));
    if (num) {
      tokens.push({ kind: 'number', value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_]\w*/.exec(text.slice(i));
    if (word) {
      tokens.push({ kind: 'word', value: word[0].toUpperCase() });
      i += word[0].length;
      continue;
    }
    throw new WhereClauseError(`unexpected '${c}' at ${i}`);
  }
  return tokens;
}

type Literal = string | number | boolean;

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): ItemPredicate {
    const clause = this.clause();
    if (this.at < this.tokens.length) throw new WhereClauseError(`unexpected ${describe(this.tokens[this.at]!)}`);
    return clause;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private next(): Token {
    const t = this.tokens[this.at++];
    if (!t) throw new WhereClauseError('unexpected end of the clause');
    return t;
  }

  private word(value: string): boolean {
    const t = this.peek();
    if (t?.kind === 'word' && t.value === value) {
      this.at++;
      return true;
    }
    return false;
  }

  private clause(): ItemPredicate {
    const parts = [this.condition()];
    while (this.word('AND')) parts.push(this.condition());
    if (this.peek()?.kind === 'word' && (this.peek() as { value: string }).value === 'OR') throw new WhereClauseError('OR is not supported');
    return parts.length === 1 ? parts[0]! : (values) => parts.every((p) => p(values));
  }

  private condition(): ItemPredicate {
    const t = this.next();
    if (t.kind === 'punct' && t.value === '(') {
      const inner = this.clause();
      const close = this.next();
      if (close.kind !== 'punct' || close.value !== ')') throw new WhereClauseError(`expected ')' but found ${describe(close)}`);
      return inner;
    }
    if (t.kind !== 'attr') throw new WhereClauseError(`expected an attribute {qualifier} but found ${describe(t)}`);
    const name = t.name;
    if (this.word('IS')) {
      const negated = this.word('NOT');
      if (!this.word('NULL')) throw new WhereClauseError('expected NULL after IS');
      return (values) => isNull(values[name]) !== negated;
    }
    const negated = this.word('NOT');
    if (this.word('LIKE')) {
      const pattern = this.next();
      if (pattern.kind !== 'string') throw new WhereClauseError('LIKE needs a string pattern');
      const regex = likeRegex(pattern.value);
      return (values) => {
        const v = values[name];
        return isAtomic(v) && regex.test(String(v)) !== negated;
      };
    }
    if (this.word('IN')) {
      const open = this.next();
      if (open.kind !== 'punct' || open.value !== '(') throw new WhereClauseError("expected '(' after IN");
      const list: Literal[] = [this.literal()];
      for (;;) {
        const sep = this.next();
        if (sep.kind === 'punct' && sep.value === ')') break;
        if (sep.kind !== 'punct' || sep.value !== ',') throw new WhereClauseError(`expected ',' or ')' but found ${describe(sep)}`);
        list.push(this.literal());
      }
      return (values) => {
        const v = values[name];
        if (isNull(v)) return false;
        const results = list.map((l) => compare(v, l));
        return negated ? results.every((c) => c !== undefined && c !== 0) : results.includes(0);
      };
    }
    if (negated) throw new WhereClauseError('NOT is only supported in NOT LIKE, NOT IN and IS NOT NULL');
    const op = this.next();
    if (op.kind !== 'op') throw new WhereClauseError(`expected a comparison after {${name}} but found ${describe(op)}`);
    const literal = this.literal();
    return (values) => {
      const v = values[name];
      if (isNull(v)) return false;
      const c = compare(v, literal);
      if (c === undefined) return false;
      switch (op.value) {
        case '=':
          return c === 0;
        case '<>':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        default:
          return c >= 0;
      }
    };
  }

  private literal(): Literal {
    const t = this.next();
    if (t.kind === 'string' || t.kind === 'number') return t.value;
    if (t.kind === 'word' && (t.value === 'TRUE' || t.value === 'FALSE')) return t.value === 'TRUE';
    throw new WhereClauseError(`expected a literal but found ${describe(t)}`);
  }
}

function describe(t: Token): string {
  return t.kind === 'attr' ? `{${t.name}}` : t.kind === 'string' ? `'${t.value}'` : `'${String(t.value)}'`;
}

function isNull(v: StoredValue | undefined): boolean {
  return v === null || v === undefined;
}

function isAtomic(v: StoredValue | undefined): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** A decimal string as Long and BigDecimal values are stored. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function likeRegex(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) source += ch === '%' ? '[\\s\\S]*' : ch === '_' ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${source}$`);
}

/** Orders a stored value against a literal; undefined when they cannot be compared. */
function compare(stored: StoredValue | undefined, literal: Literal): number | undefined {
  if (typeof stored === 'object' || stored === undefined) return undefined;
  if (typeof stored === 'boolean') {
    const b = typeof literal === 'boolean' ? literal : literal === 1 || literal === '1' ? true : literal === 0 || literal === '0' ? false : undefined;
    return b === undefined ? undefined : Number(stored) - Number(b);
  }
  if (typeof stored === 'number') {
    const n = typeof literal === 'number' ? literal : typeof literal === 'string' && DECIMAL.test(literal.trim()) ? Number(literal) : NaN;
    return Number.isNaN(n) ? undefined : Math.sign(stored - n);
  }
  if (typeof literal === 'number' && DECIMAL.test(stored)) return Math.sign(Number(stored) - literal);
  const s = String(literal);
  return stored < s ? -1 : stored > s ? 1 : 0;
}

/** Parses a where clause; a blank clause is no restriction (undefined). Throws {@link WhereClauseError}. */
export function parseWhereClause(text: string | undefined): ItemPredicate | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return new Parser(tokenize(text)).parse();
}
