/**
 * `startSandbox`: the simulated Commerce and third parties on free ports, over real HTTP — the project,
 * third parties from profiles, options and files, the shared fixed clock, cron jobs, reset, close and
 * the start errors.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, SandboxStartError, startSandbox } from '../../../scenarios/sandbox/start-sandbox.js';
import { basic } from '../../helpers/commerce.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const AUTH = basic('integrationuser', 'sandbox');
const PRODUCTS = '/odata2webservices/ThirdPartyInboundProduct/Products';

const tmp = mkdtempSync(join(tmpdir(), 'start-sandbox-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A small third-party definition file (mock-third-party format). */
const SHOP_FILE = join(tmp, 'shop.yaml');
writeFileSync(
  SHOP_FILE,
  `name: shop
routes:
  - method: GET
    path: /ping
    response: { status: 200, body: { pong: true } }
`,
);

async function reviewsToken(url: string): Promise<Response> {
  return fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_id: 'sandbox-app-key', client_secret: 'sandbox-app-secret', grant_type: 'client_credentials' }),
  });
}

async function startError(options: Parameters<typeof startSandbox>[0]): Promise<Error> {
  try {
    const sandbox = await startSandbox(options);
    await sandbox.close();
  } catch (e) {
    return e as Error;
  }
  throw new Error('the sandbox started');
}

describe('a sandbox with the demo project and third parties (fixed time)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({
      time: '2026-01-05T09:00:00Z',
      thirdParties: ['reviews', { profile: 'reviews', name: 'r2', options: { products: 3 } }, { file: SHOP_FILE }, { file: SHOP_FILE, name: 'shop2' }],
    });
  });
  afterAll(() => sandbox.close());

  it('serves the demo project (Basic integrationuser/sandbox)', async () => {
    expect(sandbox.commerceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${sandbox.commerceUrl}/odata2webservices/Orders/$metadata`, { headers: { Authorization: AUTH } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('EntityType Name="Order"');
    const denied = await fetch(`${sandbox.commerceUrl}/odata2webservices/Orders/$metadata`, { headers: { Authorization: basic('integrationuser', 'wrong') } });
    expect(denied.status).toBe(401);
    await denied.arrayBuffer();
    expect(sandbox.load.errors).toEqual([]);
    expect(sandbox.commerce.integrationObjects.codes()).toEqual(expect.arrayContaining(['Orders', 'ThirdPartyInboundProduct']));
  });

  it('names the third parties: profile name, given name, definition name, given name over a file', () => {
    expect(Object.keys(sandbox.thirdParties)).toEqual(['reviews', 'r2', 'shop', 'shop2']);
    const urls = Object.values(sandbox.thirdParties).map((t) => t.url);
    expect(new Set([sandbox.commerceUrl, ...urls]).size).toBe(5);
    for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.endpoints).toEqual({ commerceUrl: sandbox.commerceUrl, thirdParties: Object.fromEntries(Object.entries(sandbox.thirdParties).map(([n, t]) => [n, t.url])) });
  });

  it("thirdParties: ['reviews'] answers the token endpoint", async () => {
    const res = await reviewsToken(sandbox.thirdParties.reviews!.url);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string };
    expect(body).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9]{40}$/) as unknown, token_type: 'bearer' });
    expect(sandbox.thirdParties.reviews!.thirdParty.journal.map((e) => [e.method, e.path, e.status])).toContainEqual(['POST', '/oauth/token', 200]);
  });

  it('a profile with options under another name (products: 3 → P-1 … P-3 and the site reviews)', async () => {
    const res = await fetch(`${sandbox.thirdParties.r2!.url}/v1/apps/sandbox-app-key/bottom_lines?count=100&page=1`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response: { bottomlines: { domain_key: string }[] } };
    expect(body.response.bottomlines.map((b) => b.domain_key)).toEqual(['P-1', 'P-2', 'P-3', 'yotpo_site_reviews']);
    // The default profile has 250 products.
    const all = (await (await fetch(`${sandbox.thirdParties.reviews!.url}/v1/apps/sandbox-app-key/bottom_lines?count=100&page=3`)).json()) as typeof body;
    expect(all.response.bottomlines.map((b) => b.domain_key).slice(-2)).toEqual(['P-250', 'yotpo_site_reviews']);
  });

  it('a third party from a YAML file', async () => {
    for (const name of ['shop', 'shop2']) {
      const res = await fetch(`${sandbox.thirdParties[name]!.url}/ping`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ pong: true });
    }
    expect(sandbox.thirdParties.shop!.thirdParty.journal).toHaveLength(1);
  });

  it('time fixed: now() is that time and stays there', async () => {
    expect(sandbox.now()).toBe(T0);
    await new Promise((r) => setTimeout(r, 30));
    expect(sandbox.now()).toBe(T0);
    expect(sandbox.commerce.clock()).toBe(T0);
  });

  it('runCronJob: the essential data outbound sync cron job finishes; an unknown code is undefined', async () => {
    const outcome = await sandbox.runCronJob('outboundSyncCronJob');
    expect(outcome).toMatchObject({ code: 'outboundSyncCronJob', status: 'FINISHED', result: 'SUCCESS', startTime: '2026-01-05T09:00:00.000Z', endTime: '2026-01-05T09:00:00.000Z' });
    expect(await sandbox.runCronJob('noSuchCronJob')).toBeUndefined();
  });

  it('reset() restores Commerce data changed over HTTP and empties the third-party journals', async () => {
    const key = `${PRODUCTS}('Online%7CsandboxProductCatalog%7CRESET-1')`;
    const created = await fetch(`${sandbox.commerceUrl}${PRODUCTS}`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ code: 'RESET-1', reviewCount: 7, catalogVersion: { version: 'Online', catalog: { id: 'sandboxProductCatalog' } } }),
    });
    expect(created.status).toBe(201);
    await created.arrayBuffer();
    const read = await fetch(`${sandbox.commerceUrl}${key}`, { headers: { Authorization: AUTH, Accept: 'application/json' } });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { d: { reviewCount: number } }).d.reviewCount).toBe(7);
    await (await reviewsToken(sandbox.thirdParties.reviews!.url)).arrayBuffer();
    expect(sandbox.thirdParties.reviews!.thirdParty.journal.length).toBeGreaterThan(0);

    sandbox.reset();

    const gone = await fetch(`${sandbox.commerceUrl}${key}`, { headers: { Authorization: AUTH, Accept: 'application/json' } });
    expect(gone.status).toBe(404);
    await gone.arrayBuffer();
    for (const t of Object.values(sandbox.thirdParties)) expect(t.thirdParty.journal).toEqual([]);
    // Commerce's own request journal is cleared too.
    const journal = (await (await fetch(`${sandbox.commerceUrl}/__sandbox/requests`)).json()) as { requests: unknown[] };
    expect(journal.requests).toHaveLength(1); // the GET that found nothing
  });
});

describe('the sandbox clock', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ project: null, time: T0, thirdParties: ['reviews'] });
  });
  afterAll(() => sandbox.close());

  it("advance('5m') moves the clock by 300000 ms and resolves with the timers that fired", async () => {
    const start = sandbox.now();
    expect(start).toBe(T0);
    sandbox.commerce.time.schedule(start + 60_000, 'in one minute', () => 'ran');
    sandbox.commerce.time.schedule(start + 600_000, 'in ten minutes', () => 'ran later');
    const fired = await sandbox.advance('5m');
    expect(sandbox.now()).toBe(start + 300_000);
    expect(fired).toEqual([{ label: 'in one minute', at: start + 60_000, result: 'ran' }]);
    expect(sandbox.commerce.time.pending()).toEqual([{ label: 'in ten minutes', at: start + 600_000 }]);
    expect(await sandbox.advance(300_000)).toEqual([{ label: 'in ten minutes', at: start + 600_000, result: 'ran later' }]);
    expect(sandbox.now()).toBe(start + 600_000);
  });

  it('an invalid duration rejects and leaves the clock where it was', async () => {
    const before = sandbox.now();
    await expect(sandbox.advance('soon')).rejects.toThrow(new RangeError('invalid duration: soon'));
    await expect(sandbox.advance(-1)).rejects.toThrow(RangeError);
    // A duration that parses but leads beyond what a Date can show rejects too (no synchronous throw).
    const beyond = sandbox.advance('100000000d');
    await expect(beyond).rejects.toThrow(RangeError);
    expect(sandbox.now()).toBe(before);
  });

  it('the third party runs on the sandbox clock: a reviews token expires after 14 days of sandbox time', async () => {
    const reviews = sandbox.thirdParties.reviews!.url;
    const res = await reviewsToken(reviews);
    expect(res.status).toBe(200);
    const { access_token: token } = (await res.json()) as { access_token: string };
    const bottomLines = `${reviews}/v1/apps/sandbox-app-key/bottom_lines?count=1&page=1&utoken=${token}`;
    const fresh = await fetch(bottomLines);
    expect(fresh.status).toBe(200);
    await fresh.arrayBuffer();

    await sandbox.advance('15d');

    const expired = await fetch(bottomLines);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ status: { message: 'utoken expired', code: 401 } });
    const unknown = await fetch(`${reviews}/v1/apps/sandbox-app-key/bottom_lines?utoken=nope`);
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ status: { message: 'Invalid utoken', code: 401 } });
  });
});

describe('startSandbox: projects', () => {
  it('project: null starts with the built-in types and essential data only', async () => {
    const sandbox = await startSandbox({ project: null });
    try {
      expect(sandbox.thirdParties).toEqual({});
      expect(sandbox.load.errors).toEqual([]);
      expect(sandbox.load.impexFiles.length).toBeGreaterThan(0);
      for (const { file } of sandbox.load.impexFiles) expect(file).toContain(join('mock-commerce', 'essential-data'));
      expect(sandbox.commerce.integrationObjects.codes()).not.toContain('Orders');
      expect(sandbox.commerce.store.find('Product', { code: 'P-1' })).toEqual([]);
      // No demo user: the demo's credentials are refused.
      const res = await fetch(`${sandbox.commerceUrl}/odata2webservices/Orders/$metadata`, { headers: { Authorization: AUTH } });
      expect(res.status).toBe(401);
      await res.arrayBuffer();
      // The essential data is there; real time without `time`.
      expect((await sandbox.runCronJob('outboundSyncCronJob'))?.code).toBe('outboundSyncCronJob');
      expect(Math.abs(sandbox.now() - Date.now())).toBeLessThan(5_000);
    } finally {
      await sandbox.close();
    }
  });

  it('a project that fails to load → SandboxStartError naming the file and line', async () => {
    const project = join(tmp, 'bad-project');
    mkdirSync(join(project, 'impex'), { recursive: true });
    const file = join(project, 'impex', 'bad.impex');
    writeFileSync(file, 'INSERT_UPDATE NoSuchType; code[unique = true]\n; x\n');
    const e = await startError({ project });
    expect(e).toBeInstanceOf(SandboxStartError);
    expect(e.name).toBe('SandboxStartError');
    expect(e.message).toBe(`the project failed to load:\n  ${file}:1: unknown type NoSuchType`);
  });

  it('a project folder that does not exist → SandboxStartError', async () => {
    const project = join(tmp, 'no-such-project');
    const e = await startError({ project });
    expect(e).toBeInstanceOf(SandboxStartError);
    expect(e.message).toBe(`the project failed to load:\n  ${project}:0: the project folder does not exist`);
  });
});

describe('startSandbox: bad options', () => {
  it('two third parties with one name → SandboxStartError', async () => {
    for (const thirdParties of [['reviews', 'reviews'], ['reviews', { profile: 'reviews' }], [{ file: SHOP_FILE }, { profile: 'reviews', name: 'shop' }]]) {
      const e = await startError({ project: null, thirdParties });
      expect(e).toBeInstanceOf(SandboxStartError);
      expect(e.message).toMatch(/^two third parties are named '(reviews|shop)'$/);
    }
  });

  it("time: 'nope' → SandboxStartError", async () => {
    const e = await startError({ project: null, time: 'nope' });
    expect(e).toBeInstanceOf(SandboxStartError);
    expect(e.message).toBe('time must be epoch milliseconds or ISO 8601: nope');
    expect(await startError({ project: null, time: Number.NaN })).toBeInstanceOf(SandboxStartError);
  });

  it('an unknown profile is an error naming the built-in ones', async () => {
    expect((await startError({ project: null, thirdParties: ['nope'] })).message).toBe("unknown third-party profile 'nope' (built-in: reviews)");
  });
});

describe('close()', () => {
  it('frees the ports: requests afterwards fail', async () => {
    const sandbox = await startSandbox({ project: null, thirdParties: ['reviews'] });
    const commerce = sandbox.commerceUrl;
    const reviews = sandbox.thirdParties.reviews!.url;
    const before = await fetch(`${commerce}/__sandbox/health`);
    expect(before.status).toBe(200);
    await before.arrayBuffer();
    await (await reviewsToken(reviews)).arrayBuffer();

    await sandbox.close();

    await expect(fetch(`${commerce}/__sandbox/health`)).rejects.toThrow(TypeError);
    await expect(reviewsToken(reviews)).rejects.toThrow(TypeError);
  });
});
