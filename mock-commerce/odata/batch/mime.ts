/**
 * The MIME layer of `$batch` (RFC 2046 multipart, RFC 7230 header fields), on byte offsets into the one
 * request body so that bodies stay exact bytes and errors can name Olingo's 1-based line numbers.
 *
 * Line endings: CRLF on the wire; a bare LF is accepted too (a CR is only dropped when it stands right
 * before an LF, so a lone CR stays part of the line). A delimiter line is `--boundary` at the start of a
 * line, optionally followed by `--` (close delimiter) and blanks (transport padding), then the line end.
 * The line end before a delimiter belongs to the delimiter, not to the preceding part.
 */
import { batchErrors } from './messages.js';

const LF = 0x0a;
const CR = 0x0d;
const HYPHEN = 0x2d;
const SPACE = 0x20;
const TAB = 0x09;

const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const HEADER_LINE = new RegExp(`^(${TOKEN}):[ \\t]*(.*?)[ \\t]*$`, 's');
const MEDIA_TYPE = new RegExp(`^[ \\t]*(${TOKEN}/${TOKEN})[ \\t]*`);
const PARAMETER = new RegExp(`^;[ \\t]*(?:(${TOKEN})[ \\t]*=[ \\t]*("(?:[^"\\\\]|\\\\.)*"|[^;"\\s]*)[ \\t]*)?`);
/** RFC 2046 `boundary := 0*69<bchars> bcharsnospace`. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/** 1-based number of the line `offset` lies on (LFs before it, plus one). Only used to word errors. */
export function lineNumberAt(buf: Buffer, offset: number): number {
  let line = 1;
  let at = buf.indexOf(LF, 0);
  while (at !== -1 && at < offset) {
    line++;
    at = buf.indexOf(LF, at + 1);
  }
  return line;
}

export interface Line {
  /** The line without its line end, decoded as UTF-8. */
  text: string;
  start: number;
  /** Where the next line starts; `end + 1` when this line ran to `end` without a line end (no next line). */
  next: number;
}

/**
 * The line starting at `pos` inside `[pos, end)`, or undefined when there is none (`pos > end`). Content that
 * ends with a line end has one more, empty, line at `end`; content that does not, has not.
 */
export function readLine(buf: Buffer, pos: number, end: number): Line | undefined {
  if (pos > end) return undefined;
  const lf = pos < end ? buf.indexOf(LF, pos) : -1;
  if (lf === -1 || lf >= end) return { text: buf.toString('utf8', pos, end), start: pos, next: end + 1 };
  const textEnd = lf > pos && buf[lf - 1] === CR ? lf - 1 : lf;
  return { text: buf.toString('utf8', pos, textEnd), start: pos, next: lf + 1 };
}

export interface HeaderBlock {
  /** Header values by lower-cased name; repeated fields are joined with `, ` (RFC 7230 §3.2.2). */
  headers: Map<string, string>;
  /** Where the content after the blank line starts (at most `end`). */
  contentStart: number;
}

/**
 * Reads header fields from `start` up to and including the blank line that ends them. A line that is not a
 * header field, or content that ends before the blank line, is Olingo's "Expected empty line" error.
 */
export function readHeaderBlock(buf: Buffer, start: number, end: number): HeaderBlock {
  const headers = new Map<string, string>();
  let pos = start;
  for (;;) {
    const line = readLine(buf, pos, end);
    if (!line) throw batchErrors.missingBlankLine('', lineNumberAt(buf, end));
    if (line.text === '') return { headers, contentStart: Math.min(line.next, end) };
    const match = HEADER_LINE.exec(line.text);
    if (!match) throw batchErrors.missingBlankLine(line.text, lineNumberAt(buf, line.start));
    const name = match[1]!.toLowerCase();
    const value = match[2]!;
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
    pos = line.next;
  }
}

export interface MediaType {
  /** `type/subtype`, lower-cased. */
  type: string;
  /** Parameters by lower-cased name; quoted values unquoted. */
  params: Map<string, string>;
}

/** Parses a Content-Type value (`type/subtype *( ; name=value )`); undefined when it is not one. */
export function parseMediaType(value: string): MediaType | undefined {
  const head = MEDIA_TYPE.exec(value);
  if (!head) return undefined;
  const params = new Map<string, string>();
  let rest = value.slice(head[0].length);
  while (rest.length > 0) {
    const param = PARAMETER.exec(rest);
    if (!param) return undefined;
    if (param[1] !== undefined) {
      const raw = param[2]!;
      const unquoted = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
      params.set(param[1].toLowerCase(), unquoted);
    }
    rest = rest.slice(param[0].length);
  }
  return { type: head[1]!.toLowerCase(), params };
}

/** Whether `boundary` is a valid RFC 2046 boundary (1–70 `bchars`, not ending in a blank). */
export function isValidBoundary(boundary: string): boolean {
  return BOUNDARY.test(boundary);
}

/** A body part of a multipart entity: the bytes between its delimiter line and the next delimiter's line end. */
export interface BodyPartRange {
  start: number;
  end: number;
}

/**
 * Splits `[start, end)` of `buf` into the body parts of a multipart entity with `boundary`. The preamble
 * (before the first delimiter) and the epilogue (after the close delimiter) are ignored. Throws Olingo's
 * batch errors when there is no delimiter or no close delimiter; a close delimiter right after the
 * preamble gives no parts.
 */
export function splitMultipart(buf: Buffer, boundary: string, start: number, end: number): BodyPartRange[] {
  const dashBoundary = Buffer.from(`--${boundary}`, 'utf8');
  const parts: BodyPartRange[] = [];
  let partStart = -1;
  let search = start;
  for (;;) {
    const at = buf.indexOf(dashBoundary, search);
    if (at === -1 || at + dashBoundary.length > end) break;
    search = at + 1;
    if (at !== start && buf[at - 1] !== LF) continue;

    let p = at + dashBoundary.length;
    const close = p + 1 < end && buf[p] === HYPHEN && buf[p + 1] === HYPHEN;
    if (close) p += 2;
    while (p < end && (buf[p] === SPACE || buf[p] === TAB)) p++;
    let after: number;
    if (p === end) after = end;
    else if (buf[p] === LF) after = p + 1;
    else if (buf[p] === CR && p + 1 < end && buf[p + 1] === LF) after = p + 2;
    else continue; // `--boundary` is only the start of a longer line: not a delimiter

    if (partStart !== -1) {
      let partEnd = at;
      if (partEnd > partStart && buf[partEnd - 1] === LF) {
        partEnd--;
        if (partEnd > partStart && buf[partEnd - 1] === CR) partEnd--;
      }
      parts.push({ start: partStart, end: partEnd });
    }
    if (close) return parts;
    partStart = after;
    search = after;
  }
  if (partStart === -1) {
    const blank = buf.subarray(start, end).toString('latin1').trim() === '';
    throw blank ? batchErrors.missingBoundaryDelimiter(lineNumberAt(buf, start)) : batchErrors.noMatchWithBoundary(boundary, lineNumberAt(buf, start));
  }
  throw batchErrors.missingCloseDelimiter(lineNumberAt(buf, end));
}
