/**
 * Server children of the suite: each server under test runs in a process of its own (forked under
 * tsx, like the suite), reports `{ kind: 'ready', url, … }` over IPC once it listens, answers `memory`
 * and exits on `stop` or when the suite goes away.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface Ready {
  kind: 'ready';
  url: string;
}

export interface Child<R extends Ready = Ready> {
  child: ChildProcess;
  ready: R;
}

/** `BENCH_CPU_PROF=<dir>`: every server child writes a V8 CPU profile there when it exits. */
function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/**
 * Forks `bench/lib/<script>` with `args` and waits for its ready message: under tsx like the suite, or
 * with `plainNode` on plain node (a `.mjs` script measuring the built dist/).
 */
export function startChild<R extends Ready>(script: string, args: string[], options: { gc?: boolean; timeoutMs?: number; plainNode?: boolean } = {}): Promise<Child<R>> {
  return new Promise((resolve, reject) => {
    const child = fork(join(HERE, script), args, {
      execArgv: [...(options.plainNode ? [] : process.execArgv), ...(options.gc ? ['--expose-gc'] : []), ...profileArgs()],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${script} was not ready within ${options.timeoutMs ?? 120_000} ms`));
    }, options.timeoutMs ?? 120_000);
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with code ${code} before it was ready`));
    };
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (m: { kind: string; message?: string }) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      if (m.kind === 'ready') resolve({ child, ready: m as R });
      else {
        child.kill();
        reject(new Error(m.kind === 'failed' ? `${script} failed: ${m.message ?? ''}` : `${script}: unexpected message ${m.kind}`));
      }
    });
  });
}

export function askMemory(child: ChildProcess): Promise<{ rssMB: number; peakRssMB: number } | undefined> {
  return new Promise((resolve) => {
    if (!child.connected) return resolve(undefined);
    const timer = setTimeout(() => resolve(undefined), 5_000);
    child.once('message', (m: { kind: string; rssMB: number; peakRssMB: number }) => {
      clearTimeout(timer);
      resolve(m.kind === 'memory' ? m : undefined);
    });
    child.send('memory');
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send('stop');
    else child.kill();
  });
}

/**
 * Puts a child's node:http server on a free loopback port, tells the parent it is ready (with `extra`),
 * and serves the child side of the protocol for it.
 */
export async function serveChild(server: Server, memory: () => { rssMB: number; peakRssMB: number }, extra: () => Record<string, unknown> = () => ({})): Promise<void> {
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  process.send?.({ kind: 'ready', url: `http://127.0.0.1:${port}`, ...extra() });
  childProtocol(
    () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    memory,
  );
}

/** Serves the child side of the protocol for a server with a `close()`. */
export function childProtocol(close: () => Promise<void>, memory: () => { rssMB: number; peakRssMB: number }): void {
  const exit = (): void => void close().then(() => process.exit(0));
  process.on('message', (m) => {
    if (m === 'memory') process.send?.({ kind: 'memory', ...memory() });
    else if (m === 'stop') exit();
  });
  process.on('disconnect', exit);
}
