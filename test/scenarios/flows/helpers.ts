/**
 * Shared by the reference-flow tests: the demo Commerce and the built-in reviews third party on
 * ephemeral ports, a flow context for them, and Commerce's side of the sender handshake.
 */
import type { RunningServer } from '../../../mock-commerce/app.js';
import type { Commerce } from '../../../mock-commerce/commerce.js';
import { type RunningThirdParty, startThirdPartyServer } from '../../../mock-third-party/index.js';
import { type ReviewsProfileOptions, reviewsProfile } from '../../../mock-third-party/profiles/index.js';
import type { FlowContext, RunningFlow } from '../../../scenarios/flows/contract.js';
import { DEMO, basic, serve } from '../../helpers/commerce.js';

/** The flows' clock in these tests: 2026-01-05T09:00:00Z, so since_date is 2026-01-04. */
export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const COMMERCE_USER = { username: 'integrationuser', password: 'sandbox' };

export interface Systems {
  commerce: Commerce;
  server: RunningServer;
  reviews: RunningThirdParty;
  close(): Promise<void>;
}

export async function startSystems(reviews: ReviewsProfileOptions = {}): Promise<Systems> {
  const { commerce, server } = await serve({ projectDir: DEMO, clock: () => T0 });
  const thirdParty = await startThirdPartyServer(reviewsProfile({ seed: 7, ...reviews }), { now: () => T0 });
  return {
    commerce,
    server,
    reviews: thirdParty,
    close: async () => {
      commerce.outbound.close();
      await Promise.all([server.close(), thirdParty.close()]);
    },
  };
}

export function contextFor(systems: { server: { url: string }; reviews?: { url: string } }, parameters: Record<string, string> = {}, now: () => number = () => T0): FlowContext {
  return {
    endpoints: { commerceUrl: systems.server.url, thirdParties: systems.reviews ? { reviews: systems.reviews.url } : {} },
    parameters,
    commerceCredentials: { ...COMMERCE_USER },
    now,
  };
}

/** What Commerce's outbound does (spec §16.9): fetch a CSRF token from the csrfURL, then POST with it and the cookies. */
export async function postLikeCommerce(flow: RunningFlow, payload: unknown): Promise<Response> {
  const credentials = flow.inboundCredentials!;
  const authorization = basic(credentials.username, credentials.password);
  const fetched = await fetch(flow.csrfUrl!, { headers: { 'X-CSRF-Token': 'Fetch', Accept: 'application/json', Authorization: authorization } });
  await fetched.arrayBuffer();
  const token = fetched.headers.get('x-csrf-token');
  if (!token) throw new Error(`no CSRF token from ${flow.csrfUrl!} (${fetched.status.toString()})`);
  return fetch(flow.inboundUrl!, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Authorization: authorization,
      'X-CSRF-Token': token,
      // Commerce sends the Set-Cookie values back joined with "; ", attributes included.
      Cookie: fetched.headers.getSetCookie().join('; '),
    },
    body: JSON.stringify(payload),
  });
}

/** 2019-10-22T13:27:19.000Z, the date of the spec's example order. */
export const ORDER_DATE_MS = Date.UTC(2019, 9, 22, 13, 27, 19);

const catalogVersion = { version: 'Online', catalog: { id: 'sandboxProductCatalog', integrationKey: 'sandboxProductCatalog' }, integrationKey: 'Online|sandboxProductCatalog' };

/**
 * The spec §3.2 example order in Commerce's outbound JSON (§11.3, member order as Commerce builds it for
 * the demo's `Orders` IO): P-1 with a picture and description "Nice & small", P-2 without a picture, an
 * empty description and basePrice 5.0 (a JSON number: `5`).
 */
export function exampleOrderPayload(): Record<string, unknown> {
  return {
    date: `/Date(${ORDER_DATE_MS.toString()})/`,
    code: '00001001',
    currency: { isocode: 'USD', integrationKey: 'USD' },
    user: { uid: 'jane@example.com', name: 'Jane Doe', integrationKey: 'jane%40example.com' },
    entries: [
      {
        entryNumber: 0,
        basePrice: 99.5,
        order: { code: '00001001' },
        product: {
          description: 'Nice & small',
          code: 'P-1',
          name: 'Camera',
          catalogVersion,
          picture: { URL: '/medias/p1.jpg', code: 'p1', catalogVersion, integrationKey: 'Online|sandboxProductCatalog|p1' },
          integrationKey: 'Online|sandboxProductCatalog|P-1',
          localizedAttributes: [{ language: 'en', description: 'Nice & small', name: 'Camera' }],
        },
        integrationKey: '0|00001001',
      },
      {
        entryNumber: 1,
        basePrice: 5.0,
        order: { code: '00001001' },
        product: {
          description: '',
          code: 'P-2',
          name: 'Strap',
          catalogVersion,
          integrationKey: 'Online|sandboxProductCatalog|P-2',
          localizedAttributes: [{ language: 'en', description: '', name: 'Strap' }],
        },
        integrationKey: '1|00001001',
      },
    ],
    integrationKey: '00001001',
  };
}

/** The spec §3.2 verified output for that order, with the token TOKEN123. */
export const VERIFIED_SEND_ORDERS_OUTPUT =
  '{"validate_data":"true","platfom":"general","utoken":"TOKEN123","email":"jane@example.com","customer_name":"Jane Doe","order_id":"00001001","order_date":"2019-10-22T13:27:19.000","currency_iso":"USD","products":{"P-1":{"url":"https://shop.example.com/p/P-1","name":"Camera","description":"Nice & small","price":"99.5","image":"https://shop.example.com/medias/p1.jpg"},"P-2":{"url":"https://shop.example.com/p/P-2","name":"Strap","description":"","price":"5.0","image":"https://shop.example.com"}}}';

export const STOREFRONT = 'https://shop.example.com';

/** Commerce's journal since the last clear. */
export async function commerceRequests(server: { url: string }): Promise<{ method: string; path: string; query: string; headers: Record<string, string>; status: number; body: unknown }[]> {
  const res = await fetch(`${server.url}/__sandbox/requests`);
  return ((await res.json()) as { requests: { method: string; path: string; query: string; headers: Record<string, string>; status: number; body: unknown }[] }).requests;
}

export async function clearCommerceRequests(server: { url: string }): Promise<void> {
  await fetch(`${server.url}/__sandbox/requests`, { method: 'DELETE' });
}

/** A product of the ThirdPartyInboundProduct service as Commerce reads it back. */
export async function readProduct(server: { url: string }, code: string): Promise<{ status: number; reviewRating?: string | null; reviewCount?: number | null }> {
  const key = encodeURIComponent(`Online|sandboxProductCatalog|${code}`);
  const res = await fetch(`${server.url}/odata2webservices/ThirdPartyInboundProduct/Products('${key}')`, {
    headers: { Authorization: basic(COMMERCE_USER.username, COMMERCE_USER.password), Accept: 'application/json' },
  });
  if (res.status !== 200) return { status: res.status };
  const { d } = (await res.json()) as { d: { reviewRating: string | null; reviewCount: number | null } };
  return { status: 200, reviewRating: d.reviewRating, reviewCount: d.reviewCount };
}

/** {@link exampleOrderPayload} as the sender adapter hands it to the flow (EDMX order, dates UTC, 5 → 5.0). */
export const ORDER_XML =
  '<Orders><Order><date>2019-10-22T13:27:19.000</date><code>00001001</code><integrationKey>00001001</integrationKey>' +
  '<currency><Currency><isocode>USD</isocode><integrationKey>USD</integrationKey></Currency></currency>' +
  '<user><User><uid>jane@example.com</uid><name>Jane Doe</name><integrationKey>jane%40example.com</integrationKey></User></user>' +
  '<entries>' +
  '<OrderEntry><entryNumber>0</entryNumber><basePrice>99.5</basePrice><integrationKey>0|00001001</integrationKey><order><Order><code>00001001</code></Order></order>' +
  '<product><Product><description>Nice &amp; small</description><code>P-1</code><name>Camera</name><integrationKey>Online|sandboxProductCatalog|P-1</integrationKey>' +
  '<catalogVersion><CatalogVersion><version>Online</version><integrationKey>Online|sandboxProductCatalog</integrationKey><catalog><Catalog><id>sandboxProductCatalog</id><integrationKey>sandboxProductCatalog</integrationKey></Catalog></catalog></CatalogVersion></catalogVersion>' +
  '<picture><Media><URL>/medias/p1.jpg</URL><code>p1</code><integrationKey>Online|sandboxProductCatalog|p1</integrationKey>' +
  '<catalogVersion><CatalogVersion><version>Online</version><integrationKey>Online|sandboxProductCatalog</integrationKey><catalog><Catalog><id>sandboxProductCatalog</id><integrationKey>sandboxProductCatalog</integrationKey></Catalog></catalog></CatalogVersion></catalogVersion></Media></picture></Product></product></OrderEntry>' +
  '<OrderEntry><entryNumber>1</entryNumber><basePrice>5.0</basePrice><integrationKey>1|00001001</integrationKey><order><Order><code>00001001</code></Order></order>' +
  '<product><Product><description></description><code>P-2</code><name>Strap</name><integrationKey>Online|sandboxProductCatalog|P-2</integrationKey>' +
  '<catalogVersion><CatalogVersion><version>Online</version><integrationKey>Online|sandboxProductCatalog</integrationKey><catalog><Catalog><id>sandboxProductCatalog</id><integrationKey>sandboxProductCatalog</integrationKey></Catalog></catalog></CatalogVersion></catalogVersion></Product></product></OrderEntry>' +
  '</entries></Order></Orders>';
