/**
 * Child process of the benchmarks: loads the demo project, generates data at the requested scale,
 * serves it over real HTTP (`startCommerceServer`, the CLI's node:http adapter) and reports to the
 * parent (IPC) how long that took, how much memory it holds and the Products of the
 * ThirdPartyInboundProduct entity set (code, integrationKey, reviewRating, reviewCount).
 * Runs until the parent says `stop` or goes away.
 *
 *   commerce-server.ts <scale> <seed> [<export dir>]
 *
 * With an export dir it also writes what fe-mockserver-core needs to serve the same service: the
 * EDMX of our `$metadata` (`metadata.xml`) and the entity sets as JSON (`data/<EntitySet>.json`, the
 * navigations inline, as fe-mockserver-core reads V2 navigations without referential constraints).
 *
 * A process of its own per server, so that the memory figures belong to that size alone and the
 * load generator does not share the server's event loop.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCommerceServer } from '../../mock-commerce/app.js';
import type { Commerce } from '../../mock-commerce/commerce.js';
import { generateData } from '../../mock-commerce/data/generate.js';
import { type IntegrationObjectModel, itemByCode } from '../../mock-commerce/integration-objects/model.js';
import { entityKey } from '../../mock-commerce/odata/entity-values.js';
import { loadCommerce } from '../../mock-commerce/project.js';
import type { Item } from '../../mock-commerce/store/store.js';
import { packageRoot } from '../../mock-commerce/util/package-root.js';
import { AUTH, IO, memory } from './common.js';

export interface BenchProduct {
  code: string;
  /** integrationKey (`version|catalogId|code`, parts Java-URL-encoded). */
  key: string;
  rating: number | null;
  count: number | null;
}

export interface ServerReady {
  kind: 'ready';
  url: string;
  scale: number;
  loadMillis: number;
  generateMillis: number;
  listenMillis: number;
  created: Record<string, number>;
  storeSize: number;
  /** Resident set size after load + generate (after a GC), its peak so far, JS heap (MB). */
  rssMB: number;
  peakRssMB: number;
  heapUsedMB: number;
  /** Every item of the Products entity set, in store order. */
  products: BenchProduct[];
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


function send(message: ServerMessage): void {
  process.send?.(message);
}

function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

/** Writes the EDMX and the three entity sets of ThirdPartyInboundProduct for fe-mockserver-core. */
async function exportForFeMockserver(commerce: Commerce, io: IntegrationObjectModel, dir: string): Promise<void> {
  const response = await commerce.handle({
    method: 'GET',
    path: `/odata2webservices/${IO}/$metadata`,
    query: '',
    headers: { authorization: AUTH },
    origin: 'http://localhost',
  });
  if (response.status !== 200) throw new Error(`$metadata answered ${response.status}`);
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'metadata.xml'), response.body);
  const store = commerce.store;
  const product = itemByCode(io, 'Product')!;
  const catalogVersionItem = itemByCode(io, 'CatalogVersion')!;
  const catalogItem = itemByCode(io, 'Catalog')!;
  const catalog = (c: Item) => ({ id: c.values.id, integrationKey: entityKey(io, catalogItem, c, store) });
  const catalogVersion = (cv: Item) => {
    const c = store.get(cv.values.catalog as number);
    return { version: cv.values.version, integrationKey: entityKey(io, catalogVersionItem, cv, store), ...(c ? { catalog: catalog(c) } : {}) };
  };
  const products = [...store.all('Product')].map((p) => {
    const cv = store.get(p.values.catalogVersion as number);
    return {
      reviewRating: num(p.values.reviewRating),
      reviewCount: num(p.values.reviewCount),
      code: p.values.code,
      integrationKey: entityKey(io, product, p, store),
      ...(cv ? { catalogVersion: catalogVersion(cv) } : {}),
    };
  });
  writeFileSync(join(dir, 'data', 'Products.json'), JSON.stringify(products));
  writeFileSync(join(dir, 'data', 'CatalogVersions.json'), JSON.stringify([...store.all('CatalogVersion')].map(catalogVersion)));
  writeFileSync(join(dir, 'data', 'Catalogs.json'), JSON.stringify([...store.all('Catalog')].map(catalog)));
}

async function main(): Promise<void> {
  const scale = Number(process.argv[2]);
  const seed = Number(process.argv[3] ?? 1);
  const exportDir = process.argv[4];
  const t0 = performance.now();
  const { commerce, report } = loadCommerce({ projectDir: join(packageRoot(), 'demo') });
  if (!commerce || report.errors.length > 0) {
    throw new Error(`demo project failed to load: ${report.errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('; ')}`);
  }
  const t1 = performance.now();
  const generated = generateData(commerce.store, { seed, scale });
  const t2 = performance.now();

  const io = commerce.integrationObjects.get(IO);
  const item = io && itemByCode(io, 'Product');
  if (!io || !item) throw new Error(`integration object ${IO} with item Product not found in the demo project`);
  const products: BenchProduct[] = [];
  for (const p of commerce.store.all('Product')) {
    products.push({ code: String(p.values.code), key: entityKey(io, item, p, commerce.store), rating: num(p.values.reviewRating), count: num(p.values.reviewCount) });
  }
  if (exportDir) await exportForFeMockserver(commerce, io, exportDir);

  // Start serving from a collected heap (the parent forks with --expose-gc): the generation's garbage,
  // e.g. the transaction's undo log, would otherwise be collected during the measurement.
  (globalThis as { gc?: () => void }).gc?.();
  const t3 = performance.now();
  const server = await startCommerceServer(commerce);
  const listenMillis = performance.now() - t3;
  send({
    kind: 'ready',
    url: server.url,
    scale,
    loadMillis: t1 - t0,
    generateMillis: t2 - t1,
    listenMillis,
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
