/**
 * Commerce version profiles and configuration properties.
 *
 * A profile (`2211`, the default, or `2005`) selects the behaviours where releases differ (spec "Version
 * profiles"); the project's `local.properties` sets the documented configuration properties on top, as a
 * real Commerce reads them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseProperties } from 'dot-properties';

export type CommerceVersion = '2211' | '2005';
export const COMMERCE_VERSIONS: readonly CommerceVersion[] = ['2211', '2005'];

/** Property defaults shared by both profiles (spec §15). */
const COMMON_DEFAULTS: Record<string, string> = {
  'odata2services.page.size.default': '10',
  'odata2services.page.size.max': '1000',
  'odata2services.batch.limit': '200',
  'integrationservices.global.attributes.read-only': 'creationtime,modifiedtime',
  'integrationservices.flexsearch.itemtypematch': 'ALL_SUB_AND_SUPER_TYPES',
  'inboundservices.monitoring.enabled': 'true',
  'outboundservices.monitoring.enabled': 'true',
  'outboundsync.max.retries': '5',
  'outboundservices.cache.csrf.ttlSeconds': '60',
};

const PROFILE_DEFAULTS: Record<CommerceVersion, Record<string, string>> = {
  '2211': {
    'integrationservices.legacy.authentication.enabled': 'false',
    'integrationservices.authorization.accessrights.enabled': 'true',
  },
  '2005': {
    'integrationservices.legacy.authentication.enabled': 'true',
    'integrationservices.authorization.accessrights.enabled': 'false',
  },
};

export class CommerceConfig {
  private readonly values: Record<string, string>;

  constructor(
    readonly version: CommerceVersion = '2211',
    overrides: Record<string, string> = {},
  ) {
    this.values = { ...COMMON_DEFAULTS, ...PROFILE_DEFAULTS[version], ...normaliseKeys(overrides) };
  }

  get(name: string): string | undefined {
    return this.values[name.toLowerCase()] ?? this.values[name];
  }

  bool(name: string): boolean {
    return (this.get(name) ?? '').trim().toLowerCase() === 'true';
  }

  int(name: string, fallback: number): number {
    const n = Number.parseInt(this.get(name) ?? '', 10);
    return Number.isFinite(n) ? n : fallback;
  }

  /** All properties, for `$config-` ImpEx macros. */
  all(): Record<string, string> {
    return { ...this.values };
  }
}

/**
 * Commerce property names are matched case-insensitively here: the 2005 code reads
 * `…accessrights.enabled` where the 2211 help writes `…accessRights.enabled`.
 */
function normaliseKeys(values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) out[k.toLowerCase()] = v;
  return out;
}

for (const table of [COMMON_DEFAULTS, ...Object.values(PROFILE_DEFAULTS)]) {
  for (const k of Object.keys(table)) {
    const v = table[k]!;
    delete table[k];
    table[k.toLowerCase()] = v;
  }
}

/** Reads `local.properties` from a project folder; missing file → no properties. */
export function readLocalProperties(projectDir: string): Record<string, string> {
  const file = join(projectDir, 'local.properties');
  if (!existsSync(file)) return {};
  const parsed = parseProperties(readFileSync(file, 'utf8'));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function isCommerceVersion(v: string): v is CommerceVersion {
  return (COMMERCE_VERSIONS as readonly string[]).includes(v);
}
