/**
 * The load generator's own process: autocannon, driven by the suite over IPC (one job at a time), so
 * that it never shares an event loop (or a core's time slice) with a server under test.
 *
 * A job names the server's URL and a list of requests that autocannon cycles through on each connection.
 * Every response's status is checked (anything but the expected status counts as a failure), and the
 * body of a sample of responses (the first of each request and every `checkEvery`-th after) must contain
 * the request's `expect` strings: a broken server cannot produce a fast number. Latencies are taken from
 * autocannon's `response` events (sub-millisecond, unlike its integer-ms histogram).
 */
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';

export interface LoadRequest {
  path: string;
  headers?: Record<string, string>;
  /** Strings a (sampled) body must contain. */
  expect?: string[];
  /** Regular expressions (sources) a (sampled) body must match. */
  match?: string[];
  /** A string a (sampled) body must contain exactly `count` times (e.g. one `"code":` per entry of a page). */
  occurrences?: { of: string; count: number };
}

export interface LoadJob {
  kind: 'job';
  id: number;
  url: string;
  requests: LoadRequest[];
  connections: number;
  /** Seconds of load; 0 skips the measurement (warm-up only). */
  seconds: number;
  /** Seconds of unmeasured load first (its own autocannon run, on fresh connections). */
  warmupSeconds: number;
  /** Expected status (default 200). */
  status?: number;
  checkEvery?: number;
}

export interface LoadOutcome {
  kind: 'outcome';
  id: number;
  requests: number;
  seconds: number;
  reqPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  meanBytes: number;
  /** Responses with another status, transport errors, timeouts and failed body checks. */
  failures: number;
  firstFailure?: string;
  bodiesChecked: number;
}

export type WorkerMessage = LoadOutcome | { kind: 'ready' } | { kind: 'crashed'; id: number; message: string };

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

async function runOnce(job: LoadJob, seconds: number, measure: boolean): Promise<Omit<LoadOutcome, 'kind' | 'id'>> {
  const expectedStatus = job.status ?? 200;
  const checkEvery = job.checkEvery ?? 50;
  let failures = 0;
  let firstFailure: string | undefined;
  let bodiesChecked = 0;
  const fail = (message: string): void => {
    failures++;
    firstFailure ??= message;
  };
  const seen = new Map<number, number>();
  const patterns = job.requests.map((r) => r.match?.map((m) => new RegExp(m)));
  const requests = job.requests.map((r, index) => ({
    method: 'GET' as const,
    path: r.path,
    ...(r.headers ? { headers: r.headers } : {}),
    onResponse: (status: number, body: string) => {
      if (status !== expectedStatus) {
        fail(`GET ${r.path} answered ${status}: ${excerpt(body)}`);
        return;
      }
      const n = seen.get(index) ?? 0;
      seen.set(index, n + 1);
      if (n % checkEvery !== 0) return;
      bodiesChecked++;
      for (const s of r.expect ?? []) if (!body.includes(s)) fail(`GET ${r.path}: the body does not contain ${JSON.stringify(s)}: ${excerpt(body)}`);
      for (const re of patterns[index] ?? []) if (!re.test(body)) fail(`GET ${r.path}: the body does not match /${re.source}/: ${excerpt(body)}`);
      if (r.occurrences) {
        const n = body.split(r.occurrences.of).length - 1;
        if (n !== r.occurrences.count) fail(`GET ${r.path}: ${JSON.stringify(r.occurrences.of)} occurs ${n} times, not ${r.occurrences.count}: ${excerpt(body)}`);
      }
    },
  }));
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let bytes = 0;
  // Without a callback autocannon returns its tracker (an EventEmitter) made thenable. autocannon only
  // looks at its stop flag on its sampling tick (default every 1000 ms, which makes a 0.5 s run last 1 s
  // and a 1.5 s run 2 s): a 100 ms tick ends a run within 0.1 s of `seconds`.
  const instance = autocannon({ url: job.url, connections: job.connections, duration: seconds, requests, timeout: 30, sampleInt: 100 }) as unknown as EventEmitter &
    Promise<autocannon.Result>;
  instance.on('response', (_client: unknown, statusCode: number, resBytes: number, responseTime: number) => {
    if (!measure || statusCode !== expectedStatus) return;
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
    bytes += resBytes;
  });
  const result = await instance;
  if (result.errors > 0) fail(`${result.errors} transport errors`);
  if (result.timeouts > 0) fail(`${result.timeouts} timeouts`);
  const sorted = latencies.slice(0, count).sort();
  let sum = 0;
  for (const x of sorted) sum += x;
  const elapsed = result.duration; // seconds, as autocannon measured the run
  return {
    requests: count,
    seconds: elapsed,
    reqPerSec: count / elapsed,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    meanMs: count ? sum / count : Number.NaN,
    meanBytes: count ? bytes / count : Number.NaN,
    failures,
    ...(firstFailure !== undefined ? { firstFailure } : {}),
    bodiesChecked,
  };
}

async function handle(job: LoadJob): Promise<LoadOutcome> {
  let warm: Omit<LoadOutcome, 'kind' | 'id'> | undefined;
  if (job.warmupSeconds > 0) warm = await runOnce(job, job.warmupSeconds, false);
  if (job.seconds <= 0) {
    return { kind: 'outcome', id: job.id, ...(warm ?? (await runOnce(job, 0.2, false))), requests: 0 };
  }
  const measured = await runOnce(job, job.seconds, true);
  if (warm && warm.failures > 0) {
    return { kind: 'outcome', id: job.id, ...measured, failures: measured.failures + warm.failures, firstFailure: warm.firstFailure ?? measured.firstFailure ?? '' };
  }
  return { kind: 'outcome', id: job.id, ...measured };
}

process.on('message', (m: LoadJob | 'stop') => {
  if (m === 'stop') {
    process.exit(0);
  }
  handle(m).then(
    (outcome) => process.send?.(outcome),
    (e: unknown) => process.send?.({ kind: 'crashed', id: m.id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ kind: 'ready' });
