/**
 * The one place that talks to the `odata-parser` package; its result shapes never leave this module.
 *
 * What it is used for, and why not for more:
 * - it parses each comparison (`property op literal`) and each `$orderby` list, fed with *placeholder*
 *   text built from our own tokens (`p eq '0'`, `p0 desc,p1`), so its lossy literal values (`8m` → "8",
 *   `datetime'…'` → a local-time Date) and its gaps (`10L`, names outside `[A-Za-z0-9_.-]`, more than one
 *   blank between tokens) never matter: literals and names are read by `tokenizer.ts`;
 * - `and`/`or` and parentheses are not handed to it: its grammar is right-recursive without precedence
 *   (`a eq 1 and b eq 2 or c eq 3` comes back as `a and (b or c)`), it cannot tell `a and (b or c)` from
 *   `a and b or c`, and its time grows faster than linearly with long chains (10 kB ≈ tens of ms).
 * - it throws on some inputs (`not (a eq 1)`, `a add 1 eq 2`, `10L`) and answers `{ error }` on others;
 *   both become `undefined` here.
 */
import { createRequire } from 'node:module';

interface OdataParser {
  parse(query: string): unknown;
}

const parser = createRequire(import.meta.url)('odata-parser') as OdataParser;

/** A comparison read by odata-parser, in our terms: which side is the property placeholder. */
export interface ParsedComparison {
  operator: string;
  left: 'property' | 'literal';
  right: 'property' | 'literal';
}

export interface ParsedOrderTerm {
  name: string;
  descending: boolean;
}

/** Placeholder of a property in comparison text. */
export const PROPERTY_PLACEHOLDER = 'p';
/** Placeholder of a literal in comparison text. */
export const LITERAL_PLACEHOLDER = "'0'";

function run(query: string): unknown {
  try {
    return parser.parse(query);
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function operandKind(value: unknown): 'property' | 'literal' | undefined {
  const node = record(value);
  if (node?.type === 'property' && node.name === PROPERTY_PLACEHOLDER) return 'property';
  if (node?.type === 'literal' && node.value === '0') return 'literal';
  return undefined;
}

/** Comparison text has few distinct placeholder shapes; each is parsed once. */
const comparisons = new Map<string, ParsedComparison | null>();
const MAX_CACHED = 256;

/** Parses placeholder comparison text such as `p eq '0'`; undefined when it is not one comparison. */
export function parseComparison(text: string): ParsedComparison | undefined {
  const cached = comparisons.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const filter = record(record(run(`$filter=${text}`))?.$filter);
  const operator = typeof filter?.type === 'string' ? filter.type : undefined;
  const left = operandKind(filter?.left);
  const right = operandKind(filter?.right);
  const result = operator && left && right ? { operator, left, right } : undefined;
  if (comparisons.size < MAX_CACHED) comparisons.set(text, result ?? null);
  return result;
}

/** Parses placeholder `$orderby` text such as `p0 desc,p1`; undefined when odata-parser rejects it. */
export function parseOrderByList(text: string): ParsedOrderTerm[] | undefined {
  const list = record(run(`$orderby=${text}`))?.$orderby;
  if (!Array.isArray(list)) return undefined;
  const terms: ParsedOrderTerm[] = [];
  for (const entry of list) {
    const pairs = Object.entries(record(entry) ?? {});
    const [pair] = pairs;
    if (pairs.length !== 1 || !pair || (pair[1] !== 'asc' && pair[1] !== 'desc')) return undefined;
    terms.push({ name: pair[0], descending: pair[1] === 'desc' });
  }
  return terms;
}
