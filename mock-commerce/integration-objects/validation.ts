/**
 * Integration-object validation at the two moments Commerce does it:
 * - when IO definition items are saved (validate interceptors: reserved attribute names, single root);
 *   these make an ImpEx row fail with file and line;
 * - when `$metadata` is generated (schema errors of spec §3.8: missing key, unique collection, localized
 *   key, circular key, autoCreate to an abstract type, unmappable types).
 */
import type { SaveValidator } from '../impex/import.js';
import type { ItemStore } from '../store/store.js';
import { IntegrationKeyError, keyParts } from './integration-key.js';
import type { IntegrationObjectModel } from './model.js';
import { itemByCode } from './model.js';

export const RESERVED_ATTRIBUTE_NAMES = ['integrationKey', 'localizedAttributes'];

/** IntegrationObjectItemReservedAttributeNameValidatorInterceptor. */
export const reservedAttributeNames: SaveValidator = ({ typeCode, values, store }) => {
  if (!store.typeSystem.isSubtypeOf(typeCode, 'AbstractIntegrationObjectItemAttribute') && typeCode !== 'IntegrationObjectItemAttribute') return undefined;
  const name = values.attributeName;
  if (typeof name === 'string' && RESERVED_ATTRIBUTE_NAMES.includes(name)) {
    return `Attribute name [${name}] is reserved and cannot be used as an integration object item attribute name; reserved names are ${RESERVED_ATTRIBUTE_NAMES.join(', ')}`;
  }
  return undefined;
};

/** SingleRootItemConstraintViolationException: at most one item with root=true per integration object. */
export const singleRootItem: SaveValidator = ({ typeCode, pk, values, store }) => {
  if (typeCode !== 'IntegrationObjectItem' || values.root !== true) return undefined;
  const io = values.integrationObject;
  if (typeof io !== 'number') return undefined;
  const otherRoots = store.find('IntegrationObjectItem', { integrationObject: io, root: true }).filter((i) => i.pk !== pk);
  if (otherRoots.length === 0) return undefined;
  const ioCode = store.get(io)?.values.code;
  const codes = [...otherRoots.map((i) => String(i.values.code)), String(values.code)];
  return `Integration object [${String(ioCode)}] can have only one root item, but [${codes.join(', ')}] are marked as root`;
};

export const integrationObjectValidators: SaveValidator[] = [reservedAttributeNames, singleRootItem];

export type SchemaErrorCode = 'invalid_key_definition' | 'invalid_property_definition' | 'misconfigured_attribute' | 'schema_generation_error';

export class SchemaError extends Error {
  constructor(
    readonly code: SchemaErrorCode,
    message: string,
  ) {
    super(message);
  }
  get status(): number {
    return this.code === 'schema_generation_error' ? 500 : 400;
  }
}

/** Checks an integration object the way EDMX generation does; throws the first {@link SchemaError}. */
export function validateSchema(io: IntegrationObjectModel, store: ItemStore): void {
  const ts = store.typeSystem;
  for (const item of io.items) {
    if (!ts.hasComposedType(item.typeCode)) {
      throw new SchemaError('schema_generation_error', `Type [${item.typeCode}] of item [${item.code}] does not exist in the type system.`);
    }
    for (const attribute of item.attributes) {
      const where = `${item.code}.${attribute.name}`;
      if (attribute.unique && attribute.localized) {
        throw new SchemaError('misconfigured_attribute', `Cannot generate unique property for localized attribute [${where}]`);
      }
      if (attribute.unique && attribute.collection) {
        throw new SchemaError('invalid_property_definition', `Cannot generate unique navigation property for collections [${where}]`);
      }
      if (attribute.returnItem && !itemByCode(io, attribute.returnItem)) {
        throw new SchemaError('invalid_property_definition', `Return item [${attribute.returnItem}] of attribute [${where}] is not part of the integration object.`);
      }
      if (attribute.kind === 'navigation' && attribute.autoCreate && attribute.returnItem) {
        const target = itemByCode(io, attribute.returnItem);
        if (target && ts.composedType(target.typeCode)?.abstract) {
          throw new SchemaError(
            'invalid_property_definition',
            `Attribute [${where}] is autoCreate or partOf, but its type [${target.typeCode}] is abstract and cannot be created.`,
          );
        }
      }
      if (attribute.problem) {
        const code: SchemaErrorCode = attribute.problem.startsWith("Can't map") ? 'schema_generation_error' : 'invalid_property_definition';
        throw new SchemaError(code, attribute.problem);
      }
    }
    try {
      keyParts(io, item);
    } catch (e) {
      if (e instanceof IntegrationKeyError) throw new SchemaError(e.code === 'invalid_key' ? 'invalid_key_definition' : e.code, e.message);
      throw e;
    }
  }
}
