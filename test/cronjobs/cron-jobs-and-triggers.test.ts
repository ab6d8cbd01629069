/**
 * Cron jobs (mock-commerce/cronjobs/cron-jobs.ts) and Quartz triggers on the sandbox clock
 * (mock-commerce/cronjobs/triggers.ts), in the loaded demo Commerce with a fixed base clock, and the
 * clock's admin API (`/__sandbox/clock`) over real HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../mock-commerce/app.js';
import type { FiredTimer } from '../../mock-commerce/clock/sandbox-clock.js';
import type { Commerce } from '../../mock-commerce/commerce.js';
import type { CronJobOutcome, CronJobRun, PerformResult } from '../../mock-commerce/cronjobs/cron-jobs.js';
import { quartzCron } from '../../mock-commerce/cronjobs/triggers.js';
import { importImpex } from '../../mock-commerce/impex/import.js';
import { parseImpex } from '../../mock-commerce/impex/parse.js';
import type { Item } from '../../mock-commerce/store/store.js';
import { DEMO, load, serve } from '../helpers/commerce.js';

/** Monday 2026-01-05 09:00:00 UTC. */
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();
const SYNC_JOB = 'outboundSyncCronJob';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets pending promise callbacks run (a few macrotask turns). */
const settle = () => new Promise((r) => setTimeout(r, 10));

function impex(commerce: Commerce, text: string): void {
  const report = importImpex(parseImpex(text, 'x.impex'), commerce.store);
  expect(report.errors).toEqual([]);
}

function cronJob(commerce: Commerce, code: string): Item {
  const item = commerce.store.find('CronJob', { code })[0];
  if (!item) throw new Error(`no cron job ${code}`);
  return item;
}

function asRun(outcome: CronJobOutcome | undefined): CronJobRun {
  if (!outcome || !('status' in outcome)) throw new Error(`not a run: ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('CronJobService', () => {
  let now: number;
  let commerce: Commerce;
  beforeEach(() => {
    now = T0;
    commerce = load({ projectDir: DEMO, clock: () => now });
  });

  it('runs the shipped outbound sync cron job: SUCCESS with nothing sent, FINISHED on the item with sandbox clock times', async () => {
    await commerce.time.advance(90_000);
    const outcome = await commerce.outbound.cronJobs.perform(SYNC_JOB);
    expect(outcome).toEqual({
      code: SYNC_JOB,
      type: 'OutboundSyncCronJob',
      status: 'FINISHED',
      result: 'SUCCESS',
      startTime: iso(T0 + 90_000),
      endTime: iso(T0 + 90_000),
      details: { sent: 0, failed: 0, items: [], warnings: [] },
    });
    expect(cronJob(commerce, SYNC_JOB).values).toMatchObject({ status: 'FINISHED', result: 'SUCCESS', startTime: T0 + 90_000, endTime: T0 + 90_000 });
    expect(commerce.outbound.cronJobs.isRunning(SYNC_JOB)).toBe(false);
  });

  it('is RUNNING with its startTime while the performable runs, FINISHED with result and endTime after', async () => {
    const job = commerce.store.create('CronJob', { code: 'plainJob', active: true });
    const seen: Record<string, unknown>[] = [];
    let runningFlag: boolean | undefined;
    commerce.outbound.cronJobs.register('CronJob', (item) => {
      seen.push({ ...commerce.store.get(item.pk)!.values });
      runningFlag = commerce.outbound.cronJobs.isRunning('plainJob');
      expect(item.pk).toBe(job.pk);
      now += 5000; // the run takes five seconds of base-clock time
      return Promise.resolve({ result: 'SUCCESS', details: { did: 'work' } });
    });
    const outcome = await commerce.outbound.cronJobs.perform('plainJob');
    expect(seen).toEqual([expect.objectContaining({ code: 'plainJob', status: 'RUNNING', startTime: T0 })]);
    expect(seen[0]).not.toHaveProperty('endTime');
    expect(seen[0]).not.toHaveProperty('result');
    expect(runningFlag).toBe(true);
    expect(outcome).toEqual({ code: 'plainJob', type: 'CronJob', status: 'FINISHED', result: 'SUCCESS', startTime: iso(T0), endTime: iso(T0 + 5000), details: { did: 'work' } });
    expect(commerce.store.get(job.pk)!.values).toMatchObject({ status: 'FINISHED', result: 'SUCCESS', startTime: T0, endTime: T0 + 5000 });
    expect(commerce.outbound.cronJobs.isRunning('plainJob')).toBe(false);
  });

  it('a second run overwrites status, result and times', async () => {
    commerce.store.create('CronJob', { code: 'plainJob' });
    const results: PerformResult[] = [{ result: 'ERROR' }, { result: 'SUCCESS' }];
    commerce.outbound.cronJobs.register('CronJob', () => Promise.resolve(results.shift()!));
    const first = asRun(await commerce.outbound.cronJobs.perform('plainJob'));
    expect(first.result).toBe('ERROR');
    expect(first).not.toHaveProperty('details');
    expect(first).not.toHaveProperty('error');
    expect(cronJob(commerce, 'plainJob').values).toMatchObject({ status: 'FINISHED', result: 'ERROR', startTime: T0, endTime: T0 });
    now += HOUR;
    const second = asRun(await commerce.outbound.cronJobs.perform('plainJob'));
    expect(second).toMatchObject({ result: 'SUCCESS', startTime: iso(T0 + HOUR), endTime: iso(T0 + HOUR) });
    expect(cronJob(commerce, 'plainJob').values).toMatchObject({ status: 'FINISHED', result: 'SUCCESS', startTime: T0 + HOUR, endTime: T0 + HOUR });
  });

  it('an unknown code is undefined, and so is a cron job whose type has no performable', async () => {
    expect(await commerce.outbound.cronJobs.perform('noSuchCronJob')).toBeUndefined();
    expect(await commerce.outbound.cronJobs.perform('')).toBeUndefined();
    // no performable for CronJob or CartRemovalCronJob is registered by the sandbox
    const job = commerce.store.create('CartRemovalCronJob', { code: 'cartRemoval' });
    expect(await commerce.outbound.cronJobs.perform('cartRemoval')).toBeUndefined();
    expect(commerce.store.get(job.pk)!.values).not.toHaveProperty('status');
    // the admin route answers 404 for both
    expect(await commerce.outbound.performCronJob('noSuchCronJob')).toBeUndefined();
  });

  it('an inactive cron job is skipped: its performable is not called and the item is not touched', async () => {
    let calls = 0;
    commerce.outbound.cronJobs.register('CronJob', () => {
      calls++;
      return Promise.resolve({ result: 'SUCCESS' });
    });
    const job = commerce.store.create('CronJob', { code: 'sleeping', active: false });
    expect(await commerce.outbound.cronJobs.perform('sleeping')).toEqual({ code: 'sleeping', skipped: 'the cron job is not active' });
    expect(calls).toBe(0);
    expect(commerce.store.get(job.pk)!.values).toEqual({ code: 'sleeping', active: false });
    // the shipped one, deactivated
    commerce.store.update(cronJob(commerce, SYNC_JOB).pk, { active: false });
    expect(await commerce.outbound.cronJobs.perform(SYNC_JOB)).toEqual({ code: SYNC_JOB, skipped: 'the cron job is not active' });
    expect(cronJob(commerce, SYNC_JOB).values).not.toHaveProperty('status');
    // active unset (null or missing) is not inactive
    commerce.store.create('CronJob', { code: 'unset', active: null });
    expect(asRun(await commerce.outbound.cronJobs.perform('unset')).result).toBe('SUCCESS');
  });

  it.each([
    ['an Error', () => Promise.reject(new Error('database down')), 'database down'],
    ['a synchronous throw', () => { throw new TypeError('sync failure'); }, 'sync failure'],
    ['a non-Error', () => Promise.reject('just a string'), 'just a string'],
  ] as [string, () => Promise<PerformResult>, string][])('a performable that throws %s → FAILURE with the error, FINISHED on the item', async (_name, performable, message) => {
    commerce.store.create('CronJob', { code: 'failing' });
    commerce.outbound.cronJobs.register('CronJob', performable);
    const outcome = await commerce.outbound.cronJobs.perform('failing');
    expect(outcome).toEqual({ code: 'failing', type: 'CronJob', status: 'FINISHED', result: 'FAILURE', startTime: iso(T0), endTime: iso(T0), error: message });
    expect(cronJob(commerce, 'failing').values).toMatchObject({ status: 'FINISHED', result: 'FAILURE', endTime: T0 });
    expect(commerce.outbound.cronJobs.isRunning('failing')).toBe(false);
    // the job can run again afterwards
    commerce.outbound.cronJobs.register('CronJob', () => Promise.resolve({ result: 'SUCCESS' }));
    expect(asRun(await commerce.outbound.cronJobs.perform('failing')).result).toBe('SUCCESS');
  });

  it('two concurrent performs of one cron job run one after the other, never overlapping', async () => {
    commerce.store.create('CronJob', { code: 'serial' });
    const events: string[] = [];
    const gates = [deferred(), deferred()];
    let n = 0;
    commerce.outbound.cronJobs.register('CronJob', async () => {
      const mine = n++;
      events.push(`start ${mine}`);
      await gates[mine]!.promise;
      now += 1000;
      events.push(`end ${mine}`);
      return { result: 'SUCCESS', details: { run: mine } };
    });
    const first = commerce.outbound.cronJobs.perform('serial');
    const second = commerce.outbound.cronJobs.perform('serial');
    await settle();
    expect(events).toEqual(['start 0']);
    expect(commerce.outbound.cronJobs.isRunning('serial')).toBe(true);
    gates[0]!.resolve();
    const a = asRun(await first);
    expect(a.details).toEqual({ run: 0 });
    await settle();
    expect(events).toEqual(['start 0', 'end 0', 'start 1']);
    expect(cronJob(commerce, 'serial').values.status).toBe('RUNNING');
    expect(commerce.outbound.cronJobs.isRunning('serial')).toBe(true);
    gates[1]!.resolve();
    const b = asRun(await second);
    expect(events).toEqual(['start 0', 'end 0', 'start 1', 'end 1']);
    expect(b.details).toEqual({ run: 1 });
    expect(Date.parse(b.startTime)).toBeGreaterThanOrEqual(Date.parse(a.endTime));
    expect(commerce.outbound.cronJobs.isRunning('serial')).toBe(false);
  });

  it('runs of different cron jobs do not wait for each other', async () => {
    commerce.store.create('CronJob', { code: 'slow' });
    commerce.store.create('CronJob', { code: 'quick' });
    const gate = deferred();
    commerce.outbound.cronJobs.register('CronJob', async (item) => {
      if (item.values.code === 'slow') await gate.promise;
      return { result: 'SUCCESS' };
    });
    const slow = commerce.outbound.cronJobs.perform('slow');
    const quick = asRun(await commerce.outbound.cronJobs.perform('quick'));
    expect(quick.result).toBe('SUCCESS');
    expect(commerce.outbound.cronJobs.isRunning('slow')).toBe(true);
    gate.resolve();
    expect(asRun(await slow).result).toBe('SUCCESS');
  });

  it('a run queued behind another is skipped when the cron job was removed meanwhile', async () => {
    const job = commerce.store.create('CronJob', { code: 'doomed' });
    const gate = deferred();
    let calls = 0;
    commerce.outbound.cronJobs.register('CronJob', async () => {
      calls++;
      await gate.promise;
      return { result: 'SUCCESS' };
    });
    const first = commerce.outbound.cronJobs.perform('doomed');
    const second = commerce.outbound.cronJobs.perform('doomed');
    await settle();
    commerce.store.remove(job.pk);
    gate.resolve();
    // the running one finishes without writing to the removed item
    expect(asRun(await first).result).toBe('SUCCESS');
    expect(await second).toEqual({ code: 'doomed', skipped: 'the cron job was removed' });
    expect(calls).toBe(1);
    expect(commerce.store.get(job.pk)).toBeUndefined();
  });

  it('finds the performable by the nearest registered supertype', async () => {
    const ran: string[] = [];
    const performable = (name: string) => (item: Item) => {
      ran.push(`${name}:${String(item.values.code)}`);
      return Promise.resolve<PerformResult>({ result: 'SUCCESS' });
    };
    commerce.outbound.cronJobs.register('CronJob', performable('generic'));
    commerce.outbound.cronJobs.register('CartRemovalCronJob', performable('cartRemoval'));
    commerce.store.create('CronJob', { code: 'plain' });
    commerce.store.create('CartRemovalCronJob', { code: 'carts' });
    commerce.store.create('SyncItemCronJob', { code: 'catalogSync' });

    expect(asRun(await commerce.outbound.cronJobs.perform('plain')).type).toBe('CronJob');
    expect(asRun(await commerce.outbound.cronJobs.perform('carts')).type).toBe('CartRemovalCronJob');
    expect(asRun(await commerce.outbound.cronJobs.perform('catalogSync')).type).toBe('SyncItemCronJob');
    // OutboundSyncCronJob keeps its own performable: the outbound sync, with its run as details
    expect(asRun(await commerce.outbound.cronJobs.perform(SYNC_JOB)).details).toEqual({ sent: 0, failed: 0, items: [], warnings: [] });
    expect(ran).toEqual(['generic:plain', 'cartRemoval:carts', 'generic:catalogSync']);

    // registering again for a type replaces its performable
    commerce.outbound.cronJobs.register('OutboundSyncCronJob', performable('replaced'));
    await commerce.outbound.cronJobs.perform(SYNC_JOB);
    expect(ran.at(-1)).toBe(`replaced:${SYNC_JOB}`);
  });
});

describe('quartzCron', () => {
  const from = new Date(T0); // Monday 09:00:00 UTC
  const next = (expression: string, n: number, timezone = 'UTC') => quartzCron(expression, timezone).nextRuns(n, from).map((d) => d.toISOString());

  it.each([
    ['0 0/5 * * * ?', ['2026-01-05T09:05:00.000Z', '2026-01-05T09:10:00.000Z', '2026-01-05T09:15:00.000Z']],
    ['*/10 * * * * ?', ['2026-01-05T09:00:10.000Z', '2026-01-05T09:00:20.000Z', '2026-01-05T09:00:30.000Z']],
    ['0 0 9 * * ?', ['2026-01-06T09:00:00.000Z', '2026-01-07T09:00:00.000Z', '2026-01-08T09:00:00.000Z']],
    ['0 30 8-10 * * ?', ['2026-01-05T09:30:00.000Z', '2026-01-05T10:30:00.000Z', '2026-01-06T08:30:00.000Z']],
    // weekdays by name
    ['0 0 12 ? * MON-FRI', ['2026-01-05T12:00:00.000Z', '2026-01-06T12:00:00.000Z', '2026-01-07T12:00:00.000Z', '2026-01-08T12:00:00.000Z', '2026-01-09T12:00:00.000Z', '2026-01-12T12:00:00.000Z']],
    ['0 0 12 ? * SUN', ['2026-01-11T12:00:00.000Z', '2026-01-18T12:00:00.000Z']],
    // Quartz numbering: 1 = Sunday, 2 = Monday … 7 = Saturday
    ['0 0 12 ? * 2', ['2026-01-05T12:00:00.000Z', '2026-01-12T12:00:00.000Z', '2026-01-19T12:00:00.000Z']],
    ['0 0 12 ? * 1', ['2026-01-11T12:00:00.000Z', '2026-01-18T12:00:00.000Z']],
    ['0 0 12 ? * 7', ['2026-01-10T12:00:00.000Z', '2026-01-17T12:00:00.000Z']],
    ['0 0 12 ? * 2-6', ['2026-01-05T12:00:00.000Z', '2026-01-06T12:00:00.000Z', '2026-01-07T12:00:00.000Z', '2026-01-08T12:00:00.000Z', '2026-01-09T12:00:00.000Z', '2026-01-12T12:00:00.000Z']],
    ['0 0 12 ? * 1,7', ['2026-01-10T12:00:00.000Z', '2026-01-11T12:00:00.000Z', '2026-01-17T12:00:00.000Z']],
    // day of month, last day, nth weekday
    ['0 0 12 15 * ?', ['2026-01-15T12:00:00.000Z', '2026-02-15T12:00:00.000Z']],
    ['0 0 12 L * ?', ['2026-01-31T12:00:00.000Z', '2026-02-28T12:00:00.000Z']],
    ['0 0 12 ? * 2#1', ['2026-01-05T12:00:00.000Z', '2026-02-02T12:00:00.000Z']],
    // 7 fields: with a year
    ['0 0 12 1 1 ? 2027', ['2027-01-01T12:00:00.000Z']],
    ['0 0 0 1 1 ? 2027-2028', ['2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z']],
    // surrounding whitespace is ignored
    ['  0 0/5 * * * ?  ', ['2026-01-05T09:05:00.000Z']],
  ] as [string, string[]][])('%s fires at %j', (expression, times) => {
    expect(next(expression, times.length)).toEqual(times);
  });

  it('the next fire time is strictly after the given moment', () => {
    expect(next('0 0 9 ? * MON', 1)).toEqual(['2026-01-12T09:00:00.000Z']);
  });

  it('a year in the past never fires', () => {
    expect(quartzCron('0 0 12 1 1 ? 2025', 'UTC').nextRun(from)).toBeNull();
  });

  it('runs in the given time zone', () => {
    expect(next('0 0 12 ? * MON-FRI', 1, 'Europe/Berlin')).toEqual(['2026-01-05T11:00:00.000Z']);
    expect(next('0 0 12 ? * MON-FRI', 1, 'America/New_York')).toEqual(['2026-01-05T17:00:00.000Z']);
  });

  it.each([
    ['', /invalid configuration format/],
    ['   ', /invalid configuration format/],
    ['garbage', /invalid configuration format/],
    // Unix cron (5 fields) is not Quartz
    ['* * * * *', /6 or 7 parts/],
    ['*/5 * * * *', /6 or 7 parts/],
    ['0 0 0 * * ? 2027 extra', /invalid configuration format/],
    ['0 0 25 * * ?', /hour/],
    ['0 61 * * * ?', /minute/],
    ['60 * * * * ?', /second/],
    ['0 0 12 32 * ?', /day/],
    ['0 0 12 ? 13 *', /month/],
    ['0 0 12 ? * FOO', /./],
    // Quartz days of week are 1 … 7
    ['0 0 12 ? * 0', /invalid day of week 0/],
    ['0 0 12 ? * 8', /invalid day of week 8/],
    ['0 0 12 ? * 2-8', /invalid day of week 8/],
    ['0 0 12 ? * 1,9', /invalid day of week 9/],
  ])('%j is refused (%s)', (expression, message) => {
    expect(() => quartzCron(expression, 'UTC')).toThrow(message);
  });

  it('an unknown time zone is refused', () => {
    expect(() => quartzCron('0 0 12 * * ?', 'Mars/Olympus_Mons').nextRun(from)).toThrow();
  });
});

describe('CronTriggers', () => {
  let commerce: Commerce;
  let syncJob: Item;
  beforeEach(() => {
    commerce = load({ projectDir: DEMO, clock: () => T0 });
    syncJob = cronJob(commerce, SYNC_JOB);
  });

  const triggers = () => commerce.outbound.triggers;
  const label = (expression: string, job = SYNC_JOB) => `trigger ${job} '${expression}'`;
  const createTrigger = (values: Record<string, string | number | boolean | null>) => commerce.store.create('Trigger', values);

  it('the demo ships no trigger: nothing is scheduled, nothing is wrong', () => {
    expect(commerce.time.pending()).toEqual([]);
    expect(triggers().list()).toEqual([]);
    expect(triggers().problems()).toEqual([]);
  });

  it('a Trigger created at runtime is scheduled at its next fire time and listed', () => {
    createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0/5 * * * ?', active: true });
    expect(commerce.time.pending()).toEqual([{ label: label('0 0/5 * * * ?'), at: T0 + 5 * MINUTE }]);
    expect(triggers().list()).toEqual([{ cronJob: SYNC_JOB, cronExpression: '0 0/5 * * * ?', next: '2026-01-05T09:05:00.000Z' }]);
    expect(triggers().problems()).toEqual([]);
  });

  it('a trigger with active unset is scheduled too', () => {
    createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0 12 ? * MON-FRI' });
    expect(triggers().list()).toEqual([{ cronJob: SYNC_JOB, cronExpression: '0 0 12 ? * MON-FRI', next: '2026-01-05T12:00:00.000Z' }]);
  });

  it('fires when the clock passes its time: the fired timer carries the cron job run; then the next time is scheduled', async () => {
    createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0/5 * * * ?', active: true });
    expect(await commerce.time.advance(5 * MINUTE - 1)).toEqual([]);
    expect(cronJob(commerce, SYNC_JOB).values).not.toHaveProperty('status');

    const fired = await commerce.time.advance(1);
    expect(fired).toEqual([
      {
        label: label('0 0/5 * * * ?'),
        at: T0 + 5 * MINUTE,
        result: {
          code: SYNC_JOB,
          type: 'OutboundSyncCronJob',
          status: 'FINISHED',
          result: 'SUCCESS',
          startTime: '2026-01-05T09:05:00.000Z',
          endTime: '2026-01-05T09:05:00.000Z',
          details: { sent: 0, failed: 0, items: [], warnings: [] },
        },
      },
    ]);
    expect(cronJob(commerce, SYNC_JOB).values).toMatchObject({ status: 'FINISHED', result: 'SUCCESS', startTime: T0 + 5 * MINUTE });
    expect(commerce.time.pending()).toEqual([{ label: label('0 0/5 * * * ?'), at: T0 + 10 * MINUTE }]);
    expect(triggers().list()[0]!.next).toBe('2026-01-05T09:10:00.000Z');

    const again = await commerce.time.advance(5 * MINUTE);
    expect(again.map((f) => [f.at, (f.result as CronJobRun).startTime])).toEqual([[T0 + 10 * MINUTE, '2026-01-05T09:10:00.000Z']]);
  });

  it('fires once when the clock jumps far ahead (misfire: fire once now) and is rescheduled from the new now', async () => {
    createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0/5 * * * ?', active: true });
    const fired = await commerce.time.advance(3 * HOUR + 2 * MINUTE);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.at).toBe(T0 + 5 * MINUTE);
    // the run happens now (12:02), not at the missed time
    expect((fired[0]!.result as CronJobRun).startTime).toBe('2026-01-05T12:02:00.000Z');
    expect(commerce.time.pending()).toEqual([{ label: label('0 0/5 * * * ?'), at: Date.UTC(2026, 0, 5, 12, 5) }]);

    // set() behaves the same
    const jumped = await commerce.time.set(Date.UTC(2026, 1, 1, 0, 1));
    expect(jumped).toHaveLength(1);
    expect(commerce.time.pending()[0]!.at).toBe(Date.UTC(2026, 1, 1, 0, 5));
  });

  it('a seconds expression fires every ten seconds', async () => {
    createTrigger({ cronJob: syncJob.pk, cronExpression: '*/10 * * * * ?', active: true });
    let total = 0;
    for (let i = 0; i < 6; i++) total += (await commerce.time.advance(10_000)).length;
    expect(total).toBe(6);
    expect(commerce.time.pending()[0]!.at).toBe(T0 + 70_000);
  });

  it('a Monday-only Quartz trigger (day 2) skips the rest of the week', async () => {
    createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0 12 ? * 2', active: true });
    const fired: FiredTimer[] = [];
    for (let day = 0; day < 8; day++) fired.push(...(await commerce.time.advance(24 * HOUR)));
    expect(fired.map((f) => iso(f.at))).toEqual(['2026-01-05T12:00:00.000Z', '2026-01-12T12:00:00.000Z']);
  });

  it('updating cronExpression reschedules the trigger', async () => {
    const trigger = createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0/5 * * * ?', active: true });
    commerce.store.update(trigger.pk, { cronExpression: '0 0 12 ? * MON-FRI' });
    expect(commerce.time.pending()).toEqual([{ label: label('0 0 12 ? * MON-FRI'), at: Date.UTC(2026, 0, 5, 12) }]);
    expect(await commerce.time.advance(HOUR)).toEqual([]);
    expect(triggers().list()).toEqual([{ cronJob: SYNC_JOB, cronExpression: '0 0 12 ? * MON-FRI', next: '2026-01-05T12:00:00.000Z' }]);
    // an update that does not change the schedule keeps the timer
    commerce.store.update(trigger.pk, { active: true });
    expect(commerce.time.pending()).toHaveLength(1);
  });

  it('updating the trigger through ImpEx reschedules it on commit', () => {
    impex(commerce, `INSERT_UPDATE Trigger; cronJob(code)[unique = true]; cronExpression; active
; ${SYNC_JOB} ; 0 0 0/2 * * ? ; true
`);
    expect(triggers().list()).toEqual([{ cronJob: SYNC_JOB, cronExpression: '0 0 0/2 * * ?', next: '2026-01-05T10:00:00.000Z' }]);
    impex(commerce, `INSERT_UPDATE Trigger; cronJob(code)[unique = true]; cronExpression
; ${SYNC_JOB} ; 0 15 * * * ?
`);
    expect(commerce.time.pending()).toEqual([{ label: label('0 15 * * * ?'), at: T0 + 15 * MINUTE }]);
  });

  it('active=false unschedules the trigger; active=true schedules it again from now', async () => {
    const trigger = createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0/5 * * * ?', active: true });
    commerce.store.update(trigger.pk, { active: false });
    expect(commerce.time.pending()).toEqual([]);
    expect(triggers().list()).toEqual([]);
    expect(triggers().problems()).toEqual([]);
    expect(await commerce.time.advance(HOUR + 2 * MINUTE)).toEqual([]);
    commerce.store.update(trigger.pk, { active: true });
    expect(commerce.time.pending()).toEqual([{ label: label('0 0/5 * * * ?'), at: T0 + HOUR + 5 * MINUTE }]);
  });

  it('removing the Trigger unschedules it', async () => {
    const trigger = createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0/5 * * * ?', active: true });
    const other = createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0 12 ? * MON-FRI', active: true });
    expect(commerce.time.pending()).toHaveLength(2);
    commerce.store.remove(trigger.pk);
    expect(commerce.time.pending()).toEqual([{ label: label('0 0 12 ? * MON-FRI'), at: Date.UTC(2026, 0, 5, 12) }]);
    commerce.store.remove(other.pk);
    expect(commerce.time.pending()).toEqual([]);
    expect(await commerce.time.advance(24 * HOUR)).toEqual([]);
  });

  it('an invalid expression is listed in problems() and not scheduled; fixing it schedules it and clears the problem', () => {
    const trigger = createTrigger({ cronJob: syncJob.pk, cronExpression: '* * * * *', active: true });
    expect(commerce.time.pending()).toEqual([]);
    expect(triggers().list()).toEqual([]);
    expect(triggers().problems()).toEqual([expect.stringMatching(new RegExp(`^Trigger ${trigger.pk} \\(${SYNC_JOB}, '\\* \\* \\* \\* \\*'\\): invalid cron expression: .*6 or 7 parts`))]);
    commerce.store.update(trigger.pk, { cronExpression: '0 0 12 ? * 8' });
    expect(triggers().problems()).toEqual([expect.stringContaining('invalid day of week 8')]);
    commerce.store.update(trigger.pk, { cronExpression: '0 0/5 * * * ?' });
    expect(triggers().problems()).toEqual([]);
    expect(commerce.time.pending()).toHaveLength(1);
  });

  it('an invalid expression replacing a valid one cancels the timer', async () => {
    const trigger = createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0/5 * * * ?', active: true });
    commerce.store.update(trigger.pk, { cronExpression: 'every five minutes' });
    expect(commerce.time.pending()).toEqual([]);
    expect(triggers().problems()).toHaveLength(1);
    expect(await commerce.time.advance(HOUR)).toEqual([]);
  });

  it('a trigger without cronJob (only a job, or nothing) is listed in problems() and not scheduled', () => {
    const job = commerce.store.find('OutboundSyncJob', { code: 'odataOutboundSyncJob' })[0]!;
    const byJob = createTrigger({ job: job.pk, cronExpression: '0 0/5 * * * ?', active: true });
    const bare = createTrigger({ cronExpression: '0 0/5 * * * ?' });
    const dangling = createTrigger({ cronJob: 999_999, cronExpression: '0 0/5 * * * ?' });
    expect(commerce.time.pending()).toEqual([]);
    expect(triggers().problems()).toEqual([
      `Trigger ${byJob.pk} (no cron job, '0 0/5 * * * ?'): only triggers of a cron job are scheduled`,
      `Trigger ${bare.pk} (no cron job, '0 0/5 * * * ?'): only triggers of a cron job are scheduled`,
      `Trigger ${dangling.pk} (no cron job, '0 0/5 * * * ?'): only triggers of a cron job are scheduled`,
    ]);
  });

  it('a trigger with a missing or non-text cronExpression is a problem, not a crash', () => {
    createTrigger({ cronJob: syncJob.pk });
    createTrigger({ cronJob: syncJob.pk, cronExpression: 5 });
    expect(commerce.time.pending()).toEqual([]);
    expect(triggers().problems()).toHaveLength(2);
    for (const p of triggers().problems()) expect(p).toMatch(/invalid cron expression/);
  });

  it('a trigger whose year is over is neither scheduled nor a problem', () => {
    createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0 12 1 1 ? 2025' });
    expect(commerce.time.pending()).toEqual([]);
    expect(triggers().list()).toEqual([]);
    expect(triggers().problems()).toEqual([]);
  });

  it('a trigger of an inactive cron job fires, the run is skipped, and it stays scheduled', async () => {
    commerce.store.update(syncJob.pk, { active: false });
    createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0/5 * * * ?' });
    const fired = await commerce.time.advance(5 * MINUTE);
    expect(fired).toEqual([{ label: label('0 0/5 * * * ?'), at: T0 + 5 * MINUTE, result: { code: SYNC_JOB, skipped: 'the cron job is not active' } }]);
    expect(commerce.time.pending()).toHaveLength(1);
  });

  it('a trigger firing while its cron job is still running is skipped', async () => {
    commerce.store.create('CronJob', { code: 'longJob' });
    const gate = deferred();
    let runs = 0;
    commerce.outbound.cronJobs.register('CronJob', async () => {
      runs++;
      await gate.promise;
      return { result: 'SUCCESS' };
    });
    const job = cronJob(commerce, 'longJob');
    createTrigger({ cronJob: job.pk, cronExpression: '*/10 * * * * ?' });
    const manual = commerce.outbound.cronJobs.perform('longJob');
    await settle();
    const fired = await commerce.time.advance(10_000);
    expect(fired).toEqual([{ label: label('*/10 * * * * ?', 'longJob'), at: T0 + 10_000, result: { code: 'longJob', skipped: 'the cron job is still running' } }]);
    expect(runs).toBe(1);
    gate.resolve();
    await manual;
    // next time it runs
    const next = await commerce.time.advance(10_000);
    expect((next[0]!.result as CronJobRun).result).toBe('SUCCESS');
    expect(runs).toBe(2);
  });

  it('a trigger whose cron job was removed fires once with no run, then reports the problem and stops', async () => {
    const job = commerce.store.create('CronJob', { code: 'temporary' });
    commerce.outbound.cronJobs.register('CronJob', () => Promise.resolve({ result: 'SUCCESS' }));
    const trigger = createTrigger({ cronJob: job.pk, cronExpression: '0 0/5 * * * ?' });
    commerce.store.remove(job.pk);
    const fired = await commerce.time.advance(5 * MINUTE);
    expect(fired).toEqual([{ label: label('0 0/5 * * * ?', 'temporary'), at: T0 + 5 * MINUTE, result: undefined }]);
    expect(commerce.time.pending()).toEqual([]);
    expect(triggers().problems()).toEqual([`Trigger ${trigger.pk} (no cron job, '0 0/5 * * * ?'): only triggers of a cron job are scheduled`]);
  });

  it('list() shows every scheduled trigger with its next fire time, earliest first', () => {
    createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0 12 ? * MON-FRI' });
    createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0/5 * * * ?' });
    createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0 0 1 * ?' });
    createTrigger({ cronJob: syncJob.pk, cronExpression: 'bad' });
    expect(triggers().list()).toEqual([
      { cronJob: SYNC_JOB, cronExpression: '0 0/5 * * * ?', next: '2026-01-05T09:05:00.000Z' },
      { cronJob: SYNC_JOB, cronExpression: '0 0 12 ? * MON-FRI', next: '2026-01-05T12:00:00.000Z' },
      { cronJob: SYNC_JOB, cronExpression: '0 0 0 1 * ?', next: '2026-02-01T00:00:00.000Z' },
    ]);
    expect(commerce.time.pending().map((p) => p.at)).toEqual([T0 + 5 * MINUTE, Date.UTC(2026, 0, 5, 12), Date.UTC(2026, 1, 1)]);
  });

  it('reset() schedules every trigger anew from now (e.g. after the timers were cleared)', async () => {
    createTrigger({ cronJob: syncJob.pk, cronExpression: '0 0/5 * * * ?' });
    commerce.time.clearTimers();
    expect(commerce.time.pending()).toEqual([]);
    await commerce.time.advance(HOUR + MINUTE);
    triggers().reset();
    expect(commerce.time.pending()).toEqual([{ label: label('0 0/5 * * * ?'), at: T0 + HOUR + 5 * MINUTE }]);
    // reset twice leaves one timer per trigger
    triggers().reset();
    expect(commerce.time.pending()).toHaveLength(1);
    expect(await commerce.time.advance(4 * MINUTE)).toHaveLength(1);
  });

  it('sandbox.cron.timezone sets the time zone triggers run in', () => {
    const berlin = load({ projectDir: DEMO, clock: () => T0, properties: { 'sandbox.cron.timezone': 'Europe/Berlin' } });
    berlin.store.create('Trigger', { cronJob: cronJob(berlin, SYNC_JOB).pk, cronExpression: '0 0 12 ? * MON-FRI' });
    expect(berlin.outbound.triggers.list()).toEqual([{ cronJob: SYNC_JOB, cronExpression: '0 0 12 ? * MON-FRI', next: '2026-01-05T11:00:00.000Z' }]);
  });

  it('a sandbox reset forgets runtime triggers and reschedules the loaded ones', async () => {
    impex(commerce, `INSERT_UPDATE Trigger; cronJob(code)[unique = true]; cronExpression
; ${SYNC_JOB} ; 0 0/5 * * * ?
`);
    expect(commerce.time.pending()).toHaveLength(1);
    const res = await commerce.handle({ method: 'POST', path: '/__sandbox/reset', query: '', headers: {}, origin: 'http://localhost' });
    expect(res.status).toBe(204);
    expect(commerce.time.pending()).toEqual([]);
    expect(triggers().list()).toEqual([]);
  });
});

describe('/__sandbox/clock over HTTP', () => {
  let commerce: Commerce;
  let server: RunningServer;
  beforeAll(async () => {
    ({ commerce, server } = await serve({ projectDir: DEMO, clock: () => T0 }));
    commerce.store.create('Trigger', { cronJob: cronJob(commerce, SYNC_JOB).pk, cronExpression: '0 0/5 * * * ?' });
  });
  afterAll(() => server.close());

  const clockUrl = () => `${server.url}/__sandbox/clock`;
  const post = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) => fetch(clockUrl(), { method: 'POST', headers, body });
  const getClock = async () => {
    const res = await fetch(clockUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    return (await res.json()) as { now: string; epochMillis: number; timers: { label: string; at: string }[] };
  };
  const TIMER = "trigger outboundSyncCronJob '0 0/5 * * * ?'";

  interface Moved {
    now: string;
    epochMillis: number;
    fired: { label: string; at: string; result?: CronJobRun; error?: string }[];
  }

  // The tests of this block share one server and run in order: the clock moves on from test to test.
  it('GET shows now, epochMillis and the pending timers', async () => {
    expect(await getClock()).toEqual({ now: '2026-01-05T09:00:00.000Z', epochMillis: T0, timers: [{ label: TIMER, at: '2026-01-05T09:05:00.000Z' }] });
  });

  it('POST {"advance":"5m"} moves the clock and answers with the trigger that fired and its run', async () => {
    const res = await post('{"advance":"5m"}');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as Moved;
    expect(body).toEqual({
      now: '2026-01-05T09:05:00.000Z',
      epochMillis: T0 + 5 * MINUTE,
      fired: [
        {
          label: TIMER,
          at: '2026-01-05T09:05:00.000Z',
          result: {
            code: SYNC_JOB,
            type: 'OutboundSyncCronJob',
            status: 'FINISHED',
            result: 'SUCCESS',
            startTime: '2026-01-05T09:05:00.000Z',
            endTime: '2026-01-05T09:05:00.000Z',
            details: { sent: 0, failed: 0, items: [], warnings: [] },
          },
        },
      ],
    });
    expect(cronJob(commerce, SYNC_JOB).values).toMatchObject({ status: 'FINISHED', result: 'SUCCESS', startTime: T0 + 5 * MINUTE });
  });

  it('POST {"advance":300000} (milliseconds) fires the next one', async () => {
    const body = (await (await post('{"advance":300000}')).json()) as Moved;
    expect(body.now).toBe('2026-01-05T09:10:00.000Z');
    expect(body.fired.map((f) => f.at)).toEqual(['2026-01-05T09:10:00.000Z']);
  });

  it('POST {"advance":"PT4M"} before the next time fires nothing', async () => {
    const body = (await (await post('{"advance":"PT4M"}')).json()) as Moved;
    expect(body).toEqual({ now: '2026-01-05T09:14:00.000Z', epochMillis: T0 + 14 * MINUTE, fired: [] });
  });

  it('POST {"set":"2026-01-05T10:00:00Z"} jumps ahead: the trigger fires once and is rescheduled from then', async () => {
    const res = await post('{"set":"2026-01-05T10:00:00Z"}');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Moved;
    expect(body.now).toBe('2026-01-05T10:00:00.000Z');
    expect(body.epochMillis).toBe(Date.UTC(2026, 0, 5, 10));
    expect(body.fired).toHaveLength(1);
    expect(body.fired[0]).toMatchObject({ label: TIMER, at: '2026-01-05T09:15:00.000Z', result: { startTime: '2026-01-05T10:00:00.000Z', result: 'SUCCESS' } });
    expect(await getClock()).toEqual({ now: '2026-01-05T10:00:00.000Z', epochMillis: Date.UTC(2026, 0, 5, 10), timers: [{ label: TIMER, at: '2026-01-05T10:05:00.000Z' }] });
  });

  it('POST {"set":<epoch ms>} also sets backwards; nothing fires', async () => {
    const body = (await (await post(JSON.stringify({ set: Date.UTC(2026, 0, 5, 9, 30) }))).json()) as Moved;
    expect(body).toEqual({ now: '2026-01-05T09:30:00.000Z', epochMillis: Date.UTC(2026, 0, 5, 9, 30), fired: [] });
    expect((await getClock()).timers).toEqual([{ label: TIMER, at: '2026-01-05T10:05:00.000Z' }]);
  });

  it.each([
    ['not JSON', 'advance=5m', /the body must be JSON/],
    ['an empty body', '', /the body must be JSON/],
    ['truncated JSON', '{"advance":', /the body must be JSON/],
    ['both keys', '{"advance":"5m","set":"2026-01-05T10:00:00Z"}', /exactly one of "advance" or "set"/],
    ['neither key', '{}', /exactly one of "advance" or "set"/],
    ['another key', '{"forward":"5m"}', /exactly one of "advance" or "set"/],
    ['null', 'null', /exactly one of "advance" or "set"/],
    ['an array', '["5m"]', /exactly one of "advance" or "set"/],
    ['a bare string', '"5m"', /exactly one of "advance" or "set"/],
    ['a bad duration', '{"advance":"5x"}', /invalid duration: "5x"/],
    ['a spaced duration', '{"advance":"1h 30m"}', /invalid duration/],
    ['a negative duration', '{"advance":-1000}', /invalid duration: -1000/],
    ['a negative text duration', '{"advance":"-5m"}', /invalid duration/],
    ['a null duration', '{"advance":null}', /invalid duration: null/],
    ['a boolean duration', '{"advance":true}', /invalid duration: true/],
    ['an empty ISO duration', '{"advance":"PT"}', /invalid duration/],
    ['a bad time', '{"set":"next tuesday"}', /invalid time: "next tuesday"/],
    ['an empty time', '{"set":""}', /invalid time/],
    ['a boolean time', '{"set":true}', /invalid time: true/],
    ['a null time', '{"set":null}', /invalid time: null/],
    ['an object time', '{"set":{"at":1}}', /invalid time/],
  ])('POST with %s → 400 {error} and the clock does not move', async (_name, body, message) => {
    const before = await getClock();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json');
    const answer = (await res.json()) as { error: string };
    expect(Object.keys(answer)).toEqual(['error']);
    expect(answer.error).toMatch(message);
    expect(await getClock()).toEqual(before);
  });

  it('POST with a time beyond what a Date represents is refused and leaves the clock usable', async () => {
    const before = await getClock();
    for (const body of ['{"advance":1e300}', '{"set":1e300}', '{"set":8640000000000001}']) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/time/);
    }
    expect(await getClock()).toEqual(before);
  });

  it.each(['PUT', 'DELETE', 'PATCH'])('%s → 405 with Allow: GET, POST', async (method) => {
    const res = await fetch(clockUrl(), { method, headers: { 'Content-Type': 'application/json' }, body: '{"advance":"5m"}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ error: 'method not allowed' });
  });

  it('a sub-path of /clock is not found', async () => {
    const res = await fetch(`${clockUrl()}/advance`, { method: 'POST', body: '{"advance":"5m"}' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found' });
  });
});
