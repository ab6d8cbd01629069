/**
 * Carries out a fault plan as a fetch `Response`, for in-process simulation with msw (or any fetch
 * stand-in). The msw handler turns `'network-error'` into `HttpResponse.error()`:
 *
 *   http.all(url, async ({ request }) => {
 *     const result = await responseWithFault(response, plan, { signal: request.signal, method: request.method });
 *     return result === 'network-error' ? HttpResponse.error() : result;
 *   });
 *
 * - `delayMs`: an abortable wait;
 * - `drop: 'reset'`: `'network-error'` (fetch rejects with a TypeError, as on ECONNRESET);
 * - `drop: 'timeout'`: a promise that never settles — unless `signal` aborts, then `'network-error'`;
 * - `error`: the error fault's response instead of the service's;
 * - `corrupt: 'truncate'`: the full Content-Length, a body stream that yields half the bytes and then
 *   errors (reading the body rejects); `garbage`: random bytes of the same length;
 * - `bytesPerSecond`: a body stream paced to that rate.
 */
import type { HttpResponse } from '../../mock-commerce/http/types.js';
import { plannedBody, plannedResponse, type RandomSource } from './body.js';
import type { FaultPlan } from './plan.js';

export interface ResponseWithFaultOptions {
  /** The request's signal: ends waits, timeouts and slow bodies when the client gives up. */
  signal?: AbortSignal;
  /** The request method (no body for HEAD). */
  method?: string;
  /** Random source for `garbage` bytes (default: crypto). */
  random?: RandomSource;
  /** Interval between slow-body chunks, ms (default 100). */
  tickMs?: number;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export async function responseWithFault(
  response: HttpResponse,
  plan: FaultPlan,
  options: ResponseWithFaultOptions = {},
): Promise<Response | 'network-error'> {
  const { signal } = options;
  if (signal?.aborted) return 'network-error';
  if (plan.delayMs > 0 && !(await wait(plan.delayMs, signal))) return 'network-error';
  if (plan.drop === 'reset') return 'network-error';
  if (plan.drop === 'timeout') {
    // Never settles without a signal: the client's own timeout is what ends the call.
    await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
    return 'network-error';
  }
  const answer = plannedResponse(response, plan);
  const bytes = plannedBody(answer, plan, options.random);
  const headers = new Headers(answer.headers);
  headers.delete('transfer-encoding');
  const nullBody = NULL_BODY_STATUSES.has(answer.status);
  if (nullBody) headers.delete('content-length');
  else headers.set('content-length', String(bytes.length));
  const bodyAllowed = !nullBody && (options.method ?? 'GET').toUpperCase() !== 'HEAD';
  const truncate = plan.corrupt === 'truncate';
  if (truncate && (!bodyAllowed || bytes.length === 0)) return 'network-error';
  if (!bodyAllowed) return new Response(null, { status: answer.status, headers });
  const bps = plan.bytesPerSecond ?? 0;
  if (!truncate && bps <= 0) return new Response(bytes.length > 0 ? bytes : null, { status: answer.status, headers });
  const limit = truncate ? Math.floor(bytes.length / 2) : bytes.length;
  const body = bodyStream(bytes.subarray(0, limit), { truncate, bps, tickMs: options.tickMs ?? 100, signal });
  return new Response(body, { status: answer.status, headers });
}

/** The body: paced if `bps` > 0; erroring after the last byte if `truncate`. */
function bodyStream(
  bytes: Buffer,
  opts: { truncate: boolean; bps: number; tickMs: number; signal: AbortSignal | undefined },
): ReadableStream<Uint8Array> {
  const chunkSize = opts.bps > 0 ? Math.max(1, Math.floor((opts.bps * opts.tickMs) / 1000)) : Math.max(1, bytes.length);
  let sent = 0;
  let start = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>): void => {
    if (opts.truncate) controller.error(new TypeError('terminated: connection closed before the body was complete'));
    else controller.close();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      start = performance.now();
      opts.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          try {
            controller.error(opts.signal?.reason ?? new Error('aborted'));
          } catch {
            // already closed
          }
        },
        { once: true },
      );
    },
    async pull(controller) {
      if (sent >= bytes.length) {
        finish(controller);
        return;
      }
      const chunk = bytes.subarray(sent, Math.min(bytes.length, sent + chunkSize));
      if (opts.bps > 0) {
        // A chunk leaves once its bytes are within the rate; paced by the total so far, so timer slack
        // does not add up.
        const due = start + ((sent + chunk.length) * 1000) / opts.bps - performance.now();
        if (due > 0) {
          await new Promise<void>((resolve) => {
            timer = setTimeout(resolve, due);
          });
          if (opts.signal?.aborted) return;
        }
      }
      sent += chunk.length;
      controller.enqueue(new Uint8Array(chunk));
      // Closing keeps queued bytes readable; erroring would discard them, so a truncation errors on the
      // next pull, after the reader has taken the last bytes.
      if (sent >= bytes.length && !opts.truncate) controller.close();
    },
    cancel() {
      clearTimeout(timer);
    },
  });
}

/** Waits `ms`; false if `signal` aborts first. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
