/**
 * `$metadata`: the EDMX document Commerce generates for an integration object (spec §3).
 *
 * Pure: integration-object model in, EDMX text out. The schema is first built as a small EDM model
 * (entity types, associations, sets) that the read/write layers can reuse, then serialised on one line
 * with Olingo's single-quoted prologue, as Commerce serves it.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { keyAlias } from '../integration-objects/integration-key.js';
import type { IntegrationObjectModel, IoAttribute, IoItem } from '../integration-objects/model.js';
import { itemByCode } from '../integration-objects/model.js';
import { pluralize } from './pluralize.js';

export const NAMESPACE = 'HybrisCommerceOData';
export const LOCALIZED_PREFIX = 'Localized___';

export interface EdmProperty {
  name: string;
  type: string;
  nullable: boolean;
  unique?: boolean;
  languageDependent?: boolean;
  alias?: string;
}

export interface EdmNavigation {
  name: string;
  relationship: string;
  fromRole: string;
  toRole: string;
  toEntityType: string;
  nullable: boolean;
  unique?: boolean;
  partOf?: boolean;
  autoCreate?: boolean;
  many: boolean;
  /** The IO attribute behind it; undefined for `localizedAttributes`. */
  attribute?: IoAttribute;
}

export interface EdmEntityType {
  name: string;
  key: string;
  properties: EdmProperty[];
  navigations: EdmNavigation[];
  /** The IO item, for item entity types (not for Localized___, primitive-collection and map types). */
  item?: IoItem;
}

export interface EdmAssociation {
  name: string;
  ends: [{ type: string; role: string; multiplicity: string }, { type: string; role: string; multiplicity: string }];
}

export interface EdmSchema {
  entityTypes: EdmEntityType[];
  associations: EdmAssociation[];
  entitySets: { name: string; entityType: string }[];
  associationSets: { name: string; association: string; ends: [{ entitySet: string; role: string }, { entitySet: string; role: string }] }[];
}

/** Java class → simple name used for primitive-collection entity types (`java.lang.String` → `String`). */
function simpleClassName(javaClass: string): string {
  return javaClass.slice(javaClass.lastIndexOf('.') + 1);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Builds the EDM schema of an IO, optionally restricted to one item and what it references. */
export function buildSchema(io: IntegrationObjectModel, onlyItem?: string): EdmSchema {
  const items = onlyItem ? reachableItems(io, onlyItem) : io.items;
  const entityTypes: EdmEntityType[] = [];
  const associations: EdmAssociation[] = [];
  const extraTypes = new Map<string, EdmEntityType>();

  for (const item of items) {
    const properties: EdmProperty[] = [];
    const navigations: EdmNavigation[] = [];
    const localized: EdmProperty[] = [];
    for (const a of item.attributes) {
      if (a.kind === 'primitive') {
        const p: EdmProperty = {
          name: a.name,
          type: a.edmType ?? 'Edm.String',
          nullable: a.nullable,
          ...(a.localized ? { languageDependent: true } : a.unique ? { unique: true } : {}),
        };
        properties.push(p);
        if (a.localized) localized.push({ ...p });
        continue;
      }
      const fk = `FK_${item.code}_${a.name}`;
      let toEntityType: string;
      let toRole: string;
      if (a.kind === 'primitiveCollection') {
        toEntityType = simpleClassName(a.javaClass ?? 'java.lang.String');
        toRole = a.javaClass ?? 'java.lang.String';
        if (!extraTypes.has(toEntityType)) {
          extraTypes.set(toEntityType, {
            name: toEntityType,
            key: 'value',
            properties: [{ name: 'value', type: a.edmType ?? 'Edm.String', nullable: false }],
            navigations: [],
          });
        }
      } else if (a.kind === 'map') {
        toEntityType = a.mapType ?? 'Map';
        toRole = toEntityType;
        if (!extraTypes.has(toEntityType)) {
          extraTypes.set(toEntityType, {
            name: toEntityType,
            key: 'key',
            properties: [
              { name: 'key', type: edmOfClass(a.mapKeyJavaClass), nullable: false, unique: true },
              { name: 'value', type: edmOfClass(a.mapValueJavaClass), nullable: true },
            ],
            navigations: [],
          });
        }
      } else {
        toEntityType = a.returnItem ?? '';
        // A self-reference gets the capitalised attribute name as role, to keep the two roles distinct.
        toRole = toEntityType === item.code ? capitalise(a.name) : toEntityType;
      }
      navigations.push({
        name: a.name,
        relationship: `${NAMESPACE}.${fk}`,
        fromRole: item.code,
        toRole,
        toEntityType,
        nullable: a.nullable,
        ...(a.unique ? { unique: true } : {}),
        ...(a.partOf ? { partOf: true } : {}),
        ...(a.autoCreate ? { autoCreate: true } : {}),
        many: a.collection,
        attribute: a,
      });
      associations.push({
        name: fk,
        ends: [
          { type: `${NAMESPACE}.${item.code}`, role: item.code, multiplicity: a.collection ? sourceMultiplicity(io, item, a) : '0..1' },
          { type: `${NAMESPACE}.${toEntityType}`, role: toRole, multiplicity: a.collection ? '*' : '0..1' },
        ],
      });
    }
    properties.splice(properties.length, 0, {
      name: 'integrationKey',
      type: 'Edm.String',
      nullable: false,
      alias: keyAlias(io, item),
    });
    entityTypes.push({ name: item.code, key: 'integrationKey', properties, navigations, item });
    if (localized.length > 0) {
      const locName = `${LOCALIZED_PREFIX}${item.code}`;
      navigations.push({
        name: 'localizedAttributes',
        relationship: `${NAMESPACE}.FK_${item.code}_localizedAttributes`,
        fromRole: item.code,
        toRole: locName,
        toEntityType: locName,
        nullable: true,
        many: true,
      });
      associations.push({
        name: `FK_${item.code}_localizedAttributes`,
        ends: [
          { type: `${NAMESPACE}.${item.code}`, role: item.code, multiplicity: '1' },
          { type: `${NAMESPACE}.${locName}`, role: locName, multiplicity: '*' },
        ],
      });
      entityTypes.push({
        name: locName,
        key: 'language',
        properties: [...localized, { name: 'language', type: 'Edm.String', nullable: false }],
        navigations: [],
      });
    }
  }
  entityTypes.push(...extraTypes.values());

  const setOf = (typeName: string): string => pluralize(typeName);
  const entitySets = entityTypes.map((t) => ({ name: setOf(t.name), entityType: `${NAMESPACE}.${t.name}` }));
  const associationSets = entityTypes.flatMap((t) =>
    t.navigations.map((n) => ({
      name: `${t.name}_${setOf(n.toEntityType)}`,
      association: n.relationship,
      ends: [
        { entitySet: setOf(t.name), role: n.fromRole },
        { entitySet: setOf(n.toEntityType), role: n.toRole },
      ] as [{ entitySet: string; role: string }, { entitySet: string; role: string }],
    })),
  );
  return { entityTypes, associations, entitySets, associationSets };
}

function edmOfClass(javaClass: string | undefined): string {
  switch (javaClass) {
    case 'java.lang.Boolean':
      return 'Edm.Boolean';
    case 'java.lang.Integer':
      return 'Edm.Int32';
    case 'java.lang.Long':
      return 'Edm.Int64';
    case 'java.lang.Double':
      return 'Edm.Double';
    case 'java.util.Date':
      return 'Edm.DateTime';
    default:
      return 'Edm.String';
  }
}

/**
 * Multiplicity of the owning end of a collection navigation: the reverse attribute's when the target IO
 * item models it (`*` for a collection, `0..1` if nullable, `1` if not), else `0..1` (spec §3.6).
 */
function sourceMultiplicity(io: IntegrationObjectModel, item: IoItem, a: IoAttribute): string {
  const relation = a.descriptor?.relation;
  if (!relation?.otherQualifier || a.kind !== 'navigation' || !a.returnItem) return '0..1';
  const target = itemByCode(io, a.returnItem);
  const reverse = target?.attributes.find(
    (r) => r.qualifier === relation.otherQualifier && r.descriptor?.relation?.relation === relation.relation && r.returnItem === item.code,
  );
  if (!reverse) return '0..1';
  if (reverse.collection) return '*';
  return reverse.nullable ? '0..1' : '1';
}

/** The item and every item reachable from it through navigation properties. */
function reachableItems(io: IntegrationObjectModel, code: string): IoItem[] {
  const seen = new Set<string>();
  const visit = (c: string): void => {
    if (seen.has(c)) return;
    const item = itemByCode(io, c);
    if (!item) return;
    seen.add(c);
    for (const a of item.attributes) if (a.kind === 'navigation' && a.returnItem) visit(a.returnItem);
  };
  visit(code);
  return io.items.filter((i) => seen.has(i.code));
}

// ---- serialisation ------------------------------------------------------------------------------

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
  format: false,
});

type XmlObject = Record<string, unknown>;

function propertyXml(p: EdmProperty): XmlObject {
  const o: XmlObject = { '@_Name': p.name, '@_Type': p.type };
  if (p.alias !== undefined) {
    o['@_Nullable'] = String(p.nullable);
    o['@_s:Alias'] = p.alias;
    return o;
  }
  if (p.languageDependent) o['@_s:IsLanguageDependent'] = 'true';
  else if (p.unique) o['@_s:IsUnique'] = 'true';
  o['@_Nullable'] = String(p.nullable);
  return o;
}

function navigationXml(n: EdmNavigation): XmlObject {
  const o: XmlObject = { '@_Name': n.name, '@_Relationship': n.relationship, '@_FromRole': n.fromRole, '@_ToRole': n.toRole };
  if (n.unique) o['@_s:IsUnique'] = 'true';
  o['@_Nullable'] = String(n.nullable);
  if (n.partOf) o['@_s:IsPartOf'] = 'true';
  if (n.autoCreate) o['@_s:IsAutoCreate'] = 'true';
  return o;
}

/** Serialises the schema exactly as Commerce (Olingo's XMLStreamWriter) emits it: one line, no indentation. */
export function serialiseEdmx(schema: EdmSchema): string {
  const doc = {
    'edmx:Edmx': {
      '@_xmlns:edmx': 'http://schemas.microsoft.com/ado/2007/06/edmx',
      '@_Version': '1.0',
      'edmx:DataServices': {
        '@_m:DataServiceVersion': '1.0',
        '@_xmlns:m': 'http://schemas.microsoft.com/ado/2007/08/dataservices/metadata',
        Schema: {
          '@_Namespace': NAMESPACE,
          '@_xmlns': 'http://schemas.microsoft.com/ado/2008/09/edm',
          '@_s:schema-version': '1',
          '@_xmlns:s': 'http://schemas.sap.com/commerce',
          EntityType: schema.entityTypes.map((t) => ({
            '@_Name': t.name,
            Key: { PropertyRef: { '@_Name': t.key } },
            ...(t.properties.length ? { Property: t.properties.map(propertyXml) } : {}),
            ...(t.navigations.length ? { NavigationProperty: t.navigations.map(navigationXml) } : {}),
          })),
          ...(schema.associations.length
            ? {
                Association: schema.associations.map((a) => ({
                  '@_Name': a.name,
                  End: a.ends.map((e) => ({ '@_Type': e.type, '@_Multiplicity': e.multiplicity, '@_Role': e.role })),
                })),
              }
            : {}),
          EntityContainer: {
            '@_Name': 'Container',
            '@_m:IsDefaultEntityContainer': 'true',
            ...(schema.entitySets.length ? { EntitySet: schema.entitySets.map((s) => ({ '@_Name': s.name, '@_EntityType': s.entityType })) } : {}),
            ...(schema.associationSets.length
              ? {
                  AssociationSet: schema.associationSets.map((s) => ({
                    '@_Name': s.name,
                    '@_Association': s.association,
                    End: s.ends.map((e) => ({ '@_EntitySet': e.entitySet, '@_Role': e.role })),
                  })),
                }
              : {}),
          },
        },
      },
    },
  };
  return `<?xml version='1.0' encoding='UTF-8'?>${builder.build(doc) as string}`;
}
