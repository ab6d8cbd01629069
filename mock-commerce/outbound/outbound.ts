/**
 * Commerce → remote systems, assembled: the sender (destinations, auth, CSRF, monitoring), outbound
 * sync (change log, cron job performable, retries), channel auto-generation, webhooks, and the cron
 * jobs and triggers that run on the sandbox clock.
 *
 * The `Commerce` owns one; it starts following store changes when the project is loaded (`attach`),
 * so the loaded data neither counts as changed nor fires webhooks, and goes back to that baseline on a
 * sandbox reset.
 */
import type { SandboxClock } from '../clock/sandbox-clock.js';
import type { CommerceConfig } from '../config/profile.js';
import { type CronJobOutcome, CronJobService } from '../cronjobs/cron-jobs.js';
import { CronTriggers } from '../cronjobs/triggers.js';
import type { IntegrationObjectRegistry } from '../integration-objects/model.js';
import type { ItemStore } from '../store/store.js';
import { ChannelAutoGenerator } from './auto-generate.js';
import { OutboundSender, type OutboundSenderOptions } from './sender.js';
import { OutboundSync } from './sync.js';
import { type WebhookFilter, WebhookDispatcher } from './webhooks.js';

export interface OutboundHost {
  store: ItemStore;
  config: CommerceConfig;
  integrationObjects: IntegrationObjectRegistry;
  time: SandboxClock;
  /** Resolves webhook filter names (`model://<name>`). */
  webhookFilter: (name: string) => WebhookFilter | undefined;
}

/** Sender settings a test or embedding may change (timeout, fetch, success rule). */
export type OutboundOptions = Omit<OutboundSenderOptions, 'now'>;

export class Outbound {
  readonly sender: OutboundSender;
  readonly sync: OutboundSync;
  readonly webhooks: WebhookDispatcher;
  readonly cronJobs: CronJobService;
  readonly triggers: CronTriggers;
  private readonly autoGenerator: ChannelAutoGenerator;
  private stopRealTime: (() => void) | undefined;

  constructor(
    private readonly host: OutboundHost,
    options: OutboundOptions = {},
  ) {
    const { store, config, integrationObjects, time } = host;
    const timeout = config.int('sandbox.outbound.timeout.ms', 0);
    this.sender = new OutboundSender(store, config, { ...(timeout > 0 ? { timeoutMs: timeout } : {}), ...options, now: () => time.now() });
    this.sync = new OutboundSync({ store, config, integrationObjects, sender: this.sender });
    this.webhooks = new WebhookDispatcher({ store, config, integrationObjects, clock: time, sender: this.sender, filter: host.webhookFilter });
    this.cronJobs = new CronJobService(store, () => time.now());
    this.cronJobs.register('OutboundSyncCronJob', this.sync.perform);
    this.triggers = new CronTriggers(store, time, this.cronJobs, config.get('sandbox.cron.timezone') ?? 'UTC');
    this.autoGenerator = new ChannelAutoGenerator(store, integrationObjects);
  }

  /** Starts following the store: from now on changes are synchronised and webhooks fire. */
  attach(): void {
    this.autoGenerator.attach();
    this.sync.attach();
    this.webhooks.attach();
    this.triggers.attach();
  }

  /** Runs a cron job now; undefined when there is no such cron job. */
  performCronJob(code: string): Promise<CronJobOutcome | undefined> {
    return this.cronJobs.perform(code);
  }

  /** After a sandbox reset (store restored to the loaded state): back to the baseline. */
  reset(): void {
    this.sync.changes.clear();
    this.webhooks.clear();
    this.sender.clearCaches();
    this.host.time.clearTimers();
    this.triggers.reset();
  }

  /**
   * Lets triggers and webhook retries fire as real time passes (the CLI does this; tests move the
   * clock instead). Returns the function that stops it.
   */
  startRealTime(intervalMs = 1000): () => void {
    this.stopRealTime?.();
    const stop = this.host.time.startRealTime(intervalMs);
    this.stopRealTime = stop;
    return () => {
      stop();
      if (this.stopRealTime === stop) this.stopRealTime = undefined;
    };
  }

  /** Stops listening and polling (the Commerce is being discarded). */
  close(): void {
    this.stopRealTime?.();
    this.triggers.close();
    this.webhooks.close();
    this.sync.changes.close();
  }
}
