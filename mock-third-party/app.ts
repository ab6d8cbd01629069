/**
 * Adapters around the transport-free third-party core (`engine/third-party.ts`): an Express app for
 * users' own servers and supertest (`createThirdPartyApp`), and a node:http server for the CLI and
 * tests (`startThirdPartyServer`, the Commerce side's `createNodeServer`). Both hand the core the same
 * HttpRequest (raw path, raw query, lower-case headers, body Buffer) plus the caller's address, which
 * the admin API uses to tell loopback callers from others.
 *
 * Both carry out the fault plan the core attaches to a response (`faults/node-transport.ts`: delay,
 * error, timeout, reset, truncated or garbage body, slow body); an answer without a fault is written
 * exactly as before. The node:http server tracks the connections faults hold, so `close()` ends them.
 */
import type { Express } from 'express';
import { createExpressAdapter } from '../mock-commerce/http/express-adapter.js';
import type { Server, ServerResponse } from 'node:http';
import { close, createNodeServer, listen, writeHttpResponse } from '../mock-commerce/http/node-adapter.js';
import { selfSignedCertificate } from '../mock-commerce/security/tls.js';
import type { ThirdPartyDefinition } from './definition/model.js';
import { asFaultPlan } from './engine/fault-hook.js';
import { createThirdParty, type ThirdParty, type ThirdPartyOptions, type ThirdPartyRequest, type ThirdPartyResponse } from './engine/third-party.js';
import { isNoFault, trackFaultConnections, writeWithFault } from './faults/index.js';

export type ThirdPartySource = ThirdPartyDefinition | ThirdParty;

/** A ready third party, or a new one for a definition. */
export function toThirdParty(source: ThirdPartySource, options: ThirdPartyOptions = {}): ThirdParty {
  return typeof (source as Partial<ThirdParty>).handle === 'function' ? (source as ThirdParty) : createThirdParty(source as ThirdPartyDefinition, options);
}

export function createThirdPartyApp(source: ThirdPartySource, options: ThirdPartyOptions = {}): Express {
  const thirdParty = toThirdParty(source, options);
  const app = createExpressAdapter((request, res) => reply(res, answer(thirdParty, request as ThirdPartyRequest)));
  app.locals.thirdParty = thirdParty;
  return app;
}

function answer(thirdParty: ThirdParty, request: ThirdPartyRequest): ThirdPartyResponse {
  try {
    const { status, headers, body, fault } = thirdParty.handle(request);
    return { status, headers, body, ...(fault !== undefined ? { fault } : {}) };
  } catch {
    return { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'internal error' };
  }
}

/**
 * Writes an answer: with its fault plan carried out, or (no fault) exactly the node:http adapter's
 * bytes. Never rejects.
 */
function reply(res: ServerResponse, response: ThirdPartyResponse): void {
  const plan = asFaultPlan(response.fault);
  const { status, headers, body } = response;
  if (!plan || isNoFault(plan)) {
    writeHttpResponse(res, { status, headers, body });
    return;
  }
  writeWithFault(res, { status, headers, body }, plan).catch(() => {
    if (!res.headersSent) writeHttpResponse(res, { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'internal error' });
    else res.destroy();
  });
}


export interface RunningThirdParty {
  port: number;
  url: string;
  server: Server;
  thirdParty: ThirdParty;
  close(): Promise<void>;
}

export interface ThirdPartyServerOptions extends ThirdPartyOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve HTTPS with a self-signed certificate for the host (real third parties are HTTPS). */
  https?: boolean;
}

export async function startThirdPartyServer(source: ThirdPartySource, options: ThirdPartyServerOptions = {}): Promise<RunningThirdParty> {
  const { port: wanted = 0, host = '127.0.0.1', https = false, ...engineOptions } = options;
  const thirdParty = toThirdParty(source, engineOptions);
  const tls = https ? await selfSignedCertificate([...new Set(['localhost', '127.0.0.1', '::1', host])]) : undefined;
  // The node:http adapter's server (same request translation and limits), writing through `reply`.
  const server = createNodeServer((request) => answer(thirdParty, request), tls, reply);
  // `close()` ends the connections a fault holds (timeouts, delays, slow bodies).
  trackFaultConnections(server);
  const port = await listen(server, wanted, host);
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return { port, url: `${tls ? 'https' : 'http'}://${shownHost}:${port.toString()}`, server, thirdParty, close: () => close(server) };
}
