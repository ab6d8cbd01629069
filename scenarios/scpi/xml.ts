/**
 * The flow's XML, as scripts and adapters see it: elements with their attributes, child elements and
 * text. Flow XML here is data-centric (no mixed content), so an element's text is the concatenation of
 * its direct text nodes. Parsing keeps text exactly (no trimming, no number conversion): `5.0` stays
 * `5.0`.
 */
import { XMLParser } from 'fast-xml-parser';

export interface XmlElement {
  /** The qualified name as written (`Order`, `d:code`). */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
});

type RawNode = Record<string, unknown>;

/** The root element of `xml`. @throws XmlError for text that is not one well-formed element. */
export function parseXml(xml: string): XmlElement {
  let nodes: RawNode[];
  try {
    nodes = parser.parse(xml, true) as RawNode[];
  } catch (e) {
    throw new XmlError(`not well-formed XML: ${(e as Error).message}`);
  }
  const roots = nodes.map(toElement).filter((e): e is XmlElement => e !== undefined);
  if (roots.length !== 1) throw new XmlError(roots.length === 0 ? 'no XML element in the message body' : 'more than one root element in the message body');
  return roots[0]!;
}

function toElement(node: RawNode): XmlElement | undefined {
  const name = Object.keys(node).find((key) => key !== ':@');
  if (name === undefined || name === '#text' || name === '#comment') return undefined;
  const rawChildren = Array.isArray(node[name]) ? (node[name] as RawNode[]) : [];
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries((node[':@'] ?? {}) as Record<string, unknown>)) attributes[key] = String(value);
  const children: XmlElement[] = [];
  let text = '';
  for (const child of rawChildren) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const element = toElement(child);
      if (element) children.push(element);
    }
  }
  return { name, attributes, children, text };
}

/** The name without its prefix. */
export function localName(element: XmlElement): string {
  return element.name.slice(element.name.indexOf(':') + 1);
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => localName(c) === name);
}

export function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => localName(c) === name);
}

/** `xsi:nil="true"` (any prefix). */
/** The element at a path of child names below `element`, or undefined. */
export function descendant(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) current = current ? child(current, name) : undefined;
  return current;
}

/** XmlSlurper's `text()` of a child: its text, "" when it is missing. */
export function childText(element: XmlElement | undefined, name: string): string {
  return (element && child(element, name)?.text) ?? '';
}

export function isNil(element: XmlElement): boolean {
  return Object.entries(element.attributes).some(([key, value]) => (key === 'nil' || key.endsWith(':nil')) && value === 'true');
}

/**
 * The text of the first element on an absolute path such as `/Orders/Order/integrationKey` (the
 * XPath subset content modifiers use here), or undefined when there is none.
 */
export function textAtPath(root: XmlElement, path: string): string | undefined {
  const steps = path.split('/').filter((s) => s !== '');
  if (steps[0] !== localName(root)) return undefined;
  let current: XmlElement | undefined = root;
  for (const step of steps.slice(1)) {
    current = current ? child(current, step) : undefined;
  }
  return current?.text;
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes text for element content and double-quoted attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => TEXT_ESCAPES[c]!);
}
