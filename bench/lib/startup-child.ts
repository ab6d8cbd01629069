/**
 * Child process for the start-up benchmark: in a fresh process, imports the sandbox, then starts a
 * Commerce in-process — load the demo project, generate 1k products (`generateData`, scale 10), listen
 * with `startCommerceServer` and answer a first `$metadata` — and closes it again, `runs` times.
 * The first run is the cold start (nothing compiled yet); the others are what a test suite that gives
 * every test a fresh Commerce pays per test.
 *
 *   startup-child.ts <runs> <scale> <seed>
 */
import { join } from 'node:path';
import { AUTH, SERVICE, httpGet } from './common.js';

export interface StartupRun {
  loadMillis: number;
  generateMillis: number;
  listenMillis: number;
  firstMetadataMillis: number;
  totalMillis: number;
}

export interface StartupResult {
  kind: 'ready';
  url: string;
  importMillis: number;
  runs: StartupRun[];
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const scale = Number(process.argv[3] ?? 10);
  const seed = Number(process.argv[4] ?? 1);
  const t0 = performance.now();
  const [{ startCommerceServer }, { generateData }, { loadCommerce }, { packageRoot }] = await Promise.all([
    import('../../mock-commerce/app.js'),
    import('../../mock-commerce/data/generate.js'),
    import('../../mock-commerce/project.js'),
    import('../../mock-commerce/util/package-root.js'),
  ]);
  const importMillis = performance.now() - t0;
  const out: StartupRun[] = [];
  for (let i = 0; i < runs; i++) {
    const a = performance.now();
    const { commerce, report } = loadCommerce({ projectDir: join(packageRoot(), 'demo') });
    if (!commerce || report.errors.length > 0) throw new Error('demo project failed to load');
    const b = performance.now();
    generateData(commerce.store, { seed, scale });
    const c = performance.now();
    const server = await startCommerceServer(commerce);
    const d = performance.now();
    const r = await httpGet(`${server.url}${SERVICE}/$metadata`, { Authorization: AUTH });
    const e = performance.now();
    if (r.status !== 200 || !r.body.includes('Name="Product"')) throw new Error(`$metadata answered ${r.status}`);
    await server.close();
    out.push({ loadMillis: b - a, generateMillis: c - b, listenMillis: d - c, firstMetadataMillis: e - d, totalMillis: e - a });
  }
  process.send?.({ kind: 'ready', url: '', importMillis, runs: out } satisfies StartupResult);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.send?.({ kind: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
