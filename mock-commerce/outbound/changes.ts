/**
 * Delta detection for outbound sync (spec §12.2 step 1; help B-160): a change log fed by committed store
 * events, with per-stream consumption markers, the simulated `ItemVersionMarker`.
 *
 * - Every created/updated item's latest store version is remembered; a removed item becomes a
 *   `deleted` change carrying the item as it was (outbound sync consumes it without sending unless the
 *   channel synchronises deletes).
 * - A stream sees an item as changed while the item's latest version is above the stream's consumed
 *   marker for that item; consuming advances the marker to the version read (a change made meanwhile
 *   stays visible).
 * - A stream's type matches the type and its subtypes.
 * - Only changes after `attach()` are seen: items that existed before have no change (Commerce would
 *   report items without a version marker as `NEW` on a stream's first run).
 */
import type { ChangeEvent, Item, ItemStore, Pk } from '../store/store.js';

export interface ItemChange {
  pk: Pk;
  typeCode: string;
  kind: 'created' | 'updated' | 'deleted';
  /** The store version of the latest change of the item. */
  version: number;
  /** `deleted`: the item as it was. */
  removedItem?: Item;
}

export class ChangeLog {
  private readonly latest = new Map<Pk, ItemChange>();
  /** streamId → item pk → consumed version. */
  private readonly consumed = new Map<string, Map<Pk, number>>();
  private detach: (() => void) | undefined;

  constructor(private readonly store: ItemStore) {}

  /** Subscribes to the store's committed changes (idempotent). */
  attach(): void {
    this.detach ??= this.store.onChange((e) => this.record(e));
  }

  /** Unsubscribes; the recorded changes are kept. */
  close(): void {
    this.detach?.();
    this.detach = undefined;
  }

  /** Forgets every change and marker (after a sandbox reset restored the store). */
  clear(): void {
    this.latest.clear();
    this.consumed.clear();
  }

  record(event: ChangeEvent): void {
    if (event.kind === 'removed') {
      this.latest.delete(event.pk); // re-inserted below: change order is insertion order
      if (event.removedItem) this.latest.set(event.pk, { pk: event.pk, typeCode: event.typeCode, kind: 'deleted', version: event.version, removedItem: event.removedItem });
      return;
    }
    const previous = this.latest.get(event.pk);
    // an update of an item not yet consumed as created stays a creation
    const kind = previous?.kind === 'created' && !this.consumedAnywhere(event.pk) ? 'created' : event.kind;
    this.latest.set(event.pk, { pk: event.pk, typeCode: event.typeCode, kind, version: event.version });
  }

  /** The unconsumed changes of `streamId` for items of `typeCode` or a subtype, in change order. */
  changes(streamId: string, typeCode: string): ItemChange[] {
    const types = new Set(this.store.typeSystem.typeAndSubtypes(typeCode));
    const markers = this.consumed.get(streamId);
    const out: ItemChange[] = [];
    for (const change of this.latest.values()) {
      if (!types.has(change.typeCode)) continue;
      if ((markers?.get(change.pk) ?? 0) >= change.version) continue;
      out.push(change);
    }
    return out.sort((a, b) => a.version - b.version);
  }

  /** Marks the item's changes up to `version` as consumed by `streamId`. */
  consume(streamId: string, pk: Pk, version: number): void {
    let markers = this.consumed.get(streamId);
    if (!markers) this.consumed.set(streamId, (markers = new Map()));
    markers.set(pk, Math.max(markers.get(pk) ?? 0, version));
  }

  private consumedAnywhere(pk: Pk): boolean {
    for (const markers of this.consumed.values()) if (markers.has(pk)) return true;
    return false;
  }
}
