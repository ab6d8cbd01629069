/**
 * Child process of the benchmarks: loads the demo project, generates data at the requested scale,
 * serves it over real HTTP and reports to the parent (IPC) how long that took, how much memory it holds
 * and the integrationKeys of the generated products. Runs until the parent says `stop` or goes away.
 *
 * A process of its own per data size, so that the memory figures belong to that size alone and the
 * load generator does not share the server's event loop.
 */
import { join } from 'node:path';
import { startCommerceServer } from '../../mock-commerce/app.js';
import { generateData } from '../../mock-commerce/data/generate.js';
import { itemByCode } from '../../mock-commerce/integration-objects/model.js';
import { entityKey } from '../../mock-commerce/odata/entity-values.js';
import { loadCommerce } from '../../mock-commerce/project.js';
import { packageRoot } from '../../mock-commerce/util/package-root.js';

export interface ServerReady {
  kind: 'ready';
  url: string;
  scale: number;
  loadMillis: number;
  generateMillis: number;
  created: Record<string, number>;
  storeSize: number;
  /** Resident set size after load + generate, and its peak so far (MB). */
  rssMB: number;
  peakRssMB: number;
  heapUsedMB: number;
  /** Generated products: code and integrationKey (`version|catalogId|code`, parts Java-URL-encoded). */
  products: { code: string; key: string }[];
}

export interface ServerFailed {
  kind: 'failed';
  message: string;
}

export interface ServerMemory {
  kind: 'memory';
  rssMB: number;
  peakRssMB: number;
}

export type ServerMessage = ServerReady | ServerFailed | ServerMemory;

const IO = 'ThirdPartyInboundProduct';
const MB = 1024 * 1024;

function send(message: ServerMessage): void {
  process.send?.(message);
}

function memory(): { rssMB: number; peakRssMB: number; heapUsedMB: number } {
  return {
    rssMB: process.memoryUsage().rss / MB,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
    heapUsedMB: process.memoryUsage().heapUsed / MB,
  };
}

async function main(): Promise<void> {
  const scale = Number(process.argv[2]);
  const seed = Number(process.argv[3] ?? 1);
  const t0 = performance.now();
  const { commerce, report } = loadCommerce({ projectDir: join(packageRoot(), 'demo') });
  if (!commerce || report.errors.length > 0) {
    throw new Error(`demo project failed to load: ${report.errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('; ')}`);
  }
  const t1 = performance.now();
  const before = new Set([...commerce.store.all('Product')].map((p) => p.pk));
  const generated = generateData(commerce.store, { seed, scale });
  const t2 = performance.now();

  const io = commerce.integrationObjects.get(IO);
  const item = io && itemByCode(io, 'Product');
  if (!io || !item) throw new Error(`integration object ${IO} with item Product not found in the demo project`);
  const products: { code: string; key: string }[] = [];
  for (const p of commerce.store.all('Product')) {
    if (!before.has(p.pk)) products.push({ code: String(p.values.code), key: entityKey(io, item, p, commerce.store) });
  }

  // Start serving from a collected heap (the parent forks with --expose-gc): the generation's garbage,
  // e.g. the transaction's undo log, would otherwise be collected during the measurement.
  (globalThis as { gc?: () => void }).gc?.();
  const server = await startCommerceServer(commerce);
  send({
    kind: 'ready',
    url: server.url,
    scale,
    loadMillis: t1 - t0,
    generateMillis: t2 - t1,
    created: generated.created,
    storeSize: commerce.store.size,
    ...memory(),
    products,
  });
  process.on('message', (m) => {
    if (m === 'memory') {
      const { rssMB, peakRssMB } = memory();
      send({ kind: 'memory', rssMB, peakRssMB });
    } else if (m === 'stop') void server.close().then(() => process.exit(0));
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

main().catch((e: unknown) => {
  send({ kind: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
