/**
 * The error answers of `$batch` parsing (spec §6.4). Commerce sits on Olingo 2, whose batch parser throws a
 * `BatchException` for a malformed request body; the whole request then fails with 400 and code
 * `odata_error`. The texts follow Olingo 2's batch messages (`BatchException.*` in its i18n bundle), with
 * the `%s` placeholders filled the way Olingo fills them: 1-based line numbers counted over the whole
 * `$batch` body. Where Olingo has no text for a case (a boundary that is not a prefix-free delimiter, a
 * change set nested in a change set) the wording follows the nearest Olingo message.
 */
import { ODataRequestError } from '../odata-error.js';

/** `odata2services.batch.limit` default (spec §6.4). */
export const DEFAULT_BATCH_LIMIT = 200;

function malformed(message: string): ODataRequestError {
  return new ODataRequestError(400, 'odata_error', message);
}

export const batchErrors = {
  /** `INVALID_CONTENT_TYPE`: the request, or a body part, has the wrong media type. */
  contentType: (expected: string) => malformed(`Content-Type should be '${expected}'.`),
  /** `MISSING_PARAMETER_IN_CONTENT_TYPE`. */
  missingBoundaryParameter: () => malformed('The Content-Type field for multipart entities requires boundary parameter.'),
  /** `INVALID_BOUNDARY`: not 1–70 RFC 2046 `bchars`. */
  invalidBoundary: (line: number) => malformed(`Invalid boundary at line '${line}'.`),
  /** `MISSING_BOUNDARY_DELIMITER`: an empty body, or a multipart part with no content at all. */
  missingBoundaryDelimiter: (line: number) => malformed(`Missing boundary delimiter at line '${line}'.`),
  /** `NO_MATCH_WITH_BOUNDARY_STRING`: there is content, but no `--boundary` line in it. */
  noMatchWithBoundary: (boundary: string, line: number) =>
    malformed(`The boundary string does not match the boundary from the Content-Type header field '${boundary}': line '${line}'.`),
  /** `MISSING_CLOSE_DELIMITER`: no `--boundary--` line. */
  missingCloseDelimiter: (line: number) => malformed(`Missing close delimiter at line '${line}'.`),
  /** `INVALID_CHANGESET_BOUNDARY`. */
  changeSetBoundary: (line: number) => malformed(`The boundary of the ChangeSet should be different from that used by the Batch: line '${line}'.`),
  /** `MISSING_CONTENT_TYPE`. */
  missingContentType: () => malformed('No Content-Type field for MIME-header is present.'),
  /** `INVALID_CONTENT_TRANSFER_ENCODING`: missing inside a change set, or not `binary`. */
  contentTransferEncoding: () => malformed('The Content-Transfer-Encoding should be binary.'),
  /** `INVALID_HEADER`: e.g. a Content-Length that is not a non-negative integer. */
  invalidHeader: (header: string, line: number) => malformed(`Invalid header: '${header}' at line '${line}'.`),
  /** `MISSING_BLANK_LINE` (Olingo's text has the two blanks before the final full stop). */
  missingBlankLine: (text: string, line: number) => malformed(`Expected empty line but was '${text}': line '${line}'  .`),
  /** `INVALID_REQUEST_LINE`: missing, not `METHOD URI VERSION`, not HTTP/1.1, or a GET with a body. */
  invalidRequestLine: (text: string, line: number) => malformed(`Invalid request line '${text}' at line '${line}'.`),
  /** `MISSING_METHOD`: the method is not one of GET, POST, PUT, DELETE, MERGE, PATCH. */
  missingMethod: (text: string) => malformed(`Missing method in request line '${text}'.`),
  /** `INVALID_CHANGESET_METHOD`: a GET inside a change set. */
  changeSetMethod: (line: number) => malformed(`Invalid method: a ChangeSet cannot contain retrieve requests at line '${line}'.`),
  /** `INVALID_QUERY_OPERATION_METHOD`: anything but GET outside a change set. */
  queryOperationMethod: (line: number) =>
    malformed(`Invalid method: a Query Operation cannot contain insert, update or delete requests at line '${line}'.`),
  /** `TRUNCATED_BODY`: Content-Length promises more bytes than the part holds. */
  truncatedBody: (line: number) => malformed(`Body is truncated: line '${line}'.`),
  /** Commerce's `batch_limit_exceeded` (spec §6.4, V-BATCH-02). */
  limitExceeded: (limit: number) =>
    new ODataRequestError(
      400,
      'batch_limit_exceeded',
      `The number of integration objects sent in the request has exceeded the 'odata2services.batch.limit' setting currently set to ${limit}`,
    ),
};
