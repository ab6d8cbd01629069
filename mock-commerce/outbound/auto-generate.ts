/**
 * `OutboundChannelConfiguration.autoGenerate` (spec §12.1; help V-OSC-01, B-168): saving a channel with
 * `autoGenerate=true` creates what outbound sync needs around it, unless it already exists:
 *
 * - container `{code}Container` (`OutboundSyncStreamConfigurationContainer`);
 * - streams `{code}_{TypeCode}_Stream` (underscores removed from the type code), empty where clause:
 *   with a root item, one for the root's type and one for each IO item type that navigates to the root
 *   (the changes outbound sync can route, see `roots.ts`); without a root, one per item type;
 * - job `{code}Job` (`OutboundSyncJob`, springId `outboundSyncCronJobPerformable`);
 * - cron job `{code}CronJob` (`OutboundSyncCronJob`). No trigger, as documented.
 *
 * Commerce does this in an interceptor while the channel is saved; the sandbox does it right after the
 * save is committed, and once for channels already loaded when it attaches.
 */
import type { IntegrationObjectRegistry } from '../integration-objects/model.js';
import type { Item, ItemStore } from '../store/store.js';

export class ChannelAutoGenerator {
  private detach: (() => void) | undefined;

  constructor(
    private readonly store: ItemStore,
    private readonly integrationObjects: IntegrationObjectRegistry,
  ) {}

  /** Generates for the channels present and for every channel saved later (idempotent). */
  attach(): void {
    for (const channel of [...this.store.all('OutboundChannelConfiguration')]) this.generate(channel);
    this.detach ??= this.store.onChange((e) => {
      if (e.kind === 'removed' || !this.store.typeSystem.isSubtypeOf(e.typeCode, 'OutboundChannelConfiguration')) return;
      const channel = this.store.get(e.pk);
      if (channel) this.generate(channel);
    });
  }

  close(): void {
    this.detach?.();
    this.detach = undefined;
  }

  /** Creates the missing container, streams, job and cron job of an autoGenerate channel. */
  generate(channel: Item): void {
    const code = channel.values.code;
    if (channel.values.autoGenerate !== true || typeof code !== 'string') return;
    const ioCode = this.store.referenced(channel.values.integrationObject)?.values.code;
    const io = typeof ioCode === 'string' ? this.integrationObjects.get(ioCode) : undefined;
    if (!io) return;
    const { store } = this;
    store.transaction(() => {
      const containerId = `${code}Container`;
      const container = store.find('OutboundSyncStreamConfigurationContainer', { id: containerId })[0] ?? store.create('OutboundSyncStreamConfigurationContainer', { id: containerId });
      const root = io.items.find((i) => i.root);
      const types = root
        ? io.items.filter((i) => i.root || i.attributes.some((a) => a.kind === 'navigation' && !a.collection && a.returnItem === root.code)).map((i) => i.typeCode)
        : io.items.map((i) => i.typeCode);
      for (const typeCode of [...new Set(types)]) {
        const streamId = `${code}_${typeCode.replaceAll('_', '')}_Stream`;
        if (store.find('OutboundSyncStreamConfiguration', { streamId }).length > 0) continue;
        store.create('OutboundSyncStreamConfiguration', {
          streamId,
          container: container.pk,
          itemTypeForStream: typeCode,
          outboundChannelConfiguration: channel.pk,
          active: true,
        });
      }
      const jobCode = `${code}Job`;
      const job =
        store.find('OutboundSyncJob', { code: jobCode })[0] ??
        store.create('OutboundSyncJob', { code: jobCode, springId: 'outboundSyncCronJobPerformable', streamConfigurationContainer: container.pk });
      const cronJobCode = `${code}CronJob`;
      if (store.find('CronJob', { code: cronJobCode }).length === 0) store.create('OutboundSyncCronJob', { code: cronJobCode, job: job.pk });
    });
  }
}
