/**
 * Runs one scenario in a fresh sandbox: start the systems (Commerce, third parties) on free ports, start
 * the flow under test, wire Commerce's outbound channel to it, run the steps in order, check the final
 * expectations, close everything. The first failing step fails the scenario; the steps after it are
 * skipped. Values captured by matchers (`$capture`) are visible to later steps as `${name}`.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDuration } from '../../mock-commerce/clock/sandbox-clock.js';
import type { CronJobOutcome } from '../../mock-commerce/cronjobs/cron-jobs.js';
import { importImpex } from '../../mock-commerce/impex/import.js';
import { parseImpex } from '../../mock-commerce/impex/parse.js';
import type { Item } from '../../mock-commerce/store/store.js';
import type { LoadedScenario } from '../definition/loader.js';
import type { CommerceRead, Expectations, FlowSection, ODataCall, ScenarioDefinition, Step } from '../definition/model.js';
import { type Mismatch, interpolate, match, renderMismatches } from '../expect/index.js';
import type { FlowUnderTest, RunningFlow } from '../flows/contract.js';
import { commandFlow, externalFlow } from '../flows/external.js';
import { referenceFlows } from '../flows/reference/index.js';
import type { ScenarioFailure, ScenarioResult } from '../report/model.js';
import { DEMO_PROJECT, type Sandbox, type ThirdPartySpec, startSandbox } from '../sandbox/start-sandbox.js';

export const DEFAULT_TIME = '2026-01-05T09:00:00Z';
export const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_WAIT_MS = 5_000;
const DEMO_CREDENTIALS = { username: 'integrationuser', password: 'sandbox' };
/** Names of what the runner configures in Commerce for a Commerce-triggered flow. */
export const FLOW_DESTINATION = 'scenarioFlow';
export const DEFAULT_CHANNEL = 'scenarioChannel';

export interface RunScenarioOptions {
  /** Replaces the flow the file names (e.g. an external flow for a reference scenario). */
  flow?: FlowUnderTest;
}

/** A step failed: its message and diff become the scenario's failure. */
class StepFailure extends Error {
  constructor(
    message: string,
    readonly diff?: string,
  ) {
    super(message);
  }
}

/** The flow implementation the scenario names. */
export function flowOf(section: FlowSection, scenarioDir: string): FlowUnderTest {
  if (section.reference) {
    const factory = referenceFlows[section.reference];
    if (!factory) throw new Error(`unknown reference flow '${section.reference}'`);
    return factory(section.options ?? {});
  }
  if (section.external) return externalFlow(section.external);
  if (section.command) return commandFlow(section.command, scenarioDir);
  throw new Error('the scenario names no flow');
}

interface Context {
  definition: ScenarioDefinition;
  dir: string;
  sandbox: Sandbox;
  flow: RunningFlow;
  captures: Record<string, unknown>;
  lastCronJob?: CronJobOutcome;
  credentials: { username: string; password: string };
}

function placeholders(text: string, sandbox: Sandbox, flow: RunningFlow | undefined): string {
  return text.replace(/\$\{(commerce\.url|flow\.url|flow\.csrfUrl|flow\.username|flow\.password|thirdParty\.([^.}]+)\.url)\}/g, (whole, key: string, tp: string | undefined) => {
    if (key === 'commerce.url') return sandbox.commerceUrl;
    if (key === 'flow.url') return flow?.inboundUrl ?? whole;
    if (key === 'flow.csrfUrl') return flow?.csrfUrl ?? whole;
    if (key === 'flow.username') return flow?.inboundCredentials?.username ?? whole;
    if (key === 'flow.password') return flow?.inboundCredentials?.password ?? whole;
    return (tp && sandbox.thirdParties[tp]?.url) ?? whole;
  });
}

function importText(sandbox: Sandbox, text: string, name: string): void {
  const report = importImpex(parseImpex(text, name), sandbox.commerce.store);
  if (report.errors.length > 0) throw new StepFailure(`ImpEx ${name} failed:\n${report.errors.map((e) => `  ${e.file}:${e.line}: ${e.message}`).join('\n')}`);
  sandbox.commerce.accessRights.addBlocks(report.userRights, name);
}

/** The ImpEx that points an autoGenerate outbound channel of the IO at the flow's endpoint. */
export function outboundChannelImpex(flow: RunningFlow, integrationObject: string, channel: string): string {
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const user = flow.inboundCredentials;
  return `INSERT_UPDATE DestinationTarget; id[unique = true]
; scenarioTarget
INSERT_UPDATE Endpoint; id[unique = true]; version[unique = true]; name
; scenarioFlowEndpoint ; v1 ; the flow under test
${user ? `INSERT_UPDATE BasicCredential; id[unique = true]; username; password\n; scenarioFlowCredential ; ${q(user.username)} ; ${q(user.password)}\n` : ''}INSERT_UPDATE ConsumedDestination; id[unique = true]; url; active; endpoint(id, version); destinationTarget(id)[unique = true]; credential(id); additionalProperties[map-delimiter = |]
; ${FLOW_DESTINATION} ; ${q(flow.inboundUrl ?? '')} ; true ; scenarioFlowEndpoint:v1 ; scenarioTarget ; ${user ? 'scenarioFlowCredential' : ''} ; ${flow.csrfUrl ? q(`csrfURL->${flow.csrfUrl}`) : ''}
INSERT_UPDATE OutboundChannelConfiguration; code[unique = true]; integrationObject(code); destination(id); autoGenerate
; ${channel} ; ${integrationObject} ; ${FLOW_DESTINATION} ; true
`;
}

function stepName(step: Step): string {
  if (step.name) return step.name;
  if ('create' in step) return `create ${step.create.service}/${step.create.path}`;
  if ('update' in step) return `update ${step.update.service}/${step.update.path}`;
  if ('delete' in step) return `delete ${step.delete.service}/${step.delete.path}`;
  if ('runCronJob' in step) return `run cron job ${step.runCronJob}`;
  if ('advanceClock' in step) return `advance the clock by ${String(step.advanceClock)}`;
  if ('trigger' in step) return 'trigger the flow';
  if ('fault' in step) return `${step.fault.clear ? 'clear faults of' : 'set faults on'} ${step.fault.thirdParty}`;
  if ('waitUntil' in step) return 'wait until';
  return 'expect';
}

async function odata(ctx: Context, method: 'POST' | 'PATCH' | 'DELETE', call: ODataCall, expected: number): Promise<void> {
  const path = `${encodeURIComponent(call.service)}/${call.path.replace(/'([^']*)'/g, (_m, key: string) => `'${encodeURIComponent(key)}'`)}`;
  const res = await fetch(`${ctx.sandbox.commerceUrl}/odata2webservices/${path}`, {
    method,
    headers: { Authorization: basic(ctx.credentials), Accept: 'application/json', ...(call.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(call.body !== undefined ? { body: JSON.stringify(bodyOf(ctx, call.body)) } : {}),
  });
  const text = await res.text();
  const status = call.status ?? expected;
  if (res.status !== status) throw new StepFailure(`${method} /odata2webservices/${path} answered ${res.status}, expected ${status}`, text.slice(0, 2000));
}

/** A request body with `${name}` filled in from earlier captures (the same rules as expectations). */
function bodyOf(ctx: Context, body: unknown): unknown {
  const { value, unknown } = interpolate(body, ctx.captures);
  if (unknown.length > 0) throw new StepFailure(`the body uses ${unknown.map((n) => `\${${n}}`).join(', ')}, which no earlier step captured (captured: ${Object.keys(ctx.captures).join(', ') || 'none'})`);
  return value;
}

function basic(c: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

/** Mismatches grouped per journal entry, each group titled with the request it is about. */
function byRequest(title: string, mismatches: Mismatch[], journal: { method: string; path: string }[]): string {
  const groups = new Map<string, Mismatch[]>();
  for (const m of mismatches) {
    const index = /^\$\[(\d+)\]/.exec(m.path);
    const entry = index ? journal[Number(index[1])] : undefined;
    const key = index ? `${title} request ${Number(index[1]) + 1}${entry ? ` ${entry.method} ${entry.path}` : ' (not received)'}` : `${title} requests`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return [...groups].map(([t, ms]) => renderMismatches(ms, { title: t })).join('\n');
}

function records(ctx: Context, type: string, view: (item: Item) => Record<string, unknown>): Record<string, unknown>[] {
  return [...ctx.sandbox.commerce.store.all(type)].sort((a, b) => a.pk - b.pk).map(view);
}

async function commerceRead(ctx: Context, read: CommerceRead): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${ctx.sandbox.commerceUrl}/odata2webservices/${read.get}`, { headers: { Authorization: basic(read.as ?? ctx.credentials), Accept: 'application/json' } });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: matched as text
  }
  return { status: res.status, body };
}

/** Checks expectations; the failures (empty: all hold). Captures are added to the context. */
async function check(ctx: Context, expectations: Expectations): Promise<ScenarioFailure[]> {
  const failures: ScenarioFailure[] = [];
  const compare = (title: string, expected: unknown, actual: unknown) => {
    const result = match(expected, actual, { captures: ctx.captures });
    if (result.ok) Object.assign(ctx.captures, result.captures);
    else failures.push({ message: `${title} does not match`, diff: renderMismatches(result.mismatches, { title }) });
  };
  for (const [name, tp] of Object.entries(expectations.thirdParty ?? {})) {
    const running = ctx.sandbox.thirdParties[name];
    if (!running) {
      failures.push({ message: `no third party named '${name}' (${Object.keys(ctx.sandbox.thirdParties).join(', ') || 'none'})` });
      continue;
    }
    const journal = running.thirdParty.journal.map((e) => ({ method: e.method, path: e.path, query: e.query, headers: e.headers, body: e.body, status: e.status, route: e.route }));
    if (tp.count !== undefined && journal.length !== tp.count) {
      failures.push({ message: `third party ${name} received ${journal.length} request(s), expected ${tp.count}`, diff: journal.map((j, i) => `  ${i + 1}. ${j.method} ${j.path} → ${j.status}`).join('\n') });
    }
    if (tp.requests !== undefined) {
      const result = match(tp.requests, journal, { captures: ctx.captures });
      if (result.ok) Object.assign(ctx.captures, result.captures);
      else failures.push({ message: `the requests third party ${name} received do not match`, diff: byRequest(`thirdParty.${name}`, result.mismatches, journal) });
    }
  }
  for (const [i, read] of (expectations.commerce ?? []).entries()) {
    const answer = await commerceRead(ctx, read);
    if (read.status !== undefined && answer.status !== read.status) failures.push({ message: `GET ${read.get} answered ${answer.status}, expected ${read.status}`, diff: JSON.stringify(answer.body).slice(0, 2000) });
    if (read.body !== undefined) compare(`commerce[${i}] GET ${read.get}`, read.body, answer.body);
  }
  if (expectations.outboundRequests !== undefined) {
    compare(
      'outboundRequests',
      expectations.outboundRequests,
      records(ctx, 'OutboundRequest', (r) => ({ status: r.values.status, integrationKey: r.values.integrationKey, type: r.values.type, destination: r.values.destination, error: r.values.error ?? null, messageId: r.values.messageId })),
    );
  }
  if (expectations.inboundRequests !== undefined) {
    const store = ctx.sandbox.commerce.store;
    compare(
      'inboundRequests',
      expectations.inboundRequests,
      records(ctx, 'InboundRequest', (r) => ({
        status: r.values.status,
        integrationKey: r.values.integrationKey,
        type: r.values.type,
        httpMethod: r.values.httpMethod,
        errors: store.find('InboundRequestError', { inboundRequest: r.pk }).map((e) => ({ code: e.values.code, message: e.values.message })),
      })),
    );
  }
  if (expectations.outboundSyncRetries !== undefined) {
    compare(
      'outboundSyncRetries',
      expectations.outboundSyncRetries,
      records(ctx, 'OutboundSyncRetry', (r) => ({ itemPk: r.values.itemPk, syncAttempts: r.values.syncAttempts, remainingSyncAttempts: r.values.remainingSyncAttempts, reachedMaxRetries: r.values.reachedMaxRetries })),
    );
  }
  if (expectations.flowRuns !== undefined) compare('flowRuns', expectations.flowRuns, ctx.flow.runs());
  if (expectations.cronJob !== undefined) compare('cronJob', expectations.cronJob, ctx.lastCronJob ?? null);
  return failures;
}

async function runStep(ctx: Context, step: Step): Promise<void> {
  const { sandbox } = ctx;
  if ('create' in step) return odata(ctx, 'POST', step.create, 201);
  if ('update' in step) return odata(ctx, 'PATCH', step.update, 200);
  if ('delete' in step) return odata(ctx, 'DELETE', step.delete, 200);
  if ('runCronJob' in step) {
    const outcome = await sandbox.runCronJob(step.runCronJob);
    if (!outcome) throw new StepFailure(`no cron job '${step.runCronJob}'`);
    ctx.lastCronJob = outcome;
    return;
  }
  if ('advanceClock' in step) {
    await sandbox.advance(step.advanceClock);
    await sandbox.idle();
    return;
  }
  if ('trigger' in step) {
    if (!ctx.flow.trigger) throw new StepFailure('the flow under test cannot be triggered (it has no timer or trigger URL)');
    const run = await ctx.flow.trigger();
    const expected = step.trigger === true ? 'COMPLETED' : (step.trigger.expectStatus ?? 'COMPLETED');
    if (run.status !== expected) throw new StepFailure(`the flow run ended ${run.status}, expected ${expected}${run.error ? `: ${run.error}` : ''}`);
    return;
  }
  if ('fault' in step) {
    const tp = sandbox.thirdParties[step.fault.thirdParty];
    if (!tp) throw new StepFailure(`no third party named '${step.fault.thirdParty}'`);
    const res = step.fault.clear
      ? await fetch(`${tp.url}/__sandbox/faults`, { method: 'DELETE' })
      : await fetch(`${tp.url}/__sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(step.fault.set ?? {}) });
    if (res.status >= 300) throw new StepFailure(`the third party refused the faults (${res.status})`, await res.text());
    return;
  }
  if ('waitUntil' in step) {
    const limit = parseDuration(step.timeout ?? DEFAULT_WAIT_MS) ?? DEFAULT_WAIT_MS;
    const deadline = Date.now() + limit;
    for (;;) {
      await sandbox.idle();
      const failures = await check(ctx, step.waitUntil);
      if (failures.length === 0) return;
      if (Date.now() > deadline) {
        throw new StepFailure(`still not true after ${limit} ms: ${failures.map((f) => f.message).join('; ')}`, failures.map((f) => f.diff ?? f.message).join('\n'));
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  await sandbox.idle();
  const failures = await check(ctx, step.expect);
  if (failures.length > 0) throw new StepFailure(failures.map((f) => f.message).join('; '), failures.map((f) => f.diff ?? f.message).join('\n'));
}

function thirdPartySpecs(definition: ScenarioDefinition, dir: string): ThirdPartySpec[] {
  return (definition.sandbox.thirdParties ?? []).map((t) =>
    'profile' in t ? { profile: t.profile, ...(t.name ? { name: t.name } : {}), ...(t.options ? { options: t.options } : {}) } : { file: resolve(dir, t.file), ...(t.name ? { name: t.name } : {}) },
  );
}

function flowLog(flow: RunningFlow | undefined): string[] {
  if (!flow) return [];
  return flow.runs().flatMap((run) => [
    `flow run ${run.id} ${run.status}${run.error ? `: ${run.error}` : ''}`,
    ...run.steps.map((s) => `  ${s.status === 'COMPLETED' ? '✓' : '✗'} ${s.name} (${s.durationMs} ms)${s.detail ? ` ${s.detail}` : ''}`),
  ]);
}

export async function runScenario(scenario: LoadedScenario, options: RunScenarioOptions = {}): Promise<ScenarioResult> {
  const { definition, file } = scenario;
  const dir = dirname(file);
  const started = Date.now();
  const result: ScenarioResult = { name: definition.name, file, status: 'passed', durationMs: 0, failures: [], steps: [] };
  const timeoutMs = parseDuration(definition.timeout ?? DEFAULT_TIMEOUT_MS) ?? DEFAULT_TIMEOUT_MS;
  let sandbox: Sandbox | undefined;
  let flow: RunningFlow | undefined;
  const body = async (): Promise<void> => {
    const project = definition.sandbox.project === undefined || definition.sandbox.project === 'demo' ? DEMO_PROJECT : resolve(dir, definition.sandbox.project);
    sandbox = await startSandbox({
      project,
      time: definition.sandbox.time ?? DEFAULT_TIME,
      thirdParties: thirdPartySpecs(definition, dir),
      ...(definition.sandbox.commerceVersion ? { commerceVersion: definition.sandbox.commerceVersion } : {}),
      ...(definition.sandbox.seed !== undefined ? { seed: definition.sandbox.seed } : {}),
      ...(definition.sandbox.properties ? { properties: definition.sandbox.properties } : {}),
    });
    const credentials = definition.flow.commerceCredentials ?? DEMO_CREDENTIALS;
    const parameters = Object.fromEntries(Object.entries(definition.flow.parameters ?? {}).map(([k, v]) => [k, placeholders(v, sandbox!, undefined)]));
    const implementation = options.flow ?? flowOf(definition.flow, dir);
    const startedSandbox = sandbox;
    flow = await implementation.start({ endpoints: startedSandbox.endpoints, parameters, commerceCredentials: credentials, now: () => startedSandbox.now() });
    const ctx: Context = { definition, dir, sandbox: startedSandbox, flow, captures: {}, credentials };
    if (definition.flow.outbound) {
      if (!flow.inboundUrl) throw new StepFailure(`flow.outbound needs a flow with an inbound URL; ${implementation.name} has none`);
      importText(startedSandbox, outboundChannelImpex(flow, definition.flow.outbound.integrationObject, definition.flow.outbound.channel ?? DEFAULT_CHANNEL), 'flow wiring');
    }
    for (const impex of definition.sandbox.impex ?? []) {
      const path = resolve(dir, impex);
      importText(startedSandbox, placeholders(readFileSync(path, 'utf8'), startedSandbox, flow), path);
    }
    if (definition.sandbox.impexText) importText(startedSandbox, placeholders(definition.sandbox.impexText, startedSandbox, flow), `${file} (impexText)`);

    for (const step of definition.steps) {
      const name = stepName(step);
      if (result.status !== 'passed') {
        result.steps.push({ name, status: 'skipped', durationMs: 0 });
        continue;
      }
      const t = Date.now();
      try {
        await runStep(ctx, step);
        result.steps.push({ name, status: 'passed', durationMs: Date.now() - t });
      } catch (e) {
        result.steps.push({ name, status: 'failed', durationMs: Date.now() - t });
        result.status = 'failed';
        result.failures.push(e instanceof StepFailure ? { step: name, message: e.message, ...(e.diff ? { diff: e.diff } : {}) } : { step: name, message: (e as Error).message });
      }
    }
    if (result.status === 'passed' && definition.expect) {
      const t = Date.now();
      await startedSandbox.idle();
      const failures = await check(ctx, definition.expect);
      result.steps.push({ name: 'expect', status: failures.length ? 'failed' : 'passed', durationMs: Date.now() - t });
      if (failures.length) {
        result.status = 'failed';
        result.failures.push(...failures.map((f) => ({ step: 'expect', ...f })));
      }
    }
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      body(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the scenario did not finish within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    result.status = e instanceof StepFailure ? 'failed' : 'error';
    result.failures.push({ message: (e as Error).message, ...(e instanceof StepFailure && e.diff ? { diff: e.diff } : {}) });
  } finally {
    clearTimeout(timer);
    result.log = flowLog(flow);
    await flow?.close().catch(() => undefined);
    await sandbox?.close().catch(() => undefined);
  }
  result.durationMs = Date.now() - started;
  return result;
}
