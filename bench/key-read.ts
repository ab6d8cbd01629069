/**
 * Benchmark: key reads stay flat as data grows.
 *
 *   npx tsx bench/key-read.ts [--quick] [--requests N] [--warmup N] [--rounds N] [--concurrency N] [--seed N]
 *
 * For each data size (1k and 100k generated Online products; --quick: 1k and 20k) a child process loads
 * the demo project, generates data (`generateData`, scale = products / 100) and serves it with
 * `startCommerceServer`. This process then measures, over real HTTP with 10 keep-alive connections:
 * - `GET /odata2webservices/ThirdPartyInboundProduct/$metadata`: independent of the data, so it is the
 *   control — it validates the harness and shows how much the machine alone moves the figures;
 * - `GET /odata2webservices/ThirdPartyInboundProduct/Products('<key>')` for random generated products
 *   (Online and Staged), key = `encodeURIComponent(integrationKey)`, integrationKey from `entityKey`.
 * All servers run at once and the measurement is interleaved: after a warm-up per server and endpoint,
 * `--rounds` rounds each send `requests / rounds` requests to every server and endpoint in turn, so that
 * load from elsewhere on the machine affects every size alike. Percentiles are over all requests.
 *
 * Every response must be 200 (and a product read must contain the product's code): anything else fails
 * the run loudly — the results are still printed and written, with the error, and the exit code is 1.
 *
 * Prints a markdown table and writes bench/results/key-read.json.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerMemory, ServerMessage, ServerReady } from './lib/commerce-server.js';
import { type LoadOptions, type LoadResult, type LoadSample, keepAliveAgent, runLoad, seededRandom, summarize } from './lib/http-load.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const IO = 'ThirdPartyInboundProduct';
const AUTH = `Basic ${Buffer.from('integrationuser:sandbox').toString('base64')}`;

interface Args {
  quick: boolean;
  /** Measured requests per server and endpoint, over all rounds. */
  requests: number;
  warmup: number;
  rounds: number;
  concurrency: number;
  seed: number;
}

function parseArgs(argv: string[]): Args {
  const quick = argv.includes('--quick');
  const number = (name: string, fallback: number): number => {
    const at = argv.indexOf(`--${name}`);
    if (at < 0) return fallback;
    const v = Number(argv[at + 1]);
    if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} needs a positive integer`);
    return v;
  };
  const args = {
    quick,
    requests: number('requests', quick ? 3_000 : 10_000),
    warmup: number('warmup', quick ? 500 : 2_000),
    rounds: number('rounds', quick ? 3 : 5),
    concurrency: number('concurrency', 10),
    seed: number('seed', 1),
  };
  if (args.requests < args.rounds) throw new Error('--requests must be at least --rounds');
  return args;
}

interface EndpointResult {
  endpoint: string;
  result?: LoadResult;
  /** p50 of each round, to show the spread. */
  roundP50Ms?: number[];
  error?: string;
}

interface SizeResult {
  products: number;
  scale: number;
  storeItems: number;
  loadMillis: number;
  generateMillis: number;
  /** Server process after load + generate (and a GC): resident set, its peak so far, JS heap. */
  rssMB: number;
  peakRssMB: number;
  heapUsedMB: number;
  /** Server process after the requests. */
  rssAfterMB?: number;
  peakRssAfterMB?: number;
  created: Record<string, number>;
  endpoints: EndpointResult[];
}

interface Endpoint {
  name: string;
  /** Includes the endpoint's own keep-alive agent: its connections are opened in the warm-up and reused. */
  load: Omit<LoadOptions, 'warmup' | 'requests' | 'concurrency'>;
  samples: LoadSample[];
  error?: string;
}

interface Server {
  child: ChildProcess;
  ready: ServerReady;
  size: SizeResult;
  endpoints: Endpoint[];
}

/** Starts the server child for a scale and waits until it has loaded, generated and is listening. */
function startServer(scale: number, seed: number): Promise<{ child: ChildProcess; ready: ServerReady }> {
  return new Promise((resolve, reject) => {
    // This process's execArgv (tsx's loader) so that the child runs under tsx like we do, plus --expose-gc.
    const child = fork(join(HERE, 'lib', 'commerce-server.ts'), [String(scale), String(seed)], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const onExit = (code: number | null): void => reject(new Error(`server exited with code ${code} before it was ready`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (m: ServerMessage) => {
      child.off('exit', onExit);
      if (m.kind === 'ready') resolve({ child, ready: m });
      else reject(new Error(m.kind === 'failed' ? `server failed: ${m.message}` : `unexpected message ${m.kind}`));
    });
  });
}

function askMemory(child: ChildProcess): Promise<ServerMemory | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 5_000);
    child.once('message', (m: ServerMessage) => {
      clearTimeout(timer);
      resolve(m.kind === 'memory' ? m : undefined);
    });
    child.send('memory');
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || !child.connected) {
      if (child.exitCode === null) child.kill();
      return resolve();
    }
    const timer = setTimeout(() => child.kill(), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.send('stop');
  });
}

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

function endpointsOf(ready: ServerReady, seed: number, concurrency: number): Endpoint[] {
  const headers = { Authorization: AUTH };
  const metadataPath = `/odata2webservices/${IO}/$metadata`;
  // Request i reads product pick(i); the check compares the answer with that product.
  const random = seededRandom(seed);
  const picks = new Map<number, { code: string; key: string }>();
  const pick = (i: number): { code: string; key: string } => {
    let p = picks.get(i);
    if (!p) picks.set(i, (p = ready.products[Math.floor(random() * ready.products.length)]!));
    return p;
  };
  return [
    {
      name: '$metadata',
      samples: [],
      load: {
        baseUrl: ready.url,
        agent: keepAliveAgent(concurrency),
        headers: { ...headers, Accept: 'application/xml' },
        path: () => metadataPath,
        check: ({ status, body, path }) =>
          status !== 200 ? `GET ${path} answered ${status}: ${excerpt(body)}` : body.includes('Name="Product"') ? undefined : `GET ${path}: no Product entity type in the EDMX`,
      },
    },
    {
      name: "Products('<key>')",
      samples: [],
      load: {
        baseUrl: ready.url,
        agent: keepAliveAgent(concurrency),
        headers: { ...headers, Accept: 'application/json' },
        path: (i) => `/odata2webservices/${IO}/Products('${encodeURIComponent(pick(i).key)}')`,
        check: ({ status, body, path, i }) => {
          const expected = pick(i);
          picks.delete(i);
          if (status !== 200) return `GET ${path} answered ${status} (integrationKey ${expected.key}): ${excerpt(body)}`;
          return body.includes(expected.code) ? undefined : `GET ${path}: the answer does not contain the product code ${expected.code}: ${excerpt(body)}`;
        },
      },
    },
  ];
}

async function run(endpoint: Endpoint, options: Pick<LoadOptions, 'warmup' | 'requests' | 'concurrency'>): Promise<LoadSample | undefined> {
  if (endpoint.error) return undefined;
  try {
    return await runLoad({ ...endpoint.load, ...options });
  } catch (e) {
    // A LoadError (unexpected answer) or a transport error: either way this endpoint measured nothing.
    endpoint.error = e instanceof Error ? e.message : String(e);
    process.stderr.write(`  ${endpoint.name}: FAILED: ${endpoint.error}\n`);
    return undefined;
  }
}

function table(sizes: SizeResult[]): string {
  const rows = [
    '| products | store items | load (ms) | generate (ms) | RSS (MB) | endpoint | requests | p50 (ms) | p99 (ms) | req/s |',
    '|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|',
  ];
  for (const s of sizes) {
    for (const e of s.endpoints) {
      const r = e.result;
      const cells = [
        s.products.toLocaleString('en'),
        s.storeItems.toLocaleString('en'),
        s.loadMillis.toFixed(0),
        s.generateMillis.toFixed(0),
        s.rssMB.toFixed(0),
        `\`${e.endpoint}\``,
        r ? r.requests.toLocaleString('en') : '—',
        r ? r.p50Ms.toFixed(2) : '**failed**',
        r ? r.p99Ms.toFixed(2) : '**failed**',
        r ? r.reqPerSec.toFixed(0) : '—',
      ];
      rows.push(`| ${cells.join(' | ')} |`);
    }
  }
  return rows.join('\n');
}

/** p50 at the largest size over p50 at the smallest, per endpoint: ≈1 means flat. */
function flatness(sizes: SizeResult[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  if (!first || !last || first === last) return out;
  for (const e of first.endpoints) {
    const a = e.result;
    const b = last.endpoints.find((x) => x.endpoint === e.endpoint)?.result;
    out[e.endpoint] = a && b ? b.p50Ms / a.p50Ms : null;
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const productCounts = args.quick ? [1_000, 20_000] : [1_000, 100_000];
  const servers: Server[] = [];
  try {
    // Servers are started one after the other, so that each load + generate time is its own.
    for (const products of productCounts) {
      const scale = products / 100;
      process.stderr.write(`${products.toLocaleString('en')} products (scale ${scale}): loading the demo project and generating data… `);
      const { child, ready } = await startServer(scale, args.seed);
      process.stderr.write(
        `load ${ready.loadMillis.toFixed(0)} ms, generate ${ready.generateMillis.toFixed(0)} ms, ${ready.storeSize.toLocaleString('en')} items, RSS ${ready.rssMB.toFixed(0)} MB\n`,
      );
      const size: SizeResult = {
        products,
        scale,
        storeItems: ready.storeSize,
        loadMillis: ready.loadMillis,
        generateMillis: ready.generateMillis,
        rssMB: ready.rssMB,
        peakRssMB: ready.peakRssMB,
        heapUsedMB: ready.heapUsedMB,
        created: ready.created,
        endpoints: [],
      };
      servers.push({ child, ready, size, endpoints: endpointsOf(ready, args.seed, args.concurrency) });
    }

    process.stderr.write(`warm-up: ${args.warmup} requests per server and endpoint\n`);
    for (const server of servers) for (const e of server.endpoints) await run(e, { warmup: args.warmup, requests: 0, concurrency: args.concurrency });
    for (let round = 0; round < args.rounds; round++) {
      process.stderr.write(`round ${round + 1}/${args.rounds}\n`);
      const requests = Math.floor(args.requests / args.rounds) + (round < args.requests % args.rounds ? 1 : 0);
      for (const server of servers) {
        for (const e of server.endpoints) {
          const sample = await run(e, { warmup: 0, requests, concurrency: args.concurrency });
          if (sample) e.samples.push(sample);
        }
      }
    }

    for (const server of servers) {
      for (const e of server.endpoints) {
        const samples = e.samples.filter((s) => s.latencies.length > 0);
        server.size.endpoints.push(
          e.error
            ? { endpoint: e.name, error: e.error }
            : { endpoint: e.name, result: summarize(samples, args.concurrency), roundP50Ms: samples.map((s) => summarize([s], args.concurrency).p50Ms) },
        );
      }
      const after = await askMemory(server.child);
      if (after) {
        server.size.rssAfterMB = after.rssMB;
        server.size.peakRssAfterMB = after.peakRssMB;
      }
    }
  } finally {
    for (const s of servers) for (const e of s.endpoints) e.load.agent?.destroy();
    await Promise.all(servers.map((s) => stopServer(s.child)));
  }

  const sizes = servers.map((s) => s.size);
  const ratios = flatness(sizes);
  process.stdout.write(
    `\n## Key reads as data grows (${args.requests.toLocaleString('en')} requests per row in ${args.rounds} interleaved rounds, ${args.concurrency} keep-alive connections)\n\n`,
  );
  process.stdout.write(`${table(sizes)}\n\n`);
  for (const [endpoint, ratio] of Object.entries(ratios)) {
    process.stdout.write(`- \`${endpoint}\` p50 at ${productCounts.at(-1)!.toLocaleString('en')} vs ${productCounts[0]!.toLocaleString('en')} products: ${ratio === null ? 'n/a' : `×${ratio.toFixed(2)}`}\n`);
  }

  const failures = sizes.flatMap((s) => s.endpoints.filter((e) => e.error).map((e) => `${s.products} products, ${e.endpoint}: ${e.error!}`));
  const resultsDir = join(HERE, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, 'key-read.json');
  writeFileSync(
    file,
    `${JSON.stringify(
      { benchmark: 'key-read', date: new Date().toISOString(), node: process.version, platform: `${process.platform} ${process.arch}`, options: args, sizes, p50Ratio: ratios, ok: failures.length === 0, failures },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`\nResults written to ${file}\n`);
  if (failures.length > 0) {
    process.stderr.write(`\nBENCHMARK FAILED — responses were not as expected:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`\nBENCHMARK FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
