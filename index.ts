/** The library's public surface. */
export { Commerce, ODATA_ROOT } from './mock-commerce/commerce.js';
export { createCommerceApp, startCommerceServer, type RunningServer } from './mock-commerce/app.js';
export { loadCommerce, type LoadOptions, type LoadReport, type LoadResult } from './mock-commerce/project.js';
export { CommerceConfig, type CommerceVersion } from './mock-commerce/config/profile.js';
export type { HttpRequest, HttpResponse } from './mock-commerce/http/types.js';
