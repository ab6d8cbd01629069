/**
 * The item store: typed items of the type system, in memory.
 *
 * Values are kept in plain, clonable form (see {@link StoredValue}); what a value means is known from the
 * attribute's {@link ValueShape}. Lookups by attribute values use hash indexes built lazily per
 * (type family, attribute set) and maintained on every write, so a key lookup is O(1) after the first.
 * Every write emits a change event (outbound sync builds on them); snapshot/restore make a failed
 * operation leave the store exactly as it was.
 */
import type { TypeSystem } from '../types/type-system.js';

export type Pk = number;

/**
 * - atomic values: string | number | boolean; Date as epoch millis (number); Long, BigDecimal and
 *   BigInteger as decimal strings (exact);
 * - item references: the referenced item's pk; collections of references: pk arrays;
 * - enumeration values: the value code; ComposedType references: the type code; AttributeDescriptor
 *   references: `EnclosingType:qualifier`;
 * - localized values: `{ [isocode]: value }`; maps: `{ [key]: value }`.
 */
export type StoredValue = null | string | number | boolean | StoredValue[] | { [key: string]: StoredValue };

export interface Item {
  readonly pk: Pk;
  readonly typeCode: string;
  readonly values: Readonly<Record<string, StoredValue>>;
}

export type ChangeKind = 'created' | 'updated' | 'removed';

export interface ChangeEvent {
  kind: ChangeKind;
  pk: Pk;
  typeCode: string;
  /** Attribute qualifiers written (created/updated). */
  changed: string[];
  /** Monotonic version of the store after this change. */
  version: number;
  /** `removed`: the item as it was (webhook delete events and delete sync build their payload from it). */
  removedItem?: Item;
}

export type ChangeListener = (event: ChangeEvent) => void;

interface MutableItem {
  pk: Pk;
  typeCode: string;
  values: Record<string, StoredValue>;
}

export interface StoreSnapshot {
  readonly nextPk: number;
  readonly version: number;
  readonly items: ReadonlyArray<MutableItem>;
}

/** Canonical string of a value, for hash index keys. */
function keyPart(v: StoredValue | undefined): string {
  if (v === undefined || v === null) return '\u0000null';
  if (typeof v === 'object') return JSON.stringify(v);
  return `${typeof v}:${String(v)}`;
}

class HashIndex {
  private readonly map = new Map<string, Set<Pk>>();
  constructor(readonly qualifiers: readonly string[]) {}

  keyOf(values: Readonly<Record<string, StoredValue>>): string {
    return this.qualifiers.map((q) => keyPart(values[q])).join('\u0001');
  }
  add(item: MutableItem): void {
    const k = this.keyOf(item.values);
    let set = this.map.get(k);
    if (!set) this.map.set(k, (set = new Set()));
    set.add(item.pk);
  }
  delete(item: MutableItem): void {
    const k = this.keyOf(item.values);
    const set = this.map.get(k);
    if (!set) return;
    set.delete(item.pk);
    if (set.size === 0) this.map.delete(k);
  }
  get(criteria: Readonly<Record<string, StoredValue>>): ReadonlySet<Pk> {
    return this.map.get(this.keyOf(criteria)) ?? EMPTY;
  }
}

const EMPTY: ReadonlySet<Pk> = new Set();

export class ItemStore {
  private readonly items = new Map<Pk, MutableItem>();
  /** Items by exact type code, in creation order (the items themselves: iterating needs no lookup). */
  private readonly byType = new Map<string, Map<Pk, MutableItem>>();
  /** Indexes by exact type code and attribute set. */
  private readonly indexes = new Map<string, Map<string, HashIndex>>();
  private readonly listeners = new Set<ChangeListener>();
  private nextPk = 1;
  private version = 0;
  private restores = 0;
  private generationCount = 0;
  /** Undo actions of the open transaction, newest last; undefined outside a transaction. */
  private undoLog: { push(step: () => void): void } | undefined;
  /** Change events of the open transaction, delivered only when it commits. */
  private pendingEvents: ChangeEvent[] = [];

  constructor(readonly typeSystem: TypeSystem) {}

  get size(): number {
    return this.items.size;
  }

  get currentVersion(): number {
    return this.version;
  }

  /** Counts restores, so that caches built from store contents know when to rebuild. */
  get restoreCount(): number {
    return this.restores;
  }

  /**
   * Changes whenever the contents may have: every write, rollback and restore. Unlike
   * {@link currentVersion} it never goes back (a rollback resets the version), so a cache of values
   * derived from the store (e.g. integration keys) is valid exactly as long as the generation it was
   * built at.
   */
  get generation(): number {
    return this.generationCount;
  }

  get(pk: Pk): Item | undefined {
    return this.items.get(pk);
  }

  /** The item a reference value (a pk) names; undefined for anything else or a pk no longer here. */
  referenced(value: StoredValue | undefined): Item | undefined {
    return typeof value === 'number' ? this.items.get(value) : undefined;
  }

  /** Items of a type (and, by default, its subtypes) in creation order per type. */
  *all(typeCode: string, options: { subtypes?: boolean } = {}): Iterable<Item> {
    const codes = options.subtypes === false ? [typeCode] : this.typeSystem.typeAndSubtypes(typeCode);
    for (const c of codes) {
      const items = this.byType.get(c);
      if (items) yield* items.values();
    }
  }

  count(typeCode: string, options: { subtypes?: boolean } = {}): number {
    const codes = options.subtypes === false ? [typeCode] : this.typeSystem.typeAndSubtypes(typeCode);
    return codes.reduce((n, c) => n + (this.byType.get(c)?.size ?? 0), 0);
  }

  /** Items of the type (and subtypes) whose values equal every criterion. */
  find(typeCode: string, criteria: Readonly<Record<string, StoredValue>>, options: { subtypes?: boolean } = {}): Item[] {
    const qualifiers = Object.keys(criteria).sort();
    const codes = options.subtypes === false ? [typeCode] : this.typeSystem.typeAndSubtypes(typeCode);
    const out: Item[] = [];
    for (const c of codes) {
      if (!this.byType.get(c)?.size) continue;
      for (const pk of this.index(c, qualifiers).get(criteria)) out.push(this.items.get(pk)!);
    }
    return out;
  }

  private index(typeCode: string, qualifiers: string[]): HashIndex {
    let perType = this.indexes.get(typeCode);
    if (!perType) this.indexes.set(typeCode, (perType = new Map()));
    const sig = qualifiers.join('\u0001');
    let idx = perType.get(sig);
    if (!idx) {
      idx = new HashIndex(qualifiers);
      for (const item of this.byType.get(typeCode)?.values() ?? []) idx.add(item);
      perType.set(sig, idx);
    }
    return idx;
  }

  private indexesOf(typeCode: string): Iterable<HashIndex> {
    return this.indexes.get(typeCode)?.values() ?? [];
  }

  create(typeCode: string, values: Record<string, StoredValue>): Item {
    const item: MutableItem = { pk: this.nextPk++, typeCode, values: { ...values } };
    this.items.set(item.pk, item);
    let set = this.byType.get(typeCode);
    if (!set) this.byType.set(typeCode, (set = new Map()));
    set.set(item.pk, item);
    for (const idx of this.indexesOf(typeCode)) idx.add(item);
    this.undoLog?.push(() => this.detach(item));
    this.emit({ kind: 'created', pk: item.pk, typeCode, changed: Object.keys(values), version: 0 });
    return item;
  }

  update(pk: Pk, values: Record<string, StoredValue>): Item {
    const item = this.items.get(pk);
    if (!item) throw new Error(`no item with pk ${pk}`);
    const touched = Object.keys(values);
    const affected = [...this.indexesOf(item.typeCode)].filter((idx) => idx.qualifiers.some((q) => touched.includes(q)));
    if (this.undoLog) {
      const previous = Object.fromEntries(touched.map((q) => [q, item.values[q]]));
      this.undoLog.push(() => {
        const indexes = [...this.indexesOf(item.typeCode)];
        for (const idx of indexes) idx.delete(item);
        for (const [q, v] of Object.entries(previous)) {
          if (v === undefined) delete item.values[q];
          else item.values[q] = v;
        }
        for (const idx of indexes) idx.add(item);
      });
    }
    for (const idx of affected) idx.delete(item);
    Object.assign(item.values, values);
    for (const idx of affected) idx.add(item);
    this.emit({ kind: 'updated', pk, typeCode: item.typeCode, changed: touched, version: 0 });
    return item;
  }

  remove(pk: Pk): void {
    const item = this.items.get(pk);
    if (!item) return;
    this.detach(item);
    this.undoLog?.push(() => this.attach(item));
    this.emit({ kind: 'removed', pk, typeCode: item.typeCode, changed: [], removedItem: item, version: 0 });
  }

  private detach(item: MutableItem): void {
    for (const idx of this.indexesOf(item.typeCode)) idx.delete(item);
    this.items.delete(item.pk);
    this.byType.get(item.typeCode)?.delete(item.pk);
  }

  /** Re-inserts a removed item. Creation order within its type is not kept (a restored item comes last). */
  private attach(item: MutableItem): void {
    this.items.set(item.pk, item);
    let set = this.byType.get(item.typeCode);
    if (!set) this.byType.set(item.typeCode, (set = new Map()));
    set.set(item.pk, item);
    for (const idx of this.indexesOf(item.typeCode)) idx.add(item);
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ChangeEvent): void {
    this.version++;
    this.generationCount++;
    event.version = this.version;
    if (this.undoLog) this.pendingEvents.push(event);
    else for (const l of this.listeners) l(event);
  }

  snapshot(): StoreSnapshot {
    return {
      nextPk: this.nextPk,
      version: this.version,
      items: [...this.items.values()].map((i) => ({ pk: i.pk, typeCode: i.typeCode, values: copyValues(i.values) })),
    };
  }

  /** Puts the store back to a snapshot. Emits no events: a restore undoes changes, it makes none. */
  restore(snapshot: StoreSnapshot): void {
    this.items.clear();
    this.byType.clear();
    this.indexes.clear();
    for (const i of snapshot.items) {
      const item = { pk: i.pk, typeCode: i.typeCode, values: copyValues(i.values) };
      this.items.set(item.pk, item);
      let set = this.byType.get(item.typeCode);
      if (!set) this.byType.set(item.typeCode, (set = new Map()));
      set.set(item.pk, item);
    }
    this.nextPk = snapshot.nextPk;
    this.version = snapshot.version;
    this.restores++;
    this.generationCount++;
  }

  /**
   * Runs `work` as one transaction: if it throws, every write it made is undone (an undo log, so the
   * cost is proportional to the writes, not to the store) and the error is rethrown. Change events are
   * delivered when the transaction commits, so listeners never see a write that was rolled back.
   */
  /**
   * A transaction for loading many items into a small store (generated data): instead of an undo step
   * per write, a failure restores a snapshot taken before — far less memory and time for 100k writes.
   * Events are delivered on success, as with `transaction`.
   */
  bulk<T>(work: () => T): T {
    if (this.undoLog) return work();
    const before = this.snapshot();
    return this.atomically(work, { push: () => {} }, () => this.restore(before));
  }

  transaction<T>(work: () => T): T {
    if (this.undoLog) return work(); // nested: part of the outer transaction
    const log: (() => void)[] = [];
    const version = this.version;
    const nextPk = this.nextPk;
    return this.atomically(work, log, () => {
      this.generationCount++;
      for (let i = log.length - 1; i >= 0; i--) log[i]!();
      this.version = version;
      this.nextPk = nextPk;
    });
  }

  /** Runs `work` with events held back: delivered after success, dropped (and `rollback` run) on failure. */
  private atomically<T>(work: () => T, undoLog: { push(step: () => void): void }, rollback: () => void): T {
    this.undoLog = undoLog;
    this.pendingEvents = [];
    let result: T;
    try {
      result = work();
    } catch (e) {
      this.undoLog = undefined;
      this.pendingEvents = [];
      rollback();
      throw e;
    } finally {
      this.undoLog = undefined;
    }
    const events = this.pendingEvents;
    this.pendingEvents = [];
    for (const ev of events) for (const l of this.listeners) l(ev);
    return result;
  }
}

/**
 * A deep copy of an item's values. Stored values are JSON-like (strings, numbers, booleans, null, arrays
 * and plain objects), so a plain recursive copy does; it is several times faster than structuredClone
 * for many small objects, which is what snapshots and restores of large stores copy.
 */
function copyValues(values: Readonly<Record<string, StoredValue>>): Record<string, StoredValue> {
  const out: Record<string, StoredValue> = {};
  for (const key in values) out[key] = copyValue(values[key]!);
  return out;
}

function copyValue(value: StoredValue): StoredValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyValue);
  return copyValues(value);
}
