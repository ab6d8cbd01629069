// SAP Commerce ImpEx → statements. Pure text layer: no store access, never throws on bad input;
// problems become diagnostics (file + 1-based line) and parsing resumes at the next header.
//
// Semantics chosen (Commerce behaviour where known, see the test file for each case):
// - Lines are classified on their raw text: blank, `#` comment (`#%…` scripting directives are
//   skipped with a warning, also the quoted `"#%…"` form, which may span lines), `$START_USERRIGHTS`
//   … `$END_USERRIGHTS`, `$name=value` macro definition, otherwise a record (header or data row).
// - Macros are textual and expanded on every physical line of a record *before* splitting into
//   cells, so a macro value may contain `;`, quotes or brackets. Names are replaced longest first.
//   A definition's value runs to the end of the line (plus `\` continuations), is trimmed, loses
//   trailing `;` (spreadsheet exports pad every line with `;;;`) and is expanded with the macros
//   known at that point. `$config-<key>` resolves from `options.config`; unresolved → warning.
//   Unknown `$name` left in a header → warning, text kept (Commerce fails later on the attribute).
// - Macros ARE expanded inside user-rights blocks: Commerce's ImpExReader replaces definitions on
//   every line before it hands user-rights lines to ImportExportUserRightsHelper.
// - A row whose cells are all empty (`;;;`) is skipped, as Commerce does. Extra cells beyond the
//   header only warn when one of them is non-empty: trailing `;` padding is ubiquitous in real files.
// - After a user-rights block the previous header stays current (as in Commerce); its further rows
//   become a new statement sharing the header object, so `items` keeps file order.
// - Rows under a malformed header are dropped silently (the header error says so).
// - A user-rights block without `$END_USERRIGHTS` is dropped with a warning (Commerce only logs and
//   never imports it); a block without any line is an error.

import { classifyFirstCell, parseHeader } from './header.js';
import { readRecord, splitLines, type RawCell, type RecordRead } from './lexer.js';
import {
  defineMacro,
  expandConfig,
  expandMacros,
  isMacroName,
  leftoverMacroReferences,
  seedMacros,
  type MacroTable,
} from './macros.js';
import type {
  ImpexDocument,
  ImpexHeader,
  ImpexRow,
  ImpexStatement,
  ParseOptions,
  UserRightsBlock,
} from './model.js';

export type {
  ImpexColumn,
  ImpexDiagnostic,
  ImpexDocument,
  ImpexHeader,
  ImpexItem,
  ImpexMode,
  ImpexReference,
  ImpexRow,
  ImpexStatement,
  ParseOptions,
  UserRightsBlock,
} from './model.js';
export { modifier, splitCollection, splitReferencePath } from './values.js';

type Current =
  | { kind: 'none' }
  | { kind: 'invalid' }
  | { kind: 'header'; header: ImpexHeader; statement: ImpexStatement | null };

interface Context {
  readonly lines: readonly string[];
  readonly config: Readonly<Record<string, string>>;
  readonly doc: ImpexDocument;
  macros: MacroTable;
  current: Current;
}

type LineKind = 'blank' | 'comment' | 'userRightsStart' | 'userRightsEnd' | 'macro' | 'record';

export function parseImpex(text: string, file: string, options: ParseOptions = {}): ImpexDocument {
  const ctx: Context = {
    lines: splitLines(text),
    config: options.config ?? {},
    doc: { file, statements: [], userRights: [], items: [], warnings: [], errors: [] },
    macros: seedMacros(options.macros),
    current: { kind: 'none' },
  };
  let index = 0;
  while (index < ctx.lines.length) index = step(ctx, index);
  return ctx.doc;
}

/** Consumes the construct starting at `index`; returns the index of the next unread line. */
function step(ctx: Context, index: number): number {
  const trimmed = (ctx.lines[index] ?? '').trim();
  switch (lineKind(trimmed)) {
    case 'blank':
      return index + 1;
    case 'comment':
      skipComment(ctx, trimmed, index + 1);
      return index + 1;
    case 'userRightsStart':
      return readUserRights(ctx, index);
    case 'userRightsEnd':
      warn(ctx, index + 1, '$END_USERRIGHTS without $START_USERRIGHTS; line ignored');
      return index + 1;
    case 'macro':
      return readMacroDefinition(ctx, index);
    case 'record': {
      const record = readRecord(ctx.lines, index, (line, at) => expandLine(ctx, line, at + 1));
      handleRecord(ctx, record, index + 1);
      return record.next;
    }
  }
}

function lineKind(trimmed: string): LineKind {
  if (trimmed === '') return 'blank';
  if (trimmed.startsWith('#')) return 'comment';
  const upper = trimmed.toUpperCase();
  if (upper.startsWith('$START_USERRIGHTS')) return 'userRightsStart';
  if (upper.startsWith('$END_USERRIGHTS')) return 'userRightsEnd';
  if (trimmed.startsWith('$')) return 'macro';
  return 'record';
}

function skipComment(ctx: Context, text: string, line: number): void {
  if (text.startsWith('#%')) warn(ctx, line, `scripting directive skipped (not executed by the sandbox): ${clip(text)}`);
}

// ---- macros ----

function readMacroDefinition(ctx: Context, index: number): number {
  const raw = ctx.lines[index] ?? '';
  const equals = raw.indexOf('=');
  const name = (equals < 0 ? raw : raw.slice(0, equals)).trim();
  if (equals < 0 || !isMacroName(name)) {
    warn(ctx, index + 1, `line ignored: "${clip(raw.trim())}" is not a macro definition ($name=value)`);
    return index + 1;
  }
  const { value, next } = joinContinuations(ctx.lines, raw.slice(equals + 1), index + 1);
  // spreadsheet exports pad macro lines with `;;;`: that padding is never part of the value
  const cleaned = value.trim().replace(/[\s;]+$/, '');
  ctx.macros = defineMacro(ctx.macros, name, expandLine(ctx, cleaned, index + 1));
  return next;
}

function joinContinuations(lines: readonly string[], first: string, next: number): { value: string; next: number } {
  let value = first;
  let at = next;
  while (value.endsWith('\\') && at < lines.length) {
    value = value.slice(0, -1) + (lines[at] ?? '');
    at += 1;
  }
  return { value, next: at };
}

function expandLine(ctx: Context, text: string, line: number): string {
  const { text: expanded, unresolved } = expandConfig(expandMacros(text, ctx.macros), ctx.config);
  for (const reference of unresolved) {
    warn(ctx, line, `unresolved configuration macro ${reference} (no such property); left as written`);
  }
  return expanded;
}

// ---- headers and rows ----

function handleRecord(ctx: Context, record: RecordRead, line: number): void {
  if (record.unterminated) {
    fail(ctx, line, 'unterminated quoted value: no closing " before the end of the file');
    return;
  }
  const first = record.cells[0];
  if (first?.quoted && first.value.startsWith('#')) {
    // the quoted form `"#% …"` lets a script span lines; a quoted `#…` is a comment as well
    skipComment(ctx, first.value, line);
    return;
  }
  const kind = classifyFirstCell(first);
  if (kind.kind === 'header') startHeader(ctx, record.cells, line);
  else if (kind.kind === 'unknownMode') invalidHeader(ctx, line, `unknown mode "${kind.word}" (expected INSERT, INSERT_UPDATE, UPDATE or REMOVE)`);
  else addRow(ctx, record.cells, line);
}

function startHeader(ctx: Context, cells: RawCell[], line: number): void {
  warnUndefinedMacros(ctx, cells, line);
  const result = parseHeader(cells);
  if (!result.ok) {
    invalidHeader(ctx, line, result.message);
    return;
  }
  const header: ImpexHeader = { ...result.header, line };
  ctx.current = { kind: 'header', header, statement: null };
  openStatement(ctx, header, line);
}

function invalidHeader(ctx: Context, line: number, message: string): void {
  fail(ctx, line, `malformed header: ${message}; its rows are skipped`);
  ctx.current = { kind: 'invalid' };
}

function warnUndefinedMacros(ctx: Context, cells: readonly RawCell[], line: number): void {
  const names = new Set(cells.flatMap((cell) => leftoverMacroReferences(cell.value)));
  for (const name of names) warn(ctx, line, `undefined macro ${name} in header; left as written`);
}

function openStatement(ctx: Context, header: ImpexHeader, line: number): ImpexStatement {
  const statement: ImpexStatement = { header, rows: [] };
  ctx.doc.statements.push(statement);
  ctx.doc.items.push({ kind: 'statement', line, statement });
  if (ctx.current.kind === 'header') ctx.current.statement = statement;
  return statement;
}

function addRow(ctx: Context, cells: RawCell[], line: number): void {
  // Commerce skips value lines without any content, e.g. `;;;` separators
  if (cells.every((cell) => cell.value === '')) return;
  const current = ctx.current;
  if (current.kind === 'none') {
    fail(ctx, line, 'data row before any header');
    return;
  }
  if (current.kind === 'invalid') return;
  const statement = current.statement ?? openStatement(ctx, current.header, line);
  statement.rows.push(buildRow(ctx, current.header, cells, line));
}

function buildRow(ctx: Context, header: ImpexHeader, cells: RawCell[], line: number): ImpexRow {
  const [subtypeCell, ...valueCells] = cells;
  const values = valueCells.map((cell) => cell.value);
  const width = header.columns.length;
  if (values.slice(width).some((value) => value !== '')) {
    warn(ctx, line, `row has ${values.length} value cells but the header has ${width} columns; extra cells ignored`);
  }
  const row: ImpexRow = { line, cells: header.columns.map((_, i) => values[i] ?? '') };
  const subtype = subtypeCell?.value ?? '';
  if (subtype !== '') row.subtype = subtype;
  return row;
}

// ---- user rights ----

/** `index` is the `$START_USERRIGHTS` line; returns the line after `$END_USERRIGHTS` (or EOF). */
function readUserRights(ctx: Context, index: number): number {
  const startLine = index + 1;
  const lines: { line: number; cells: string[] }[] = [];
  let at = index + 1;
  while (at < ctx.lines.length) {
    const trimmed = (ctx.lines[at] ?? '').trim();
    const kind = lineKind(trimmed);
    if (kind === 'userRightsEnd') {
      closeUserRights(ctx, startLine, lines);
      return at + 1;
    }
    if (kind === 'macro') {
      at = readMacroDefinition(ctx, at);
      continue;
    }
    if (kind === 'comment') skipComment(ctx, trimmed, at + 1);
    if (kind !== 'record') {
      at += 1;
      continue;
    }
    const record = readRecord(ctx.lines, at, (line, i) => expandLine(ctx, line, i + 1));
    const first = record.cells[0];
    if (record.unterminated) fail(ctx, at + 1, 'unterminated quoted value: no closing " before the end of the file');
    else if (first?.quoted && first.value.startsWith('#')) skipComment(ctx, first.value, at + 1);
    else lines.push({ line: at + 1, cells: record.cells.map((cell) => cell.value) });
    at = record.next;
  }
  warn(ctx, startLine, '$START_USERRIGHTS without $END_USERRIGHTS; block ignored (Commerce does not import it)');
  return at;
}

function closeUserRights(
  ctx: Context,
  startLine: number,
  lines: { line: number; cells: string[] }[],
): void {
  const [header, ...rows] = lines;
  if (header === undefined) {
    fail(ctx, startLine, 'user rights block is empty: expected a header line such as Type;UID;MemberOfGroups;…');
    return;
  }
  const block: UserRightsBlock = { line: startLine, header: header.cells, rows };
  ctx.doc.userRights.push(block);
  ctx.doc.items.push({ kind: 'userRights', line: startLine, block });
  // rows after the block still belong to the current header, but as a new statement (file order)
  if (ctx.current.kind === 'header') ctx.current.statement = null;
}

// ---- diagnostics ----

function warn(ctx: Context, line: number, message: string): void {
  ctx.doc.warnings.push({ file: ctx.doc.file, line, message });
}

function fail(ctx: Context, line: number, message: string): void {
  ctx.doc.errors.push({ file: ctx.doc.file, line, message });
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
