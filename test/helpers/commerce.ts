/** Test helpers: load a project into a simulated Commerce and serve it on an ephemeral port. */
import { join } from 'node:path';
import { startCommerceServer, type RunningServer } from '../../mock-commerce/app.js';
import type { Commerce } from '../../mock-commerce/commerce.js';
import { loadCommerce, type LoadOptions } from '../../mock-commerce/project.js';
import { packageRoot } from '../../mock-commerce/util/package-root.js';

export const FIXTURES = join(packageRoot(), 'test', 'fixtures');
export const DEMO = join(packageRoot(), 'demo');

export function fixtureProject(name: string): string {
  return join(FIXTURES, 'projects', name);
}

/** Loads a project and fails the test with the load errors if there are any. */
export function load(options: LoadOptions): Commerce {
  const { commerce, report } = loadCommerce(options);
  if (!commerce || report.errors.length > 0) {
    throw new Error(`project failed to load:\n${report.errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('\n')}`);
  }
  return commerce;
}

export async function serve(options: LoadOptions): Promise<{ commerce: Commerce; server: RunningServer }> {
  const commerce = load(options);
  return { commerce, server: await startCommerceServer(commerce) };
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Monitoring records are written in their own transaction, after the request: not business data. */
const MONITORING_TYPES = new Set(['InboundRequest', 'InboundRequestError', 'OutboundRequest', 'IntegrationApiMedia']);

/**
 * The store's business data as text, for "nothing half-applied" comparisons: every item but monitoring
 * records, without the pk/version counters (a rolled-back write may have consumed none, but monitoring does).
 */
export function businessSnapshot(commerce: Commerce): string {
  return JSON.stringify(commerce.store.snapshot().items.filter((i) => !MONITORING_TYPES.has(i.typeCode)));
}
