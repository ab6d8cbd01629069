/** Small helpers shared by the suite and its child processes. */

/** The integration object every OData benchmark reads (demo project). */
export const IO = 'ThirdPartyInboundProduct';
export const SERVICE = `/odata2webservices/${IO}`;
/** The demo project's integration user. */
export const AUTH = `Basic ${Buffer.from('integrationuser:sandbox').toString('base64')}`;

const MB = 1024 * 1024;

/** This process's resident set, its peak so far and the JS heap (MB). */
export function memory(): { rssMB: number; peakRssMB: number; heapUsedMB: number } {
  return {
    rssMB: process.memoryUsage().rss / MB,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
    heapUsedMB: process.memoryUsage().heapUsed / MB,
  };
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
