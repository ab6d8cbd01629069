// Physical lines → logical records (cells). ImpEx is CSV with `;` as separator, `"` as text
// separator (quoted cells may span lines, `""` is a literal quote) and `\` at end of line
// joining the next line.

export interface RawCell {
  /** Unquoted cells are trimmed; quoted content is kept verbatim (text after the closing quote is appended trimmed). */
  value: string;
  quoted: boolean;
}

export interface RecordRead {
  cells: RawCell[];
  /** Index of the first physical line after the record. */
  next: number;
  /** The file ended inside a quoted cell. */
  unterminated: boolean;
}

/** Splits on LF or CRLF; drops a UTF-8 BOM and the empty "line" after a final newline. */
export function splitLines(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

type LineEnd = 'done' | 'inQuote' | 'continued';

/** Accumulates cells across physical lines; mutable on purpose, it never escapes `readRecord`. */
class RecordScanner {
  private readonly cells: RawCell[] = [];
  private raw = '';
  private quoted: string | null = null;
  private atCellStart = true;
  private inQuote = false;

  get insideQuote(): boolean {
    return this.inQuote;
  }

  feed(text: string): LineEnd {
    for (let i = 0; i < text.length; i += 1) {
      const ch = text.charAt(i);
      if (this.inQuote) {
        i = this.quotedChar(text, i);
      } else if (ch === ';') {
        this.endCell();
      } else if (this.atCellStart && (ch === ' ' || ch === '\t')) {
        // leading blanks never matter: unquoted values are trimmed and a quote may follow them
      } else if (this.atCellStart && ch === '"') {
        this.inQuote = true;
        this.quoted = '';
        this.atCellStart = false;
      } else {
        this.raw += ch;
        this.atCellStart = false;
      }
    }
    return this.endOfLine(text);
  }

  finish(): RawCell[] {
    this.endCell();
    return this.cells;
  }

  /** Handles one character inside quotes; returns the index of the last character consumed. */
  private quotedChar(text: string, i: number): number {
    const ch = text.charAt(i);
    if (ch !== '"') {
      this.quoted += ch;
      return i;
    }
    if (text.charAt(i + 1) === '"') {
      this.quoted += '"';
      return i + 1;
    }
    this.inQuote = false;
    return i;
  }

  private endOfLine(text: string): LineEnd {
    if (this.inQuote) {
      // the line break belongs to the quoted value
      this.quoted += '\n';
      return 'inQuote';
    }
    if (text.endsWith('\\')) {
      // outside quotes a trailing backslash is ImpEx's line continuation: drop it, join directly
      this.raw = this.raw.slice(0, -1);
      if (this.raw === '' && this.quoted === null) this.atCellStart = true;
      return 'continued';
    }
    return 'done';
  }

  private endCell(): void {
    const trimmed = this.raw.trim();
    this.cells.push(
      this.quoted === null ? { value: trimmed, quoted: false } : { value: this.quoted + trimmed, quoted: true },
    );
    this.raw = '';
    this.quoted = null;
    this.atCellStart = true;
  }
}

/**
 * Reads one logical record starting at `lines[start]`. `prepare` is applied to every physical
 * line before scanning (macro expansion), receiving the line's index.
 */
export function readRecord(
  lines: readonly string[],
  start: number,
  prepare: (text: string, index: number) => string,
): RecordRead {
  const scanner = new RecordScanner();
  let index = start;
  while (index < lines.length) {
    const end = scanner.feed(prepare(lines[index] ?? '', index));
    index += 1;
    if (end === 'done') return { cells: scanner.finish(), next: index, unterminated: false };
  }
  const unterminated = scanner.insideQuote;
  return { cells: scanner.finish(), next: index, unterminated };
}
