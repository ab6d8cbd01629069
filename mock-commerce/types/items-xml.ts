/**
 * Reads SAP Commerce `*-items.xml` files (the items.xsd format extensions ship) into plain declarations.
 * Pure: text in, declarations out. Merging declarations into one type system is `type-system.ts`'s job.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface Modifiers {
  optional?: boolean;
  unique?: boolean;
  read?: boolean;
  write?: boolean;
  initial?: boolean;
  partOf?: boolean;
  private?: boolean;
  search?: boolean;
  removable?: boolean;
  encrypted?: boolean;
}

export interface SourceRef {
  file: string;
  /** Extension name, e.g. "core"; taken from the file name `core-items.xml`. */
  extension: string;
  builtin: boolean;
}

export interface AttributeDeclaration {
  qualifier: string;
  type: string;
  redeclare: boolean;
  modifiers: Modifiers;
  defaultValue?: string;
  persistence: 'property' | 'dynamic' | 'jalo';
}

export interface ItemTypeDeclaration {
  code: string;
  extends?: string;
  abstract: boolean;
  /** false: a fragment adding attributes to a type declared elsewhere. */
  autocreate: boolean;
  attributes: AttributeDeclaration[];
  source: SourceRef;
}

export interface RelationEndDeclaration {
  qualifier?: string;
  type: string;
  cardinality: 'one' | 'many';
  collectionType: 'list' | 'set' | 'collection';
  ordered: boolean;
  modifiers: Modifiers;
}

export interface RelationDeclaration {
  code: string;
  localized: boolean;
  source: RelationEndDeclaration;
  target: RelationEndDeclaration;
  declaredIn: SourceRef;
}

export interface EnumDeclaration {
  code: string;
  dynamic: boolean;
  autocreate: boolean;
  values: string[];
  source: SourceRef;
}

export interface CollectionTypeDeclaration {
  code: string;
  elementType: string;
  kind: 'list' | 'set' | 'collection';
  source: SourceRef;
}

export interface MapTypeDeclaration {
  code: string;
  argumentType: string;
  returnType: string;
  source: SourceRef;
}

export interface AtomicTypeDeclaration {
  javaClass: string;
  extends?: string;
  source: SourceRef;
}

export interface ItemsDeclarations {
  atomicTypes: AtomicTypeDeclaration[];
  collectionTypes: CollectionTypeDeclaration[];
  mapTypes: MapTypeDeclaration[];
  enumTypes: EnumDeclaration[];
  relations: RelationDeclaration[];
  itemTypes: ItemTypeDeclaration[];
}

export class ItemsXmlError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

/** Elements that may repeat; fast-xml-parser returns a single object otherwise. */
const REPEATED = new Set([
  'atomictype',
  'collectiontype',
  'maptype',
  'enumtype',
  'value',
  'relation',
  'itemgroup',
  'itemtype',
  'attribute',
  'index',
  'key',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: true,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  // isArray is also asked about XML attributes: without the isAttribute check, a relation end's
  // `collectiontype="list"` attribute came back as an array and was read as the default 'collection'.
  isArray: (name, _jPath, _isLeaf, isAttribute) => !isAttribute && REPEATED.has(name),
});

type XmlNode = Record<string, unknown>;

function nodes(parent: unknown, name: string): XmlNode[] {
  if (!parent || typeof parent !== 'object') return [];
  const value = (parent as XmlNode)[name];
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is XmlNode => typeof v === 'object' && v !== null);
}

function child(parent: unknown, name: string): XmlNode | undefined {
  return nodes(parent, name)[0];
}

function attr(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.[name];
  return typeof v === 'string' ? v : undefined;
}

function bool(node: XmlNode | undefined, name: string): boolean | undefined {
  const v = attr(node, name);
  if (v === undefined) return undefined;
  return v.trim().toLowerCase() === 'true';
}

function readModifiers(node: XmlNode | undefined): Modifiers {
  const m = child(node, 'modifiers');
  const result: Modifiers = {};
  if (!m) return result;
  const set = (key: keyof Modifiers, xmlName: string): void => {
    const v = bool(m, xmlName);
    if (v !== undefined) result[key] = v;
  };
  set('optional', 'optional');
  set('unique', 'unique');
  set('read', 'read');
  set('write', 'write');
  set('initial', 'initial');
  set('partOf', 'partof');
  set('private', 'private');
  set('search', 'search');
  set('removable', 'removable');
  set('encrypted', 'encrypted');
  return result;
}

function text(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string') return node;
  if (typeof node === 'object' && '#text' in (node as XmlNode)) return String((node as XmlNode)['#text']);
  return undefined;
}

function readAttribute(node: XmlNode): AttributeDeclaration {
  const persistence = attr(child(node, 'persistence'), 'type');
  const defaultValue = text((node as XmlNode)['defaultvalue']);
  return {
    qualifier: attr(node, 'qualifier') ?? '',
    type: attr(node, 'type') ?? '',
    redeclare: bool(node, 'redeclare') ?? false,
    modifiers: readModifiers(node),
    ...(defaultValue !== undefined && defaultValue.trim() !== '' ? { defaultValue: defaultValue.trim() } : {}),
    persistence: persistence === 'dynamic' || persistence === 'jalo' ? persistence : 'property',
  };
}

function readRelationEnd(node: XmlNode | undefined): RelationEndDeclaration {
  const kind = attr(node, 'collectiontype');
  const qualifier = attr(node, 'qualifier');
  return {
    ...(qualifier ? { qualifier } : {}),
    type: attr(node, 'type') ?? '',
    cardinality: attr(node, 'cardinality') === 'many' ? 'many' : 'one',
    collectionType: kind === 'list' || kind === 'set' ? kind : 'collection',
    ordered: bool(node, 'ordered') ?? false,
    modifiers: readModifiers(node),
  };
}

/**
 * Line of the first `<element …>` start tag that lacks `attribute`, for messages (1 when not found).
 * Searching for the bare text `<itemtype` found `<itemtypes>` (or the first, well-formed itemtype), so the
 * error named the wrong line.
 */
function lineOfTagWithout(xml: string, element: string, attribute: string): number {
  for (const m of xml.matchAll(new RegExp(`<${element}(?=[\\s/>])[^>]*>`, 'g'))) {
    if (!new RegExp(`\\s${attribute}\\s*=`).test(m[0])) return xml.slice(0, m.index).split('\n').length;
  }
  return 1;
}

/** Line of the first occurrence of `needle` in `xml`, for messages (1 when not found). */
function lineOf(xml: string, needle: string): number {
  const at = xml.indexOf(needle);
  return at < 0 ? 1 : xml.slice(0, at).split('\n').length;
}

export function extensionOfFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/-items\.xml$/i, '').replace(/\.xml$/i, '');
}

/**
 * Parses one items.xml document. Malformed XML and declarations without a code throw an
 * {@link ItemsXmlError} naming the file and line; a half-read file is never returned.
 */
export function parseItemsXml(xml: string, file: string, options: { builtin?: boolean; extension?: string } = {}): ItemsDeclarations {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new ItemsXmlError(file, valid.err.line, valid.err.msg);
  const doc = parser.parse(xml) as XmlNode;
  // An empty or comment-only <items></items> parses as '' (not an object); it is a valid, empty file.
  if (!('items' in doc)) throw new ItemsXmlError(file, 1, 'the root element must be <items>');
  const items = child(doc, 'items') ?? {};
  const source: SourceRef = { file, extension: options.extension ?? extensionOfFile(file), builtin: options.builtin ?? false };
  const requireCode = (value: string | undefined, element: string): string => {
    if (!value) throw new ItemsXmlError(file, lineOfTagWithout(xml, element, element === 'atomictype' ? 'class' : 'code'), `<${element}> without a code`);
    return value;
  };

  const atomicTypes = nodes(child(items, 'atomictypes'), 'atomictype').map((n) => {
    const ext = attr(n, 'extends');
    return { javaClass: requireCode(attr(n, 'class'), 'atomictype'), ...(ext ? { extends: ext } : {}), source };
  });
  const collectionTypes = nodes(child(items, 'collectiontypes'), 'collectiontype').map((n): CollectionTypeDeclaration => {
    const kind = attr(n, 'type');
    return {
      code: requireCode(attr(n, 'code'), 'collectiontype'),
      elementType: attr(n, 'elementtype') ?? '',
      kind: kind === 'list' || kind === 'set' ? kind : 'collection',
      source,
    };
  });
  const mapTypes = nodes(child(items, 'maptypes'), 'maptype').map((n) => ({
    code: requireCode(attr(n, 'code'), 'maptype'),
    argumentType: attr(n, 'argumenttype') ?? '',
    returnType: attr(n, 'returntype') ?? '',
    source,
  }));
  const enumTypes = nodes(child(items, 'enumtypes'), 'enumtype').map((n) => ({
    code: requireCode(attr(n, 'code'), 'enumtype'),
    dynamic: bool(n, 'dynamic') ?? false,
    autocreate: bool(n, 'autocreate') ?? true,
    values: nodes(n, 'value').map((v) => attr(v, 'code') ?? '').filter((v) => v !== ''),
    source,
  }));
  const relations = nodes(child(items, 'relations'), 'relation').map((n) => ({
    code: requireCode(attr(n, 'code'), 'relation'),
    localized: bool(n, 'localized') ?? false,
    source: readRelationEnd(child(n, 'sourceElement')),
    target: readRelationEnd(child(n, 'targetElement')),
    declaredIn: source,
  }));
  const itemTypeNodes = child(items, 'itemtypes');
  const allItemTypeNodes = [
    ...nodes(itemTypeNodes, 'itemtype'),
    ...nodes(itemTypeNodes, 'itemgroup').flatMap((g) => nodes(g, 'itemtype')),
  ];
  const itemTypes = allItemTypeNodes.map((n) => {
    const code = requireCode(attr(n, 'code'), 'itemtype');
    const ext = attr(n, 'extends');
    return {
      code,
      ...(ext ? { extends: ext } : {}),
      abstract: bool(n, 'abstract') ?? false,
      autocreate: bool(n, 'autocreate') ?? true,
      attributes: nodes(child(n, 'attributes'), 'attribute').map((a) => {
        const decl = readAttribute(a);
        if (!decl.qualifier) throw new ItemsXmlError(file, lineOf(xml, `code="${code}"`), `an attribute of ${code} has no qualifier`);
        return decl;
      }),
      source,
    };
  });
  return { atomicTypes, collectionTypes, mapTypes, enumTypes, relations, itemTypes };
}
