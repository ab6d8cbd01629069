/**
 * The sandbox clock: what "now" is for the simulated Commerce (record times, token expiry, cron
 * triggers, webhook retries), and the timers that run on it.
 *
 * Time is a base clock (real time by default, or a fixed function in tests) plus an offset. Moving the
 * clock forward (`advance`, `set`) runs every timer that has become due, in time order, and resolves
 * once they have all finished — so a test can say "one hour later" and then look at what was sent,
 * without waiting and without races. In a running sandbox, `startRealTime()` also polls for timers that
 * became due as real time passed.
 *
 * Timers run one at a time: a timer due while another runs waits for it. A timer that throws is
 * reported in its result; it never stops the others.
 */

export type TimerTask = () => unknown;

export interface FiredTimer {
  label: string;
  /** When the timer was due (epoch ms). */
  at: number;
  /** What the task returned (awaited), or the error it threw. */
  result?: unknown;
  error?: string;
}

interface Timer {
  id: number;
  at: number;
  label: string;
  run: TimerTask;
}

export class SandboxClock {
  private offset = 0;
  private timers: Timer[] = [];
  private nextId = 1;
  /** The running `runDue` pass; passes never overlap. */
  private running: Promise<FiredTimer[]> = Promise.resolve([]);

  constructor(private readonly base: () => number = Date.now) {}

  /** Now on the sandbox clock (epoch ms). */
  now(): number {
    return this.base() + this.offset;
  }

  /** Moves the clock forward by `ms` (≥ 0) and runs the timers that became due. */
  advance(ms: number): Promise<FiredTimer[]> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`the clock can only move forward: ${ms}`);
    checkTime(this.now() + ms);
    this.offset += ms;
    return this.runDue();
  }

  /** Sets the clock to `epochMs` (also backwards: timers then simply become due later). */
  set(epochMs: number): Promise<FiredTimer[]> {
    checkTime(epochMs);
    this.offset = epochMs - this.base();
    return this.runDue();
  }

  /** Runs `run` once the clock reaches `at`. Returns the function that cancels it. */
  schedule(at: number, label: string, run: TimerTask): () => void {
    const timer: Timer = { id: this.nextId++, at, label, run };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Timers not yet run, earliest first (for the admin API and tests). */
  pending(): { label: string; at: number }[] {
    return [...this.timers].sort(byTime).map((t) => ({ label: t.label, at: t.at }));
  }

  /** Forgets every timer. */
  clearTimers(): void {
    this.timers = [];
  }

  /**
   * Runs every timer due now, earliest first, including timers that become due while they run (a
   * task may schedule another); resolves with what ran.
   */
  runDue(): Promise<FiredTimer[]> {
    const pass = this.running.then(() => this.drain());
    this.running = pass.catch(() => []);
    return pass;
  }

  /** Polls for due timers every `intervalMs` of real time; returns the function that stops it. */
  startRealTime(intervalMs = 1000): () => void {
    const handle = setInterval(() => void this.runDue(), intervalMs);
    handle.unref();
    return () => clearInterval(handle);
  }

  private async drain(): Promise<FiredTimer[]> {
    const fired: FiredTimer[] = [];
    for (;;) {
      const now = this.now();
      const due = this.timers.filter((t) => t.at <= now).sort(byTime)[0];
      if (!due) return fired;
      this.timers = this.timers.filter((t) => t !== due);
      try {
        fired.push({ label: due.label, at: due.at, result: await due.run() });
      } catch (e) {
        fired.push({ label: due.label, at: due.at, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }
}

/** Largest distance from the epoch a JavaScript Date can represent (±100,000,000 days). */
const MAX_TIME = 8.64e15;

/** Times the clock can show: a time beyond what a Date represents would break every ISO timestamp. */
function checkTime(epochMs: number): void {
  if (!Number.isFinite(epochMs) || Math.abs(epochMs) > MAX_TIME) throw new RangeError(`not a time: ${epochMs}`);
}

function byTime(a: Timer, b: Timer): number {
  return a.at - b.at || a.id - b.id;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration for the admin API: milliseconds as a number, `90s`/`5m`/`1h`/`2d`/`250ms` (also combined,
 * `1h30m`), or ISO 8601 `PT1H30M` / `P1DT2H`. Undefined when it is none of these.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const iso = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text);
  if (iso && text.length > 1 && !/T$/i.test(text)) {
    const [, d, h, m, s] = iso;
    return Math.round(Number(d ?? 0) * UNIT_MS.d! + Number(h ?? 0) * UNIT_MS.h! + Number(m ?? 0) * UNIT_MS.m! + Number(s ?? 0) * UNIT_MS.s!);
  }
  if (!/^(\d+(?:\.\d+)?(ms|s|m|h|d))+$/.test(text)) return /^\d+$/.test(text) ? Number(text) : undefined;
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(part[1]) * UNIT_MS[part[2]!]!;
  return Math.round(total);
}
