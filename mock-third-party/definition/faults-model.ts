/**
 * Fault injection and rate limits as a definition declares them (top level and per route). The
 * definition layer only validates and stores them; `mock-third-party/faults/` plans and applies them:
 * `planFault(faults: FaultDefinition[], context: FaultContext): FaultPlan | undefined`.
 *
 * Every variant may carry `probability` (0..1, default 1) and `when` (`'always'` (default), `'once'`,
 * or a call number ≥ 1).
 */
export type FaultDefinition =
  | { type: 'latency'; distribution: 'fixed'; ms: number; probability?: number; when?: FaultWhen }
  | { type: 'latency'; distribution: 'uniform'; minMs: number; maxMs: number; probability?: number; when?: FaultWhen }
  | { type: 'latency'; distribution: 'lognormal'; medianMs: number; sigma: number; probability?: number; when?: FaultWhen }
  | {
      type: 'error';
      status: number;
      body?: unknown;
      headers?: Record<string, string>;
      probability?: number;
      sequence?: boolean[];
      when?: FaultWhen;
    }
  | { type: 'timeout'; probability?: number; when?: FaultWhen }
  | { type: 'reset'; probability?: number; when?: FaultWhen }
  | { type: 'malformed'; mode: 'truncate' | 'garbage'; probability?: number; when?: FaultWhen }
  | { type: 'slowBody'; bytesPerSecond: number; probability?: number; when?: FaultWhen };

export type FaultWhen = 'always' | 'once' | number;

export interface RateLimitDefinition {
  requestsPerMinute: number;
  burst?: number;
  retryAfterSeconds?: number;
}
