/** The library's public surface. */
export { Commerce, ODATA_ROOT } from './mock-commerce/commerce.js';
export { createCommerceApp, startCommerceServer, type RunningServer } from './mock-commerce/app.js';
export { loadCommerce, type LoadOptions, type LoadReport, type LoadResult } from './mock-commerce/project.js';
export { CommerceConfig, type CommerceVersion } from './mock-commerce/config/profile.js';
export type { HttpRequest, HttpResponse } from './mock-commerce/http/types.js';
export { createThirdParty, createThirdPartyApp, loadDefinitionFile, parseDefinition, startThirdPartyServer, thirdPartyHandlers } from './mock-third-party/index.js';
export { builtInProfiles, reviewsProfile } from './mock-third-party/profiles/index.js';
export { commerceHandlers } from './mock-commerce/msw.js';
