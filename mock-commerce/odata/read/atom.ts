/**
 * Atom/XML documents for clients that ask for XML (spec §5.3, Olingo's Atom producers): feeds and
 * entries with `m:properties`, typed values (`m:type`, `m:null`), navigation links with `m:inline`
 * expansions, `m:count`, the `next` link, and the AtomPub service document.
 */
import { javaDoubleToString } from '../../integration-objects/integration-key.js';
import type { StoredValue } from '../../store/store.js';
import type { EdmProperty } from '../metadata.js';
import { NAMESPACE } from '../metadata.js';
import { type EntityNode, navigate } from './entities.js';
import { type JsonWriteContext, entityUrl, propertyValue } from './json.js';
import type { ExpandNode } from './query-options.js';

const NS_ATOM = 'http://www.w3.org/2005/Atom';
const NS_M = 'http://schemas.microsoft.com/ado/2007/08/dataservices/metadata';
const NS_D = 'http://schemas.microsoft.com/ado/2007/08/dataservices';
const REL_RELATED = 'http://schemas.microsoft.com/ado/2007/08/dataservices/related/';
const SCHEME = 'http://schemas.microsoft.com/ado/2007/08/dataservices/scheme';
const PROLOGUE = "<?xml version='1.0' encoding='utf-8'?>";

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A value as Olingo writes it in XML: DateTime without zone, doubles the Java way. */
export function xmlScalar(value: StoredValue | undefined, edmType: string): string | undefined {
  if (value === null || value === undefined || typeof value === 'object') return undefined;
  switch (edmType) {
    case 'Edm.DateTime': {
      // Olingo writes seconds, then only the significant digits of the fraction, and no zone.
      const iso = new Date(typeof value === 'number' ? value : Number(value)).toISOString().slice(0, -1);
      return iso.replace(/\.?0+$/, '');
    }
    case 'Edm.Double':
    case 'Edm.Single':
      return typeof value === 'number' ? javaDoubleToString(value) : String(value);
    default:
      return escapeXml(String(value));
  }
}

function propertyXml(name: string, type: string, value: string | undefined): string {
  const typeAttr = type === 'Edm.String' ? '' : ` m:type="${type}"`;
  return value === undefined ? `<d:${name}${typeAttr} m:null="true"/>` : `<d:${name}${typeAttr}>${value}</d:${name}>`;
}

function entryXml(ctx: JsonWriteContext, node: EntityNode, expand: ExpandNode, now: number, root: boolean): string {
  const url = entityUrl(ctx, node);
  const href = url.slice(ctx.serviceRoot.length + 1);
  const setName = href.slice(0, href.indexOf('('));
  const ns = root ? ` xmlns="${NS_ATOM}" xmlns:m="${NS_M}" xmlns:d="${NS_D}" xml:base="${escapeXml(ctx.serviceRoot)}/"` : '';
  const parts: string[] = [
    `<entry${ns}>`,
    `<id>${escapeXml(url)}</id>`,
    `<title type="text">${setName}</title>`,
    `<updated>${isoTime(now)}</updated>`,
    '<author><name/></author>',
    `<link href="${escapeXml(href)}" rel="edit" title="${node.type.name}"/>`,
  ];
  for (const navigation of node.type.navigations) {
    const type = navigation.many ? 'application/atom+xml;type=feed' : 'application/atom+xml;type=entry';
    const open = `<link href="${escapeXml(`${href}/${navigation.name}`)}" rel="${REL_RELATED}${navigation.name}" title="${navigation.name}" type="${type}"`;
    const child = expand.children.get(navigation.name);
    if (!child) {
      parts.push(`${open}/>`);
      continue;
    }
    const target = navigate(ctx.scope, node, navigation);
    let inline: string;
    if (Array.isArray(target)) inline = `<feed>${target.map((t) => entryXml(ctx, t, child, now, false)).join('')}</feed>`;
    else inline = target ? entryXml(ctx, target, child, now, false) : '';
    parts.push(`${open}><m:inline>${inline}</m:inline></link>`);
  }
  parts.push(`<category term="${NAMESPACE}.${node.type.name}" scheme="${SCHEME}"/>`);
  const props: string[] = [];
  for (const property of node.type.properties) {
    const value = xmlScalar(propertyValue(ctx, node, property), property.type);
    if (value === undefined && (!ctx.writeNulls || node.kind === 'localized')) continue;
    props.push(propertyXml(property.name, property.type, value));
  }
  parts.push(`<content type="application/xml"><m:properties>${props.join('')}</m:properties></content>`, '</entry>');
  return parts.join('');
}

export function atomEntryDocument(ctx: JsonWriteContext, node: EntityNode, expand: ExpandNode, now: number): string {
  return `${PROLOGUE}${entryXml(ctx, node, expand, now, true)}`;
}

export function atomFeedDocument(
  ctx: JsonWriteContext,
  feed: { setName: string; selfHref: string; nodes: EntityNode[]; expand: ExpandNode; now: number; count?: number; next?: string },
): string {
  const parts = [
    `${PROLOGUE}<feed xmlns="${NS_ATOM}" xmlns:m="${NS_M}" xmlns:d="${NS_D}" xml:base="${escapeXml(ctx.serviceRoot)}/">`,
    `<id>${escapeXml(`${ctx.serviceRoot}/${feed.selfHref}`)}</id>`,
    `<title type="text">${escapeXml(feed.setName)}</title>`,
    `<updated>${isoTime(feed.now)}</updated>`,
    '<author><name/></author>',
    `<link href="${escapeXml(feed.selfHref)}" rel="self" title="${escapeXml(feed.setName)}"/>`,
  ];
  if (feed.count !== undefined) parts.push(`<m:count>${feed.count}</m:count>`);
  for (const node of feed.nodes) parts.push(entryXml(ctx, node, feed.expand, feed.now, false));
  if (feed.next !== undefined) parts.push(`<link href="${escapeXml(feed.next)}" rel="next"/>`);
  parts.push('</feed>');
  return parts.join('');
}

export function atomPropertyDocument(property: EdmProperty, value: StoredValue | undefined): string {
  const v = xmlScalar(value, property.type);
  const typeAttr = property.type === 'Edm.String' ? '' : ` m:type="${property.type}"`;
  const body = v === undefined ? `<d:${property.name} xmlns:d="${NS_D}" xmlns:m="${NS_M}"${typeAttr} m:null="true"/>` : `<d:${property.name} xmlns:d="${NS_D}" xmlns:m="${NS_M}"${typeAttr}>${v}</d:${property.name}>`;
  return `${PROLOGUE}${body}`;
}

export function serviceDocumentXml(base: string, setNames: string[]): string {
  const collections = setNames.map((n) => `<collection href="${escapeXml(n)}"><atom:title>${escapeXml(n)}</atom:title></collection>`).join('');
  return `${PROLOGUE}<service xml:base="${escapeXml(base)}" xmlns="http://www.w3.org/2007/app" xmlns:atom="${NS_ATOM}"><workspace><atom:title>Default</atom:title>${collections}</workspace></service>`;
}
