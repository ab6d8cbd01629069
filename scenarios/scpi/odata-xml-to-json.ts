/**
 * The OData V2 sender adapter's answer: the flow's reply XML (`<Orders><Order><integrationKey>…
 * </integrationKey></Order></Orders>`, spec §3.1) as the verbose V2 JSON of the created entity that
 * Commerce receives with 201:
 *
 *   {"d":{"__metadata":{"id":…,"uri":…,"type":"HybrisCommerceOData.Order"},"integrationKey":"…"}}
 *
 * - `id`/`uri` are `{serviceRoot}{EntitySet}('{key}')` when the reply carries the key property
 *   (Olingo's key literal encoding); without it only `type` is given.
 * - Properties by EDM type as Olingo writes V2 JSON: Int16/Int32/Byte/SByte numbers, Boolean booleans,
 *   Int64/Decimal/Double/Single strings, DateTime `"\/Date(ms)\/"`, the rest strings; `xsi:nil` → null.
 *   Properties in EDMX order, then navigations (to-one an object, to-many `{"results":[…]}`).
 * - An empty reply, a reply with another root, or an element the entity type does not declare is a
 *   flow error ({@link ReplyConversionError}): the sender adapter cannot answer with it.
 */
import { type EdmEntityType, type EdmModel, entityType, entityTypeOfSet } from './edmx.js';
import { isNil, localName, parseXml, type XmlElement } from './xml.js';

export class ReplyConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplyConversionError';
  }
}

export interface ODataEntityJson {
  d: Record<string, unknown>;
}

/**
 * @param serviceRoot the endpoint's service root URL with a trailing slash.
 * @throws ReplyConversionError when the reply cannot become an entity of `entitySet`.
 */
export function replyXmlToODataJson(xml: string, model: EdmModel, entitySet: string, serviceRoot: string): ODataEntityJson {
  if (xml.trim() === '') throw new ReplyConversionError('the flow replied with an empty body; the OData sender adapter needs the created entity');
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (e) {
    throw new ReplyConversionError(`the flow's reply is not XML: ${(e as Error).message}`);
  }
  if (localName(root) !== entitySet) throw new ReplyConversionError(`the flow's reply must be <${entitySet}>…</${entitySet}>, not <${root.name}>`);
  const type = entityTypeOfSet(model, entitySet);
  const element = root.children[0];
  if (!element) throw new ReplyConversionError(`the flow's reply <${entitySet}> has no <${type.name}> entry`);
  return { d: entityJson(element, type, model, serviceRoot) };
}

function entityJson(element: XmlElement, type: EdmEntityType, model: EdmModel, serviceRoot: string): Record<string, unknown> {
  const byName = new Map<string, XmlElement[]>();
  for (const child of element.children) {
    const name = localName(child);
    if (!type.properties.some((p) => p.name === name) && !type.navigations.some((n) => n.name === name)) {
      throw new ReplyConversionError(`the flow's reply has <${name}>, which entity type ${model.namespace}.${type.name} does not declare`);
    }
    byName.set(name, [...(byName.get(name) ?? []), child]);
  }
  const out: Record<string, unknown> = { __metadata: metadata(element, type, model, serviceRoot) };
  for (const property of type.properties) {
    const value = byName.get(property.name)?.[0];
    if (value) out[property.name] = isNil(value) ? null : jsonValue(value.text, property.type);
  }
  for (const navigation of type.navigations) {
    const value = byName.get(navigation.name)?.[0];
    if (!value) continue;
    const target = entityType(model, navigation.toType);
    const entries = value.children.map((c) => entityJson(c, target, model, serviceRoot));
    out[navigation.name] = navigation.many ? { results: entries } : (entries[0] ?? null);
  }
  return out;
}

function metadata(element: XmlElement, type: EdmEntityType, model: EdmModel, serviceRoot: string): Record<string, string> {
  const typeName = `${model.namespace}.${type.name}`;
  const set = [...model.entitySets].find(([, t]) => t === type.name)?.[0];
  const keys = type.keys.map((k) => element.children.find((c) => localName(c) === k)?.text);
  if (!set || keys.length === 0 || keys.some((k) => k === undefined)) return { type: typeName };
  const literal = keys.length === 1 ? `'${keyLiteral(keys[0]!)}'` : type.keys.map((k, i) => `${k}='${keyLiteral(keys[i]!)}'`).join(',');
  const uri = `${serviceRoot}${set}(${literal})`;
  return { id: uri, uri, type: typeName };
}

/** Olingo's URI encoding of a string key: quotes doubled, then RFC 3986 unreserved and sub-delims kept. */
function keyLiteral(key: string): string {
  return encodeURIComponent(key.replace(/'/g, "''")).replace(/%(2[146789ABC]|3[ABD]|40)/g, (m) => decodeURIComponent(m));
}

function jsonValue(text: string, edmType: string): unknown {
  switch (edmType) {
    case 'Edm.Boolean':
      return text === 'true' || text === '1';
    case 'Edm.Byte':
    case 'Edm.SByte':
    case 'Edm.Int16':
    case 'Edm.Int32': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isInteger(n)) throw new ReplyConversionError(`the flow's reply has ${JSON.stringify(text)} for an ${edmType} property`);
      return n;
    }
    case 'Edm.DateTime': {
      const ms = Date.parse(/Z|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
      if (Number.isNaN(ms)) throw new ReplyConversionError(`the flow's reply has ${JSON.stringify(text)} for an Edm.DateTime property`);
      return `/Date(${ms.toString()})/`;
    }
    default:
      return text;
  }
}

/** The JSON text of an answer: dates written `"\/Date(ms)\/"`, as Olingo escapes them. */
export function stringifyODataJson(value: ODataEntityJson): string {
  return JSON.stringify(value).replace(/"\/Date\((-?\d+)\)\/"/g, '"\\/Date($1)\\/"');
}
