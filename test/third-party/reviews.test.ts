/**
 * The built-in `reviews` profile (mock-third-party/profiles): the product-reviews service of the SAP
 * sample iFlows, over real HTTP on an ephemeral port. The SendOrders (token, then the order POST) and
 * SendProductRatings (bottom_lines pages until an empty one) traffic is sent exactly as the sample
 * sends it; the service's documented answers, silent failures and errors are checked, and what was
 * stored is read back through the engine (items, journal, verification) and the admin API.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startThirdPartyServer } from '../../mock-third-party/app.js';
import { loadDefinitionFile } from '../../mock-third-party/definition/loader.js';
import { createThirdParty, type FaultHookInput } from '../../mock-third-party/engine/third-party.js';
import { builtInProfiles, REVIEWS_DEFAULTS, REVIEWS_PROFILE_FILE, reviewsDomainKeyTemplate, reviewsProfile, type ReviewsProfileOptions } from '../../mock-third-party/profiles/index.js';
import { call, manualClock, type Answer, type CallOptions, type Served } from './helpers.js';

const APP_KEY = 'sandbox-app-key';
const APP_SECRET = 'sandbox-app-secret';
const DAY = 24 * 60 * 60 * 1000;
const START = Date.UTC(2025, 0, 15, 12, 0, 0);
/** The sample's Content-Type on both third-party requests. */
const JSON_UTF8 = 'application/json; charset=utf-8';
const OK = '{"code":200,"message":"OK"}';
const NO_PLATFORM = '{"code":500,"message":"Failure. no such platform: "}';

interface BottomLine {
  domain_key: string;
  product_score: number;
  total_reviews: number;
}
interface BottomLinesPage {
  status: { code: number; message: string };
  response: { bottomlines: BottomLine[]; page: string; per_page: string };
}

async function serve(options: ReviewsProfileOptions = {}, clock = manualClock(START)): Promise<Served> {
  const running = await startThirdPartyServer(reviewsProfile(options), { now: clock.now });
  return { ...running, call: (method: string, path: string, callOptions?: CallOptions) => call(running.url, method, path, callOptions) };
}

/** SendOrders step 2: the token request, byte for byte as the sample's request-reply sends it. */
function tokenRequest(clientId = APP_KEY, secret = APP_SECRET): CallOptions {
  return {
    headers: { 'Content-Type': JSON_UTF8 },
    body: `{ "client_id": "${clientId}", "client_secret": "${secret}", "grant_type": "client_credentials" }`,
  };
}

async function token(tp: Served, clientId = APP_KEY, secret = APP_SECRET): Promise<string> {
  const res = await tp.call('POST', '/oauth/token', tokenRequest(clientId, secret));
  expect(res.status).toBe(200);
  return (res.json as { access_token: string }).access_token;
}

/** The keys of the sample's order JSON (SendOrders step 3), in the order the script writes them. */
const SAMPLE_KEYS = ['validate_data', 'platfom', 'utoken', 'email', 'customer_name', 'order_id', 'order_date', 'currency_iso', 'products'];

/**
 * The order JSON the sample's script builds for the demo order 00001001 (two lines), with `utoken`
 * the token. `fix` replaces the sample's quirks: validate_data as a boolean, `platform` spelled right.
 */
function sampleOrder(utoken: string, fix: { validateData?: boolean; platform?: boolean; orderId?: string } = {}): Record<string, unknown> {
  const order: Record<string, unknown> = {};
  order.validate_data = fix.validateData ? true : 'true';
  if (fix.platform) order.platform = 'general';
  else order.platfom = 'general';
  order.utoken = utoken;
  order.email = 'jane@example.com';
  order.customer_name = 'Jane Doe';
  order.order_id = fix.orderId ?? '00001001';
  order.order_date = '2019-10-22T13:27:19.000';
  order.currency_iso = 'USD';
  order.products = {
    'P-1': { url: 'https://shop.example.com/p/P-1', name: 'Camera', description: 'Nice & small', price: '99.5', image: 'https://shop.example.com/medias/p1.jpg' },
    'P-2': { url: 'https://shop.example.com/p/P-2', name: 'Strap', description: '', price: '5.0', image: 'https://shop.example.com' },
  };
  return order;
}

/** SendOrders step 4: POST the order JSON, no auth header, the sample's Content-Type. */
function postOrder(tp: Served, order: Record<string, unknown> | string, path = `/${APP_KEY}/orders`, headers: Record<string, string> = { 'Content-Type': JSON_UTF8 }): Promise<Answer> {
  return tp.call('POST', path, { headers, body: typeof order === 'string' ? order : JSON.stringify(order) });
}

function yesterday(now: number): string {
  return new Date(now - DAY).toISOString().slice(0, 10);
}

/**
 * SendProductRatings: page = "0"; do { page + 1; GET bottom_lines?count=100&page=…&since_date=… }
 * until bottomlines is empty. Returns every page's answer.
 */
async function sendProductRatings(tp: Served, now: number, utoken?: string): Promise<Answer[]> {
  const answers: Answer[] = [];
  let page = 0;
  for (;;) {
    page += 1;
    const query = `count=100&page=${page.toString()}&since_date=${yesterday(now)}${utoken ? `&utoken=${utoken}` : ''}`;
    const res = await tp.call('GET', `/v1/apps/${APP_KEY}/bottom_lines`, { query });
    answers.push(res);
    expect(res.status).toBe(200);
    if ((res.json as BottomLinesPage).response.bottomlines.length === 0) return answers;
    if (page > 50) throw new Error('no empty page');
  }
}

function envelope404(key: string): string {
  return `{"status":{"message":"Couldn't find Account with app_key = ${key}","code":404}}`;
}

// ------------------------------------------------------------------------------------------------

describe('reviews profile: the definition', () => {
  it('reviews.yaml is a complete definition: the default options change nothing', () => {
    expect(reviewsProfile()).toEqual(loadDefinitionFile(REVIEWS_PROFILE_FILE));
    expect(reviewsProfile({ ...REVIEWS_DEFAULTS })).toEqual(loadDefinitionFile(REVIEWS_PROFILE_FILE));
    const yaml = loadDefinitionFile(REVIEWS_PROFILE_FILE);
    expect(yaml.collections?.bottomlines?.generate?.item.domain_key).toBe(reviewsDomainKeyTemplate(REVIEWS_DEFAULTS.products));
    expect(yaml.collections?.bottomlines?.generate?.count).toBe(REVIEWS_DEFAULTS.products + 1);
  });

  it('is registered as the built-in profile "reviews"', () => {
    expect(Object.keys(builtInProfiles)).toContain('reviews');
    expect(builtInProfiles.reviews?.({ appKey: 'k1', products: 3 })).toEqual(reviewsProfile({ appKey: 'k1', products: 3 }));
    expect(builtInProfiles.reviews?.()).toEqual(reviewsProfile());
  });

  it('options: app key in every path and as the client id, secret, seed, products, switches', () => {
    const def = reviewsProfile({ appKey: 'shop-42', appSecret: 's3cret', seed: 7, products: 3, strictValidateData: false, requirePlatform: false });
    expect(def.seed).toBe(7);
    expect(def.auth).toMatchObject({ type: 'oauth2', clients: [{ id: 'shop-42', secret: 's3cret' }] });
    expect(def.routes.every((r) => !r.path.includes(APP_KEY))).toBe(true);
    expect(def.routes.map((r) => r.path)).toContain('/apps/shop-42/purchases');
    expect(def.routes.map((r) => r.path)).toContain('/shop-42/orders');
    expect(def.routes.map((r) => r.path)).toContain('/v1/apps/shop-42/bottom_lines');
    expect(def.routes.map((r) => r.id).filter((id) => /quoted|platform/.test(id ?? ''))).toEqual([]);
    expect(reviewsProfile().routes.map((r) => r.id).filter((id) => /quoted|platform/.test(id ?? ''))).toEqual([
      'purchases-validate-data-quoted',
      'purchases-no-platform',
      'purchases-empty-platform',
      'orders-validate-data-quoted',
      'orders-no-platform',
      'orders-empty-platform',
    ]);
    expect(def.collections?.bottomlines?.generate?.count).toBe(4);
  });

  it('rejects bad options', () => {
    expect(() => reviewsProfile({ appKey: 'a/b' })).toThrow(TypeError);
    expect(() => reviewsProfile({ appKey: '' })).toThrow(/appKey/);
    expect(() => reviewsProfile({ appSecret: '' })).toThrow(/appSecret/);
    expect(() => reviewsProfile({ products: -1 })).toThrow(/products/);
    expect(() => reviewsProfile({ products: 1.5 })).toThrow(/products/);
    expect(() => reviewsProfile({ seed: 0.5 })).toThrow(/seed/);
    expect(() => builtInProfiles.reviews?.({ appkey: 'x' })).toThrow(/unknown option "appkey"/);
    expect(() => builtInProfiles.reviews?.({ products: '10' })).toThrow(/products must be a number/);
  });

  it('declares the service rate limit (5,000 a minute), handed to the fault layer with every route call', () => {
    const seen: FaultHookInput[] = [];
    const tp = createThirdParty(reviewsProfile(), {
      now: () => START,
      planFault: (input) => {
        seen.push(input);
        return undefined;
      },
    });
    const res = tp.handle({ method: 'GET', path: `/v1/apps/${APP_KEY}/bottom_lines`, query: 'count=1&page=1', headers: {}, origin: 'https://api.thirdparty.com' });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ route: 'bottom-lines', rateLimit: { requestsPerMinute: 5000 }, call: 1 });
  });
});

describe('reviews profile: SendOrders traffic (scenarios §3.3)', () => {
  const clock = manualClock(START);
  let tp: Served;
  beforeAll(async () => {
    tp = await serve({}, clock);
  });
  afterAll(() => tp.close());
  beforeEach(() => {
    clock.set(START);
    tp.thirdParty.reset();
  });

  it('step 2: the token request with the sample JSON body → 200 {access_token (40 chars), token_type: bearer}', async () => {
    const res = await tp.call('POST', '/oauth/token', tokenRequest());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = res.json as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['access_token', 'token_type']);
    expect(body.access_token).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(body.token_type).toBe('bearer');
    tp.thirdParty.verify({ method: 'POST', path: '/oauth/token', headers: { 'content-type': JSON_UTF8 }, body: { equals: { client_id: APP_KEY, client_secret: APP_SECRET, grant_type: 'client_credentials' } } }, { count: 1 });
  });

  it('steps 2 + 4 exactly as the sample sends them: 200 OK, and (validate_data quoted) no order is created', async () => {
    const utoken = await token(tp);
    const order = sampleOrder(utoken);
    expect(Object.keys(order)).toEqual(SAMPLE_KEYS);
    const res = await postOrder(tp, order);
    expect(res.status).toBe(200);
    expect(res.text).toBe(OK);
    // The documented silent failure: nothing stored.
    expect(tp.thirdParty.items('orders')).toEqual([]);

    // The traffic, as the service received it.
    const journal = tp.thirdParty.journal;
    expect(journal.map((e) => [e.method, e.path, e.route, e.status])).toEqual([
      ['POST', '/oauth/token', 'oauth2-token /oauth/token', 200],
      ['POST', `/${APP_KEY}/orders`, 'orders-validate-data-quoted', 200],
    ]);
    const sent = journal[1]?.body as Record<string, unknown>;
    expect(Object.keys(sent)).toEqual(SAMPLE_KEYS);
    expect(sent.validate_data).toBe('true');
    expect(sent.utoken).toBe(utoken);
    expect(journal[1]?.headers['content-type']).toBe(JSON_UTF8);
    expect(journal[1]?.headers.authorization).toBeUndefined();
    tp.thirdParty.verifyOrder([{ method: 'POST', path: '/oauth/token' }, { method: 'POST', path: '/{app_key}/orders', body: { jsonPath: { '$.validate_data': 'true', '$.order_id': '00001001' } } }]);
  });

  it('the same with validate_data true (boolean) but the sample\'s "platfom": 200 {"code":500,"message":"Failure. no such platform: "}, not stored', async () => {
    const utoken = await token(tp);
    const res = await postOrder(tp, sampleOrder(utoken, { validateData: true }));
    expect(res.status).toBe(200);
    expect(res.text).toBe(NO_PLATFORM);
    expect(tp.thirdParty.items('orders')).toEqual([]);
    tp.thirdParty.verify({ route: 'orders-no-platform' }, { count: 1 });
  });

  it('the fixed variant (validate_data true, platform): stored once; a duplicate order_id is ignored (still 200 OK)', async () => {
    const utoken = await token(tp);
    const order = sampleOrder(utoken, { validateData: true, platform: true });
    for (let i = 0; i < 2; i++) {
      const res = await postOrder(tp, order);
      expect(res.status).toBe(200);
      expect(res.text).toBe(OK);
    }
    const stored = tp.thirdParty.items('orders');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toEqual({
      order_id: '00001001',
      email: 'jane@example.com',
      customer_name: 'Jane Doe',
      order_date: '2019-10-22T13:27:19.000',
      currency_iso: 'USD',
      platform: 'general',
      products: order.products,
      validate_data: true,
    });
    tp.thirdParty.verify({ method: 'POST', path: `/${APP_KEY}/orders`, route: 'orders-create', body: { jsonPath: { '$.order_id': '00001001' } } }, { count: 2 });
    // Another order id is another order.
    await postOrder(tp, sampleOrder(utoken, { validateData: true, platform: true, orderId: '00001002' }));
    expect(tp.thirdParty.items('orders').map((o) => o.order_id)).toEqual(['00001001', '00001002']);
  });

  it('the real service path /apps/{app_key}/purchases answers the same way', async () => {
    const utoken = await token(tp);
    const path = `/apps/${APP_KEY}/purchases`;
    expect((await postOrder(tp, sampleOrder(utoken), path)).text).toBe(OK);
    expect((await postOrder(tp, sampleOrder(utoken, { validateData: true }), path)).text).toBe(NO_PLATFORM);
    expect(tp.thirdParty.items('orders')).toEqual([]);
    const fixed = sampleOrder(utoken, { validateData: true, platform: true });
    expect((await postOrder(tp, fixed, path)).text).toBe(OK);
    // Both paths write the same orders collection: the sample path's duplicate is ignored.
    expect((await postOrder(tp, fixed)).text).toBe(OK);
    expect(tp.thirdParty.items('orders')).toHaveLength(1);
    expect(tp.thirdParty.journal.map((e) => e.route)).toEqual([
      'oauth2-token /oauth/token',
      'purchases-validate-data-quoted',
      'purchases-no-platform',
      'purchases-create',
      'orders-create',
    ]);
  });

  it('stored orders and the traffic are visible through the admin API', async () => {
    const utoken = await token(tp);
    await postOrder(tp, sampleOrder(utoken));
    await postOrder(tp, sampleOrder(utoken, { validateData: true, platform: true }));
    const listed = (await tp.call('GET', '/__sandbox/requests', { query: 'method=POST&path=/{app_key}/orders' })).json as { requests: Array<{ route: string; status: number; body: Record<string, unknown> }> };
    expect(listed.requests.map((r) => [r.route, r.status, r.body.order_id])).toEqual([
      ['orders-validate-data-quoted', 200, '00001001'],
      ['orders-create', 200, '00001001'],
    ]);
    const verify = await tp.call('POST', '/__sandbox/verify', { body: { pattern: { route: 'orders-create', body: { jsonPath: { '$.validate_data': true } } }, count: 1 } });
    expect(verify.json).toEqual({ ok: true });
    const wrong = await tp.call('POST', '/__sandbox/verify', { body: { pattern: { route: 'orders-create' }, count: 2 } });
    expect(wrong.status).toBe(409);
  });

  it('strictValidateData: false / requirePlatform: false store what the real service would drop', async () => {
    const lenient = await serve({ strictValidateData: false });
    const noPlatformCheck = await serve({ requirePlatform: false });
    const both = await serve({ strictValidateData: false, requirePlatform: false });
    try {
      // validate_data quoted, platform given: stored when not strict.
      let t = await token(lenient);
      expect((await postOrder(lenient, sampleOrder(t, { platform: true }))).text).toBe(OK);
      expect(lenient.thirdParty.items('orders')).toHaveLength(1);
      // …but the missing platform is still answered with the failure.
      expect((await postOrder(lenient, sampleOrder(t, { orderId: '2' }))).text).toBe(NO_PLATFORM);
      expect(lenient.thirdParty.items('orders')).toHaveLength(1);

      t = await token(noPlatformCheck);
      expect((await postOrder(noPlatformCheck, sampleOrder(t, { validateData: true }))).text).toBe(OK);
      expect(noPlatformCheck.thirdParty.items('orders')).toHaveLength(1);
      expect((await postOrder(noPlatformCheck, sampleOrder(t, { orderId: '2' }))).text).toBe(OK);
      expect(noPlatformCheck.thirdParty.items('orders')).toHaveLength(1);

      // Both off: the sample's exact body creates the order.
      t = await token(both);
      expect((await postOrder(both, sampleOrder(t))).text).toBe(OK);
      expect(both.thirdParty.items('orders')).toEqual([expect.objectContaining({ order_id: '00001001', validate_data: 'true' })]);
    } finally {
      await Promise.all([lenient.close(), noPlatformCheck.close(), both.close()]);
    }
  });
});

describe('reviews profile: SendProductRatings traffic (scenarios §4.4)', () => {
  const clock = manualClock(START);
  let tp: Served;
  beforeAll(async () => {
    tp = await serve({}, clock);
  });
  afterAll(() => tp.close());
  beforeEach(() => {
    clock.set(START);
    tp.thirdParty.reset();
  });

  function checkPages(answers: Answer[]): BottomLine[] {
    // 250 products + yotpo_site_reviews = 251: pages of 100, 100, 51, then the empty page ends the run.
    expect(answers.map((a) => (a.json as BottomLinesPage).response.bottomlines.length)).toEqual([100, 100, 51, 0]);
    for (const [i, a] of answers.entries()) {
      const page = a.json as BottomLinesPage;
      expect(a.headers.get('content-type')).toBe('application/json');
      expect(Object.keys(page)).toEqual(['status', 'response']);
      expect(page.status).toEqual({ code: 200, message: 'OK' });
      expect(Object.keys(page.response)).toEqual(['bottomlines', 'page', 'per_page']);
      expect(page.response.page).toBe(String(i + 1));
      expect(page.response.per_page).toBe('100');
    }
    const lines = answers.flatMap((a) => (a.json as BottomLinesPage).response.bottomlines);
    expect(lines).toHaveLength(251);
    expect(new Set(lines.map((l) => l.domain_key)).size).toBe(251);
    expect(lines.slice(0, 3).map((l) => l.domain_key)).toEqual(['P-1', 'P-2', 'P-3']);
    expect(lines[249]?.domain_key).toBe('P-250');
    expect(lines[250]?.domain_key).toBe('yotpo_site_reviews');
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(['domain_key', 'product_score', 'total_reviews']);
      expect(line.product_score).toBeGreaterThanOrEqual(1);
      expect(line.product_score).toBeLessThanOrEqual(5);
      expect(Number.isInteger(line.total_reviews) && line.total_reviews >= 1).toBe(true);
    }
    return lines;
  }

  it('the sample\'s loop: GET bottom_lines?count=100&page=n&since_date=yesterday (no token) until an empty page', async () => {
    const answers = await sendProductRatings(tp, clock.now());
    const lines = checkPages(answers);
    expect(tp.thirdParty.items('bottomlines')).toEqual(lines);
    const journal = tp.thirdParty.journal;
    expect(journal.map((e) => [e.method, e.path, e.route, e.status])).toEqual(
      [1, 2, 3, 4].map(() => ['GET', `/v1/apps/${APP_KEY}/bottom_lines`, 'bottom-lines', 200]),
    );
    expect(journal.map((e) => e.query)).toEqual([1, 2, 3, 4].map((page) => ({ count: '100', page: String(page), since_date: '2025-01-14' })));
  });

  it('with the app\'s token (utoken query parameter): token request, then the same pages', async () => {
    const utoken = await token(tp);
    const answers = await sendProductRatings(tp, clock.now(), utoken);
    const withToken = checkPages(answers);
    tp.thirdParty.verify({ method: 'GET', route: 'bottom-lines-with-token', query: { utoken } }, { count: 4 });
    tp.thirdParty.verifyOrder([{ path: '/oauth/token' }, { path: '/v1/apps/{app_key}/bottom_lines', query: { page: '1' } }, { path: '/v1/apps/{app_key}/bottom_lines', query: { page: '4' } }]);
    tp.thirdParty.clearJournal();
    expect(checkPages(await sendProductRatings(tp, clock.now()))).toEqual(withToken);
  });

  it('the since_id parameter is accepted (and every product counts as changed)', async () => {
    const res = await tp.call('GET', `/v1/apps/${APP_KEY}/bottom_lines`, { query: 'count=100&page=1&since_id=12345' });
    expect(res.status).toBe(200);
    expect((res.json as BottomLinesPage).response.bottomlines).toHaveLength(100);
  });

  it('count: above 100 is capped, default 10; a page past the end is empty', async () => {
    const capped = (await tp.call('GET', `/v1/apps/${APP_KEY}/bottom_lines`, { query: 'count=500&page=1' })).json as BottomLinesPage;
    expect(capped.response.bottomlines).toHaveLength(100);
    expect(capped.response.per_page).toBe('100');
    const dflt = (await tp.call('GET', `/v1/apps/${APP_KEY}/bottom_lines`)).json as BottomLinesPage;
    expect(dflt.response).toMatchObject({ page: '1', per_page: '10' });
    expect(dflt.response.bottomlines).toHaveLength(10);
    const past = await tp.call('GET', `/v1/apps/${APP_KEY}/bottom_lines`, { query: 'count=100&page=99' });
    expect(past.status).toBe(200);
    expect(past.text).toBe('{"status":{"code":200,"message":"OK"},"response":{"bottomlines":[],"page":"99","per_page":"100"}}');
    const last = (await tp.call('GET', `/v1/apps/${APP_KEY}/bottom_lines`, { query: 'count=7&page=36' })).json as BottomLinesPage;
    expect(last.response.bottomlines.map((l) => l.domain_key)).toEqual(['P-246', 'P-247', 'P-248', 'P-249', 'P-250', 'yotpo_site_reviews']);
  });

  it('bad numbers get the engine\'s 400 invalid_parameter', async () => {
    for (const query of ['count=100&page=0', 'count=0&page=1', 'count=abc&page=1']) {
      const res = await tp.call('GET', `/v1/apps/${APP_KEY}/bottom_lines`, { query });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: 'invalid_parameter' });
    }
  });
});

describe('reviews profile: errors', () => {
  const clock = manualClock(START);
  let tp: Served;
  beforeAll(async () => {
    tp = await serve({}, clock);
  });
  afterAll(() => tp.close());
  beforeEach(() => {
    clock.set(START);
    tp.thirdParty.reset();
  });

  describe('token endpoint', () => {
    it('wrong secret or unknown client → 401 {"error":"invalid_client"}', async () => {
      for (const [id, secret] of [
        [APP_KEY, 'wrong'],
        ['other-app', APP_SECRET],
      ] as const) {
        const res = await tp.call('POST', '/oauth/token', tokenRequest(id, secret));
        expect(res.status).toBe(401);
        expect(res.text).toBe('{"error":"invalid_client"}');
      }
    });

    it('a form-encoded body works too', async () => {
      const res = await tp.call('POST', '/oauth/token', {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `client_id=${APP_KEY}&client_secret=${APP_SECRET}&grant_type=client_credentials`,
      });
      expect(res.status).toBe(200);
      expect(Object.keys(res.json as object)).toEqual(['access_token', 'token_type']);
    });

    it('another grant type → 400 unsupported_grant_type; none → 400 invalid_request', async () => {
      const other = await tp.call('POST', '/oauth/token', { body: { client_id: APP_KEY, client_secret: APP_SECRET, grant_type: 'password' } });
      expect(other.status).toBe(400);
      expect(other.json).toMatchObject({ error: 'unsupported_grant_type' });
      const none = await tp.call('POST', '/oauth/token', { body: { client_id: APP_KEY, client_secret: APP_SECRET } });
      expect(none.status).toBe(400);
      expect(none.json).toMatchObject({ error: 'invalid_request' });
    });

    it('every token is a new one', async () => {
      const a = await token(tp);
      const b = await token(tp);
      expect(a).not.toBe(b);
    });
  });

  describe('create order', () => {
    const fixed = (utoken: string): Record<string, unknown> => sampleOrder(utoken, { validateData: true, platform: true });
    const paths = [`/${APP_KEY}/orders`, `/apps/${APP_KEY}/purchases`];

    it('utoken missing, unknown, or expired (14 days) → 401 v1 envelope, nothing stored', async () => {
      for (const path of paths) {
        const { utoken: _drop, ...withoutToken } = fixed('x');
        const missing = await postOrder(tp, withoutToken, path);
        expect(missing.status).toBe(401);
        expect(missing.text).toBe('{"status":{"message":"utoken is missing","code":401}}');
        const invalid = await postOrder(tp, fixed('not-a-token'), path);
        expect(invalid.status).toBe(401);
        expect(invalid.text).toBe('{"status":{"message":"Invalid utoken","code":401}}');
        // Checked before the silent failures a JSON body can have.
        expect((await postOrder(tp, sampleOrder('not-a-token'), path)).status).toBe(401);
      }
      const utoken = await token(tp);
      clock.advance(14 * DAY - 1);
      expect((await postOrder(tp, fixed(utoken))).text).toBe(OK);
      clock.advance(1);
      for (const path of paths) {
        const expired = await postOrder(tp, fixed(utoken), path);
        expect(expired.status).toBe(401);
        expect(expired.text).toBe('{"status":{"message":"utoken expired","code":401}}');
      }
      expect(tp.thirdParty.items('orders')).toHaveLength(1);
      // A fresh token works again.
      const fresh = await token(tp);
      expect((await postOrder(tp, fixed(fresh), paths[1])).text).toBe(OK);
    });

    it('the token is also taken from the utoken query parameter and Authorization: Bearer', async () => {
      const utoken = await token(tp);
      const { utoken: _drop, ...order } = fixed(utoken);
      const viaQuery = await tp.call('POST', `/${APP_KEY}/orders`, { query: `utoken=${utoken}`, headers: { 'Content-Type': JSON_UTF8 }, body: JSON.stringify(order) });
      expect(viaQuery.text).toBe(OK);
      const viaHeader = await postOrder(tp, { ...order, order_id: '00001002' }, `/apps/${APP_KEY}/purchases`, { 'Content-Type': 'application/json', Authorization: `Bearer ${utoken}` });
      expect(viaHeader.text).toBe(OK);
      expect(tp.thirdParty.items('orders').map((o) => o.order_id)).toEqual(['00001001', '00001002']);
    });

    it('unknown app key → 404 {"status":{"message":"Couldn\'t find Account with app_key = …","code":404}}', async () => {
      const utoken = await token(tp);
      for (const path of ['/other-key/orders', '/apps/other-key/purchases']) {
        const res = await postOrder(tp, fixed(utoken), path);
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toBe('application/json');
        expect(res.text).toBe(envelope404('other-key'));
      }
      expect(tp.thirdParty.items('orders')).toEqual([]);
      tp.thirdParty.verify({ route: 'orders-unknown-app' }, { count: 1 });
      tp.thirdParty.verify({ route: 'purchases-unknown-app' }, { count: 1 });
    });

    it('silent failures: no Content-Type, another Content-Type, a body that is not UTF-8 → 200 OK, nothing stored', async () => {
      const utoken = await token(tp);
      const text = JSON.stringify(fixed(utoken));
      for (const path of paths) {
        const prefix = path.startsWith('/apps') ? 'purchases' : 'orders';
        const noType = await tp.call('POST', path, { body: Buffer.from(text) });
        expect([noType.status, noType.text]).toEqual([200, OK]);
        const plain = await postOrder(tp, text, path, { 'Content-Type': 'text/plain' });
        expect([plain.status, plain.text]).toEqual([200, OK]);
        const form = await postOrder(tp, `utoken=${utoken}&order_id=1&platform=general`, path, { 'Content-Type': 'application/x-www-form-urlencoded' });
        expect([form.status, form.text]).toEqual([200, OK]);
        // "Renée" in ISO-8859-1.
        const latin1 = Buffer.from(JSON.stringify({ ...fixed(utoken), customer_name: 'Renée' }), 'latin1');
        const notUtf8 = await postOrder(tp, latin1.toString('latin1'), path, { 'Content-Type': 'application/json; charset=iso-8859-1' });
        expect(notUtf8.status).toBe(200);
        const raw = await tp.call('POST', path, { headers: { 'Content-Type': 'application/json; charset=iso-8859-1' }, body: latin1 });
        expect([raw.status, raw.text]).toEqual([200, OK]);
        expect(tp.thirdParty.journal.slice(-5).map((e) => e.route)).toEqual([
          `${prefix}-no-content-type`,
          `${prefix}-not-json`,
          `${prefix}-not-json`,
          // fetch sends the string as UTF-8: a valid body, stored.
          `${prefix}-create`,
          `${prefix}-not-utf8`,
        ]);
      }
      // Only the UTF-8 "Renée" order, once (the second path's is a duplicate).
      expect(tp.thirdParty.items('orders')).toEqual([expect.objectContaining({ order_id: '00001001', customer_name: 'Renée' })]);
    });

    it('an empty platform is no platform', async () => {
      const utoken = await token(tp);
      const res = await postOrder(tp, { ...fixed(utoken), platform: '' });
      expect([res.status, res.text]).toEqual([200, NO_PLATFORM]);
      expect(tp.thirdParty.items('orders')).toEqual([]);
    });
  });

  describe('bottom_lines', () => {
    it('unknown app key → 404 envelope', async () => {
      const res = await tp.call('GET', '/v1/apps/other-key/bottom_lines', { query: 'count=100&page=1' });
      expect(res.status).toBe(404);
      expect(res.text).toBe(envelope404('other-key'));
    });

    it('a utoken that is sent must be valid (unknown, expired, empty → 401 envelope)', async () => {
      const bad = await tp.call('GET', `/v1/apps/${APP_KEY}/bottom_lines`, { query: 'count=100&page=1&utoken=nope' });
      expect(bad.status).toBe(401);
      expect(bad.text).toBe('{"status":{"message":"Invalid utoken","code":401}}');
      const empty = await tp.call('GET', `/v1/apps/${APP_KEY}/bottom_lines`, { query: 'count=100&page=1&utoken=' });
      expect(empty.status).toBe(401);
      expect(empty.text).toBe('{"status":{"message":"utoken is missing","code":401}}');
      const utoken = await token(tp);
      clock.advance(14 * DAY);
      const expired = await tp.call('GET', `/v1/apps/${APP_KEY}/bottom_lines`, { query: `count=100&page=1&utoken=${utoken}` });
      expect(expired.status).toBe(401);
      expect(expired.text).toBe('{"status":{"message":"utoken expired","code":401}}');
    });
  });

  it('reset() forgets orders and tokens', async () => {
    const utoken = await token(tp);
    await postOrder(tp, sampleOrder(utoken, { validateData: true, platform: true }));
    expect(tp.thirdParty.items('orders')).toHaveLength(1);
    expect((await tp.call('POST', '/__sandbox/reset')).status).toBe(204);
    expect(tp.thirdParty.items('orders')).toEqual([]);
    expect((await postOrder(tp, sampleOrder(utoken, { validateData: true, platform: true }))).status).toBe(401);
  });
});

describe('reviews profile: determinism and options', () => {
  const running: Served[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
  });
  async function start(options: ReviewsProfileOptions = {}): Promise<Served> {
    const s = await serve(options);
    running.push(s);
    return s;
  }
  /** Every byte a SendProductRatings run and a token request get. */
  async function bytes(tp: Served): Promise<string> {
    const pages = await sendProductRatings(tp, START);
    const tokenAnswer = await tp.call('POST', '/oauth/token', tokenRequest());
    return [...pages.map((p) => p.text), tokenAnswer.text].join('\n');
  }

  it('same seed → identical bytes; another seed → different scores and tokens, same products', async () => {
    const a = await bytes(await start({ seed: 7 }));
    const b = await bytes(await start({ seed: 7 }));
    const c = await bytes(await start({ seed: 8 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    const keys = (s: string): string[] =>
      s
        .split('\n')
        .slice(0, -1)
        .flatMap((p) => (JSON.parse(p) as BottomLinesPage).response.bottomlines.map((l) => l.domain_key));
    expect(keys(c)).toEqual(keys(a));
    const tokenOf = (s: string): unknown => (JSON.parse(s.split('\n').at(-1) ?? '{}') as { access_token: string }).access_token;
    expect(tokenOf(c)).not.toBe(tokenOf(a));
    // The default seed is deterministic too, and reset() brings back the same bytes.
    const d = await start();
    const first = await bytes(d);
    d.thirdParty.reset();
    expect(await bytes(d)).toBe(first);
  });

  it('products: the number of products before yotpo_site_reviews', async () => {
    const five = await start({ products: 5 });
    const page = (await five.call('GET', `/v1/apps/${APP_KEY}/bottom_lines`, { query: 'count=100&page=1' })).json as BottomLinesPage;
    expect(page.response.bottomlines.map((l) => l.domain_key)).toEqual(['P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'yotpo_site_reviews']);
    const none = await start({ products: 0 });
    const only = (await none.call('GET', `/v1/apps/${APP_KEY}/bottom_lines`, { query: 'count=100&page=1' })).json as BottomLinesPage;
    expect(only.response.bottomlines.map((l) => l.domain_key)).toEqual(['yotpo_site_reviews']);
    // The first products keep their figures whatever the number of products.
    const all = await start();
    const first = (await all.call('GET', `/v1/apps/${APP_KEY}/bottom_lines`, { query: 'count=5&page=1' })).json as BottomLinesPage;
    expect(first.response.bottomlines).toEqual(page.response.bottomlines.slice(0, 5));
  });

  it('appKey and appSecret: the token for the new key, its paths; the default key is unknown', async () => {
    const tp = await start({ appKey: 'shop-42', appSecret: 's3cret' });
    expect((await tp.call('POST', '/oauth/token', tokenRequest())).status).toBe(401);
    const utoken = await token(tp, 'shop-42', 's3cret');
    const order = sampleOrder(utoken, { validateData: true, platform: true });
    expect((await postOrder(tp, order, '/shop-42/orders')).text).toBe(OK);
    expect((await postOrder(tp, order, `/${APP_KEY}/orders`)).text).toBe(envelope404(APP_KEY));
    expect((await tp.call('GET', '/v1/apps/shop-42/bottom_lines', { query: 'count=1&page=1' })).status).toBe(200);
    expect((await tp.call('GET', `/v1/apps/${APP_KEY}/bottom_lines`, { query: 'count=1&page=1' })).text).toBe(envelope404(APP_KEY));
    expect(tp.thirdParty.items('orders')).toHaveLength(1);
  });
});
