/**
 * The mapping script of the "with data transformation" variants (catalogue 2 and 3, which have no SAP
 * sample): Commerce's order XML → a small order JSON of the kind a third-party order API takes:
 *
 *   {"order_id":…,"email":…,"currency":…,"total":…,"lines":[{"sku":…,"qty":…,"price":…}]}
 *
 * - order_id = order code, email = user uid, currency = currency isocode (missing → "").
 * - lines: one per OrderEntry, in order: sku = product code, qty = the entry's `quantity` when the
 *   integration object carries it (the demo's `Orders` does not), price = basePrice as a number (null
 *   when missing or not a number).
 * - total = Σ price × (qty or 1) over lines with a price, rounded to 10 fraction digits against binary
 *   noise; left out when no line has a price.
 */
import { child, childText, descendant, children, localName, parseXml, type XmlElement } from '../../scpi/xml.js';
import { ScriptError } from './script-error.js';

export interface OrderSummaryLine {
  sku: string;
  qty?: number;
  price: number | null;
}

export interface OrderSummary {
  order_id: string;
  email: string;
  currency: string;
  total?: number;
  lines: OrderSummaryLine[];
}

export function summarizeOrder(orderXml: string): OrderSummary {
  let root: XmlElement;
  try {
    root = parseXml(orderXml);
  } catch (e) {
    throw new ScriptError('Map Order To Target JSON', `the order is not XML: ${(e as Error).message}`);
  }
  const order = localName(root) === 'Order' ? root : child(root, 'Order');
  const lines = children(descendant(order, 'entries') ?? root, 'OrderEntry').map((entry): OrderSummaryLine => {
    const qty = number(childText(entry, 'quantity'));
    return { sku: childText(descendant(entry, 'product', 'Product'), 'code'), ...(qty !== null ? { qty } : {}), price: number(childText(entry, 'basePrice')) };
  });
  const priced = lines.filter((l) => l.price !== null);
  const total = priced.reduce((sum, l) => sum + l.price! * (l.qty ?? 1), 0);
  return {
    order_id: childText(order, 'code'),
    email: childText(descendant(order, 'user', 'User'), 'uid'),
    currency: childText(descendant(order, 'currency', 'Currency'), 'isocode'),
    ...(priced.length > 0 ? { total: Number(total.toFixed(10)) } : {}),
    lines,
  };
}



function number(text: string): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}
