// Header lines: `MODE Type[mods]; column; column…` where a column is
// `qualifier(reference, …)[key=value, …][key=value]…` (references nest and may carry modifiers).

import type { RawCell } from './lexer.js';
import type { ImpexColumn, ImpexMode, ImpexReference } from './model.js';

const MODES: readonly ImpexMode[] = ['INSERT_UPDATE', 'INSERT', 'UPDATE', 'REMOVE'];
/** Characters that end a name in a column spec. */
const NAME_STOP = new Set(['(', ')', '[', ']', ',', '=', ' ', '\t']);

export interface ParsedHeader {
  mode: ImpexMode;
  typeCode: string;
  typeModifiers: Record<string, string>;
  columns: ImpexColumn[];
}

export type HeaderResult = { ok: true; header: ParsedHeader } | { ok: false; message: string };

export type FirstCellKind = { kind: 'header'; mode: string } | { kind: 'unknownMode'; word: string } | { kind: 'data' };

/**
 * Classifies a record by its first cell. A subtype cell is a bare type code, so a first cell made
 * of a word, blanks and more text can only be a header attempt — with a known mode or not.
 */
export function classifyFirstCell(cell: RawCell | undefined): FirstCellKind {
  if (cell === undefined || cell.quoted) return { kind: 'data' };
  const match = /^(\S+)(?:\s+\S[\s\S]*)?$/.exec(cell.value);
  const word = match?.[1];
  if (word === undefined) return { kind: 'data' };
  if (modeOf(word) !== undefined) return { kind: 'header', mode: word };
  if (cell.value !== word && /^[A-Za-z_]+$/.test(word)) return { kind: 'unknownMode', word };
  return { kind: 'data' };
}

function modeOf(word: string): ImpexMode | undefined {
  return MODES.find((mode) => mode === word.toUpperCase());
}

export function parseHeader(cells: readonly RawCell[]): HeaderResult {
  try {
    const [typeCell, ...columnCells] = cells;
    const { mode, typeCode, typeModifiers } = parseTypeCell(typeCell?.value ?? '');
    const columns = columnCells.map((cell, index) => parseColumn(cell.value, index));
    return { ok: true, header: { mode, typeCode, typeModifiers, columns } };
  } catch (error) {
    if (error instanceof SpecError) return { ok: false, message: error.message };
    throw error;
  }
}

function parseTypeCell(text: string): Pick<ParsedHeader, 'mode' | 'typeCode' | 'typeModifiers'> {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text.trim());
  const mode = modeOf(match?.[1] ?? '');
  if (mode === undefined) throw new SpecError(`unknown mode "${match?.[1] ?? ''}"`);
  const typeText = match?.[2] ?? '';
  if (typeText === '') throw new SpecError('missing type after mode');
  const spec = parseSpec(typeText, 'type');
  if (spec.reference.length > 0) throw new SpecError(`type "${typeText}" must not have a reference pattern`);
  return { mode, typeCode: spec.qualifier, typeModifiers: spec.modifiers };
}

function parseColumn(text: string, index: number): ImpexColumn {
  const written = text.trim();
  if (written === '') return { index, qualifier: '', reference: [], modifiers: {}, ignored: true, text: '' };
  const spec = parseSpec(written, `column ${index + 1}`);
  return { index, ...spec, ignored: false, text: written };
}

// ---- column-spec parser (recursive descent over one cell) ----

class SpecError extends Error {}

interface Cursor {
  readonly text: string;
  pos: number;
}

interface Spec {
  qualifier: string;
  reference: ImpexReference[];
  modifiers: Record<string, string>;
}

/** `what` names the cell in messages ("type", "column 3"). */
function parseSpec(text: string, what: string): Spec {
  try {
    const cursor: Cursor = { text, pos: 0 };
    skipBlanks(cursor);
    const qualifier = readName(cursor);
    if (qualifier === '') throw new SpecError('missing attribute name');
    skipBlanks(cursor);
    const reference = peek(cursor) === '(' ? readReferenceList(cursor) : [];
    const modifiers = readModifierGroups(cursor);
    skipBlanks(cursor);
    if (peek(cursor) !== undefined) throw new SpecError(strayText(cursor));
    return { qualifier, reference, modifiers };
  } catch (error) {
    if (error instanceof SpecError) throw new SpecError(`${error.message} in ${what} "${text}"`);
    throw error;
  }
}

function readReferenceList(cursor: Cursor): ImpexReference[] {
  cursor.pos += 1; // '('
  const items: ImpexReference[] = [];
  for (;;) {
    items.push(readReferenceItem(cursor));
    skipBlanks(cursor);
    const ch = peek(cursor);
    if (ch === undefined) throw new SpecError('unbalanced parentheses');
    if (ch !== ',' && ch !== ')') throw new SpecError(strayText(cursor));
    cursor.pos += 1;
    if (ch === ')') return items;
  }
}

function readReferenceItem(cursor: Cursor): ImpexReference {
  skipBlanks(cursor);
  const attribute = readName(cursor);
  if (attribute === '') {
    throw new SpecError(peek(cursor) === undefined ? 'unbalanced parentheses' : 'empty reference attribute');
  }
  skipBlanks(cursor);
  const children = peek(cursor) === '(' ? readReferenceList(cursor) : [];
  const modifiers = readModifierGroups(cursor);
  return Object.keys(modifiers).length > 0 ? { attribute, children, modifiers } : { attribute, children };
}

/** Any number of `[...]` groups; `[a=1][b=2]` and `[a=1, b=2]` are equivalent. Later keys win. */
function readModifierGroups(cursor: Cursor): Record<string, string> {
  const modifiers: Record<string, string> = {};
  skipBlanks(cursor);
  while (peek(cursor) === '[') {
    cursor.pos += 1;
    readModifierList(cursor, modifiers);
    skipBlanks(cursor);
  }
  return modifiers;
}

function readModifierList(cursor: Cursor, into: Record<string, string>): void {
  for (;;) {
    const key = readUntil(cursor, '=,]').trim();
    if (peek(cursor) !== '=') {
      if (peek(cursor) === undefined) throw new SpecError('unbalanced brackets');
      throw new SpecError(key === '' ? 'empty modifier' : `modifier "${key}" has no value`);
    }
    if (key === '') throw new SpecError('modifier without a name');
    cursor.pos += 1; // '='
    into[key] = readModifierValue(cursor);
    skipBlanks(cursor);
    const ch = peek(cursor);
    cursor.pos += 1;
    if (ch === ']') return;
    if (ch === undefined) throw new SpecError('unbalanced brackets');
    if (ch !== ',') throw new SpecError(`unexpected "${ch}" after modifier "${key}"`);
  }
}

/** Values may be quoted with ' or " (a doubled quote is literal) so they can hold `,` or `]`. */
function readModifierValue(cursor: Cursor): string {
  skipBlanks(cursor);
  const quote = peek(cursor);
  if (quote !== "'" && quote !== '"') return readUntil(cursor, ',]').trim();
  cursor.pos += 1;
  let value = '';
  for (;;) {
    const ch = peek(cursor);
    if (ch === undefined) throw new SpecError('unterminated quoted modifier value');
    cursor.pos += 1;
    if (ch !== quote) value += ch;
    else if (peek(cursor) === quote) {
      value += quote;
      cursor.pos += 1;
    } else return value;
  }
}

function readName(cursor: Cursor): string {
  const start = cursor.pos;
  while (cursor.pos < cursor.text.length && !NAME_STOP.has(cursor.text.charAt(cursor.pos))) cursor.pos += 1;
  return cursor.text.slice(start, cursor.pos);
}

function readUntil(cursor: Cursor, stops: string): string {
  const start = cursor.pos;
  while (cursor.pos < cursor.text.length && !stops.includes(cursor.text.charAt(cursor.pos))) cursor.pos += 1;
  return cursor.text.slice(start, cursor.pos);
}

function skipBlanks(cursor: Cursor): void {
  while (/\s/.test(cursor.text.charAt(cursor.pos))) cursor.pos += 1;
}

function peek(cursor: Cursor): string | undefined {
  return cursor.pos < cursor.text.length ? cursor.text.charAt(cursor.pos) : undefined;
}

/** Text where a separator or the end was expected; a stray closer means unbalanced nesting. */
function strayText(cursor: Cursor): string {
  const ch = peek(cursor);
  if (ch === ')') return 'unbalanced parentheses';
  if (ch === ']') return 'unbalanced brackets';
  return `unexpected text "${cursor.text.slice(cursor.pos)}"`;
}
