/**
 * CPU profile of one OData endpoint of our Commerce under load — how the figures of bench/analysis.md
 * were taken.
 *
 *   npx tsx bench/profile.ts [--endpoint key|filter|expand|inlinecount|filterNoOrder] [--cache on|off]
 *                            [--products 1000] [--customers] [--seconds 5] [--keys 800] [--top 25]
 *                            [--server limit]
 *   npx tsx bench/profile.ts --third-party static|templated [--journal off]   # our mock-third-party
 *   npx tsx bench/profile.ts --cli [--scale K]     # the CLI (dist/) from spawn to the first 200
 *   npx tsx bench/profile.ts --file x.cpuprofile [--from-ms A] [--to-ms B]   # summarise a profile
 *
 * Starts `lib/commerce-server.ts` (demo project + generated catalog data) with `--cpu-prof`, warms it up
 * for 1 s, puts `--seconds` of load on the endpoint (autocannon in its own process, 10 connections, the
 * suite's requests and checks), stops the server and prints where its CPU time went: the share of the
 * idle time, garbage collection, and the functions with the most self time, and the share of our own
 * code (`mock-commerce/`) versus node's HTTP stack, and the CPU time per request. `--server limit`
 * profiles the raw node:http limit server answering a copy of our answer instead, for comparison. The
 * profile stays in a temp dir (path printed) for Chrome DevTools / speedscope.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Child, startChild, stopChild } from './lib/children.js';
import type { ServerReady } from './lib/commerce-server.js';
import { AUTH, SERVICE, httpGet, processCpuMicros } from './lib/common.js';
import { type LoadRequest, startLoadWorker } from './lib/load-client.js';
import { STATIC_PATH, TEMPLATED_PATH_PREFIX, TEMPLATED_SUFFIX } from './lib/third-party-stubs.js';
import { type ODataRequests, odataRequests } from './lib/odata-requests.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(`--${name}`);
  return at < 0 ? undefined : argv[at + 1];
}

/** Where a frame's code lives, for the summary: ours, a dependency, node itself, or V8. */
function area(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)' || name === '(program)' || name === '(root)') return name;
  if (url.includes('/mock-commerce/') || url.includes('/mock-third-party/')) return 'ours (mock-commerce, mock-third-party)';
  if (url.includes('/node_modules/')) return `node_modules/${url.split('/node_modules/').pop()!.split('/')[0]!}`;
  if (url.startsWith('node:')) return 'node internals (http, net, streams)';
  return url === '' ? 'native / V8 builtins' : 'other';
}

function frameKey(f: ProfileNode['callFrame']): string {
  const file = f.url.replace(/^file:\/\//, '').replace(/^.*\/(mock-commerce|mock-third-party|node_modules)\//, '$1/');
  return `${f.functionName || '(anonymous)'}  ${file}${file ? `:${f.lineNumber + 1}` : ''}`;
}

/**
 * Where the time of the samples taken between `from` and `to` (profile clock, µs) went. `requests`:
 * also per request; `everything`: the inclusive list covers every function, not only ours.
 */
export function summarise(profile: CpuProfile, top: number, window: { from: number; to: number }, requests?: number, everything = false): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let at = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < window.from || at > window.to) continue;
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + delta);
  }
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, micros] of self) {
    const n = byId.get(id)!;
    const key = frameKey(n.callFrame);
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    const a = area(n.callFrame.url, n.callFrame.functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + micros);
    const seen = new Set<string>();
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const k = frameKey(byId.get(up)!.callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + micros);
    }
  }
  const pct = (micros: number): string => `${((100 * micros) / total).toFixed(1).padStart(5)} %`;
  const busy = total - (byArea.get('(idle)') ?? 0);
  const lines = [
    `window: ${(total / 1e3).toFixed(0)} ms of samples (wall-clock sampling: time the process was preempted counts where it stood), not idle ${pct(busy)}${requests ? `: ${(busy / requests).toFixed(1)} µs per request (${requests} requests)` : ` = ${(busy / 1e3).toFixed(0)} ms`}`,
    '',
    'self time by area:',
  ];
  for (const [a, micros] of [...byArea].sort((x, y) => y[1] - x[1])) lines.push(`  ${pct(micros)}  ${a}`);
  lines.push('', `top ${top} functions by self time:`);
  for (const [k, micros] of [...byFunction].sort((x, y) => y[1] - x[1]).slice(0, top)) lines.push(`  ${pct(micros)}  ${k}`);
  lines.push('', everything ? 'functions by inclusive time:' : 'our functions (mock-commerce/, mock-third-party/) by inclusive time:');
  const ours = [...inclusive].filter(([k]) => everything || k.includes('mock-commerce/') || k.includes('mock-third-party/')).sort((x, y) => y[1] - x[1]);
  for (const [k, micros] of ours.slice(0, top)) lines.push(`  ${pct(micros)}  ${k}`);
  return lines.join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** `--cli`: `node --cpu-prof dist/bin/commerce-sandbox.js up --project demo …` from spawn to the first 200 on $metadata. */
async function profileCli(argv: string[], top: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'commerce-sandbox-profile-'));
  const port = await freePort();
  const extra = option(argv, 'scale') ? ['--seed', '1', '--scale', option(argv, 'scale')!] : [];
  const started = performance.now();
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, join(ROOT, 'dist', 'bin', 'commerce-sandbox.js'), 'up', '--project', join(ROOT, 'demo'), '--commerce-port', String(port), ...extra], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let millis: number | undefined;
  while (millis === undefined) {
    if (child.exitCode !== null) throw new Error(`the CLI exited with code ${child.exitCode}`);
    try {
      const r = await httpGet(`http://127.0.0.1:${port}${SERVICE}/$metadata`, { Authorization: AUTH });
      if (r.status !== 200) throw new Error(`$metadata answered ${r.status}`);
      millis = performance.now() - started;
    } catch (e) {
      if (!(e as NodeJS.ErrnoException).code) throw e;
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  process.stdout.write(`CLI up${extra.length ? ` ${extra.join(' ')}` : ''}: first 200 on $metadata ${millis.toFixed(0)} ms after spawn (under the profiler)\n`);
  // From the profiler's start to the first answer (the process's last ~ms before it are the request).
  process.stdout.write(`${summarise(profile, top, { from: profile.startTime, to: profile.startTime + millis * 1e3 }, undefined, true)}\n\nprofile: ${join(dir, file)}\n`);
}

/** Load on a started, profiled server; prints the figures and the summary of the measured window. */
async function loadAndSummarise(server: Child, label: string, requests: LoadRequest[], seconds: number, top: number, dir: string): Promise<void> {
  const worker = await startLoadWorker();
  let requestCount: number;
  try {
    await worker.run({ url: server.ready.url, requests, connections: 10, seconds: 0, warmupSeconds: 1 });
    const cpuBefore = processCpuMicros(server.child.pid);
    const outcome = await worker.run({ url: server.ready.url, requests, connections: 10, seconds, warmupSeconds: 0 });
    const cpuAfter = processCpuMicros(server.child.pid);
    requestCount = outcome.requests;
    const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? `, server CPU ${((cpuAfter - cpuBefore) / outcome.requests).toFixed(1)} µs/req` : '';
    process.stdout.write(`${label}: ${Math.round(outcome.reqPerSec)} req/s, p50 ${outcome.p50Ms.toFixed(2)} ms, p99 ${outcome.p99Ms.toFixed(2)} ms${cpu} (under the profiler)\n`);
  } finally {
    await worker.stop();
    await stopChild(server.child);
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const window = { from: profile.endTime - 0.1e6 - seconds * 1e6, to: profile.endTime - 0.1e6 };
  process.stdout.write(`${summarise(profile, top, window, requestCount)}\n\nprofile: ${join(dir, file)}\n`);
}

/** `--third-party static|templated`: our mock-third-party (the suite's YAML definition) under load. */
async function profileThirdParty(route: 'static' | 'templated', journal: boolean, seconds: number, top: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'commerce-sandbox-profile-'));
  process.env.BENCH_CPU_PROF = dir;
  const server = await startChild('third-party-server.ts', [journal ? 'sandbox' : 'sandbox-no-journal']);
  delete process.env.BENCH_CPU_PROF;
  const requests: LoadRequest[] =
    route === 'static'
      ? [{ path: STATIC_PATH, expect: ['"domain_key":"P-10"'] }]
      : Array.from({ length: 100 }, (_, i) => ({ path: `${TEMPLATED_PATH_PREFIX}P-${i + 1}${TEMPLATED_SUFFIX}?page=${1 + (i % 5)}`, expect: [`"domain_key":"P-${i + 1}"`] }));
  await loadAndSummarise(server, `third party, ${route} route, journal ${journal ? 'on' : 'off'}`, requests, seconds, top, dir);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const top = Number(option(argv, 'top') ?? 25);
  if (argv.includes('--cli')) return profileCli(argv, top);
  const existing = option(argv, 'file');
  if (existing) {
    // An existing .cpuprofile (e.g. from `node --cpu-prof`), whole or from/to ms after its start.
    const profile = JSON.parse(readFileSync(existing, 'utf8')) as CpuProfile;
    const from = profile.startTime + Number(option(argv, 'from-ms') ?? 0) * 1e3;
    const to = option(argv, 'to-ms') ? profile.startTime + Number(option(argv, 'to-ms')) * 1e3 : profile.endTime;
    process.stdout.write(`${summarise(profile, top, { from, to }, undefined, true)}\n`);
    return;
  }
  const endpoint = (option(argv, 'endpoint') ?? 'key') as keyof ODataRequests;
  const cache = (option(argv, 'cache') ?? 'on') !== 'off';
  const products = Number(option(argv, 'products') ?? 1000);
  const seconds = Number(option(argv, 'seconds') ?? 5);
  const keys = Number(option(argv, 'keys') ?? 800);
  const thirdParty = option(argv, 'third-party');
  if (thirdParty) return profileThirdParty(thirdParty === 'templated' ? 'templated' : 'static', option(argv, 'journal') !== 'off', seconds, top);
  const limit = option(argv, 'server') === 'limit';
  const dir = mkdtempSync(join(tmpdir(), 'commerce-sandbox-profile-'));
  if (!limit) process.env.BENCH_CPU_PROF = dir;
  const server = await startChild<ServerReady>('commerce-server.ts', [JSON.stringify({ scale: products / 100, seed: 1, cache, customers: argv.includes('--customers') })], {
    gc: true,
    timeoutMs: 300_000,
  });
  delete process.env.BENCH_CPU_PROF;
  const children: Child[] = [server];
  const worker = await startLoadWorker();
  let requestCount: number;
  try {
    let url = server.ready.url;
    let requests = odataRequests(server.ready.products, keys, 1)[endpoint];
    if (!requests) throw new Error(`unknown endpoint ${endpoint}`);
    if (limit) {
      // The raw node:http limit answering a precomputed copy of our answer, as in the suite.
      const r = await httpGet(`${url}${requests[0]!.path}`, requests[0]!.headers ?? {});
      const bodies = join(dir, 'bodies.json');
      writeFileSync(bodies, JSON.stringify({ [endpoint]: { headers: { 'content-type': r.headers['content-type'] ?? 'application/json' }, body: r.body } }));
      await stopChild(server.child);
      process.env.BENCH_CPU_PROF = dir;
      const raw = await startChild('limit-server.ts', ['raw', bodies]);
      delete process.env.BENCH_CPU_PROF;
      children.push(raw);
      url = raw.ready.url;
      requests = [{ path: `/${endpoint}` }];
    }
    const pid = children[children.length - 1]!.child.pid;
    await worker.run({ url, requests, connections: 10, seconds: 0, warmupSeconds: 1 });
    const cpuBefore = processCpuMicros(pid);
    const outcome = await worker.run({ url, requests, connections: 10, seconds, warmupSeconds: 0 });
    const cpuAfter = processCpuMicros(pid);
    requestCount = outcome.requests;
    const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? `, server CPU ${((cpuAfter - cpuBefore) / outcome.requests).toFixed(1)} µs/req` : '';
    process.stdout.write(
      `${endpoint}, ${limit ? 'raw node:http limit' : `cache ${cache ? 'on' : 'off'}`}, ${products} products: ${Math.round(outcome.reqPerSec)} req/s, p50 ${outcome.p50Ms.toFixed(2)} ms, p99 ${outcome.p99Ms.toFixed(2)} ms${cpu} (under the profiler)\n`,
    );
  } finally {
    await worker.stop();
    await Promise.all(children.map((c) => stopChild(c.child)));
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  // The measured window (after the warm-up), ending just before the stop (≈ 0.1 s before the profile ends).
  const window = { from: profile.endTime - 0.1e6 - seconds * 1e6, to: profile.endTime - 0.1e6 };
  process.stdout.write(`${summarise(profile, top, window, requestCount)}\n\nprofile: ${join(dir, file)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
