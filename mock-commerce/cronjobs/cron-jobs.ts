/**
 * Cron jobs (processing extension): `CronJob` items run by code, by a trigger or on request
 * (`POST /__sandbox/cronjobs/{code}/perform`).
 *
 * What a cron job does is its job's *performable*; the sandbox registers one per cron job type (the
 * outbound sync registers `OutboundSyncCronJob`). A run sets the item's `status` to RUNNING, then
 * FINISHED with `result` and `startTime`/`endTime` on the sandbox clock, as the platform does. Runs of
 * one cron job never overlap: a request to run a job that is running waits for that run to end and
 * then runs it again (a trigger firing meanwhile is skipped, see `triggers.ts`). An inactive cron job
 * (`active=false`) is not run.
 */
import type { Item, ItemStore } from '../store/store.js';

/** `CronJobResult` values the sandbox produces. */
export type CronJobResult = 'SUCCESS' | 'ERROR' | 'FAILURE';

export interface PerformResult {
  result: CronJobResult;
  /** What the run did, for the admin API answer (JSON). */
  details?: Record<string, unknown>;
}

export type Performable = (cronJob: Item) => Promise<PerformResult>;

export interface CronJobRun {
  code: string;
  type: string;
  status: 'FINISHED';
  result: CronJobResult;
  /** ISO 8601 on the sandbox clock. */
  startTime: string;
  endTime: string;
  /** Why it failed, when the performable threw. */
  error?: string;
  details?: Record<string, unknown>;
}

export type CronJobOutcome = CronJobRun | { code: string; skipped: string };

export class CronJobService {
  private readonly performables = new Map<string, Performable>();
  private readonly runs = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: ItemStore,
    private readonly now: () => number,
  ) {}

  /** `performable` runs cron jobs of `typeCode` and its subtypes (unless a subtype has its own). */
  register(typeCode: string, performable: Performable): void {
    this.performables.set(typeCode, performable);
  }

  isRunning(code: string): boolean {
    return this.runs.has(code);
  }

  /**
   * Runs the cron job with this code now. Undefined when there is no such cron job or no performable
   * for its type; `skipped` when it is inactive.
   */
  async perform(code: string): Promise<CronJobOutcome | undefined> {
    const cronJob = this.store.find('CronJob', { code })[0];
    const performable = cronJob && this.performableOf(cronJob.typeCode);
    if (!cronJob || !performable) return undefined;
    if (cronJob.values.active === false) return { code, skipped: 'the cron job is not active' };
    const previous = this.runs.get(code) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.run(cronJob.pk, code, performable));
    this.runs.set(code, run);
    try {
      return await run;
    } finally {
      if (this.runs.get(code) === run) this.runs.delete(code);
    }
  }

  private async run(pk: number, code: string, performable: Performable): Promise<CronJobOutcome> {
    const cronJob = this.store.get(pk);
    if (!cronJob) return { code, skipped: 'the cron job was removed' };
    const startTime = this.now();
    this.store.update(pk, { status: 'RUNNING', startTime });
    let outcome: PerformResult;
    let error: string | undefined;
    try {
      outcome = await performable(cronJob);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      outcome = { result: 'FAILURE' };
    }
    const endTime = this.now();
    if (this.store.get(pk)) this.store.update(pk, { status: 'FINISHED', result: outcome.result, endTime });
    return {
      code,
      type: cronJob.typeCode,
      status: 'FINISHED',
      result: outcome.result,
      startTime: new Date(startTime).toISOString(),
      endTime: new Date(endTime).toISOString(),
      ...(error !== undefined ? { error } : {}),
      ...(outcome.details ? { details: outcome.details } : {}),
    };
  }

  private performableOf(typeCode: string): Performable | undefined {
    for (const t of this.store.typeSystem.supertypeChain(typeCode)) {
      const p = this.performables.get(t);
      if (p) return p;
    }
    return undefined;
  }
}
