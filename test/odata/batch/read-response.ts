/**
 * Test helper: reads a `$batch` response body back through the parser's MIME layer (mime.ts), the way a
 * client would — status line, headers and a Content-Length-delimited body per part.
 */
import { parseMediaType, readHeaderBlock, readLine, splitMultipart } from '../../../mock-commerce/odata/batch/mime.js';

export interface ReadResponsePart {
  /** MIME headers of the body part (lower-cased names). */
  mime: Record<string, string>;
  status: number;
  statusText: string;
  /** HTTP headers of the response, lower-cased names. */
  headers: Record<string, string>;
  body: Buffer;
}

export type ReadResponseItem =
  | { kind: 'changeset'; boundary: string; parts: ReadResponsePart[] }
  | { kind: 'response'; part: ReadResponsePart };

function boundaryOf(contentType: string): string {
  const media = parseMediaType(contentType);
  const boundary = media?.params.get('boundary');
  if (media?.type !== 'multipart/mixed' || boundary === undefined) throw new Error(`not multipart/mixed: ${contentType}`);
  return boundary;
}

function readPart(buf: Buffer, start: number, end: number, mime: Map<string, string>): ReadResponsePart {
  if (mime.get('content-type') !== 'application/http') throw new Error(`not application/http: ${mime.get('content-type')}`);
  const statusLine = readLine(buf, start, end)!;
  const match = /^HTTP\/1\.1 (\d{3}) (.+)$/.exec(statusLine.text);
  if (!match) throw new Error(`bad status line: ${statusLine.text}`);
  const { headers, contentStart } = readHeaderBlock(buf, statusLine.next, end);
  const length = headers.get('content-length');
  const body = buf.subarray(contentStart, length === undefined ? end : contentStart + Number(length));
  if (length !== undefined && contentStart + Number(length) !== end) throw new Error('Content-Length does not end the part');
  return { mime: Object.fromEntries(mime), status: Number(match[1]), statusText: match[2]!, headers: Object.fromEntries(headers), body: Buffer.from(body) };
}

export function readBatchResponse(body: Buffer, contentType: string): ReadResponseItem[] {
  const items: ReadResponseItem[] = [];
  for (const range of splitMultipart(body, boundaryOf(contentType), 0, body.length)) {
    const { headers: mime, contentStart } = readHeaderBlock(body, range.start, range.end);
    const type = mime.get('content-type') ?? '';
    if (parseMediaType(type)?.type === 'multipart/mixed') {
      const boundary = boundaryOf(type);
      const parts = splitMultipart(body, boundary, contentStart, range.end).map((inner) => {
        const block = readHeaderBlock(body, inner.start, inner.end);
        return readPart(body, block.contentStart, inner.end, block.headers);
      });
      items.push({ kind: 'changeset', boundary, parts });
    } else {
      items.push({ kind: 'response', part: readPart(body, contentStart, range.end, mime) });
    }
  }
  return items;
}
