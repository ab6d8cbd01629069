/**
 * Structural XML comparison: elements with their attributes, children compared as a multiset (sibling
 * order free), attribute values exact. Built on fast-xml-parser's ordered output.
 */
import { XMLParser } from 'fast-xml-parser';

export interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
}

export function el(name: string, attrs: Record<string, string> = {}, children: El[] = []): El {
  return { name, attrs, children };
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, ignoreDeclaration: true });

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

function convert(nodes: Ordered[]): El[] {
  const out: El[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (!name || name === '#text') continue;
    out.push({ name, attrs: { ...(node[':@'] ?? {}) }, children: convert(node[name] as Ordered[]) });
  }
  return out;
}

export function parseXml(xml: string): El {
  const roots = convert(parser.parse(xml) as Ordered[]);
  if (roots.length !== 1) throw new Error(`expected one root element, found ${roots.length}`);
  return roots[0]!;
}

/** A canonical form: attributes sorted, children sorted by their own canonical text. */
export function canonical(e: El): unknown {
  const attrs = Object.fromEntries(Object.entries(e.attrs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const children = e.children.map(canonical).sort((a, b) => {
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return { [e.name]: attrs, ...(children.length ? { children } : {}) };
}
