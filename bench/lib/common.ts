/** Small helpers shared by the suite and its child processes. */
import { readFileSync } from 'node:fs';

/** The integration object every OData benchmark reads (demo project). */
export const IO = 'ThirdPartyInboundProduct';
export const SERVICE = `/odata2webservices/${IO}`;
/** The demo project's integration user. */
export const AUTH = `Basic ${Buffer.from('integrationuser:sandbox').toString('base64')}`;

/** Contender names of our Commerce with the read cache on (the product's default) and off. */
export const CACHE_ON = 'sandbox (cache on)';
export const CACHE_OFF = 'sandbox (cache off)';

/** Contender name of our third-party stub without its request journal (`journalLimit: 0`). */
export const NO_JOURNAL = 'sandbox (no journal)';

/** `1k`, `100k`: a number of Online products. */
export const sizeLabel = (products: number): string => `${products / 1000}k`;
/** Contender name of the scale section's server of that size and cache setting. */
export const scaleContender = (products: number, cache: boolean): string => `${sizeLabel(products)} · cache ${cache ? 'on' : 'off'}`;

const MB = 1024 * 1024;

/** This process's resident set, its peak so far and the JS heap (MB). */
export function memory(): { rssMB: number; peakRssMB: number; heapUsedMB: number } {
  return {
    rssMB: process.memoryUsage().rss / MB,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
    heapUsedMB: process.memoryUsage().heapUsed / MB,
  };
}

/** Linux clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on every common kernel). */
const CLOCK_TICKS = 100;

/**
 * CPU time (user + system) a process has used so far, µs, from /proc/<pid>/stat (10 ms resolution);
 * undefined where there is no /proc or the process is gone.
 */
export function processCpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, hence the last ')'): state is field 3,
    // utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** The whole machine's CPU time so far (all cores, µs): busy and total (busy + idle + iowait), from /proc/stat. */
export function machineCpuMicros(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    return { busy: (busy * 1e6) / CLOCK_TICKS, total: ((busy + idle + iowait) * 1e6) / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}

export function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A plain node:http GET (no keep-alive): status and body. Rejects on a transport error. */
export async function httpGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, string> }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h[k] = v;
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: h });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
