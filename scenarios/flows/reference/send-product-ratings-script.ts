/**
 * SendProductRatings' Groovy scripts (spec §4.2, §4.3) as pure functions.
 *
 * Numbers keep their JSON text throughout (the scripts use JsonSlurper, which reads decimals as
 * BigDecimal): a `product_score` of `5.0` is sent to Commerce as `5.0`, `4.55769` as `4.55769`, `5` as `5`.
 */
import { JsonNumber, type SlurpedJson, slurpJson, toJsonText } from '../../scpi/json-slurper.js';
import { escapeXml } from '../../scpi/xml.js';
import { ScriptError } from './script-error.js';

/** "page = page + 1": the property starts as the string "0" and becomes the number 1, 2, … */
export function nextPage(page: unknown): number {
  const n = typeof page === 'number' ? page : Number.parseInt(String(page), 10);
  if (!Number.isInteger(n)) throw new ScriptError('Retrieve Product Ratings', `property page is not an integer: ${JSON.stringify(page)}`);
  return n + 1;
}

/** "since_date": yesterday as `yyyy-MM-dd` in the runtime's time zone, UTC. */
export function sinceDate(now: number): string {
  return new Date(now - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

export interface PageCheck {
  numberOfProducts: number;
  /** The whole `response` object as JSON text (property `products`); absent for an empty page. */
  products?: string;
}

/** "numberOfProducts = response.bottomlines.size()"; a body that is not JSON or has no list fails. */
export function checkProductRatingsPage(body: string): PageCheck {
  const script = 'Check Product Ratings';
  let json: SlurpedJson;
  try {
    json = slurpJson(body);
  } catch (e) {
    throw new ScriptError(script, `the third party's answer is not JSON: ${(e as Error).message}`);
  }
  const response = member(json, 'response');
  const lines = member(response, 'bottomlines');
  if (!Array.isArray(lines)) throw new ScriptError(script, "the third party's answer has no response.bottomlines list");
  if (lines.length === 0) return { numberOfProducts: 0 };
  return { numberOfProducts: lines.length, products: toJsonText(response!) };
}

export interface BottomLine {
  domain_key: string;
  /** The score as written in the JSON. */
  product_score: string;
  total_reviews: string;
}

/** `bottomlines[index]` of the `products` property, its values as text (missing → ""). */
export function bottomLineAt(products: string, index: number): BottomLine {
  const lines = member(slurpJson(products), 'bottomlines');
  const line = Array.isArray(lines) ? lines[index] : undefined;
  if (line === undefined) throw new ScriptError('Import Product Rating', `no bottom line ${index.toString()} in property products`);
  return { domain_key: text(member(line, 'domain_key')), product_score: text(member(line, 'product_score')), total_reviews: text(member(line, 'total_reviews')) };
}

/** The §4.3 message for one bottom line, in the sample's element order. */
export function productRatingXml(line: BottomLine, catalogId: string): string {
  return (
    `<Products><Product><code>${escapeXml(line.domain_key)}</code><reviewRating>${escapeXml(line.product_score)}</reviewRating>` +
    `<reviewCount>${escapeXml(line.total_reviews)}</reviewCount><catalogVersion><CatalogVersion><catalog><Catalog><id>${escapeXml(catalogId)}</id>` +
    `</Catalog></catalog><version>Online</version></CatalogVersion></catalogVersion></Product></Products>`
  );
}

/** The review service's site-wide score, listed among the products (spec §5); `fixed` does not import it. */
export const SITE_REVIEWS_KEY = 'yotpo_site_reviews';

function member(value: SlurpedJson | undefined, name: string): SlurpedJson | undefined {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value) || value instanceof JsonNumber) return undefined;
  return value[name];
}

function text(value: SlurpedJson | undefined): string {
  if (value === undefined || value === null) return '';
  if (value instanceof JsonNumber) return value.text;
  return typeof value === 'object' ? toJsonText(value) : String(value);
}
