/** A real store for the security unit tests: built-in types, essential data, then ImpEx fixtures. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { importImpex, type ImportReport } from '../../mock-commerce/impex/import.js';
import { parseImpex, type UserRightsBlock } from '../../mock-commerce/impex/parse.js';
import { integrationObjectValidators } from '../../mock-commerce/integration-objects/validation.js';
import { principalOf, type Principal } from '../../mock-commerce/security/principals.js';
import { ItemStore } from '../../mock-commerce/store/store.js';
import { loadTypeSystem } from '../../mock-commerce/types/load.js';
import { packageRoot } from '../../mock-commerce/util/package-root.js';

export const SECURITY_FIXTURES = join(packageRoot(), 'test', 'fixtures', 'security');
const ESSENTIAL_DATA = join(packageRoot(), 'mock-commerce', 'essential-data', '00-essentialdata.impex');

/** Imports ImpEx text the way project loading does; fails the test on errors. */
export function importText(store: ItemStore, text: string, file = 'test.impex'): ImportReport {
  const doc = parseImpex(text, file);
  expect(doc.errors, file).toEqual([]);
  const report = importImpex(doc, store, { validators: integrationObjectValidators });
  expect(report.errors, file).toEqual([]);
  return report;
}

export function importFile(store: ItemStore, path: string): ImportReport {
  return importText(store, readFileSync(path, 'utf8'), path);
}

/** A fresh store with the essential data (languages, integration groups, admin) and the given files. */
export function securityStore(...files: string[]): { store: ItemStore; userRights: UserRightsBlock[] } {
  // The type system is mutable (dynamic enum values), so each store gets its own.
  const store = new ItemStore(loadTypeSystem().typeSystem);
  importFile(store, ESSENTIAL_DATA);
  const userRights: UserRightsBlock[] = [];
  for (const f of files) userRights.push(...importFile(store, f).userRights);
  return { store, userRights };
}

/** The principal of a user in the store (uid must exist). */
export function principal(store: ItemStore, uid: string): Principal {
  const user = store.find('User', { uid })[0];
  expect(user, `user ${uid}`).toBeDefined();
  return principalOf(store, user!);
}

/** A principal with exactly these groups (the matrix looks at groups only). */
export function withGroups(...groups: string[]): Principal {
  return { uid: `member-of-${groups.join('+') || 'nothing'}`, pk: -1, groups: new Set(groups) };
}
