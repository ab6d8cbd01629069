/**
 * `commerce-sandbox up`: loads a project, prints one line per served integration object, serves it;
 * a project that fails to load exits non-zero with the errors.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../mock-commerce/util/package-root.js';
import { DEMO, basic, fixtureProject } from '../helpers/commerce.js';

const ROOT = packageRoot();
const CLI = join(ROOT, 'bin', 'commerce-sandbox.ts');
const children: ChildProcess[] = [];

function run(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitFor(predicate: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe('commerce-sandbox up', () => {
  it('serves the demo project and lists its integration objects with their URLs', async () => {
    const p = run(['up', '--project', DEMO, '--commerce-port', '0']);
    await waitFor(() => /ThirdPartyInboundProduct: /.test(p.stdout()) && /built-in: /.test(p.stdout()));
    const lines = p.stdout().trim().split('\n');
    expect(lines[0]).toMatch(/^commerce-sandbox: Commerce 2211 on http:\/\/127\.0\.0\.1:\d+ /);
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(lines[0]!)![1]!;
    expect(lines.slice(1, 3)).toEqual([`  Orders: ${url}/odata2webservices/Orders`, `  ThirdPartyInboundProduct: ${url}/odata2webservices/ThirdPartyInboundProduct`]);
    // Commerce's own integration objects (meta API, monitoring) are summarised on one line.
    expect(lines[3]).toMatch(/^ {2}built-in: IntegrationService, /);

    const ok = await fetch(`${url}/odata2webservices/Orders/$metadata`, { headers: { Authorization: basic('integrationuser', 'sandbox') } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('s:Alias="OrderEntry_entryNumber|Order_code"');
    expect((await fetch(`${url}/odata2webservices/Orders/$metadata`)).status).toBe(401);

    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  });

  it('exits non-zero and names file and line when the project fails to load', async () => {
    const p = run(['up', '--project', fixtureProject('broken'), '--commerce-port', '0']);
    expect(await p.exit).toBe(1);
    expect(p.stderr()).toMatch(/10-broken\.impex:2: .*NOT_A_TYPE/);
    expect(p.stderr()).toMatch(/10-broken\.impex:4: unknown type NoSuchType/);
    expect(p.stdout()).toBe('');
  });

  it('rejects an unknown version profile', async () => {
    const p = run(['up', '--project', DEMO, '--commerce-version', '1905']);
    expect(await p.exit).not.toBe(0);
    expect(p.stderr()).toContain('1905');
  });

  it('starts built-in third-party profiles on their own port, with the admin API', async () => {
    const p = run(['up', '--project', DEMO, '--commerce-port', '0', '--third-party', 'reviews', '--third-party-port', '0']);
    await waitFor(() => /third party reviews on /.test(p.stdout()));
    const url = /third party reviews on (http:\/\/127\.0\.0\.1:\d+)/.exec(p.stdout())![1]!;
    const health = await fetch(`${url}/__sandbox/health`);
    expect(await health.json()).toEqual({ status: 'UP', system: 'third-party', name: 'reviews' });
    const token = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: 'sandbox-app-key', client_secret: 'sandbox-app-secret', grant_type: 'client_credentials' }),
    });
    expect(token.status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  });

  it('refuses an unknown profile and a bad third-party definition, naming file and line', async () => {
    const unknown = run(['up', '--project', DEMO, '--commerce-port', '0', '--third-party', 'nope']);
    expect(await unknown.exit).toBe(1);
    expect(unknown.stderr()).toContain("unknown third-party profile 'nope'");
    const bad = run(['up', '--project', fixtureProject('broken-third-party'), '--commerce-port', '0']);
    expect(await bad.exit).toBe(1);
    expect(bad.stderr()).toMatch(/shop\.yaml:5:\d+: .*respons/);
  });
});

