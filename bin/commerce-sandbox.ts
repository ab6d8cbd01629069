#!/usr/bin/env node
/**
 * The `commerce-sandbox` command line. `up` loads a sandbox project and serves the simulated Commerce;
 * `run` replays scenarios.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startCommerceServer } from '../mock-commerce/app.js';
import { COMMERCE_VERSIONS, type CommerceVersion } from '../mock-commerce/config/profile.js';
import { loadProjectHooks } from '../mock-commerce/odata/write/hooks.js';
import { loadCommerce } from '../mock-commerce/project.js';
import type { RunningThirdParty } from '../mock-third-party/app.js';
import type { ThirdPartyDefinition } from '../mock-third-party/definition/model.js';
import { ODATA_ROOT } from '../mock-commerce/commerce.js';
import { isMetaIntegrationObject } from '../mock-commerce/security/authorization.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a whole number');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number greater than 0');
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface UpOptions {
  project: string;
  commercePort: number;
  host: string;
  commerceVersion: CommerceVersion;
  platform?: string;
  seed?: number;
  scale?: number;
  https: boolean;
  thirdParty: string[];
  thirdPartyPort: number;
  verbose: boolean;
}

const program = new Command();
program.name('commerce-sandbox').description('Simulated SAP Commerce Integration API, third parties and scenarios');

program
  .command('up')
  .description('load a sandbox project and serve the simulated Commerce until stopped')
  .requiredOption('--project <dir>', 'sandbox project folder (types/, impex/, local.properties)')
  .option('--commerce-port <n>', 'port of the simulated Commerce (0 = any free port)', port, 9002)
  .option('--host <address>', 'address to listen on', '127.0.0.1')
  .addOption(new Option('--commerce-version <version>', 'Commerce version profile').choices([...COMMERCE_VERSIONS]).default('2211'))
  .option('--platform <dir>', 'a hybris/bin folder: load its *-items.xml instead of the built-in type catalogue')
  .option('--seed <n>', 'generate deterministic sample data with this seed', integer)
  .option('--scale <k>', 'amount of generated data (1 ≈ 100 products, 20 customers, 20 orders)', positiveNumber)
  .option('--https', 'serve HTTPS with a generated self-signed certificate', false)
  .option('--third-party <profile>', 'also start a built-in third-party profile (repeatable), e.g. reviews', collect, [] as string[])
  .option('--third-party-port <n>', 'port of the (first) simulated third party; further ones take the next ports', port, 9003)
  .option('--verbose', 'print every warning', false)
  .action(async (opts: UpOptions) => {
    if (opts.scale !== undefined && opts.seed === undefined) throw new InvalidArgumentError('--scale needs --seed');
    const { commerce, report } = loadCommerce({
      projectDir: resolve(opts.project),
      commerceVersion: opts.commerceVersion,
      ...(opts.platform ? { platformDir: resolve(opts.platform) } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(opts.scale !== undefined ? { scale: opts.scale } : {}),
      logger: { warn: (m) => console.error(`warning: ${m}`) },
    });
    for (const w of opts.verbose ? report.warnings : []) console.error(`warning: ${w.file}:${w.line}: ${w.message}`);
    if (opts.verbose && commerce) console.error('persistence hooks are loaded from hooks/*.js|mjs');
    if (!commerce || report.errors.length > 0) {
      for (const e of report.errors) console.error(`error: ${e.file}:${e.line}: ${e.message}`);
      console.error(`commerce-sandbox: the project failed to load (${report.errors.length} error(s))`);
      process.exitCode = 1;
      return;
    }
    // Third parties: the project's third-party/*.yaml definitions and the named built-in profiles. Each
    // gets a port of its own, so its routes sit at the port's root as on the real host.
    // The third-party engine (YAML, JSON Schema, templates) is loaded only when there are third parties.
    const wantsThirdParties = opts.thirdParty.length > 0 || existsSync(join(resolve(opts.project), 'third-party'));
    const thirdPartyModules = wantsThirdParties
      ? await Promise.all([import('../scenarios/sandbox/third-parties.js'), import('../mock-third-party/app.js'), import('../mock-third-party/definition/validate.js')])
      : undefined;
    let thirdParties: { name: string; definition: ThirdPartyDefinition }[] = [];
    try {
      if (thirdPartyModules) thirdParties = thirdPartyModules[0].projectThirdParties(resolve(opts.project), opts.thirdParty, opts.seed);
    } catch (e) {
      console.error(thirdPartyModules && e instanceof thirdPartyModules[2].DefinitionError ? e.message : `error: ${(e as Error).message}`);
      console.error('commerce-sandbox: the project failed to load (third-party definitions)');
      process.exitCode = 1;
      return;
    }
    const hooks = await loadProjectHooks(commerce.hooks, resolve(opts.project));
    const server = await startCommerceServer(commerce, { port: opts.commercePort, host: opts.host, https: opts.https });
    // Triggers and webhook retries fire as real time passes (tests move the clock through /__sandbox/clock).
    commerce.outbound.startRealTime();
    const generated = Object.values(report.generated ?? {}).reduce((n, c) => n + c, 0);
    const items = report.impexFiles.reduce((n, f) => n + f.created, 0) + generated;
    console.log(
      `commerce-sandbox: Commerce ${opts.commerceVersion} on ${server.url} (${items} items from ${report.impexFiles.length} ImpEx file(s)` +
        `${report.generated ? ` and seed ${opts.seed}` : ''} in ${Math.round(report.millis)} ms` +
        `${report.warnings.length ? `, ${report.warnings.length} warning(s)${opts.verbose ? '' : ' (--verbose)'}` : ''})`,
    );
    const served = commerce.servedIntegrationObjects();
    for (const io of served.filter((i) => !isMetaIntegrationObject(i.code))) console.log(`  ${io.code}: ${server.url}${ODATA_ROOT}/${io.code}`);
    const builtIn = served.filter((i) => isMetaIntegrationObject(i.code)).map((i) => i.code);
    if (builtIn.length) console.log(`  built-in: ${builtIn.join(', ')}`);
    if (hooks.length) console.log(`  persistence hooks: ${hooks.join(', ')}`);
    const started: RunningThirdParty[] = [];
    for (const [i, tp] of thirdParties.entries()) {
      const running = await thirdPartyModules![1].startThirdPartyServer(tp.definition, { port: opts.thirdPartyPort === 0 ? 0 : opts.thirdPartyPort + i, host: opts.host, https: opts.https });
      started.push(running);
      console.log(`commerce-sandbox: third party ${tp.name} on ${running.url}`);
    }
    const stop = (): void => {
      void Promise.all([server.close(), ...started.map((t) => t.close())]).then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    console.log(`Replay the documented scenarios (each in a fresh sandbox of its own): npx commerce-sandbox run`);
  });

interface RunOptions {
  reporter: 'console' | 'json' | 'junit';
  output?: string;
  concurrency: number;
  color: boolean;
  flowUrl?: string;
  flowCsrfUrl?: string;
  flowUser?: string;
  flowPassword?: string;
  flowTriggerUrl?: string;
  flowCommand?: string;
}

program
  .command('run')
  .description('replay scenarios, each in a fresh sandbox, and report like a test suite (exit code 0 only if all pass)')
  .argument('[paths...]', 'scenario files or folders (default: the documented scenarios shipped with the package)')
  .addOption(new Option('--reporter <kind>', 'console, json or junit').choices(['console', 'json', 'junit']).default('console'))
  .option('--output <file>', 'write the json or junit report to this file (default: standard output)')
  .option('--concurrency <n>', 'scenarios run at once', (v) => positiveInteger(v), 4)
  .option('--no-color', 'no colours in the console report')
  .option('--flow-url <url>', 'use the flow at this URL instead of the scenarios\' own (the entity-set URL Commerce posts to; with --flow-command, ${port} is its port)')
  .option('--flow-csrf-url <url>', 'CSRF fetch URL of that flow')
  .option('--flow-user <name>', 'Basic user Commerce sends to that flow')
  .option('--flow-password <password>', 'Basic password Commerce sends to that flow')
  .option('--flow-trigger-url <url>', 'URL a trigger step POSTs (timer flows)')
  .option('--flow-command <command>', 'start the flow with this command for every scenario (FLOW_PORT and the sandbox URLs in its environment)')
  .action(async (paths: string[], opts: RunOptions) => {
    // The scenario engine is loaded only for `run` (it is not needed to serve `up`).
    const [{ CATALOG_DIR, findScenarioFiles, runScenarios }, { commandFlow, externalFlow }, { consoleReporter, jsonReport, junitReport }] = await Promise.all([
      import('../scenarios/engine/run-scenarios.js'),
      import('../scenarios/flows/external.js'),
      import('../scenarios/report/index.js'),
    ]);
    const files = findScenarioFiles(paths.length > 0 ? paths : [CATALOG_DIR]);
    if (files.length === 0) throw new Error(`no scenario files (*.yaml) in ${paths.join(', ')}`);
    const endpoint = {
      ...(opts.flowUrl ? { url: opts.flowUrl } : {}),
      ...(opts.flowCsrfUrl ? { csrfUrl: opts.flowCsrfUrl } : {}),
      ...(opts.flowUser !== undefined ? { username: opts.flowUser } : {}),
      ...(opts.flowPassword !== undefined ? { password: opts.flowPassword } : {}),
      ...(opts.flowTriggerUrl ? { triggerUrl: opts.flowTriggerUrl } : {}),
    };
    const flow = opts.flowCommand ? commandFlow({ run: opts.flowCommand, ...endpoint }, process.cwd()) : Object.keys(endpoint).length > 0 ? externalFlow(endpoint) : undefined;
    // Progress goes to the console; a machine-readable report to the file or, without one, to stdout.
    const toStdout = opts.reporter !== 'console' && !opts.output;
    const progress = consoleReporter((text) => (toStdout ? process.stderr : process.stdout).write(text), { color: opts.color && (toStdout ? process.stderr : process.stdout).isTTY === true });
    const summary = await runScenarios(files, {
      concurrency: opts.concurrency,
      ...(flow ? { flow } : {}),
      onScenarioStart: (file) => progress.onScenarioStart(file),
      onScenarioEnd: (result) => progress.onScenarioEnd(result),
    });
    progress.onRunEnd(summary);
    if (opts.reporter !== 'console') {
      const report = opts.reporter === 'junit' ? junitReport(summary) : jsonReport(summary);
      if (opts.output) writeFileSync(opts.output, report);
      else process.stdout.write(report.endsWith('\n') ? report : `${report}\n`);
    }
    process.exitCode = summary.results.every((r) => r.status === 'passed') ? 0 : 1;
  });

program.parseAsync().catch((e: unknown) => {
  console.error(`commerce-sandbox: ${(e as Error).message}`);
  process.exitCode = 1;
});
