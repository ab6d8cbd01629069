/**
 * Atom/XML request bodies of writes: the `<entry>` documents OData V2 clients (notably SAP Cloud
 * Integration's OData V2 receiver adapter) POST/PATCH, turned into the same plain payload the JSON path
 * produces, so one persistence engine handles both (spec §6.1, §14.1).
 *
 * Behaviour follows Olingo 2's Atom consumer (`XmlEntryConsumer`, `XmlPropertyConsumer`, the
 * `EdmSimpleType`s) where Commerce relies on it:
 * - Namespaces are resolved by URI: Atom, metadata (`m`) and data (`d`) may use any prefixes.
 * - The root must be an Atom `<entry>`; a bare `<m:properties>` root is refused (Olingo refuses it too).
 *   Properties are read from `<content><m:properties>` and also from `<m:properties>` directly under
 *   `<entry>` (media-link-entry style, which Olingo only allows for media types; accepted here).
 * - Property elements are those in the data namespace; elements of other namespaces inside
 *   `<m:properties>` are skipped, elements in no namespace are refused. A property given twice is refused.
 * - `m:null="true"` is null (the element must then be empty); `m:null` other than `true`/`false` is refused.
 * - The EDM type of the property in the entity type decides the conversion; `m:type` is not consulted
 *   (Olingo ignores it for simple properties). Literals are not trimmed. Results use the JSON path's
 *   forms: Edm.String text as is; Edm.Boolean `true`/`1`/`false`/`0`; SByte/Byte/Int16/Int32 numbers;
 *   Int64 and Decimal exact decimal strings (canonical: no `+`, no leading zeros); Double/Single numbers
 *   (Olingo's digit limits; `INF`, `-INF`, `NaN` accepted as ±Infinity/NaN like Olingo); Edm.DateTime
 *   `yyyy-mm-ddThh:mm[:ss[.fffffffff]]`, read as UTC, at most millisecond precision, no `Z`/offset
 *   (Olingo's V2 DateTime literal has none) → `/Date(<ms>)/` (proleptic Gregorian; Java's calendar would
 *   be Julian before 1582-10-15). Other EDM types stay text.
 * - Properties the entity type does not declare are kept as text (the engine answers `invalid_property`).
 * - Navigation: `<link rel=".../related/{nav}"><m:inline>…</m:inline></link>`. For a declared navigation
 *   the multiplicity decides what the inline content must be: to-one an `<entry>` (→ nested payload) or
 *   nothing (→ null); to-many a `<feed>` of entries (→ array) or nothing (→ [], Olingo's empty feed).
 *   For an undeclared navigation the content decides (entry → payload, feed → array, empty → null) and
 *   its entries are read without a type (all properties text), so the engine can answer for the name.
 *   The link's `type` and `href` attributes are not checked. Links without `<m:inline>` (deferred links,
 *   `href` bindings such as `Catalogs('Default')`) and links with other `rel`s are ignored: Commerce's
 *   persistence only uses inline content.
 * - Atom metadata elements (`id`, `title`, `author`, `updated`, …) and foreign elements in `<entry>` are
 *   ignored; text where only elements belong is refused.
 * - Safety: the document is validated before parsing; a DOCTYPE is ignored as by Olingo's StAX reader
 *   (`SUPPORT_DTD=false`): its entities are never registered, so a reference to anything but the five XML
 *   entities and character references is refused — no entity expansion. More than
 *   {@link MAX_XML_DEPTH} nested elements are refused.
 *
 * Every refusal is Commerce's 400 `odata_error`.
 */
import { XMLParser } from 'fast-xml-parser';
import type { EdmEntityType, EdmProperty, EdmSchema } from '../metadata.js';
import { malformed, type Payload, type PayloadValue } from './payload.js';

export type { Payload, PayloadValue } from './payload.js';

export const ATOM_NS = 'http://www.w3.org/2005/Atom';
export const METADATA_NS = 'http://schemas.microsoft.com/ado/2007/08/dataservices/metadata';
export const DATA_NS = 'http://schemas.microsoft.com/ado/2007/08/dataservices';
export const RELATED_REL = 'http://schemas.microsoft.com/ado/2007/08/dataservices/related/';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Deepest element nesting accepted (the root element is level 1). */
export const MAX_XML_DEPTH = 100;

// ---- XML parsing (fast-xml-parser) ----------------------------------------------------------------

/** A thrown-away marker: any failure inside the XML parser becomes one `odata_error`. */
class XmlInputError extends Error {}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Every `&`: a complete reference (groups 1–3), or nothing matched, which is refused. */
const REFERENCE = /&(?:#x([0-9a-fA-F]+);|#([0-9]+);|([A-Za-z_][\w.-]*);)?/g;

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/**
 * Entity handling for text and attribute values (never CDATA): the five predefined entities and
 * character references. DOCTYPE entities are dropped, so references to them fail like undeclared ones.
 */
const entityDecoder = {
  setExternalEntities: (): void => {},
  addInputEntities: (): void => {},
  reset: (): void => {},
  setXmlVersion: (): void => {},
  decode(text: string): string {
    if (!text.includes('&')) return text;
    return text.replace(REFERENCE, (_m, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
      if (hex === undefined && dec === undefined && name === undefined) throw new XmlInputError('not a reference');
      if (name !== undefined) {
        const v = PREDEFINED[name];
        if (v === undefined) throw new XmlInputError(`undeclared entity ${name}`);
        return v;
      }
      const cp = hex !== undefined ? parseInt(hex, 16) : parseInt(dec!, 10);
      if (!isXmlChar(cp)) throw new XmlInputError('invalid character reference');
      return String.fromCodePoint(cp);
    });
  },
};

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
  entityDecoder,
  // The parser refuses an opening tag deeper than maxNestedTags + 1.
  maxNestedTags: MAX_XML_DEPTH - 1,
});

/** fast-xml-parser's ordered node: `{ [tagName]: children, ':@'?: attributes }` or `{ '#text': text }`. */
type RawNode = Record<string, unknown>;

const TEXT = '#text';
const ATTRIBUTES = ':@';

type Scope = ReadonlyMap<string, string>;
const ROOT_SCOPE: Scope = new Map([['xml', XML_NS]]);

interface Attribute {
  ns: string | undefined;
  local: string;
  value: string;
}

interface Element {
  ns: string | undefined;
  local: string;
  attributes: Attribute[];
  children: RawNode[];
  scope: Scope;
  depth: number;
}

function splitName(qname: string): { prefix: string | undefined; local: string } {
  const colon = qname.indexOf(':');
  if (colon < 0) return { prefix: undefined, local: qname };
  const prefix = qname.slice(0, colon);
  const local = qname.slice(colon + 1);
  if (!prefix || !local || local.includes(':')) throw malformed();
  return { prefix, local };
}

/** The element of a raw node (namespace declarations applied), or undefined for a text node. */
function toElement(node: RawNode, parentScope: Scope, depth: number): Element | undefined {
  if (depth > MAX_XML_DEPTH) throw malformed();
  let qname: string | undefined;
  for (const key of Object.keys(node)) {
    if (key !== ATTRIBUTES) {
      qname = key;
      break;
    }
  }
  if (qname === undefined || qname === TEXT) return undefined;
  const children = node[qname];
  const rawAttributes = (node[ATTRIBUTES] ?? {}) as Record<string, unknown>;

  let scope = parentScope;
  const plain: [string, string][] = [];
  for (const [name, raw] of Object.entries(rawAttributes)) {
    const value = String(raw);
    if (name === 'xmlns') {
      scope = withBinding(scope, parentScope, '', value);
    } else if (name.startsWith('xmlns:')) {
      const prefix = name.slice(6);
      if (!value || prefix === 'xmlns' || (prefix === 'xml') !== (value === XML_NS)) throw malformed();
      scope = withBinding(scope, parentScope, prefix, value);
    } else {
      plain.push([name, value]);
    }
  }
  const { prefix, local } = splitName(qname);
  const ns = resolvePrefix(scope, prefix ?? '', prefix !== undefined);
  const attributes = plain.map(([name, value]): Attribute => {
    const a = splitName(name);
    // Unprefixed attributes are in no namespace.
    return { ns: a.prefix === undefined ? undefined : resolvePrefix(scope, a.prefix, true), local: a.local, value };
  });
  return { ns, local, attributes, children: Array.isArray(children) ? (children as RawNode[]) : [], scope, depth };
}

function withBinding(scope: Scope, parentScope: Scope, prefix: string, uri: string): Scope {
  const next = scope === parentScope ? new Map(parentScope) : (scope as Map<string, string>);
  if (uri === '') next.delete(prefix);
  else next.set(prefix, uri);
  return next;
}

function resolvePrefix(scope: Scope, prefix: string, required: boolean): string | undefined {
  if (prefix === 'xmlns') return XMLNS_NS;
  const uri = scope.get(prefix);
  // An undeclared prefix makes the document not namespace-well-formed.
  if (uri === undefined && required) throw malformed();
  return uri;
}

function textOf(node: RawNode): string | undefined {
  return TEXT in node ? String(node[TEXT]) : undefined;
}

const WHITESPACE = /^[ \t\r\n]*$/;

/** The child elements of a structural element; text other than whitespace is refused there. */
function childElements(parent: Element): Element[] {
  const out: Element[] = [];
  for (const node of parent.children) {
    const el = toElement(node, parent.scope, parent.depth + 1);
    if (el) out.push(el);
    else if (!WHITESPACE.test(textOf(node) ?? '')) throw malformed();
  }
  return out;
}

/** The text of a simple property element; child elements are refused (StAX `getElementText`). */
function elementText(el: Element): string {
  let text = '';
  for (const node of el.children) {
    const t = textOf(node);
    if (t === undefined) throw malformed();
    text += t;
  }
  return text;
}

function attribute(el: Element, ns: string | undefined, local: string): string | undefined {
  return el.attributes.find((a) => a.ns === ns && a.local === local)?.value;
}

function is(el: Element, ns: string, local: string): boolean {
  return el.ns === ns && el.local === local;
}

// ---- entries --------------------------------------------------------------------------------------

/**
 * Parses an Atom `<entry>` request body into the payload the JSON path produces.
 * @throws ODataRequestError 400 `odata_error` for anything that is not a well-formed, fitting entry.
 */
export function parseAtomEntry(xml: string, type: EdmEntityType, schema: EdmSchema): Payload {
  const source = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  // The validator lets text after a self-closing root through; a document ends with a tag, comment or PI.
  if (!source.trimEnd().endsWith('>')) throw malformed();
  let nodes: RawNode[];
  try {
    nodes = parser.parse(source, true) as RawNode[];
  } catch {
    throw malformed();
  }
  const roots: Element[] = [];
  for (const node of Array.isArray(nodes) ? nodes : []) {
    const el = toElement(node, ROOT_SCOPE, 1);
    if (el) roots.push(el);
    else if (!WHITESPACE.test(textOf(node) ?? '')) throw malformed();
  }
  const root = roots[0];
  if (roots.length !== 1 || !root || !is(root, ATOM_NS, 'entry')) throw malformed();
  return new EntryReader(schema).entry(root, type);
}

class EntryReader {
  private readonly propertiesByType = new Map<EdmEntityType, Map<string, EdmProperty>>();

  constructor(private readonly schema: EdmSchema) {}

  /** Reads an entry with its entity type, or untyped (every property text) when the type is unknown. */
  entry(entry: Element, type: EdmEntityType | undefined): Payload {
    const payload: Payload = {};
    for (const child of childElements(entry)) {
      if (is(child, ATOM_NS, 'content')) this.content(child, type, payload);
      else if (is(child, METADATA_NS, 'properties')) this.properties(child, type, payload);
      else if (is(child, ATOM_NS, 'link')) this.link(child, type, payload);
      // Atom metadata (id, title, updated, author, category, summary, …) and foreign elements: ignored.
    }
    return payload;
  }

  private content(content: Element, type: EdmEntityType | undefined, payload: Payload): void {
    const children = childElements(content);
    if (children.length === 0) return;
    const properties = children[0]!;
    if (children.length > 1 || !is(properties, METADATA_NS, 'properties')) throw malformed();
    this.properties(properties, type, payload);
  }

  private properties(properties: Element, type: EdmEntityType | undefined, payload: Payload): void {
    const declared = type ? this.propertyMap(type) : undefined;
    for (const el of childElements(properties)) {
      if (el.ns === undefined) throw malformed();
      if (el.ns !== DATA_NS) continue;
      const isNull = attribute(el, METADATA_NS, 'null');
      if (isNull !== undefined && isNull !== 'true' && isNull !== 'false') throw malformed();
      let value: PayloadValue;
      if (isNull === 'true') {
        if (!WHITESPACE.test(elementText(el))) throw malformed();
        value = null;
      } else {
        const text = elementText(el);
        const property = declared?.get(el.local);
        value = property ? convertLiteral(property.type, text) : text;
      }
      setMember(payload, el.local, value);
    }
  }

  private link(link: Element, type: EdmEntityType | undefined, payload: Payload): void {
    const rel = attribute(link, undefined, 'rel');
    if (rel === undefined || !rel.startsWith(RELATED_REL)) return;
    const children = childElements(link);
    // A link without inline content (deferred, or an href binding) carries nothing Commerce persists.
    if (children.length === 0) return;
    const inline = children[0]!;
    if (children.length > 1 || !is(inline, METADATA_NS, 'inline')) throw malformed();

    const name = rel.slice(RELATED_REL.length);
    if (!name) throw malformed();
    const navigation = type?.navigations.find((n) => n.name === name);
    const target = navigation ? this.schema.entityTypes.find((t) => t.name === navigation.toEntityType) : undefined;

    const content = childElements(inline);
    let value: PayloadValue;
    if (content.length === 0) {
      value = navigation?.many ? [] : null;
    } else {
      const single = content[0]!;
      if (content.length > 1) throw malformed();
      const many = navigation ? navigation.many : is(single, ATOM_NS, 'feed');
      if (many) {
        if (!is(single, ATOM_NS, 'feed')) throw malformed();
        value = childElements(single)
          .filter((e) => is(e, ATOM_NS, 'entry'))
          .map((e) => this.entry(e, target));
      } else {
        if (!is(single, ATOM_NS, 'entry')) throw malformed();
        value = this.entry(single, target);
      }
    }
    setMember(payload, name, value);
  }

  private propertyMap(type: EdmEntityType): Map<string, EdmProperty> {
    let map = this.propertiesByType.get(type);
    if (!map) {
      map = new Map(type.properties.map((p) => [p.name, p]));
      this.propertiesByType.set(type, map);
    }
    return map;
  }
}

/** Adds a member as an own property (also `__proto__`); a name given twice is refused. */
function setMember(payload: Payload, name: string, value: PayloadValue): void {
  if (Object.prototype.hasOwnProperty.call(payload, name)) throw malformed();
  Object.defineProperty(payload, name, { value, enumerable: true, writable: true, configurable: true });
}

// ---- literals (Olingo's EdmSimpleType.valueOfString, literal kind DEFAULT) ----------------------------

const INTEGER = /^[+-]?[0-9]+$/;
const DECIMAL = /^([+-]?)([0-9]+)(?:\.([0-9]+))?$/;
const DOUBLE = /^[+-]?[0-9]{1,17}(?:\.[0-9]{1,17})?(?:[eE][+-]?[0-9]{1,3})?$/;
const SINGLE = /^[+-]?[0-9]{1,7}(?:\.[0-9]{1,7})?(?:[eE][+-]?[0-9]{1,2})?$/;
const DATETIME = /^([0-9]{1,4})-([0-9]{1,2})-([0-9]{1,2})T([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})(?:\.([0-9]+))?)?$/;
const INTEGER_RANGE: Record<string, [number, number]> = {
  'Edm.Byte': [0, 255],
  'Edm.SByte': [-128, 127],
  'Edm.Int16': [-32768, 32767],
  'Edm.Int32': [-2147483648, 2147483647],
};
const NON_FINITE: Record<string, number> = { INF: Infinity, '-INF': -Infinity, NaN: NaN };

/** The payload value of a property literal of `edmType`; an invalid literal is `odata_error`. */
export function convertLiteral(edmType: string, text: string): PayloadValue {
  switch (edmType) {
    case 'Edm.String':
      return text;
    case 'Edm.Boolean':
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      throw malformed();
    case 'Edm.Byte':
    case 'Edm.SByte':
    case 'Edm.Int16':
    case 'Edm.Int32': {
      const [min, max] = INTEGER_RANGE[edmType]!;
      const n = INTEGER.test(text) ? Number(text) : NaN;
      if (!(n >= min && n <= max)) throw malformed();
      return n === 0 ? 0 : n;
    }
    case 'Edm.Int64': {
      if (!INTEGER.test(text)) throw malformed();
      const n = BigInt(text);
      if (n < -(2n ** 63n) || n >= 2n ** 63n) throw malformed();
      return n.toString();
    }
    case 'Edm.Decimal':
      return decimal(text);
    case 'Edm.Double':
    case 'Edm.Single': {
      if (text in NON_FINITE) return NON_FINITE[text]!;
      if (!(edmType === 'Edm.Double' ? DOUBLE : SINGLE).test(text)) throw malformed();
      const n = Number(text);
      if (!Number.isFinite(edmType === 'Edm.Double' ? n : Math.fround(n))) throw malformed();
      return n;
    }
    case 'Edm.DateTime':
      return `/Date(${dateTimeMillis(text)})/`;
    default:
      return text;
  }
}

function decimal(text: string): string {
  const m = DECIMAL.exec(text);
  if (!m) throw malformed();
  const integer = m[2]!.replace(/^0+(?=[0-9])/, '');
  const fraction = m[3];
  const zero = /^0+$/.test(integer) && (fraction === undefined || /^0+$/.test(fraction));
  return `${m[1] === '-' && !zero ? '-' : ''}${integer}${fraction === undefined ? '' : `.${fraction}`}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Epoch millis of an Edm.DateTime literal, read as UTC (Olingo: a GMT calendar, non-lenient). */
function dateTimeMillis(text: string): number {
  const m = DATETIME.exec(text);
  if (!m) throw malformed();
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  let millis = 0;
  const fraction = m[7];
  if (fraction !== undefined) {
    // Up to nine digits (nanoseconds), of which only milliseconds may be non-zero.
    if (fraction.length > 9 || /[1-9]/.test(fraction.slice(3))) throw malformed();
    millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw malformed();
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime();
}
