/**
 * Store transactions: `transaction` (an undo step per write) and `bulk` (a snapshot restored on failure)
 * apply all or nothing and deliver change events only on success.
 */
import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../mock-commerce/store/store.js';
import type { Commerce } from '../../mock-commerce/commerce.js';
import { DEMO, load } from '../helpers/commerce.js';

/** Every item with its values, by pk (a rolled-back removal may change creation order, not content). */
function contents(commerce: Commerce): string {
  const items = [];
  for (const type of commerce.typeSystem.composedTypeCodes()) for (const item of commerce.store.all(type, { subtypes: false })) items.push(item);
  return JSON.stringify(items.sort((a, b) => a.pk - b.pk));
}

describe.each(['transaction', 'bulk'] as const)('store.%s', (kind) => {
  it('applies every write and then delivers the events in order', () => {
    const commerce = load({ projectDir: DEMO });
    const { store } = commerce;
    const events: ChangeEvent[] = [];
    store.onChange((e) => events.push(e));
    const before = store.size;
    const generation = store.generation;
    const pk = store[kind](() => {
      const unit = store.create('Unit', { code: `u-${kind}`, unitType: 'pieces' });
      store.update(unit.pk, { name: { en: 'unit' } });
      expect(events).toEqual([]); // nothing is delivered before the commit
      return unit.pk;
    });
    expect(store.size).toBe(before + 1);
    expect(store.get(pk)?.values).toMatchObject({ code: `u-${kind}`, name: { en: 'unit' } });
    expect(events.map((e) => [e.kind, e.pk])).toEqual([
      ['created', pk],
      ['updated', pk],
    ]);
    expect(events[1]!.version).toBeGreaterThan(events[0]!.version);
    expect(store.generation).toBeGreaterThan(generation);
  });

  it('leaves the store exactly as it was when the work throws, and delivers nothing', () => {
    const commerce = load({ projectDir: DEMO });
    const { store } = commerce;
    const snapshot = contents(commerce);
    const events: ChangeEvent[] = [];
    store.onChange((e) => events.push(e));
    const existing = store.find('Unit', { code: 'pieces' })[0]!;
    expect(() =>
      store[kind](() => {
        store.create('Unit', { code: 'doomed', unitType: 'pieces' });
        store.update(existing.pk, { name: { en: 'changed' } });
        store.remove(existing.pk);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(contents(commerce)).toBe(snapshot);
    expect(store.find('Unit', { code: 'doomed' })).toEqual([]);
    expect(store.find('Unit', { code: 'pieces' })).toHaveLength(1);
    expect(events).toEqual([]);
  });
});
