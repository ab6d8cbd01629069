/** The OData requests of the suite (and of bench/profile.ts), with the checks of their answers. */
import type { BenchProduct } from './commerce-server.js';
import { AUTH, SERVICE } from './common.js';
import type { LoadRequest } from './load-client.js';
import { seededRandom } from '../../mock-commerce/util/random.js';

const JSON_HEADERS = { Authorization: AUTH, Accept: 'application/json' };
export const FILTER = 'reviewRating ge 4';
export const ORDERBY = 'reviewCount desc';

function q(text: string): string {
  return text.replace(/ /g, '%20');
}

/** `n` distinct products picked at random (seeded; partial Fisher–Yates), for key reads. */
function pickProducts(products: BenchProduct[], n: number, seed: number): BenchProduct[] {
  const random = seededRandom(seed);
  const pool = [...products];
  const k = Math.min(n, pool.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, k);
}

function keyPath(p: BenchProduct): string {
  return `${SERVICE}/Products('${encodeURIComponent(p.key)}')`;
}

export interface ODataRequests {
  key: LoadRequest[];
  filter: LoadRequest[];
  expand: LoadRequest[];
  inlinecount: LoadRequest[];
  filterNoOrder: LoadRequest[];
}

/** The OData requests and their checks, for a server holding `products`. */
export function odataRequests(products: BenchProduct[], keys: number, seed: number): ODataRequests {
  const picks = pickProducts(products, keys, seed);
  const matching = products.filter((p) => p.rating !== null && p.rating >= 4).length;
  const page = Math.min(100, matching);
  return {
    key: picks.map((p) => ({ path: keyPath(p), headers: JSON_HEADERS, expect: [`"code":"${p.code}"`] })),
    filter: [
      {
        path: `${SERVICE}/Products?$filter=${q(FILTER)}&$orderby=${q(ORDERBY)}&$top=100`,
        headers: JSON_HEADERS,
        expect: ['"results"'],
        occurrences: { of: '"code":', count: page },
      },
    ],
    expand: picks.map((p) => ({
      path: `${keyPath(p)}?$expand=catalogVersion/catalog`,
      headers: JSON_HEADERS,
      expect: [`"code":"${p.code}"`, '"id":"sandboxProductCatalog"'],
    })),
    inlinecount: [
      {
        path: `${SERVICE}/Products?$filter=${q(FILTER)}&$top=100&$inlinecount=allpages`,
        headers: JSON_HEADERS,
        match: [`"__count":"?${matching}"?`],
        occurrences: { of: '"code":', count: page },
      },
    ],
    filterNoOrder: [
      {
        path: `${SERVICE}/Products?$filter=${q(FILTER)}&$top=100`,
        headers: JSON_HEADERS,
        expect: ['"results"'],
        occurrences: { of: '"code":', count: page },
      },
    ],
  };
}
