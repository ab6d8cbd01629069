/**
 * What the OData V2 receiver adapter POSTs for a Create on an entity set: the flow XML
 * `<Products><Product>…</Product></Products>` (one entry, no batch) as one Atom entry (spec §4.3):
 *
 *   <entry xmlns="http://www.w3.org/2005/Atom" xmlns:m="…/metadata" xmlns:d="…/dataservices">
 *     <link rel="…/related/catalogVersion" type="application/atom+xml;type=entry" title="catalogVersion">
 *       <m:inline><entry>…</entry></m:inline></link>
 *     <content type="application/xml"><m:properties><d:code>…</d:code>
 *       <d:reviewRating m:type="Edm.Double">…</d:reviewRating>…</m:properties></content></entry>
 *
 * - An element with child elements is a navigation property (declared in the EDMX): to-one an inline
 *   entry, to-many an inline feed of one entry per child element.
 * - Other elements are properties, in the order the flow wrote them, typed from the EDMX: `m:type` for
 *   every type but Edm.String; the text goes as it is (the flow's `5.0` stays `5.0`). `xsi:nil="true"`,
 *   and an empty element of a non-string type, become `m:null="true"`.
 * - An element the entity type does not declare fails the call before anything is sent (the adapter
 *   cannot type it), unless `dropUndeclared` is set: then it is left out.
 */
import { type EdmEntityType, type EdmModel, entityType, entityTypeOfSet } from './edmx.js';
import { escapeXml, isNil, localName, parseXml, type XmlElement } from './xml.js';

export const ATOM_NS = 'http://www.w3.org/2005/Atom';
export const METADATA_NS = 'http://schemas.microsoft.com/ado/2007/08/dataservices/metadata';
export const DATA_NS = 'http://schemas.microsoft.com/ado/2007/08/dataservices';
const RELATED = 'http://schemas.microsoft.com/ado/2007/08/dataservices/related/';

export class AtomConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AtomConversionError';
  }
}

export interface AtomOptions {
  /** Leave out elements the entity type does not declare instead of failing. */
  dropUndeclared?: boolean;
}

/** @throws AtomConversionError when the XML is not one entry of `entitySet` that fits the EDMX. */
export function flowXmlToAtomEntry(xml: string, model: EdmModel, entitySet: string, options: AtomOptions = {}): string {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (e) {
    throw new AtomConversionError(`the message body is not XML: ${(e as Error).message}`);
  }
  if (localName(root) !== entitySet) throw new AtomConversionError(`the message body must be <${entitySet}>…</${entitySet}> for a Create on ${entitySet}, not <${root.name}>`);
  const type = entityTypeOfSet(model, entitySet);
  if (root.children.length !== 1) {
    throw new AtomConversionError(`<${entitySet}> must hold exactly one <${type.name}> (batch processing is off), found ${root.children.length.toString()}`);
  }
  return `<entry xmlns="${ATOM_NS}" xmlns:m="${METADATA_NS}" xmlns:d="${DATA_NS}">${entryBody(root.children[0]!, type, model, options)}</entry>`;
}

function entryBody(element: XmlElement, type: EdmEntityType, model: EdmModel, options: AtomOptions): string {
  let links = '';
  let properties = '';
  for (const child of element.children) {
    const name = localName(child);
    const navigation = type.navigations.find((n) => n.name === name);
    const property = type.properties.find((p) => p.name === name);
    if (child.children.length > 0 || navigation) {
      if (!navigation) {
        if (options.dropUndeclared) continue;
        throw new AtomConversionError(`<${name}> is not a navigation property of ${model.namespace}.${type.name}`);
      }
      const target = entityType(model, navigation.toType);
      const entries = child.children.map((c) => `<entry>${entryBody(c, target, model, options)}</entry>`);
      const inline = navigation.many ? `<feed>${entries.join('')}</feed>` : (entries[0] ?? '');
      links += `<link rel="${RELATED}${name}" type="application/atom+xml;type=${navigation.many ? 'feed' : 'entry'}" title="${name}"><m:inline>${inline}</m:inline></link>`;
      continue;
    }
    if (!property) {
      if (options.dropUndeclared) continue;
      throw new AtomConversionError(`<${name}> is not a property of ${model.namespace}.${type.name} (properties: ${type.properties.map((p) => p.name).join(', ')})`);
    }
    const typeAttribute = property.type === 'Edm.String' ? '' : ` m:type="${property.type}"`;
    if (isNil(child) || (child.text === '' && property.type !== 'Edm.String')) properties += `<d:${name}${typeAttribute} m:null="true"/>`;
    else properties += `<d:${name}${typeAttribute}>${escapeXml(child.text)}</d:${name}>`;
  }
  return `${links}<content type="application/xml"><m:properties>${properties}</m:properties></content>`;
}
