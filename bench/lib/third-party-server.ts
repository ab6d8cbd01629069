/**
 * Child process: a third-party stub with a static JSON route and a templated one, served by
 *
 *   third-party-server.ts sandbox   — our mock-third-party (YAML definition, `startThirdPartyServer`,
 *                                    the node:http adapter, journal on with its default limit);
 *   third-party-server.ts sandbox-no-journal — the same with `journalLimit: 0` (no request journal,
 *                                    as WireMock runs here with --no-request-journal);
 *   third-party-server.ts msw       — msw 2 request handlers mounted in Express 5 through
 *                                    `@mswjs/http-middleware`'s `createMiddleware` (msw's `handleRequest`).
 *
 * WireMock, the third contender, is the `wiremock` package's jar on Java (`third-party.ts` starts it).
 * The routes, answers and bodies are the same for all three (`third-party-stubs.ts`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMiddleware } from '@mswjs/http-middleware';
import express from 'express';
import { http, HttpResponse } from 'msw';
import { parseDefinition } from '../../mock-third-party/definition/loader.js';
import { startThirdPartyServer } from '../../mock-third-party/app.js';
import { childProtocol } from './children.js';
import { memory } from './common.js';
import { STATIC_BODY, STATIC_PATH, TEMPLATED_PATH_PREFIX, TEMPLATED_SUFFIX, sandboxDefinitionYaml, templatedBody } from './third-party-stubs.js';

function listen(server: Server): Promise<string> {
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  let url: string;
  let close: () => Promise<void>;
  if (mode === 'sandbox' || mode === 'sandbox-no-journal') {
    // `sandbox-no-journal`: journalLimit 0, like WireMock's --no-request-journal in the suite.
    const running = await startThirdPartyServer(parseDefinition(sandboxDefinitionYaml(), 'bench.yaml'), mode === 'sandbox' ? {} : { journalLimit: 0 });
    running.server.keepAliveTimeout = 60_000;
    url = running.url;
    close = () => running.close();
  } else if (mode === 'msw') {
    const handlers = [
      http.get(STATIC_PATH, () => HttpResponse.json(STATIC_BODY)),
      http.get(`${TEMPLATED_PATH_PREFIX}:code${TEMPLATED_SUFFIX}`, ({ params, request }) =>
        HttpResponse.json(templatedBody(String(params.code), new URL(request.url).searchParams.get('page') ?? '')),
      ),
    ];
    const app = express();
    // @mswjs/http-middleware is typed against an older msw 2; the handlers are msw 2's own.
    app.use(createMiddleware(...(handlers as unknown as Parameters<typeof createMiddleware>)));
    const server = createServer(app);
    url = await listen(server);
    close = () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
  } else throw new Error(`unknown mode ${mode ?? ''}`);
  process.send?.({ kind: 'ready', url });
  childProtocol(close, memory);
}

main().catch((e: unknown) => {
  process.send?.({ kind: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
