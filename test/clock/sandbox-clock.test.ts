/**
 * The sandbox clock (mock-commerce/clock/sandbox-clock.ts): now = base clock + offset, timers that run
 * when the clock is moved, and the durations the admin API accepts.
 */
import { describe, expect, it } from 'vitest';
import { type FiredTimer, SandboxClock, parseDuration } from '../../mock-commerce/clock/sandbox-clock.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/** A base clock the test moves by hand (stands in for real time passing). */
function movableBase(start = T0): { base: () => number; move: (ms: number) => void } {
  let now = start;
  return { base: () => now, move: (ms) => (now += ms) };
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const labels = (fired: FiredTimer[]) => fired.map((f) => f.label);

describe('SandboxClock: now', () => {
  it('is the base clock plus the offset', async () => {
    const { base, move } = movableBase();
    const clock = new SandboxClock(base);
    expect(clock.now()).toBe(T0);
    move(1234);
    expect(clock.now()).toBe(T0 + 1234);
    await clock.advance(60_000);
    expect(clock.now()).toBe(T0 + 1234 + 60_000);
    move(1);
    expect(clock.now()).toBe(T0 + 1235 + 60_000);
  });

  it('defaults to real time', () => {
    const clock = new SandboxClock();
    const before = Date.now();
    const now = clock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('set moves to an absolute time, forwards and backwards, and keeps following the base clock', async () => {
    const { base, move } = movableBase();
    const clock = new SandboxClock(base);
    await clock.set(Date.UTC(2030, 0, 1));
    expect(clock.now()).toBe(Date.UTC(2030, 0, 1));
    await clock.set(Date.UTC(2020, 5, 1));
    expect(clock.now()).toBe(Date.UTC(2020, 5, 1));
    move(500);
    expect(clock.now()).toBe(Date.UTC(2020, 5, 1) + 500);
    await clock.set(0);
    expect(clock.now()).toBe(0);
  });

  it('advance(0) does not move the clock but runs what is due', async () => {
    const clock = new SandboxClock(() => T0);
    clock.schedule(T0, 'due now', () => 'ran');
    const fired = await clock.advance(0);
    expect(clock.now()).toBe(T0);
    expect(fired).toEqual([{ label: 'due now', at: T0, result: 'ran' }]);
  });

  it.each([-1, -0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('advance(%s) throws a RangeError and leaves the clock alone', (ms) => {
    const clock = new SandboxClock(() => T0);
    expect(() => clock.advance(ms)).toThrow(RangeError);
    expect(clock.now()).toBe(T0);
  });

  it('advance beyond what a Date can represent throws a RangeError and leaves the clock alone', () => {
    const clock = new SandboxClock(() => T0);
    expect(() => clock.advance(1e300)).toThrow(RangeError);
    expect(() => clock.advance(Number.MAX_SAFE_INTEGER)).toThrow(RangeError);
    expect(clock.now()).toBe(T0);
    expect(() => new Date(clock.now()).toISOString()).not.toThrow();
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 8.64e15 + 1, -8.64e15 - 1, 1e300])('set(%s) throws a RangeError and leaves the clock alone', (at) => {
    const clock = new SandboxClock(() => T0);
    expect(() => clock.set(at)).toThrow(RangeError);
    expect(clock.now()).toBe(T0);
  });

  it('set accepts the extremes a Date can represent', async () => {
    const clock = new SandboxClock(() => T0);
    await clock.set(8.64e15);
    expect(new Date(clock.now()).toISOString()).toBe('+275760-09-13T00:00:00.000Z');
    await clock.set(-8.64e15);
    expect(clock.now()).toBe(-8.64e15);
  });
});

describe('SandboxClock: timers', () => {
  it('advance runs the due timers in time order and resolves with what they returned', async () => {
    const clock = new SandboxClock(() => T0);
    const order: string[] = [];
    clock.schedule(T0 + 3000, 'third', () => {
      order.push('third');
      return 3;
    });
    clock.schedule(T0 + 1000, 'first', () => {
      order.push('first');
      return { one: 1 };
    });
    clock.schedule(T0 + 2000, 'second', () => {
      order.push('second');
    });
    clock.schedule(T0 + 5000, 'later', () => order.push('later'));

    const fired = await clock.advance(3000);
    expect(order).toEqual(['first', 'second', 'third']);
    expect(fired).toEqual([
      { label: 'first', at: T0 + 1000, result: { one: 1 } },
      { label: 'second', at: T0 + 2000, result: undefined },
      { label: 'third', at: T0 + 3000, result: 3 },
    ]);
    expect(clock.pending()).toEqual([{ label: 'later', at: T0 + 5000 }]);
  });

  it('a timer is not due before its time: one millisecond short runs nothing', async () => {
    const clock = new SandboxClock(() => T0);
    let ran = 0;
    clock.schedule(T0 + 1000, 't', () => ran++);
    expect(await clock.advance(999)).toEqual([]);
    expect(ran).toBe(0);
    expect(labels(await clock.advance(1))).toEqual(['t']);
    expect(ran).toBe(1);
  });

  it('timers due at the same time run in scheduling order', async () => {
    const clock = new SandboxClock(() => T0);
    const order: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) clock.schedule(T0 + 100, name, () => order.push(name));
    clock.schedule(T0 + 50, 'earlier', () => order.push('earlier'));
    await clock.advance(100);
    expect(order).toEqual(['earlier', 'a', 'b', 'c', 'd']);
  });

  it('timers already due when scheduled (in the past) run on the next move of the clock, not at once', async () => {
    const clock = new SandboxClock(() => T0);
    let ran = false;
    clock.schedule(T0 - 60_000, 'overdue', () => (ran = true));
    await Promise.resolve();
    expect(ran).toBe(false);
    const fired = await clock.runDue();
    expect(fired).toEqual([{ label: 'overdue', at: T0 - 60_000, result: true }]);
  });

  it('awaits a result that is a promise, one timer at a time', async () => {
    const clock = new SandboxClock(() => T0);
    const events: string[] = [];
    clock.schedule(T0 + 1, 'slow', async () => {
      events.push('slow start');
      await new Promise((r) => setTimeout(r, 20));
      events.push('slow end');
      return 'slow result';
    });
    clock.schedule(T0 + 2, 'fast', () => {
      events.push('fast');
      return Promise.resolve('fast result');
    });
    const fired = await clock.advance(10);
    expect(events).toEqual(['slow start', 'slow end', 'fast']);
    expect(fired).toEqual([
      { label: 'slow', at: T0 + 1, result: 'slow result' },
      { label: 'fast', at: T0 + 2, result: 'fast result' },
    ]);
  });

  it('captures errors (thrown or rejected, Error or not) and keeps running the other timers', async () => {
    const clock = new SandboxClock(() => T0);
    clock.schedule(T0 + 1, 'throws', () => {
      throw new Error('boom');
    });
    clock.schedule(T0 + 2, 'rejects', () => Promise.reject(new TypeError('async boom')));
    clock.schedule(T0 + 3, 'throws a string', () => {
      throw 'plain';
    });
    clock.schedule(T0 + 4, 'fine', () => 'ok');
    const fired = await clock.advance(10);
    expect(fired).toEqual([
      { label: 'throws', at: T0 + 1, error: 'boom' },
      { label: 'rejects', at: T0 + 2, error: 'async boom' },
      { label: 'throws a string', at: T0 + 3, error: 'plain' },
      { label: 'fine', at: T0 + 4, result: 'ok' },
    ]);
    expect(fired[0]).not.toHaveProperty('result');
    expect(clock.pending()).toEqual([]);
    // the clock still works after failures
    clock.schedule(T0 + 20, 'next', () => 'next ok');
    expect(await clock.advance(10)).toEqual([{ label: 'next', at: T0 + 20, result: 'next ok' }]);
  });

  it('a timer runs once: moving the clock again does not run it again', async () => {
    const clock = new SandboxClock(() => T0);
    let runs = 0;
    clock.schedule(T0 + 10, 'once', () => ++runs);
    await clock.advance(10);
    await clock.advance(10);
    await clock.set(T0 + 1_000_000);
    expect(runs).toBe(1);
  });

  it('timers a running timer schedules run in the same pass when they are already due, later ones wait', async () => {
    const clock = new SandboxClock(() => T0);
    const order: string[] = [];
    clock.schedule(T0 + 1000, 'parent', () => {
      order.push('parent');
      clock.schedule(T0 + 500, 'child in the past', () => order.push('child in the past'));
      clock.schedule(T0 + 2000, 'child due in this pass', () => {
        order.push('child due in this pass');
        clock.schedule(T0 + 2500, 'grandchild', () => order.push('grandchild'));
      });
      clock.schedule(T0 + 10_000, 'child not due', () => order.push('child not due'));
      return 'parent done';
    });
    clock.schedule(T0 + 1500, 'sibling', () => order.push('sibling'));

    const fired = await clock.advance(3000);
    expect(order).toEqual(['parent', 'child in the past', 'sibling', 'child due in this pass', 'grandchild']);
    expect(labels(fired)).toEqual(order);
    expect(clock.pending()).toEqual([{ label: 'child not due', at: T0 + 10_000 }]);
  });

  it('a timer that reschedules itself at the current time runs again in the same pass, but one in the future does not', async () => {
    const clock = new SandboxClock(() => T0);
    let count = 0;
    const tick = (): number => {
      count++;
      // every minute, like a trigger: the next time is computed from now
      if (count < 3) clock.schedule(clock.now(), 'again', tick);
      else clock.schedule(clock.now() + 60_000, 'again', tick);
      return count;
    };
    clock.schedule(T0 + 1, 'again', tick);
    const fired = await clock.advance(1);
    expect(fired.map((f) => f.result)).toEqual([1, 2, 3]);
    expect(clock.pending()).toEqual([{ label: 'again', at: T0 + 1 + 60_000 }]);
  });

  it('cancel removes a timer; cancelling twice or after it ran is harmless', async () => {
    const clock = new SandboxClock(() => T0);
    let ran = 0;
    const cancelA = clock.schedule(T0 + 10, 'a', () => ran++);
    const cancelB = clock.schedule(T0 + 20, 'b', () => ran++);
    clock.schedule(T0 + 30, 'c', () => ran++);
    cancelA();
    cancelA();
    expect(clock.pending().map((t) => t.label)).toEqual(['b', 'c']);
    expect(labels(await clock.advance(100))).toEqual(['b', 'c']);
    cancelB();
    expect(ran).toBe(2);
    expect(clock.pending()).toEqual([]);
  });

  it('a timer cancelled by an earlier timer of the same pass does not run', async () => {
    const clock = new SandboxClock(() => T0);
    const order: string[] = [];
    // eslint-disable-next-line prefer-const
    let cancelLater: () => void;
    clock.schedule(T0 + 1, 'canceller', () => {
      order.push('canceller');
      cancelLater();
    });
    cancelLater = clock.schedule(T0 + 2, 'cancelled', () => order.push('cancelled'));
    clock.schedule(T0 + 3, 'survivor', () => order.push('survivor'));
    const fired = await clock.advance(10);
    expect(order).toEqual(['canceller', 'survivor']);
    expect(labels(fired)).toEqual(['canceller', 'survivor']);
  });

  it('set backwards runs nothing; the timers become due when the clock comes back', async () => {
    const clock = new SandboxClock(() => T0);
    let ran = 0;
    clock.schedule(T0 + 60_000, 'minute', () => ++ran);
    expect(await clock.set(T0 - 3_600_000)).toEqual([]);
    expect(clock.pending()).toEqual([{ label: 'minute', at: T0 + 60_000 }]);
    expect(await clock.advance(3_600_000)).toEqual([]);
    expect(ran).toBe(0);
    expect(await clock.advance(60_000)).toEqual([{ label: 'minute', at: T0 + 60_000, result: 1 }]);
  });

  it('set forwards runs what became due, like advance', async () => {
    const clock = new SandboxClock(() => T0);
    clock.schedule(T0 + 1000, 'a', () => 'A');
    clock.schedule(T0 + 5000, 'b', () => 'B');
    expect(await clock.set(T0 + 1000)).toEqual([{ label: 'a', at: T0 + 1000, result: 'A' }]);
    expect(await clock.set(T0 + 10_000)).toEqual([{ label: 'b', at: T0 + 5000, result: 'B' }]);
  });

  it('runDue runs timers that became due as the base clock moved (real time passing)', async () => {
    const { base, move } = movableBase();
    const clock = new SandboxClock(base);
    clock.schedule(T0 + 1000, 'real time', () => 'ran');
    expect(await clock.runDue()).toEqual([]);
    move(1000);
    expect(await clock.runDue()).toEqual([{ label: 'real time', at: T0 + 1000, result: 'ran' }]);
  });

  it('startRealTime polls for due timers until stopped', async () => {
    const { base, move } = movableBase();
    const clock = new SandboxClock(base);
    let runs = 0;
    clock.schedule(T0 + 1000, 'polled', () => ++runs);
    const stop = clock.startRealTime(5);
    try {
      await new Promise((r) => setTimeout(r, 30));
      expect(runs).toBe(0);
      move(1000);
      await expect.poll(() => runs, { timeout: 2000, interval: 5 }).toBe(1);
    } finally {
      stop();
    }
    clock.schedule(T0 + 2000, 'after stop', () => ++runs);
    move(5000);
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toBe(1);
    expect(clock.pending()).toEqual([{ label: 'after stop', at: T0 + 2000 }]);
  });
});

describe('SandboxClock: concurrent moves', () => {
  it('two advance calls at once never run a timer twice; the second resolves after the first', async () => {
    const clock = new SandboxClock(() => T0);
    const runs = new Map<string, number>();
    for (let i = 1; i <= 5; i++) {
      const label = `t${i}`;
      clock.schedule(T0 + i * 1000, label, async () => {
        await new Promise((r) => setTimeout(r, 2));
        runs.set(label, (runs.get(label) ?? 0) + 1);
      });
    }
    const finished: string[] = [];
    const first = clock.advance(3000).then((f) => (finished.push('first'), f));
    const second = clock.advance(3000).then((f) => (finished.push('second'), f));
    const [a, b] = await Promise.all([first, second]);
    expect(finished).toEqual(['first', 'second']);
    const all = [...labels(a), ...labels(b)];
    expect(all.sort()).toEqual(['t1', 't2', 't3', 't4', 't5']);
    expect([...runs.values()]).toEqual([1, 1, 1, 1, 1]);
    expect(clock.now()).toBe(T0 + 6000);
  });

  it('a move while a timer is still running waits for it and does not start that timer again', async () => {
    const clock = new SandboxClock(() => T0);
    const gate = deferred();
    let slowRuns = 0;
    let laterRuns = 0;
    clock.schedule(T0 + 10, 'slow', async () => {
      slowRuns++;
      await gate.promise;
      return 'slow done';
    });
    clock.schedule(T0 + 1000, 'later', () => ++laterRuns);

    const first = clock.advance(10);
    await new Promise((r) => setTimeout(r, 5));
    expect(slowRuns).toBe(1);
    // the slow timer is running: moving on now must neither re-run it nor overtake it
    const second = clock.advance(1000);
    const third = clock.runDue();
    await new Promise((r) => setTimeout(r, 5));
    expect(laterRuns).toBe(0);
    gate.resolve();
    const [a, b, c] = await Promise.all([first, second, third]);
    expect(slowRuns).toBe(1);
    expect(laterRuns).toBe(1);
    // the later timer became due while the first pass ran: whichever pass ran it, it ran once
    expect([...labels(a), ...labels(b), ...labels(c)].sort()).toEqual(['later', 'slow']);
    expect(a[0]).toEqual({ label: 'slow', at: T0 + 10, result: 'slow done' });
  });

  it('many concurrent runDue calls run each due timer exactly once', async () => {
    const { base, move } = movableBase();
    const clock = new SandboxClock(base);
    let runs = 0;
    for (let i = 0; i < 20; i++) clock.schedule(T0 + i, `t${i}`, () => Promise.resolve(++runs));
    move(100);
    const passes = await Promise.all(Array.from({ length: 10 }, () => clock.runDue()));
    expect(runs).toBe(20);
    expect(passes.flat()).toHaveLength(20);
    expect(passes[0]).toHaveLength(20);
  });
});

describe('SandboxClock: pending and clearTimers', () => {
  it('pending lists the timers not yet run, earliest first (ties in scheduling order), and is a copy', () => {
    const clock = new SandboxClock(() => T0);
    expect(clock.pending()).toEqual([]);
    clock.schedule(T0 + 300, 'c', () => 0);
    clock.schedule(T0 + 100, 'a', () => 0);
    clock.schedule(T0 + 300, 'd', () => 0);
    clock.schedule(T0 + 200, 'b', () => 0);
    const pending = clock.pending();
    expect(pending).toEqual([
      { label: 'a', at: T0 + 100 },
      { label: 'b', at: T0 + 200 },
      { label: 'c', at: T0 + 300 },
      { label: 'd', at: T0 + 300 },
    ]);
    pending.pop();
    pending[0]!.at = 0;
    expect(clock.pending()).toHaveLength(4);
    expect(clock.pending()[0]).toEqual({ label: 'a', at: T0 + 100 });
  });

  it('clearTimers forgets every timer; new timers can be scheduled afterwards', async () => {
    const clock = new SandboxClock(() => T0);
    let ran = 0;
    clock.schedule(T0 + 1, 'a', () => ran++);
    const cancelB = clock.schedule(T0 + 2, 'b', () => ran++);
    clock.clearTimers();
    expect(clock.pending()).toEqual([]);
    cancelB();
    expect(await clock.advance(10)).toEqual([]);
    expect(ran).toBe(0);
    clock.schedule(T0 + 20, 'c', () => ++ran);
    expect(await clock.advance(10)).toEqual([{ label: 'c', at: T0 + 20, result: 1 }]);
  });
});

describe('parseDuration', () => {
  const valid: [input: unknown, ms: number][] = [
    [0, 0],
    [1500, 1500],
    [0.5, 0.5],
    ['0', 0],
    ['250', 250],
    ['250ms', 250],
    ['1s', 1000],
    ['90s', 90_000],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['1m500ms', 60_500],
    ['0.5h', 1_800_000],
    ['  5m  ', 300_000],
    ['PT1H30M', 5_400_000],
    ['PT1H', 3_600_000],
    ['PT5M', 300_000],
    ['PT90S', 90_000],
    ['PT0.5S', 500],
    ['PT0.0005S', 1],
    ['P1D', 86_400_000],
    ['P1DT2H', 93_600_000],
    ['P2DT3H4M5S', 183_845_000],
    ['pt1h', 3_600_000],
    ['P0D', 0],
  ];
  it.each(valid)('%j → %s ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  const invalid: unknown[] = [
    '',
    '   ',
    'P',
    'PT',
    'P1DT',
    'T1H',
    'P1H',
    'PT1D',
    '5x',
    'm',
    '5 m',
    '1h 30m',
    '-5m',
    '-1',
    '+5m',
    '5M',
    '5min',
    '1.h',
    '.5h',
    'h1',
    'PT-1H',
    'P1W',
    -1,
    -0.001,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    null,
    undefined,
    true,
    {},
    [5],
    { ms: 5 },
  ];
  it.each(invalid)('%j → undefined', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('rounds to whole milliseconds for unit and ISO forms', () => {
    expect(parseDuration('1.0004s')).toBe(1000);
    expect(parseDuration('0.6ms')).toBe(1);
    expect(parseDuration('PT0.0004S')).toBe(0);
  });
});
