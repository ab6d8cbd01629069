/**
 * Which IO item a changed item is, and which root item it belongs to — shared by outbound sync
 * (`RootItemPKPopulator`, help B-163) and webhooks (B-170).
 *
 * A root item is its own root. A non-root item reaches its root through one single-valued IO
 * navigation whose target is the root IO item (e.g. `OrderEntry.order`); deeper paths are not followed.
 * An IO without a root item treats every item as its own root.
 */
import type { IntegrationObjectModel, IoItem } from '../integration-objects/model.js';
import { navigationTarget } from '../odata/entity-values.js';
import type { Item, ItemStore } from '../store/store.js';

export interface RootOf {
  io: IoItem;
  item: Item;
  /** The changed item is the root itself (not a child routed to it). */
  self: boolean;
}

/** The IO item for the stored item's type: exact type first, else the nearest supertype. */
export function ioItemOf(store: ItemStore, io: IntegrationObjectModel, item: Item): IoItem | undefined {
  const ts = store.typeSystem;
  return io.items.find((i) => i.typeCode === item.typeCode) ?? io.items.find((i) => ts.isSubtypeOf(item.typeCode, i.typeCode));
}

/** The root the changed item is sent as; undefined when it has no way to the root (ignored). */
export function rootOf(store: ItemStore, io: IntegrationObjectModel, item: Item): RootOf | undefined {
  const ioItem = ioItemOf(store, io, item);
  if (!ioItem) return undefined;
  const rootIo = io.items.find((i) => i.root);
  if (!rootIo || ioItem.root) return { io: ioItem, item, self: true };
  for (const attribute of ioItem.attributes) {
    if (attribute.kind !== 'navigation' || attribute.collection || attribute.returnItem !== rootIo.code) continue;
    const target = navigationTarget(store, item, attribute);
    if (target && store.get(target.pk) === target) return { io: rootIo, item: target, self: false };
  }
  return undefined;
}
