/**
 * Fault and rate-limit definitions of a simulated third-party API (the contract shared with the
 * third-party definition model and engine). Planning: `plan.ts`; rate limiting: `rate-limit.ts`;
 * runtime switches: `runtime.ts`; execution on the wire: `node-transport.ts`, `fetch-transport.ts`.
 */
export type FaultDefinition = (
  | { type: 'latency'; distribution: 'fixed'; ms: number }
  | { type: 'latency'; distribution: 'uniform'; minMs: number; maxMs: number }
  | { type: 'latency'; distribution: 'lognormal'; medianMs: number; sigma: number }
  | { type: 'error'; status: number; body?: unknown; headers?: Record<string, string>; sequence?: boolean[] }
  | { type: 'timeout' }
  | { type: 'reset' }
  | { type: 'malformed'; mode: 'truncate' | 'garbage' }
  | { type: 'slowBody'; bytesPerSecond: number }
) & { probability?: number };
export interface RateLimitDefinition { requestsPerMinute: number; burst?: number; retryAfterSeconds?: number }
