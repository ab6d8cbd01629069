/**
 * The one place the runtime's receivers touch the network: a request with a deadline, the answer read
 * as text. Network failures and the deadline become {@link HttpTransportError}s that say which call
 * failed and why; HTTP statuses are left to the adapters (each decides what is an error).
 */

export interface HttpCall {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Deadline for the whole exchange, in ms (real time: it bounds how long a run waits). */
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

export class HttpTransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpTransportError';
  }
}

/** Error bodies in messages are cut here (what a log line can carry; Commerce caps at 1 KB too). */
export const ERROR_BODY_LIMIT = 1024;

export async function httpCall(call: HttpCall): Promise<HttpAnswer> {
  const what = `${call.method} ${call.url}`;
  try {
    const res = await fetch(call.url, {
      method: call.method,
      headers: call.headers ?? {},
      ...(call.body !== undefined && call.method !== 'GET' && call.method !== 'HEAD' ? { body: call.body } : {}),
      signal: AbortSignal.timeout(call.timeoutMs),
    });
    return { status: res.status, headers: res.headers, body: await res.text() };
  } catch (e) {
    const err = e as { name?: string; message?: string; cause?: { message?: string; code?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') throw new HttpTransportError(`${what}: no answer within ${call.timeoutMs.toString()} ms (timeout)`);
    throw new HttpTransportError(`${what}: ${err.cause?.message ?? err.cause?.code ?? err.message ?? String(e)}`);
  }
}

/** `text` cut to {@link ERROR_BODY_LIMIT} characters, marked when cut. */
export function truncateBody(text: string, limit = ERROR_BODY_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length.toString()} characters)`;
}

export function basicAuthorization(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}

/** The `name=value` pairs of `Set-Cookie` headers (attributes dropped), as a client sends them back in `Cookie`. */
export function cookieHeader(setCookies: readonly string[]): string | undefined {
  const pairs = setCookies.map((c) => c.split(';')[0]!.trim()).filter((p) => p.includes('='));
  return pairs.length > 0 ? pairs.join('; ') : undefined;
}
