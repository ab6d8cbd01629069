/**
 * Flows the sandbox does not implement: one already running at a URL (a team's middleware, an SCPI
 * tenant reachable from here), or one the runner starts as a process.
 *
 * - URL: Commerce's destination points at `url` (with `csrfUrl` and Basic `username`/`password` when
 *   given); a `trigger` step POSTs `triggerUrl` and records a run COMPLETED on a 2xx, FAILED otherwise.
 * - Command: the command runs through the shell with, in its environment, `FLOW_PORT` (a free port the
 *   flow should listen on), `SANDBOX_COMMERCE_URL`, `SANDBOX_THIRD_PARTY_<NAME>_URL` (name upper-cased,
 *   non-alphanumerics as `_`), `SANDBOX_COMMERCE_USER`/`SANDBOX_COMMERCE_PASSWORD`, and every flow
 *   parameter as `FLOW_PARAM_<Name>`. `${port}` in the URLs is FLOW_PORT. The runner waits until
 *   `readyUrl` (default `url`, else `triggerUrl`) answers at all, for up to 10 s; a process that exits
 *   before is an error with its output. `close()` ends the process (SIGTERM, then SIGKILL after 2 s).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { CommandFlowSpec, ExternalFlowSpec } from '../definition/model.js';
import type { FlowContext, FlowRun, FlowUnderTest, RunningFlow } from './contract.js';

const READY_TIMEOUT_MS = 10_000;

/** A run record for a trigger call of an external flow. */
async function triggerRun(flow: string, url: string, context: FlowContext): Promise<FlowRun> {
  const startedAt = context.now();
  const id = randomUUID();
  try {
    const res = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    const ok = res.status >= 200 && res.status < 300;
    return {
      id,
      flow,
      status: ok ? 'COMPLETED' : 'FAILED',
      startedAt,
      endedAt: context.now(),
      steps: [{ name: 'trigger', status: ok ? 'COMPLETED' : 'FAILED', startedAt, durationMs: 0, detail: `POST ${url} → ${res.status}` }],
      ...(ok ? {} : { error: `trigger answered ${res.status}: ${text.slice(0, 1024)}` }),
      attachments: [],
    };
  } catch (e) {
    return { id, flow, status: 'FAILED', startedAt, endedAt: context.now(), steps: [], error: `trigger failed: ${(e as Error).message}`, attachments: [] };
  }
}

function endpointFlow(name: string, spec: ExternalFlowSpec, context: FlowContext, close: () => Promise<void>): RunningFlow {
  const runs: FlowRun[] = [];
  return {
    ...(spec.url ? { inboundUrl: spec.url } : {}),
    ...(spec.csrfUrl ? { csrfUrl: spec.csrfUrl } : {}),
    ...(spec.username !== undefined ? { inboundCredentials: { username: spec.username, password: spec.password ?? '' } } : {}),
    ...(spec.triggerUrl
      ? {
          trigger: async () => {
            const run = await triggerRun(name, spec.triggerUrl!, context);
            runs.push(run);
            return run;
          },
        }
      : {}),
    runs: () => [...runs],
    close,
  };
}

export function externalFlow(spec: ExternalFlowSpec): FlowUnderTest {
  const name = `external:${spec.url ?? spec.triggerUrl ?? '?'}`;
  return { name, start: (context) => Promise.resolve(endpointFlow(name, spec, context, () => Promise.resolve())) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function commandFlow(spec: CommandFlowSpec, cwd: string): FlowUnderTest {
  const name = `command:${spec.run}`;
  return {
    name,
    async start(context) {
      const port = await freePort();
      const at = (s: string | undefined) => s?.replaceAll('${port}', String(port));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        FLOW_PORT: String(port),
        SANDBOX_COMMERCE_URL: context.endpoints.commerceUrl,
        SANDBOX_COMMERCE_USER: context.commerceCredentials.username,
        SANDBOX_COMMERCE_PASSWORD: context.commerceCredentials.password,
      };
      for (const [tp, url] of Object.entries(context.endpoints.thirdParties)) env[`SANDBOX_THIRD_PARTY_${envName(tp)}_URL`] = url;
      for (const [param, value] of Object.entries(context.parameters)) env[`FLOW_PARAM_${param}`] = value;
      const child = spawn(spec.run, { shell: true, cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-4096);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      const endpoint: ExternalFlowSpec = {
        ...(spec.url ? { url: at(spec.url)! } : {}),
        ...(spec.csrfUrl ? { csrfUrl: at(spec.csrfUrl)! } : {}),
        ...(spec.username !== undefined ? { username: spec.username } : {}),
        ...(spec.password !== undefined ? { password: spec.password } : {}),
        ...(spec.triggerUrl ? { triggerUrl: at(spec.triggerUrl)! } : {}),
      };
      const ready = at(spec.readyUrl) ?? endpoint.url ?? endpoint.triggerUrl;
      if (ready) {
        const deadline = Date.now() + READY_TIMEOUT_MS;
        for (;;) {
          if (child.exitCode !== null) throw new Error(`the flow command exited with ${child.exitCode} before it was ready:\n${output}`);
          try {
            await fetch(ready, { method: 'HEAD', signal: AbortSignal.timeout(500) });
            break;
          } catch {
            if (Date.now() > deadline) {
              await stop(child);
              throw new Error(`the flow command did not answer at ${ready} within ${READY_TIMEOUT_MS} ms:\n${output}`);
            }
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      }
      return endpointFlow(name, endpoint, context, () => stop(child));
    },
  };
}
