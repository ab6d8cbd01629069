/**
 * A small closed-loop HTTP load generator: `concurrency` workers over one keep-alive `http.Agent`
 * (so at most that many connections, reused), each sending its next request when the previous answer
 * is complete. Latency is measured per request from send to the last body byte.
 */
import { Agent, request } from 'node:http';

export interface LoadOptions {
  baseUrl: string;
  /** Path (with query) of the i-th request; warm-up and measured requests are numbered on. */
  path: (i: number) => string;
  headers?: Record<string, string>;
  warmup: number;
  requests: number;
  concurrency: number;
  /**
   * Keep-alive agent to use (and keep open), so that connections outlive one run; by default a new one
   * is made and destroyed. See {@link keepAliveAgent}.
   */
  agent?: Agent;
  /** Returns a problem with a response, which fails the run (a benchmark of errors measures nothing). */
  check?: (response: { status: number; body: string; path: string; i: number }) => string | undefined;
}

/** The raw outcome of one run, to be merged with others ({@link summarize}). */
export interface LoadSample {
  /** Latency per measured request, ms. */
  latencies: Float64Array;
  seconds: number;
  newConnections: number;
  bytes: number;
}

export interface LoadResult {
  requests: number;
  concurrency: number;
  seconds: number;
  reqPerSec: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connections opened during the measured phase (0 when warm-up opened them all). */
  newConnections: number;
  /** Mean response body size. */
  meanBytes: number;
}

export class LoadError extends Error {}

interface Response {
  status: number;
  body: string;
  reused: boolean;
}

function get(agent: Agent, url: URL, path: string, headers: Record<string, string>): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), reused: req.reusedSocket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Statistics over one or more runs: latency percentiles over all requests, throughput over all time. */
export function summarize(samples: LoadSample[], concurrency: number): LoadResult {
  const requests = samples.reduce((n, s) => n + s.latencies.length, 0);
  const seconds = samples.reduce((n, s) => n + s.seconds, 0);
  const all = new Float64Array(requests);
  let at = 0;
  for (const s of samples) {
    all.set(s.latencies, at);
    at += s.latencies.length;
  }
  const sorted = all.slice().sort();
  return {
    requests,
    concurrency,
    seconds,
    reqPerSec: requests / seconds,
    meanMs: all.reduce((sum, x) => sum + x, 0) / requests,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: percentile(sorted, 1),
    newConnections: samples.reduce((n, s) => n + s.newConnections, 0),
    meanBytes: samples.reduce((n, s) => n + s.bytes, 0) / requests,
  };
}

/** An agent for `concurrency` reused connections. */
export function keepAliveAgent(concurrency: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
}

export async function runLoad(options: LoadOptions): Promise<LoadSample> {
  const url = new URL(options.baseUrl);
  const agent = options.agent ?? keepAliveAgent(options.concurrency);
  const headers = { Connection: 'keep-alive', ...options.headers };
  let index = 0;

  const phase = async (count: number, latencies?: Float64Array): Promise<{ newConnections: number; bytes: number }> => {
    let issued = 0;
    let newConnections = 0;
    let bytes = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (issued < count && !failed) {
        const slot = issued++;
        const i = index++;
        const path = options.path(i);
        const started = performance.now();
        const response = await get(agent, url, path, headers);
        const elapsed = performance.now() - started;
        if (!response.reused) newConnections++;
        bytes += Buffer.byteLength(response.body);
        const problem = options.check?.({ status: response.status, body: response.body, path, i });
        if (problem) {
          failed = true;
          throw new LoadError(problem);
        }
        if (latencies) latencies[slot] = elapsed;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
    return { newConnections, bytes };
  };

  try {
    await phase(options.warmup);
    const latencies = new Float64Array(options.requests);
    const started = performance.now();
    const { newConnections, bytes } = await phase(options.requests, latencies);
    return { latencies, seconds: (performance.now() - started) / 1000, newConnections, bytes };
  } finally {
    if (!options.agent) agent.destroy();
  }
}

/** Runs pick the same keys: the project's seeded PRNG. */
export { seededRandom } from '../../mock-commerce/util/random.js';
