/**
 * Deterministic, referentially consistent Commerce sample data, written straight into the item store.
 *
 * Same seed and scale on the same starting store → byte-identical store (pks included): every random
 * choice comes from seeded Faker instances of our own (never the global `faker`, never `Math.random`),
 * dates are relative to `options.now`, and the store hands out pks in creation order.
 *
 * What is generated, for scale `s` (counts are rounded, at least 1 where it says so):
 * - languages `en`/`de`, countries `US`/`DE`, currencies `USD`/`EUR`, units `pieces`/`kg`: reused when
 *   they exist (the demo project has some of them), created otherwise;
 * - catalog `sandboxProductCatalog` with versions `Staged` and `Online` — the demo's catalog, reused when
 *   it exists (the generated products then sit next to the demo's `P-1`…), created otherwise;
 * - per catalog version the same category tree `GC-01`…`GC-10` (3 roots, 7 leaves: `vocabulary.ts`;
 *   fixed, not scaled), linked through `supercategories`/`categories`;
 * - Online: max(1, 100·s) products `GP-000001`… with localized (en, de) name and description, unit, one
 *   leaf category, a picture Media `GP-000001-picture` in the same catalog version, EAN-13 (unique),
 *   reviewRating/reviewCount, approvalStatus `approved`;
 * - Staged: 10·s products: copies of the first Online products (same code, own Staged picture and
 *   categories), approvalStatus `check` — edits not yet synchronised;
 * - max(1, 20·s) customers (70 % US, 30 % DE, names and addresses from Faker's `en` resp. `de` locale)
 *   with 1–2 addresses each (owner = customer);
 * - max(1, 20·s) orders `GO-00000001`… of random customers, 1–4 entries each (distinct Online products,
 *   the product's unit, price in the order's currency: USD for US customers, EUR for DE ones), status
 *   `CREATED` (25 %) or `COMPLETED`, dated within the year before `now`.
 *   Neither customers nor orders with `customers: false`.
 *
 * Conventions:
 * - written through `store.create`/`update` in one `store.transaction`: all or nothing;
 * - each new item starts from the type's default values, as an ImpEx import would store them, and is
 *   checked for unknown/non-writable attributes, mandatory attributes and enumeration values;
 * - generated unique keys are unique among themselves by construction (sequence numbers in codes, uids
 *   and EANs) and checked against the items already in the store: a clash (e.g. generating twice into
 *   one store) throws, and the transaction leaves the store unchanged;
 * - relation ends are written on both sides (`OrderEntry.order` and `Order.entries`, `Address.owner` and
 *   `User.addresses`, `Order.user` and `User.orders`, `Product.supercategories` and `Category.products`,
 *   `Category.supercategories` and `Category.categories`), since the store keeps no relation table;
 * - items that existed before are never modified (not even an existing catalog's `catalogVersions`);
 * - private attributes the platform derives itself (`Product.catalog`, `Category.catalog`,
 *   `Media.catalog`) are not written, as ImpEx-loaded items do not carry them either.
 */
import type { Faker, LocaleDefinition } from '@faker-js/faker';
import { fakerModule } from '../util/faker.js';
import { defaultValues, mandatoryAttributes } from '../store/model-rules.js';
import type { ItemStore, Pk, StoredValue } from '../store/store.js';
import type { TypeSystem } from '../types/type-system.js';
import { ADJECTIVES, BRANDS, type Bilingual, CATEGORIES, FEATURES, MATERIALS, MODEL_SUFFIXES, type Noun, type UnitCode } from './vocabulary.js';

export interface GenerateOptions {
  seed: number;
  /** Multiplies the item counts; default 1 (100 Online products). */
  scale?: number;
  /** Fixed "now" (epoch millis) that generated dates are relative to; default 2024-01-01T00:00:00Z. */
  now?: number;
  /** Customers (with addresses) and orders too; default true. `false`: catalog data only (catalog, categories, products, media). */
  customers?: boolean;
}

export interface GenerateReport {
  /** Items created, by type code. */
  created: Record<string, number>;
  millis: number;
}

export const GENERATED_CATALOG_ID = 'sandboxProductCatalog';
export const DEFAULT_NOW = Date.UTC(2024, 0, 1);

/** How many items a scale asks for (categories are not scaled: {@link CATEGORIES}). */
export interface PlannedCounts {
  onlineProducts: number;
  stagedProducts: number;
  customers: number;
  orders: number;
  categoriesPerVersion: number;
}

/** With `customers` false (see {@link GenerateOptions.customers}) there are no customers and no orders. */
export function plannedCounts(scale = 1, customers = true): PlannedCounts {
  if (!Number.isFinite(scale) || scale <= 0) throw new RangeError(`generateData: scale must be a positive number, got ${scale}`);
  return {
    onlineProducts: Math.max(1, Math.round(100 * scale)),
    stagedProducts: Math.round(10 * scale),
    customers: customers ? Math.max(1, Math.round(20 * scale)) : 0,
    orders: customers ? Math.max(1, Math.round(20 * scale)) : 0,
    categoriesPerVersion: CATEGORIES.length,
  };
}

/** Code of the n-th (1-based) generated product for a given Online product count. */
export function generatedProductCode(n: number, onlineProducts: number): string {
  return `GP-${String(n).padStart(Math.max(6, String(onlineProducts).length), '0')}`;
}

export function generateData(store: ItemStore, options: GenerateOptions): GenerateReport {
  const started = performance.now();
  if (!Number.isSafeInteger(options.seed)) throw new RangeError(`generateData: seed must be a safe integer, got ${options.seed}`);
  const counts = plannedCounts(options.scale ?? 1, options.customers ?? true);
  const now = options.now ?? DEFAULT_NOW;
  if (!Number.isFinite(now)) throw new RangeError(`generateData: now must be epoch millis, got ${now}`);
  const writer = new Writer(store);
  store.bulk(() => new Generation(store, writer, options.seed, counts, now).run());
  return { created: writer.created, millis: performance.now() - started };
}

// ---- writing ----------------------------------------------------------------------------------

interface PreparedType {
  defaults: Record<string, StoredValue>;
  /** Attributes that may be given when creating an item. */
  creatable: ReadonlySet<string>;
  /** Attributes that may be changed on an existing item. */
  updatable: ReadonlySet<string>;
  mandatory: readonly string[];
  enums: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Creates and updates items the way ImpEx does (defaults, mandatory and writability checks), minus the text. */
class Writer {
  readonly created: Record<string, number> = {};
  private readonly prepared = new Map<string, PreparedType>();

  constructor(private readonly store: ItemStore) {}

  create(typeCode: string, values: Record<string, StoredValue>): Pk {
    const t = this.prepare(typeCode);
    for (const q of Object.keys(values)) {
      if (!t.creatable.has(q)) throw new Error(`generateData: ${typeCode}.${q} is not an attribute that can be set on a new ${typeCode}`);
    }
    // Defaults first, as an ImpEx import stores them (the store copies the object again).
    const full = Object.assign({}, t.defaults, values);
    for (const q of t.mandatory) {
      if (full[q] === undefined || full[q] === null) throw new Error(`generateData: mandatory attribute ${typeCode}.${q} missing`);
    }
    this.checkEnums(typeCode, t, values);
    const pk = this.store.create(typeCode, full).pk;
    this.created[typeCode] = (this.created[typeCode] ?? 0) + 1;
    return pk;
  }

  update(pk: Pk, values: Record<string, StoredValue>): void {
    const item = this.store.get(pk);
    if (!item) throw new Error(`generateData: no item with pk ${pk}`);
    const t = this.prepare(item.typeCode);
    for (const q of Object.keys(values)) if (!t.updatable.has(q)) throw new Error(`generateData: ${item.typeCode}.${q} is not writable`);
    this.store.update(pk, values);
  }

  private checkEnums(typeCode: string, t: PreparedType, values: Record<string, StoredValue>): void {
    for (const [q, allowed] of t.enums) {
      const v = values[q];
      if (typeof v === 'string' && !allowed.has(v)) throw new Error(`generateData: '${v}' is not a value of ${typeCode}.${q}`);
    }
  }

  private prepare(typeCode: string): PreparedType {
    let t = this.prepared.get(typeCode);
    if (!t) this.prepared.set(typeCode, (t = prepareType(this.store.typeSystem, typeCode)));
    return t;
  }
}

function prepareType(ts: TypeSystem, typeCode: string): PreparedType {
  const type = ts.composedType(typeCode);
  if (!type) throw new Error(`generateData: the type system has no type ${typeCode}`);
  if (type.abstract) throw new Error(`generateData: ${typeCode} is abstract`);
  const defaults = defaultValues(ts, typeCode);
  const mandatory = mandatoryAttributes(ts, typeCode);
  const creatable = new Set<string>();
  const updatable = new Set<string>();
  const enums = new Map<string, ReadonlySet<string>>();
  for (const a of ts.attributes(typeCode)) {
    // As ImpEx: writable attributes, and initial ones on creation (Address.owner, OrderEntry.order, …).
    if (a.writable || a.initial) creatable.add(a.qualifier);
    if (a.writable) updatable.add(a.qualifier);
    if (a.shape.kind === 'enum') enums.set(a.qualifier, new Set(ts.enumType(a.shape.typeCode)?.values ?? []));
  }
  return { defaults, creatable, updatable, mandatory, enums };
}

/**
 * Unique keys already taken in the store, by type family. Generated keys are unique among themselves by
 * construction (sequence numbers), so only clashes with pre-existing items need a lookup — and the set
 * stays as small as the data that was there before.
 */
class TakenKeys {
  private readonly keys = new Set<string>();

  constructor(
    private readonly what: string,
    existing: Iterable<{ values: Readonly<Record<string, StoredValue>> }>,
    private readonly keyOf: (values: Readonly<Record<string, StoredValue>>) => string,
  ) {
    for (const item of existing) this.keys.add(keyOf(item.values));
  }

  check(values: Readonly<Record<string, StoredValue>>): void {
    if (this.keys.size === 0) return;
    const key = this.keyOf(values);
    if (this.keys.has(key)) {
      throw new Error(`generateData: ${this.what} ${key} already exists (generated data needs codes of its own; was it generated into this store before?)`);
    }
  }
}

// ---- the data ---------------------------------------------------------------------------------

interface ProductSpec {
  code: string;
  leaf: number;
  noun: Noun;
  name: Bilingual;
  description: Bilingual;
  ean: string;
  reviewCount: number;
  reviewRating: number | undefined;
  priceUsd: number;
  priceEur: number;
}

interface CatalogVersionData {
  pk: Pk;
  /** Category pks by index into CATEGORIES. */
  categories: Pk[];
  /** Product pks by index into CATEGORIES, for `Category.products`. */
  products: Map<number, Pk[]>;
}

/** What an order needs of an Online product (all 100·s of them are kept, so: small). */
interface SaleProduct {
  pk: Pk;
  unit: Pk;
  perKg: boolean;
  priceUsd: number;
  priceEur: number;
}

interface CustomerData {
  pk: Pk;
  country: 'US' | 'DE';
  shippingAddress: Pk;
  billingAddress: Pk;
  orders: Pk[];
}

const SECONDS_PER_YEAR = 365 * 24 * 3600;

/** Indexes of the categories that hold products. */
const LEAVES: readonly number[] = CATEGORIES.flatMap((c, i) => (c.nouns.length > 0 ? [i] : []));

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function titleCase(s: string): string {
  return s.split(' ').map(capitalize).join(' ');
}

/** GS1 check digit of a 12-digit body. */
function ean13(body12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body12.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return `${body12}${(10 - (sum % 10)) % 10}`;
}

/** An e-mail-safe ASCII slug of a name (German umlauts transliterated). */
function slug(s: string): string {
  const ascii = s
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[^a-z0-9]+/g, '');
  return ascii === '' ? 'customer' : ascii;
}

/**
 * Street, house number and town from a Faker locale's word lists: real town and street names of the
 * country, and 5× faster than `faker.location.city()`/`street()`, which expand name templates.
 */
function addressSource(f: Faker, maxBuildingNumber: number): { street: () => string; buildingNumber: () => string; city: () => string } {
  const location = f.rawDefinitions.location;
  const streets = location?.street_name ?? [];
  const cities = location?.city_name ?? [];
  return {
    street: () => (streets.length > 0 ? f.helpers.arrayElement(streets) : f.location.street()),
    buildingNumber: () => String(f.number.int({ min: 1, max: maxBuildingNumber })),
    city: () => (cities.length > 0 ? f.helpers.arrayElement(cities) : f.location.city()),
  };
}

const itemKey = (...parts: StoredValue[]): string => parts.map((p) => String(p)).join('|');

class Generation {
  private readonly ts: TypeSystem;
  /** One random stream per section, so that e.g. the customers do not change when products are added. */
  private readonly catalogRng: Faker;
  private readonly customerRng: Faker;
  private readonly germanRng: Faker;
  private readonly orderRng: Faker;

  private readonly languages = new Map<string, Pk>();
  private readonly countries = new Map<string, Pk>();
  private readonly currencies = new Map<string, Pk>();
  private readonly units = new Map<UnitCode, Pk>();
  private readonly onlineProducts: SaleProduct[] = [];
  private customers: CustomerData[] = [];

  constructor(
    private readonly store: ItemStore,
    private readonly writer: Writer,
    private readonly seed: number,
    private readonly counts: PlannedCounts,
    private readonly now: number,
  ) {
    this.ts = store.typeSystem;
    const { de, en } = fakerModule();
    this.catalogRng = this.rng(1, [en]);
    this.customerRng = this.rng(2, [en]);
    this.germanRng = this.rng(3, [de, en]);
    this.orderRng = this.rng(4, [en]);
  }

  private rng(section: number, locale: LocaleDefinition[]): Faker {
    const faker = new (fakerModule().Faker)({ locale });
    // The seed's two 32-bit halves (Faker seeds 32-bit words), then the section.
    faker.seed([this.seed >>> 0, Math.floor(this.seed / 0x100000000) >>> 0, section]);
    return faker;
  }

  run(): void {
    this.checkEnumValues();
    this.referenceData();
    const { pk: catalog, created: catalogCreated } = this.findOrCreate('Catalog', { id: GENERATED_CATALOG_ID }, () => ({
      id: GENERATED_CATALOG_ID,
      name: { en: 'Sandbox Product Catalog', de: 'Sandbox-Produktkatalog' },
    }));
    const staged = this.catalogVersion(catalog, 'Staged', false);
    const online = this.catalogVersion(catalog, 'Online', true);
    if (catalogCreated) this.writer.update(catalog, { catalogVersions: [staged, online], activeCatalogVersion: online });

    const categoryKeys = new TakenKeys('Category', this.store.all('Category'), (v) => itemKey(v.catalogVersion ?? null, v.code ?? null));
    const stagedData: CatalogVersionData = { pk: staged, categories: this.categories(staged, categoryKeys), products: new Map() };
    const onlineData: CatalogVersionData = { pk: online, categories: this.categories(online, categoryKeys), products: new Map() };

    this.writeProducts(onlineData, stagedData);
    // Customers and orders draw from random streams of their own: leaving them out changes nothing above.
    if (this.counts.customers > 0) {
      this.writeCustomers();
      this.writeOrders();
    }
  }

  private checkEnumValues(): void {
    const need: [string, string][] = [
      ['ArticleApprovalStatus', 'approved'],
      ['ArticleApprovalStatus', 'check'],
      ['OrderStatus', 'CREATED'],
      ['OrderStatus', 'COMPLETED'],
    ];
    for (const [type, value] of need) {
      if (!this.ts.enumType(type)?.values.includes(value)) throw new Error(`generateData: the type system has no ${type} value '${value}'`);
    }
  }

  /** The item matching `criteria`, or a new one; `created` says which. */
  private findOrCreate(typeCode: string, criteria: Record<string, StoredValue>, values: () => Record<string, StoredValue>): { pk: Pk; created: boolean } {
    const found = this.store.find(typeCode, criteria);
    if (found.length > 1) throw new Error(`generateData: ${found.length} items of ${typeCode} match ${JSON.stringify(criteria)}`);
    if (found[0]) return { pk: found[0].pk, created: false };
    return { pk: this.writer.create(typeCode, values()), created: true };
  }

  private ensure(typeCode: string, criteria: Record<string, StoredValue>, values: () => Record<string, StoredValue>): Pk {
    return this.findOrCreate(typeCode, criteria, values).pk;
  }

  private referenceData(): void {
    const languageNames: Record<string, Bilingual> = { en: { en: 'English', de: 'Englisch' }, de: { en: 'German', de: 'Deutsch' } };
    for (const [iso, name] of Object.entries(languageNames)) {
      this.languages.set(iso, this.ensure('Language', { isocode: iso }, () => ({ isocode: iso, active: true, name: { ...name } })));
    }
    const countryNames: Record<string, Bilingual> = { US: { en: 'United States', de: 'Vereinigte Staaten' }, DE: { en: 'Germany', de: 'Deutschland' } };
    for (const [iso, name] of Object.entries(countryNames)) {
      this.countries.set(iso, this.ensure('Country', { isocode: iso }, () => ({ isocode: iso, active: true, name: { ...name } })));
    }
    const currencies: Record<string, { symbol: string; name: Bilingual }> = {
      USD: { symbol: '$', name: { en: 'US Dollar', de: 'US-Dollar' } },
      EUR: { symbol: '€', name: { en: 'Euro', de: 'Euro' } },
    };
    for (const [iso, c] of Object.entries(currencies)) {
      this.currencies.set(iso, this.ensure('Currency', { isocode: iso }, () => ({ isocode: iso, symbol: c.symbol, name: { ...c.name }, digits: 2, active: true })));
    }
    const units: Record<UnitCode, { unitType: string; name: Bilingual }> = {
      pieces: { unitType: 'pieces', name: { en: 'pieces', de: 'Stück' } },
      kg: { unitType: 'weight', name: { en: 'kilogram', de: 'Kilogramm' } },
    };
    for (const [code, u] of Object.entries(units) as [UnitCode, (typeof units)[UnitCode]][]) {
      this.units.set(code, this.ensure('Unit', { code }, () => ({ code, unitType: u.unitType, name: { ...u.name } })));
    }
  }

  private catalogVersion(catalog: Pk, version: string, active: boolean): Pk {
    return this.ensure('CatalogVersion', { catalog, version }, () => ({
      catalog,
      version,
      active,
      languages: [this.lang('en'), this.lang('de')],
    }));
  }

  private lang(iso: string): Pk {
    return this.languages.get(iso)!;
  }

  /** The category tree in one catalog version; returns the pks by index into CATEGORIES. */
  private categories(catalogVersion: Pk, keys: TakenKeys): Pk[] {
    const pks: Pk[] = [];
    CATEGORIES.forEach((c, i) => {
      const parent = c.parent === undefined ? undefined : pks[c.parent];
      const values: Record<string, StoredValue> = {
        code: `GC-${String(i + 1).padStart(2, '0')}`,
        catalogVersion,
        name: { ...c.name },
        description: { ...c.description },
        order: i,
      };
      if (parent !== undefined) values.supercategories = [parent];
      keys.check(values);
      pks.push(this.writer.create('Category', values));
    });
    // The other end of the tree: each parent's subcategories.
    CATEGORIES.forEach((_, i) => {
      const children = CATEGORIES.flatMap((c, j) => (c.parent === i ? [pks[j]!] : []));
      if (children.length > 0) this.writer.update(pks[i]!, { categories: children });
    });
    return pks;
  }

  /**
   * Online products, then the Staged copies of the first ones; specs are made and written one at a time
   * (only the Staged ones are kept), so that memory holds what the store holds and little more.
   */
  private writeProducts(online: CatalogVersionData, staged: CatalogVersionData): void {
    const productKeys = new TakenKeys('Product', this.store.all('Product'), (v) => itemKey(v.catalogVersion ?? null, v.code ?? null));
    const mediaKeys = new TakenKeys('Media', this.store.all('Media'), (v) => itemKey(v.catalogVersion ?? null, v.code ?? null));
    // EAN-13 bodies "40" + 10 digits: index × 7919 (coprime to 10^10) + offset, mod 10^10, is a bijection,
    // so the EANs are unique among the generated products.
    const eanOffset = this.catalogRng.number.int({ min: 0, max: 9_999_999_999 });
    const stagedSpecs: ProductSpec[] = [];
    for (let i = 0; i < this.counts.onlineProducts; i++) {
      const spec = this.productSpec(i, eanOffset);
      const pk = this.writeProduct(online, spec, 'approved', productKeys, mediaKeys);
      this.onlineProducts.push({ pk, unit: this.units.get(spec.noun.unit)!, perKg: spec.noun.unit === 'kg', priceUsd: spec.priceUsd, priceEur: spec.priceEur });
      if (i < this.counts.stagedProducts) stagedSpecs.push(spec);
    }
    for (const spec of stagedSpecs) this.writeProduct(staged, spec, 'check', productKeys, mediaKeys);
    for (const cv of [online, staged]) {
      for (const [leaf, products] of [...cv.products].sort((a, b) => a[0] - b[0])) this.writer.update(cv.categories[leaf]!, { products });
    }
  }

  private productSpec(i: number, eanOffset: number): ProductSpec {
    const f = this.catalogRng;
    const leaf = f.helpers.arrayElement(LEAVES);
    const noun = f.helpers.arrayElement(CATEGORIES[leaf]!.nouns);
    const adjective = f.helpers.arrayElement(ADJECTIVES);
    const material = f.helpers.arrayElement(MATERIALS);
    const feature = f.helpers.arrayElement(FEATURES);
    const brand = f.helpers.arrayElement(BRANDS);
    const model = `${noun.en.charAt(0).toUpperCase()}${f.number.int({ min: 1, max: 99 }) * 10}${f.helpers.arrayElement(MODEL_SUFFIXES)}`;
    const [min, max] = noun.price;
    const priceUsd = Math.max(min, Math.round(f.number.float({ min, max }))) - 0.01;
    const reviewed = f.number.int({ min: 0, max: 9 }) > 0;
    return {
      code: generatedProductCode(i + 1, this.counts.onlineProducts),
      leaf,
      noun,
      // join() makes flat strings: a template literal leaves a rope of concatenation nodes, 3× the memory.
      name: {
        en: [brand, capitalize(adjective.en), titleCase(noun.en), model].join(' '),
        de: [brand, noun.de, `${model},`, adjective.de].join(' '),
      },
      description: {
        en: [capitalize(adjective.en), noun.en, 'made of', `${material.en}.`, feature.en].join(' '),
        de: [noun.de, 'aus', `${material.de},`, `${adjective.de}.`, feature.de].join(' '),
      },
      ean: ean13(`40${String((i * 7919 + eanOffset) % 10_000_000_000).padStart(10, '0')}`),
      reviewCount: reviewed ? f.number.int({ min: 1, max: 500 }) : 0,
      reviewRating: reviewed ? f.number.float({ min: 2, max: 5, fractionDigits: 1 }) : undefined,
      priceUsd: round2(priceUsd),
      priceEur: round2(Math.max(1, Math.round(priceUsd * 0.92)) - 0.01),
    };
  }

  /** A product and its picture in one catalog version; returns the product's pk. */
  private writeProduct(cv: CatalogVersionData, s: ProductSpec, approvalStatus: string, productKeys: TakenKeys, mediaKeys: TakenKeys): Pk {
    const media: Record<string, StoredValue> = {
      code: `${s.code}-picture`,
      catalogVersion: cv.pk,
      mime: 'image/jpeg',
      realFileName: `${s.code}.jpg`,
      URL: `/medias/${s.code}.jpg`,
      altText: s.name.en,
    };
    mediaKeys.check(media);
    const picture = this.writer.create('Media', media);
    const values: Record<string, StoredValue> = {
      code: s.code,
      catalogVersion: cv.pk,
      name: { en: s.name.en, de: s.name.de },
      description: { en: s.description.en, de: s.description.de },
      unit: this.units.get(s.noun.unit)!,
      supercategories: [cv.categories[s.leaf]!],
      picture,
      ean: s.ean,
      approvalStatus,
      reviewCount: s.reviewCount,
    };
    if (s.reviewRating !== undefined) values.reviewRating = s.reviewRating;
    productKeys.check(values);
    const pk = this.writer.create('Product', values);
    let list = cv.products.get(s.leaf);
    if (!list) cv.products.set(s.leaf, (list = []));
    list.push(pk);
    return pk;
  }

  private writeCustomers(): void {
    const f = this.customerRng;
    const uids = new TakenKeys('Principal uid', this.store.all('Principal'), (v) => String(v.uid ?? null));
    const usd = this.currencies.get('USD')!;
    const eur = this.currencies.get('EUR')!;
    const sources = { US: addressSource(f, 999), DE: addressSource(this.germanRng, 199) };
    for (let i = 0; i < this.counts.customers; i++) {
      const country = f.number.int({ min: 0, max: 9 }) < 7 ? 'US' : 'DE';
      const p = country === 'US' ? f : this.germanRng;
      const source = sources[country];
      const firstname = p.person.firstName();
      const lastname = p.person.lastName();
      const uid = `${slug(firstname)}.${slug(lastname)}.${i + 1}@example.com`;
      const customer: Record<string, StoredValue> = {
        uid,
        name: `${firstname} ${lastname}`,
        customerID: f.string.uuid(),
        sessionLanguage: this.lang(country === 'US' ? 'en' : 'de'),
        sessionCurrency: country === 'US' ? usd : eur,
      };
      uids.check(customer);
      const pk = this.writer.create('Customer', customer);
      const address = (extra: Record<string, StoredValue>): Pk =>
        this.writer.create('Address', {
          owner: pk,
          firstname,
          lastname,
          streetname: source.street(),
          streetnumber: source.buildingNumber(),
          postalcode: p.location.zipCode('#####'),
          town: source.city(),
          country: this.countries.get(country)!,
          email: uid,
          phone1: p.phone.number({ style: 'international' }),
          ...extra,
        });
      const home = address({ shippingAddress: true, billingAddress: true, contactAddress: true });
      const addresses = [home];
      let shipping = home;
      if (f.number.int({ min: 0, max: 2 }) === 0) {
        // A second address: work, where orders are delivered.
        shipping = address({ company: p.company.name(), shippingAddress: true });
        addresses.push(shipping);
      }
      this.writer.update(pk, { addresses, defaultShipmentAddress: shipping, defaultPaymentAddress: home });
      this.customers.push({ pk, country, shippingAddress: shipping, billingAddress: home, orders: [] });
    }
  }

  private writeOrders(): void {
    const f = this.orderRng;
    const orderKeys = new TakenKeys('Order', this.store.all('AbstractOrder'), (v) => String(v.code ?? null));
    const products = this.onlineProducts;
    const width = Math.max(8, String(this.counts.orders).length);
    for (let i = 0; i < this.counts.orders; i++) {
      const customer = f.helpers.arrayElement(this.customers);
      const eur = customer.country === 'DE';
      const entryCount = f.number.int({ min: 1, max: Math.min(4, products.length) });
      const chosen: number[] = [];
      while (chosen.length < entryCount) {
        const p = f.number.int({ min: 0, max: products.length - 1 });
        if (!chosen.includes(p)) chosen.push(p);
      }
      const lines = chosen.map((p) => {
        const product = products[p]!;
        const quantity = f.number.int({ min: 1, max: product.perKg ? 3 : 4 });
        const basePrice = eur ? product.priceEur : product.priceUsd;
        return { product: product.pk, unit: product.unit, quantity, basePrice, totalPrice: round2(basePrice * quantity) };
      });
      const subtotal = round2(lines.reduce((sum, l) => sum + l.totalPrice, 0));
      const deliveryCost = subtotal >= 100 ? 0 : 4.99;
      const order: Record<string, StoredValue> = {
        code: `GO-${String(i + 1).padStart(width, '0')}`,
        user: customer.pk,
        currency: this.currencies.get(eur ? 'EUR' : 'USD')!,
        date: this.now - f.number.int({ min: 1, max: SECONDS_PER_YEAR }) * 1000,
        status: f.number.int({ min: 0, max: 3 }) === 0 ? 'CREATED' : 'COMPLETED',
        net: false,
        calculated: true,
        deliveryAddress: customer.shippingAddress,
        paymentAddress: customer.billingAddress,
        subtotal,
        deliveryCost,
        totalPrice: round2(subtotal + deliveryCost),
      };
      orderKeys.check(order);
      const pk = this.writer.create('Order', order);
      const entries = lines.map((l, entryNumber) =>
        this.writer.create('OrderEntry', {
          order: pk,
          entryNumber,
          product: l.product,
          quantity: String(l.quantity),
          unit: l.unit,
          basePrice: l.basePrice,
          totalPrice: l.totalPrice,
          calculated: true,
        }),
      );
      this.writer.update(pk, { entries });
      customer.orders.push(pk);
    }
    for (const c of this.customers) if (c.orders.length > 0) this.writer.update(c.pk, { orders: c.orders });
  }
}
