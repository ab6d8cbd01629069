/**
 * WireMock as the `wiremock` npm package ships it: its bundled standalone jar, run on the machine's
 * Java (the package's own bin does `java -jar <jar> …` through npm-java-runner; we start the same jar
 * ourselves so that we hold the Java process and can stop it).
 *
 * Options are WireMock's advice for load tests: no request journal, no request logging, no banner;
 * Jetty's default threads. Mappings come from `third-party-stubs.ts`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { wiremockMappings } from './third-party-stubs.js';

const require = createRequire(import.meta.url);

export function wiremockJar(): string {
  const build = join(dirname(require.resolve('wiremock/package.json')), 'build');
  const jar = readdirSync(build).find((f) => /^wiremock-standalone-.*\.jar$/.test(f));
  if (!jar) throw new Error(`no wiremock-standalone jar in ${build}`);
  return join(build, jar);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningWiremock {
  url: string;
  process: ChildProcess;
  startMillis: number;
  stop(): Promise<void>;
}

export async function startWiremock(rootDir: string): Promise<RunningWiremock> {
  mkdirSync(join(rootDir, 'mappings'), { recursive: true });
  mkdirSync(join(rootDir, '__files'), { recursive: true });
  for (const [file, mapping] of Object.entries(wiremockMappings())) writeFileSync(join(rootDir, 'mappings', file), JSON.stringify(mapping, null, 2));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    'java',
    ['-jar', wiremockJar(), '--port', String(port), '--bind-address', '127.0.0.1', '--root-dir', rootDir, '--no-request-journal', '--disable-request-logging', '--disable-banner'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WireMock exited with code ${child.exitCode}: ${stderr}`);
    try {
      const r = await fetch(`${url}/__admin/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`WireMock did not start within 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    process: child,
    startMillis: performance.now() - started,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** `java -version`'s first line (it prints to stderr). */
export function javaVersion(): Promise<string> {
  return new Promise((resolve) => {
    const c = spawn('java', ['-version'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let out = '';
    c.stderr.on('data', (d: Buffer) => (out += d.toString()));
    c.on('error', () => resolve('not available'));
    c.on('exit', () => resolve(out.split('\n')[0]?.trim() ?? 'unknown'));
  });
}
