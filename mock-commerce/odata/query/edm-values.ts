/**
 * EDM typing of filter operands and how values compare: Olingo's operand type check for binary operators
 * (`FilterParserImpl.initAvailTables` + `EdmSimpleType.isCompatible`), the coercion of a literal to the
 * type of the property it is compared with, and comparison per value domain.
 */
import type { EdmPrimitive } from '../../integration-objects/model.js';
import { ordinalCompare } from '../../integration-objects/integration-key.js';
import type { Literal } from './tokenizer.js';

/** `Edm.*` / `System.*` simple types, or an entity type `HybrisCommerceOData.{Item}`. */
export type OperandType = string;

const INTEGERS_8 = ['System.Bit', 'System.Uint7'];
const INT16_ACCEPTS = [...INTEGERS_8, 'Edm.Byte', 'Edm.SByte', 'Edm.Int16'];
const INT32_ACCEPTS = [...INT16_ACCEPTS, 'Edm.Int32'];
const INT64_ACCEPTS = [...INT32_ACCEPTS, 'Edm.Int64'];
const SINGLE_ACCEPTS = [...INT64_ACCEPTS, 'Edm.Single'];
const DOUBLE_ACCEPTS = [...SINGLE_ACCEPTS, 'Edm.Double'];

/** `T.isCompatible(actual)`: the actual types a parameter of type T accepts by promotion (itself included). */
const ACCEPTS: Record<string, ReadonlySet<string>> = {
  'Edm.Boolean': new Set(['Edm.Boolean', 'System.Bit']),
  'Edm.SByte': new Set([...INTEGERS_8, 'Edm.SByte']),
  'Edm.Byte': new Set([...INTEGERS_8, 'Edm.Byte']),
  'Edm.Int16': new Set(INT16_ACCEPTS),
  'Edm.Int32': new Set(INT32_ACCEPTS),
  'Edm.Int64': new Set(INT64_ACCEPTS),
  'Edm.Single': new Set(SINGLE_ACCEPTS),
  'Edm.Double': new Set(DOUBLE_ACCEPTS),
  'Edm.Decimal': new Set([...DOUBLE_ACCEPTS, 'Edm.Decimal']),
  'Edm.String': new Set(['Edm.String']),
  'Edm.DateTime': new Set(['Edm.DateTime']),
  'Edm.DateTimeOffset': new Set(['Edm.DateTimeOffset']),
  'Edm.Guid': new Set(['Edm.Guid']),
  'Edm.Time': new Set(['Edm.Time']),
  'Edm.Binary': new Set(['Edm.Binary']),
};

const RELATIONAL = [
  'Edm.String',
  'Edm.Time',
  'Edm.DateTime',
  'Edm.DateTimeOffset',
  'Edm.Guid',
  'Edm.SByte',
  'Edm.Byte',
  'Edm.Int16',
  'Edm.Int32',
  'Edm.Int64',
  'Edm.Single',
  'Edm.Double',
  'Edm.Decimal',
  'Edm.Binary',
];
const EQUALITY = ['Edm.Boolean', ...RELATIONAL];
const CONDITIONAL = ['Edm.Boolean'];

export type BinaryOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'and' | 'or';

export function isEntityType(type: OperandType): boolean {
  return type.startsWith('HybrisCommerceOData.');
}

function fits(parameter: string, actual: OperandType): boolean {
  return ACCEPTS[parameter]?.has(actual) ?? false;
}

/**
 * Whether Olingo accepts `left op right`: some parameter type of the operator takes both operands (by
 * equality or promotion), or one of them is `null`; an entity compares only with `null` by eq/ne.
 */
export function operandTypesValid(operator: BinaryOperator, left: OperandType, right: OperandType): boolean {
  const key = `${operator} ${left} ${right}`;
  let valid = validity.get(key);
  if (valid === undefined) {
    valid = checkOperandTypes(operator, left, right);
    if (validity.size < 4096) validity.set(key, valid);
  }
  return valid;
}

const validity = new Map<string, boolean>();

function checkOperandTypes(operator: BinaryOperator, left: OperandType, right: OperandType): boolean {
  const equality = operator === 'eq' || operator === 'ne';
  if (equality && ((isEntityType(left) && right === 'Edm.Null') || (left === 'Edm.Null' && isEntityType(right)))) return true;
  const parameters = equality ? EQUALITY : operator === 'and' || operator === 'or' ? CONDITIONAL : RELATIONAL;
  return parameters.some(
    (t) => (fits(t, left) && fits(t, right)) || (fits(t, left) && right === 'Edm.Null') || (left === 'Edm.Null' && fits(t, right)),
  );
}

/**
 * How a property's values compare: `exact` = Int64/Decimal as decimal strings compared numerically
 * without rounding; `reference` = a navigation, only tested for null.
 */
export type Domain = 'string' | 'number' | 'exact' | 'boolean' | 'datetime' | 'reference';

export type ComparableValue = string | number | boolean | null;

export function domainOf(edmType: EdmPrimitive): Domain {
  switch (edmType) {
    case 'Edm.String':
      return 'string';
    case 'Edm.Boolean':
      return 'boolean';
    case 'Edm.Int64':
    case 'Edm.Decimal':
      return 'exact';
    case 'Edm.DateTime':
      return 'datetime';
    default:
      return 'number';
  }
}

const NON_FINITE: Record<string, number> = { INF: Infinity, '-INF': -Infinity, NaN: NaN };

/**
 * The literal as a value of `domain` (the literal already passed {@link operandTypesValid}). A non-finite
 * `INF`/`NaN` literal moves an exact comparison into the number domain.
 */
export function coerceLiteral(literal: Literal, domain: Domain): { domain: Domain; value: ComparableValue } {
  const v = literal.value;
  if (v === null) return { domain, value: null };
  switch (domain) {
    case 'string':
      return { domain, value: String(v) };
    case 'boolean':
      return { domain, value: typeof v === 'boolean' ? v : v === '1' };
    case 'datetime':
      return { domain, value: typeof v === 'number' ? v : Number(v) };
    case 'exact':
      if (typeof v === 'string' && v in NON_FINITE) return { domain: 'number', value: NON_FINITE[v]! };
      return { domain, value: String(v) };
    case 'number':
      return { domain, value: typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v]! : Number(v) };
    case 'reference':
      return { domain, value: null };
  }
}

/** A stored value seen in `domain` (null for absent values). */
export function toDomain(raw: unknown, domain: Domain): ComparableValue {
  if (raw === null || raw === undefined || typeof raw === 'object') return null;
  switch (domain) {
    case 'string':
      return String(raw);
    case 'number':
      return typeof raw === 'number' ? raw : Number(raw);
    case 'exact':
      return typeof raw === 'string' ? raw : String(raw);
    case 'boolean':
      return typeof raw === 'boolean' ? raw : raw === 'true' || raw === 1;
    case 'datetime': {
      if (typeof raw === 'number') return raw;
      const json = /^\/Date\((-?\d+)\)\/$/.exec(String(raw));
      return json ? Number(json[1]) : Number(raw);
    }
    case 'reference':
      return String(raw);
  }
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
}

/** Compares two non-null values of one domain: negative, 0, positive, or NaN when incomparable. */
export function compareIn(domain: Domain, a: ComparableValue, b: ComparableValue): number {
  switch (domain) {
    case 'string':
    case 'reference':
      return ordinalCompare(String(a), String(b));
    case 'exact':
      return compareExact(String(a), String(b));
    case 'boolean':
      return a === b ? 0 : a === false ? -1 : 1;
    default:
      return compareNumbers(Number(a), Number(b));
  }
}

interface ExactNumber {
  /** Unscaled value (sign included). */
  unscaled: bigint;
  /** Value = unscaled × 10^-scale. */
  scale: number;
}

const EXACT = /^\s*([+-])?([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]{1,9}))?\s*$/;
/** Beyond this difference in scale, aligning the two numbers is not worth the bigint arithmetic. */
const MAX_SCALE_GAP = 2000;

function parseExact(text: string): ExactNumber | undefined {
  const m = EXACT.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const fraction = m[3] ?? '';
  const digits = BigInt(`${m[2] || '0'}${fraction}`);
  return { unscaled: m[1] === '-' ? -digits : digits, scale: fraction.length - Number(m[4] ?? 0) };
}

/** Numeric comparison of two decimal strings (Java `BigDecimal.compareTo`): `10.330` equals `10.33`. */
export function compareExact(a: string, b: string): number {
  const x = parseExact(a);
  const y = parseExact(b);
  if (!x || !y || Math.abs(x.scale - y.scale) > MAX_SCALE_GAP) return compareNumbers(Number(a), Number(b));
  let ux = x.unscaled;
  let uy = y.unscaled;
  if (x.scale < y.scale) ux *= 10n ** BigInt(y.scale - x.scale);
  else if (y.scale < x.scale) uy *= 10n ** BigInt(x.scale - y.scale);
  return ux < uy ? -1 : ux > uy ? 1 : 0;
}
