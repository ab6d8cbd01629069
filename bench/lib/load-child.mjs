// @ts-check
/**
 * Child process of the scale section, in plain JavaScript so that it runs on plain `node` against the
 * built package (`dist/`), as `commerce-sandbox up` and `startSandbox()` do: loads the demo project with
 * generated data once, then reports the time it took and the memory it holds (after a forced GC: run
 * with --expose-gc) over IPC, and exits.
 *
 *   node --expose-gc bench/lib/load-child.mjs <dist dir> '<{ scale, seed, customers, via }>'
 *
 * `via: 'loadCommerce'`: `loadCommerce({ projectDir: demo, seed, scale, reuse: false })`, the product's
 * own path (customers and orders included). `via: 'generate'` (default):
 * `loadCommerce({ projectDir: demo, reuse: false })`, then `generateData(store, { seed, scale, customers })`
 * and `markLoaded()` — what loadCommerce does with a seed, but able to leave customers and orders out.
 * Outbound's store listeners are detached while generating (a load with a seed generates before they are
 * attached; `markLoaded()` attaches them again), so that both paths do the same work.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const MB = 1024 * 1024;

async function main() {
  const [dist = '', json = '{}'] = process.argv.slice(2);
  /** @type {{ scale: number, seed: number, customers?: boolean, via?: 'generate' | 'loadCommerce' }} */
  const options = JSON.parse(json);
  const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc;
  if (!gc) throw new Error('load-child.mjs needs --expose-gc');
  const url = (/** @type {string} */ file) => pathToFileURL(join(dist, 'mock-commerce', file)).href;
  const t0 = performance.now();
  const [{ loadCommerce }, { generateData }] = await Promise.all([import(url('project.js')), import(url('data/generate.js'))]);
  const importMillis = performance.now() - t0;
  const projectDir = join(dist, '..', 'demo');
  const a = performance.now();
  let commerce;
  let created;
  let loadMillis;
  let generateMillis = 0;
  let markLoadedMillis = 0;
  if (options.via === 'loadCommerce') {
    const result = loadCommerce({ projectDir, seed: options.seed, scale: options.scale, reuse: false });
    if (!result.commerce || result.report.errors.length > 0) throw new Error(`load failed: ${JSON.stringify(result.report.errors)}`);
    commerce = result.commerce;
    created = result.report.generated ?? {};
    loadMillis = performance.now() - a;
  } else {
    const result = loadCommerce({ projectDir, reuse: false });
    if (!result.commerce || result.report.errors.length > 0) throw new Error(`load failed: ${JSON.stringify(result.report.errors)}`);
    commerce = result.commerce;
    const b = performance.now();
    loadMillis = b - a;
    commerce.outbound.close();
    commerce.outbound.autoGenerator.close();
    created = generateData(commerce.store, { seed: options.seed, scale: options.scale, customers: options.customers ?? true }).created;
    const c = performance.now();
    generateMillis = c - b;
    commerce.markLoaded();
    markLoadedMillis = performance.now() - c;
  }
  gc();
  gc();
  const usage = process.memoryUsage();
  const cpu = process.cpuUsage();
  process.send?.({
    kind: 'ready',
    url: '',
    importMillis,
    loadMillis,
    generateMillis,
    markLoadedMillis,
    totalLoadMillis: loadMillis + generateMillis + markLoadedMillis,
    created,
    storeSize: commerce.store.size,
    productItems: commerce.store.count('Product'),
    rssMB: usage.rss / MB,
    heapUsedMB: usage.heapUsed / MB,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    cpuMicros: cpu.user + cpu.system,
  });
  process.exit(0);
}

main().catch((e) => {
  process.send?.({ kind: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
