/**
 * The integrationKey (spec §2.4): the `s:Alias` that names its parts, the value computed from an item,
 * and the parsing of a key taken from a URL.
 */
import type { IntegrationObjectModel, IoAttribute, IoItem } from './model.js';
import { itemByCode } from './model.js';

export class IntegrationKeyError extends Error {
  constructor(
    readonly code: 'invalid_key_definition' | 'misconfigured_attribute' | 'invalid_key',
    message: string,
  ) {
    super(message);
  }
}

/** One part of the key: the alias segment `Item_attr` and how to reach the value from the root item. */
export interface KeyPart {
  segment: string;
  /** Attribute path from the keyed item: navigation attributes, then the primitive attribute. */
  path: IoAttribute[];
}

/** Plain Java `String.compareTo` order (UTF-16 code units); never `localeCompare`. */
export function ordinalCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The key parts of an item, recursively through unique single-valued navigation properties, de-duplicated
 * by segment and sorted ordinally. Throws for an item without key attributes and for circular keys.
 */
export function keyParts(io: IntegrationObjectModel, item: IoItem): KeyPart[] {
  const bySegment = new Map<string, KeyPart>();
  const visit = (current: IoItem, path: IoAttribute[], stack: string[]): void => {
    for (const attribute of current.attributes) {
      if (!attribute.unique) continue;
      if (attribute.kind === 'primitive') {
        const segment = `${current.code}_${attribute.name}`;
        if (!bySegment.has(segment)) bySegment.set(segment, { segment, path: [...path, attribute] });
      } else if (attribute.kind === 'navigation' && !attribute.collection && attribute.returnItem) {
        const target = itemByCode(io, attribute.returnItem);
        if (!target) continue;
        if (stack.includes(target.code)) {
          throw new IntegrationKeyError(
            'misconfigured_attribute',
            `Circular key reference detected: [${[...stack, target.code].join(' -> ')}] through attribute [${current.code}.${attribute.name}]`,
          );
        }
        visit(target, [...path, attribute], [...stack, target.code]);
      }
    }
  };
  visit(item, [], [item.code]);
  if (bySegment.size === 0) {
    throw new IntegrationKeyError('invalid_key_definition', `There is no valid integration key defined for the current entityType [${item.code}].`);
  }
  return [...bySegment.values()].sort((a, b) => ordinalCompare(a.segment, b.segment));
}

/** The `s:Alias` of an item's integrationKey property. */
export function keyAlias(io: IntegrationObjectModel, item: IoItem): string {
  return keyParts(io, item)
    .map((p) => p.segment)
    .join('|');
}

/**
 * Java `URLEncoder.encode(value, "UTF-8")`: application/x-www-form-urlencoded, space → `+`, only
 * `A-Z a-z 0-9 . - * _` kept, every other byte `%XX` in upper case.
 */
export function javaUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Java `URLDecoder.decode(value, "UTF-8")`: `+` → space, `%XX` sequences decoded. */
export function javaUrlDecode(value: string): string {
  const plus = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    throw new IntegrationKeyError('invalid_key', `The key part [${value}] is not a valid URL-encoded value.`);
  }
}

/**
 * Java's `Double.toString`: shortest round-trip digits, always with a fraction (`4001.0`), and
 * computerized scientific notation outside [10^-3, 10^7) (`1.0E7`).
 */
export function javaDoubleToString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exponent)}`;
}

/** A key value as text (spec §2.4.2 step 3): dates as epoch millis, `null` for absent values. */
export function keyValueText(value: unknown, attribute: IoAttribute): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    const date = /^\/Date\((-?\d+)(?:[+-]\d+)?\)\/$/.exec(value);
    return date ? date[1]! : value;
  }
  if (typeof value === 'number') {
    if (attribute.edmType === 'Edm.DateTime') return String(Math.trunc(value));
    if (attribute.edmType === 'Edm.Double' || attribute.edmType === 'Edm.Single') return javaDoubleToString(value);
    return String(value);
  }
  if (value instanceof Date) return String(value.getTime());
  return String(value);
}

/**
 * Computes the integrationKey of an item. `read(attribute, from)` yields an attribute's value on an
 * entity (a stored item or a payload object); for a navigation it yields the referenced entity or null.
 */
export function integrationKeyValue<E>(io: IntegrationObjectModel, item: IoItem, entity: E, read: (attribute: IoAttribute, from: E) => unknown): string {
  return keyParts(io, item)
    .map((part) => {
      let current: unknown = entity;
      for (const attribute of part.path) {
        if (current === null || current === undefined) break;
        current = read(attribute, current as E);
      }
      return javaUrlEncode(keyValueText(current, part.path[part.path.length - 1]!));
    })
    .join('|');
}

/**
 * Splits a key literal from a URL (already percent-decoded once) into its decoded parts. Java
 * `String.split("\\|")` semantics: trailing empty parts are dropped. The part count must equal the alias.
 */
export function parseIntegrationKey(literal: string, io: IntegrationObjectModel, item: IoItem): { part: KeyPart; value: string | null }[] {
  if (literal === '') throw new IntegrationKeyError('invalid_key', `The integration key [] is invalid for entity type [${item.code}].`);
  const raw = literal.split('|');
  while (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  const parts = keyParts(io, item);
  if (raw.length !== parts.length) {
    throw new IntegrationKeyError(
      'invalid_key',
      `The integration key [${literal}] is invalid for entity type [${item.code}]: expected ${parts.length} key part(s) [${parts.map((p) => p.segment).join('|')}] but found ${raw.length}.`,
    );
  }
  return parts.map((part, i) => {
    const value = javaUrlDecode(raw[i]!);
    return { part, value: value === 'null' ? null : value };
  });
}

/**
 * Reads IO attribute values from stored items, for {@link integrationKeyValue}: primitives as stored
 * (localized ones in `language`), navigations as the referenced item.
 */
export function storedValueReader(store: { get(pk: number): { values: Readonly<Record<string, unknown>> } | undefined }, language = 'en') {
  return (attribute: IoAttribute, from: { values: Readonly<Record<string, unknown>> }): unknown => {
    const v = from.values[attribute.qualifier];
    if (attribute.kind === 'navigation') return typeof v === 'number' ? (store.get(v) ?? null) : null;
    if (attribute.localized && v && typeof v === 'object') return (v as Record<string, unknown>)[language] ?? null;
    return v ?? null;
  };
}
