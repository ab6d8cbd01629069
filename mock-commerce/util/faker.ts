/**
 * Faker, loaded on first use. Importing `@faker-js/faker` costs ≈ 250 ms (it loads every locale); most
 * runs of the sandbox generate nothing (no `--seed`, no generated third-party data), so the CLI and
 * `startSandbox` should not pay for it at start. Node ≥ 20.19 can `require` an ES module synchronously,
 * which keeps the generators synchronous.
 */
import { createRequire } from 'node:module';
import type * as FakerModule from '@faker-js/faker';

const require = createRequire(import.meta.url);
let loaded: typeof FakerModule | undefined;

export function fakerModule(): typeof FakerModule {
  loaded ??= require('@faker-js/faker') as typeof FakerModule;
  return loaded;
}
