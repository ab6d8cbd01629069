/**
 * File-system adapter for the type system: the built-in catalogue, a project's `types/*.xml`, or every
 * `*-items.xml` of a real platform (`hybris/bin`) in extension dependency order.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { packageRoot } from '../util/package-root.js';
import { type ItemsDeclarations, ItemsXmlError, parseItemsXml } from './items-xml.js';
import { TypeSystem } from './type-system.js';

export interface TypeSystemLoadResult {
  typeSystem: TypeSystem;
  /** Files read, in load order. */
  files: string[];
}

export function builtinTypesDir(): string {
  return join(packageRoot(), 'mock-commerce', 'types', 'builtin');
}

/** The built-in items.xml files in extension order (from the catalogue's `extensions.json`). */
export function builtinItemsFiles(): string[] {
  const dir = builtinTypesDir();
  const order = (JSON.parse(readFileSync(join(dir, 'extensions.json'), 'utf8')) as { order: string[] }).order;
  return order.map((f) => join(dir, f));
}

function readDeclarations(file: string, builtin: boolean, extension?: string): ItemsDeclarations {
  return parseItemsXml(readFileSync(file, 'utf8'), file, { builtin, ...(extension ? { extension } : {}) });
}

let builtinCache: ItemsDeclarations[] | undefined;

/** Built-in declarations are parsed once per process: every sandbox starts from the same catalogue. */
function builtinDeclarations(): ItemsDeclarations[] {
  builtinCache ??= builtinItemsFiles().map((f) => readDeclarations(f, true));
  return builtinCache;
}

/** Project item files: `types/*.xml` in file-name order. */
export function projectItemsFiles(projectDir: string): string[] {
  const dir = join(projectDir, 'types');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.xml'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Loads the type system: the built-in catalogue (or a real platform's items.xml files when `platformDir`
 * is given), then the project's own files. Throws {@link ItemsXmlError} for a malformed file.
 */
export function loadTypeSystem(options: { projectDir?: string; platformDir?: string } = {}): TypeSystemLoadResult {
  const base = options.platformDir
    ? platformItemsFiles(options.platformDir).map(({ file, extension }) => ({ file, decl: readDeclarations(file, true, extension) }))
    : builtinItemsFiles().map((file, i) => ({ file, decl: builtinDeclarations()[i]! }));
  const project = options.projectDir ? projectItemsFiles(options.projectDir).map((file) => ({ file, decl: readDeclarations(file, false) })) : [];
  const all = [...base, ...project];
  return { typeSystem: TypeSystem.build(all.map((x) => x.decl)), files: all.map((x) => x.file) };
}

// ---- real platform ----------------------------------------------------------------------------

interface ExtensionInfo {
  name: string;
  dir: string;
  requires: string[];
  itemsFile?: string;
}

const infoParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'requires-extension' });

/** Folders inside an extension that never hold other extensions (and can be large). */
const NOT_EXTENSION_FOLDERS = new Set(['node_modules', 'classes', 'testclasses', 'web', 'src', 'testsrc', 'gensrc', 'resources', 'lib', 'buildcallbacks']);

function findExtensionInfos(root: string, depth = 0, out: ExtensionInfo[] = []): ExtensionInfo[] {
  if (depth > 6) return out;
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return out;
  }
  if (entries.includes('extensioninfo.xml')) {
    const doc = infoParser.parse(readFileSync(join(root, 'extensioninfo.xml'), 'utf8')) as {
      extensioninfo?: { extension?: { name?: string; 'requires-extension'?: { name?: string }[] } };
    };
    const ext = doc.extensioninfo?.extension;
    const name = ext?.name ?? basename(root);
    const itemsFile = join(root, 'resources', `${name}-items.xml`);
    out.push({
      name,
      dir: root,
      requires: (ext?.['requires-extension'] ?? []).map((r) => r.name ?? '').filter(Boolean),
      ...(existsSync(itemsFile) ? { itemsFile } : {}),
    });
    // Keep looking below: `hybris/bin/platform` may itself carry an extensioninfo.xml while the core
    // extensions live further down (`platform/ext/core`).
  }
  for (const e of entries.sort()) {
    if (e.startsWith('.') || NOT_EXTENSION_FOLDERS.has(e)) continue;
    const p = join(root, e);
    if (statSync(p, { throwIfNoEntry: false })?.isDirectory()) findExtensionInfos(p, depth + 1, out);
  }
  return out;
}

/**
 * Every `*-items.xml` below a `hybris/bin` folder, ordered so that an extension comes after the ones it
 * requires (`extensioninfo.xml`); `core` first, as the platform does. Folders without extensioninfo.xml
 * contribute their `resources/*-items.xml` files after the ordered ones, by path.
 */
export function platformItemsFiles(platformDir: string): { file: string; extension: string }[] {
  if (!existsSync(platformDir)) throw new ItemsXmlError(platformDir, 0, 'platform folder does not exist');
  const infos = findExtensionInfos(platformDir);
  const byName = new Map(infos.map((i) => [i.name, i]));
  const ordered: ExtensionInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (info: ExtensionInfo): void => {
    if (state.get(info.name)) return;
    state.set(info.name, 'visiting');
    const deps = info.name === 'core' ? [] : ['core', ...info.requires];
    for (const d of deps) {
      const dep = byName.get(d);
      if (dep && dep !== info) visit(dep);
    }
    state.set(info.name, 'done');
    ordered.push(info);
  };
  for (const name of ['core', ...[...byName.keys()].sort()]) {
    const info = byName.get(name);
    if (info) visit(info);
  }
  const files = ordered.filter((i) => i.itemsFile).map((i) => ({ file: i.itemsFile!, extension: i.name }));
  if (files.length === 0) {
    // No extensioninfo.xml at all: take every *-items.xml by path (core first).
    const all = collectItemsFiles(platformDir);
    all.sort((a, b) => rank(a) - rank(b) || relative(platformDir, a).localeCompare(relative(platformDir, b)));
    return all.map((file) => ({ file, extension: basename(file).replace(/-items\.xml$/, '') }));
  }
  return files;
}

function rank(file: string): number {
  return basename(file) === 'core-items.xml' ? 0 : 1;
}

function collectItemsFiles(dir: string, depth = 0, out: string[] = []): string[] {
  if (depth > 8) return out;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) {
      if (!e.startsWith('.') && e !== 'node_modules') collectItemsFiles(p, depth + 1, out);
    } else if (e.endsWith('-items.xml')) out.push(p);
  }
  return out;
}
