// The ImpEx importer (mock-commerce/impex/import.ts), driven through the real text parser and the real
// built-in type catalogue: every test builds a fresh store, imports ImpEx text and asserts the store
// contents and the report's diagnostics.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importImpex, type ImportOptions, type ImportReport } from '../../mock-commerce/impex/import.js';
import { parseImpex } from '../../mock-commerce/impex/parse.js';
import { integrationObjectValidators } from '../../mock-commerce/integration-objects/validation.js';
import { ItemStore, type Item, type StoredValue } from '../../mock-commerce/store/store.js';
import { loadTypeSystem } from '../../mock-commerce/types/load.js';
import { packageRoot } from '../../mock-commerce/util/package-root.js';

const FILE = 'test.impex';
const ESSENTIAL_DATA = readFileSync(join(packageRoot(), 'mock-commerce', 'essential-data', '00-essentialdata.impex'), 'utf8');
const CATALOGS = readFileSync(join(packageRoot(), 'test', 'fixtures', 'impex', 'catalogs.impex'), 'utf8');

function lines(...parts: string[]): string {
  return parts.join('\n');
}

function newStore(): ItemStore {
  return new ItemStore(loadTypeSystem().typeSystem);
}

/** Parses and imports `text` the way project loading does (integration-object validators on). */
function importText(store: ItemStore, text: string, file = FILE, options: ImportOptions = { validators: integrationObjectValidators }): ImportReport {
  return importImpex(parseImpex(text, file), store, options);
}

/** Imports text expected to be clean; fails the test with the diagnostics otherwise. */
function importClean(store: ItemStore, text: string, file = FILE): ImportReport {
  const report = importText(store, text, file);
  expect(report.errors).toEqual([]);
  return report;
}

/** A store with the essential data (languages, user groups, admin). */
function essentialStore(): ItemStore {
  const store = newStore();
  importClean(store, ESSENTIAL_DATA, 'essentialdata.impex');
  return store;
}

/** A store with essential data plus two catalogs (Default: Staged/Online, Other: Staged) and a unit. */
function catalogStore(): ItemStore {
  const store = essentialStore();
  importClean(store, CATALOGS, 'catalogs.impex');
  return store;
}

function only(store: ItemStore, typeCode: string, criteria: Record<string, StoredValue>): Item {
  const found = store.find(typeCode, criteria);
  expect(found, `${typeCode} ${JSON.stringify(criteria)}`).toHaveLength(1);
  return found[0]!;
}

function pkOf(store: ItemStore, typeCode: string, criteria: Record<string, StoredValue>): number {
  return only(store, typeCode, criteria).pk;
}

function catalogVersionPk(store: ItemStore, catalogId: string, version: string): number {
  return pkOf(store, 'CatalogVersion', { catalog: pkOf(store, 'Catalog', { id: catalogId }), version });
}

const PRODUCT_HEADER = 'INSERT_UPDATE Product; code[unique=true]; catalogVersion(catalog(id),version)[unique=true]';

describe('modes', () => {
  it('INSERT creates items and counts them', () => {
    const store = newStore();
    const report = importText(store, lines('INSERT Unit; code; unitType', '; pieces ; pieces', '; kg ; weight'));
    expect(report).toMatchObject({ file: FILE, created: 2, updated: 0, removed: 0, errors: [] });
    expect(only(store, 'Unit', { code: 'kg' }).values).toMatchObject({ code: 'kg', unitType: 'weight', conversion: 1 });
    expect(store.count('Unit')).toBe(2);
  });

  it('INSERT of an item whose unique attributes already exist fails the row', () => {
    const store = newStore();
    const report = importText(store, lines('INSERT Unit; code; unitType', '; pieces ; pieces', '; pieces ; other'));
    expect(report.created).toBe(1);
    expect(report.errors).toEqual([{ file: FILE, line: 3, message: expect.stringContaining('already exists') }]);
    expect(only(store, 'Unit', { code: 'pieces' }).values.unitType).toBe('pieces');
  });

  it('INSERT_UPDATE creates on the first import and updates the same item on the second', () => {
    const store = newStore();
    const header = 'INSERT_UPDATE Unit; code[unique=true]; unitType';
    const first = importText(store, lines(header, '; pieces ; pieces'));
    expect(first).toMatchObject({ created: 1, updated: 0, errors: [] });
    const pk = pkOf(store, 'Unit', { code: 'pieces' });

    const second = importText(store, lines(header, '; pieces ; pcs'));
    expect(second).toMatchObject({ created: 0, updated: 1, errors: [] });
    expect(store.count('Unit')).toBe(1);
    expect(store.get(pk)?.values).toMatchObject({ code: 'pieces', unitType: 'pcs' });
  });

  it('UPDATE changes the matching item', () => {
    const store = newStore();
    importClean(store, lines('INSERT Unit; code; unitType', '; pieces ; pieces'));
    const report = importText(store, lines('UPDATE Unit; code[unique=true]; unitType', '; pieces ; pcs'));
    expect(report).toMatchObject({ created: 0, updated: 1, errors: [] });
    expect(only(store, 'Unit', { code: 'pieces' }).values.unitType).toBe('pcs');
  });

  it('UPDATE without a matching item is an error naming file and line, and creates nothing', () => {
    const store = newStore();
    const report = importText(store, lines('# nothing here yet', 'UPDATE Unit; code[unique=true]; unitType', '; ghost ; pcs'), 'units.impex');
    expect(report.updated).toBe(0);
    expect(report.errors).toEqual([{ file: 'units.impex', line: 3, message: expect.stringMatching(/no Unit matches \[code="ghost"\].*nothing to update/) }]);
    expect(store.count('Unit')).toBe(0);
  });

  it('REMOVE removes the matching item', () => {
    const store = newStore();
    importClean(store, lines('INSERT Unit; code; unitType', '; pieces ; pieces', '; kg ; weight'));
    const report = importText(store, lines('REMOVE Unit; code[unique=true]', '; pieces'));
    expect(report).toMatchObject({ removed: 1, errors: [], warnings: [] });
    expect(store.find('Unit', { code: 'pieces' })).toEqual([]);
    expect(store.count('Unit')).toBe(1);
  });

  it('REMOVE without a matching item only warns', () => {
    const store = newStore();
    importClean(store, lines('INSERT Unit; code; unitType', '; kg ; weight'));
    const report = importText(store, lines('REMOVE Unit; code[unique=true]', '; ghost'));
    expect(report).toMatchObject({ removed: 0, errors: [] });
    expect(report.warnings).toEqual([{ file: FILE, line: 2, message: expect.stringContaining('nothing removed') }]);
    expect(store.count('Unit')).toBe(1);
  });

  it('a header other than INSERT without a [unique=true] column is an error and its rows are skipped', () => {
    const store = newStore();
    const report = importText(store, lines('INSERT_UPDATE Unit; code; unitType', '; pieces ; pieces'));
    expect(report.errors).toEqual([{ file: FILE, line: 1, message: expect.stringContaining('has no [unique=true] column') }]);
    expect(store.count('Unit')).toBe(0);
  });

  it('a subtype in the first cell creates an item of that subtype; a non-subtype fails the row', () => {
    const store = newStore();
    const report = importText(store, lines('INSERT_UPDATE User; uid[unique=true]; name', 'Customer ; jane ; Jane', 'Employee ; joe ; Joe', 'Product ; bad ; Bad'));
    expect(report.created).toBe(2);
    expect(only(store, 'User', { uid: 'jane' }).typeCode).toBe('Customer');
    expect(only(store, 'User', { uid: 'joe' }).typeCode).toBe('Employee');
    expect(report.errors).toEqual([{ file: FILE, line: 4, message: 'Product is not a subtype of User' }]);
  });
});

describe('text layer through the importer', () => {
  it('expands macros, including macros built from other macros', () => {
    const store = catalogStore();
    const report = importText(
      store,
      lines(
        '$catalog = catalog(id)',
        '$cv = catalogVersion($catalog, version)',
        '$staged = Default:Staged',
        'INSERT_UPDATE Product; code[unique=true]; $cv[unique=true]',
        '; P1 ; $staged',
      ),
    );
    expect(report).toMatchObject({ created: 1, errors: [] });
    expect(only(store, 'Product', { code: 'P1' }).values.catalogVersion).toBe(catalogVersionPk(store, 'Default', 'Staged'));
  });

  it('keeps ; inside quoted values and turns doubled quotes into one', () => {
    const store = newStore();
    importClean(store, lines('INSERT Unit; code; unitType', '; "a;b" ; "say ""hi"""'));
    expect(only(store, 'Unit', { code: 'a;b' }).values.unitType).toBe('say "hi"');
  });

  it('stores the newline of a multi-line quoted value; diagnostics use the first line of a row', () => {
    const store = catalogStore();
    const report = importText(
      store,
      lines(
        'INSERT_UPDATE Product; code[unique=true]; catalogVersion(catalog(id),version)[unique=true]; description[lang=en]',
        '; P1 ; Default:Staged ; "first line',
        'second line"',
        '; P2 ; Nowhere:Staged ; "spans',
        'two lines"',
        '; P3 ; Default:Staged ; after',
      ),
    );
    expect(report.created).toBe(2);
    expect(only(store, 'Product', { code: 'P1' }).values.description).toEqual({ en: 'first line\nsecond line' });
    expect(only(store, 'Product', { code: 'P3' }).values.description).toEqual({ en: 'after' });
    expect(report.errors).toEqual([{ file: FILE, line: 4, message: expect.stringContaining('cannot resolve Catalog') }]);
    expect(store.find('Product', { code: 'P2' })).toEqual([]);
  });

  it('skips comments and blank lines', () => {
    const store = newStore();
    const report = importText(store, lines('# units', 'INSERT Unit; code; unitType', '', '# ; commented ; out', '; kg ; weight'));
    expect(report).toMatchObject({ created: 1, errors: [], warnings: [] });
    expect(store.find('Unit', { code: 'commented' })).toEqual([]);
    expect(only(store, 'Unit', { code: 'kg' }).values.unitType).toBe('weight');
  });

  it('skips a beanshell #% line with a warning and still imports the rows', () => {
    const store = newStore();
    const report = importText(store, lines('INSERT Unit; code; unitType', '#% impex.enableCodeExecution(true);', '; kg ; weight'));
    expect(report.created).toBe(1);
    expect(report.warnings).toEqual([{ file: FILE, line: 2, message: expect.stringContaining('scripting directive skipped') }]);
    expect(store.count('Unit')).toBe(1);
  });
});

describe('references', () => {
  it('resolves catalogVersion(catalog(id),version) from Default:Staged to the right catalog version', () => {
    const store = catalogStore();
    const report = importText(store, lines(PRODUCT_HEADER, '; P1 ; Default:Staged', '; P2 ; Default:Online', '; P3 ; Other:Staged'));
    expect(report).toMatchObject({ created: 3, errors: [] });
    const defaultCatalog = pkOf(store, 'Catalog', { id: 'Default' });
    const staged = only(store, 'CatalogVersion', { catalog: defaultCatalog, version: 'Staged' });
    expect(only(store, 'Product', { code: 'P1' }).values.catalogVersion).toBe(staged.pk);
    expect(only(store, 'Product', { code: 'P2' }).values.catalogVersion).toBe(catalogVersionPk(store, 'Default', 'Online'));
    expect(only(store, 'Product', { code: 'P3' }).values.catalogVersion).toBe(catalogVersionPk(store, 'Other', 'Staged'));
    expect(new Set([1, 2, 3].map((n) => only(store, 'Product', { code: `P${n}` }).values.catalogVersion)).size).toBe(3);
  });

  it('resolves references nested inside a reference key (product by code and catalog version)', () => {
    const store = catalogStore();
    importClean(store, lines(PRODUCT_HEADER, '; P1 ; Default:Staged', '; P1 ; Other:Staged'));
    const report = importText(
      store,
      lines(
        'INSERT_UPDATE Customer; uid[unique=true]',
        '; jane',
        'INSERT_UPDATE Currency; isocode[unique=true]; symbol',
        '; USD ; $',
        'INSERT_UPDATE Order; code[unique=true]; user(uid); currency(isocode); date[dateformat=yyyy-MM-dd]; net',
        '; O1 ; jane ; USD ; 2024-01-31 ; false',
        'INSERT_UPDATE OrderEntry; order(code)[unique=true]; entryNumber[unique=true]; product(code,catalogVersion(catalog(id),version)); quantity; unit(code)',
        '; O1 ; 0 ; P1:Other:Staged ; 2 ; pieces',
      ),
    );
    expect(report).toMatchObject({ created: 4, errors: [] });
    const otherP1 = pkOf(store, 'Product', { code: 'P1', catalogVersion: catalogVersionPk(store, 'Other', 'Staged') });
    expect(only(store, 'OrderEntry', { entryNumber: 0 }).values).toMatchObject({
      order: pkOf(store, 'Order', { code: 'O1' }),
      product: otherP1,
      quantity: '2',
      unit: pkOf(store, 'Unit', { code: 'pieces' }),
    });
  });

  it('an unresolvable reference is an error with file, line and reason; the row is not imported', () => {
    const store = catalogStore();
    const report = importText(store, lines(PRODUCT_HEADER, '; P1 ; Default:Staged', '; P2 ; Default:Nope'), 'products.impex');
    expect(report.created).toBe(1);
    expect(report.errors).toEqual([
      { file: 'products.impex', line: 3, message: expect.stringMatching(/cannot resolve CatalogVersion with \[catalog=\d+, version="Nope"\] \(column catalogVersion\)/) },
    ]);
    expect(store.find('Product', { code: 'P2' })).toEqual([]);
  });

  it('a reference value with the wrong number of key parts is an error', () => {
    const store = catalogStore();
    const report = importText(store, lines(PRODUCT_HEADER, '; P1 ; Default'));
    expect(report.errors).toEqual([{ file: FILE, line: 2, message: "column catalogVersion: 'Default' has 1 part(s) but catalogVersion(catalog(id),version)[unique=true] expects 2" }]);
    expect(store.count('Product')).toBe(0);
  });

  it('a row referencing an item defined further down the file succeeds on the retry pass', () => {
    const store = newStore();
    const report = importText(
      store,
      lines(
        'INSERT_UPDATE CatalogVersion; catalog(id)[unique=true]; version[unique=true]',
        '; Late ; Staged',
        'INSERT_UPDATE Catalog; id[unique=true]',
        '; Late',
      ),
    );
    expect(report).toMatchObject({ created: 2, errors: [] });
    expect(only(store, 'CatalogVersion', { version: 'Staged' }).values.catalog).toBe(pkOf(store, 'Catalog', { id: 'Late' }));
  });

  it('retries pass after pass for chains of forward references', () => {
    const store = newStore();
    const report = importText(
      store,
      lines(
        'INSERT_UPDATE Product; code[unique=true]; catalogVersion(catalog(id),version)[unique=true]',
        '; P1 ; Late:Staged',
        'INSERT_UPDATE CatalogVersion; catalog(id)[unique=true]; version[unique=true]',
        '; Late ; Staged',
        'INSERT_UPDATE Catalog; id[unique=true]',
        '; Late',
      ),
    );
    expect(report).toMatchObject({ created: 3, errors: [] });
    expect(only(store, 'Product', { code: 'P1' }).values.catalogVersion).toBe(pkOf(store, 'CatalogVersion', { version: 'Staged' }));
  });
});

describe('collections', () => {
  it('groups(uid) with a,b stores both group pks', () => {
    const store = essentialStore();
    const report = importText(store, lines('INSERT_UPDATE Employee; uid[unique=true]; groups(uid)', '; joe ; employeegroup, customergroup'));
    expect(report).toMatchObject({ created: 1, errors: [] });
    expect(only(store, 'Employee', { uid: 'joe' }).values.groups).toEqual([
      pkOf(store, 'UserGroup', { uid: 'employeegroup' }),
      pkOf(store, 'UserGroup', { uid: 'customergroup' }),
    ]);
  });

  it('without a mode an update replaces the collection; [mode=append] keeps the existing members', () => {
    const store = essentialStore();
    const group = (uid: string) => pkOf(store, 'UserGroup', { uid });
    importClean(store, lines('INSERT_UPDATE Employee; uid[unique=true]; groups(uid)', '; joe ; employeegroup'));

    importClean(store, lines('INSERT_UPDATE Employee; uid[unique=true]; groups(uid)[mode=append]', '; joe ; customergroup'));
    expect(only(store, 'Employee', { uid: 'joe' }).values.groups).toEqual([group('employeegroup'), group('customergroup')]);

    importClean(store, lines('INSERT_UPDATE Employee; uid[unique=true]; groups(uid)', '; joe ; admingroup'));
    expect(only(store, 'Employee', { uid: 'joe' }).values.groups).toEqual([group('admingroup')]);
  });

  it('essential data appends groups: integrationadmingroup is in integrationusergroup and admingroup', () => {
    const store = essentialStore();
    expect(only(store, 'UserGroup', { uid: 'integrationadmingroup' }).values.groups).toEqual([
      pkOf(store, 'UserGroup', { uid: 'integrationusergroup' }),
      pkOf(store, 'UserGroup', { uid: 'admingroup' }),
    ]);
    expect(only(store, 'Employee', { uid: 'admin' }).values).toMatchObject({ name: 'Administrator', groups: [pkOf(store, 'UserGroup', { uid: 'admingroup' })] });
  });

  it('a set-typed collection keeps each member once, also when appending a member it already has', () => {
    const store = essentialStore();
    const group = (uid: string) => pkOf(store, 'UserGroup', { uid });
    importClean(store, lines('INSERT_UPDATE Employee; uid[unique=true]; groups(uid)', '; joe ; employeegroup, customergroup, employeegroup'));
    expect(only(store, 'Employee', { uid: 'joe' }).values.groups).toEqual([group('employeegroup'), group('customergroup')]);

    importClean(store, lines('INSERT_UPDATE Employee; uid[unique=true]; groups(uid)[mode=append]', '; joe ; customergroup, admingroup'));
    expect(only(store, 'Employee', { uid: 'joe' }).values.groups).toEqual([group('employeegroup'), group('customergroup'), group('admingroup')]);
  });

  it('[mode=remove] takes members out of the collection', () => {
    const store = essentialStore();
    const group = (uid: string) => pkOf(store, 'UserGroup', { uid });
    importClean(store, lines('INSERT_UPDATE Employee; uid[unique=true]; groups(uid)', '; joe ; employeegroup, customergroup'));
    importClean(store, lines('INSERT_UPDATE Employee; uid[unique=true]; groups(uid)[mode=remove]', '; joe ; employeegroup'));
    expect(only(store, 'Employee', { uid: 'joe' }).values.groups).toEqual([group('customergroup')]);
  });

  it('[mode=remove] on an item without members (new, or never set) leaves the collection empty', () => {
    const store = essentialStore();
    importClean(store, lines('INSERT_UPDATE Employee; uid[unique=true]; name', '; joe ; Joe'));
    const report = importText(store, lines('INSERT_UPDATE Employee; uid[unique=true]; groups(uid)[mode=remove]', '; joe ; employeegroup', '; newbie ; employeegroup'));
    expect(report).toMatchObject({ created: 1, updated: 1, errors: [] });
    expect(only(store, 'Employee', { uid: 'joe' }).values.groups).toEqual([]);
    expect(only(store, 'Employee', { uid: 'newbie' }).values.groups).toEqual([]);
  });

  it('[mode=append] on an item without members yet writes the new members', () => {
    const store = essentialStore();
    importClean(store, lines('INSERT_UPDATE Employee; uid[unique=true]; name', '; joe ; Joe'));
    importClean(store, lines('INSERT_UPDATE Employee; uid[unique=true]; groups(uid)[mode=append]', '; joe ; employeegroup'));
    expect(only(store, 'Employee', { uid: 'joe' }).values.groups).toEqual([pkOf(store, 'UserGroup', { uid: 'employeegroup' })]);
  });

  it('an unknown member fails the whole row', () => {
    const store = essentialStore();
    const report = importText(store, lines('INSERT_UPDATE Employee; uid[unique=true]; groups(uid)', '; joe ; employeegroup, nosuchgroup'));
    expect(report.errors).toEqual([{ file: FILE, line: 2, message: expect.stringContaining('cannot resolve PrincipalGroup with [uid="nosuchgroup"]') }]);
    expect(store.find('Employee', { uid: 'joe' })).toEqual([]);
  });
});

describe('modifiers', () => {
  it('[unique=true] columns look the item up, other columns are only written', () => {
    const store = newStore();
    importClean(store, lines('INSERT_UPDATE Currency; isocode[unique=true]; symbol', '; USD ; $', '; EUR ; E'));
    const report = importText(store, lines('INSERT_UPDATE Currency; isocode[unique=true]; symbol', '; EUR ; €'));
    expect(report).toMatchObject({ created: 0, updated: 1 });
    expect(only(store, 'Currency', { isocode: 'EUR' }).values.symbol).toBe('€');
    expect(only(store, 'Currency', { isocode: 'USD' }).values.symbol).toBe('$');
  });

  it('uses several unique columns together to find the item', () => {
    const store = catalogStore();
    const online = catalogVersionPk(store, 'Default', 'Online');
    const report = importText(store, lines('INSERT_UPDATE CatalogVersion; catalog(id)[unique=true]; version[unique=true]; active', '; Default ; Staged ; true'));
    expect(report).toMatchObject({ created: 0, updated: 1 });
    expect(only(store, 'CatalogVersion', { catalog: pkOf(store, 'Catalog', { id: 'Default' }), version: 'Staged' }).values.active).toBe(true);
    expect(store.get(online)?.values.active).toBe(true);
    expect(only(store, 'CatalogVersion', { catalog: pkOf(store, 'Catalog', { id: 'Other' }), version: 'Staged' }).values.active).toBe(false);
  });

  it('re-importing rows keyed by initial-only unique attributes updates the items in place', () => {
    const store = catalogStore();
    const before = store.count('Item');
    const report = importText(store, CATALOGS, 'catalogs.impex');
    expect(report).toMatchObject({ created: 0, updated: 6, errors: [] });
    expect(store.count('Item')).toBe(before);
    expect(only(store, 'CatalogVersion', { catalog: pkOf(store, 'Catalog', { id: 'Default' }), version: 'Online' }).values.active).toBe(true);
  });

  it('[default=…] is used for empty cells only', () => {
    const store = newStore();
    importClean(store, lines('INSERT_UPDATE Unit; code[unique=true]; unitType[default=pieces]', '; pc ;', '; kg ; weight'));
    expect(only(store, 'Unit', { code: 'pc' }).values.unitType).toBe('pieces');
    expect(only(store, 'Unit', { code: 'kg' }).values.unitType).toBe('weight');
  });

  it('an empty cell without modifiers leaves the value unchanged on update', () => {
    const store = newStore();
    importClean(store, lines('INSERT_UPDATE Currency; isocode[unique=true]; symbol; digits', '; USD ; $ ; 3'));
    const report = importText(store, lines('INSERT_UPDATE Currency; isocode[unique=true]; symbol; digits', '; USD ; ; 2'));
    expect(report).toMatchObject({ updated: 1, errors: [] });
    expect(only(store, 'Currency', { isocode: 'USD' }).values).toMatchObject({ symbol: '$', digits: 2 });
  });

  it('[allownull=true] writes null for an empty cell', () => {
    const store = catalogStore();
    importClean(store, lines(`${PRODUCT_HEADER}; ean`, '; P1 ; Default:Staged ; 4006381333931'));
    const report = importText(store, lines(`${PRODUCT_HEADER}; ean[allownull=true]`, '; P1 ; Default:Staged ;'));
    expect(report).toMatchObject({ updated: 1, errors: [] });
    const values = only(store, 'Product', { code: 'P1' }).values;
    expect('ean' in values).toBe(true);
    expect(values.ean).toBeNull();
  });

  it('[lang=en] and [lang=de] store one localized map; a later import adds languages without losing others', () => {
    const store = catalogStore();
    importClean(store, lines(`${PRODUCT_HEADER}; name[lang=en]; name[lang=de]`, '; P1 ; Default:Staged ; Camera ; Kamera'));
    expect(only(store, 'Product', { code: 'P1' }).values.name).toEqual({ en: 'Camera', de: 'Kamera' });

    importClean(store, lines(`${PRODUCT_HEADER}; name[lang=fr]; name[lang=de]`, '; P1 ; Default:Staged ; Appareil ;'));
    expect(only(store, 'Product', { code: 'P1' }).values.name).toEqual({ en: 'Camera', de: 'Kamera', fr: 'Appareil' });
  });

  it('a localized column without [lang] uses the default language (en unless the options say otherwise)', () => {
    const store = catalogStore();
    importClean(store, lines(`${PRODUCT_HEADER}; name`, '; P1 ; Default:Staged ; Camera'));
    expect(only(store, 'Product', { code: 'P1' }).values.name).toEqual({ en: 'Camera' });

    const report = importText(store, lines(`${PRODUCT_HEADER}; name`, '; P1 ; Default:Staged ; Kamera'), FILE, { defaultLanguage: 'de' });
    expect(report.errors).toEqual([]);
    expect(only(store, 'Product', { code: 'P1' }).values.name).toEqual({ en: 'Camera', de: 'Kamera' });
  });

  it('[lang] on a non-localized attribute warns and writes the plain value', () => {
    const store = newStore();
    const report = importText(store, lines('INSERT_UPDATE Unit; code[unique=true]; unitType[lang=de]', '; pc ; pieces'));
    expect(report.warnings).toEqual([{ file: FILE, line: 1, message: expect.stringContaining('[lang=de] on non-localized attribute unitType') }]);
    expect(only(store, 'Unit', { code: 'pc' }).values.unitType).toBe('pieces');
  });

  it('[dateformat=…] parses dates with the given pattern; without it the ImpEx default dd.MM.yyyy HH:mm:ss applies', () => {
    const store = catalogStore();
    const report = importText(
      store,
      lines(`${PRODUCT_HEADER}; onlineDate[dateformat=yyyy-MM-dd'T'HH:mm]; offlineDate`, '; P1 ; Default:Staged ; 2024-03-05T14:30 ; 31.12.2025 23:59:58'),
    );
    expect(report.errors).toEqual([]);
    expect(only(store, 'Product', { code: 'P1' }).values).toMatchObject({
      onlineDate: Date.UTC(2024, 2, 5, 14, 30),
      offlineDate: Date.UTC(2025, 11, 31, 23, 59, 58),
    });
  });

  it('a date that does not match the format is an error', () => {
    const store = catalogStore();
    const report = importText(store, lines(`${PRODUCT_HEADER}; onlineDate[dateformat=dd.MM.yyyy]`, '; P1 ; Default:Staged ; 2024/03/05'));
    expect(report.errors).toEqual([{ file: FILE, line: 2, message: "column onlineDate: '2024/03/05' does not match the date format 'dd.MM.yyyy'" }]);
    expect(store.count('Product')).toBe(0);
  });

  it('epoch millis are accepted when the cell does not match the date format', () => {
    const store = catalogStore();
    importClean(store, lines(`${PRODUCT_HEADER}; onlineDate`, '; P1 ; Default:Staged ; 1709649000000'));
    expect(only(store, 'Product', { code: 'P1' }).values.onlineDate).toBe(Date.UTC(2024, 2, 5, 14, 30));
  });

  it('a digits-only date format is applied to the cell rather than reading the digits as epoch millis', () => {
    const store = catalogStore();
    const report = importText(store, lines(`${PRODUCT_HEADER}; onlineDate[dateformat=yyyyMMddHHmm]`, '; P1 ; Default:Staged ; 202403051430'));
    expect(report.errors).toEqual([]);
    expect(only(store, 'Product', { code: 'P1' }).values.onlineDate).toBe(Date.UTC(2024, 2, 5, 14, 30));
  });

  it('[translator=…] and unknown modifiers are tolerated with a warning on the header line', () => {
    const store = newStore();
    const report = importText(
      store,
      lines(
        'INSERT_UPDATE Employee; uid[unique=true]; password[translator=de.hybris.platform.impex.jalo.translators.UserPasswordTranslator]; name[frobnicate=yes]',
        '; joe ; *:secret ; Joe',
      ),
    );
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([
      { file: FILE, line: 1, message: expect.stringContaining('modifier [translator] on column password is not supported') },
      { file: FILE, line: 1, message: 'unknown modifier [frobnicate] on column name; ignored' },
    ]);
    expect(only(store, 'Employee', { uid: 'joe' }).values).toMatchObject({ password: '*:secret', name: 'Joe' });
  });
});

describe('typed values', () => {
  it('converts Integer, Double, Boolean, Long (as an exact string) and BigDecimal (as a string)', () => {
    const store = catalogStore();
    importClean(
      store,
      lines(
        'INSERT_UPDATE Currency; isocode[unique=true]; symbol; digits; conversion; active; base',
        '; EUR ; € ; 3 ; 1.0825 ; TRUE ; false',
        `${PRODUCT_HEADER}; sequenceId; reviewCount; reviewRating`,
        '; P1 ; Default:Staged ; 9007199254740993 ; -4 ; 4.5e0',
        'INSERT ProductFeature; qualifier; product(code,catalogVersion(catalog(id),version)); numberValue; booleanValue',
        '; weight ; P1:Default:Staged ; +12.50 ; true',
      ),
    );
    expect(only(store, 'Currency', { isocode: 'EUR' }).values).toMatchObject({ digits: 3, conversion: 1.0825, active: true, base: false });
    expect(only(store, 'Product', { code: 'P1' }).values).toMatchObject({ sequenceId: '9007199254740993', reviewCount: -4, reviewRating: 4.5 });
    expect(only(store, 'ProductFeature', { qualifier: 'weight' }).values).toMatchObject({ numberValue: '12.50', booleanValue: true });
  });

  it('applies items.xml default values on creation', () => {
    const store = catalogStore();
    importClean(store, lines(PRODUCT_HEADER, '; P1 ; Default:Staged'));
    expect(only(store, 'Product', { code: 'P1' }).values).toMatchObject({ approvalStatus: 'check', priceQuantity: 1, reviewCount: 0 });
  });

  it.each([
    ['digits', '2', 'abc', "'abc' is not a whole number"],
    ['digits', '2', '99999999999', "'99999999999' is out of range for java.lang.Integer"],
    ['conversion', '1.5', '1,5', "'1,5' is not a number"],
    ['active', 'true', 'yes', "'yes' is not a boolean (true or false)"],
  ])('a bad value for %s (%s, then %s) is an error naming file, line and column', (column, good, bad, reason) => {
    const store = newStore();
    const report = importText(store, lines('', `INSERT_UPDATE Currency; isocode[unique=true]; symbol; ${column}`, `; USD ; $ ; ${good}`, `; EUR ; € ; ${bad}`), 'currencies.impex');
    expect(report.created).toBe(1);
    expect(report.errors).toEqual([{ file: 'currencies.impex', line: 4, message: `column ${column}: ${reason}` }]);
    expect(store.find('Currency', { isocode: 'EUR' })).toEqual([]);
  });
});

describe('header and row errors', () => {
  it('an unknown type is an error on the header line; its rows are skipped, later statements still import', () => {
    const store = newStore();
    const report = importText(store, lines('INSERT_UPDATE NoSuchType; code[unique=true]', '; a', '; b', 'INSERT Unit; code; unitType', '; kg ; weight'));
    expect(report.errors).toEqual([{ file: FILE, line: 1, message: 'unknown type NoSuchType' }]);
    expect(report.created).toBe(1);
    expect(store.count('Item')).toBe(1);
  });

  it('an unknown attribute is an error on the header line; its rows are skipped', () => {
    const store = newStore();
    const report = importText(store, lines('# units', 'INSERT_UPDATE Unit; code[unique=true]; unitType; colour', '; kg ; weight ; red'));
    expect(report.errors).toEqual([{ file: FILE, line: 2, message: 'unknown attribute Unit.colour in header' }]);
    expect(store.count('Unit')).toBe(0);
  });

  it('creating an item of an abstract type fails the row; updating through the abstract type works', () => {
    const store = essentialStore();
    const report = importText(store, lines('INSERT_UPDATE PrincipalGroup; uid[unique=true]; name', '; newgroup ; New', '; admingroup ; Admins'));
    expect(report.errors).toEqual([{ file: FILE, line: 2, message: 'cannot create an item of abstract type PrincipalGroup' }]);
    expect(report).toMatchObject({ created: 0, updated: 1 });
    expect(store.find('PrincipalGroup', { uid: 'newgroup' })).toEqual([]);
    expect(only(store, 'UserGroup', { uid: 'admingroup' }).values.name).toBe('Admins');
  });

  it('a missing mandatory attribute on creation fails the row', () => {
    const store = newStore();
    const report = importText(store, lines('INSERT_UPDATE Unit; code[unique=true]', '; kg'));
    expect(report.errors).toEqual([{ file: FILE, line: 2, message: 'missing values for mandatory attributes [unitType] of new Unit' }]);
    expect(store.count('Unit')).toBe(0);
  });

  it('a mandatory attribute may be left out when updating an existing item', () => {
    const store = newStore();
    importClean(store, lines('INSERT_UPDATE Unit; code[unique=true]; unitType', '; kg ; weight'));
    const report = importText(store, lines('INSERT_UPDATE Unit; code[unique=true]; conversion', '; kg ; 1000'));
    expect(report).toMatchObject({ updated: 1, errors: [] });
    expect(only(store, 'Unit', { code: 'kg' }).values).toMatchObject({ unitType: 'weight', conversion: 1000 });
  });

  it('a non-writable attribute cannot be changed on update', () => {
    const store = catalogStore();
    const report = importText(store, lines('UPDATE CatalogVersion; version[unique=true]; catalog(id)', '; Online ; Other'));
    expect(report.errors).toEqual([{ file: FILE, line: 2, message: 'attribute CatalogVersion.catalog is not writable' }]);
    expect(only(store, 'CatalogVersion', { version: 'Online' }).values.catalog).toBe(pkOf(store, 'Catalog', { id: 'Default' }));
  });

  it('a failing row leaves the store exactly as it was; the rows around it are applied', () => {
    const store = catalogStore();
    importClean(store, lines(`${PRODUCT_HEADER}; name[lang=en]; ean`, '; P1 ; Default:Staged ; Camera ; 111'));
    const before = store.snapshot();
    const failing = importText(store, lines(`${PRODUCT_HEADER}; name[lang=en]; ean; reviewCount`, '; P1 ; Default:Staged ; Changed ; 222 ; many'));
    expect(failing.errors).toEqual([{ file: FILE, line: 2, message: "column reviewCount: 'many' is not a whole number" }]);
    expect(store.snapshot()).toEqual(before);

    const validatorFailure = importText(
      store,
      lines(`${PRODUCT_HEADER}; name[lang=en]`, '; P1 ; Default:Staged ; Changed', '; P2 ; Default:Staged ; New'),
      FILE,
      { validators: [({ values }) => (values.code === 'P1' ? 'P1 is frozen' : undefined)] },
    );
    expect(validatorFailure.errors).toEqual([{ file: FILE, line: 2, message: 'P1 is frozen' }]);
    expect(validatorFailure).toMatchObject({ created: 1, updated: 0 });
    expect(only(store, 'Product', { code: 'P1' }).values).toMatchObject({ name: { en: 'Camera' }, ean: '111' });
    expect(only(store, 'Product', { code: 'P2' }).values.name).toEqual({ en: 'New' });
  });

  it('no change events are delivered for a failed row', () => {
    const store = newStore();
    const events: string[] = [];
    store.onChange((e) => events.push(`${e.kind} ${e.typeCode}`));
    importText(store, lines('INSERT_UPDATE Unit; code[unique=true]; unitType', '; kg ; weight', '; pc ;'));
    expect(events).toEqual(['created Unit']);
  });
});

describe('enumerations', () => {
  it('a static enum column rejects an unknown value and accepts a known one', () => {
    const store = newStore();
    const report = importText(
      store,
      lines(
        'INSERT_UPDATE IntegrationObject; code[unique=true]',
        '; IO1',
        '; IO2',
        'INSERT_UPDATE InboundChannelConfiguration; integrationObject(code)[unique=true]; authenticationType(code)',
        '; IO1 ; OAUTH',
        '; IO2 ; KERBEROS',
      ),
    );
    expect(report.errors).toEqual([{ file: FILE, line: 6, message: "'KERBEROS' is not a value of enumeration AuthenticationType (column authenticationType)" }]);
    expect(store.count('InboundChannelConfiguration')).toBe(1);
    expect(only(store, 'InboundChannelConfiguration', { integrationObject: pkOf(store, 'IntegrationObject', { code: 'IO1' }) }).values.authenticationType).toBe('OAUTH');
    expect(store.typeSystem.enumType('AuthenticationType')?.values).not.toContain('KERBEROS');
  });

  it('a dynamic enum accepts a new value from its own header, also when the value is defined further down', () => {
    const store = newStore();
    expect(store.typeSystem.enumType('IntegrationType')?.dynamic).toBe(true);
    expect(store.typeSystem.enumType('IntegrationType')?.values).not.toContain('OUTBOUND_CUSTOM');
    const report = importText(
      store,
      lines(
        'INSERT_UPDATE IntegrationObject; code[unique=true]; integrationType(code)',
        '; IO1 ; INBOUND',
        '; IO2 ; OUTBOUND_CUSTOM',
        'INSERT_UPDATE IntegrationType; code[unique=true]',
        '; OUTBOUND_CUSTOM',
      ),
    );
    expect(report).toMatchObject({ created: 2, errors: [] });
    expect(only(store, 'IntegrationObject', { code: 'IO2' }).values.integrationType).toBe('OUTBOUND_CUSTOM');
    expect(store.typeSystem.enumType('IntegrationType')?.values).toContain('OUTBOUND_CUSTOM');
  });

  it('a value a dynamic enum does not have is an error in a column, as values are only created by their own header', () => {
    const store = newStore();
    const report = importText(store, lines('INSERT_UPDATE IntegrationObject; code[unique=true]; integrationType(code)', '; IO1 ; MYSTERY'));
    expect(report.errors).toEqual([{ file: FILE, line: 2, message: "'MYSTERY' is not a value of enumeration IntegrationType (column integrationType)" }]);
    expect(store.count('IntegrationObject')).toBe(0);
    expect(store.typeSystem.enumType('IntegrationType')?.values).not.toContain('MYSTERY');
  });

  it('enum defaults from items.xml are applied on creation', () => {
    const store = newStore();
    importClean(store, lines('INSERT_UPDATE IntegrationObject; code[unique=true]', '; IO1', 'INSERT_UPDATE InboundChannelConfiguration; integrationObject(code)[unique=true]', '; IO1'));
    expect(only(store, 'IntegrationObject', { code: 'IO1' }).values.integrationType).toBe('INBOUND');
    expect(only(store, 'InboundChannelConfiguration', {}).values.authenticationType).toBe('BASIC');
  });

  it('a header on an enumeration type adds values to a dynamic enum and rejects new values of a static one', () => {
    const store = newStore();
    const report = importText(store, lines('INSERT_UPDATE OrderStatus; code[unique=true]; name[lang=en]', '; SHIPPED_TO_MOON ; Shipped', 'INSERT_UPDATE Gender; code[unique=true]', '; MALE', '; OTHER'));
    expect(report.errors).toEqual([{ file: FILE, line: 5, message: "'OTHER' is not a value of the static enumeration Gender" }]);
    expect(store.typeSystem.enumType('OrderStatus')?.values).toContain('SHIPPED_TO_MOON');
    expect(store.typeSystem.enumType('Gender')?.values).toEqual(['MALE', 'FEMALE']);
  });
});

describe('integration objects', () => {
  const IO_HEADER = lines(
    'INSERT_UPDATE IntegrationObject; code[unique=true]; integrationType(code)',
    '; Products ; INBOUND',
    'INSERT_UPDATE IntegrationObjectItem; integrationObject(code)[unique=true]; code[unique=true]; type(code); root[default=false]',
    '; Products ; Product ; Product ; true',
    '; Products ; Catalog ; Catalog ;',
  );
  const ATTRIBUTE_HEADER =
    'INSERT_UPDATE IntegrationObjectItemAttribute; integrationObjectItem(integrationObject(code),code)[unique=true]; attributeName[unique=true]; attributeDescriptor(enclosingType(code),qualifier); unique[default=false]';

  it('imports an integration object with items and attributes', () => {
    const store = newStore();
    const report = importText(store, lines(IO_HEADER, ATTRIBUTE_HEADER, '; Products:Product ; code ; Product:code ; true', '; Products:Catalog ; id ; Catalog:id'));
    expect(report).toMatchObject({ created: 5, errors: [] });
    const io = pkOf(store, 'IntegrationObject', { code: 'Products' });
    const product = only(store, 'IntegrationObjectItem', { integrationObject: io, code: 'Product' });
    expect(product.values).toMatchObject({ type: 'Product', root: true });
    expect(only(store, 'IntegrationObjectItem', { integrationObject: io, code: 'Catalog' }).values.root).toBe(false);
    expect(only(store, 'IntegrationObjectItemAttribute', { attributeName: 'code' }).values).toMatchObject({
      integrationObjectItem: product.pk,
      attributeDescriptor: 'Product:code',
      unique: true,
    });
    expect(only(store, 'IntegrationObjectItemAttribute', { attributeName: 'id' }).values.unique).toBe(false);
  });

  it('a second root item fails with an error naming file and line', () => {
    const store = newStore();
    const report = importText(
      store,
      lines(
        'INSERT_UPDATE IntegrationObject; code[unique=true]',
        '; Products',
        'INSERT_UPDATE IntegrationObjectItem; integrationObject(code)[unique=true]; code[unique=true]; type(code); root[default=false]',
        '; Products ; Product ; Product ; true',
        '; Products ; Catalog ; Catalog ; true',
      ),
      'io.impex',
    );
    expect(report.errors).toEqual([
      { file: 'io.impex', line: 5, message: 'Integration object [Products] can have only one root item, but [Product, Catalog] are marked as root' },
    ]);
    expect(store.find('IntegrationObjectItem', { code: 'Catalog' })).toEqual([]);
    expect(store.find('IntegrationObjectItem', { root: true }).map((i) => i.values.code)).toEqual(['Product']);
  });

  it.each(['integrationKey', 'localizedAttributes'])('an attribute named %s is rejected', (name) => {
    const store = newStore();
    const report = importText(store, lines(IO_HEADER, ATTRIBUTE_HEADER, '; Products:Product ; code ; Product:code', `; Products:Product ; ${name} ; Product:name`), 'io.impex');
    expect(report.errors).toEqual([{ file: 'io.impex', line: 8, message: expect.stringContaining(`Attribute name [${name}] is reserved`) }]);
    expect(store.find('IntegrationObjectItemAttribute', { attributeName: name })).toEqual([]);
    expect(store.count('IntegrationObjectItemAttribute')).toBe(1);
  });

  it('an attribute descriptor with an unknown qualifier is an error', () => {
    const store = newStore();
    const report = importText(store, lines(IO_HEADER, ATTRIBUTE_HEADER, '; Products:Product ; colour ; Product:colour'), 'io.impex');
    expect(report.errors).toEqual([{ file: 'io.impex', line: 7, message: "column attributeDescriptor: type Product has no attribute 'colour'" }]);
    expect(store.count('IntegrationObjectItemAttribute')).toBe(0);
  });

  it('an attribute descriptor with an unknown enclosing type is an error', () => {
    const store = newStore();
    const report = importText(store, lines(IO_HEADER, ATTRIBUTE_HEADER, '; Products:Product ; code ; Prodcut:code'));
    expect(report.errors).toEqual([{ file: FILE, line: 7, message: "column attributeDescriptor: unknown type 'Prodcut' in attribute descriptor 'Prodcut:code'" }]);
    expect(store.count('IntegrationObjectItemAttribute')).toBe(0);
  });

  it('an item of an unknown type is an error', () => {
    const store = newStore();
    const report = importText(store, lines(IO_HEADER, '; Products ; Thing ; NoSuchType ;'));
    expect(report.errors).toEqual([{ file: FILE, line: 6, message: "column type: unknown type 'NoSuchType'" }]);
    expect(store.find('IntegrationObjectItem', { code: 'Thing' })).toEqual([]);
  });

  it('imports the demo integration objects without diagnostics', () => {
    const store = essentialStore();
    const text = readFileSync(join(packageRoot(), 'demo', 'impex', '10-integration-objects.impex'), 'utf8');
    const report = importText(store, text, '10-integration-objects.impex');
    expect(report).toMatchObject({ errors: [], warnings: [], created: 45 });
    expect(store.find('IntegrationObject', {}).map((i) => i.values.code)).toEqual(['Orders', 'ThirdPartyInboundProduct']);
    expect(store.count('IntegrationObjectItemAttribute')).toBe(30);
  });
});

describe('user rights', () => {
  it('returns $START_USERRIGHTS blocks in the report and imports the statements around them', () => {
    const store = essentialStore();
    const report = importText(
      store,
      lines(
        'INSERT_UPDATE Employee; uid[unique=true]; groups(uid)',
        '; integrationuser ; integrationadmingroup',
        '$START_USERRIGHTS',
        'Type ; UID ; MemberOfGroups ; Password ; Target ; read ; change ; create ; remove',
        'UserGroup ; integrationadmingroup ; ; ; ; ; ; ;',
        ' ; ; ; ; Product ; + ; + ; - ;',
        '$END_USERRIGHTS',
      ),
    );
    expect(report).toMatchObject({ created: 1, errors: [] });
    expect(report.userRights).toEqual([
      {
        line: 3,
        header: ['Type', 'UID', 'MemberOfGroups', 'Password', 'Target', 'read', 'change', 'create', 'remove'],
        rows: [
          { line: 5, cells: ['UserGroup', 'integrationadmingroup', '', '', '', '', '', '', ''] },
          { line: 6, cells: ['', '', '', '', 'Product', '+', '+', '-', ''] },
        ],
      },
    ]);
    expect(only(store, 'Employee', { uid: 'integrationuser' }).values.groups).toEqual([pkOf(store, 'UserGroup', { uid: 'integrationadmingroup' })]);
  });
});
