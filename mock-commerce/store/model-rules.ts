/**
 * What Commerce's model service does on every save, whoever saves (ImpEx, the OData API, generators):
 * default values on creation and the mandatory-attribute check. One place, so every writer agrees.
 */
import { evaluateDefault } from '../impex/atomic-values.js';
import type { AttributeDescriptor, TypeSystem } from '../types/type-system.js';
import type { StoredValue } from './store.js';

/** The items.xml default values of a type that the sandbox can evaluate (atomic and enum ones). */
export function defaultValues(ts: TypeSystem, typeCode: string): Record<string, StoredValue> {
  const out: Record<string, StoredValue> = {};
  for (const a of ts.attributes(typeCode)) {
    if (a.defaultValue === undefined || a.persistence !== 'property') continue;
    const javaClass = a.shape.kind === 'atomic' ? a.shape.javaClass : undefined;
    const v = evaluateDefault(a.defaultValue, javaClass);
    if (v !== undefined && (a.shape.kind === 'atomic' || a.shape.kind === 'enum')) out[a.qualifier] = v;
  }
  return out;
}

/** Java primitives are never null in Commerce (they default to false/0), so they are never "missing". */
function isPrimitiveTyped(a: AttributeDescriptor): boolean {
  return /^(boolean|int|long|double|float|short|byte|char)$/.test(a.typeCode);
}

/**
 * Mandatory attributes without a value (MandatoryAttributesValidator). Not counted: private attributes the
 * platform derives (Product.catalog), system-managed ones (pk, itemtype), primitives, defaulted ones.
 */
export function mandatoryAttributes(ts: TypeSystem, typeCode: string): string[] {
  return ts
    .attributes(typeCode)
    .filter((a) => !a.optional && a.persistence === 'property' && !a.private && !isPrimitiveTyped(a) && a.defaultValue === undefined)
    .filter((a) => a.writable || a.initial)
    .map((a) => a.qualifier);
}

export function missingMandatory(ts: TypeSystem, typeCode: string, values: Readonly<Record<string, StoredValue>>): string[] {
  return mandatoryAttributes(ts, typeCode).filter((q) => values[q] === undefined || values[q] === null);
}
