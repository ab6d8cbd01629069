// Data model of a parsed ImpEx document. Pure data: the text layer produces it, the importer consumes it.

export interface ImpexDiagnostic {
  file: string;
  /** 1-based physical line in the source text. */
  line: number;
  message: string;
}

export type ImpexMode = 'INSERT' | 'INSERT_UPDATE' | 'UPDATE' | 'REMOVE';

/**
 * One attribute of a reference pattern, e.g. `catalog(id)` inside `catalogVersion(catalog(id),version)`.
 * `modifiers` is present only when the pattern element carries its own modifiers, as in
 * `catalog(id[default=Default])`, so plain patterns compare equal to `{ attribute, children }`.
 */
export interface ImpexReference {
  attribute: string;
  children: ImpexReference[];
  modifiers?: Record<string, string>;
}

export interface ImpexColumn {
  /** 0-based position among value cells (the leading type/subtype cell is not counted). */
  index: number;
  qualifier: string;
  /** [] for a plain column. */
  reference: ImpexReference[];
  /** Keys as written (use `modifier()` for case-insensitive lookup); values unquoted and trimmed. */
  modifiers: Record<string, string>;
  /** An empty header cell: values in this position are ignored. */
  ignored: boolean;
  /** The header cell as written after macro expansion, trimmed. */
  text: string;
}

export interface ImpexHeader {
  mode: ImpexMode;
  typeCode: string;
  typeModifiers: Record<string, string>;
  columns: ImpexColumn[];
  line: number;
}

export interface ImpexRow {
  /** Line of the row's first physical line (multi-line rows keep their starting line). */
  line: number;
  /** Content of the leading cell, e.g. `Employee` under a `User` header; absent when empty. */
  subtype?: string;
  /** Exactly one cell per header column; missing cells are ''. */
  cells: string[];
}

export interface ImpexStatement {
  header: ImpexHeader;
  rows: ImpexRow[];
}

export interface UserRightsBlock {
  /** Line of `$START_USERRIGHTS`. */
  line: number;
  header: string[];
  rows: { line: number; cells: string[] }[];
}

/**
 * Statements and user-rights blocks in file order. A header's rows that continue after a
 * user-rights block form a second statement sharing the same `header` object, so applying
 * `items` in order reproduces the file's order exactly.
 */
export type ImpexItem =
  | { kind: 'statement'; line: number; statement: ImpexStatement }
  | { kind: 'userRights'; line: number; block: UserRightsBlock };

export interface ImpexDocument {
  file: string;
  statements: ImpexStatement[];
  userRights: UserRightsBlock[];
  items: ImpexItem[];
  warnings: ImpexDiagnostic[];
  errors: ImpexDiagnostic[];
}

export interface ParseOptions {
  /** Pre-seeded macros; names with or without the leading `$`. */
  macros?: Record<string, string>;
  /** Configuration properties that `$config-<key>` resolves against. */
  config?: Record<string, string>;
}
