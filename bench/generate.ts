/**
 * Benchmark: sample-data generation time and memory by scale.
 *
 *   npx tsx bench/generate.ts [--scales 1,100,1000] [--runs 3] [--seed N]
 *
 * Each run is a fresh child process (so memory figures belong to that scale alone) that loads the demo
 * project and calls `generateData` on its store. Reported: generation time (min and median over the
 * runs), items created, JS heap after a GC, resident set after generation and its peak. Prints a
 * markdown table and writes bench/results/generate.json.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateData } from '../mock-commerce/data/generate.js';
import { loadCommerce } from '../mock-commerce/project.js';
import { packageRoot } from '../mock-commerce/util/package-root.js';

const HERE = fileURLToPath(import.meta.url);
const MB = 1024 * 1024;

interface RunResult {
  scale: number;
  loadMillis: number;
  generateMillis: number;
  created: number;
  storeItems: number;
  heapUsedMB: number;
  rssMB: number;
  peakRssMB: number;
}

function child(scale: number, seed: number): void {
  const t0 = performance.now();
  const { commerce, report } = loadCommerce({ projectDir: join(packageRoot(), 'demo') });
  if (!commerce || report.errors.length > 0) throw new Error('demo project failed to load');
  const loadMillis = performance.now() - t0;
  const generated = generateData(commerce.store, { seed, scale });
  const rssMB = process.memoryUsage().rss / MB;
  (globalThis as { gc?: () => void }).gc?.();
  const result: RunResult = {
    scale,
    loadMillis,
    generateMillis: generated.millis,
    created: Object.values(generated.created).reduce((a, b) => a + b, 0),
    storeItems: commerce.store.size,
    heapUsedMB: process.memoryUsage().heapUsed / MB,
    rssMB,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
  };
  process.send?.(result);
}

function runChild(scale: number, seed: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const c = fork(HERE, ['--child', String(scale), String(seed)], { execArgv: [...process.execArgv, '--expose-gc'] });
    let result: RunResult | undefined;
    c.on('message', (m: RunResult) => (result = m));
    c.on('error', reject);
    c.on('exit', (code) => (result ? resolve(result) : reject(new Error(`child for scale ${scale} exited with code ${code}`))));
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const at = argv.indexOf(`--${name}`);
    return at < 0 ? undefined : argv[at + 1];
  };
  const scales = (option('scales') ?? '1,100,1000').split(',').map(Number);
  const runs = Number(option('runs') ?? 3);
  const seed = Number(option('seed') ?? 1);
  if (scales.some((s) => !(s > 0)) || !Number.isInteger(runs) || runs < 1) throw new Error('usage: bench/generate.ts [--scales 1,100,1000] [--runs 3] [--seed N]');

  const rows: { scale: number; runs: RunResult[]; minMillis: number; medianMillis: number }[] = [];
  for (const scale of scales) {
    const results: RunResult[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await runChild(scale, seed);
      process.stderr.write(`scale ${scale} run ${i + 1}/${runs}: ${r.generateMillis.toFixed(0)} ms, ${r.created.toLocaleString('en')} items, peak RSS ${r.peakRssMB.toFixed(0)} MB\n`);
      results.push(r);
    }
    const millis = results.map((r) => r.generateMillis);
    rows.push({ scale, runs: results, minMillis: Math.min(...millis), medianMillis: median(millis) });
  }

  const lines = [
    `## generateData by scale (${runs} run${runs === 1 ? '' : 's'} each, fresh process per run)`,
    '',
    '| scale | items created | generate min (ms) | generate median (ms) | µs / item | heap after GC (MB) | RSS (MB) | peak RSS (MB) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const last = r.runs[r.runs.length - 1]!;
      const cells = [
        String(r.scale),
        last.created.toLocaleString('en'),
        r.minMillis.toFixed(0),
        r.medianMillis.toFixed(0),
        ((r.medianMillis * 1000) / last.created).toFixed(1),
        median(r.runs.map((x) => x.heapUsedMB)).toFixed(0),
        median(r.runs.map((x) => x.rssMB)).toFixed(0),
        median(r.runs.map((x) => x.peakRssMB)).toFixed(0),
      ];
      return `| ${cells.join(' | ')} |`;
    }),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  const dir = join(dirname(HERE), 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'generate.json');
  writeFileSync(file, `${JSON.stringify({ benchmark: 'generate', date: new Date().toISOString(), node: process.version, seed, rows }, null, 2)}\n`);
  process.stdout.write(`\nResults written to ${file}\n`);
}

if (process.argv[2] === '--child') child(Number(process.argv[3]), Number(process.argv[4]));
else {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
