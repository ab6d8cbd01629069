/**
 * `Trigger` items (processing extension): a cron expression that runs a cron job, on the sandbox clock.
 *
 * Expressions are Quartz's, as Commerce's triggers use them: 6 or 7 fields with seconds first and an
 * optional year (`0 0/5 * * * ?` every five minutes, `0 0 12 ? * MON-FRI`), `?` for "no value", day
 * of week 1 = Sunday … 7 = Saturday, day of month and day of week both applying (parsed with croner in
 * its Quartz settings). The time zone is `sandbox.cron.timezone` (default UTC, as on SAP's cloud).
 *
 * Every active trigger (`active` not false) with a `cronJob` and a valid expression has one timer on the
 * clock, at its next fire time after the moment it was (re)scheduled. When the timer fires the cron job
 * runs (skipped if it is still running) and the next fire time is computed from the clock's *now*: a
 * clock moved forward by hours fires a trigger once, not once per missed time — Quartz's default
 * misfire handling ("fire once now"). Trigger items created, changed or removed at runtime (ImpEx,
 * the OutboundChannelConfig meta API) are picked up on commit. Triggers naming a `job` instead of a
 * `cronJob`, and invalid expressions, are not scheduled; they are listed in `problems()`.
 */
import { Cron } from 'croner';
import type { SandboxClock } from '../clock/sandbox-clock.js';
import type { Item, ItemStore, Pk } from '../store/store.js';
import type { CronJobOutcome, CronJobService } from './cron-jobs.js';

interface Scheduled {
  signature: string;
  at: number;
  cancel: () => void;
}

export interface TriggerInfo {
  cronJob: string;
  cronExpression: string;
  /** Next fire time (ISO 8601, sandbox clock). */
  next: string;
}

/** Parses a Quartz cron expression; throws (mostly with croner's message) when it is invalid. */
export function quartzCron(expression: string, timezone: string): Cron {
  // croner maps Quartz's 1–7 onto its 0–6 and would take 8 as Sunday (and say "-1" for 0): Quartz refuses both.
  const dayOfWeek = expression.trim().split(/\s+/)[5] ?? '';
  for (const [, day] of dayOfWeek.matchAll(/(?:^|[,-])(\d+)/g)) {
    if (Number(day) < 1 || Number(day) > 7) throw new Error(`invalid day of week ${day} in '${expression.trim()}' (1 = Sunday … 7 = Saturday)`);
  }
  return new Cron(expression.trim(), { paused: true, timezone, mode: '6-or-7-parts', alternativeWeekdays: true, domAndDow: true, sloppyRanges: true });
}

export class CronTriggers {
  private readonly scheduled = new Map<Pk, Scheduled>();
  private readonly invalid = new Map<Pk, string>();
  private detach: (() => void) | undefined;

  constructor(
    private readonly store: ItemStore,
    private readonly clock: SandboxClock,
    private readonly cronJobs: CronJobService,
    private readonly timezone = 'UTC',
  ) {}

  /** Schedules the triggers now in the store and follows later changes (idempotent). */
  attach(): void {
    this.detach ??= this.store.onChange((e) => {
      if (this.store.typeSystem.isSubtypeOf(e.typeCode, 'Trigger')) this.sync();
    });
    this.sync();
  }

  close(): void {
    this.detach?.();
    this.detach = undefined;
    for (const s of this.scheduled.values()) s.cancel();
    this.scheduled.clear();
  }

  /** After the store was restored: every trigger is scheduled anew from now. */
  reset(): void {
    for (const s of this.scheduled.values()) s.cancel();
    this.scheduled.clear();
    this.sync();
  }

  /** Scheduled triggers, earliest first. */
  list(): TriggerInfo[] {
    const out: TriggerInfo[] = [];
    for (const [pk, s] of this.scheduled) {
      const trigger = this.store.get(pk);
      if (!trigger) continue;
      out.push({ cronJob: this.cronJobCode(trigger) ?? '', cronExpression: String(trigger.values.cronExpression), next: new Date(s.at).toISOString() });
    }
    return out.sort((a, b) => a.next.localeCompare(b.next));
  }

  /** Triggers that cannot be scheduled, with the reason. */
  problems(): string[] {
    return [...this.invalid.values()];
  }

  /** Makes the timers match the Trigger items. */
  sync(): void {
    const seen = new Set<Pk>();
    this.invalid.clear();
    for (const trigger of this.store.all('Trigger')) {
      const plan = this.plan(trigger);
      if (!plan) continue;
      seen.add(trigger.pk);
      const current = this.scheduled.get(trigger.pk);
      if (current?.signature === plan.signature) continue;
      current?.cancel();
      this.schedule(trigger.pk, plan.cronJob, plan.cron, plan.signature);
    }
    for (const [pk, s] of this.scheduled) {
      if (seen.has(pk)) continue;
      s.cancel();
      this.scheduled.delete(pk);
    }
  }

  private plan(trigger: Item): { cronJob: string; cron: Cron; signature: string } | undefined {
    if (trigger.values.active === false) return undefined;
    const expression = typeof trigger.values.cronExpression === 'string' ? trigger.values.cronExpression : '';
    const cronJob = this.cronJobCode(trigger);
    const name = `Trigger ${trigger.pk} (${cronJob ?? 'no cron job'}, '${expression}')`;
    if (!cronJob) {
      this.invalid.set(trigger.pk, `${name}: only triggers of a cron job are scheduled`);
      return undefined;
    }
    try {
      return { cronJob, cron: quartzCron(expression, this.timezone), signature: `${cronJob}\u0000${expression}` };
    } catch (e) {
      this.invalid.set(trigger.pk, `${name}: invalid cron expression: ${(e as Error).message}`);
      return undefined;
    }
  }

  private schedule(pk: Pk, cronJob: string, cron: Cron, signature: string): void {
    const next = cron.nextRun(new Date(this.clock.now()));
    if (!next) return; // e.g. a year in the past: never fires again
    const at = next.getTime();
    const cancel = this.clock.schedule(at, `trigger ${cronJob} '${cron.getPattern() ?? ''}'`, async (): Promise<CronJobOutcome | undefined> => {
      this.scheduled.delete(pk);
      const outcome = this.cronJobs.isRunning(cronJob) ? { code: cronJob, skipped: 'the cron job is still running' } : await this.cronJobs.perform(cronJob);
      const trigger = this.store.get(pk);
      const plan = trigger && this.plan(trigger);
      if (plan && !this.scheduled.has(pk)) this.schedule(pk, plan.cronJob, plan.cron, plan.signature);
      return outcome;
    });
    this.scheduled.set(pk, { signature, at, cancel });
  }

  private cronJobCode(trigger: Item): string | undefined {
    const code = this.store.referenced(trigger.values.cronJob)?.values.code;
    return typeof code === 'string' ? code : undefined;
  }
}
