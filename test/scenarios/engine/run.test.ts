/**
 * The scenario runner end to end: every shipped scenario passes with the reference flows; a scenario
 * whose expectations do not hold fails with a diff naming the request and the field; a broken external
 * flow fails the run (and `commerce-sandbox run` exits non-zero); an external flow started by command
 * passes the same SendOrders scenario as the reference flow.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../mock-commerce/util/package-root.js';
import { CATALOG_DIR, findScenarioFiles, runScenarioFile, runScenarios } from '../../../scenarios/engine/run-scenarios.js';
import { commandFlow, externalFlow } from '../../../scenarios/flows/external.js';
import { junitReport } from '../../../scenarios/report/index.js';
import type { ScenarioResult } from '../../../scenarios/report/model.js';

const ROOT = packageRoot();
const SEND_ORDERS = join(CATALOG_DIR, 'send-orders.yaml');

/** A failed result's failures as text, so that a failing assertion shows why. */
function explain(result: ScenarioResult): string {
  return `${result.name}: ${result.status}\n${result.failures.map((f) => `${f.step ?? ''}: ${f.message}\n${f.diff ?? ''}`).join('\n')}\n${(result.log ?? []).join('\n')}`;
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'scenarios-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the shipped scenarios', () => {
  const files = findScenarioFiles([CATALOG_DIR]);

  it('are found: the documented variants and the failure variants', () => {
    expect(files.map((f) => relative(CATALOG_DIR, f)).sort()).toEqual(
      [
        'basic-auth.yaml',
        'failures/ratings-commerce-rejects.yaml',
        'failures/ratings-first-page-empty.yaml',
        'failures/ratings-rate-limited.yaml',
        'failures/send-orders-5xx-then-retry.yaml',
        'failures/send-orders-token-rejected.yaml',
        'pass-through.yaml',
        'send-orders-fixed.yaml',
        'send-orders.yaml',
        'send-product-ratings.yaml',
        'transform.yaml',
        'webhook-pass-through.yaml',
      ].sort(),
    );
  });

  it('all pass with the reference flows, run in parallel', async () => {
    const summary = await runScenarios(files, { concurrency: 4 });
    for (const result of summary.results) expect(result.status, explain(result)).toBe('passed');
    expect(summary.results).toHaveLength(files.length);
    // the JUnit report has one test case per scenario
    const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(junitReport(summary)) as {
      testsuites: { testsuite: { '@_tests': string; '@_failures': string; testcase: { '@_name': string }[] } };
    };
    expect(xml.testsuites.testsuite.testcase.map((t) => t['@_name']).sort()).toEqual(summary.results.map((r) => r.name).sort());
    expect(xml.testsuites.testsuite['@_failures']).toBe('0');
  }, 60_000);
});

describe('a scenario whose expectations do not hold', () => {
  it('fails with a diff naming the request and the field', async () => {
    const file = join(tmp, 'wrong-order-id.yaml');
    const text = readFileSync(SEND_ORDERS, 'utf8').replace("order_id: '00002001'", "order_id: '00009999'").replace('impex/order-capture.impex', join(CATALOG_DIR, 'impex', 'order-capture.impex'));
    writeFileSync(file, text);
    const result = await runScenarioFile(file);
    expect(result.status).toBe('failed');
    expect(result.failures).toHaveLength(1);
    const [failure] = result.failures;
    expect(failure!.step).toBe('expect');
    expect(failure!.message).toBe('the requests third party reviews received do not match');
    expect(failure!.diff).toContain('thirdParty.reviews request 2 POST /sandbox-app-key/orders');
    expect(failure!.diff).toContain('$[1].body.order_id');
    expect(failure!.diff).toContain('- expected: "00009999"');
    expect(failure!.diff).toContain('+ actual:   "00002001"');
  }, 20_000);
});

/** An HTTP server that answers every request with `status`. */
async function answering(status: number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { 'Content-Type': 'application/json' }).end('{"error":"broken flow"}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('a broken external flow (answers 500)', () => {
  let broken: { url: string; server: Server };
  beforeAll(async () => {
    broken = await answering(500);
  });
  afterAll(() => new Promise<void>((resolve) => broken.server.close(() => resolve())));

  it('fails the scenario: Commerce records the failed send and the third party hears nothing', async () => {
    const result = await runScenarioFile(SEND_ORDERS, { flow: externalFlow({ url: `${broken.url}/orders` }) });
    expect(result.status).toBe('failed');
    const text = result.failures.map((f) => `${f.message}\n${f.diff ?? ''}`).join('\n');
    expect(text).toContain('cronJob');
    expect(text).toMatch(/"ERROR"/);
  }, 20_000);

  it('makes `commerce-sandbox run` exit non-zero, with a JUnit report of one failed testcase', async () => {
    const report = join(tmp, 'broken.xml');
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bin', 'commerce-sandbox.ts'), 'run', SEND_ORDERS, '--flow-url', `${broken.url}/orders`, '--reporter', 'junit', '--output', report, '--no-color'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, out).toBe(1);
    expect(out).toMatch(/0 passed, 1 failed/);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(report, 'utf8')) as {
      testsuites: { testsuite: { '@_tests': string; '@_failures': string; testcase: { '@_name': string; failure?: unknown } } };
    };
    expect(xml.testsuites.testsuite['@_tests']).toBe('1');
    expect(xml.testsuites.testsuite['@_failures']).toBe('1');
    expect(xml.testsuites.testsuite.testcase['@_name']).toBe('SendOrders — Commerce-triggered, OAuth with transformation (SAP sample)');
    expect(xml.testsuites.testsuite.testcase.failure).toBeDefined();
  }, 30_000);
});

/** A tiny SendOrders flow as a plain Node server: what a team's own middleware could look like. */
const TINY_FLOW = `
import { createServer } from 'node:http';
const reviews = process.env.FLOW_PARAM_ThirdParty_Base_Url;
const key = process.env.FLOW_PARAM_ThirdParty_App_Key;
const secret = process.env.FLOW_PARAM_ThirdParty_App_Secret;
const shop = process.env.FLOW_PARAM_Commerce_Storefront_Url;
createServer(async (req, res) => {
  let text = '';
  for await (const chunk of req) text += chunk;
  if (req.method !== 'POST') return res.writeHead(200).end();
  try {
    const order = JSON.parse(text);
    const token = await (await fetch(reviews + '/oauth/token', { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ client_id: key, client_secret: secret, grant_type: 'client_credentials' }) })).json();
    const products = {};
    for (const entry of order.entries ?? []) {
      const p = entry.product;
      products[p.code] = { url: shop + '/p/' + p.code, name: p.name, description: p.description ?? '', price: Number.isInteger(entry.basePrice) ? entry.basePrice.toFixed(1) : String(entry.basePrice), image: shop + (p.picture?.URL ?? '') };
    }
    const body = { validate_data: 'true', platfom: 'general', utoken: token.access_token, email: order.user.uid, customer_name: order.user.name,
      order_id: order.code, order_date: new Date(Number(/\\d+/.exec(order.date)[0])).toISOString().replace('Z', ''), currency_iso: order.currency.isocode, products };
    const sent = await fetch(reviews + '/' + key + '/orders', { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });
    if (!sent.ok) throw new Error('third party answered ' + sent.status);
    res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ d: { integrationKey: order.integrationKey } }));
  } catch (e) {
    res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: String(e) }));
  }
}).listen(Number(process.env.FLOW_PORT), '127.0.0.1');
`;

describe('an external flow started by command', () => {
  it('passes the same SendOrders scenario as the reference flow', async () => {
    const script = join(tmp, 'tiny-flow.mjs');
    writeFileSync(script, TINY_FLOW);
    const flow = commandFlow({ run: `"${process.execPath}" ${basename(script)}`, url: 'http://127.0.0.1:${port}/orders' }, tmp);
    const result = await runScenarioFile(SEND_ORDERS, { flow });
    expect(result.status, explain(result)).toBe('passed');
    const reference = await runScenarioFile(SEND_ORDERS);
    expect(reference.status, explain(reference)).toBe('passed');
    expect(result.steps.map((s) => [s.name, s.status])).toEqual(reference.steps.map((s) => [s.name, s.status]));
  }, 30_000);
});
