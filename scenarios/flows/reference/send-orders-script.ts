/**
 * SendOrders' Groovy script "Map XML Payload to JSON" (spec §3.2 step 3) as a pure function: the
 * saved order XML, the token answer and the storefront URL → the third party's order JSON.
 *
 * Reproduced as the sample does it (keys in this order):
 *   validate_data "true" (a string) · platfom (sic) "general" · utoken · email (user uid) ·
 *   customer_name (user name) · order_id (order code) · order_date (the XML date text, a full
 *   timestamp) · currency_iso · products: an object keyed by product code, each
 *   {url: storefront + "/p/" + code, name, description, price: the basePrice text, image}
 * - Entries with the same product code collapse into one key, the last entry's values winning, at the
 *   key's first position (a Groovy LinkedHashMap).
 * - Missing elements read as "" (XmlSlurper's `childText()`), so a missing description is "".
 * - image is storefront + the picture's URL, or the bare storefront URL when there is no picture URL.
 * - A token answer without `access_token` gives `"utoken":null`; one that is not JSON fails the script.
 *
 * `fixed`: `platform` spelled right, `validate_data` the boolean true, `order_date` as `YYYY-MM-DD`
 * (the date part of the UTC timestamp) — what the real service needs to create the order (spec §3.4, §5).
 */
import { child, childText, descendant, children, localName, parseXml, type XmlElement } from '../../scpi/xml.js';
import { ScriptError } from './script-error.js';

export interface OrderScriptInput {
  /** The order XML the sender adapter produced (`<Orders><Order>…`), saved as property ReceivedPayload. */
  orderXml: string;
  /** The token endpoint's answer body. */
  tokenResponse: string;
  /** Property storefrontUrl (`{{Commerce_Storefront_Url}}`). */
  storefrontUrl: string;
}

const SCRIPT = 'Map XML Payload to JSON';

export function mapOrderToThirdPartyJson(input: OrderScriptInput, options: { fixed?: boolean } = {}): string {
  const token = accessToken(input.tokenResponse);
  let root: XmlElement;
  try {
    root = parseXml(input.orderXml);
  } catch (e) {
    throw new ScriptError(SCRIPT, `the saved payload is not XML: ${(e as Error).message}`);
  }
  const order = localName(root) === 'Order' ? root : child(root, 'Order');
  const storefront = input.storefrontUrl;

  // A Map keeps insertion order for every key; a plain object would move numeric codes ("300938") first.
  const products = new Map<string, string>();
  for (const entry of children(descendant(order, 'entries') ?? emptyElement, 'OrderEntry')) {
    const product = descendant(entry, 'product', 'Product');
    const code = childText(product, 'code');
    const pictureUrl = childText(descendant(product, 'picture', 'Media'), 'URL');
    products.set(
      code,
      jsonObject([
        ['url', JSON.stringify(`${storefront}/p/${code}`)],
        ['name', JSON.stringify(childText(product, 'name'))],
        ['description', JSON.stringify(childText(product, 'description'))],
        ['price', JSON.stringify(childText(entry, 'basePrice'))],
        ['image', JSON.stringify(pictureUrl ? storefront + pictureUrl : storefront)],
      ]),
    );
  }
  const date = childText(order, 'date');
  return jsonObject([
    ['validate_data', options.fixed ? 'true' : JSON.stringify('true')],
    [options.fixed ? 'platform' : 'platfom', JSON.stringify('general')],
    ['utoken', JSON.stringify(token ?? null)],
    ['email', JSON.stringify(childText(descendant(order, 'user', 'User'), 'uid'))],
    ['customer_name', JSON.stringify(childText(descendant(order, 'user', 'User'), 'name'))],
    ['order_id', JSON.stringify(childText(order, 'code'))],
    ['order_date', JSON.stringify(options.fixed ? dateOnly(date) : date)],
    ['currency_iso', JSON.stringify(childText(descendant(order, 'currency', 'Currency'), 'isocode'))],
    ['products', jsonObject([...products])],
  ]);
}

function accessToken(body: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    throw new ScriptError(SCRIPT, `the token answer is not JSON: ${(e as Error).message}`);
  }
  const token = (json as { access_token?: unknown } | null)?.access_token;
  return token === undefined || token === null ? undefined : String(token);
}

const emptyElement: XmlElement = { name: '', attributes: {}, children: [], text: '' };



/** `2019-10-22T13:27:19.000` → `2019-10-22`; other text unchanged. */
function dateOnly(timestamp: string): string {
  return /^\d{4}-\d{2}-\d{2}/.exec(timestamp)?.[0] ?? timestamp;
}

/** A JSON object from [key, JSON text] pairs, in this order. */
function jsonObject(members: [string, string][]): string {
  return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}
