/**
 * Token-bucket rate limiting (`mock-third-party/faults/rate-limit.ts`) on an injected clock.
 */
import { describe, expect, it } from 'vitest';
import { createRateLimiter, rateLimitedResponse } from '../../mock-third-party/faults/rate-limit.js';

describe('createRateLimiter', () => {
  it('allows requestsPerMinute at once, then refuses with Retry-After until a token refills', () => {
    const limiter = createRateLimiter({ requestsPerMinute: 3 });
    const results = Array.from({ length: 4 }, () => limiter.take('app', 0));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.headers['X-Ratelimit-Remaining-Minute'])).toEqual(['2', '1', '0', '0']);
    expect(results[0]?.headers).toEqual({
      'X-Ratelimit-Limit-Minute': '3',
      'X-Ratelimit-Remaining-Minute': '2',
      'Ratelimit-Limit': '3',
      'Ratelimit-Remaining': '2',
      'Ratelimit-Reset': '20',
    });
    expect(results[3]).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterSeconds: 20,
      headers: {
        'X-Ratelimit-Limit-Minute': '3',
        'X-Ratelimit-Remaining-Minute': '0',
        'Ratelimit-Limit': '3',
        'Ratelimit-Remaining': '0',
        'Ratelimit-Reset': '60',
        'Retry-After': '20',
      },
    });
  });

  it('refills continuously with the injected clock', () => {
    const limiter = createRateLimiter({ requestsPerMinute: 3 });
    for (let i = 0; i < 3; i++) limiter.take('app', 0);
    expect(limiter.take('app', 19_999)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('app', 20_000).allowed).toBe(true);
    expect(limiter.take('app', 20_000).allowed).toBe(false);
    // A whole minute refills the whole bucket, and no more.
    const later = Array.from({ length: 4 }, () => limiter.take('app', 200_000));
    expect(later.map((r) => r.allowed)).toEqual([true, true, true, false]);
  });

  it('keeps one bucket per key', () => {
    const limiter = createRateLimiter({ requestsPerMinute: 1 });
    expect(limiter.take('client-a', 0).allowed).toBe(true);
    expect(limiter.take('client-a', 0).allowed).toBe(false);
    expect(limiter.take('client-b', 0).allowed).toBe(true);
    limiter.reset('client-a');
    expect(limiter.take('client-a', 0).allowed).toBe(true);
    limiter.reset();
    expect(limiter.take('client-b', 0).allowed).toBe(true);
  });

  it('burst sets the bucket size; the rate stays requestsPerMinute', () => {
    const limiter = createRateLimiter({ requestsPerMinute: 60, burst: 5 });
    const burst = Array.from({ length: 6 }, () => limiter.take('k', 1_000));
    expect(burst.map((r) => r.allowed)).toEqual([true, true, true, true, true, false]);
    expect(burst[5]?.headers['Retry-After']).toBe('1');
    expect(burst[0]?.headers['Ratelimit-Limit']).toBe('60');
    expect(burst[0]?.headers['Ratelimit-Remaining']).toBe('4');
    expect(limiter.take('k', 2_000).allowed).toBe(true);
    expect(limiter.take('k', 2_000).allowed).toBe(false);
  });

  it('retryAfterSeconds overrides the computed Retry-After', () => {
    const limiter = createRateLimiter({ requestsPerMinute: 1, retryAfterSeconds: 5 });
    limiter.take('k', 0);
    expect(limiter.take('k', 0)).toMatchObject({ allowed: false, retryAfterSeconds: 5, headers: { 'Retry-After': '5' } });
  });

  it('tolerates a clock that goes backwards', () => {
    const limiter = createRateLimiter({ requestsPerMinute: 2 });
    limiter.take('k', 10_000);
    limiter.take('k', 10_000);
    expect(limiter.take('k', 0).allowed).toBe(false);
    expect(limiter.take('k', 40_000).allowed).toBe(true);
  });

  it('rejects invalid definitions', () => {
    expect(() => createRateLimiter({ requestsPerMinute: 0 })).toThrow(/requestsPerMinute/);
    expect(() => createRateLimiter({ requestsPerMinute: 10, burst: 0 })).toThrow(/burst/);
  });

  it('rateLimitedResponse: 429 with the headers and a JSON body', () => {
    const limiter = createRateLimiter({ requestsPerMinute: 1 });
    limiter.take('k', 0);
    const response = rateLimitedResponse(limiter.take('k', 0));
    expect(response.status).toBe(429);
    expect(response.headers).toMatchObject({ 'Retry-After': '60', 'Content-Type': 'application/json', 'Ratelimit-Remaining': '0' });
    expect(JSON.parse(String(response.body))).toEqual({ message: 'API rate limit exceeded' });
  });
});
