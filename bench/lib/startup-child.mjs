// @ts-check
/**
 * Child process of the start-up benchmark, in plain JavaScript so that it runs on plain `node` (no tsx
 * loader): it measures the built package (`dist/`) the way a user's test suite loads it.
 *
 *   node bench/lib/startup-child.mjs <dist dir> <runs> <scale> <seed>
 *
 * In a fresh process: imports `startSandbox` (dist/scenarios/sandbox/start-sandbox.js), then `runs` times
 * `startSandbox({ project: <demo>, seed, scale, time, thirdParties: [] })` → first `$metadata` answered
 * (node:http GET) → `close()`. The first run is the first start of the process (modules compiled and
 * the demo + generated data loaded for the first time); the others are what a test suite that gives
 * every test a fresh sandbox pays per test (loadCommerce reuses the state of the identical first load).
 * Reports over IPC: `{ kind: 'ready', url: '', processMillis, importMillis, runs: [...] }`.
 */
import { Buffer } from 'node:buffer';
import { request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const AUTH = `Basic ${Buffer.from('integrationuser:sandbox').toString('base64')}`;
const METADATA = '/odata2webservices/ThirdPartyInboundProduct/$metadata';

/** @param {string} url @returns {Promise<{ status: number, body: string }>} */
function get(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Authorization: AUTH }, agent: false }, (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function main() {
  const [dist = '', runsArg = '5', scaleArg = '10', seedArg = '1'] = process.argv.slice(2);
  const runs = Number(runsArg);
  const scale = Number(scaleArg);
  const seed = Number(seedArg);
  // Time since the process started (node's own bootstrap) until the import begins.
  const processMillis = performance.now();
  const t0 = performance.now();
  const { startSandbox, DEMO_PROJECT } = await import(pathToFileURL(join(dist, 'scenarios', 'sandbox', 'start-sandbox.js')).href);
  const importMillis = performance.now() - t0;
  const out = [];
  for (let i = 0; i < runs; i++) {
    const a = performance.now();
    const sandbox = await startSandbox({ project: DEMO_PROJECT, seed, scale, time: '2026-01-05T09:00:00Z', thirdParties: [] });
    const b = performance.now();
    const r = await get(`${sandbox.commerceUrl}${METADATA}`);
    const c = performance.now();
    if (r.status !== 200 || !r.body.includes('Name="Product"')) throw new Error(`$metadata answered ${r.status}`);
    await sandbox.close();
    out.push({ loadMillis: sandbox.load.millis, startSandboxMillis: b - a, firstMetadataMillis: c - b, totalMillis: c - a });
  }
  process.send?.({ kind: 'ready', url: '', processMillis, importMillis, runs: out });
  process.exit(0);
}

main().catch((e) => {
  process.send?.({ kind: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
