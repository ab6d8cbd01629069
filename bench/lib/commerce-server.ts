/**
 * Child process of the benchmarks: loads the demo project, generates data at the requested scale,
 * serves it over real HTTP (`startCommerceServer`, the CLI's node:http adapter) and reports to the
 * parent (IPC) how long that took, how much memory it holds and the Products of the
 * ThirdPartyInboundProduct entity set (code, integrationKey, reviewRating, reviewCount).
 * Runs until the parent says `stop` or goes away.
 *
 *   commerce-server.ts '<CommerceServerOptions as JSON>'
 *
 * Two ways to load (`via`):
 * - `generate` (default): `loadCommerce({ projectDir: demo, reuse: false })`, then
 *   `generateData(store, { seed, scale, customers })` here, then `markLoaded()` again (so that a
 *   sandbox reset returns to the generated data). Outbound's store listeners (change log, webhooks,
 *   triggers, channel auto-generation), which loadCommerce attached, are detached while generating and
 *   attached again by markLoaded: a load with `seed` generates before attaching them, so both paths do
 *   the same work and the change log starts empty. This is how the suite gets catalog-only data
 *   (`customers: false`), which loadCommerce's options cannot ask for.
 * - `loadCommerce`: `loadCommerce({ projectDir: demo, seed, scale, reuse: false })`, the product's own
 *   path (`up --seed --scale`): full generated data, customers and orders included.
 *
 * `cache: false` sets `sandbox.read.cache.entries=0` (the read cache off; default on, 2000 entries).
 *
 * With an export dir it also writes what fe-mockserver-core needs to serve the same service: the
 * EDMX of our `$metadata` (`metadata.xml`) and the entity sets as JSON (`data/<EntitySet>.json`, the
 * navigations inline, as fe-mockserver-core reads V2 navigations without referential constraints).
 *
 * Memory is measured after a forced GC (the parent forks with --expose-gc). The scale section takes its
 * load times and memory from `load-child.mjs` (plain node, dist/) instead: this child runs under tsx,
 * which holds some memory of its own. A process of its own per server, so that the memory figures
 * belong to that size alone and the load generator does not share the server's event loop.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCommerceServer } from '../../mock-commerce/app.js';
import type { Commerce } from '../../mock-commerce/commerce.js';
import { generateData } from '../../mock-commerce/data/generate.js';
import { type IntegrationObjectModel, itemByCode } from '../../mock-commerce/integration-objects/model.js';
import { entityKey } from '../../mock-commerce/odata/entity-values.js';
import { READ_CACHE_PROPERTY } from '../../mock-commerce/odata/read/response-cache.js';
import { loadCommerce } from '../../mock-commerce/project.js';
import type { Item } from '../../mock-commerce/store/store.js';
import { packageRoot } from '../../mock-commerce/util/package-root.js';
import { AUTH, IO, memory } from './common.js';

export interface CommerceServerOptions {
  scale: number;
  seed: number;
  /** The read cache (default true: the product's default, 2000 entries); false sets it to 0 entries. */
  cache?: boolean;
  /** Customers, addresses and orders too (default true); false: catalog data only. */
  customers?: boolean;
  /** See the file comment (default `generate`). */
  via?: 'generate' | 'loadCommerce';
  /** Write the EDMX and data for fe-mockserver-core here. */
  exportDir?: string;
  /** Leave out the product list in the ready message (when no requests will be made). */
  noProducts?: boolean;
}

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
  options: CommerceServerOptions;
  /** `loadCommerce` (`via: loadCommerce`: the whole load, generation included). */
  loadMillis: number;
  /** `generateData` (0 with `via: loadCommerce`). */
  generateMillis: number;
  /** The second `markLoaded()` (the snapshot reset returns to; 0 with `via: loadCommerce`). */
  markLoadedMillis: number;
  /** Everything until the data is ready to serve: load + generate + markLoaded. */
  totalLoadMillis: number;
  listenMillis: number;
  created: Record<string, number>;
  storeSize: number;
  productItems: number;
  /** Resident set size after load + generate (after a forced GC), its peak so far, JS heap (MB). */
  rssMB: number;
  peakRssMB: number;
  heapUsedMB: number;
  /** Every item of the Products entity set, in store order (empty with `noProducts`). */
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

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('commerce-server.ts needs --expose-gc (startChild(…, { gc: true }))');
  collect();
  collect();
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

function load(options: CommerceServerOptions): { commerce: Commerce; created: Record<string, number>; loadMillis: number; generateMillis: number; markLoadedMillis: number } {
  const projectDir = join(packageRoot(), 'demo');
  const properties: Record<string, string> = options.cache === false ? { [READ_CACHE_PROPERTY]: '0' } : {};
  const failed = (errors: { file: string; line: number; message: string }[]): Error =>
    new Error(`demo project failed to load: ${errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('; ')}`);
  const t0 = performance.now();
  if (options.via === 'loadCommerce') {
    const { commerce, report } = loadCommerce({ projectDir, properties, seed: options.seed, scale: options.scale, reuse: false });
    if (!commerce || report.errors.length > 0) throw failed(report.errors);
    return { commerce, created: report.generated ?? {}, loadMillis: performance.now() - t0, generateMillis: 0, markLoadedMillis: 0 };
  }
  const { commerce, report } = loadCommerce({ projectDir, properties, reuse: false });
  if (!commerce || report.errors.length > 0) throw failed(report.errors);
  const t1 = performance.now();
  // Outbound's store listeners off while generating (markLoaded attaches them again): see the file comment.
  commerce.outbound.close();
  (commerce.outbound as unknown as { autoGenerator: { close(): void } }).autoGenerator.close();
  const generated = generateData(commerce.store, { seed: options.seed, scale: options.scale, customers: options.customers ?? true });
  const t2 = performance.now();
  commerce.markLoaded();
  const t3 = performance.now();
  return { commerce, created: generated.created, loadMillis: t1 - t0, generateMillis: t2 - t1, markLoadedMillis: t3 - t2 };
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as CommerceServerOptions;
  const { commerce, created, loadMillis, generateMillis, markLoadedMillis } = load(options);

  // Memory of the loaded data alone, from a collected heap (before the product list below is built).
  gc();
  const mem = memory();

  const io = commerce.integrationObjects.get(IO);
  const item = io && itemByCode(io, 'Product');
  if (!io || !item) throw new Error(`integration object ${IO} with item Product not found in the demo project`);
  const products: BenchProduct[] = [];
  if (!options.noProducts) {
    for (const p of commerce.store.all('Product')) {
      products.push({ code: String(p.values.code), key: entityKey(io, item, p, commerce.store), rating: num(p.values.reviewRating), count: num(p.values.reviewCount) });
    }
  }
  if (options.exportDir) await exportForFeMockserver(commerce, io, options.exportDir);

  // Start serving from a collected heap: the garbage of the load would otherwise be collected during
  // the measurement.
  gc();
  const t3 = performance.now();
  const server = await startCommerceServer(commerce);
  const listenMillis = performance.now() - t3;
  send({
    kind: 'ready',
    url: server.url,
    options,
    loadMillis,
    generateMillis,
    markLoadedMillis,
    totalLoadMillis: loadMillis + generateMillis + markLoadedMillis,
    listenMillis,
    created,
    storeSize: commerce.store.size,
    productItems: commerce.store.count('Product'),
    ...mem,
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
