/**
 * Fault planning (`mock-third-party/faults/plan.ts`), the runtime switchboard and fault validation: pure,
 * seeded, no I/O.
 */
import { describe, expect, it } from 'vitest';
import type { FaultDefinition as DefinitionModelFault } from '../../mock-third-party/definition/faults-model.js';
import type { FaultDefinition } from '../../mock-third-party/faults/model.js';
import {
  createFaultState,
  isNoFault,
  planFault,
  type FaultInput,
  type FaultPlan,
  type FaultState,
} from '../../mock-third-party/faults/plan.js';
import { createFaultSwitchboard } from '../../mock-third-party/faults/runtime.js';
import { faultProblems, faultsProblems, rateLimitProblems } from '../../mock-third-party/faults/validate.js';

// The definition model's faults (with `when`) plan as they are: a compile-time check of the contract.
const _definitionFaultsPlan: readonly FaultInput[] = [] as DefinitionModelFault[];
const _contractFaultsPlan: readonly FaultInput[] = [] as FaultDefinition[];

const ctx = (routeId = 'orders.create', now = 0): { routeId: string; now: number } => ({ routeId, now });

function plans(faults: FaultInput[], n: number, state: FaultState = createFaultState(42), routeId = 'r'): FaultPlan[] {
  return Array.from({ length: n }, () => planFault(faults, state, ctx(routeId)));
}

function delays(fault: FaultInput, n: number, seed = 7): number[] {
  return plans([fault], n, createFaultState(seed)).map((p) => p.delayMs);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

describe('seeded state', () => {
  it('gives the same stream for the same seed and route, another for another seed or route', () => {
    const a = createFaultState(42);
    const b = createFaultState(42);
    const seqA = Array.from({ length: 5 }, () => a.random('r'));
    const seqB = Array.from({ length: 5 }, () => b.random('r'));
    expect(seqA).toEqual(seqB);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
    const c = createFaultState(43);
    expect(Array.from({ length: 5 }, () => c.random('r'))).not.toEqual(seqA);
    const d = createFaultState(42);
    expect(Array.from({ length: 5 }, () => d.random('other'))).not.toEqual(seqA);
  });

  it('keeps each route on its own stream whatever the interleaving', () => {
    const alone = createFaultState(5);
    const onlyA = Array.from({ length: 10 }, () => alone.random('a'));
    const mixed = createFaultState(5);
    const interleaved: number[] = [];
    for (let i = 0; i < 10; i++) {
      mixed.random('b');
      interleaved.push(mixed.random('a'));
      mixed.random('c');
    }
    expect(interleaved).toEqual(onlyA);
  });

  it('does not use Math.random', () => {
    const original = Math.random;
    Math.random = () => {
      throw new Error('Math.random used');
    };
    try {
      const state = createFaultState(1);
      expect(() => plans([{ type: 'latency', distribution: 'lognormal', medianMs: 10, sigma: 1, probability: 0.5 }], 50, state)).not.toThrow();
    } finally {
      Math.random = original;
    }
  });

  it('rejects a seed that is not a finite number', () => {
    expect(() => createFaultState(Number.NaN)).toThrow(/seed/);
  });
});

describe('latency', () => {
  it('fixed: exactly ms, every time', () => {
    expect(delays({ type: 'latency', distribution: 'fixed', ms: 250 }, 20)).toEqual(Array(20).fill(250));
  });

  it('uniform: within [minMs, maxMs], spread over the range, deterministic with a seed', () => {
    const fault: FaultInput = { type: 'latency', distribution: 'uniform', minMs: 100, maxMs: 300 };
    const samples = delays(fault, 1000);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...samples)).toBeLessThanOrEqual(300);
    expect(Math.min(...samples)).toBeLessThan(110);
    expect(Math.max(...samples)).toBeGreaterThan(290);
    const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
    expect(mean).toBeGreaterThan(190);
    expect(mean).toBeLessThan(210);
    expect(delays(fault, 1000)).toEqual(samples);
    expect(delays(fault, 1000, 8)).not.toEqual(samples);
  });

  it('log-normal: median ≈ medianMs and log-spread ≈ sigma over 1,000 samples, deterministic with a seed', () => {
    const fault: FaultInput = { type: 'latency', distribution: 'lognormal', medianMs: 200, sigma: 0.5 };
    const samples = delays(fault, 1000);
    expect(samples.every((x) => x > 0)).toBe(true);
    const m = median(samples);
    expect(m).toBeGreaterThan(180);
    expect(m).toBeLessThan(220);
    const logs = samples.map((x) => Math.log(x / 200));
    const meanLog = logs.reduce((s, x) => s + x, 0) / logs.length;
    const sdLog = Math.sqrt(logs.reduce((s, x) => s + (x - meanLog) ** 2, 0) / (logs.length - 1));
    expect(Math.abs(meanLog)).toBeLessThan(0.05);
    expect(sdLog).toBeGreaterThan(0.45);
    expect(sdLog).toBeLessThan(0.55);
    // Right-skewed as a log-normal is: the mean lies above the median.
    expect(samples.reduce((s, x) => s + x, 0) / samples.length).toBeGreaterThan(m);
    expect(delays(fault, 1000)).toEqual(samples);
  });

  it('log-normal with sigma 0 is the median', () => {
    expect(delays({ type: 'latency', distribution: 'lognormal', medianMs: 80, sigma: 0 }, 5)).toEqual(Array(5).fill(80));
  });

  it('several latencies add up', () => {
    const [plan] = plans(
      [
        { type: 'latency', distribution: 'fixed', ms: 100 },
        { type: 'latency', distribution: 'fixed', ms: 50 },
      ],
      1,
    );
    expect(plan?.delayMs).toBe(150);
  });
});

describe('probability', () => {
  const flaky: FaultInput = { type: 'error', status: 503, probability: 0.3 };
  const outcomes = (seed: number, n = 20, routeId = 'r'): boolean[] =>
    plans([flaky], n, createFaultState(seed), routeId).map((p) => p.error !== undefined);

  it('gives an exact, reproducible outcome list for a seed', () => {
    const expected42 = outcomes(42);
    expect(expected42.map((x) => (x ? 'X' : '.')).join('')).toBe('.X.X.....X..X..X.X.X');
    expect(outcomes(42)).toEqual(expected42);
    expect(outcomes(1).map((x) => (x ? 'X' : '.')).join('')).toBe('.....XX..X.X...X....');
  });

  it('strikes at about the given rate', () => {
    const hits = outcomes(3, 10_000).filter(Boolean).length;
    expect(hits).toBeGreaterThan(2800);
    expect(hits).toBeLessThan(3200);
  });

  it('defaults to 1; 0 never strikes', () => {
    expect(plans([{ type: 'error', status: 500 }], 10).every((p) => p.error?.status === 500)).toBe(true);
    expect(plans([{ type: 'error', status: 500, probability: 0 }], 10).every(isNoFault)).toBe(true);
  });

  it('applies to latency too', () => {
    const ds = delays({ type: 'latency', distribution: 'fixed', ms: 100, probability: 0.5 }, 1000);
    expect(new Set(ds)).toEqual(new Set([0, 100]));
    const slow = ds.filter((d) => d === 100).length;
    expect(slow).toBeGreaterThan(430);
    expect(slow).toBeLessThan(570);
  });
});

describe('error faults', () => {
  it('answer with status, body and headers; a default JSON body without one', () => {
    const [a] = plans([{ type: 'error', status: 429, body: { message: 'slow down' }, headers: { 'Retry-After': '3' } }], 1);
    expect(a).toEqual({ delayMs: 0, error: { status: 429, body: { message: 'slow down' }, headers: { 'Retry-After': '3' } } });
    const [b] = plans([{ type: 'error', status: 503 }], 1);
    expect(b?.error).toEqual({ status: 503, body: { error: 'simulated fault', status: 503 }, headers: {} });
  });

  it('sequence: fail twice, then succeed for good', () => {
    const fault: FaultInput = { type: 'error', status: 503, sequence: [true, true, false] };
    expect(plans([fault], 6).map((p) => p.error?.status ?? 200)).toEqual([503, 503, 200, 200, 200, 200]);
  });

  it('sequence: the last value repeats; succeed once, then fail for good', () => {
    const fault: FaultInput = { type: 'error', status: 500, sequence: [false, true] };
    expect(plans([fault], 5).map((p) => p.error?.status ?? 200)).toEqual([200, 500, 500, 500, 500]);
  });

  it('sequence counts per route', () => {
    const state = createFaultState(1);
    const fault: FaultInput = { type: 'error', status: 503, sequence: [true, false] };
    const call = (routeId: string): number => planFault([fault], state, ctx(routeId)).error?.status ?? 200;
    expect([call('a'), call('b'), call('a'), call('b'), call('c')]).toEqual([503, 503, 200, 200, 503]);
    state.resetSequences('a');
    expect([call('a'), call('b')]).toEqual([503, 200]);
    state.resetSequences();
    expect(call('b')).toBe(503);
  });

  it('sequence survives an engine that rebuilds its fault objects per call', () => {
    const state = createFaultState(1);
    const statuses = Array.from({ length: 4 }, () => {
      const fresh: FaultInput = { type: 'error', status: 502, sequence: [true, true, false] };
      return planFault([{ type: 'latency', distribution: 'fixed', ms: 1 }, fresh], state, ctx()).error?.status ?? 200;
    });
    expect(statuses).toEqual([502, 502, 200, 200]);
  });

  it("when: 'once' strikes on the first call only, a number on that call only", () => {
    expect(plans([{ type: 'reset', when: 'once' }], 3).map((p) => p.drop ?? '-')).toEqual(['reset', '-', '-']);
    expect(plans([{ type: 'error', status: 500, when: 3 }], 4).map((p) => p.error?.status ?? 200)).toEqual([200, 200, 500, 200]);
  });
});

describe('combining faults', () => {
  it('the first error or drop wins; latency still adds', () => {
    const [plan] = plans(
      [
        { type: 'latency', distribution: 'fixed', ms: 40 },
        { type: 'error', status: 502 },
        { type: 'reset' },
        { type: 'error', status: 500 },
        { type: 'latency', distribution: 'fixed', ms: 60 },
      ],
      1,
    );
    expect(plan).toEqual({ delayMs: 100, error: { status: 502, body: { error: 'simulated fault', status: 502 }, headers: {} } });
    const [drop] = plans([{ type: 'timeout' }, { type: 'error', status: 500 }], 1);
    expect(drop).toEqual({ delayMs: 0, drop: 'timeout' });
  });

  it('an error that does not strike lets the next one win', () => {
    const [plan] = plans([{ type: 'error', status: 500, sequence: [false] }, { type: 'reset' }], 1);
    expect(plan).toEqual({ delayMs: 0, drop: 'reset' });
  });

  it('corruption and slow bodies combine with an answer, not with a drop', () => {
    const [answer] = plans(
      [
        { type: 'malformed', mode: 'truncate' },
        { type: 'malformed', mode: 'garbage' },
        { type: 'slowBody', bytesPerSecond: 500 },
        { type: 'slowBody', bytesPerSecond: 100 },
        { type: 'error', status: 500 },
      ],
      1,
    );
    expect(answer).toMatchObject({ corrupt: 'truncate', bytesPerSecond: 100, error: { status: 500 } });
    const [dropped] = plans([{ type: 'malformed', mode: 'garbage' }, { type: 'slowBody', bytesPerSecond: 10 }, { type: 'reset' }], 1);
    expect(dropped).toEqual({ delayMs: 0, drop: 'reset' });
  });

  it('no faults: the empty plan', () => {
    const [plan] = plans([], 1);
    expect(plan).toEqual({ delayMs: 0 });
    expect(plan && isNoFault(plan)).toBe(true);
  });
});

describe('FaultSwitchboard', () => {
  const definition: FaultInput[] = [{ type: 'latency', distribution: 'fixed', ms: 10 }];

  it('switches faults on and off for a route', () => {
    const board = createFaultSwitchboard();
    const state = createFaultState(1);
    expect(board.plan(definition, state, ctx('a'))).toEqual({ delayMs: 10 });
    board.enable('a', { type: 'error', status: 503 });
    expect(board.plan(definition, state, ctx('a'))).toMatchObject({ delayMs: 10, error: { status: 503 } });
    expect(board.plan(definition, state, ctx('b'))).toEqual({ delayMs: 10 });
    expect(board.list()).toEqual([{ target: 'a', faults: [{ type: 'error', status: 503 }], exclusive: false }]);
    expect(board.disable('a')).toBe(true);
    expect(board.disable('a')).toBe(false);
    expect(board.plan(definition, state, ctx('a'))).toEqual({ delayMs: 10 });
    expect(board.list()).toEqual([]);
  });

  it("'*' applies to every route; the route's own faults come first, then global, then the definition's", () => {
    const board = createFaultSwitchboard();
    const state = createFaultState(1);
    board.enable('*', [{ type: 'error', status: 500 }]);
    board.enable('a', [{ type: 'error', status: 429 }]);
    expect(board.faultsFor('a', [{ type: 'reset' }]).map((f) => f.type === 'error' ? f.status : f.type)).toEqual([429, 500, 'reset']);
    expect(board.plan([{ type: 'reset' }], state, ctx('a')).error?.status).toBe(429);
    expect(board.plan([{ type: 'reset' }], state, ctx('b')).error?.status).toBe(500);
    board.disable();
    expect(board.plan([{ type: 'reset' }], state, ctx('b'))).toEqual({ delayMs: 0, drop: 'reset' });
  });

  it('enable replaces the target’s faults; exclusive switches the definition’s faults off', () => {
    const board = createFaultSwitchboard();
    const state = createFaultState(1);
    board.enable('a', [{ type: 'timeout' }]);
    board.enable('a', [{ type: 'latency', distribution: 'fixed', ms: 5 }]);
    expect(board.plan(definition, state, ctx('a'))).toEqual({ delayMs: 15 });
    board.enable('*', [], { exclusive: true });
    expect(board.plan(definition, state, ctx('a'))).toEqual({ delayMs: 5 });
    expect(board.plan(definition, state, ctx('b'))).toEqual({ delayMs: 0 });
  });

  it('each enable starts its sequence afresh; the caller’s object is copied', () => {
    const board = createFaultSwitchboard();
    const state = createFaultState(1);
    const fault = { type: 'error' as const, status: 503, sequence: [true, true, false] };
    const run = (n: number): number[] => Array.from({ length: n }, () => board.plan([], state, ctx('a')).error?.status ?? 200);
    board.enable('a', [fault]);
    expect(run(3)).toEqual([503, 503, 200]);
    fault.status = 400;
    expect(run(1)).toEqual([200]);
    board.enable('a', [{ type: 'error', status: 503, sequence: [true, true, false] }]);
    expect(run(3)).toEqual([503, 503, 200]);
  });

  it('refuses invalid faults', () => {
    const board = createFaultSwitchboard();
    expect(() => board.enable('a', [{ type: 'latency', distribution: 'uniform', minMs: 5, maxMs: 1 }])).toThrow(/minMs/);
    expect(() => board.enable('a', { type: 'nope' } as unknown as FaultInput)).toThrow(/type/);
    expect(() => board.enable('', [])).toThrow(/target/);
    expect(board.list()).toEqual([]);
  });
});

describe('validation', () => {
  it('accepts every fault type and reports what is wrong', () => {
    const valid: FaultInput[] = [
      { type: 'latency', distribution: 'fixed', ms: 0 },
      { type: 'latency', distribution: 'uniform', minMs: 1, maxMs: 2 },
      { type: 'latency', distribution: 'lognormal', medianMs: 100, sigma: 0.3, probability: 0.5 },
      { type: 'error', status: 503, body: 'x', headers: { 'Retry-After': '1' }, sequence: [true, false] },
      { type: 'timeout', when: 'once' },
      { type: 'reset', when: 2 },
      { type: 'malformed', mode: 'garbage' },
      { type: 'slowBody', bytesPerSecond: 10 },
    ];
    expect(faultsProblems(valid)).toEqual([]);
    expect(
      faultsProblems([
        { type: 'error', status: 42, sequence: [] },
        { type: 'slowBody', bytesPerSecond: 0, probability: 2 },
        { type: 'malformed', mode: 'half' },
        { type: 'reset', when: 0 },
      ]),
    ).toEqual([
      'faults[0].status: must be a whole number >= 100',
      'faults[0].sequence: must be a non-empty array of booleans',
      'faults[1].probability: must be a number in [0, 1]',
      'faults[1].bytesPerSecond: must be a number > 0',
      'faults[2].mode: must be truncate or garbage',
      "faults[3].when: must be 'always', 'once' or a call number >= 1",
    ]);
    expect(faultProblems(null)).toEqual(['fault: must be an object']);
    expect(rateLimitProblems({ requestsPerMinute: 0, burst: 0.5 })).toEqual([
      'rateLimit.requestsPerMinute: must be a number > 0',
      'rateLimit.burst: must be a number >= 1',
    ]);
  });
});
