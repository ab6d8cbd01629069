/**
 * `createCommerceApp()`: the same core behind Express 5, for users' own servers and supertest.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createCommerceApp } from '../../mock-commerce/app.js';
import { DEMO, basic, load } from '../helpers/commerce.js';

describe('createCommerceApp (Express)', () => {
  const app = createCommerceApp(load({ projectDir: DEMO }));

  it('serves $metadata and entities with the same bytes as the node:http server would', async () => {
    const metadata = await request(app).get('/odata2webservices/Orders/$metadata').set('Authorization', basic('integrationuser', 'sandbox'));
    expect(metadata.status).toBe(200);
    expect(metadata.headers['content-type']).toMatch(/^application\/xml/);
    expect(metadata.text).toContain('s:Alias="OrderEntry_entryNumber|Order_code"');
    const order = await request(app)
      .get("/odata2webservices/Orders/Orders('00001001')?$expand=entries")
      .set('Authorization', basic('integrationuser', 'sandbox'))
      .set('Accept', 'application/json');
    expect(order.status).toBe(200);
    const body = order.body as { d: { __metadata: { uri: string }; entries: { results: unknown[] } } };
    expect(body.d.__metadata.uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/odata2webservices\/Orders\/Orders\('00001001'\)$/);
    expect(body.d.entries.results).toHaveLength(1);
  });

  it('answers 401 with the challenge and 404 for unknown paths', async () => {
    const res = await request(app).get('/odata2webservices/Orders/Orders');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect((await request(app).get('/elsewhere').set('Authorization', basic('integrationuser', 'sandbox'))).status).toBe(404);
  });
});
