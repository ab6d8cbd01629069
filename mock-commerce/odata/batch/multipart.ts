/**
 * The OData V2 `$batch` wire format (spec §6.4): a parser for `multipart/mixed` batch requests and a
 * writer for batch responses, as pure functions. Executing the parts (one transaction per change set) is
 * the request pipeline's business.
 *
 * Request structure, as Olingo 2 (under Commerce) accepts it:
 * - the batch is `multipart/mixed; boundary=…`; each of its body parts is either a change set (a nested
 *   `multipart/mixed` with its own, different boundary, one level deep) or a query operation
 *   (`application/http`);
 * - an operation part has MIME headers (`Content-Type: application/http`, `Content-Transfer-Encoding:
 *   binary` — required inside a change set, optional outside, `binary` when present — and an optional
 *   `Content-ID`), a blank line, then an HTTP request: `METHOD uri HTTP/1.1`, header fields, a blank line
 *   and the body;
 * - change sets hold only POST, PUT, DELETE, MERGE and PATCH; outside change sets only GET is allowed
 *   (OData V2 batch: "change sets MUST NOT contain query operations"; Olingo rejects both the other way
 *   round with a `BatchException`, i.e. the whole request fails with 400 — not a part-level error); a GET
 *   must not carry a body;
 * - a body is the bytes up to the line end before the next delimiter, cut to `Content-Length` when the
 *   part's HTTP headers have one (a Content-Length larger than the part is an error). Parts are found by
 *   their delimiters first, so a body must not contain a delimiter line, Content-Length or not.
 *
 * Any structural error is `ODataRequestError(400, 'odata_error', <Olingo's batch message>)` (messages.ts)
 * for the whole request — the part-level 400 `odata_error` of spec §6.4 is a part whose payload fails when
 * the part is executed, which is the pipeline's business;
 * more operations than `limit` (counted over all change sets and query operations) is
 * `batch_limit_exceeded`, checked once the body parsed.
 */
import { randomUUID } from 'node:crypto';
import { batchErrors, DEFAULT_BATCH_LIMIT } from './messages.js';
import { isValidBoundary, lineNumberAt, parseMediaType, readHeaderBlock, readLine, splitMultipart, type BodyPartRange } from './mime.js';
import { reasonPhrase } from './reason-phrases.js';

export { DEFAULT_BATCH_LIMIT } from './messages.js';

export interface BatchRequestPart {
  method: string;
  /** The request URI as written in the request line: relative (`Products`) or absolute. */
  url: string;
  /** The part's HTTP request headers (not its MIME headers), names lower-cased. */
  headers: Record<string, string>;
  /** Exact body bytes; empty for GET. */
  body: Buffer;
  /** The part's MIME `Content-ID`, else a `Content-ID` header of the HTTP request. */
  contentId?: string;
}

export type BatchItem = { kind: 'changeset'; parts: BatchRequestPart[] } | { kind: 'request'; part: BatchRequestPart };

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'MERGE', 'PATCH']);
const REQUEST_LINE = /^(\S+)[ \t]+(\S+)[ \t]+(\S+)$/;

/** The boundary of a `multipart/mixed` Content-Type value; `line` words the errors. */
function boundaryOf(contentType: string | undefined, line: () => number): string {
  const media = contentType === undefined ? undefined : parseMediaType(contentType);
  if (!media || media.type !== 'multipart/mixed') throw batchErrors.contentType('multipart/mixed');
  const boundary = media.params.get('boundary');
  if (boundary === undefined) throw batchErrors.missingBoundaryParameter();
  if (!isValidBoundary(boundary)) throw batchErrors.invalidBoundary(line());
  return boundary;
}

function validateTransferEncoding(mime: Map<string, string>, required: boolean): void {
  const encoding = mime.get('content-transfer-encoding');
  if (encoding === undefined ? required : encoding.toLowerCase() !== 'binary') throw batchErrors.contentTransferEncoding();
}

/** The HTTP request of an `application/http` part, from where its MIME headers ended. */
function parseHttpRequest(buf: Buffer, start: number, end: number, inChangeSet: boolean, mime: Map<string, string>): BatchRequestPart {
  const requestLine = readLine(buf, start, end)!;
  const lineNo = (): number => lineNumberAt(buf, start);
  const match = REQUEST_LINE.exec(requestLine.text.trim());
  if (!match) throw batchErrors.invalidRequestLine(requestLine.text, lineNo());
  const method = match[1]!;
  const url = match[2]!;
  const version = match[3]!;
  if (!METHODS.has(method)) throw batchErrors.missingMethod(requestLine.text);
  if (version !== 'HTTP/1.1') throw batchErrors.invalidRequestLine(requestLine.text, lineNo());
  if (inChangeSet && method === 'GET') throw batchErrors.changeSetMethod(lineNo());
  if (!inChangeSet && method !== 'GET') throw batchErrors.queryOperationMethod(lineNo());

  const { headers, contentStart } = readHeaderBlock(buf, requestLine.next, end);
  let body = buf.subarray(contentStart, end);
  if (method === 'GET') {
    if (body.toString('latin1').trim() !== '') throw batchErrors.invalidRequestLine(requestLine.text, lineNo());
    body = Buffer.alloc(0);
  } else {
    const contentLength = headers.get('content-length');
    if (contentLength !== undefined) {
      if (!/^\d+$/.test(contentLength)) throw batchErrors.invalidHeader(`Content-Length: ${contentLength}`, lineNo());
      const length = Number(contentLength);
      if (length > body.length) throw batchErrors.truncatedBody(lineNumberAt(buf, contentStart));
      body = body.subarray(0, length);
    }
  }

  const part: BatchRequestPart = { method, url, headers: Object.fromEntries(headers), body: Buffer.from(body) };
  const contentId = mime.get('content-id') ?? headers.get('content-id');
  if (contentId !== undefined) part.contentId = contentId;
  return part;
}

/** An `application/http` body part: MIME headers, blank line, HTTP request. */
function parseOperation(buf: Buffer, range: BodyPartRange, inChangeSet: boolean): BatchRequestPart {
  const { headers: mime, contentStart } = readHeaderBlock(buf, range.start, range.end);
  const contentType = mime.get('content-type');
  if (contentType === undefined) throw batchErrors.missingContentType();
  if (parseMediaType(contentType)?.type !== 'application/http') throw batchErrors.contentType('application/http');
  validateTransferEncoding(mime, inChangeSet);
  return parseHttpRequest(buf, contentStart, range.end, inChangeSet, mime);
}

/**
 * Parses a `$batch` request body. `contentType` is the request's Content-Type header; `limit` the
 * `odata2services.batch.limit` (default 200). Throws `ODataRequestError` (400 `odata_error` for a malformed
 * body, 400 `batch_limit_exceeded` for too many operations).
 */
export function parseBatch(body: Buffer, contentType: string | undefined, limit: number = DEFAULT_BATCH_LIMIT): BatchItem[] {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`Invalid batch limit: ${limit}`);
  const boundary = boundaryOf(contentType, () => 1);
  const items: BatchItem[] = [];
  let operations = 0;
  for (const range of splitMultipart(body, boundary, 0, body.length)) {
    const { headers: mime, contentStart } = readHeaderBlock(body, range.start, range.end);
    const partType = mime.get('content-type');
    if (partType === undefined) throw batchErrors.missingContentType();
    const media = parseMediaType(partType)?.type;
    if (media === 'multipart/mixed') {
      validateTransferEncoding(mime, false);
      const line = (): number => lineNumberAt(body, range.start);
      const changeSetBoundary = boundaryOf(partType, line);
      if (changeSetBoundary === boundary) throw batchErrors.changeSetBoundary(line());
      const parts = splitMultipart(body, changeSetBoundary, contentStart, range.end).map((r) => parseOperation(body, r, true));
      items.push({ kind: 'changeset', parts });
      operations += parts.length;
    } else if (media === 'application/http') {
      validateTransferEncoding(mime, false);
      items.push({ kind: 'request', part: parseHttpRequest(body, contentStart, range.end, false, mime) });
      operations++;
    } else {
      throw batchErrors.contentType('multipart/mixed or application/http');
    }
  }
  if (operations > limit) throw batchErrors.limitExceeded(limit);
  return items;
}

export interface BatchResponsePart {
  status: number;
  /** Reason phrase; the standard one for `status` when absent. */
  statusText?: string;
  /** Written in the given order and spelling; a Content-Length among them is replaced by the body's. */
  headers: Record<string, string>;
  body: string | Buffer;
  /** Echoed as the part's MIME `Content-Id`. */
  contentId?: string;
}

/**
 * One item per request item, in request order. Olingo answers a change set whose part failed (rolled back)
 * with just the failing response written as a plain part (`changeSet(false)`), not as a nested change set:
 * use `{ kind: 'response' }` for it.
 */
export type BatchResponseItem = { kind: 'changeset'; parts: BatchResponsePart[] } | { kind: 'response'; part: BatchResponsePart };

const CRLF = '\r\n';
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** `multipart/mixed; boundary=…`, the boundary quoted when it is not a token. */
function multipartMixed(boundary: string): string {
  return `multipart/mixed; boundary=${TOKEN.test(boundary) ? boundary : `"${boundary}"`}`;
}

/** Header values cannot span lines: a CR or LF in one is written as a blank. */
function headerValue(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

/** An `application/http` body part of a response, as Olingo's BatchResponseWriter writes it. */
function responsePart(part: BatchResponsePart, out: Buffer[]): void {
  let head = `Content-Type: application/http${CRLF}Content-Transfer-Encoding: binary${CRLF}`;
  if (part.contentId !== undefined) head += `Content-Id: ${headerValue(part.contentId)}${CRLF}`;
  head += CRLF;
  head += `HTTP/1.1 ${part.status} ${headerValue(part.statusText ?? reasonPhrase(part.status))}${CRLF}`;
  for (const [name, value] of Object.entries(part.headers)) {
    if (name.toLowerCase() !== 'content-length') head += `${name}: ${headerValue(value)}${CRLF}`;
  }
  if (part.status === 204) {
    // Olingo writes neither a Content-Length nor a body for 204 No Content.
    out.push(Buffer.from(`${head}${CRLF}${CRLF}`, 'utf8'));
    return;
  }
  const body = typeof part.body === 'string' ? Buffer.from(part.body, 'utf8') : part.body;
  out.push(Buffer.from(`${head}Content-Length: ${body.length}${CRLF}${CRLF}`, 'utf8'), body, Buffer.from(CRLF, 'latin1'));
}

/**
 * Writes a `$batch` response body (Olingo's layout): every item opened by `--boundary`, change sets as a
 * nested `multipart/mixed` with their own `changeset_<uuid>` boundary, CRLF line ends, the body closed by
 * `--boundary--` (no line end after it). `boundary` defaults to `batch_<uuid>`; `changeSetBoundary` is for
 * tests that need fixed bytes.
 */
export function writeBatchResponse(
  items: BatchResponseItem[],
  boundary: string = `batch_${randomUUID()}`,
  changeSetBoundary: () => string = () => `changeset_${randomUUID()}`,
): { contentType: string; body: Buffer } {
  if (!isValidBoundary(boundary)) throw new RangeError(`Invalid multipart boundary: '${boundary}'`);
  const out: Buffer[] = [];
  for (const item of items) {
    out.push(Buffer.from(`--${boundary}${CRLF}`, 'utf8'));
    if (item.kind === 'response') {
      responsePart(item.part, out);
      continue;
    }
    const inner = changeSetBoundary();
    if (!isValidBoundary(inner) || inner === boundary) throw new RangeError(`Invalid change set boundary: '${inner}'`);
    out.push(Buffer.from(`Content-Type: ${multipartMixed(inner)}${CRLF}${CRLF}`, 'utf8'));
    for (const part of item.parts) {
      out.push(Buffer.from(`--${inner}${CRLF}`, 'utf8'));
      responsePart(part, out);
    }
    out.push(Buffer.from(`--${inner}--${CRLF}`, 'utf8'));
  }
  out.push(Buffer.from(`--${boundary}--`, 'utf8'));
  return { contentType: multipartMixed(boundary), body: Buffer.concat(out) };
}
