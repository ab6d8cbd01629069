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
});
