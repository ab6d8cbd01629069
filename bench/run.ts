/**
 * The benchmark suite (issue 8): `npm run bench` (full, ≈ 10 min) or `npm run bench -- --quick` (< 2 min).
 *
 *   tsx bench/run.ts [--quick] [--only odata,third-party,scale,startup,scenarios] [--seed N]
 *                    [--seconds S] [--rounds N] [--warmup S] [--connections N] [--keys N]
 *   tsx bench/run.ts --render [--quick]      # results(-quick).md again from results/suite(-quick).json
 *
 * Sections (bench/README.md says what each measures):
 *   1+2 odata        OData reads vs @sap-ux/fe-mockserver-core, our Commerce with the read cache on
 *                    (the default) and off, with the raw node:http and bare Express limits for bodies
 *                    of the same size, all in the same interleaved run;
 *   3   third-party  static and templated third-party stubs: ours vs WireMock vs msw over Express;
 *   4   scale        1k / 10k / 100k products (catalog data only; --quick: 1k / 10k), read cache off
 *                    and on: latencies, load time, RSS; full mode also loads scale 1000 with customers;
 *   5   startup      startSandbox() (dist/) with the demo project and 1k products, first and warm;
 *                    CLI process start to first 200;
 *   6   scenarios    wall time of `commerce-sandbox run` (the shipped scenarios).
 *
 * Load: autocannon in its own process (`lib/load-worker.ts`), 10 connections; every server in its own
 * process. Writes bench/results.md and bench/results/suite.json. Exit code 1 when a measurement failed
 * (a server answered something unexpected, a scenario failed); missed targets are reported, not failures.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Child, askMemory, startChild, stopChild } from './lib/children.js';
import type { CommerceServerOptions, ServerReady } from './lib/commerce-server.js';
import { AUTH, CACHE_OFF, CACHE_ON, NO_JOURNAL, SERVICE, errorText, httpGet, machineCpuMicros, median, scaleContender } from './lib/common.js';
import { FILTER, ORDERBY, type ODataRequests, odataRequests } from './lib/odata-requests.js';
import { type LoadRequest, type LoadWorker, startLoadWorker } from './lib/load-client.js';
import { type Endpoint, type EndpointResult, latencyRatio, measure, throughputRatio } from './lib/measure.js';
import { renderMarkdown } from './lib/report.js';
import { STATIC_BODY, STATIC_PATH, TEMPLATED_PATH_PREFIX, TEMPLATED_SUFFIX } from './lib/third-party-stubs.js';
import { type RunningWiremock, javaVersion, startWiremock, wiremockJar } from './lib/wiremock.js';
import { DEFAULT_READ_CACHE_ENTRIES } from '../mock-commerce/odata/read/response-cache.js';
import { seededRandom } from '../mock-commerce/util/random.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const DIST = join(ROOT, 'dist');
const require = createRequire(import.meta.url);

export const SECTIONS = ['odata', 'third-party', 'scale', 'startup', 'scenarios'] as const;
type Section = (typeof SECTIONS)[number];

export interface Args {
  quick: boolean;
  sections: Section[];
  seed: number;
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  connections: number;
  /** Distinct random product keys of the key reads (and, with `$expand`, of the expand reads). */
  keys: number;
  /** Fresh processes for the start-up measurements. */
  startupProcesses: number;
  /** startSandbox() calls per start-up process (the first is the process's first). */
  startupRuns: number;
  /** Online products of the scale section (scale = products / 100). */
  scaleProducts: number[];
  /** Also load scale 1000 with customers and orders (load time and RSS only). */
  scaleReference: boolean;
  /** Fresh processes per size for the load time and RSS of the scale section. */
  loadRuns: number;
  /** Replays of `commerce-sandbox run`. */
  scenarioRuns: number;
}

function parseArgs(argv: string[]): Args {
  const quick = argv.includes('--quick');
  const value = (name: string): string | undefined => {
    const at = argv.indexOf(`--${name}`);
    return at < 0 ? undefined : argv[at + 1];
  };
  const number = (name: string, fallback: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!(v > 0)) throw new Error(`--${name} needs a positive number`);
    return v;
  };
  const only = value('only');
  const sections = only ? (only.split(',') as Section[]) : [...SECTIONS];
  for (const s of sections) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${s} (${SECTIONS.join(', ')})`);
  return {
    quick,
    sections,
    seed: number('seed', 1),
    seconds: number('seconds', quick ? 0.4 : 1.5),
    rounds: number('rounds', quick ? 2 : 5),
    warmupSeconds: number('warmup', quick ? 0.25 : 1),
    connections: number('connections', 10),
    keys: number('keys', 800),
    startupProcesses: number('startup-processes', quick ? 2 : 5),
    startupRuns: number('startup-runs', quick ? 4 : 10),
    scaleProducts: quick ? [1_000, 10_000] : [1_000, 10_000, 100_000],
    scaleReference: !quick,
    loadRuns: number('load-runs', quick ? 1 : 3),
    scenarioRuns: number('scenario-runs', quick ? 1 : 3),
  };
}

const T0 = performance.now();
const log = (line: string): void => void process.stderr.write(`[${((performance.now() - T0) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);

/** Starts several children at once (2 cores: starts overlap); stops the started ones if one fails. */
async function startChildren<R extends ServerReady | { kind: 'ready'; url: string }>(specs: [string, string[], Parameters<typeof startChild>[2]?][]): Promise<Child<R>[]> {
  const settled = await Promise.allSettled(specs.map(([script, args, options]) => startChild<R>(script, args, options)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? stopChild(s.value.child) : undefined)));
    throw failed.reason;
  }
  return settled.map((s) => (s as PromiseFulfilledResult<Child<R>>).value);
}

function commerceChild(options: CommerceServerOptions): [string, string[], { gc: boolean; timeoutMs: number }] {
  return ['commerce-server.ts', [JSON.stringify(options)], { gc: true, timeoutMs: 300_000 }];
}

// ------------------------------------------------------------------------------------------------
// Section 1 + 2: OData reads vs fe-mockserver-core, and the limits

export interface ReadCacheUse {
  /** `sandbox.read.cache.entries` of the cache-on server (the default). */
  capacity: number;
  /** Distinct URLs the benchmark sends to one cache-on server over the whole run. */
  distinctUrls: number;
}

export interface ODataSection {
  products: number;
  productItems: number;
  keys: number;
  readCache: ReadCacheUse;
  feMockserverLoadMillis: number;
  endpoints: EndpointResult[];
  /** Size of the precomputed bodies of the limit servers (= our answers), bytes. */
  limitBodyBytes: Record<string, number>;
}

/** Captures our answer to `request` (headers a client sees + body) for a limit server. */
async function capture(url: string, request: LoadRequest): Promise<{ headers: Record<string, string>; body: string }> {
  const r = await httpGet(`${url}${request.path}`, request.headers ?? {});
  if (r.status !== 200) throw new Error(`GET ${request.path} answered ${r.status}: ${r.body.slice(0, 300)}`);
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'dataserviceversion', 'content-language']) if (r.headers[name]) headers[name] = r.headers[name]!;
  return { headers, body: r.body };
}

function limitRequests(name: string, body: string): LoadRequest[] {
  return [{ path: `/${name}`, expect: [body.slice(0, 40)], occurrences: { of: '"code":', count: body.split('"code":').length - 1 } }];
}

async function odataSection(args: Args, worker: LoadWorker, tmp: string, ready: Promise<unknown>): Promise<ODataSection> {
  const products = 1_000;
  const exportDir = join(tmp, 'fe-mockserver');
  const children: Child[] = [];
  try {
    log(`starting our Commerce twice (${products} products; read cache on / off) and exporting its EDMX + data for fe-mockserver-core…`);
    const [on, off] = await startChildren<ServerReady>([
      commerceChild({ scale: products / 100, seed: args.seed, cache: true, exportDir }),
      commerceChild({ scale: products / 100, seed: args.seed, cache: false }),
    ]);
    children.push(on!, off!);
    if (on!.ready.products.map((p) => p.key).join() !== off!.ready.products.map((p) => p.key).join()) throw new Error('the cache-on and cache-off servers hold different products');
    const fe = await startChild<{ kind: 'ready'; url: string; loadMillis: number }>('fe-mockserver-server.ts', [exportDir]);
    children.push(fe);
    const requests = odataRequests(on!.ready.products, args.keys, args.seed);
    const names = ['key', 'filter', 'expand', 'inlinecount'] as const;
    const bodies: Record<string, { headers: Record<string, string>; body: string }> = {};
    for (const name of names) bodies[name] = await capture(off!.ready.url, requests[name][0]!);
    const bodiesFile = join(tmp, 'limit-bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    const limits = await startChildren([
      ['limit-server.ts', ['raw', bodiesFile]],
      ['limit-server.ts', ['express', bodiesFile]],
    ]);
    children.push(...limits);
    const [raw, ex] = limits;
    const keys = requests.key.length;
    const descriptions: Record<(typeof names)[number], string> = {
      key: `\`Products('<key>')\` (${keys} distinct random keys)`,
      filter: `\`Products?$filter=${FILTER}&$orderby=${ORDERBY}&$top=100\``,
      expand: `\`Products('<key>')?$expand=catalogVersion/catalog\` (the same ${keys} keys)`,
      inlinecount: `\`Products?$filter=${FILTER}&$top=100&$inlinecount=allpages\``,
    };
    const endpoints: Endpoint[] = names.map((name) => ({
      name,
      description: descriptions[name],
      contenders: [
        { name: CACHE_ON, url: on!.ready.url, requests: requests[name], pid: on!.child.pid },
        { name: CACHE_OFF, url: off!.ready.url, requests: requests[name], pid: off!.child.pid },
        { name: 'fe-mockserver-core', url: fe.ready.url, requests: requests[name], pid: fe.child.pid },
        { name: 'node:http limit', url: raw!.ready.url, requests: limitRequests(name, bodies[name]!.body), pid: raw!.child.pid },
        { name: 'Express limit', url: ex!.ready.url, requests: limitRequests(name, bodies[name]!.body), pid: ex!.child.pid },
      ],
    }));
    // WireMock's start and warm-up, and the build, overlap these servers' starts, not their warm-up (a
    // warm-up sharing the CPU with them would leave the first endpoint's servers cold in quick mode).
    await ready;
    log('section 1+2: OData reads vs fe-mockserver-core, and the limits');
    // Quick mode: first a warm-up of each server on all four endpoints at once (1.2 s), as the
    // per-endpoint warm-ups of 0.25 s leave the JIT of the bigger servers (ours, fe-mockserver-core,
    // Express) cold: their CPU per request is then up to twice the warm one, the raw limit's not.
    if (args.quick) {
      for (let c = 0; c < endpoints[0]!.contenders.length; c++) {
        const mixed = endpoints.flatMap((e) => e.contenders[c]!.requests.slice(0, 100));
        await worker.run({ url: endpoints[0]!.contenders[c]!.url, requests: mixed, connections: args.connections, seconds: 0, warmupSeconds: 1.2 });
      }
    }
    const results = await measure(worker, endpoints, { ...args, log });
    return {
      products,
      productItems: on!.ready.productItems,
      keys,
      readCache: { capacity: DEFAULT_READ_CACHE_ENTRIES, distinctUrls: names.reduce((n, name) => n + requests[name].length, 0) },
      feMockserverLoadMillis: fe.ready.loadMillis,
      endpoints: results,
      limitBodyBytes: Object.fromEntries(Object.entries(bodies).map(([k, v]) => [k, Buffer.byteLength(v.body)])),
    };
  } finally {
    await Promise.all(children.map((c) => stopChild(c.child)));
  }
}

// ------------------------------------------------------------------------------------------------
// Section 3: third-party stubs

export interface ThirdPartySection {
  wiremockStartMillis: number;
  endpoints: EndpointResult[];
}

/** The requests of the third-party routes: the static one, and 100 distinct templated URLs. */
function thirdPartyRequests(seed: number): { staticRequests: LoadRequest[]; templated: LoadRequest[] } {
  const random = seededRandom(seed);
  const templated: LoadRequest[] = Array.from({ length: 100 }, (_, i) => {
    const code = `P-${1 + Math.floor(random() * 1000)}`;
    const page = String(1 + (i % 5));
    return { path: `${TEMPLATED_PATH_PREFIX}${code}${TEMPLATED_SUFFIX}?page=${page}`, expect: [`"domain_key":"${code}"`, `"page":"${page}"`] };
  });
  return { staticRequests: [{ path: STATIC_PATH, expect: ['"domain_key":"P-10"', '"per_page":"10"'] }], templated };
}

async function thirdPartySection(args: Args, worker: LoadWorker, tmp: string, wiremock: RunningWiremock): Promise<ThirdPartySection> {
  const children: Child[] = [];
  try {
    log('starting the third-party stubs (ours with and without journal, msw over Express; WireMock is up)…');
    const [ours, bare, msw] = await startChildren([
      ['third-party-server.ts', ['sandbox']],
      ['third-party-server.ts', ['sandbox-no-journal']],
      ['third-party-server.ts', ['msw']],
    ]);
    children.push(ours!, bare!, msw!);
    const { staticRequests, templated } = thirdPartyRequests(args.seed);
    const staticBody = JSON.stringify(STATIC_BODY);
    const templatedSample = await httpGet(`${ours!.ready.url}${templated[0]!.path}`);
    const bodiesFile = join(tmp, 'third-party-bodies.json');
    writeFileSync(
      bodiesFile,
      JSON.stringify({
        static: { headers: { 'content-type': 'application/json' }, body: staticBody },
        templated: { headers: { 'content-type': 'application/json' }, body: templatedSample.body },
      }),
    );
    const raw = await startChild('limit-server.ts', ['raw', bodiesFile]);
    children.push(raw);
    // WireMock's JIT: a fresh WireMock reaches its full speed on the static route only after ≈ 11 s of
    // load (measured here: ≈ 0.7k req/s in its first second, ≈ 16k from the 12th on). It had 12 s on
    // both routes at the start of the suite; it gets a longer warm-up here than the others as well.
    const wiremockWarmup = [Math.max(args.warmupSeconds * 3, args.quick ? 2 : 8), Math.max(args.warmupSeconds * 3, args.quick ? 1 : 4)];
    const endpoints: Endpoint[] = [
      {
        name: 'static',
        description: `\`GET ${STATIC_PATH}\` → fixed JSON (${Buffer.byteLength(staticBody)} bytes)`,
        contenders: [
          { name: 'sandbox', url: ours!.ready.url, requests: staticRequests, pid: ours!.child.pid },
          { name: NO_JOURNAL, url: bare!.ready.url, requests: staticRequests, pid: bare!.child.pid },
          { name: 'WireMock', url: wiremock.url, requests: staticRequests, warmupSeconds: wiremockWarmup[0], pid: wiremock.process.pid },
          { name: 'msw over Express', url: msw!.ready.url, requests: staticRequests, pid: msw!.child.pid },
          { name: 'node:http limit', url: raw.ready.url, requests: [{ path: '/static', expect: ['"domain_key":"P-10"'] }], pid: raw.child.pid },
        ],
      },
      {
        name: 'templated',
        description: `\`GET ${TEMPLATED_PATH_PREFIX}{code}${TEMPLATED_SUFFIX}?page=N\` → JSON from path parameter and query (100 distinct URLs)`,
        contenders: [
          { name: 'sandbox', url: ours!.ready.url, requests: templated, pid: ours!.child.pid },
          { name: NO_JOURNAL, url: bare!.ready.url, requests: templated, pid: bare!.child.pid },
          { name: 'WireMock', url: wiremock.url, requests: templated, warmupSeconds: wiremockWarmup[1], pid: wiremock.process.pid },
          { name: 'msw over Express', url: msw!.ready.url, requests: templated, pid: msw!.child.pid },
          { name: 'node:http limit', url: raw.ready.url, requests: [{ path: '/templated', expect: ['"domain_key"'] }], pid: raw.child.pid },
        ],
      },
    ];
    log('section 3: third-party stubs');
    const results = await measure(worker, endpoints, { ...args, log });
    return { wiremockStartMillis: wiremock.startMillis, endpoints: results };
  } finally {
    await Promise.all(children.map((c) => stopChild(c.child)));
  }
}

// ------------------------------------------------------------------------------------------------
// Section 4: scale

/** What `lib/load-child.mjs` reports. */
interface LoadChildReady {
  kind: 'ready';
  url: string;
  importMillis: number;
  loadMillis: number;
  generateMillis: number;
  markLoadedMillis: number;
  totalLoadMillis: number;
  created: Record<string, number>;
  storeSize: number;
  productItems: number;
  rssMB: number;
  heapUsedMB: number;
  peakRssMB: number;
  /** The child's CPU time (user + system) until it reported, µs. */
  cpuMicros: number;
}

/** One data set loaded `runs` times, each in a fresh plain-node process on dist/ (medians). */
export interface ScaleLoad {
  /** Online products (scale × 100). */
  products: number;
  customers: boolean;
  via: 'generate' | 'loadCommerce';
  runs: number;
  productItems: number;
  storeItems: number;
  created: Record<string, number>;
  importMillis: number;
  loadMillis: number;
  generateMillis: number;
  markLoadedMillis: number;
  totalLoadMillis: number;
  /** Every run's total, ms. */
  totalLoadMillisRuns: number[];
  rssMB: number;
  peakRssMB: number;
  heapUsedMB: number;
  /** Per run: the share of the machine's CPU that other processes used while it loaded. */
  otherCpuShare: number[];
}

export interface ScaleSection {
  keys: number;
  readCache: ReadCacheUse;
  /** Catalog data only (customers: false), per size. */
  loads: ScaleLoad[];
  /** Scale 1000 with customers and orders, the product's own load path (full mode). */
  reference?: ScaleLoad | { error: string };
  /** RSS of the serving processes (under tsx) after the measurement, MB. */
  serverRssAfterMB: Record<string, number>;
  endpoints: EndpointResult[];
}

async function measureLoad(options: { scale: number; seed: number; customers: boolean; via: 'generate' | 'loadCommerce' }, runs: number): Promise<ScaleLoad> {
  const results: LoadChildReady[] = [];
  const otherCpuShare: number[] = [];
  for (let i = 0; i < runs; i++) {
    const machineBefore = machineCpuMicros();
    const ownBefore = process.cpuUsage();
    const { ready } = await startChild<LoadChildReady>('load-child.mjs', [DIST, JSON.stringify(options)], { plainNode: true, gc: true, timeoutMs: 300_000 });
    const own = process.cpuUsage(ownBefore);
    const machineAfter = machineCpuMicros();
    results.push(ready);
    if (machineBefore && machineAfter && machineAfter.total > machineBefore.total) {
      const other = machineAfter.busy - machineBefore.busy - ready.cpuMicros - own.user - own.system;
      otherCpuShare.push(Math.max(0, other) / (machineAfter.total - machineBefore.total));
    }
  }
  const m = (f: (r: LoadChildReady) => number): number => median(results.map(f));
  const last = results[results.length - 1]!;
  return {
    products: options.scale * 100,
    customers: options.customers,
    via: options.via,
    runs,
    productItems: last.productItems,
    storeItems: last.storeSize,
    created: last.created,
    importMillis: m((r) => r.importMillis),
    loadMillis: m((r) => r.loadMillis),
    generateMillis: m((r) => r.generateMillis),
    markLoadedMillis: m((r) => r.markLoadedMillis),
    totalLoadMillis: m((r) => r.totalLoadMillis),
    totalLoadMillisRuns: results.map((r) => r.totalLoadMillis),
    rssMB: m((r) => r.rssMB),
    peakRssMB: m((r) => r.peakRssMB),
    heapUsedMB: m((r) => r.heapUsedMB),
    otherCpuShare,
  };
}

async function scaleSection(args: Args, worker: LoadWorker): Promise<ScaleSection> {
  if (!existsSync(join(DIST, 'mock-commerce', 'project.js'))) throw new Error('dist/ is not built (npm run build)');
  // Load time and memory: fresh plain-node processes on dist/, one at a time, nothing else running.
  const loads: ScaleLoad[] = [];
  for (const products of args.scaleProducts) {
    log(`loading ${products.toLocaleString('en')} generated products (catalog only) ${args.loadRuns}× in fresh processes…`);
    const load = await measureLoad({ scale: products / 100, seed: args.seed, customers: false, via: 'generate' }, args.loadRuns);
    loads.push(load);
    log(`  load ${load.totalLoadMillis.toFixed(0)} ms (loadCommerce demo ${load.loadMillis.toFixed(0)}, generateData ${load.generateMillis.toFixed(0)}, markLoaded ${load.markLoadedMillis.toFixed(0)}), ${load.storeItems.toLocaleString('en')} items, RSS ${load.rssMB.toFixed(0)} MB`);
  }
  let reference: ScaleSection['reference'];
  if (args.scaleReference) {
    log('loading scale 1000 with customers and orders (loadCommerce with seed + scale), for reference…');
    try {
      reference = await measureLoad({ scale: 1000, seed: args.seed, customers: true, via: 'loadCommerce' }, 1);
      log(`  load ${reference.totalLoadMillis.toFixed(0)} ms, ${reference.storeItems.toLocaleString('en')} items, RSS ${reference.rssMB.toFixed(0)} MB`);
    } catch (e) {
      reference = { error: errorText(e) };
    }
  }
  const children: { products: number; cache: boolean; child: Child<ServerReady> }[] = [];
  try {
    for (const products of args.scaleProducts) {
      log(`starting our Commerce with ${products.toLocaleString('en')} products twice (read cache off / on)…`);
      const [off, on] = await startChildren<ServerReady>([
        commerceChild({ scale: products / 100, seed: args.seed, cache: false, customers: false }),
        commerceChild({ scale: products / 100, seed: args.seed, cache: true, customers: false }),
      ]);
      children.push({ products, cache: false, child: off! }, { products, cache: true, child: on! });
    }
    const requests = children.map((c) => odataRequests(c.child.ready.products, args.keys, args.seed));
    const contenders = (pick: (r: ODataRequests) => LoadRequest[]) =>
      children.map((c, i) => ({ name: scaleContender(c.products, c.cache), url: c.child.ready.url, requests: pick(requests[i]!), pid: c.child.child.pid }));
    const keys = requests[0]!.key.length;
    const endpoints: Endpoint[] = [
      { name: 'key', description: `\`Products('<key>')\` (${keys} distinct random keys per size)`, contenders: contenders((r) => r.key) },
      { name: 'filter', description: `\`Products?$filter=${FILTER}&$top=100\``, contenders: contenders((r) => r.filterNoOrder) },
      { name: 'filter+inlinecount', description: `\`Products?$filter=${FILTER}&$top=100&$inlinecount=allpages\``, contenders: contenders((r) => r.inlinecount) },
    ];
    log('section 4: scale');
    // At 100k products a counted page takes a few hundred ms under load: runs of at least 1 s, so that
    // every connection gets answers in every run.
    const big = args.scaleProducts.some((p) => p >= 100_000);
    const results = await measure(worker, endpoints, { ...args, seconds: big ? Math.max(args.seconds, 1) : args.seconds, log });
    const serverRssAfterMB: Record<string, number> = {};
    for (const c of children) {
      const m = await askMemory(c.child.child);
      if (m) serverRssAfterMB[scaleContender(c.products, c.cache)] = m.rssMB;
    }
    return {
      keys,
      readCache: { capacity: DEFAULT_READ_CACHE_ENTRIES, distinctUrls: keys + 2 },
      loads,
      ...(reference ? { reference } : {}),
      serverRssAfterMB,
      endpoints: results,
    };
  } finally {
    await Promise.all(children.map((c) => stopChild(c.child.child)));
  }
}

// ------------------------------------------------------------------------------------------------
// Section 5: start-up

/** One `startSandbox()` in `lib/startup-child.mjs`. */
export interface StartupRun {
  /** `sandbox.load.millis`: loadCommerce (import + generate, or the reuse of an identical load). */
  loadMillis: number;
  startSandboxMillis: number;
  firstMetadataMillis: number;
  totalMillis: number;
}

export interface StartupResult {
  kind: 'ready';
  url: string;
  /** From the process's start to the import of start-sandbox.js (node's bootstrap). */
  processMillis: number;
  importMillis: number;
  runs: StartupRun[];
}

export interface StartupFigures {
  loadMillis: number;
  startSandboxMillis: number;
  firstMetadataMillis: number;
  totalMillis: number;
}

export interface StartupSection {
  inProcess: {
    processes: number;
    runsPerProcess: number;
    processMillis: number;
    importMillis: number;
    first: StartupFigures;
    warm: StartupFigures;
  };
  cli: { label: string; args: string[]; millis: number[]; medianMillis: number; error?: string }[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Spawns the CLI and polls `$metadata` until the first 200; ms from spawn. */
async function cliStart(extra: string[]): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [join(DIST, 'bin', 'commerce-sandbox.js'), 'up', '--project', join(ROOT, 'demo'), '--commerce-port', String(port), ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the CLI exited with code ${child.exitCode}: ${stderr}`);
      try {
        const r = await httpGet(`http://127.0.0.1:${port}${SERVICE}/$metadata`, { Authorization: AUTH });
        if (r.status === 200 && r.body.includes('Name="Product"')) return performance.now() - started;
        throw new Error(`$metadata answered ${r.status}`);
      } catch (e) {
        if (!(e as NodeJS.ErrnoException).code) throw e; // an answer that is not 200
      }
      if (performance.now() - started > 30_000) throw new Error(`no answer within 30 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

async function startupSection(args: Args): Promise<StartupSection> {
  log('section 5: start-up');
  if (!existsSync(join(DIST, 'scenarios', 'sandbox', 'start-sandbox.js'))) throw new Error('dist/ is not built (npm run build)');
  const results: StartupResult[] = [];
  for (let i = 0; i < args.startupProcesses; i++) {
    const { ready } = await startChild<StartupResult>('startup-child.mjs', [DIST, String(args.startupRuns), '10', String(args.seed)], { plainNode: true });
    results.push(ready);
  }
  const pick = (runs: StartupRun[]): StartupFigures => ({
    loadMillis: median(runs.map((r) => r.loadMillis)),
    startSandboxMillis: median(runs.map((r) => r.startSandboxMillis)),
    firstMetadataMillis: median(runs.map((r) => r.firstMetadataMillis)),
    totalMillis: median(runs.map((r) => r.totalMillis)),
  });
  const inProcess = {
    processes: args.startupProcesses,
    runsPerProcess: args.startupRuns,
    processMillis: median(results.map((r) => r.processMillis)),
    importMillis: median(results.map((r) => r.importMillis)),
    first: pick(results.map((r) => r.runs[0]!)),
    warm: pick(results.flatMap((r) => r.runs.slice(1))),
  };
  log(`  startSandbox: first ${inProcess.first.totalMillis.toFixed(1)} ms (+ import ${inProcess.importMillis.toFixed(0)} ms), warm ${inProcess.warm.totalMillis.toFixed(1)} ms`);
  const cli: StartupSection['cli'] = [];
  const variants: [string, string[]][] = [['demo project', []]];
  // Full mode also: with generated data (quick mode leaves it out for time).
  if (!args.quick) variants.push(['demo project + 1k generated products (`--seed 1 --scale 10`)', ['--seed', String(args.seed), '--scale', '10']]);
  for (const [label, extra] of variants) {
    const millis: number[] = [];
    let error: string | undefined;
    try {
      // One unmeasured start first: the OS file cache, as a developer's second start finds it.
      await cliStart(extra);
      for (let i = 0; i < args.startupProcesses; i++) millis.push(await cliStart(extra));
    } catch (e) {
      error = errorText(e);
    }
    cli.push({ label, args: extra, millis, medianMillis: median(millis), ...(error ? { error } : {}) });
    log(`  CLI (${label}): ${error ? `FAILED: ${error}` : `${median(millis).toFixed(0)} ms`}`);
  }
  return { inProcess, cli };
}

// ------------------------------------------------------------------------------------------------
// Section 6: scenario replay

export interface ScenarioRun {
  millis: number;
  exitCode: number;
  passed?: number;
  failed?: number;
  errors?: number;
  /** The runner's own figure (from its summary line), ms. */
  reportedMillis?: number;
}

export interface ScenarioSection {
  command: string;
  runs: ScenarioRun[];
  medianMillis: number;
  scenarios?: number;
  allPassed: boolean;
  /** The summary and any failure report of the last run (trimmed). */
  output: string;
}

function scenarioSection(args: Args): ScenarioSection {
  log('section 6: scenario replay');
  const cli = join(DIST, 'bin', 'commerce-sandbox.js');
  if (!existsSync(cli)) throw new Error('dist/bin/commerce-sandbox.js does not exist (npm run build)');
  const runs: ScenarioRun[] = [];
  let output = '';
  for (let i = 0; i < args.scenarioRuns; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, [cli, 'run', '--no-color'], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
    const millis = performance.now() - started;
    output = `${run.stdout}${run.stderr}`.trim();
    const summary = /(\d+) passed, (\d+) failed, (\d+) errors? \(([\d.]+) (m?s)\)/.exec(output);
    runs.push({
      millis,
      exitCode: run.status ?? -1,
      ...(summary
        ? { passed: Number(summary[1]), failed: Number(summary[2]), errors: Number(summary[3]), reportedMillis: Number(summary[4]) * (summary[5] === 's' ? 1000 : 1) }
        : {}),
    });
    log(`  run ${i + 1}/${args.scenarioRuns}: ${(millis / 1000).toFixed(2)} s, exit code ${run.status ?? '?'}${summary ? `, ${summary[0]}` : ''}`);
  }
  const last = runs[runs.length - 1]!;
  const allPassed = runs.every((r) => r.exitCode === 0 && r.failed === 0 && r.errors === 0);
  const failures = output.split('\n').filter((l) => /✗|^\s+\d+\)|^\d+ passed/.test(l));
  return {
    command: 'node dist/bin/commerce-sandbox.js run --no-color',
    runs,
    medianMillis: median(runs.map((r) => r.millis)),
    ...(last.passed !== undefined ? { scenarios: last.passed + (last.failed ?? 0) + (last.errors ?? 0) } : {}),
    allPassed,
    output: (allPassed ? output.split('\n').slice(-1).join('\n') : failures.join('\n')).slice(0, 3000),
  };
}

// ------------------------------------------------------------------------------------------------

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** True when dist/ was built after the last change to a source file it is built from. */
function distUpToDate(): boolean {
  const marker = join(DIST, 'bin', 'commerce-sandbox.js');
  if (!existsSync(marker)) return false;
  const built = statSync(marker).mtimeMs;
  const newer = (path: string): boolean => {
    const stat = statSync(path);
    if (!stat.isDirectory()) return /\.ts$/.test(path) && stat.mtimeMs > built;
    return readdirSync(path).some((entry) => entry !== 'node_modules' && newer(join(path, entry)));
  };
  return !['mock-commerce', 'mock-third-party', 'scenarios', 'bin', 'index.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].some((p) => {
    const path = join(ROOT, p);
    if (!existsSync(path)) return false;
    return p.endsWith('.json') ? statSync(path).mtimeMs > built : newer(path);
  });
}

export interface Versions {
  node: string;
  'commerce-sandbox': string;
  '@sap-ux/fe-mockserver-core': string;
  wiremock: string;
  java: string;
  express: string;
  msw: string;
  '@mswjs/http-middleware': string;
  autocannon: string;
}

export interface SuiteResult {
  date: string;
  mode: 'quick' | 'full';
  args: Args;
  machine: { platform: string; cpu: string; cores: number; memoryGB: number; loadAverageStart: number[]; loadAverageEnd?: number[] };
  /** 1-minute load average when each section started. */
  sectionLoadAverage?: Record<string, number>;
  versions: Versions;
  wallSeconds?: number;
  /** `npm run build` before the CLI sections. */
  build?: string;
  /** The measured sources: git commit, and whether the working tree had uncommitted changes. */
  commit?: string;
  odata?: ODataSection | { error: string };
  thirdParty?: ThirdPartySection | { error: string };
  scale?: ScaleSection | { error: string };
  startup?: StartupSection | { error: string };
  scenarios?: ScenarioSection | { error: string };
}

/** Writes bench/results(-quick).md (with bench/analysis.md) from a suite result; returns the markdown. */
function writeReport(result: SuiteResult): string {
  const suffix = result.mode === 'quick' ? '-quick' : '';
  const analysisFile = join(HERE, 'analysis.md');
  const analysis = existsSync(analysisFile) ? readFileSync(analysisFile, 'utf8') : undefined;
  const markdown = renderMarkdown(result, { throughputRatio, latencyRatio }, analysis);
  writeFileSync(join(HERE, `results${suffix}.md`), markdown);
  return markdown;
}

async function main(): Promise<void> {
  const started = performance.now();
  if (process.argv.includes('--render')) {
    // Only the report again, from the last run's JSON (e.g. after editing bench/analysis.md).
    const file = join(HERE, 'results', `suite${process.argv.includes('--quick') ? '-quick' : ''}.json`);
    writeReport(JSON.parse(readFileSync(file, 'utf8')) as SuiteResult);
    log(`wrote the report from ${file}`);
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  const ownVersion = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const result: SuiteResult = {
    date: new Date().toISOString(),
    mode: args.quick ? 'quick' : 'full',
    args,
    machine: {
      platform: `${process.platform} ${process.arch}`,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGB: Math.round(totalmem() / 2 ** 30),
      loadAverageStart: loadavg().map((x) => Math.round(x * 100) / 100),
    },
    versions: {
      node: process.version,
      'commerce-sandbox': ownVersion,
      '@sap-ux/fe-mockserver-core': packageVersion('@sap-ux/fe-mockserver-core'),
      wiremock: `${packageVersion('wiremock')} (${wiremockJar().split('/').pop() ?? ''})`,
      java: await javaVersion(),
      express: packageVersion('express'),
      msw: packageVersion('msw'),
      '@mswjs/http-middleware': packageVersion('@mswjs/http-middleware'),
      autocannon: packageVersion('autocannon'),
    },
  };
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status === 0) {
    const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
    result.commit = `${head.stdout.trim()}${dirty.stdout.trim() ? ' + uncommitted changes' : ''}`;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'commerce-sandbox-bench-'));
  const worker = await startLoadWorker();
  // WireMock's JVM takes seconds to start and its JIT ≈ 11 s of load to reach full speed: it starts now
  // and is warmed up for 12 s on both routes as soon as it is up, while the build and the first
  // section's servers start (none of that is measured); the first section's warm-up waits for both.
  const wiremock = args.sections.includes('third-party') ? startWiremock(join(tmp, 'wiremock')) : undefined;
  const wiremockWarm: Promise<unknown> =
    wiremock
      ?.then(async (w) => {
        const { staticRequests, templated } = thirdPartyRequests(args.seed);
        const requests = templated.flatMap((t) => [t, ...staticRequests]);
        await worker.run({ url: w.url, requests, connections: args.connections, seconds: 0, warmupSeconds: 12 }).catch(() => undefined);
      })
      .catch(() => undefined) ?? Promise.resolve();
  // The scale section's load measurement and the CLI sections run dist/: it is built from the current
  // sources (unless it is newer than all of them) while the first section's servers start — which run
  // the sources under tsx — and before anything is measured. A failing build (e.g. work in progress
  // elsewhere) leaves the previous dist/, which is then measured and said so in the report.
  const built: Promise<void> = (async () => {
    if (!args.sections.some((s) => s === 'scale' || s === 'startup' || s === 'scenarios')) return;
    if (distUpToDate()) {
      result.build = 'ok';
      return;
    }
    log('building dist/ (npm run build)…');
    const build = await new Promise<{ status: number | null; output: string }>((resolve) => {
      const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.on('close', (status) => resolve({ status, output }));
    });
    result.build = build.status === 0 ? 'ok' : `failed, the previous dist/ was measured: ${build.output.trim().split('\n').slice(-3).join(' ')}`;
    log(`  build ${result.build}`);
  })();
  const quiet = Promise.all([wiremockWarm, built]);
  let failed = false;
  const section = async <T>(name: Section, work: () => Promise<T> | T): Promise<T | { error: string } | undefined> => {
    if (!args.sections.includes(name)) return undefined;
    (result.sectionLoadAverage ??= {})[name] = Math.round(loadavg()[0]! * 100) / 100;
    try {
      return await work();
    } catch (e) {
      failed = true;
      log(`section ${name} FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return { error: errorText(e) };
    }
  };
  try {
    result.odata = await section('odata', () => odataSection(args, worker, tmp, quiet));
    await quiet;
    result.thirdParty = await section('third-party', async () => thirdPartySection(args, worker, tmp, await wiremock!));
    await (await wiremock?.catch(() => undefined))?.stop();
    result.scale = await section('scale', () => scaleSection(args, worker));
    result.startup = await section('startup', () => startupSection(args));
    result.scenarios = await section('scenarios', () => scenarioSection(args));
  } finally {
    await worker.stop();
    await (await wiremock?.catch(() => undefined))?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  result.wallSeconds = (performance.now() - started) / 1000;
  result.machine.loadAverageEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  for (const s of [result.odata, result.thirdParty, result.scale]) {
    if (s && 'endpoints' in s) for (const e of s.endpoints) for (const c of e.contenders) if (c.error) failed = true;
  }
  if (result.scenarios && !('error' in result.scenarios) && !result.scenarios.allPassed) failed = true;
  // Quick runs write files of their own: they do not replace the full run's figures.
  const suffix = args.quick ? '-quick' : '';
  const resultsDir = join(HERE, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `suite${suffix}.json`), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(writeReport(result));
  log(`\nwall time ${result.wallSeconds.toFixed(1)} s; wrote bench/results${suffix}.md and bench/results/suite${suffix}.json`);
  if (failed) {
    log('BENCHMARK FAILED: see the errors above (a server answered something unexpected, a scenario failed, or a section could not run)');
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  log(`\nBENCHMARK FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
