/**
 * The reference flows: TypeScript reproductions of the two SAP sample iFlows (quirks kept unless
 * `fixed: true`) and simple flows for the documented variants without a sample, on the simulated SCPI
 * runtime (`scenarios/scpi`). Each entry makes a `FlowUnderTest` from a scenario's `flow.options`.
 */
import type { FlowUnderTest } from '../contract.js';
import { basicAuth } from './basic-auth.js';
import { passThrough } from './pass-through.js';
import { sendOrders } from './send-orders.js';
import { sendProductRatings } from './send-product-ratings.js';
import { transform } from './transform.js';

export type ReferenceFlowFactory = (options?: Record<string, unknown>) => FlowUnderTest;

export const referenceFlows: Readonly<Record<string, ReferenceFlowFactory>> = Object.freeze({
  'send-orders': sendOrders,
  'send-product-ratings': sendProductRatings,
  'pass-through': passThrough,
  transform,
  'basic-auth': basicAuth,
});

export { DEFAULT_INBOUND_CREDENTIALS, type ReferenceFlowOptions } from './options.js';
export { SEND_ORDERS_IFLOW_ID, sendOrders, sendOrdersParameters } from './send-orders.js';
export { mapOrderToThirdPartyJson, type OrderScriptInput } from './send-orders-script.js';
export { COMMERCE_CREDENTIAL_NAME, MAX_IMPORT_ITERATIONS, MAX_PAGE_ITERATIONS, sendProductRatings, sendProductRatingsParameters } from './send-product-ratings.js';
export { SITE_REVIEWS_KEY, bottomLineAt, checkProductRatingsPage, nextPage, productRatingXml, sinceDate, type BottomLine, type PageCheck } from './send-product-ratings-script.js';
export { summarizeOrder, type OrderSummary, type OrderSummaryLine } from './order-summary-script.js';
export { ScriptError } from './script-error.js';
export { passThrough } from './pass-through.js';
export { transform } from './transform.js';
export { basicAuth } from './basic-auth.js';
