/**
 * `up --https` serves TLS with a generated certificate; `--seed` adds deterministic generated data.
 */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startCommerceServer } from '../../mock-commerce/app.js';
import { DEMO, basic, load } from '../helpers/commerce.js';

function httpsGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS and seeded data', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startCommerceServer(load({ projectDir: DEMO, seed: 42 }), { https: true });
  });
  afterAll(() => server.close());

  it('serves HTTPS, and absolute URLs in answers use https', async () => {
    expect(server.url.startsWith('https://127.0.0.1:')).toBe(true);
    const res = await httpsGet(`${server.url}/odata2webservices/ThirdPartyInboundProduct/Products?$top=1`, { Authorization: basic('integrationuser', 'sandbox'), Accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.body).toContain(`"uri":"${server.url}/odata2webservices/ThirdPartyInboundProduct/Products('`);
  });

  it('adds the generated products to the demo data, the same for the same seed', async () => {
    const count = await httpsGet(`${server.url}/odata2webservices/ThirdPartyInboundProduct/Products/$count`, { Authorization: basic('integrationuser', 'sandbox') });
    expect(Number(count.body)).toBeGreaterThan(100);
    const again = load({ projectDir: DEMO, seed: 42 });
    const other = load({ projectDir: DEMO, seed: 43 });
    const first = load({ projectDir: DEMO, seed: 42 });
    expect(JSON.stringify(again.store.snapshot())).toBe(JSON.stringify(first.store.snapshot()));
    expect(JSON.stringify(other.store.snapshot())).not.toBe(JSON.stringify(first.store.snapshot()));
  });
});
