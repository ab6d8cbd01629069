/** The flows' mapping scripts as pure functions (spec §3.2 step 3, §4.2, §4.3; the variants' summary). */
import { describe, expect, it } from 'vitest';
import { mapOrderToThirdPartyJson } from '../../../scenarios/flows/reference/send-orders-script.js';
import { bottomLineAt, checkProductRatingsPage, nextPage, productRatingXml, sinceDate } from '../../../scenarios/flows/reference/send-product-ratings-script.js';
import { summarizeOrder } from '../../../scenarios/flows/reference/order-summary-script.js';
import { ScriptError } from '../../../scenarios/flows/reference/script-error.js';
import { ORDER_XML, STOREFRONT, T0, VERIFIED_SEND_ORDERS_OUTPUT } from './helpers.js';

const TOKEN = '{"access_token":"TOKEN123","token_type":"bearer"}';

function order(entries: string, extra = ''): string {
  return `<Orders><Order><code>00001002</code><date>2020-02-10T16:13:12.100</date>${extra}<entries>${entries}</entries></Order></Orders>`;
}

function entry(code: string, price: string, more = ''): string {
  return `<OrderEntry><basePrice>${price}</basePrice><product><Product><code>${code}</code><name>${code} name</name>${more}</Product></product></OrderEntry>`;
}

describe('SendOrders: Map XML Payload to JSON', () => {
  it('builds exactly the verified output of spec §3.2 for the example order', () => {
    expect(mapOrderToThirdPartyJson({ orderXml: ORDER_XML, tokenResponse: TOKEN, storefrontUrl: STOREFRONT })).toBe(VERIFIED_SEND_ORDERS_OUTPUT);
  });

  it('fixed: platform spelled right, validate_data the boolean, order_date a date', () => {
    const fixed = mapOrderToThirdPartyJson({ orderXml: ORDER_XML, tokenResponse: TOKEN, storefrontUrl: STOREFRONT }, { fixed: true });
    expect(fixed).toBe(
      VERIFIED_SEND_ORDERS_OUTPUT.replace('"validate_data":"true","platfom"', '"validate_data":true,"platform"').replace('"order_date":"2019-10-22T13:27:19.000"', '"order_date":"2019-10-22"'),
    );
  });

  it('collapses entries of the same product: the last one wins, at the first position; numeric codes keep their order', () => {
    const json = mapOrderToThirdPartyJson({ orderXml: order(entry('900', '1.0') + entry('P-9', '2.0') + entry('900', '3.5')), tokenResponse: TOKEN, storefrontUrl: STOREFRONT });
    expect(json).toContain('"products":{"900":{"url":"https://shop.example.com/p/900","name":"900 name","description":"","price":"3.5","image":"https://shop.example.com"},"P-9":');
    expect(Object.keys((JSON.parse(json) as { products: object }).products)).toEqual(['900', 'P-9']);
  });

  it('reads missing elements as "" and a token answer without access_token as null; refuses a token answer that is not JSON', () => {
    const json = JSON.parse(mapOrderToThirdPartyJson({ orderXml: '<Orders><Order/></Orders>', tokenResponse: '{}', storefrontUrl: STOREFRONT })) as Record<string, unknown>;
    expect(json).toEqual({ validate_data: 'true', platfom: 'general', utoken: null, email: '', customer_name: '', order_id: '', order_date: '', currency_iso: '', products: {} });
    expect(() => mapOrderToThirdPartyJson({ orderXml: ORDER_XML, tokenResponse: '<html>', storefrontUrl: STOREFRONT })).toThrow(/script Map XML Payload to JSON: the token answer is not JSON/);
    expect(() => mapOrderToThirdPartyJson({ orderXml: 'x', tokenResponse: TOKEN, storefrontUrl: STOREFRONT })).toThrow(ScriptError);
  });
});

describe('SendProductRatings scripts', () => {
  it('page = page + 1 turns the string "0" into the number 1; since_date is yesterday in UTC', () => {
    expect(nextPage('0')).toBe(1);
    expect(nextPage(1)).toBe(2);
    expect(() => nextPage('x')).toThrow(/property page is not an integer/);
    expect(sinceDate(T0)).toBe('2026-01-04');
    expect(sinceDate(Date.UTC(2026, 2, 1, 0, 0, 0))).toBe('2026-02-28');
  });

  it('builds exactly the §4.3 XML per product, with the score as written in the JSON', () => {
    const body = '{"status":{"code":200},"response":{"bottomlines":[{"domain_key":"P-1","product_score":4.55769,"total_reviews":28},{"domain_key":"P-2","product_score":5.0,"total_reviews":3},{"domain_key":"P-3","product_score":5,"total_reviews":1}],"page":"1"}}';
    const page = checkProductRatingsPage(body);
    expect(page.numberOfProducts).toBe(3);
    const xml = [0, 1, 2].map((i) => productRatingXml(bottomLineAt(page.products!, i), 'sandboxProductCatalog'));
    const expected = (code: string, score: string, count: string) =>
      `<Products><Product><code>${code}</code><reviewRating>${score}</reviewRating><reviewCount>${count}</reviewCount><catalogVersion><CatalogVersion><catalog><Catalog><id>sandboxProductCatalog</id></Catalog></catalog><version>Online</version></CatalogVersion></catalogVersion></Product></Products>`;
    expect(xml).toEqual([expected('P-1', '4.55769', '28'), expected('P-2', '5.0', '3'), expected('P-3', '5', '1')]);
  });

  it('keeps the whole response as the products property; an empty page has none', () => {
    expect(checkProductRatingsPage('{"response":{"bottomlines":[{"domain_key":"a","product_score":5.0}],"page":"2"}}')).toEqual({
      numberOfProducts: 1,
      products: '{"bottomlines":[{"domain_key":"a","product_score":5.0}],"page":"2"}',
    });
    expect(checkProductRatingsPage('{"response":{"bottomlines":[]}}')).toEqual({ numberOfProducts: 0 });
  });

  it('fails on a body that is not JSON or has no bottom lines', () => {
    expect(() => checkProductRatingsPage('<html>busy</html>')).toThrow(/script Check Product Ratings: the third party's answer is not JSON/);
    expect(() => checkProductRatingsPage('{"status":{"code":500}}')).toThrow(/no response.bottomlines list/);
  });

  it('escapes XML and reads missing values as ""', () => {
    expect(productRatingXml(bottomLineAt('{"bottomlines":[{"domain_key":"A&B"}]}', 0), 'c<1')).toBe(
      '<Products><Product><code>A&amp;B</code><reviewRating></reviewRating><reviewCount></reviewCount><catalogVersion><CatalogVersion><catalog><Catalog><id>c&lt;1</id></Catalog></catalog><version>Online</version></CatalogVersion></catalogVersion></Product></Products>',
    );
    expect(() => bottomLineAt('{"bottomlines":[]}', 0)).toThrow(/no bottom line 0/);
  });
});

describe('variants: order summary', () => {
  it('maps the order to {order_id, email, currency, total, lines}', () => {
    expect(summarizeOrder(ORDER_XML)).toEqual({
      order_id: '00001001',
      email: 'jane@example.com',
      currency: 'USD',
      total: 104.5,
      lines: [
        { sku: 'P-1', price: 99.5 },
        { sku: 'P-2', price: 5 },
      ],
    });
  });

  it('multiplies by quantity when the IO carries it, rounds binary noise, and leaves total out without prices', () => {
    const summary = summarizeOrder(order(entry('A', '0.1', '') .replace('<basePrice>', '<quantity>3</quantity><basePrice>') + entry('B', '0.2')));
    expect(summary.lines).toEqual([
      { sku: 'A', qty: 3, price: 0.1 },
      { sku: 'B', price: 0.2 },
    ]);
    expect(summary.total).toBe(0.5);
    expect(summarizeOrder(order(entry('A', ''))).total).toBeUndefined();
    expect(summarizeOrder(order(entry('A', 'n/a'))).lines).toEqual([{ sku: 'A', price: null }]);
  });
});
