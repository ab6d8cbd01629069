/**
 * The demo project with the meta-IO test users of `fixtures/projects/monitoring-users` imported on top,
 * served over HTTP.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from '../../mock-commerce/app.js';
import type { Commerce } from '../../mock-commerce/commerce.js';
import { importImpex } from '../../mock-commerce/impex/import.js';
import { parseImpex } from '../../mock-commerce/impex/parse.js';
import type { LoadOptions } from '../../mock-commerce/project.js';
import { DEMO, basic, fixtureProject, load, serve } from '../helpers/commerce.js';

export const USERS = fixtureProject('monitoring-users');
export const PASSWORD = 'secret';

/** Imports a project's `impex/*.impex` into a loaded Commerce; fails on any error. */
export function importProject(commerce: Commerce, projectDir: string): void {
  const dir = join(projectDir, 'impex');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.impex')).sort()) {
    const path = join(dir, file);
    const report = importImpex(parseImpex(readFileSync(path, 'utf8'), path), commerce.store);
    if (report.errors.length > 0) throw new Error(report.errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('\n'));
    commerce.accessRights.addBlocks(report.userRights, path);
  }
}

/** The demo project plus the test users. */
export function loadDemoWithUsers(options: Omit<LoadOptions, 'projectDir'> = {}): Commerce {
  const commerce = load({ ...options, projectDir: DEMO });
  importProject(commerce, USERS);
  return commerce;
}

/** `serve()` of the demo project, with the test users imported before the first request. */
export async function serveDemoWithUsers(options: Omit<LoadOptions, 'projectDir'> = {}): Promise<{ commerce: Commerce; server: RunningServer }> {
  const served = await serve({ ...options, projectDir: DEMO });
  importProject(served.commerce, USERS);
  return served;
}

export function as(user: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: basic(user, PASSWORD), Accept: 'application/json', ...extra };
}
