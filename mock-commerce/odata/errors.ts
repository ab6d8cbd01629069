/**
 * Error documents, in the two forms Commerce answers with (spec §8):
 * - the Olingo OData error document (compact JSON, or XML for XML/Atom clients) with Commerce's codes;
 * - the servlet-level document of Commerce's ErrorController (pretty-printed JSON or multi-line XML),
 *   used before OData processing: 401, 403, 404 for unknown integration objects.
 */
import type { HttpResponse } from '../http/types.js';

export interface ODataErrorOptions {
  status: number;
  /** Commerce error code; null for plain Olingo errors. */
  code: string | null;
  message: string;
  innererror?: string;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Whether a client asked for JSON (`Accept` or `$format=json`); XML otherwise. */
export function wantsJson(accept: string | undefined, format?: string | null): boolean {
  if (format) return format.toLowerCase() === 'json';
  return (accept ?? '').toLowerCase().includes('application/json');
}

export function odataError(options: ODataErrorOptions, json: boolean): HttpResponse {
  const headers: Record<string, string> = { 'DataServiceVersion': '1.0' };
  if (json) {
    const body = JSON.stringify({
      error: {
        code: options.code,
        message: { lang: 'en', value: options.message },
        ...(options.innererror !== undefined ? { innererror: options.innererror } : {}),
      },
    });
    return { status: options.status, headers: { ...headers, 'Content-Type': 'application/json' }, body };
  }
  const code = options.code === null ? '<code/>' : `<code>${escapeXml(options.code)}</code>`;
  const inner = options.innererror !== undefined ? `<innererror>${escapeXml(options.innererror)}</innererror>` : '';
  const body = `<?xml version='1.0' encoding='UTF-8'?><error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">${code}<message xml:lang="en">${escapeXml(options.message)}</message>${inner}</error>`;
  return { status: options.status, headers: { ...headers, 'Content-Type': 'application/xml' }, body };
}

const SERVLET_ERRORS: Record<number, { code: string; message: string }> = {
  401: { code: 'unauthorized', message: 'user must be authenticated' },
  403: { code: 'forbidden', message: 'credentials provided are not authorized for the operation' },
  404: { code: 'not_found', message: 'requested resource does not exist' },
  405: { code: 'method_not_allowed', message: 'unexpected error occurred' },
  500: { code: 'internal_server_error', message: 'unexpected error occurred' },
};

/** ErrorController's document: JSON when `Accept` starts with application/json, XML otherwise. */
export function servletError(status: number, accept: string | undefined, extraHeaders: Record<string, string> = {}): HttpResponse {
  const e = SERVLET_ERRORS[status] ?? SERVLET_ERRORS[500]!;
  if ((accept ?? '').trim().toLowerCase().startsWith('application/json')) {
    const body = JSON.stringify({ error: { code: e.code, message: { lang: 'en', value: e.message } } }, null, 2);
    return { status, headers: { ...extraHeaders, 'Content-Type': 'application/json;charset=UTF-8' }, body };
  }
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">',
    `  <code>${e.code}</code>`,
    `  <message xml:lang="en">${e.message}</message>`,
    '</error>',
  ].join('\n');
  return { status, headers: { ...extraHeaders, 'Content-Type': 'application/xml;charset=UTF-8' }, body };
}
