/**
 * The parts of an OData V2 EDMX (`$metadata`) the adapters need: entity sets, entity types with their
 * properties (name, EDM type) and navigation properties (target type, to-one or to-many).
 *
 * SCPI's OData adapters are generated from / driven by the EDMX: the sender adapter uses it to name
 * the elements of the flow XML and to type the reply; the receiver adapter types the Atom entry it
 * sends. Namespace prefixes are dropped (Commerce uses `edmx:`, the default EDM namespace and `s:`).
 */
import { XMLParser } from 'fast-xml-parser';

export interface EdmProperty {
  name: string;
  /** e.g. `Edm.String`, `Edm.Double`, `Edm.DateTime`. */
  type: string;
}

export interface EdmNavigation {
  name: string;
  /** The target entity type's name, without namespace (e.g. `Currency`). */
  toType: string;
  /** To-many (`Multiplicity="*"` at the target end). */
  many: boolean;
}

export interface EdmEntityType {
  name: string;
  keys: string[];
  properties: EdmProperty[];
  navigations: EdmNavigation[];
}

export interface EdmModel {
  /** Schema namespace, e.g. `HybrisCommerceOData`. */
  namespace: string;
  entityTypes: ReadonlyMap<string, EdmEntityType>;
  /** Entity set name → entity type name (without namespace). */
  entitySets: ReadonlyMap<string, string>;
  /** The document as fetched (the sender endpoint serves it as its own `$metadata`). */
  xml: string;
}

export class EdmxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EdmxError';
  }
}

type Node = Record<string, unknown>;

const ARRAYS = new Set(['Schema', 'EntityType', 'Property', 'NavigationProperty', 'PropertyRef', 'Association', 'End', 'EntityContainer', 'EntitySet']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ARRAYS.has(name),
});

function list(node: Node | undefined, name: string): Node[] {
  const value = node?.[name];
  return Array.isArray(value) ? (value as Node[]) : [];
}

function attr(node: Node, name: string): string | undefined {
  const value = node[`@${name}`];
  return typeof value === 'string' ? value : undefined;
}

/** The local name of a qualified name: `HybrisCommerceOData.Order` → `Order`. */
function local(qualified: string): string {
  return qualified.slice(qualified.lastIndexOf('.') + 1);
}

/** @throws EdmxError when the text is not an EDMX document with a schema. */
export function parseEdmx(xml: string): EdmModel {
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (e) {
    throw new EdmxError(`the $metadata document is not well-formed XML: ${(e as Error).message}`);
  }
  const dataServices = (doc.Edmx as Node | undefined)?.DataServices as Node | undefined;
  const schemas = list(dataServices, 'Schema');
  if (schemas.length === 0) throw new EdmxError('the $metadata document has no edmx:Edmx/edmx:DataServices/Schema');

  const multiplicity = new Map<string, Map<string, { type: string; many: boolean }>>();
  const entityTypes = new Map<string, EdmEntityType>();
  const entitySets = new Map<string, string>();
  for (const schema of schemas) {
    for (const association of list(schema, 'Association')) {
      const ends = new Map<string, { type: string; many: boolean }>();
      for (const end of list(association, 'End')) {
        ends.set(attr(end, 'Role') ?? '', { type: local(attr(end, 'Type') ?? ''), many: attr(end, 'Multiplicity') === '*' });
      }
      multiplicity.set(attr(association, 'Name') ?? '', ends);
    }
  }
  for (const schema of schemas) {
    for (const type of list(schema, 'EntityType')) {
      const name = attr(type, 'Name');
      if (!name) throw new EdmxError('an EntityType without a Name');
      const keys = list(type.Key as Node | undefined, 'PropertyRef').map((ref) => attr(ref, 'Name') ?? '');
      const properties = list(type, 'Property').map((p): EdmProperty => ({ name: attr(p, 'Name') ?? '', type: attr(p, 'Type') ?? 'Edm.String' }));
      const navigations = list(type, 'NavigationProperty').map((n): EdmNavigation => {
        const navName = attr(n, 'Name') ?? '';
        const end = multiplicity.get(local(attr(n, 'Relationship') ?? ''))?.get(attr(n, 'ToRole') ?? '');
        if (!end) throw new EdmxError(`navigation property ${name}.${navName}: association ${attr(n, 'Relationship') ?? '?'} has no end ${attr(n, 'ToRole') ?? '?'}`);
        return { name: navName, toType: end.type, many: end.many };
      });
      entityTypes.set(name, { name, keys, properties, navigations });
    }
    for (const container of list(schema, 'EntityContainer')) {
      for (const set of list(container, 'EntitySet')) entitySets.set(attr(set, 'Name') ?? '', local(attr(set, 'EntityType') ?? ''));
    }
  }
  return { namespace: attr(schemas[0]!, 'Namespace') ?? '', entityTypes, entitySets, xml };
}

/** @throws EdmxError when the set or its type is not in the model. */
export function entityTypeOfSet(model: EdmModel, entitySet: string): EdmEntityType {
  const typeName = model.entitySets.get(entitySet);
  if (typeName === undefined) throw new EdmxError(`entity set ${entitySet} is not in the $metadata (sets: ${[...model.entitySets.keys()].join(', ')})`);
  return entityType(model, typeName);
}

/** @throws EdmxError when the type is not in the model. */
export function entityType(model: EdmModel, name: string): EdmEntityType {
  const type = model.entityTypes.get(name);
  if (!type) throw new EdmxError(`entity type ${name} is not in the $metadata`);
  return type;
}
