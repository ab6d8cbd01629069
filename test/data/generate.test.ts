import { describe, expect, it } from 'vitest';
import { DEFAULT_NOW, GENERATED_CATALOG_ID, generateData, generatedProductCode, plannedCounts } from '../../mock-commerce/data/generate.js';
import { itemByCode } from '../../mock-commerce/integration-objects/model.js';
import { entityKey } from '../../mock-commerce/odata/entity-values.js';
import type { Item, ItemStore, Pk, StoredValue } from '../../mock-commerce/store/store.js';
import type { ValueShape } from '../../mock-commerce/types/type-system.js';
import { DEMO, load } from '../helpers/commerce.js';

/** A Commerce with essential data only (languages, groups, admin): no catalog, no currencies. */
function bareStore(): ItemStore {
  return load({}).store;
}

function demoStore(): ItemStore {
  return load({ projectDir: DEMO }).store;
}

const GENERATED_TYPES = ['Language', 'Country', 'Currency', 'Unit', 'Catalog', 'CatalogVersion', 'Category', 'Media', 'Product', 'Customer', 'Address', 'Order', 'OrderEntry'];

function countsOf(store: ItemStore): Record<string, number> {
  return Object.fromEntries(GENERATED_TYPES.map((t) => [t, store.count(t, { subtypes: false })]));
}

function one(store: ItemStore, typeCode: string, criteria: Record<string, StoredValue>): Item {
  const found = store.find(typeCode, criteria);
  expect(found, `${typeCode} ${JSON.stringify(criteria)}`).toHaveLength(1);
  return found[0]!;
}

function catalogVersion(store: ItemStore, version: string): Item {
  const catalog = one(store, 'Catalog', { id: GENERATED_CATALOG_ID });
  return one(store, 'CatalogVersion', { catalog: catalog.pk, version });
}

function pkList(v: StoredValue | undefined): Pk[] {
  return Array.isArray(v) ? (v as Pk[]) : [];
}

function itemPks(store: ItemStore, typeCode: string): Pk[] {
  return [...store.all(typeCode)].map((i) => i.pk);
}

/** Item-reference element shape of an attribute (single or collection), if it is one. */
function referenceTarget(shape: ValueShape): { typeCode: string; many: boolean } | undefined {
  if (shape.kind === 'item') return { typeCode: shape.typeCode, many: false };
  if (shape.kind === 'collection' && shape.element.kind === 'item') return { typeCode: shape.element.typeCode, many: true };
  return undefined;
}

describe('generateData: determinism', () => {
  it('same seed and scale give byte-identical stores', () => {
    const a = bareStore();
    const b = bareStore();
    generateData(a, { seed: 7, scale: 2 });
    generateData(b, { seed: 7, scale: 2 });
    expect(JSON.stringify(b.snapshot())).toBe(JSON.stringify(a.snapshot()));
  });

  it('is deterministic on top of the demo project too', () => {
    const a = demoStore();
    const b = demoStore();
    generateData(a, { seed: 123 });
    generateData(b, { seed: 123 });
    expect(JSON.stringify(b.snapshot())).toBe(JSON.stringify(a.snapshot()));
  });

  it('a different seed gives different data, with the same planned counts', () => {
    const a = bareStore();
    const b = bareStore();
    const ra = generateData(a, { seed: 1 });
    const rb = generateData(b, { seed: 2 });
    // Addresses per customer and entries per order are random; everything else is planned.
    const planned = (created: Record<string, number>) => ({ ...created, Address: 0, OrderEntry: 0 });
    expect(planned(rb.created)).toEqual(planned(ra.created));
    expect(JSON.stringify(b.snapshot())).not.toBe(JSON.stringify(a.snapshot()));
    const name = (s: ItemStore) => one(s, 'Product', { code: 'GP-000001', catalogVersion: catalogVersion(s, 'Online').pk }).values.name;
    expect(name(b)).not.toEqual(name(a));
  });

  it('seeds beyond 32 bits and negative seeds are distinct seeds', () => {
    const stores = [0, 2 ** 32, -1, 2 ** 32 - 1].map((seed) => {
      const s = bareStore();
      generateData(s, { seed, scale: 0.1 });
      return JSON.stringify(s.snapshot());
    });
    expect(new Set(stores).size).toBe(stores.length);
  });

  it('dates are relative to `now` (default 2024-01-01Z), within the year before it', () => {
    const a = bareStore();
    const b = bareStore();
    generateData(a, { seed: 5 });
    generateData(b, { seed: 5, now: DEFAULT_NOW + 86_400_000 });
    const dates = (s: ItemStore) => [...s.all('Order')].map((o) => o.values.date as number);
    for (const d of dates(a)) {
      expect(d).toBeLessThan(DEFAULT_NOW);
      expect(d).toBeGreaterThanOrEqual(DEFAULT_NOW - 365 * 86_400_000);
      expect(d % 1000).toBe(0);
    }
    expect(dates(b)).toEqual(dates(a).map((d) => d + 86_400_000));
  });
});

describe('generateData: counts', () => {
  it.each([0.1, 1, 3])('scale %s creates the planned number of items and reports them', (scale) => {
    const store = bareStore();
    const before = countsOf(store);
    const report = generateData(store, { seed: 11, scale });
    const after = countsOf(store);
    const delta = Object.fromEntries(GENERATED_TYPES.map((t) => [t, after[t]! - before[t]!]).filter(([, n]) => n !== 0));
    expect(report.created).toEqual(delta);
    expect(report.millis).toBeGreaterThan(0);

    const plan = plannedCounts(scale);
    expect(plan).toMatchObject({
      onlineProducts: Math.max(1, Math.round(100 * scale)),
      stagedProducts: Math.round(10 * scale),
      customers: Math.max(1, Math.round(20 * scale)),
      orders: Math.max(1, Math.round(20 * scale)),
    });
    const online = catalogVersion(store, 'Online');
    const staged = catalogVersion(store, 'Staged');
    expect(store.find('Product', { catalogVersion: online.pk })).toHaveLength(plan.onlineProducts);
    expect(store.find('Product', { catalogVersion: staged.pk })).toHaveLength(plan.stagedProducts);
    expect(store.find('Category', { catalogVersion: online.pk })).toHaveLength(plan.categoriesPerVersion);
    expect(store.find('Category', { catalogVersion: staged.pk })).toHaveLength(plan.categoriesPerVersion);
    expect(delta.Media).toBe(plan.onlineProducts + plan.stagedProducts);
    expect(delta.Customer).toBe(plan.customers);
    expect(delta.Address).toBeGreaterThanOrEqual(plan.customers);
    expect(delta.Address).toBeLessThanOrEqual(2 * plan.customers);
    expect(delta.Order).toBe(plan.orders);
    expect(delta.OrderEntry).toBeGreaterThanOrEqual(plan.orders);
    expect(delta.OrderEntry).toBeLessThanOrEqual(4 * plan.orders);
    // Reference data a bare Commerce lacks.
    expect(delta).toMatchObject({ Catalog: 1, CatalogVersion: 2, Currency: 2, Unit: 2, Country: 2 });
    expect(delta.Language).toBeUndefined(); // essential data has en and de
  });

  it('product codes are zero-padded to at least six digits, wider for large counts', () => {
    expect(generatedProductCode(1, 100)).toBe('GP-000001');
    expect(generatedProductCode(42, 100_000)).toBe('GP-000042');
    expect(generatedProductCode(42, 1_000_000)).toBe('GP-0000042');
  });

  it('rejects a non-positive scale and a non-integer seed', () => {
    expect(() => generateData(bareStore(), { seed: 1, scale: 0 })).toThrow(/scale/);
    expect(() => generateData(bareStore(), { seed: 1, scale: Number.NaN })).toThrow(/scale/);
    expect(() => generateData(bareStore(), { seed: 1.5 })).toThrow(/seed/);
  });
});

describe('generateData: consistency', () => {
  const store = demoStore();
  const demoPks = new Set([...store.all('Item')].map((i) => i.pk));
  generateData(store, { seed: 42, scale: 2 });
  const ts = store.typeSystem;
  const generated = [...store.all('Item')].filter((i) => !demoPks.has(i.pk));

  it('every item reference points to an existing item of the right type', () => {
    let checked = 0;
    for (const item of store.all('Item')) {
      for (const [q, v] of Object.entries(item.values)) {
        const attribute = ts.attribute(item.typeCode, q);
        expect(attribute, `${item.typeCode}.${q}`).toBeDefined();
        const target = referenceTarget(attribute!.shape);
        if (!target || v === null) continue;
        const pks = target.many ? pkList(v) : [v as Pk];
        if (target.many) expect(Array.isArray(v), `${item.typeCode}.${q}`).toBe(true);
        for (const pk of pks) {
          const referenced = store.get(pk);
          expect(referenced, `${item.typeCode}(${item.pk}).${q} → ${pk}`).toBeDefined();
          expect(ts.isSubtypeOf(referenced!.typeCode, target.typeCode), `${item.typeCode}.${q} → ${referenced!.typeCode}`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('every mandatory attribute of a generated item has a value', () => {
    for (const item of generated) {
      for (const a of ts.attributes(item.typeCode)) {
        const primitive = /^(boolean|int|long|double|float|short|byte|char)$/.test(a.typeCode);
        if (a.optional || a.persistence !== 'property' || a.private || primitive || !(a.writable || a.initial)) continue;
        const v = item.values[a.qualifier];
        expect(v === undefined || v === null, `${item.typeCode}(${item.pk}).${a.qualifier}`).toBe(false);
      }
    }
  });

  it('unique keys are unique per type family; EANs and customer uids too', () => {
    for (const typeCode of GENERATED_TYPES) {
      const uniques = ts.attributes(typeCode).filter((a) => a.unique).map((a) => a.qualifier);
      if (typeCode === 'Address') {
        expect(uniques).toEqual([]); // no key: any number of equal addresses may exist
        continue;
      }
      expect(uniques.length, typeCode).toBeGreaterThan(0);
      const keys = [...store.all(typeCode)].map((i) => JSON.stringify(uniques.map((q) => i.values[q] ?? null)));
      expect(new Set(keys).size, typeCode).toBe(keys.length);
    }
    const online = catalogVersion(store, 'Online');
    const eans = store.find('Product', { catalogVersion: online.pk }).flatMap((p) => (p.values.ean === undefined ? [] : [p.values.ean]));
    expect(eans).toHaveLength(200);
    expect(new Set(eans).size).toBe(eans.length);
    const uids = [...store.all('Principal')].map((p) => p.values.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('EANs are valid EAN-13', () => {
    for (const p of store.all('Product')) {
      const ean = p.values.ean;
      if (ean === undefined) continue; // the demo's products have none
      expect(ean).toMatch(/^\d{13}$/);
      const digits = [...(ean as string)].map(Number);
      const sum = digits.slice(0, 12).reduce((s, d, i) => s + d * (i % 2 === 0 ? 1 : 3), 0);
      expect((10 - (sum % 10)) % 10).toBe(digits[12]);
    }
  });

  it('products: localized en and de, unit, category, picture in their own catalog version', () => {
    const products = generated.filter((i) => i.typeCode === 'Product');
    expect(products.length).toBe(220);
    for (const p of products) {
      const v = p.values;
      for (const q of ['name', 'description']) {
        const loc = v[q] as Record<string, string>;
        expect(Object.keys(loc).sort(), q).toEqual(['de', 'en']);
        expect(loc.en!.length).toBeGreaterThan(3);
        expect(loc.de!.length).toBeGreaterThan(3);
      }
      expect((v.name as Record<string, string>).en).not.toBe((v.name as Record<string, string>).de);
      expect(['pieces', 'kg']).toContain(store.get(v.unit as Pk)!.values.code);
      const picture = store.get(v.picture as Pk)!;
      expect(picture.typeCode).toBe('Media');
      expect(picture.values.catalogVersion).toBe(v.catalogVersion);
      expect(picture.values.code).toBe(`${v.code as string}-picture`);
      const categories = pkList(v.supercategories);
      expect(categories).toHaveLength(1);
      const category = store.get(categories[0]!)!;
      expect(category.values.catalogVersion).toBe(v.catalogVersion);
      expect(pkList(category.values.products)).toContain(p.pk);
      expect(['approved', 'check']).toContain(v.approvalStatus);
      expect(typeof v.reviewCount).toBe('number');
      if ((v.reviewCount as number) > 0) {
        expect(v.reviewRating).toBeGreaterThanOrEqual(2);
        expect(v.reviewRating).toBeLessThanOrEqual(5);
      } else expect(v.reviewRating).toBeUndefined();
    }
  });

  it('Staged holds copies of the first Online products, awaiting approval', () => {
    const online = catalogVersion(store, 'Online');
    const staged = catalogVersion(store, 'Staged');
    const stagedProducts = store.find('Product', { catalogVersion: staged.pk });
    expect(stagedProducts).toHaveLength(20);
    for (const s of stagedProducts) {
      const o = one(store, 'Product', { code: s.values.code!, catalogVersion: online.pk });
      expect(s.values.name).toEqual(o.values.name);
      expect(s.values.ean).toBe(o.values.ean);
      expect(s.values.approvalStatus).toBe('check');
      expect(o.values.approvalStatus).toBe('approved');
      expect(s.values.picture).not.toBe(o.values.picture);
    }
  });

  it('categories form a tree per catalog version, both relation ends agreeing', () => {
    for (const c of store.all('Category')) {
      for (const parentPk of pkList(c.values.supercategories)) {
        const parent = store.get(parentPk)!;
        expect(parent.values.catalogVersion).toBe(c.values.catalogVersion);
        expect(pkList(parent.values.categories)).toContain(c.pk);
      }
      for (const childPk of pkList(c.values.categories)) expect(pkList(store.get(childPk)!.values.supercategories)).toContain(c.pk);
      for (const productPk of pkList(c.values.products)) expect(pkList(store.get(productPk)!.values.supercategories)).toContain(c.pk);
      const name = c.values.name as Record<string, string>;
      expect(name.en && name.de).toBeTruthy();
    }
    const roots = [...store.all('Category')].filter((c) => pkList(c.values.supercategories).length === 0);
    expect(roots).toHaveLength(6); // 3 per catalog version
  });

  it('customers own their addresses; defaults point to them', () => {
    const customers = generated.filter((i) => i.typeCode === 'Customer');
    expect(customers).toHaveLength(40);
    for (const c of customers) {
      expect(c.values.uid).toMatch(/^[a-z0-9]+\.[a-z0-9]+\.\d+@example\.com$/);
      const addresses = pkList(c.values.addresses);
      expect(addresses.length).toBeGreaterThanOrEqual(1);
      expect(addresses.length).toBeLessThanOrEqual(2);
      for (const a of addresses) {
        const address = store.get(a)!;
        expect(address.values.owner).toBe(c.pk);
        expect(address.values.email).toBe(c.values.uid);
        expect(['US', 'DE']).toContain(store.get(address.values.country as Pk)!.values.isocode);
      }
      expect(addresses).toContain(c.values.defaultShipmentAddress);
      expect(addresses).toContain(c.values.defaultPaymentAddress);
    }
    for (const a of generated.filter((i) => i.typeCode === 'Address')) expect(pkList(store.get(a.values.owner as Pk)!.values.addresses)).toContain(a.pk);
  });

  it('orders: entries numbered from 0, Online products, the product unit, totals that add up', () => {
    const online = catalogVersion(store, 'Online');
    const orders = generated.filter((i) => i.typeCode === 'Order');
    expect(orders).toHaveLength(40);
    const statuses = new Set<StoredValue | undefined>();
    for (const o of orders) {
      statuses.add(o.values.status);
      const customer = store.get(o.values.user as Pk)!;
      expect(customer.typeCode).toBe('Customer');
      expect(pkList(customer.values.orders)).toContain(o.pk);
      expect(pkList(customer.values.addresses)).toContain(o.values.deliveryAddress);
      const currency = store.get(o.values.currency as Pk)!.values.isocode;
      expect(['USD', 'EUR']).toContain(currency);
      const entries = pkList(o.values.entries).map((pk) => store.get(pk)!);
      expect(entries.length).toBeGreaterThanOrEqual(1);
      expect(entries.length).toBeLessThanOrEqual(4);
      expect(entries.map((e) => e.values.entryNumber)).toEqual(entries.map((_, i) => i));
      expect(new Set(entries.map((e) => e.values.product)).size).toBe(entries.length);
      let subtotal = 0;
      for (const e of entries) {
        expect(e.typeCode).toBe('OrderEntry');
        expect(e.values.order).toBe(o.pk);
        const product = store.get(e.values.product as Pk)!;
        expect(product.typeCode).toBe('Product');
        expect(product.values.catalogVersion).toBe(online.pk);
        expect(store.get(product.values.catalogVersion as Pk)!.typeCode).toBe('CatalogVersion');
        expect(e.values.unit).toBe(product.values.unit);
        expect(e.values.quantity).toMatch(/^[1-4]$/); // Long: a decimal string
        expect(e.values.totalPrice).toBeCloseTo((e.values.basePrice as number) * Number(e.values.quantity), 6);
        subtotal += e.values.totalPrice as number;
      }
      expect(o.values.subtotal).toBeCloseTo(subtotal, 6);
      expect(o.values.totalPrice).toBeCloseTo((o.values.subtotal as number) + (o.values.deliveryCost as number), 6);
    }
    expect([...statuses].sort()).toEqual(['COMPLETED', 'CREATED']);
  });

  it('generated products have integrationKeys of the ThirdPartyInboundProduct integration object', () => {
    const commerce = load({ projectDir: DEMO });
    generateData(commerce.store, { seed: 42 });
    const io = commerce.integrationObjects.get('ThirdPartyInboundProduct')!;
    const product = one(commerce.store, 'Product', { code: 'GP-000001', catalogVersion: catalogVersion(commerce.store, 'Online').pk });
    expect(entityKey(io, itemByCode(io, 'Product')!, product, commerce.store)).toBe(`Online|${GENERATED_CATALOG_ID}|GP-000001`);
  });
});

describe('generateData: coexistence with the demo project', () => {
  it('generates into the demo catalog and currencies, leaving every demo item as it was', () => {
    const { store } = load({ projectDir: DEMO });
    const before = store.snapshot();
    const report = generateData(store, { seed: 9 });
    for (const item of before.items) expect(store.get(item.pk), `${item.typeCode}(${item.pk})`).toEqual(item);
    // Reused, not created: the demo's catalog, both versions, USD/EUR, languages and the unit `pieces`.
    expect(report.created.Catalog).toBeUndefined();
    expect(report.created.CatalogVersion).toBeUndefined();
    expect(report.created.Currency).toBeUndefined();
    expect(report.created.Unit).toBe(1); // kg
    expect(store.count('Catalog')).toBe(1);
    expect(store.count('Currency')).toBe(2);
    const online = catalogVersion(store, 'Online');
    expect(store.find('Product', { catalogVersion: online.pk })).toHaveLength(3 + 100);
    one(store, 'Product', { code: 'P-1', catalogVersion: online.pk });
    // Generated products sold by the piece use the demo's unit.
    const pieces = one(store, 'Unit', { code: 'pieces' });
    expect(store.find('Product', { catalogVersion: online.pk, unit: pieces.pk }).length).toBeGreaterThan(50);
  });

  it('creates catalog, versions and reference data when the project has none', () => {
    const store = bareStore();
    generateData(store, { seed: 3 });
    const catalog = one(store, 'Catalog', { id: GENERATED_CATALOG_ID });
    const online = catalogVersion(store, 'Online');
    const staged = catalogVersion(store, 'Staged');
    expect(online.values.active).toBe(true);
    expect(staged.values.active).toBe(false);
    expect(catalog.values.catalogVersions).toEqual([staged.pk, online.pk]);
    expect(catalog.values.activeCatalogVersion).toBe(online.pk);
    expect(pkList(online.values.languages).map((pk) => store.get(pk)!.values.isocode)).toEqual(['en', 'de']);
    expect(itemPks(store, 'Currency').map((pk) => store.get(pk)!.values.isocode)).toEqual(['USD', 'EUR']);
    expect(one(store, 'Currency', { isocode: 'EUR' }).values.name).toEqual({ en: 'Euro', de: 'Euro' });
  });

  it('generating twice into one store fails on the first clashing key and changes nothing', () => {
    const store = demoStore();
    generateData(store, { seed: 1, scale: 0.2 });
    const before = JSON.stringify(store.snapshot());
    const events: unknown[] = [];
    store.onChange((e) => events.push(e));
    expect(() => generateData(store, { seed: 2, scale: 0.2 })).toThrow(/Category .*GC-01 already exists/);
    expect(JSON.stringify(store.snapshot())).toBe(before);
    expect(events).toEqual([]);
  });

  it('the demo still serves $metadata after generation', async () => {
    const { startCommerceServer } = await import('../../mock-commerce/app.js');
    const commerce = load({ projectDir: DEMO });
    generateData(commerce.store, { seed: 1 });
    const server = await startCommerceServer(commerce);
    try {
      const res = await fetch(`${server.url}/odata2webservices/ThirdPartyInboundProduct/$metadata`, {
        headers: { Authorization: `Basic ${Buffer.from('integrationuser:sandbox').toString('base64')}` },
      });
      expect(res.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('generateData: catalog data only', () => {
  it('with customers: false makes no customers, addresses or orders, and the same catalog as with them', () => {
    const full = load({ projectDir: DEMO, reuse: false });
    const catalogOnly = load({ projectDir: DEMO, reuse: false });
    const withCustomers = generateData(full.store, { seed: 9, scale: 0.3 });
    const without = generateData(catalogOnly.store, { seed: 9, scale: 0.3, customers: false });
    expect(without.created.Customer ?? 0).toBe(0);
    expect(without.created.Order ?? 0).toBe(0);
    expect(without.created.Address ?? 0).toBe(0);
    expect(withCustomers.created.Customer).toBeGreaterThan(0);
    expect(without.created.Product).toBe(withCustomers.created.Product);
    const products = (commerce: typeof full) => [...commerce.store.all('Product')].map((p) => JSON.stringify(p.values));
    expect(products(catalogOnly)).toEqual(products(full));
    expect(plannedCounts(1, false)).toMatchObject({ customers: 0, orders: 0, onlineProducts: 100 });
  });
});
