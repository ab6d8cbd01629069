/**
 * Built-in third-party profiles: ready definitions of the services the documented scenarios talk to.
 *
 * `reviews` — the product-reviews service of the SAP sample iFlows SendOrders and SendProductRatings
 * (`reviews.yaml` beside this file is the definition with the default options; `reviewsProfile`
 * loads it and applies the options).
 */
import { join } from 'node:path';
import { packageRoot } from '../../mock-commerce/util/package-root.js';
import { loadDefinitionFile } from '../definition/loader.js';
import type { RouteDefinition, ThirdPartyDefinition } from '../definition/model.js';
import { validateDefinition } from '../definition/validate.js';

export interface ReviewsProfileOptions {
  /** The app key: path segment of every route and OAuth2 client id; default `sandbox-app-key`. */
  appKey?: string;
  /** The app secret (OAuth2 client secret); default `sandbox-app-secret`. */
  appSecret?: string;
  /** Seed of the generated bottom lines and tokens; default 42. */
  seed?: number;
  /** Products with bottom lines (P-1, P-2, P-3 first, as in the demo Commerce data, then P-4 …); default 250. The pseudo product `yotpo_site_reviews` comes on top. */
  products?: number;
  /** `validate_data` sent as a string (the sample's `"true"`) is answered 200 and not stored, as the real service does; default true. False: stored like any order. */
  strictValidateData?: boolean;
  /** A missing or empty `platform` (the sample sends `platfom`) is answered 200 `{"code":500,"message":"Failure. no such platform: "}` and not stored; default true. False: stored. */
  requirePlatform?: boolean;
}

export const REVIEWS_DEFAULTS: Readonly<Required<ReviewsProfileOptions>> = Object.freeze({
  appKey: 'sandbox-app-key',
  appSecret: 'sandbox-app-secret',
  seed: 42,
  products: 250,
  strictValidateData: true,
  requirePlatform: true,
});

/** Where reviews.yaml lives (shipped as source; found from sources and from `dist/`). */
export const REVIEWS_PROFILE_FILE = join(packageRoot(), 'mock-third-party', 'profiles', 'reviews.yaml');

/** `domain_key` of the i-th generated bottom line: P-1 … P-<products>, then yotpo_site_reviews. */
export function reviewsDomainKeyTemplate(products: number): string {
  return `{{#if (eq index ${products.toString()})}}yotpo_site_reviews{{else}}P-{{add index 1}}{{/if}}`;
}

/** Upper bound of `products` (the seed data is built at every reset). */
const MAX_PRODUCTS = 100_000;
const APP_KEY = /^[A-Za-z0-9._~-]+$/;
const OPTION_TYPES: Record<keyof ReviewsProfileOptions, 'string' | 'number' | 'boolean'> = {
  appKey: 'string',
  appSecret: 'string',
  seed: 'number',
  products: 'number',
  strictValidateData: 'boolean',
  requirePlatform: 'boolean',
};

let cached: ThirdPartyDefinition | undefined;

function baseDefinition(): ThirdPartyDefinition {
  cached ??= loadDefinitionFile(REVIEWS_PROFILE_FILE);
  return structuredClone(cached);
}

/** The `reviews` profile's definition for these options (throws TypeError for bad options). */
export function reviewsProfile(options: ReviewsProfileOptions = {}): ThirdPartyDefinition {
  const o = checkOptions(options);
  const def = baseDefinition();
  const yamlKey = REVIEWS_DEFAULTS.appKey;

  def.seed = o.seed;
  if (def.auth?.type !== 'oauth2') throw new Error('reviews.yaml: the top-level auth must be oauth2');
  def.auth.clients = [{ id: o.appKey, secret: o.appSecret }];

  const lines = def.collections?.bottomlines?.generate;
  if (!lines) throw new Error('reviews.yaml: collection bottomlines must generate its items');
  lines.count = o.products + 1;
  lines.item.domain_key = reviewsDomainKeyTemplate(o.products);

  const dropped = (route: RouteDefinition): boolean => {
    const id = route.id ?? '';
    if (!o.strictValidateData && id.endsWith('-validate-data-quoted')) return true;
    if (!o.requirePlatform && (id.endsWith('-no-platform') || id.endsWith('-empty-platform'))) return true;
    return false;
  };
  def.routes = def.routes
    .filter((route) => !dropped(route))
    .map((route) => ({
      ...route,
      path: route.path
        .split('/')
        .map((segment) => (segment === yamlKey ? o.appKey : segment))
        .join('/'),
    }));
  return validateDefinition(def);
}

function checkOptions(options: ReviewsProfileOptions): Required<ReviewsProfileOptions> {
  if (options === null || typeof options !== 'object') throw new TypeError('reviews profile: options must be an object');
  for (const [key, value] of Object.entries(options)) {
    const type = OPTION_TYPES[key as keyof ReviewsProfileOptions] as string | undefined;
    if (type === undefined) throw new TypeError(`reviews profile: unknown option "${key}" (allowed: ${Object.keys(OPTION_TYPES).join(', ')})`);
    if (value !== undefined && typeof value !== type) throw new TypeError(`reviews profile: option ${key} must be a ${type}`);
  }
  const o: Required<ReviewsProfileOptions> = { ...REVIEWS_DEFAULTS };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) Object.assign(o, { [key]: value });
  if (!APP_KEY.test(o.appKey)) throw new TypeError(`reviews profile: appKey must be letters, digits, ".", "_", "~" or "-" (got ${JSON.stringify(o.appKey)})`);
  if (o.appSecret === '') throw new TypeError('reviews profile: appSecret must not be empty');
  if (!Number.isSafeInteger(o.seed)) throw new TypeError('reviews profile: seed must be an integer');
  if (!Number.isInteger(o.products) || o.products < 0 || o.products > MAX_PRODUCTS) {
    throw new TypeError(`reviews profile: products must be an integer from 0 to ${MAX_PRODUCTS.toString()}`);
  }
  return o;
}

/** A built-in profile: options (as a CLI or project file gives them) → a definition. */
export type BuiltInProfile = (options?: Record<string, unknown>) => ThirdPartyDefinition;

export const builtInProfiles: Readonly<Record<string, BuiltInProfile>> = Object.freeze({
  reviews: (options?: Record<string, unknown>) => reviewsProfile(options as ReviewsProfileOptions | undefined),
});
