/** The suite's side of the load worker (`load-worker.ts`): one child process, one job at a time. */
import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadJob, LoadOutcome, WorkerMessage } from './load-worker.js';

export type { LoadOutcome, LoadRequest } from './load-worker.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export class LoadFailure extends Error {}

export interface LoadWorker {
  /** The worker process's id. */
  readonly pid: number | undefined;
  /** Runs one job; rejects with a {@link LoadFailure} when any response was not as expected. */
  run(job: Omit<LoadJob, 'kind' | 'id'>): Promise<LoadOutcome>;
  stop(): Promise<void>;
}

export async function startLoadWorker(): Promise<LoadWorker> {
  const child: ChildProcess = fork(join(HERE, 'load-worker.ts'), [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`load worker exited with code ${code}`)));
    child.once('message', () => resolve());
  });
  child.removeAllListeners('exit');
  let nextId = 1;
  const pending = new Map<number, { resolve: (o: LoadOutcome) => void; reject: (e: Error) => void }>();
  child.on('message', (m: WorkerMessage) => {
    if (m.kind === 'ready') return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.kind === 'crashed') p.reject(new Error(`load worker: ${m.message}`));
    else if (m.failures > 0) p.reject(new LoadFailure(`${m.failures} bad responses; first: ${m.firstFailure ?? '?'}`));
    else p.resolve(m);
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`load worker exited with code ${code}`));
    pending.clear();
  });
  return {
    pid: child.pid,
    run(job) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ kind: 'job', id, ...job } satisfies LoadJob);
      });
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('stop');
      });
    },
  };
}
