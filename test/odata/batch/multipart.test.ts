// The $batch wire format (mock-commerce/odata/batch/multipart.ts): parsing multipart/mixed batch requests
// and writing batch responses. Expectations follow spec §6.4 (request and response examples, limit,
// malformed multipart) and the help vectors V-BATCH-01..03, B-120..B-124; error texts are Olingo 2's batch
// parser messages.
import { describe, expect, it } from 'vitest';
import {
  parseBatch,
  writeBatchResponse,
  type BatchItem,
  type BatchRequestPart,
  type BatchResponseItem,
} from '../../../mock-commerce/odata/batch/multipart.js';
import { ODataRequestError } from '../../../mock-commerce/odata/odata-error.js';
import { readBatchResponse } from './read-response.js';

const CRLF = '\r\n';
const lines = (...l: string[]): string => l.join(CRLF);

/** Parses `text` with Content-Type `contentType` (null: no Content-Type header). */
function parse(text: string | Buffer, contentType: string | null = 'multipart/mixed; boundary=batch', limit?: number): BatchItem[] {
  return parseBatch(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, contentType ?? undefined, limit);
}

function failure(run: () => unknown): { status: number; code: string | null; message: string } {
  try {
    run();
  } catch (e) {
    if (e instanceof ODataRequestError) return { status: e.status, code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected an ODataRequestError');
}

function changeSet(item: BatchItem | undefined): BatchRequestPart[] {
  if (item?.kind !== 'changeset') throw new Error(`expected a change set, got ${item?.kind}`);
  return item.parts;
}

function request(item: BatchItem | undefined): BatchRequestPart {
  if (item?.kind !== 'request') throw new Error(`expected a query operation, got ${item?.kind}`);
  return item.part;
}

/** An application/http part with the usual MIME headers. */
function operation(requestLine: string, headers: string[], body?: string, contentId?: string): string {
  return lines(
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    ...(contentId !== undefined ? [`Content-ID: ${contentId}`] : []),
    '',
    requestLine,
    ...headers,
    '',
    ...(body !== undefined ? [body] : []),
  );
}

const PRODUCT = '{"code":"p1","catalogVersion":{"version":"Staged","catalog":{"id":"Default"}}}';

/** The request of spec §6.4 (CRLF line ends). */
const SPEC_REQUEST = lines(
  '--batch-boundary',
  'Content-Type: multipart/mixed; boundary=changeSet-boundary',
  '',
  '--changeSet-boundary',
  'Content-Type: application/http',
  'Content-Transfer-Encoding: binary',
  'Content-ID: 1',
  '',
  'POST Products HTTP/1.1',
  'Content-Type: application/json',
  'Accept: application/json',
  'Content-Language: en',
  '',
  PRODUCT,
  '--changeSet-boundary--',
  '--batch-boundary--',
  '',
);

describe('parseBatch: structure', () => {
  it('parses the spec §6.4 request exactly', () => {
    const items = parse(SPEC_REQUEST, 'multipart/mixed; boundary=batch-boundary');
    expect(items).toHaveLength(1);
    const parts = changeSet(items[0]);
    expect(parts).toHaveLength(1);
    const part = parts[0]!;
    expect(part.method).toBe('POST');
    expect(part.url).toBe('Products');
    expect(part.contentId).toBe('1');
    expect(part.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json', 'content-language': 'en' });
    expect(part.body.equals(Buffer.from(PRODUCT, 'utf8'))).toBe(true);
    expect(JSON.parse(part.body.toString('utf8'))).toEqual({ code: 'p1', catalogVersion: { version: 'Staged', catalog: { id: 'Default' } } });
  });

  it('parses two change sets of two POSTs each and a GET outside them, in order (V-BATCH-01, B-124)', () => {
    const category = (n: number) => `{ "code": "category-${n}", "name": "Category ${n}" }`;
    const body = lines(
      '--batch',
      'Content-Type: multipart/mixed; boundary=changeset',
      '',
      '--changeset',
      operation('POST Categories HTTP/1.1', ['Accept: application/json', 'Content-Type: application/json', 'Content-Language: en'], category(21)),
      '--changeset',
      operation('POST Categories HTTP/1.1', ['Accept: application/json', 'Content-Type: application/json', 'Content-Language: en'], category(22)),
      '--changeset--',
      '--batch',
      'Content-Type: multipart/mixed; boundary=changeset_43f93393-1ab6-41fb-bed8-c4eb68ff683d',
      '',
      '--changeset_43f93393-1ab6-41fb-bed8-c4eb68ff683d',
      operation('POST /odata2webservices/InboundCategories/Categories HTTP/1.1', ['Content-Type: application/json', 'Content-Language: de', 'Pre-Persist-Hook: sampleQaPrePersistHook'], category(23), 'a'),
      '--changeset_43f93393-1ab6-41fb-bed8-c4eb68ff683d',
      operation('DELETE Categories(\'category-24\') HTTP/1.1', [], undefined, 'b'),
      '--changeset_43f93393-1ab6-41fb-bed8-c4eb68ff683d--',
      '--batch',
      operation("GET Categories('category-21')?$expand=supercategories&$format=json HTTP/1.1", ['Accept: application/json']),
      '--batch--',
    );
    const items = parse(body);
    expect(items.map((i) => i.kind)).toEqual(['changeset', 'changeset', 'request']);

    const first = changeSet(items[0]);
    expect(first.map((p) => [p.method, p.url, p.body.toString()])).toEqual([
      ['POST', 'Categories', category(21)],
      ['POST', 'Categories', category(22)],
    ]);
    expect(first[0]!.contentId).toBeUndefined();
    expect(first[1]!.headers['content-language']).toBe('en');

    const second = changeSet(items[1]);
    expect(second.map((p) => [p.method, p.url, p.contentId, p.body.toString()])).toEqual([
      ['POST', '/odata2webservices/InboundCategories/Categories', 'a', category(23)],
      ['DELETE', "Categories('category-24')", 'b', ''],
    ]);
    expect(second[0]!.headers).toEqual({ 'content-type': 'application/json', 'content-language': 'de', 'pre-persist-hook': 'sampleQaPrePersistHook' });

    const get = request(items[2]);
    expect(get).toEqual({
      method: 'GET',
      url: "Categories('category-21')?$expand=supercategories&$format=json",
      headers: { accept: 'application/json' },
      body: Buffer.alloc(0),
    });
  });

  it('accepts bare LF line ends throughout', () => {
    const lf = SPEC_REQUEST.replace(/\r\n/g, '\n');
    expect(lf.includes('\r')).toBe(false);
    const part = changeSet(parse(lf, 'multipart/mixed; boundary=batch-boundary')[0])[0]!;
    expect(part.method).toBe('POST');
    expect(part.headers['content-language']).toBe('en');
    expect(part.body.toString('utf8')).toBe(PRODUCT);
  });

  it('accepts a mix of CRLF and LF, and keeps a lone CR inside a line', () => {
    const body = ['--batch\r\n', 'Content-Type: application/http\n', '\r\n', 'GET Products HTTP/1.1\n', 'X-Odd: a\rb\r\n', '\n', '--batch--'].join('');
    expect(request(parse(body)[0]).headers['x-odd']).toBe('a\rb');
  });

  it('takes the boundary quoted or not, among other parameters, case-insensitively', () => {
    const body = SPEC_REQUEST.replaceAll('batch-boundary', 'b:=?(1), x');
    expect(changeSet(parse(body, 'Multipart/Mixed ; charset=utf-8; BOUNDARY="b:=?(1), x"')[0])).toHaveLength(1);
    expect(changeSet(parse(SPEC_REQUEST, 'multipart/mixed;boundary="batch-boundary"')[0])).toHaveLength(1);
    const quotedChangeSet = SPEC_REQUEST.replace('boundary=changeSet-boundary', 'boundary="changeSet-boundary"');
    expect(changeSet(parse(quotedChangeSet, 'multipart/mixed; boundary=batch-boundary')[0])).toHaveLength(1);
  });

  it('ignores preamble, epilogue and transport padding after delimiters', () => {
    const body = lines(
      'This is a preamble.',
      '--batch-not-this-one',
      '--batch   ',
      operation('GET Products HTTP/1.1', []),
      '--batch--\t ',
      'epilogue --batch',
      '--batch',
      'garbage after the close delimiter',
    );
    const items = parse(body);
    expect(items).toHaveLength(1);
    expect(request(items[0]).url).toBe('Products');
  });

  it('does not take a longer line starting with --boundary for a delimiter', () => {
    const body = lines('--batch', operation('POST Products HTTP/1.1', []), '--batchX', '--batch--');
    const text = lines('--batch', 'Content-Type: multipart/mixed; boundary=cs', '', '--cs', operation('POST Products HTTP/1.1', [], '--batchX\r\n--cs-not'), '--cs--', '--batch--');
    expect(failure(() => parse(body)).message).toMatch(/Query Operation/);
    expect(changeSet(parse(text)[0])[0]!.body.toString()).toBe('--batchX\r\n--cs-not');
  });

  it('falls back to the Content-ID header of the HTTP request and keeps it among the headers', () => {
    const body = lines('--batch', 'Content-Type: multipart/mixed; boundary=cs', '', '--cs', operation('POST Products HTTP/1.1', ['Content-ID: inner'], '{}'), '--cs--', '--batch--');
    const part = changeSet(parse(body)[0])[0]!;
    expect(part.contentId).toBe('inner');
    expect(part.headers['content-id']).toBe('inner');
  });

  it('lower-cases header names and joins repeated headers', () => {
    const body = lines('--batch', operation('GET Products HTTP/1.1', ['ACCEPT: application/json', 'X-Multi: a', 'x-multi:b']), '--batch--');
    expect(request(parse(body)[0]).headers).toEqual({ accept: 'application/json', 'x-multi': 'a, b' });
  });

  it('accepts an empty batch and an empty change set', () => {
    expect(parse('--batch--')).toEqual([]);
    expect(parse(lines('--batch', 'Content-Type: multipart/mixed; boundary=cs', '', '--cs--', '--batch--'))).toEqual([{ kind: 'changeset', parts: [] }]);
  });

  it('accepts all change set methods and MERGE/PUT/PATCH bodies', () => {
    const methods = ['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE'];
    const body = lines(
      '--batch',
      'Content-Type: multipart/mixed; boundary=cs',
      '',
      ...methods.flatMap((m) => ['--cs', operation(`${m} Products('x') HTTP/1.1`, [], m === 'DELETE' ? undefined : `{"m":"${m}"}`)]),
      '--cs--',
      '--batch--',
    );
    expect(changeSet(parse(body)[0]).map((p) => [p.method, p.body.toString()])).toEqual(
      methods.map((m) => [m, m === 'DELETE' ? '' : `{"m":"${m}"}`]),
    );
  });
});

describe('parseBatch: bodies are exact bytes', () => {
  const binary = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x0d, 0x0a, 0x2d, 0x2d, 0xc3, 0x28, 0x0a, 0x0d]);

  function withBody(headers: string[], body: Buffer, tail = CRLF): Buffer {
    const head = lines('--batch', 'Content-Type: multipart/mixed; boundary=cs', '', '--cs', operation('POST Media HTTP/1.1', headers), '');
    return Buffer.concat([Buffer.from(head, 'utf8'), body, Buffer.from(`${tail}--cs--${CRLF}--batch--${CRLF}`, 'utf8')]);
  }

  it('honours Content-Length with non-UTF-8 bytes, CR and LF in the body', () => {
    const part = changeSet(parseBatch(withBody([`Content-Length: ${binary.length}`, 'Content-Type: application/octet-stream'], binary), 'multipart/mixed; boundary=batch')[0])[0]!;
    expect(part.body.equals(binary)).toBe(true);
  });

  it('cuts the body to Content-Length, ignoring what follows up to the delimiter', () => {
    const padded = Buffer.concat([binary, Buffer.from('\r\n\r\n  ', 'latin1')]);
    const part = changeSet(parseBatch(withBody([`Content-Length: ${binary.length}`], padded), 'multipart/mixed; boundary=batch')[0])[0]!;
    expect(part.body.equals(binary)).toBe(true);
  });

  it('without Content-Length takes the bytes up to the line end before the delimiter', () => {
    const part = changeSet(parseBatch(withBody([], binary), 'multipart/mixed; boundary=batch')[0])[0]!;
    expect(part.body.equals(binary)).toBe(true);
    // With a bare LF before the delimiter, a body's own final CR cannot be told from a CRLF line end.
    const noFinalCr = binary.subarray(0, -1);
    const lfOnly = changeSet(parseBatch(withBody([], noFinalCr, '\n'), 'multipart/mixed; boundary=batch')[0])[0]!;
    expect(lfOnly.body.equals(noFinalCr)).toBe(true);
  });

  it('counts Content-Length in bytes, not characters', () => {
    const text = '{"name":"Name des Testproduktes äöü €"}';
    const bytes = Buffer.from(text, 'utf8');
    expect(bytes.length).toBeGreaterThan(text.length);
    const part = changeSet(parseBatch(withBody([`Content-Length: ${bytes.length}`], bytes), 'multipart/mixed; boundary=batch')[0])[0]!;
    expect(part.body.toString('utf8')).toBe(text);
  });

  it('returns bodies that do not share memory with the request buffer', () => {
    const input = withBody([], Buffer.from('abc'));
    const part = changeSet(parseBatch(input, 'multipart/mixed; boundary=batch')[0])[0]!;
    input.fill(0);
    expect(part.body.toString()).toBe('abc');
  });
});

describe('parseBatch: malformed requests are 400 odata_error', () => {
  const cs = (...parts: string[]) => lines('--batch', 'Content-Type: multipart/mixed; boundary=cs', '', ...parts.flatMap((p) => ['--cs', p]), '--cs--', '--batch--');
  const post = operation('POST Products HTTP/1.1', ['Content-Type: application/json'], '{}');

  /** [case, body, Content-Type (undefined: `boundary=batch`, null: none), message] */
  const cases: Array<[string, string | Buffer, string | null | undefined, string]> = [
    ['no Content-Type', SPEC_REQUEST, null, "Content-Type should be 'multipart/mixed'."],
    ['a JSON Content-Type', SPEC_REQUEST, 'application/json', "Content-Type should be 'multipart/mixed'."],
    ['multipart/form-data', SPEC_REQUEST, 'multipart/form-data; boundary=batch-boundary', "Content-Type should be 'multipart/mixed'."],
    ['an unparsable Content-Type', SPEC_REQUEST, 'multipart/mixed; boundary=a b', "Content-Type should be 'multipart/mixed'."],
    ['no boundary parameter', SPEC_REQUEST, 'multipart/mixed', 'The Content-Type field for multipart entities requires boundary parameter.'],
    ['an empty boundary', SPEC_REQUEST, 'multipart/mixed; boundary=', "Invalid boundary at line '1'."],
    ['a boundary over 70 characters', SPEC_REQUEST, `multipart/mixed; boundary=${'b'.repeat(71)}`, "Invalid boundary at line '1'."],
    ['a boundary ending in a blank', SPEC_REQUEST, 'multipart/mixed; boundary="batch "', "Invalid boundary at line '1'."],
    ['a boundary the body does not use', SPEC_REQUEST, 'multipart/mixed; boundary=other', "The boundary string does not match the boundary from the Content-Type header field 'other': line '1'."],
    ['an empty body', '', 'multipart/mixed; boundary=batch', "Missing boundary delimiter at line '1'."],
    ['no close delimiter', lines('--batch', operation('GET Products HTTP/1.1', [])), undefined, "Missing close delimiter at line '6'."],
    ['no close delimiter of the change set', lines('--batch', 'Content-Type: multipart/mixed; boundary=cs', '', '--cs', post, '--batch--'), undefined, "Missing close delimiter at line '11'."],
    ['a change set without delimiters', lines('--batch', 'Content-Type: multipart/mixed; boundary=cs', '', 'POST Products HTTP/1.1', '--batch--'), undefined, "The boundary string does not match the boundary from the Content-Type header field 'cs': line '4'."],
    ['a change set without boundary', lines('--batch', 'Content-Type: multipart/mixed', '', '--batch--'), undefined, 'The Content-Type field for multipart entities requires boundary parameter.'],
    ['a change set with the batch boundary', lines('--batch', 'Content-Type: multipart/mixed; boundary=batch', '', '--batch--'), undefined, "The boundary of the ChangeSet should be different from that used by the Batch: line '2'."],
    ['a part without Content-Type', lines('--batch', 'Content-Transfer-Encoding: binary', '', 'GET Products HTTP/1.1', '', '--batch--'), undefined, 'No Content-Type field for MIME-header is present.'],
    ['an empty part', lines('--batch', '--batch--'), undefined, 'No Content-Type field for MIME-header is present.'],
    ['a part of another type', lines('--batch', 'Content-Type: text/plain', '', 'GET Products HTTP/1.1', '', '--batch--'), undefined, "Content-Type should be 'multipart/mixed or application/http'."],
    ['a change set inside a change set', cs(lines('Content-Type: multipart/mixed; boundary=inner', '', '--inner', post, '--inner--')), undefined, "Content-Type should be 'application/http'."],
    ['no Content-Transfer-Encoding in a change set', cs(lines('Content-Type: application/http', '', 'POST Products HTTP/1.1', '', '{}')), undefined, 'The Content-Transfer-Encoding should be binary.'],
    ['a base64 Content-Transfer-Encoding', lines('--batch', 'Content-Type: application/http', 'Content-Transfer-Encoding: base64', '', 'GET Products HTTP/1.1', '', '--batch--'), undefined, 'The Content-Transfer-Encoding should be binary.'],
    ['no blank line after the MIME headers', cs(lines('Content-Type: application/http', 'Content-Transfer-Encoding: binary', 'POST Products HTTP/1.1', '', '{}')), undefined, "Expected empty line but was 'POST Products HTTP/1.1': line '7'  ."],
    ['MIME headers ending the part', lines('--batch', 'Content-Type: application/http', '--batch--'), undefined, "Expected empty line but was '': line '2'  ."],
    ['no request line', cs(lines('Content-Type: application/http', 'Content-Transfer-Encoding: binary', '', '')), undefined, "Invalid request line '' at line '8'."],
    ['a blank line before the request line', cs(lines('Content-Type: application/http', 'Content-Transfer-Encoding: binary', '', '', 'POST Products HTTP/1.1', '', '{}')), undefined, "Invalid request line '' at line '8'."],
    ['a request line without version', cs(operation('POST Products', [], '{}')), undefined, "Invalid request line 'POST Products' at line '8'."],
    ['a request line with a blank in the URI', cs(operation('POST Pro ducts HTTP/1.1', [], '{}')), undefined, "Invalid request line 'POST Pro ducts HTTP/1.1' at line '8'."],
    ['HTTP/1.0', cs(operation('POST Products HTTP/1.0', [], '{}')), undefined, "Invalid request line 'POST Products HTTP/1.0' at line '8'."],
    ['HTTP/2', cs(operation('POST Products HTTP/2', [], '{}')), undefined, "Invalid request line 'POST Products HTTP/2' at line '8'."],
    ['an unknown method', cs(operation('FETCH Products HTTP/1.1', [], '{}')), undefined, "Missing method in request line 'FETCH Products HTTP/1.1'."],
    ['a lower-case method', cs(operation('post Products HTTP/1.1', [], '{}')), undefined, "Missing method in request line 'post Products HTTP/1.1'."],
    ['a GET inside a change set', cs(operation('GET Products HTTP/1.1', [])), undefined, "Invalid method: a ChangeSet cannot contain retrieve requests at line '8'."],
    ['a POST outside a change set', lines('--batch', post, '--batch--'), undefined, "Invalid method: a Query Operation cannot contain insert, update or delete requests at line '5'."],
    ['a GET with a body', lines('--batch', operation('GET Products HTTP/1.1', [], '{"a":1}'), '--batch--'), undefined, "Invalid request line 'GET Products HTTP/1.1' at line '5'."],
    ['no blank line after the request headers', cs(lines('Content-Type: application/http', 'Content-Transfer-Encoding: binary', '', 'POST Products HTTP/1.1', 'Content-Type: application/json', '{"code":"p1"}')), undefined, `Expected empty line but was '{"code":"p1"}': line '10'  .`],
    ['a request line ending the part', lines('--batch', 'Content-Type: application/http', '', 'GET Products HTTP/1.1', '--batch--'), undefined, "Expected empty line but was '': line '4'  ."],
    ['a non-numeric Content-Length', cs(operation('POST Products HTTP/1.1', ['Content-Length: abc'], '{}')), undefined, "Invalid header: 'Content-Length: abc' at line '8'."],
    ['a negative Content-Length', cs(operation('POST Products HTTP/1.1', ['Content-Length: -1'], '{}')), undefined, "Invalid header: 'Content-Length: -1' at line '8'."],
    ['a Content-Length beyond the part', cs(operation('POST Products HTTP/1.1', ['Content-Length: 3'], '{}')), undefined, "Body is truncated: line '11'."],
  ];

  it.each(cases)('%s', (_name, body, contentType, message) => {
    const error = failure(() => parse(body, contentType));
    expect(error).toEqual({ status: 400, code: 'odata_error', message });
  });

  it('reports the same errors for LF-only input', () => {
    const body = cs(operation('GET Products HTTP/1.1', [])).replace(/\r\n/g, '\n');
    expect(failure(() => parse(body))).toEqual({ status: 400, code: 'odata_error', message: "Invalid method: a ChangeSet cannot contain retrieve requests at line '8'." });
  });
});

describe('parseBatch: odata2services.batch.limit', () => {
  /** `changeSets` change sets of `perSet` POSTs each. */
  function batchOf(changeSets: number, perSet: number, extraGets = 0): string {
    const out: string[] = [];
    for (let c = 0; c < changeSets; c++) {
      out.push('--batch', `Content-Type: multipart/mixed; boundary=cs${c}`, '');
      for (let p = 0; p < perSet; p++) out.push(`--cs${c}`, operation('POST Products HTTP/1.1', ['Content-Type: application/json'], `{"code":"p${c}-${p}"}`, String(p)));
      out.push(`--cs${c}--`);
    }
    for (let g = 0; g < extraGets; g++) out.push('--batch', operation(`GET Products('p${g}') HTTP/1.1`, []));
    out.push('--batch--');
    return lines(...out);
  }
  const message = (limit: number) =>
    `The number of integration objects sent in the request has exceeded the 'odata2services.batch.limit' setting currently set to ${limit}`;

  it('accepts 200 operations by default', () => {
    expect(parse(batchOf(200, 1))).toHaveLength(200);
    expect(parse(batchOf(2, 100))).toHaveLength(2);
    expect(parse(batchOf(1, 199, 1))).toHaveLength(2);
  });

  it('rejects 201 operations, counted over change sets and query operations', () => {
    for (const body of [batchOf(201, 1), batchOf(1, 201), batchOf(2, 100, 1)]) {
      expect(failure(() => parse(body))).toEqual({ status: 400, code: 'batch_limit_exceeded', message: message(200) });
    }
  });

  it('takes a custom limit and names it in the message', () => {
    expect(parse(batchOf(2, 2, 1), undefined, 5)).toHaveLength(3);
    expect(failure(() => parse(batchOf(2, 2, 2), undefined, 5))).toEqual({ status: 400, code: 'batch_limit_exceeded', message: message(5) });
    expect(failure(() => parse(batchOf(1, 1), undefined, 0)).message).toBe(message(0));
  });

  it('reports a malformed body before the limit', () => {
    expect(failure(() => parse(`${batchOf(201, 1)}`.replace('--batch--', ''))).code).toBe('odata_error');
  });
});

describe('parseBatch: large batches', () => {
  it('parses 200 parts of 20 kB in well under a second', () => {
    const payload = `{"code":"p","description":"${'x'.repeat(20_000 - 30)}"}`;
    const out: string[] = ['--batch', 'Content-Type: multipart/mixed; boundary=changeset_0f1e2d3c', ''];
    for (let i = 0; i < 200; i++) out.push('--changeset_0f1e2d3c', operation('POST Products HTTP/1.1', ['Content-Type: application/json', `Content-Length: ${payload.length}`], payload, String(i)));
    out.push('--changeset_0f1e2d3c--', '--batch--');
    const body = Buffer.from(lines(...out), 'utf8');
    expect(body.length).toBeGreaterThan(4_000_000);

    const started = performance.now();
    const items = parseBatch(body, 'multipart/mixed; boundary=batch');
    const elapsed = performance.now() - started;

    const parts = changeSet(items[0]);
    expect(parts).toHaveLength(200);
    expect(parts.every((p) => p.body.length === payload.length)).toBe(true);
    expect(parts[199]!.contentId).toBe('199');
    expect(elapsed).toBeLessThan(500);
  });
});

describe('writeBatchResponse', () => {
  it('writes the spec §6.4 response shape byte for byte', () => {
    const entry = `{"d":{"__metadata":{"type":"HybrisCommerceOData.Product"},"code":"p1","pad":"${'x'.repeat(784 - 80)}"}}`;
    expect(Buffer.byteLength(entry)).toBe(784);
    const location = "https://host/odata2webservices/InboundProduct/Products('Staged%7CDefault%7Cp1')";
    const { contentType, body } = writeBatchResponse(
      [
        {
          kind: 'changeset',
          parts: [{ status: 201, headers: { DataServiceVersion: '2.0', Location: location, 'Content-Type': 'application/json' }, body: entry }],
        },
      ],
      'batch_123',
      () => 'changeset_abc',
    );
    expect(contentType).toBe('multipart/mixed; boundary=batch_123');
    expect(body.toString('utf8')).toBe(
      lines(
        '--batch_123',
        'Content-Type: multipart/mixed; boundary=changeset_abc',
        '',
        '--changeset_abc',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        '',
        'HTTP/1.1 201 Created',
        'DataServiceVersion: 2.0',
        `Location: ${location}`,
        'Content-Type: application/json',
        'Content-Length: 784',
        '',
        entry,
        '--changeset_abc--',
        '--batch_123--',
      ),
    );
  });

  it('generates batch_<uuid> and changeset_<uuid> boundaries', () => {
    const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
    const items: BatchResponseItem[] = [
      { kind: 'changeset', parts: [{ status: 201, headers: {}, body: '{}' }] },
      { kind: 'changeset', parts: [{ status: 201, headers: {}, body: '{}' }] },
    ];
    const first = writeBatchResponse(items);
    const second = writeBatchResponse(items);
    expect(first.contentType).toMatch(new RegExp(`^multipart/mixed; boundary=batch_${uuid}$`));
    expect(first.contentType).not.toBe(second.contentType);
    const changeSets = [...first.body.toString().matchAll(new RegExp(`boundary=(changeset_${uuid})\\r\\n`, 'g'))].map((m) => m[1]);
    expect(changeSets).toHaveLength(2);
    expect(new Set(changeSets).size).toBe(2);
  });

  it('writes standard reason phrases, Content-Id, error parts outside change sets, 204 without body', () => {
    const error = JSON.stringify({ error: { code: 'missing_key', message: { lang: 'en', value: 'Key [code] is required.' } } });
    const { body } = writeBatchResponse(
      [
        { kind: 'response', part: { status: 400, headers: { 'Content-Type': 'application/json' }, body: error, contentId: '7' } },
        { kind: 'response', part: { status: 404, headers: {}, body: '' } },
        { kind: 'response', part: { status: 500, statusText: 'Internal Error', headers: {}, body: 'x' } },
        { kind: 'changeset', parts: [{ status: 204, headers: { DataServiceVersion: '1.0' }, body: '' }] },
      ],
      'b',
      () => 'c',
    );
    expect(body.toString()).toBe(
      lines(
        '--b',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        'Content-Id: 7',
        '',
        'HTTP/1.1 400 Bad Request',
        'Content-Type: application/json',
        `Content-Length: ${error.length}`,
        '',
        error,
        '--b',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        '',
        'HTTP/1.1 404 Not Found',
        'Content-Length: 0',
        '',
        '',
        '--b',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        '',
        'HTTP/1.1 500 Internal Error',
        'Content-Length: 1',
        '',
        'x',
        '--b',
        'Content-Type: multipart/mixed; boundary=c',
        '',
        '--c',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        '',
        'HTTP/1.1 204 No Content',
        'DataServiceVersion: 1.0',
        '',
        '',
        '--c--',
        '--b--',
      ),
    );
  });

  it('replaces a given Content-Length with the byte length of the body and keeps header lines single', () => {
    const { body } = writeBatchResponse([{ kind: 'response', part: { status: 200, headers: { 'content-length': '1', 'X-Bad': 'a\r\nInjected: 1' }, body: 'äö' } }], 'b');
    const text = body.toString('utf8');
    expect(text).toContain('Content-Length: 4\r\n');
    expect(text).not.toContain('content-length: 1');
    expect(text).toContain('X-Bad: a Injected: 1\r\n');
  });

  it('quotes a boundary that is not a token and rejects an invalid one', () => {
    expect(writeBatchResponse([], 'a:b').contentType).toBe('multipart/mixed; boundary="a:b"');
    expect(() => writeBatchResponse([], 'bad"boundary')).toThrow(RangeError);
    expect(() => writeBatchResponse([{ kind: 'changeset', parts: [] }], 'same', () => 'same')).toThrow(RangeError);
  });

  it('round-trips through the multipart layer of the parser', () => {
    const binary = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d, 0x62, 0x0d, 0x0a]);
    const items: BatchResponseItem[] = [
      {
        kind: 'changeset',
        parts: [
          { status: 201, headers: { DataServiceVersion: '2.0', 'Content-Type': 'application/json' }, body: '{"d":{"code":"p1"}}', contentId: '1' },
          { status: 201, headers: { DataServiceVersion: '2.0', 'Content-Type': 'application/json' }, body: '{"d":{"code":"p2","name":"Größe"}}', contentId: '2' },
        ],
      },
      { kind: 'response', part: { status: 400, headers: { 'Content-Type': 'application/json' }, body: '{"error":{}}' } },
      { kind: 'response', part: { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: binary } },
      { kind: 'changeset', parts: [{ status: 204, headers: {}, body: '' }] },
      { kind: 'changeset', parts: [] },
    ];
    const { contentType, body } = writeBatchResponse(items);
    const read = readBatchResponse(body, contentType);

    expect(read.map((i) => i.kind)).toEqual(['changeset', 'response', 'response', 'changeset', 'changeset']);
    const simplified = read.map((item) => {
      const parts = item.kind === 'changeset' ? item.parts : [item.part];
      return parts.map((p) => ({ status: p.status, statusText: p.statusText, contentId: p.mime['content-id'], type: p.headers['content-type'], body: p.body }));
    });
    expect(simplified).toEqual([
      [
        { status: 201, statusText: 'Created', contentId: '1', type: 'application/json', body: Buffer.from('{"d":{"code":"p1"}}') },
        { status: 201, statusText: 'Created', contentId: '2', type: 'application/json', body: Buffer.from('{"d":{"code":"p2","name":"Größe"}}') },
      ],
      [{ status: 400, statusText: 'Bad Request', contentId: undefined, type: 'application/json', body: Buffer.from('{"error":{}}') }],
      [{ status: 200, statusText: 'OK', contentId: undefined, type: 'application/octet-stream', body: binary }],
      [{ status: 204, statusText: 'No Content', contentId: undefined, type: undefined, body: Buffer.alloc(0) }],
      [],
    ]);
    const first = read[0]!;
    if (first.kind !== 'changeset') throw new Error('expected a change set');
    expect(first.boundary).toMatch(/^changeset_/);
    expect(first.parts[1]!.headers['content-length']).toBe(String(Buffer.byteLength('{"d":{"code":"p2","name":"Größe"}}')));
    expect(first.parts[0]!.mime).toEqual({ 'content-type': 'application/http', 'content-transfer-encoding': 'binary', 'content-id': '1' });
  });
});
