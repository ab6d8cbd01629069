/**
 * Which simulated third parties a sandbox starts: a project's `third-party/*.yaml|yml` definitions and
 * named built-in profiles (e.g. `reviews`). Shared by `up` and `startSandbox`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinitionFile } from '../../mock-third-party/definition/loader.js';
import type { ThirdPartyDefinition } from '../../mock-third-party/definition/model.js';
import { builtInProfiles } from '../../mock-third-party/profiles/index.js';

export interface NamedDefinition {
  name: string;
  definition: ThirdPartyDefinition;
}

/** A built-in profile by name, with its options (the sandbox seed unless the options set one). */
export function profileDefinition(name: string, options: Record<string, unknown> = {}, seed?: number): ThirdPartyDefinition {
  const profile = builtInProfiles[name];
  if (!profile) throw new Error(`unknown third-party profile '${name}' (built-in: ${Object.keys(builtInProfiles).join(', ')})`);
  return profile({ ...(seed !== undefined ? { seed } : {}), ...options });
}

/** The project's `third-party/*.yaml|yml` definitions (file name order), then the named built-in profiles. */
export function projectThirdParties(projectDir: string | undefined, profiles: string[], seed: number | undefined): NamedDefinition[] {
  const out: NamedDefinition[] = [];
  const dir = projectDir ? join(projectDir, 'third-party') : undefined;
  if (dir && existsSync(dir)) {
    for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/i.test(f)).sort()) {
      const definition = loadDefinitionFile(join(dir, file));
      out.push({ name: definition.name, definition });
    }
  }
  for (const name of profiles) out.push({ name, definition: profileDefinition(name, {}, seed) });
  return out;
}
