/**
 * `startSandbox(options)`: a simulated Commerce and simulated third parties on free ports, in this
 * process — for vitest/jest suites and for the scenario runner (one fresh sandbox per scenario).
 *
 *   const sandbox = await startSandbox({ thirdParties: ['reviews'], time: '2026-01-05T09:00:00Z' });
 *   // sandbox.commerceUrl, sandbox.thirdParties.reviews.url, sandbox.advance('5m'), sandbox.runCronJob(…)
 *   await sandbox.close();
 *
 * Every system shares one sandbox clock (Commerce's): with `time`, it stands still at that instant until
 * `advance` moves it (triggers and webhook retries then fire); without, it follows real time and
 * `realTime: true` lets triggers fire as it passes.
 */
import { resolve } from 'node:path';
import { startCommerceServer, type RunningServer } from '../../mock-commerce/app.js';
import { type FiredTimer, parseDuration } from '../../mock-commerce/clock/sandbox-clock.js';
import type { Commerce } from '../../mock-commerce/commerce.js';
import type { CommerceVersion } from '../../mock-commerce/config/profile.js';
import type { CronJobOutcome } from '../../mock-commerce/cronjobs/cron-jobs.js';
import { loadProjectHooks } from '../../mock-commerce/odata/write/hooks.js';
import { loadCommerce, type LoadReport } from '../../mock-commerce/project.js';
import { packageRoot } from '../../mock-commerce/util/package-root.js';

import { startThirdPartyServer, type RunningThirdParty } from '../../mock-third-party/app.js';
import { loadDefinitionFile } from '../../mock-third-party/definition/loader.js';
import type { ThirdPartyDefinition } from '../../mock-third-party/definition/model.js';
import type { ThirdParty } from '../../mock-third-party/engine/third-party.js';
import type { SandboxEndpoints } from '../flows/contract.js';
import { type NamedDefinition, profileDefinition, projectThirdParties } from './third-parties.js';

/** A third party to start: a built-in profile name, or a profile with options, a definition or a YAML file. */
export type ThirdPartySpec =
  | string
  | { name?: string; profile: string; options?: Record<string, unknown> }
  | { name?: string; definition: ThirdPartyDefinition }
  | { name?: string; file: string };

export interface SandboxOptions {
  /** Sandbox project folder; default the built-in demo project. `null`: no project (built-in types only). */
  project?: string | null;
  commerceVersion?: CommerceVersion;
  /** Properties on top of the profile and the project's `local.properties`. */
  properties?: Record<string, string>;
  /** Generated sample data (as `up --seed`); also the default seed of built-in third-party profiles. */
  seed?: number;
  scale?: number;
  /** Third parties besides the project's `third-party/*.yaml`. */
  thirdParties?: ThirdPartySpec[];
  /** A fixed start time (epoch ms or ISO 8601): the clock stands still until advanced. Default: real time. */
  time?: number | string;
  /** Fire triggers and retries as real time passes (default false: tests move the clock). */
  realTime?: boolean;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
}

export interface SandboxThirdParty {
  url: string;
  thirdParty: ThirdParty;
}

export interface Sandbox {
  commerce: Commerce;
  /** e.g. `http://127.0.0.1:41234` */
  commerceUrl: string;
  thirdParties: Record<string, SandboxThirdParty>;
  endpoints: SandboxEndpoints;
  load: LoadReport;
  /** Now on the sandbox clock (epoch ms). */
  now(): number;
  /** Moves the clock forward (`5000`, `"90s"`, `"5m"`, `"PT1H"`) and resolves when what became due has run. */
  advance(duration: number | string): Promise<FiredTimer[]>;
  /** Runs a cron job now (e.g. an outbound sync cron job); undefined when there is none with that code. */
  runCronJob(code: string): Promise<CronJobOutcome | undefined>;
  /** Resolves once the webhook sends queued so far have finished. */
  idle(): Promise<void>;
  /** Everything back to the loaded state: Commerce (store, tokens, journal) and every third party. */
  reset(): void;
  close(): Promise<void>;
}

export const DEMO_PROJECT = resolve(packageRoot(), 'demo');

export class SandboxStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxStartError';
  }
}

function thirdPartyList(project: string | undefined, specs: ThirdPartySpec[], seed: number | undefined): NamedDefinition[] {
  const out = projectThirdParties(project, [], seed);
  for (const spec of specs) {
    if (typeof spec === 'string') out.push({ name: spec, definition: profileDefinition(spec, {}, seed) });
    else if ('profile' in spec) out.push({ name: spec.name ?? spec.profile, definition: profileDefinition(spec.profile, spec.options, seed) });
    else if ('definition' in spec) out.push({ name: spec.name ?? spec.definition.name, definition: spec.definition });
    else {
      const definition = loadDefinitionFile(spec.file);
      out.push({ name: spec.name ?? definition.name, definition });
    }
  }
  const names = new Set<string>();
  for (const { name } of out) {
    if (names.has(name)) throw new SandboxStartError(`two third parties are named '${name}'`);
    names.add(name);
  }
  return out;
}

function startTime(time: number | string | undefined): number | undefined {
  if (time === undefined) return undefined;
  const at = typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(at)) throw new SandboxStartError(`time must be epoch milliseconds or ISO 8601: ${String(time)}`);
  return at;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const project = options.project === null ? undefined : resolve(options.project ?? DEMO_PROJECT);
  const fixed = startTime(options.time);
  const { commerce, report } = loadCommerce({
    ...(project ? { projectDir: project } : {}),
    ...(options.commerceVersion ? { commerceVersion: options.commerceVersion } : {}),
    ...(options.properties ? { properties: options.properties } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.scale !== undefined ? { scale: options.scale } : {}),
    ...(fixed !== undefined ? { clock: () => fixed } : {}),
  });
  if (!commerce || report.errors.length > 0) {
    throw new SandboxStartError(`the project failed to load:\n${report.errors.map((e) => `  ${e.file}:${e.line}: ${e.message}`).join('\n')}`);
  }
  if (project) await loadProjectHooks(commerce.hooks, project);
  const definitions = thirdPartyList(project, options.thirdParties ?? [], options.seed);
  const host = options.host ?? '127.0.0.1';
  const started: RunningThirdParty[] = [];
  let server: RunningServer | undefined;
  try {
    server = await startCommerceServer(commerce, { host });
    for (const { definition } of definitions) started.push(await startThirdPartyServer(definition, { host, now: commerce.clock }));
  } catch (e) {
    await Promise.all([server?.close(), ...started.map((t) => t.close())]);
    throw e;
  }
  const stopRealTime = options.realTime ? commerce.outbound.startRealTime() : undefined;
  const thirdParties: Record<string, SandboxThirdParty> = {};
  definitions.forEach(({ name }, i) => {
    thirdParties[name] = { url: started[i]!.url, thirdParty: started[i]!.thirdParty };
  });
  const commerceServer = server;
  return {
    commerce,
    commerceUrl: commerceServer.url,
    thirdParties,
    endpoints: { commerceUrl: commerceServer.url, thirdParties: Object.fromEntries(Object.entries(thirdParties).map(([n, t]) => [n, t.url])) },
    load: report,
    now: () => commerce.clock(),
    advance: (duration) => {
      const ms = parseDuration(duration);
      if (ms === undefined) return Promise.reject(new RangeError(`invalid duration: ${String(duration)}`));
      try {
        return commerce.time.advance(ms);
      } catch (e) {
        return Promise.reject(e as Error); // a time beyond what a Date can show: rejects like a bad duration
      }
    },
    runCronJob: (code) => commerce.outbound.performCronJob(code),
    idle: () => commerce.outbound.webhooks.idle(),
    reset: () => {
      commerce.admin.reset();
      for (const t of Object.values(thirdParties)) t.thirdParty.reset();
    },
    close: async () => {
      stopRealTime?.();
      commerce.outbound.close();
      await Promise.all([commerceServer.close(), ...started.map((t) => t.close())]);
    },
  };
}
