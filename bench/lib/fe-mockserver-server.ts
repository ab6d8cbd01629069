/**
 * Child process: `@sap-ux/fe-mockserver-core` serving the EDMX and JSON data that `commerce-server.ts`
 * exported (same service path, same data), behind a plain node:http server — its router is a
 * connect-style `(req, res, next)` handler, so no Express is needed, and node:http is the fastest host
 * for it (the same transport our CLI uses), so the comparison measures the OData engines, not the
 * frameworks around them.
 *
 *   fe-mockserver-server.ts <export dir>
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import feMockserverModule from '@sap-ux/fe-mockserver-core';
import { serveChild } from './children.js';
import { IO, memory } from './common.js';

// A CommonJS module with `exports.default`: under Node's ESM interop the class is `.default` of the default import.
const FEMockserver = feMockserverModule.default;

async function main(): Promise<void> {
  const dir = process.argv[2]!;
  const t0 = performance.now();
  const mockserver = new FEMockserver({
    services: [
      {
        urlPath: `/odata2webservices/${IO}`,
        metadataPath: join(dir, 'metadata.xml'),
        mockdataPath: join(dir, 'data'),
        generateMockData: false,
        watch: false,
        noETag: true,
      },
    ],
    annotations: [],
  });
  await mockserver.isReady;
  const router = mockserver.getRouter();
  const server = createServer((req, res) => {
    router(req as never, res as never, (err?: unknown) => {
      res.statusCode = err ? 500 : 404;
      res.end(err ? String(err) : 'not found');
    });
  });
  await serveChild(server, memory, () => ({ loadMillis: performance.now() - t0, ...memory() }));
}

main().catch((e: unknown) => {
  process.send?.({ kind: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
