/**
 * Interleaved measurement: every endpoint is served by several contenders (servers); after a warm-up
 * per contender, each round runs every endpoint on every contender in turn (the order rotated by
 * round), so that whatever else happens on the machine affects all of them alike. Figures are medians
 * over the rounds, and a ratio between two contenders is the median of the per-round ratios (each pair
 * measured back to back in the same round). With the server's pid, its CPU time per request is taken
 * too (from /proc, before and after each measured run): a figure the load generator's share of the two
 * cores does not bend as much as req/s.
 */
import { machineCpuMicros, median, processCpuMicros } from './common.js';
import { type LoadOutcome, type LoadRequest, type LoadWorker, LoadFailure } from './load-client.js';

export interface Contender {
  name: string;
  url: string;
  requests: LoadRequest[];
  /** Warm-up seconds for this contender (default: the run's). A JVM needs longer to compile. */
  warmupSeconds?: number;
  /** Why this contender cannot answer this endpoint (shown instead of figures; not measured). */
  unsupported?: string;
  /** The server's process id: its CPU time per request is measured too (Linux /proc). */
  pid?: number;
}

export interface Endpoint {
  name: string;
  /** What is requested, for the report. */
  description: string;
  contenders: Contender[];
}

export interface ContenderResult {
  name: string;
  rounds: LoadOutcome[];
  reqPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  meanBytes?: number;
  requests?: number;
  /** Per round: the server process's CPU time (user + system) over the requests answered, µs. */
  cpuMicrosPerRequest?: number[];
  /** Median of those. */
  cpuPerRequestMicros?: number;
  /**
   * Per round: the share of the machine's CPU (all cores) that neither the server under test, the load
   * generator nor the suite used during the run — other processes (of this machine's other users too).
   */
  otherCpuShare?: number[];
  error?: string;
  unsupported?: string;
}

export interface EndpointResult {
  name: string;
  description: string;
  contenders: ContenderResult[];
}

export interface MeasureOptions {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  log: (line: string) => void;
}

export async function measure(worker: LoadWorker, endpoints: Endpoint[], options: MeasureOptions): Promise<EndpointResult[]> {
  const results: EndpointResult[] = endpoints.map((e) => ({
    name: e.name,
    description: e.description,
    contenders: e.contenders.map((c) => ({ name: c.name, rounds: [], ...(c.unsupported ? { unsupported: c.unsupported } : {}) })),
  }));
  const run = async (e: number, c: number, seconds: number, warmupSeconds: number): Promise<void> => {
    const contender = endpoints[e]!.contenders[c]!;
    const result = results[e]!.contenders[c]!;
    if (result.error || result.unsupported) return;
    try {
      const measureCpu = seconds > 0 && warmupSeconds === 0;
      const ours = (): number | undefined => {
        const parts = [contender.pid, worker.pid, process.pid].map((pid) => processCpuMicros(pid));
        return parts.every((x) => x !== undefined) ? parts.reduce((a, b) => a! + b!, 0) : undefined;
      };
      const cpuBefore = measureCpu ? processCpuMicros(contender.pid) : undefined;
      const oursBefore = measureCpu ? ours() : undefined;
      const machineBefore = measureCpu ? machineCpuMicros() : undefined;
      const outcome = await worker.run({ url: contender.url, requests: contender.requests, connections: options.connections, seconds, warmupSeconds });
      const cpuAfter = cpuBefore === undefined ? undefined : processCpuMicros(contender.pid);
      const oursAfter = oursBefore === undefined ? undefined : ours();
      const machineAfter = machineBefore === undefined ? undefined : machineCpuMicros();
      if (seconds > 0) result.rounds.push(outcome);
      if (cpuBefore !== undefined && cpuAfter !== undefined && outcome.requests > 0) (result.cpuMicrosPerRequest ??= []).push((cpuAfter - cpuBefore) / outcome.requests);
      if (oursBefore !== undefined && oursAfter !== undefined && machineBefore && machineAfter && machineAfter.total > machineBefore.total) {
        const other = machineAfter.busy - machineBefore.busy - (oursAfter - oursBefore);
        (result.otherCpuShare ??= []).push(Math.max(0, other) / (machineAfter.total - machineBefore.total));
      }
    } catch (err) {
      result.error = err instanceof LoadFailure ? err.message : `load failed: ${err instanceof Error ? err.message : String(err)}`;
      options.log(`    ${endpoints[e]!.name} / ${contender.name}: FAILED: ${result.error}`);
    }
  };
  options.log(`  warm-up`);
  for (let e = 0; e < endpoints.length; e++) {
    for (let c = 0; c < endpoints[e]!.contenders.length; c++) {
      await run(e, c, 0, endpoints[e]!.contenders[c]!.warmupSeconds ?? options.warmupSeconds);
    }
  }
  for (let round = 0; round < options.rounds; round++) {
    options.log(`  round ${round + 1}/${options.rounds}`);
    for (let e = 0; e < endpoints.length; e++) {
      const n = endpoints[e]!.contenders.length;
      for (let k = 0; k < n; k++) await run(e, (k + round) % n, options.seconds, 0);
    }
  }
  for (const r of results) {
    for (const c of r.contenders) {
      if (c.rounds.length === 0) continue;
      c.reqPerSec = median(c.rounds.map((o) => o.reqPerSec));
      c.p50Ms = median(c.rounds.map((o) => o.p50Ms));
      c.p99Ms = median(c.rounds.map((o) => o.p99Ms));
      c.meanBytes = median(c.rounds.map((o) => o.meanBytes));
      c.requests = c.rounds.reduce((n, o) => n + o.requests, 0);
      if (c.cpuMicrosPerRequest) c.cpuPerRequestMicros = median(c.cpuMicrosPerRequest);
    }
  }
  return results;
}

/** The other processes' share of the machine's CPU during the measured runs: median and maximum over all runs. */
export function otherCpu(endpoints: EndpointResult[]): { median: number; max: number } | undefined {
  const all = endpoints.flatMap((e) => e.contenders.flatMap((c) => c.otherCpuShare ?? []));
  return all.length ? { median: median(all), max: Math.max(...all) } : undefined;
}

/** Median over rounds of `a`'s req/s divided by `b`'s in the same round; undefined unless both ran. */
export function throughputRatio(endpoint: EndpointResult, a: string, b: string): number | undefined {
  const x = endpoint.contenders.find((c) => c.name === a);
  const y = endpoint.contenders.find((c) => c.name === b);
  if (!x || !y || x.error || y.error || x.rounds.length === 0 || x.rounds.length !== y.rounds.length) return undefined;
  return median(x.rounds.map((o, i) => o.reqPerSec / y.rounds[i]!.reqPerSec));
}

/** Median over rounds of `a`'s p50 latency divided by `b`'s in the same round. */
export function latencyRatio(endpoint: EndpointResult, a: string, b: string): number | undefined {
  const x = endpoint.contenders.find((c) => c.name === a);
  const y = endpoint.contenders.find((c) => c.name === b);
  if (!x || !y || x.error || y.error || x.rounds.length === 0 || x.rounds.length !== y.rounds.length) return undefined;
  return median(x.rounds.map((o, i) => o.p50Ms / y.rounds[i]!.p50Ms));
}
