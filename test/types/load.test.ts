import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemsXmlError } from '../../mock-commerce/types/items-xml.js';
import {
  builtinItemsFiles,
  builtinTypesDir,
  loadTypeSystem,
  platformItemsFiles,
  projectItemsFiles,
  type TypeSystemLoadResult,
} from '../../mock-commerce/types/load.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures');
const PROJECT = join(fixtures, 'types', 'project');
const BROKEN_PROJECT = join(fixtures, 'types', 'project-broken');
const PLATFORM = join(fixtures, 'platform', 'hybris', 'bin');
const FLAT_PLATFORM = join(fixtures, 'platform', 'flat', 'bin');

describe('built-in catalogue files', () => {
  it('come from extensions.json, core first, every file present', () => {
    const files = builtinItemsFiles();
    expect(files).toHaveLength(20);
    expect(files.every((f) => dirname(f) === builtinTypesDir() && existsSync(f))).toBe(true);
    const names = files.map((f) => basename(f));
    expect(names[0]).toBe('core-items.xml');
    expect(names.indexOf('catalog-items.xml')).toBeLessThan(names.indexOf('commerceservices-items.xml'));
    expect(names.indexOf('integrationservices-items.xml')).toBeLessThan(names.indexOf('inboundservices-items.xml'));
  });

  it('loadTypeSystem() without options reads only them', () => {
    const { files, typeSystem } = loadTypeSystem();
    expect(files).toEqual(builtinItemsFiles());
    expect(typeSystem.hasComposedType('IntegrationObject')).toBe(true);
    expect(typeSystem.composedType('Product')?.source).toMatchObject({ extension: 'core', builtin: true });
  });
});

describe('project types/*.xml', () => {
  let loaded: TypeSystemLoadResult;
  beforeAll(() => {
    loaded = loadTypeSystem({ projectDir: PROJECT });
  });

  it('projectItemsFiles lists only .xml files, in file-name order', () => {
    expect(projectItemsFiles(PROJECT).map((f) => relative(PROJECT, f))).toEqual([join('types', 'a.xml'), join('types', 'b.xml')]);
    expect(projectItemsFiles(join(fixtures, 'platform'))).toEqual([]);
  });

  it('loads them after the built-ins', () => {
    expect(loaded.files).toEqual([...builtinItemsFiles(), join(PROJECT, 'types', 'a.xml'), join(PROJECT, 'types', 'b.xml')]);
  });

  it('a later file wins over an earlier one', () => {
    const text = loaded.typeSystem.attribute('ShopNote', 'text');
    expect(text).toMatchObject({ typeCode: 'localized:java.lang.String', localized: true, optional: false });
    expect(text?.source).toMatchObject({ file: join(PROJECT, 'types', 'b.xml'), extension: 'b', builtin: false });
    // ShopNote itself is declared by a.xml
    expect(loaded.typeSystem.composedType('ShopNote')?.source.file).toBe(join(PROJECT, 'types', 'a.xml'));
    expect(loaded.typeSystem.attribute('ShopNote', 'channel')?.shape).toEqual({ kind: 'enum', typeCode: 'ShopChannel' });
    expect(loaded.typeSystem.enumType('ShopChannel')?.values).toEqual(['WEB', 'STORE', 'MARKETPLACE']);
  });

  it('project declarations win over the built-ins, with warnings', () => {
    const ts = loaded.typeSystem;
    expect(ts.attribute('Product', 'reviewCount')?.typeCode).toBe('java.lang.String');
    const messages = ts.warnings.map((w) => `${basename(w.file)}: ${w.message}`);
    expect(messages).toHaveLength(2);
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/^a\.xml: .*Product\.reviewCount/), expect.stringMatching(/^b\.xml: .*ShopNote\.text/)]),
    );
  });

  it('a project without a types folder loads just the built-ins', () => {
    const { files, typeSystem } = loadTypeSystem({ projectDir: join(fixtures, 'platform') });
    expect(files).toEqual(builtinItemsFiles());
    expect(typeSystem.warnings).toEqual([]);
  });

  it('a malformed project file throws an ItemsXmlError naming it', () => {
    let error: unknown;
    try {
      loadTypeSystem({ projectDir: BROKEN_PROJECT });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ItemsXmlError);
    expect(error).toMatchObject({ file: join(BROKEN_PROJECT, 'types', 'broken.xml'), line: 4 });
  });
});

describe('platform mode (a hybris/bin folder)', () => {
  it('orders core first and every extension after the ones it requires', () => {
    const files = platformItemsFiles(PLATFORM);
    expect(files.map((f) => f.extension)).toEqual(['core', 'mybase', 'myext', 'alpha']);
    expect(files.map((f) => relative(PLATFORM, f.file))).toEqual([
      join('platform', 'ext', 'core', 'resources', 'core-items.xml'),
      join('custom', 'mybase', 'resources', 'mybase-items.xml'),
      join('custom', 'myext', 'resources', 'myext-items.xml'),
      join('custom', 'alpha', 'resources', 'alpha-items.xml'),
    ]);
  });

  it('loadTypeSystem({platformDir}) uses only those files', () => {
    const { files, typeSystem: ts } = loadTypeSystem({ platformDir: PLATFORM });
    expect(files).toEqual(platformItemsFiles(PLATFORM).map((f) => f.file));
    expect(ts.hasComposedType('IntegrationObject')).toBe(false);
    expect(ts.hasComposedType('Order')).toBe(false);
    expect(ts.hasComposedType('NotLoaded')).toBe(false);
    expect(ts.hasComposedType('Product')).toBe(true);
    expect(ts.attribute('Product', 'reviewCount')).toBeUndefined();
    expect(ts.attribute('Product', 'code')).toMatchObject({ unique: true, optional: false });
    expect(ts.composedType('Thing')?.source).toEqual({ file: files[1], extension: 'mybase', builtin: true });
  });

  it('a dependent extension is merged after its dependency', () => {
    const { typeSystem: ts } = loadTypeSystem({ platformDir: PLATFORM });
    expect(ts.attribute('Thing', 'label')).toMatchObject({ typeCode: 'java.lang.Integer', source: { extension: 'myext' } });
    expect(ts.warnings).toEqual([{ file: expect.stringContaining('myext-items.xml'), message: expect.stringContaining('Thing.label') }]);
    expect(ts.supertypeChain('AlphaThing')).toEqual(['AlphaThing', 'MyThing', 'Thing', 'GenericItem', 'Item']);
    expect(ts.attribute('AlphaThing', 'label')).toMatchObject({ typeCode: 'java.lang.Long', optional: false, declaringType: 'AlphaThing' });
  });

  it('a project is loaded on top of the platform', () => {
    const { files, typeSystem: ts } = loadTypeSystem({ platformDir: PLATFORM, projectDir: PROJECT });
    expect(files.slice(0, 4)).toEqual(platformItemsFiles(PLATFORM).map((f) => f.file));
    expect(files.slice(4).map((f) => basename(f))).toEqual(['a.xml', 'b.xml']);
    expect(ts.hasComposedType('ShopNote')).toBe(true);
    expect(ts.hasComposedType('IntegrationObject')).toBe(false);
    expect(ts.attribute('Product', 'reviewCount')?.typeCode).toBe('java.lang.String');
  });

  it('without any extensioninfo.xml, takes every *-items.xml, core first, then by path', () => {
    const files = platformItemsFiles(FLAT_PLATFORM);
    expect(files.map((f) => f.extension)).toEqual(['core', 'beta', 'zeta']);
    const { typeSystem } = loadTypeSystem({ platformDir: FLAT_PLATFORM });
    expect(typeSystem.composedType('Zeta')?.superType).toBe('GenericItem');
    expect(typeSystem.warnings).toEqual([]);
  });

  describe('edge cases', () => {
    let tmp: string;
    beforeAll(() => {
      tmp = mkdtempSync(join(tmpdir(), 'types-load-'));
    });
    afterAll(() => {
      rmSync(tmp, { recursive: true, force: true });
    });

    it('a missing platform folder is an ItemsXmlError', () => {
      expect(() => platformItemsFiles(join(tmp, 'nope'))).toThrow(ItemsXmlError);
      expect(() => loadTypeSystem({ platformDir: join(tmp, 'nope') })).toThrow(/platform folder does not exist/);
    });

    it('an empty platform folder gives no files', () => {
      expect(platformItemsFiles(tmp)).toEqual([]);
    });
  });
});
