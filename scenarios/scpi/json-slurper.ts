/**
 * JSON as the sample scripts read it with Groovy's `JsonSlurper`: a number keeps its text, because the
 * slurper reads `5.0` as the BigDecimal `5.0` and the script writes it back as `5.0` (spec §4.3: the
 * product score "keeps its decimal text"). `JSON.parse` would make it `5`, and Node 20's `JSON.parse`
 * reviver gets no source text, so numbers are wrapped before parsing: every number token outside a
 * string becomes a marked string, which the reviver turns into a {@link JsonNumber}. Everything else
 * (validation, strings, nesting) is `JSON.parse`'s.
 */

/** A JSON number with the text it was written with. */
export class JsonNumber {
  constructor(readonly text: string) {}

  get value(): number {
    return Number(this.text);
  }

  toString(): string {
    return this.text;
  }
}

export type SlurpedJson = null | boolean | string | JsonNumber | SlurpedJson[] | { [key: string]: SlurpedJson };

const MARK = '\u0000#';
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** @throws SyntaxError for text that is not JSON (JSON.parse's message). */
export function slurpJson(text: string): SlurpedJson {
  return JSON.parse(markNumbers(text), (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(MARK) ? new JsonNumber(value.slice(MARK.length)) : value,
  ) as SlurpedJson;
}

/** `text` with each number token outside strings replaced by a marked JSON string. */
function markNumbers(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      // Not a number after all: leave it for JSON.parse to report.
      if (!match) {
        out += c;
        i += 1;
        continue;
      }
      out += JSON.stringify(MARK + match[0]);
      i += match[0].length;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** The index after the string starting at `start` (an unterminated string runs to the end). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else i += 1;
  }
  return text.length;
}

/** JSON text of a slurped value (Groovy's `JsonOutput.toJson`): numbers written with their own text. */
export function toJsonText(value: SlurpedJson): string {
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
