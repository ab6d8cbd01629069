/**
 * Stateful collections: items by id in insertion order, unique keys, id generation. Items are plain
 * JSON objects, stored as copies.
 */
import { uniqueKeyOf, type CompiledCollection } from './compile.js';

export type Item = Record<string, unknown>;

export type WriteResult =
  | { kind: 'ok'; item: Item }
  | { kind: 'duplicate'; existing: Item; fields: string[]; value: unknown }
  | { kind: 'not-found' };

export class CollectionStore {
  private readonly items = new Map<string, Item>();
  /** One index per unique key: key value → id key. */
  private readonly indexes: Array<Map<string, string>>;
  private nextSequence = 1;

  constructor(
    readonly def: CompiledCollection,
    /** A fresh uuid for a created item without id (derived from the seed). */
    private readonly uuid: () => string,
  ) {
    this.indexes = def.unique.map(() => new Map());
  }

  get size(): number {
    return this.items.size;
  }

  list(): Item[] {
    return [...this.items.values()];
  }

  get(id: unknown): Item | undefined {
    return this.items.get(idKey(id));
  }

  clear(): void {
    this.items.clear();
    for (const index of this.indexes) index.clear();
    this.nextSequence = 1;
  }

  /** Adds an item; a duplicate (id or unique key) is reported, never stored. */
  create(input: Item): WriteResult {
    const item = structuredClone(input);
    const idField = this.def.idField;
    if (item[idField] === undefined || item[idField] === null || item[idField] === '') item[idField] = this.newId();
    const existing = this.items.get(idKey(item[idField]));
    if (existing) return { kind: 'duplicate', existing, fields: [idField], value: item[idField] };
    const clash = this.uniqueClash(item, undefined);
    if (clash) return clash;
    this.store(item);
    return { kind: 'ok', item };
  }

  /** Merges into (or replaces) the item with this id; the id never changes. */
  update(id: unknown, input: Item, merge: boolean): WriteResult {
    const key = idKey(id);
    const current = this.items.get(key);
    if (!current) return { kind: 'not-found' };
    const idField = this.def.idField;
    const next: Item = merge ? { ...current, ...structuredClone(input) } : structuredClone(input);
    next[idField] = current[idField];
    const clash = this.uniqueClash(next, key);
    if (clash) return clash;
    this.unindex(current, key);
    this.items.set(key, next);
    this.index(next, key);
    return { kind: 'ok', item: next };
  }

  delete(id: unknown): Item | undefined {
    const key = idKey(id);
    const current = this.items.get(key);
    if (!current) return undefined;
    this.items.delete(key);
    this.unindex(current, key);
    return current;
  }

  private store(item: Item): void {
    const key = idKey(item[this.def.idField]);
    this.items.set(key, item);
    this.index(item, key);
    const numeric = Number(item[this.def.idField]);
    if (Number.isSafeInteger(numeric) && numeric >= this.nextSequence) this.nextSequence = numeric + 1;
  }

  private newId(): unknown {
    if (this.def.idStrategy === 'uuid') return this.uuid();
    while (this.items.has(idKey(this.nextSequence))) this.nextSequence++;
    return this.nextSequence++;
  }

  private uniqueClash(item: Item, self: string | undefined): WriteResult | undefined {
    for (const [i, fields] of this.def.unique.entries()) {
      const value = uniqueKeyOf(item, fields);
      if (value === undefined) continue;
      const owner = this.indexes[i]?.get(value);
      if (owner !== undefined && owner !== self) {
        const existing = this.items.get(owner);
        if (existing) return { kind: 'duplicate', existing, fields, value: fields.length === 1 ? item[fields[0] ?? ''] : fields.map((f) => item[f]) };
      }
    }
    return undefined;
  }

  private index(item: Item, key: string): void {
    this.def.unique.forEach((fields, i) => {
      const value = uniqueKeyOf(item, fields);
      if (value !== undefined) this.indexes[i]?.set(value, key);
    });
  }

  private unindex(item: Item, key: string): void {
    this.def.unique.forEach((fields, i) => {
      const value = uniqueKeyOf(item, fields);
      if (value !== undefined && this.indexes[i]?.get(value) === key) this.indexes[i]?.delete(value);
    });
  }
}

/** Ids compare as text: `/items/7` finds the item with id 7. */
export function idKey(id: unknown): string {
  return typeof id === 'object' && id !== null ? JSON.stringify(id) : String(id as string);
}
