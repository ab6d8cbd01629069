/**
 * The benchmark suite (issue 8): `npm run bench` (full) or `npm run bench -- --quick` (< 2 minutes).
 *
 *   tsx bench/run.ts [--quick] [--only odata,third-party,scale,startup,scenarios] [--seed N]
 *                    [--seconds S] [--rounds N] [--warmup S] [--connections N]
 *
 * Sections (bench/README.md says what each measures):
 *   1+2 odata        OData reads vs @sap-ux/fe-mockserver-core, with the raw node:http and bare Express
 *                    limits for bodies of the same size, all in the same interleaved run;
 *   3   third-party  static and templated third-party stubs: ours vs WireMock vs msw over Express;
 *   4   scale        1k / 10k / 100k products: latencies, load time, RSS;
 *   5   startup      in-process start (demo project + 1k products), CLI process start to first 200;
 *   6   scenarios    wall time of `commerce-sandbox run` (skipped while that command does not exist).
 *
 * Load: autocannon in its own process (`lib/load-worker.ts`), 10 connections; every server in its own
 * process. Writes bench/results.md and bench/results/suite.json. Exit code 1 when a measurement failed
 * (a server answered something unexpected); missed targets are reported, not failures.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Child, askMemory, startChild, stopChild } from './lib/children.js';
import type { BenchProduct, ServerReady } from './lib/commerce-server.js';
import { AUTH, SERVICE, errorText, httpGet, median } from './lib/common.js';
import { type LoadRequest, type LoadWorker, startLoadWorker } from './lib/load-client.js';
import { type Endpoint, type EndpointResult, latencyRatio, measure, throughputRatio } from './lib/measure.js';
import { renderMarkdown } from './lib/report.js';
import type { StartupResult } from './lib/startup-child.js';
import { STATIC_BODY, STATIC_PATH, TEMPLATED_PATH_PREFIX, TEMPLATED_SUFFIX } from './lib/third-party-stubs.js';
import { javaVersion, startWiremock, wiremockJar } from './lib/wiremock.js';
import { seededRandom } from '../mock-commerce/util/random.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
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
  /** Fresh processes for the start-up measurements. */
  startupProcesses: number;
  /** In-process starts per start-up process (the first is cold). */
  startupRuns: number;
  /** Products of the scale section. */
  scaleProducts: number[];
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
    seconds: number('seconds', quick ? 0.6 : 3),
    rounds: number('rounds', quick ? 2 : 5),
    warmupSeconds: number('warmup', quick ? 0.3 : 2),
    connections: number('connections', 10),
    startupProcesses: number('startup-processes', quick ? 2 : 5),
    startupRuns: number('startup-runs', quick ? 4 : 10),
    scaleProducts: [1_000, 10_000, 100_000],
  };
}

const T0 = performance.now();
const log = (line: string): void => void process.stderr.write(`[${((performance.now() - T0) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);

// ------------------------------------------------------------------------------------------------
// Requests

const JSON_HEADERS = { Authorization: AUTH, Accept: 'application/json' };
export const FILTER = 'reviewRating ge 4';
export const ORDERBY = 'reviewCount desc';

function q(text: string): string {
  return text.replace(/ /g, '%20');
}

/** `n` products picked at random (seeded), for key reads. */
function pickProducts(products: BenchProduct[], n: number, seed: number): BenchProduct[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => products[Math.floor(random() * products.length)]!);
}

function keyPath(p: BenchProduct): string {
  return `${SERVICE}/Products('${encodeURIComponent(p.key)}')`;
}

interface ODataRequests {
  key: LoadRequest[];
  filter: LoadRequest[];
  expand: LoadRequest[];
  inlinecount: LoadRequest[];
  filterNoOrder: LoadRequest[];
}

/** The OData requests and their checks, for a server holding `products`. */
function odataRequests(products: BenchProduct[], seed: number): ODataRequests {
  const picks = pickProducts(products, 200, seed);
  const matching = products.filter((p) => p.rating !== null && p.rating >= 4).length;
  const page = Math.min(100, matching);
  return {
    key: picks.map((p) => ({ path: keyPath(p), headers: JSON_HEADERS, expect: [`"code":"${p.code}"`] })),
    filter: [
      {
        path: `${SERVICE}/Products?$filter=${q(FILTER)}&$orderby=${q(ORDERBY)}&$top=100`,
        headers: JSON_HEADERS,
        expect: ['"results"'],
        occurrences: { of: '"code":', count: page },
      },
    ],
    expand: picks.map((p) => ({
      path: `${keyPath(p)}?$expand=catalogVersion/catalog`,
      headers: JSON_HEADERS,
      expect: [`"code":"${p.code}"`, '"id":"sandboxProductCatalog"'],
    })),
    inlinecount: [
      {
        path: `${SERVICE}/Products?$filter=${q(FILTER)}&$top=100&$inlinecount=allpages`,
        headers: JSON_HEADERS,
        match: [`"__count":"?${matching}"?`],
        occurrences: { of: '"code":', count: page },
      },
    ],
    filterNoOrder: [
      {
        path: `${SERVICE}/Products?$filter=${q(FILTER)}&$top=100`,
        headers: JSON_HEADERS,
        expect: ['"results"'],
        occurrences: { of: '"code":', count: page },
      },
    ],
  };
}

// ------------------------------------------------------------------------------------------------
// Section 1 + 2: OData reads vs fe-mockserver-core, and the limits

export interface ODataSection {
  products: number;
  feMockserverLoadMillis: number;
  endpoints: EndpointResult[];
  /** Size of the precomputed bodies of the limit servers (= our answers), bytes. */
  limitBodyBytes: Record<string, number>;
}

async function writeLimitBodies(dir: string, bodies: Record<string, { headers: Record<string, string>; body: string }>): Promise<string> {
  const file = join(dir, 'limit-bodies.json');
  writeFileSync(file, JSON.stringify(bodies));
  return file;
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

async function odataSection(args: Args, worker: LoadWorker, tmp: string): Promise<ODataSection> {
  const products = 1_000;
  const exportDir = join(tmp, 'fe-mockserver');
  const children: Child[] = [];
  try {
    log(`starting our Commerce (${products} products) and exporting its EDMX + data for fe-mockserver-core…`);
    const ours = await startChild<ServerReady>('commerce-server.ts', [String(products / 100), String(args.seed), exportDir], { gc: true });
    children.push(ours);
    const fe = await startChild<{ kind: 'ready'; url: string; loadMillis: number }>('fe-mockserver-server.ts', [exportDir]);
    children.push(fe);
    const requests = odataRequests(ours.ready.products, args.seed);
    const names = ['key', 'filter', 'expand', 'inlinecount'] as const;
    const bodies: Record<string, { headers: Record<string, string>; body: string }> = {};
    for (const name of names) bodies[name] = await capture(ours.ready.url, requests[name][0]!);
    const bodiesFile = await writeLimitBodies(tmp, bodies);
    const raw = await startChild('limit-server.ts', ['raw', bodiesFile]);
    children.push(raw);
    const ex = await startChild('limit-server.ts', ['express', bodiesFile]);
    children.push(ex);
    const descriptions: Record<(typeof names)[number], string> = {
      key: "`Products('<key>')` (200 random keys)",
      filter: `\`Products?$filter=${FILTER}&$orderby=${ORDERBY}&$top=100\``,
      expand: "`Products('<key>')?$expand=catalogVersion/catalog` (200 random keys)",
      inlinecount: `\`Products?$filter=${FILTER}&$top=100&$inlinecount=allpages\``,
    };
    const endpoints: Endpoint[] = names.map((name) => ({
      name,
      description: descriptions[name],
      contenders: [
        { name: 'sandbox', url: ours.ready.url, requests: requests[name] },
        { name: 'fe-mockserver-core', url: fe.ready.url, requests: requests[name] },
        { name: 'node:http limit', url: raw.ready.url, requests: limitRequests(name, bodies[name]!.body) },
        { name: 'Express limit', url: ex.ready.url, requests: limitRequests(name, bodies[name]!.body) },
      ],
    }));
    log('section 1+2: OData reads vs fe-mockserver-core, and the limits');
    const results = await measure(worker, endpoints, { ...args, log });
    return {
      products,
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

async function thirdPartySection(args: Args, worker: LoadWorker, tmp: string): Promise<ThirdPartySection> {
  const children: Child[] = [];
  let wiremock: Awaited<ReturnType<typeof startWiremock>> | undefined;
  try {
    log('starting the third-party stubs (ours, msw over Express, WireMock)…');
    const ours = await startChild('third-party-server.ts', ['sandbox']);
    children.push(ours);
    const msw = await startChild('third-party-server.ts', ['msw']);
    children.push(msw);
    wiremock = await startWiremock(join(tmp, 'wiremock'));
    const random = seededRandom(args.seed);
    const templated: LoadRequest[] = Array.from({ length: 100 }, (_, i) => {
      const code = `P-${1 + Math.floor(random() * 1000)}`;
      const page = String(1 + (i % 5));
      return { path: `${TEMPLATED_PATH_PREFIX}${code}${TEMPLATED_SUFFIX}?page=${page}`, expect: [`"domain_key":"${code}"`, `"page":"${page}"`] };
    });
    const staticRequests: LoadRequest[] = [{ path: STATIC_PATH, expect: ['"domain_key":"P-10"', '"per_page":"10"'] }];
    const staticBody = JSON.stringify(STATIC_BODY);
    const templatedSample = await httpGet(`${ours.ready.url}${templated[0]!.path}`);
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
    const wiremockWarmup = Math.max(args.warmupSeconds * 3, args.quick ? 3 : 10);
    const endpoints: Endpoint[] = [
      {
        name: 'static',
        description: `\`GET ${STATIC_PATH}\` → fixed JSON (${Buffer.byteLength(staticBody)} bytes)`,
        contenders: [
          { name: 'sandbox', url: ours.ready.url, requests: staticRequests },
          { name: 'WireMock', url: wiremock.url, requests: staticRequests, warmupSeconds: wiremockWarmup },
          { name: 'msw over Express', url: msw.ready.url, requests: staticRequests },
          { name: 'node:http limit', url: raw.ready.url, requests: [{ path: '/static', expect: ['"domain_key":"P-10"'] }] },
        ],
      },
      {
        name: 'templated',
        description: `\`GET ${TEMPLATED_PATH_PREFIX}{code}${TEMPLATED_SUFFIX}?page=N\` → JSON from path parameter and query (100 distinct URLs)`,
        contenders: [
          { name: 'sandbox', url: ours.ready.url, requests: templated },
          { name: 'WireMock', url: wiremock.url, requests: templated, warmupSeconds: wiremockWarmup },
          { name: 'msw over Express', url: msw.ready.url, requests: templated },
          { name: 'node:http limit', url: raw.ready.url, requests: [{ path: '/templated', expect: ['"domain_key"'] }] },
        ],
      },
    ];
    log('section 3: third-party stubs');
    const results = await measure(worker, endpoints, { ...args, log });
    return { wiremockStartMillis: wiremock.startMillis, endpoints: results };
  } finally {
    await Promise.all([...children.map((c) => stopChild(c.child)), wiremock?.stop()]);
  }
}

// ------------------------------------------------------------------------------------------------
// Section 4: scale

export interface ScaleSize {
  products: number;
  storeItems: number;
  created: Record<string, number>;
  loadMillis: number;
  generateMillis: number;
  rssMB: number;
  peakRssMB: number;
  heapUsedMB: number;
  rssAfterMB?: number;
}

export interface ScaleSection {
  sizes: ScaleSize[];
  endpoints: EndpointResult[];
}

async function scaleSection(args: Args, worker: LoadWorker): Promise<ScaleSection> {
  const children: Child<ServerReady>[] = [];
  try {
    const sizes: ScaleSize[] = [];
    for (const products of args.scaleProducts) {
      log(`starting our Commerce with ${products.toLocaleString('en')} generated products…`);
      const c = await startChild<ServerReady>('commerce-server.ts', [String(products / 100), String(args.seed)], { gc: true, timeoutMs: 300_000 });
      children.push(c);
      const r = c.ready;
      sizes.push({
        products,
        storeItems: r.storeSize,
        created: r.created,
        loadMillis: r.loadMillis,
        generateMillis: r.generateMillis,
        rssMB: r.rssMB,
        peakRssMB: r.peakRssMB,
        heapUsedMB: r.heapUsedMB,
      });
      log(`  load ${r.loadMillis.toFixed(0)} ms, generate ${r.generateMillis.toFixed(0)} ms, ${r.storeSize.toLocaleString('en')} items, RSS ${r.rssMB.toFixed(0)} MB`);
    }
    const requests = children.map((c) => odataRequests(c.ready.products, args.seed));
    const label = (products: number): string => `${products / 1000}k`;
    const endpoints: Endpoint[] = [
      { name: 'key', description: "`Products('<key>')`", contenders: children.map((c, i) => ({ name: label(args.scaleProducts[i]!), url: c.ready.url, requests: requests[i]!.key })) },
      {
        name: 'filter',
        description: `\`Products?$filter=${FILTER}&$top=100\``,
        contenders: children.map((c, i) => ({ name: label(args.scaleProducts[i]!), url: c.ready.url, requests: requests[i]!.filterNoOrder })),
      },
      {
        name: 'filter+inlinecount',
        description: `\`Products?$filter=${FILTER}&$top=100&$inlinecount=allpages\``,
        contenders: children.map((c, i) => ({ name: label(args.scaleProducts[i]!), url: c.ready.url, requests: requests[i]!.inlinecount })),
      },
    ];
    log('section 4: scale');
    // At 100k products a counted page takes a few hundred ms under load: runs of at least 1 s, so that
    // every connection gets answers in every run.
    const results = await measure(worker, endpoints, { ...args, seconds: Math.max(args.seconds, 1), log });
    for (let i = 0; i < children.length; i++) {
      const m = await askMemory(children[i]!.child);
      if (m) sizes[i]!.rssAfterMB = m.rssMB;
    }
    return { sizes, endpoints: results };
  } finally {
    await Promise.all(children.map((c) => stopChild(c.child)));
  }
}

// ------------------------------------------------------------------------------------------------
// Section 5: start-up

export interface StartupSection {
  inProcess: {
    processes: number;
    runsPerProcess: number;
    importMillis: number;
    cold: { loadMillis: number; generateMillis: number; listenMillis: number; firstMetadataMillis: number; totalMillis: number };
    warm: { loadMillis: number; generateMillis: number; listenMillis: number; firstMetadataMillis: number; totalMillis: number };
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
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'bin', 'commerce-sandbox.js'), 'up', '--project', join(ROOT, 'demo'), '--commerce-port', String(port), ...extra], {
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
  const results: StartupResult[] = [];
  for (let i = 0; i < args.startupProcesses; i++) {
    const { ready } = await startChild<StartupResult>('startup-child.ts', [String(args.startupRuns), '10', String(args.seed)]);
    results.push(ready);
  }
  const pick = (runs: StartupResult['runs']) => ({
    loadMillis: median(runs.map((r) => r.loadMillis)),
    generateMillis: median(runs.map((r) => r.generateMillis)),
    listenMillis: median(runs.map((r) => r.listenMillis)),
    firstMetadataMillis: median(runs.map((r) => r.firstMetadataMillis)),
    totalMillis: median(runs.map((r) => r.totalMillis)),
  });
  const inProcess = {
    processes: args.startupProcesses,
    runsPerProcess: args.startupRuns,
    importMillis: median(results.map((r) => r.importMillis)),
    cold: pick(results.map((r) => r.runs[0]!)),
    warm: pick(results.flatMap((r) => r.runs.slice(1))),
  };
  log(`  in-process: cold ${inProcess.cold.totalMillis.toFixed(1)} ms, warm ${inProcess.warm.totalMillis.toFixed(1)} ms`);
  const cli: StartupSection['cli'] = [];
  for (const [label, extra] of [
    ['demo project', []],
    ['demo project + 1k generated products (`--seed 1 --scale 10`)', ['--seed', String(args.seed), '--scale', '10']],
  ] as [string, string[]][]) {
    const millis: number[] = [];
    let error: string | undefined;
    try {
      // One unmeasured start first (full mode): the OS file cache, as a developer's second start finds it.
      if (!args.quick) await cliStart(extra);
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

export interface ScenarioSection {
  available: boolean;
  note: string;
  millis?: number;
  exitCode?: number;
  output?: string;
}

function scenarioSection(): ScenarioSection {
  log('section 6: scenario replay');
  const cli = join(ROOT, 'dist', 'bin', 'commerce-sandbox.js');
  if (!existsSync(cli)) return { available: false, note: 'not available: dist/bin/commerce-sandbox.js does not exist (run `npm run build`)' };
  const help = spawnSync(process.execPath, [cli, 'help', 'run'], { encoding: 'utf8' });
  const commands = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
  if (!/^\s+run\b/m.test(commands.stdout) || help.status !== 0) {
    return { available: false, note: 'not available: `commerce-sandbox run` does not exist yet (the scenario engine is being built)' };
  }
  const started = performance.now();
  const run = spawnSync(process.execPath, [cli, 'run'], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  const millis = performance.now() - started;
  const output = `${run.stdout}${run.stderr}`.trim();
  return {
    available: true,
    note: run.status === 0 ? 'ran the shipped scenarios' : `exited with code ${run.status}`,
    millis,
    exitCode: run.status ?? -1,
    output: output.length > 2000 ? `${output.slice(0, 2000)}…` : output,
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
  machine: { platform: string; cpu: string; cores: number; memoryGB: number };
  versions: Versions;
  wallSeconds?: number;
  /** `npm run build` before the CLI sections. */
  build?: string;
  odata?: ODataSection | { error: string };
  thirdParty?: ThirdPartySection | { error: string };
  scale?: ScaleSection | { error: string };
  startup?: StartupSection | { error: string };
  scenarios?: ScenarioSection | { error: string };
}

async function main(): Promise<void> {
  const started = performance.now();
  const args = parseArgs(process.argv.slice(2));
  const ownVersion = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const result: SuiteResult = {
    date: new Date().toISOString(),
    mode: args.quick ? 'quick' : 'full',
    args,
    machine: { platform: `${process.platform} ${process.arch}`, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30) },
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
  if (args.sections.includes('startup') || args.sections.includes('scenarios')) {
    // The CLI sections run dist/: build it from the current sources. A failing build (e.g. work in
    // progress elsewhere) leaves the previous dist/, which is then measured and said so in the report.
    log('building dist/ for the CLI sections (npm run build)…');
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    result.build = build.status === 0 ? 'ok' : `failed, the previous dist/ was measured: ${`${build.stdout}${build.stderr}`.trim().split('\n').slice(-3).join(' ')}`;
    if (build.status !== 0) log(`  build ${result.build}`);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'commerce-sandbox-bench-'));
  const worker = await startLoadWorker();
  let failed = false;
  const section = async <T>(name: Section, work: () => Promise<T> | T): Promise<T | { error: string } | undefined> => {
    if (!args.sections.includes(name)) return undefined;
    try {
      return await work();
    } catch (e) {
      failed = true;
      log(`section ${name} FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return { error: errorText(e) };
    }
  };
  try {
    result.odata = await section('odata', () => odataSection(args, worker, tmp));
    result.thirdParty = await section('third-party', () => thirdPartySection(args, worker, tmp));
    result.scale = await section('scale', () => scaleSection(args, worker));
    result.startup = await section('startup', () => startupSection(args));
    result.scenarios = await section('scenarios', () => scenarioSection());
  } finally {
    await worker.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  result.wallSeconds = (performance.now() - started) / 1000;
  for (const s of [result.odata, result.thirdParty, result.scale]) {
    if (s && 'endpoints' in s) for (const e of s.endpoints) for (const c of e.contenders) if (c.error) failed = true;
  }
  const resultsDir = join(HERE, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'suite.json'), `${JSON.stringify(result, null, 2)}\n`);
  const markdown = renderMarkdown(result, { throughputRatio, latencyRatio });
  writeFileSync(join(HERE, 'results.md'), markdown);
  process.stdout.write(markdown);
  log(`\nwall time ${result.wallSeconds.toFixed(1)} s; wrote bench/results.md and bench/results/suite.json`);
  if (failed) {
    log('BENCHMARK FAILED: see the errors above (a server answered something unexpected, or a section could not run)');
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  log(`\nBENCHMARK FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
