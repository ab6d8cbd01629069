/**
 * Carries out a fault plan on a node:http `ServerResponse` — what a client of a misbehaving third party
 * actually sees on the wire:
 *
 * - `delayMs`: a timer before anything is sent, cancelled when the client goes away;
 * - `drop: 'timeout'`: never answers; the socket stays open until the client gives up;
 * - `drop: 'reset'`: a TCP RST (`resetAndDestroy()`), the client sees ECONNRESET;
 * - `error`: the error fault's response instead of the service's;
 * - `corrupt: 'truncate'`: the full Content-Length, half the body, then the connection closes (an empty
 *   body, or one the status/method does not allow, is cut before the headers);
 * - `corrupt: 'garbage'`: random bytes of the body's length (JSON parsing fails);
 * - `bytesPerSecond`: the body written in chunks paced to that rate.
 *
 * Sockets waiting on a fault (delay, timeout, slow body) are tracked per server, and `server.close()` ends
 * them: a simulated timeout never keeps a shutdown waiting. The server is found from the socket; call
 * `trackFaultConnections(server)` up front for servers where it cannot be (it is idempotent).
 */
import type { ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { HttpResponse } from '../../mock-commerce/http/types.js';
import { plannedBody, plannedResponse, type RandomSource } from './body.js';
import type { FaultPlan } from './plan.js';

export interface WriteWithFaultOptions {
  /** Random source for `garbage` bytes (default: crypto). */
  random?: RandomSource;
  /** Interval between slow-body chunks, ms (default 100). */
  tickMs?: number;
}

/**
 * `answered`: the (possibly delayed, error, garbage or slow) response was sent completely;
 * `truncated`: part of it was sent, then the connection closed; `dropped`: reset, or a timeout that
 * ended when the client (or the server) closed the connection; `client-gone`: the client went away first.
 */
export type FaultOutcome = 'answered' | 'truncated' | 'dropped' | 'client-gone';

/** Statuses whose responses never carry a body. */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

export async function writeWithFault(
  res: ServerResponse,
  response: HttpResponse,
  plan: FaultPlan,
  options: WriteWithFaultOptions = {},
): Promise<FaultOutcome> {
  const socket = res.socket ?? res.req.socket;
  if (isGone(res, socket)) return 'client-gone';
  const untrack = track(socket);
  try {
    if (plan.delayMs > 0 && !(await sleep(res, plan.delayMs))) return 'client-gone';
    if (plan.drop === 'reset') {
      reset(socket);
      return 'dropped';
    }
    if (plan.drop === 'timeout') {
      await closed(res);
      return 'dropped';
    }
    return await write(res, socket, response, plan, options);
  } finally {
    untrack();
  }
}

async function write(
  res: ServerResponse,
  socket: Socket,
  response: HttpResponse,
  plan: FaultPlan,
  options: WriteWithFaultOptions,
): Promise<FaultOutcome> {
  const answer = plannedResponse(response, plan);
  const body = plannedBody(answer, plan, options.random);
  const bodyAllowed = res.req.method !== 'HEAD' && !NULL_BODY_STATUSES.has(answer.status) && answer.status >= 200;
  const truncate = plan.corrupt === 'truncate';
  if (truncate && (!bodyAllowed || body.length === 0)) {
    // Nothing to cut in half: cut the response itself.
    socket.destroy();
    return 'truncated';
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    const lower = name.toLowerCase();
    if (lower !== 'content-length' && lower !== 'transfer-encoding') headers[name] = value;
  }
  res.writeHead(answer.status, { ...headers, 'Content-Length': String(body.length) });
  const limit = truncate ? Math.floor(body.length / 2) : body.length;
  const bps = plan.bytesPerSecond ?? 0;
  const paced = bps > 0 && bodyAllowed && limit > 0;
  if (paced) {
    res.flushHeaders();
    const chunkSize = Math.max(1, Math.floor((bps * (options.tickMs ?? 100)) / 1000));
    const start = performance.now();
    let sent = 0;
    while (sent < limit) {
      const chunk = body.subarray(sent, Math.min(limit, sent + chunkSize));
      // A chunk leaves once its bytes are within the rate (after t s, at most bps·t bytes have left);
      // paced by the total so far, so timer slack does not add up.
      const due = start + ((sent + chunk.length) * 1000) / bps - performance.now();
      if (due > 0 && !(await sleep(res, due))) return 'client-gone';
      if (isGone(res, socket)) return 'client-gone';
      await writeChunk(res, chunk);
      sent += chunk.length;
    }
  } else if (truncate) {
    await writeChunk(res, body.subarray(0, limit));
  }
  if (truncate) {
    // FIN after the half body (not RST, which could make the client drop the bytes it has received).
    socket.destroy();
    return 'truncated';
  }
  const finished = await new Promise<boolean>((resolve) => {
    // 'finish' never comes when the connection dies mid-write; 'close' always does.
    const onClose = (): void => resolve(res.writableFinished);
    res.once('close', onClose);
    res.end(paced ? undefined : body, () => {
      res.off('close', onClose);
      resolve(true);
    });
  });
  return finished ? 'answered' : 'client-gone';
}

function isGone(res: ServerResponse, socket: Socket | null): boolean {
  return socket === null || socket.destroyed || res.destroyed;
}

/** Writes and waits until the chunk is handed to the socket (or the connection closes). */
function writeChunk(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('close', done);
      resolve();
    };
    res.once('close', done);
    res.write(chunk, done);
  });
}

/** Waits `ms`; false (and no timer left behind) if the connection closes first. */
function sleep(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}

function closed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.socket === null || res.socket.destroyed) resolve();
    else res.once('close', () => resolve());
  });
}

function reset(socket: Socket): void {
  // RST rather than FIN: the client sees ECONNRESET, as with a crashed or firewalled upstream.
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

// --- tracking sockets a fault holds, so that server.close() ends them ----------------------------------

const held = new WeakMap<NetServer, Set<Socket>>();

/**
 * Makes `server.close()` end the connections faults are holding (timeouts, delays, slow bodies). Done
 * automatically for the server a faulted response belongs to; idempotent.
 */
export function trackFaultConnections(server: NetServer): void {
  if (held.has(server)) return;
  const sockets = new Set<Socket>();
  held.set(server, sockets);
  const close = server.close.bind(server);
  server.close = function closeWithFaults(this: NetServer, callback?: (err?: Error) => void): NetServer {
    close(callback);
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    return this;
  } as NetServer['close'];
}

/** Connections a fault holds on `server` right now. */
export function heldConnections(server: NetServer): number {
  return held.get(server)?.size ?? 0;
}

function track(socket: Socket): () => void {
  const server = (socket as Socket & { server?: unknown }).server;
  if (!(server instanceof NetServer)) return () => undefined;
  trackFaultConnections(server);
  const sockets = held.get(server);
  sockets?.add(socket);
  return () => {
    sockets?.delete(socket);
  };
}
