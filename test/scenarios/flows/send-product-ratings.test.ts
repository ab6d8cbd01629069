/**
 * SendProductRatings end to end over real HTTP (spec §4): the timer run pages through the reviews third
 * party's bottom lines and imports each product into the demo Commerce through the
 * ThirdPartyInboundProduct OData service (Atom, CSRF fetch per call, $metadata cached).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FlowRun, RunningFlow } from '../../../scenarios/flows/contract.js';
import { referenceFlows } from '../../../scenarios/flows/reference/index.js';
import { type Systems, T0, clearCommerceRequests, commerceRequests, contextFor, readProduct, startSystems } from './helpers.js';

let systems: Systems;

beforeAll(async () => {
  systems = await startSystems({ products: 110 });
});
afterAll(() => systems.close());

/** A third party whose bottom_lines pages are set per test: page number → [status, body]. */
class StubReviews {
  pages = new Map<number, [number, string]>();
  readonly requests: string[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<StubReviews> {
    const holder: { stub?: StubReviews } = {};
    const server = createServer((req, res) => {
      const stub = holder.stub!;
      stub.requests.push(req.url ?? '');
      const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page'));
      const [status, body] = stub.pages.get(page) ?? [200, page === 0 ? 'page 0?' : bottomLines([])];
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.stub = new StubReviews(server, `http://127.0.0.1:${(server.address() as AddressInfo).port.toString()}`);
    return holder.stub;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A v1 bottom_lines answer; lines are raw JSON so scores keep their text (`5.0`). */
function bottomLines(lines: string[]): string {
  return `{"status":{"code":200,"message":"OK"},"response":{"bottomlines":[${lines.join(',')}],"page":"1","per_page":"100"}}`;
}

function line(code: string, score: string, count: number): string {
  return `{"domain_key":"${code}","product_score":${score},"total_reviews":${count.toString()}}`;
}

const trafficOf = (requests: Awaited<ReturnType<typeof commerceRequests>>) =>
  requests.map((r) => (r.path.endsWith('$metadata') ? 'metadata' : r.method === 'GET' && r.headers['x-csrf-token'] === 'Fetch' ? 'fetch' : `${r.method} ${r.path.split('/').at(-1)!}`));

describe('SendProductRatings with the reviews profile', () => {
  it('imports every page into Commerce: 1 GET per page, per product a CSRF fetch and an Atom POST, $metadata once', async () => {
    const flow = await referenceFlows['send-product-ratings']!().start(contextFor(systems));
    try {
      systems.reviews.thirdParty.reset();
      await clearCommerceRequests(systems.server);
      expect(flow.inboundUrl).toBeUndefined();
      const run = await flow.trigger!();
      expect(run.error).toBeUndefined();
      expect(run.status).toBe('COMPLETED');

      // Third party: pages 1, 2 (100 + 11 bottom lines) and the empty page 3 that ends the loop.
      const gets = systems.reviews.thirdParty.journal;
      expect(gets.map((g) => [g.method, g.path, g.query])).toEqual(
        [1, 2, 3].map((page) => ['GET', '/v1/apps/sandbox-app-key/bottom_lines', { count: '100', page: String(page), since_date: '2026-01-04' }]),
      );
      // Commerce: $metadata first, then per product a token fetch and the POST.
      const requests = await commerceRequests(systems.server);
      expect(trafficOf(requests)).toEqual(['metadata', ...Array.from({ length: 111 }, () => ['fetch', 'POST Products']).flat()]);
      const post = requests.find((r) => r.method === 'POST')!;
      expect(post).toMatchObject({ status: 201, headers: { 'content-type': 'application/atom+xml', authorization: 'Basic ***' } });
      expect(post.path).toBe('/odata2webservices/ThirdPartyInboundProduct/Products');

      // The products carry the third party's figures afterwards (read through Commerce's OData API).
      const expected = systems.reviews.thirdParty.items('bottomlines') as { domain_key: string; product_score: number; total_reviews: number }[];
      expect(expected).toHaveLength(111);
      for (const item of [expected[0]!, expected[1]!, expected[99]!, expected[109]!, expected[110]!]) {
        const product = await readProduct(systems.server, item.domain_key);
        expect(product.status, item.domain_key).toBe(200);
        expect(Number(product.reviewRating)).toBe(item.product_score);
        expect(product.reviewCount).toBe(item.total_reviews);
      }
      expect(expected[110]!.domain_key).toBe('yotpo_site_reviews');

      // The log: initial properties, 3 pages × 3 steps, 111 products × 2 steps.
      expect(run.steps).toHaveLength(1 + 3 * 3 + 111 * 2);
      expect(run.steps.slice(0, 6).map((s) => `${s.name}: ${s.detail ?? ''}`)).toEqual([
        'Set Initial Properties: catalogId=sandboxProductCatalog',
        'Compute Page And Date: page=1 since_date=2026-01-04',
        `Retrieve Product Ratings: GET ${systems.reviews.url}/v1/apps/sandbox-app-key/bottom_lines?count=100&page=1&since_date=2026-01-04 → 200`,
        'Check Product Ratings: 100 products',
        `Build Product Rating XML: ${expected[0]!.domain_key}: reviewRating ${String(expected[0]!.product_score)}, reviewCount ${expected[0]!.total_reviews.toString()}`,
        expect.stringMatching(/^Import Product Rating To SAP Commerce: GET http:\/\/.*\/ThirdPartyInboundProduct\/\$metadata; GET .* \(X-CSRF-Token: Fetch\) → 200; POST .*\/Products → 201$/),
      ]);
      expect(run.steps.at(-1)).toMatchObject({ name: 'Check Product Ratings', detail: '0 products' });
      expect(flow.runs()).toEqual([run]);
    } finally {
      await flow.close();
    }
  });
});

describe('SendProductRatings against a scripted third party', () => {
  let stub: StubReviews;
  let now: number;
  let flow: RunningFlow;

  beforeAll(async () => {
    stub = await StubReviews.start();
  });
  afterAll(() => stub.close());
  beforeEach(async () => {
    stub.pages.clear();
    stub.requests.length = 0;
    now = T0;
    await clearCommerceRequests(systems.server);
  });

  async function trigger(options: Record<string, unknown> = {}): Promise<FlowRun> {
    flow = await referenceFlows['send-product-ratings']!(options).start(contextFor({ server: systems.server, reviews: { url: stub.url } }, {}, () => now));
    try {
      return await flow.trigger!();
    } finally {
      await flow.close();
    }
  }

  it('first page empty: one GET, no Commerce call, COMPLETED', async () => {
    const run = await trigger();
    expect(run.status).toBe('COMPLETED');
    expect(stub.requests).toEqual(['/v1/apps/sandbox-app-key/bottom_lines?count=100&page=1&since_date=2026-01-04']);
    expect(await commerceRequests(systems.server)).toEqual([]);
  });

  it('sends the score as written (5.0 stays 5.0) in an Atom entry typed from the metadata', async () => {
    stub.pages.set(1, [200, bottomLines([line('P-3', '5.0', 2)])]);
    const run = await trigger();
    expect(run.status).toBe('COMPLETED');
    const post = (await commerceRequests(systems.server)).find((r) => r.method === 'POST')!;
    expect(post.body).toContain('<d:code>P-3</d:code><d:reviewRating m:type="Edm.Double">5.0</d:reviewRating><d:reviewCount m:type="Edm.Int32">2</d:reviewCount>');
    expect(await readProduct(systems.server, 'P-3')).toEqual({ status: 200, reviewRating: '5.0', reviewCount: 2 });
  });

  it('a Commerce rejection mid-run fails the run; the products imported before stay imported', async () => {
    stub.pages.set(1, [200, bottomLines([line('P-1', '4.55769', 40), line('P-2', '"not a number"', 41), line('P-3', '1.5', 42)])]);
    const run = await trigger();
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/odata2webservices\/ThirdPartyInboundProduct\/Products → 400: \{"error"/);
    expect(run.steps.at(-1)).toMatchObject({ name: 'Import Product Rating To SAP Commerce', status: 'FAILED' });
    expect(await readProduct(systems.server, 'P-1')).toEqual({ status: 200, reviewRating: '4.55769', reviewCount: 40 });
    expect((await readProduct(systems.server, 'P-2')).reviewCount).not.toBe(41);
    expect((await readProduct(systems.server, 'P-3')).reviewCount).not.toBe(42);
    expect(stub.requests).toHaveLength(1);
  });

  it('fails on a third-party error or a body that is not JSON, before calling Commerce', async () => {
    stub.pages.set(1, [500, '{"status":{"code":500,"message":"Internal"}}']);
    let run = await trigger();
    expect(run).toMatchObject({ status: 'FAILED', error: `GET ${stub.url}/v1/apps/sandbox-app-key/bottom_lines?count=100&page=1&since_date=2026-01-04 → 500: {"status":{"code":500,"message":"Internal"}}` });
    stub.pages.set(1, [200, '<html>maintenance</html>']);
    run = await trigger();
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/^script Check Product Ratings: the third party's answer is not JSON/);
    expect(await commerceRequests(systems.server)).toEqual([]);
  });

  it('reads $metadata once an hour on the flow clock, across runs', async () => {
    stub.pages.set(1, [200, bottomLines([line('P-1', '4.0', 1)])]);
    flow = await referenceFlows['send-product-ratings']!().start(contextFor({ server: systems.server, reviews: { url: stub.url } }, {}, () => now));
    try {
      await flow.trigger!();
      now += 59 * 60 * 1000;
      await flow.trigger!();
      now += 2 * 60 * 1000;
      await flow.trigger!();
      expect(trafficOf(await commerceRequests(systems.server))).toEqual(['metadata', 'fetch', 'POST Products', 'fetch', 'POST Products', 'metadata', 'fetch', 'POST Products']);
      expect(flow.runs().map((r) => r.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    } finally {
      await flow.close();
    }
  });

  it('queues a trigger while a run is in progress: runs never overlap, each trigger gets its own run', async () => {
    stub.pages.set(1, [200, bottomLines([line('P-1', '4.0', 1)])]);
    flow = await referenceFlows['send-product-ratings']!().start(contextFor({ server: systems.server, reviews: { url: stub.url } }, {}, () => now));
    try {
      const [a, b] = await Promise.all([flow.trigger!(), flow.trigger!()]);
      expect(a.id).not.toBe(b.id);
      expect(a.endedAt! <= b.startedAt).toBe(true);
      expect(stub.requests.map((r) => /page=(\d)/.exec(r)![1])).toEqual(['1', '2', '1', '2']);
    } finally {
      await flow.close();
    }
  });

  it('fixed: the site-wide pseudo product is not imported', async () => {
    stub.pages.set(1, [200, bottomLines([line('yotpo_site_reviews', '4.86', 28), line('P-2', '3.9', 6)])]);
    const run = await trigger({ fixed: true });
    expect(run.status).toBe('COMPLETED');
    const posts = (await commerceRequests(systems.server)).filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toContain('<d:code>P-2</d:code>');
    expect(run.steps.find((s) => s.detail?.startsWith('yotpo_site_reviews'))!.detail).toBe('yotpo_site_reviews: site-wide score, not imported (fixed)');
  });

  it('reports an unreachable Commerce clearly', async () => {
    stub.pages.set(1, [200, bottomLines([line('P-1', '4.0', 1)])]);
    const closed = await closedPort();
    const address = `http://127.0.0.1:${closed.toString()}/odata2webservices/ThirdPartyInboundProduct`;
    flow = await referenceFlows['send-product-ratings']!().start(contextFor({ server: systems.server, reviews: { url: stub.url } }, { Commerce_ThirdPartyInboundProduct_Endpoint: address }));
    const run = await flow.trigger!();
    await flow.close();
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe(`reading the metadata failed: GET ${address}/$metadata: connect ECONNREFUSED 127.0.0.1:${closed.toString()}`);
  });
});
