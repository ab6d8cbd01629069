/**
 * Rate limiting as API gateways do it (Kong, Apigee, Azure APIM): a token bucket per key (app key,
 * client id, IP, …). The bucket holds `burst` tokens (default: `requestsPerMinute`), refills continuously
 * at `requestsPerMinute`, and each request takes one token; without a token the request is refused with
 * 429 and `Retry-After`.
 *
 * Headers, on every answer (Kong's, plus the IETF draft's `RateLimit-*`):
 * - `X-Ratelimit-Limit-Minute`, `Ratelimit-Limit`: `requestsPerMinute`;
 * - `X-Ratelimit-Remaining-Minute`, `Ratelimit-Remaining`: whole tokens left after this request;
 * - `Ratelimit-Reset`: seconds until the bucket is full again (0 when full);
 * - on refusal, `Retry-After`: `retryAfterSeconds` if defined, else the seconds until the next token (≥ 1).
 *
 * The clock is injected (`now` in ms): tests and scenarios run on simulated time.
 */
import type { HttpResponse } from '../../mock-commerce/http/types.js';
import type { RateLimitDefinition } from './model.js';
import { rateLimitProblems } from './validate.js';

export interface RateLimitResult {
  allowed: boolean;
  headers: Record<string, string>;
  /** Whole tokens left. */
  remaining: number;
  /** Set when refused: what `Retry-After` says. */
  retryAfterSeconds?: number;
}

export interface RateLimiter {
  readonly definition: Readonly<RateLimitDefinition>;
  /** Takes a token from `key`'s bucket at time `now` (ms). */
  take(key: string, now: number): RateLimitResult;
  /** Forgets one key's bucket, or all of them (they start full again). */
  reset(key?: string): void;
}

/** Tolerance for floating-point refill arithmetic. */
const EPSILON = 1e-9;
/** Buckets kept before full ones (indistinguishable from absent) are pruned. */
const PRUNE_AT = 10_000;

interface Bucket {
  tokens: number;
  last: number;
}

export function createRateLimiter(definition: RateLimitDefinition): RateLimiter {
  const problems = rateLimitProblems(definition);
  if (problems.length > 0) throw new Error(`createRateLimiter: ${problems.join('; ')}`);
  const def = { ...definition };
  const perMinute = def.requestsPerMinute;
  const capacity = def.burst ?? perMinute;
  const buckets = new Map<string, Bucket>();
  /** Milliseconds to refill `tokens` tokens. */
  const msFor = (tokens: number): number => (tokens * 60_000) / perMinute;

  const refill = (bucket: Bucket, now: number): void => {
    const elapsed = now - bucket.last;
    if (elapsed > 0) {
      bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * perMinute) / 60_000);
      bucket.last = now;
    }
  };

  const prune = (now: number): void => {
    for (const [key, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.tokens >= capacity - EPSILON) buckets.delete(key);
    }
  };

  return {
    definition: def,
    take(key, now) {
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= PRUNE_AT) prune(now);
        bucket = { tokens: capacity, last: now };
        buckets.set(key, bucket);
      }
      refill(bucket, now);
      const allowed = bucket.tokens >= 1 - EPSILON;
      if (allowed) bucket.tokens = Math.max(0, bucket.tokens - 1);
      const remaining = Math.max(0, Math.floor(bucket.tokens + EPSILON));
      const untilFull = Math.max(0, Math.ceil(msFor(capacity - bucket.tokens) / 1000 - EPSILON));
      const headers: Record<string, string> = {
        'X-Ratelimit-Limit-Minute': String(perMinute),
        'X-Ratelimit-Remaining-Minute': String(remaining),
        'Ratelimit-Limit': String(perMinute),
        'Ratelimit-Remaining': String(remaining),
        'Ratelimit-Reset': String(untilFull),
      };
      if (allowed) return { allowed, headers, remaining };
      const untilToken = Math.max(1, Math.ceil(msFor(1 - bucket.tokens) / 1000 - EPSILON));
      const retryAfterSeconds = def.retryAfterSeconds ?? untilToken;
      headers['Retry-After'] = String(retryAfterSeconds);
      return { allowed, headers, remaining, retryAfterSeconds };
    },
    reset(key) {
      if (key === undefined) buckets.clear();
      else buckets.delete(key);
    },
  };
}

/** The 429 for a refused request (Kong's body). */
export function rateLimitedResponse(result: RateLimitResult, body: unknown = { message: 'API rate limit exceeded' }): HttpResponse {
  return {
    status: 429,
    headers: { 'Content-Type': 'application/json', ...result.headers },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  };
}
