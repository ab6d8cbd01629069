/**
 * Loads a sandbox project folder into a simulated Commerce:
 * `types/*.xml` (the project's items.xml files) on top of the built-in catalogue (or a real platform),
 * then the essential data every Commerce has (languages, integration user groups, admin), then the
 * project's `impex/*.impex` in file-name order — integration objects, users, data, destinations, as
 * real projects do. `local.properties` sets configuration properties on top of the version profile.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Commerce, type CommerceLogger } from './commerce.js';
import { generateData } from './data/generate.js';
import { CommerceConfig, type CommerceVersion, readLocalProperties } from './config/profile.js';
import { importImpex } from './impex/import.js';
import { type ImpexDiagnostic, parseImpex } from './impex/parse.js';
import { integrationObjectValidators } from './integration-objects/validation.js';
import type { AccessRights } from './security/access-rights.js';
import { ItemStore, type StoreSnapshot } from './store/store.js';
import { ItemsXmlError } from './types/items-xml.js';
import { loadTypeSystem } from './types/load.js';
import { packageRoot } from './util/package-root.js';

export interface LoadOptions {
  projectDir?: string;
  /** A `hybris/bin` folder whose `*-items.xml` replace the built-in catalogue. */
  platformDir?: string;
  commerceVersion?: CommerceVersion;
  /** Properties on top of the profile and `local.properties` (e.g. from the command line). */
  properties?: Record<string, string>;
  /** Generate deterministic sample data after the project's ImpEx (`up --seed`). */
  seed?: number;
  /** Amount of generated data; 1 ≈ 100 products, 20 customers, 20 orders (`up --scale`). */
  scale?: number;
  /** The sandbox clock (epoch ms). */
  clock?: () => number;
  /**
   * Reuse the loaded state of an earlier load in this process with the same options and unchanged
   * project files (default true): the store is restored from that load's snapshot instead of importing
   * and generating again, which makes a fresh Commerce per test cost milliseconds.
   */
  reuse?: boolean;
  logger?: CommerceLogger;
}

export interface ImportedFile {
  file: string;
  created: number;
  updated: number;
  removed: number;
}

export interface LoadReport {
  typeFiles: string[];
  impexFiles: ImportedFile[];
  errors: ImpexDiagnostic[];
  warnings: ImpexDiagnostic[];
  /** `$START_USERRIGHTS` blocks, kept for the authorisation layer. */
  userRightsBlocks: number;
  /** Items generated with `seed`, by type. */
  generated?: Record<string, number>;
  millis: number;
}

export interface LoadResult {
  commerce?: Commerce;
  report: LoadReport;
}

export function essentialDataFiles(): string[] {
  const dir = join(packageRoot(), 'mock-commerce', 'essential-data');
  return impexFilesIn(dir);
}

function impexFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.impex'))
    .sort()
    .map((f) => join(dir, f));
}

/** Loads a project; `commerce` is undefined when the type system cannot be built (errors say why). */
/** What a successful load produced, kept per process to build the next identical Commerce from. */
interface LoadedState {
  snapshot: StoreSnapshot;
  report: LoadReport;
  userRights: { blocks: Parameters<AccessRights['addBlocks']>[0]; file: string }[];
  enumValues: [string, string[]][];
}

const loadedStates = new Map<string, LoadedState>();
const MAX_LOADED_STATES = 8;

/** The options and the project files' sizes and times: equal keys load the same state. */
function stateKey(options: LoadOptions, properties: Record<string, string>): string {
  const files: string[] = [];
  const visit = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else {
        const stat = statSync(path);
        files.push(`${path}:${stat.size}:${stat.mtimeMs}`);
      }
    }
  };
  if (options.projectDir) for (const sub of ['types', 'impex', 'local.properties']) {
    const path = join(options.projectDir, sub);
    if (existsSync(path) && statSync(path).isFile()) files.push(`${path}:${statSync(path).size}:${statSync(path).mtimeMs}`);
    else visit(path);
  }
  return JSON.stringify([options.projectDir ?? null, options.platformDir ?? null, options.commerceVersion ?? '2211', properties, options.seed ?? null, options.scale ?? null, files]);
}

export function loadCommerce(options: LoadOptions = {}): LoadResult {
  const started = performance.now();
  const report: LoadReport = { typeFiles: [], impexFiles: [], errors: [], warnings: [], userRightsBlocks: 0, millis: 0 };
  if (options.projectDir && !existsSync(options.projectDir)) {
    report.errors.push({ file: options.projectDir, line: 0, message: 'the project folder does not exist' });
    return { report };
  }
  const properties = { ...(options.projectDir ? readLocalProperties(options.projectDir) : {}), ...options.properties };
  const config = new CommerceConfig(options.commerceVersion ?? '2211', properties);

  let typeSystem;
  try {
    const loaded = loadTypeSystem({
      ...(options.projectDir ? { projectDir: options.projectDir } : {}),
      ...(options.platformDir ? { platformDir: options.platformDir } : {}),
    });
    typeSystem = loaded.typeSystem;
    report.typeFiles = loaded.files;
    for (const w of typeSystem.warnings) {
      // Warnings about the built-in catalogue itself are the sandbox's business, not the user's.
      if (!loaded.files.includes(w.file) || !w.file.includes(join('mock-commerce', 'types', 'builtin'))) report.warnings.push({ file: w.file, line: 0, message: w.message });
    }
  } catch (e) {
    if (e instanceof ItemsXmlError) {
      report.errors.push({ file: e.file, line: e.line, message: e.reason });
      report.millis = performance.now() - started;
      return { report };
    }
    throw e;
  }

  const store = new ItemStore(typeSystem);
  const commerce = new Commerce(store, config, options.logger, options.clock);
  const key = options.reuse === false || options.platformDir ? undefined : stateKey(options, properties);
  const reused = key === undefined ? undefined : loadedStates.get(key);
  if (reused) {
    for (const [code, values] of reused.enumValues) for (const value of values) typeSystem.addEnumValue(code, value);
    store.restore(reused.snapshot);
    for (const { blocks, file } of reused.userRights) commerce.accessRights.addBlocks(blocks, file);
    commerce.markLoaded(reused.snapshot);
    return { commerce, report: { ...structuredClone(reused.report), millis: performance.now() - started } };
  }
  const userRights: LoadedState['userRights'] = [];
  const files = [...essentialDataFiles(), ...(options.projectDir ? impexFilesIn(join(options.projectDir, 'impex')) : [])];
  for (const file of files) {
    const doc = parseImpex(readFileSync(file, 'utf8'), file, { config: config.all() });
    const result = importImpex(doc, store, { validators: integrationObjectValidators });
    report.impexFiles.push({ file, created: result.created, updated: result.updated, removed: result.removed });
    report.errors.push(...result.errors);
    report.warnings.push(...result.warnings);
    report.userRightsBlocks += result.userRights.length;
    commerce.accessRights.addBlocks(result.userRights, file);
    userRights.push({ blocks: result.userRights, file });
  }
  if (options.seed !== undefined) {
    try {
      const generated = generateData(store, { seed: options.seed, ...(options.scale !== undefined ? { scale: options.scale } : {}) });
      report.generated = generated.created;
    } catch (e) {
      report.errors.push({ file: '(generated data)', line: 0, message: (e as Error).message });
    }
  }
  commerce.markLoaded();
  report.millis = performance.now() - started;
  if (key !== undefined && report.errors.length === 0) {
    if (loadedStates.size >= MAX_LOADED_STATES) loadedStates.delete(loadedStates.keys().next().value!);
    const enumValues = typeSystem.enumTypeCodes().map((code): [string, string[]] => [code, [...(typeSystem.enumType(code)?.values ?? [])]]);
    loadedStates.set(key, { snapshot: commerce.admin.loadedSnapshot()!, report: structuredClone(report), userRights, enumValues });
  }
  return { commerce, report };
}
