import { describe, expect, it } from 'vitest';
import {
  modifier,
  parseImpex,
  splitCollection,
  splitReferencePath,
  type ImpexDocument,
  type ImpexStatement,
} from '../../mock-commerce/impex/parse.js';

const FILE = 'essentialdata-test.impex';

function parse(text: string, options?: Parameters<typeof parseImpex>[2]): ImpexDocument {
  return parseImpex(text, FILE, options);
}

/** Parses text expected to be clean and returns its only statement. */
function only(text: string, options?: Parameters<typeof parseImpex>[2]): ImpexStatement {
  const doc = parse(text, options);
  expect(doc.errors).toEqual([]);
  expect(doc.statements).toHaveLength(1);
  const statement = doc.statements[0];
  if (statement === undefined) throw new Error('no statement');
  return statement;
}

function lines(...parts: string[]): string {
  return parts.join('\n');
}

describe('headers and rows', () => {
  it('parses mode, type, columns and trimmed row cells with 1-based lines', () => {
    const statement = only(
      lines(
        'INSERT_UPDATE IntegrationObject; code[unique = true]; integrationType(code)',
        '; InboundThing ; INBOUND',
        ';OtherThing;OUTBOUND',
      ),
    );
    expect(statement.header).toMatchObject({ mode: 'INSERT_UPDATE', typeCode: 'IntegrationObject', typeModifiers: {}, line: 1 });
    expect(statement.header.columns.map((c) => [c.index, c.qualifier, c.text])).toEqual([
      [0, 'code', 'code[unique = true]'],
      [1, 'integrationType', 'integrationType(code)'],
    ]);
    expect(statement.rows).toEqual([
      { line: 2, cells: ['InboundThing', 'INBOUND'] },
      { line: 3, cells: ['OtherThing', 'OUTBOUND'] },
    ]);
  });

  it.each([
    ['INSERT', 'INSERT'],
    ['insert_update', 'INSERT_UPDATE'],
    ['Update', 'UPDATE'],
    ['REMOVE', 'REMOVE'],
  ])('accepts mode %s case-insensitively', (written, mode) => {
    expect(only(`${written} Product; code[unique=true]`).header.mode).toBe(mode);
  });

  it('tolerates leading whitespace and blanks around the type', () => {
    const header = only('   INSERT_UPDATE    Unit  ;code[unique=true]').header;
    expect(header.typeCode).toBe('Unit');
  });

  it('parses type modifiers', () => {
    const header = only('UPDATE Product[batchmode = true, processor = x.y.ConfigProcessor]; code[unique=true]').header;
    expect(header.typeCode).toBe('Product');
    expect(header.typeModifiers).toEqual({ batchmode: 'true', processor: 'x.y.ConfigProcessor' });
  });

  it('keeps a header without columns', () => {
    const statement = only('REMOVE Product');
    expect(statement.header.columns).toEqual([]);
  });

  it('keeps a header with no rows as a statement', () => {
    const doc = parse(lines('INSERT_UPDATE A; code[unique=true]', 'INSERT_UPDATE B; code[unique=true]', ';b1'));
    expect(doc.statements.map((s) => [s.header.typeCode, s.rows.length])).toEqual([
      ['A', 0],
      ['B', 1],
    ]);
  });

  it('marks empty header cells, including a trailing one, as ignored columns', () => {
    const statement = only(lines('INSERT_UPDATE Unit; code[unique=true];; unitType;', '; pieces ; skipped ; pc ; x'));
    expect(statement.header.columns).toEqual([
      { index: 0, qualifier: 'code', reference: [], modifiers: { unique: 'true' }, ignored: false, text: 'code[unique=true]' },
      { index: 1, qualifier: '', reference: [], modifiers: {}, ignored: true, text: '' },
      { index: 2, qualifier: 'unitType', reference: [], modifiers: {}, ignored: false, text: 'unitType' },
      { index: 3, qualifier: '', reference: [], modifiers: {}, ignored: true, text: '' },
    ]);
    expect(statement.rows[0]?.cells).toEqual(['pieces', 'skipped', 'pc', 'x']);
  });

  it('keeps special columns (@ translators, & document ids)', () => {
    const header = only(
      'INSERT_UPDATE Media; &mediaRef; code[unique=true]; @media[translator=de.hybris.platform.impex.jalo.media.MediaDataTranslator]',
    ).header;
    expect(header.columns.map((c) => c.qualifier)).toEqual(['&mediaRef', 'code', '@media']);
    expect(header.columns[2]?.modifiers).toEqual({ translator: 'de.hybris.platform.impex.jalo.media.MediaDataTranslator' });
  });
});

describe('modifiers', () => {
  it('supports [a=1][b=2] and [a=1, b=2] with blanks anywhere', () => {
    const columns = only(
      'INSERT_UPDATE Product; code[unique=true][lang=en]; name[ unique = true , default = false ]; x [lang = de] [ mode = append ]',
    ).header.columns;
    expect(columns.map((c) => c.modifiers)).toEqual([
      { unique: 'true', lang: 'en' },
      { unique: 'true', default: 'false' },
      { lang: 'de', mode: 'append' },
    ]);
    expect(columns[2]?.qualifier).toBe('x');
  });

  it('reads [lang=en] on localized columns', () => {
    const columns = only('INSERT_UPDATE Product; code[unique=true]; name[lang=en]; name[lang = de]').header.columns;
    expect(columns.map((c) => modifier(c, 'lang'))).toEqual([undefined, 'en', 'de']);
  });

  it('unquotes single and double quoted values, which may hold , ] and doubled quotes', () => {
    const column = only(
      `INSERT_UPDATE Product; onlineDate[dateformat='dd.MM.yyyy HH:mm', default="a,b]c"][numberformat='#,##0.00'][note='it''s']`,
    ).header.columns[0];
    expect(column?.modifiers).toEqual({
      dateformat: 'dd.MM.yyyy HH:mm',
      default: 'a,b]c',
      numberformat: '#,##0.00',
      note: "it's",
    });
  });

  it('keeps keys as written and looks them up case-insensitively', () => {
    const column = only('INSERT_UPDATE Product; code[Unique=true, DEFAULT=x]').header.columns[0];
    if (column === undefined) throw new Error('missing column');
    expect(column.modifiers).toEqual({ Unique: 'true', DEFAULT: 'x' });
    expect(modifier(column, 'unique')).toBe('true');
    expect(modifier(column, 'default')).toBe('x');
    expect(modifier(column, 'lang')).toBeUndefined();
  });

  it('lets a later duplicate key win', () => {
    expect(only('INSERT Product; code[default=a][default=b]').header.columns[0]?.modifiers).toEqual({ default: 'b' });
  });
});

describe('reference columns', () => {
  it('parses catalogVersion(catalog(id),version) exactly', () => {
    const column = only('INSERT_UPDATE Product; code[unique=true]; catalogVersion(catalog(id),version)[unique=true]').header
      .columns[1];
    expect(column?.qualifier).toBe('catalogVersion');
    expect(column?.reference).toEqual([
      { attribute: 'catalog', children: [{ attribute: 'id', children: [] }] },
      { attribute: 'version', children: [] },
    ]);
    expect(column?.modifiers).toEqual({ unique: 'true' });
  });

  it('parses deep nesting with blanks', () => {
    const column = only(
      'INSERT_UPDATE X; classAttributeAssignment(classificationClass(catalogVersion(catalog(id), version), code), classificationAttribute(systemVersion(catalog(id), version), code))',
    ).header.columns[0];
    const versioned = (name: string) => ({
      attribute: name,
      children: [
        { attribute: 'catalog', children: [{ attribute: 'id', children: [] }] },
        { attribute: 'version', children: [] },
      ],
    });
    expect(column?.reference).toEqual([
      { attribute: 'classificationClass', children: [versioned('catalogVersion'), { attribute: 'code', children: [] }] },
      { attribute: 'classificationAttribute', children: [versioned('systemVersion'), { attribute: 'code', children: [] }] },
    ]);
  });

  it('keeps modifiers of nested reference attributes', () => {
    const column = only(
      "INSERT_UPDATE Product; catalogVersion(catalog(id[default=Default]), version[default='Staged'])[unique=true, default=Default:Staged]",
    ).header.columns[0];
    expect(column?.reference).toEqual([
      { attribute: 'catalog', children: [{ attribute: 'id', children: [], modifiers: { default: 'Default' } }] },
      { attribute: 'version', children: [], modifiers: { default: 'Staged' } },
    ]);
    expect(column?.modifiers).toEqual({ unique: 'true', default: 'Default:Staged' });
  });

  it('leaves reference values as written for splitReferencePath', () => {
    const statement = only(
      lines(
        'INSERT_UPDATE IntegrationObjectItemAttribute; integrationObjectItem(integrationObject(code), code)[unique = true]; attributeName[unique = true]; attributeDescriptor(enclosingType(code), qualifier)',
        '; InboundThing:Product ; catalogVersion ; Product:catalogVersion',
      ),
    );
    const cells = statement.rows[0]?.cells ?? [];
    expect(splitReferencePath(cells[0] ?? '')).toEqual(['InboundThing', 'Product']);
    expect(splitReferencePath(cells[2] ?? '')).toEqual(['Product', 'catalogVersion']);
  });
});

describe('macros', () => {
  it('expands macros in headers and rows, and macros defined with other macros', () => {
    const statement = only(
      lines(
        '$SYSTEM = Electronics',
        '$VERSION=Staged',
        '$SYSTEM_VERSION = $SYSTEM:$VERSION',
        '$systemVersionHeader = systemVersion(catalog(id), version)',
        'INSERT_UPDATE ClassificationAttribute; code[unique = true]; $systemVersionHeader[unique = true]',
        '; height ; $SYSTEM_VERSION',
      ),
    );
    expect(statement.header.columns[1]?.qualifier).toBe('systemVersion');
    expect(statement.header.columns[1]?.text).toBe('systemVersion(catalog(id), version)[unique = true]');
    expect(statement.header.columns[1]?.modifiers).toEqual({ unique: 'true' });
    expect(statement.rows[0]?.cells).toEqual(['height', 'Electronics:Staged']);
    expect(statement.header.line).toBe(5);
    expect(statement.rows[0]?.line).toBe(6);
  });

  it('replaces the longest macro name first', () => {
    const statement = only(
      lines(
        '$catalog=Default',
        '$catalogVersion=catalogVersion(catalog(id[default=$catalog]),version[default=Staged])[unique=true]',
        'INSERT_UPDATE Product; code[unique=true]; $catalogVersion',
        '; p1 ; $catalog:Online',
      ),
    );
    const column = statement.header.columns[1];
    expect(column?.qualifier).toBe('catalogVersion');
    expect(column?.reference[0]).toEqual({
      attribute: 'catalog',
      children: [{ attribute: 'id', children: [], modifiers: { default: 'Default' } }],
    });
    expect(statement.rows[0]?.cells).toEqual(['p1', 'Default:Online']);
  });

  it('is longest-first regardless of definition order', () => {
    const statement = only(lines('$ab=LONG', '$a=short', 'INSERT X; code', '; $ab-$a'));
    expect(statement.rows[0]?.cells).toEqual(['LONG-short']);
  });

  it('lets a macro value carry ; so it expands into several cells', () => {
    const statement = only(lines('$pair=one ; two', 'INSERT X; a; b; c', '; $pair ; three'));
    expect(statement.rows[0]?.cells).toEqual(['one', 'two', 'three']);
  });

  it('lets a macro value carry several header columns', () => {
    const header = only(lines('$cols = name[lang=en]; description[lang=en]', 'INSERT_UPDATE Product; code[unique=true]; $cols')).header;
    expect(header.columns.map((c) => c.text)).toEqual(['code[unique=true]', 'name[lang=en]', 'description[lang=en]']);
  });

  it('strips spreadsheet ;;; padding from definitions', () => {
    const statement = only(
      lines('$productCatalog=apparelProductCatalog;;;;', '$lang = en ; ;', 'INSERT X; code; name[lang=$lang]', ';$productCatalog:Staged ; x'),
    );
    expect(statement.header.columns[1]?.modifiers).toEqual({ lang: 'en' });
    expect(statement.rows[0]?.cells).toEqual(['apparelProductCatalog:Staged', 'x']);
  });

  it('uses the latest definition from that point on', () => {
    const doc = parse(lines('$v=one', 'INSERT X; code', ';$v', '$v=two', ';$v'));
    expect(doc.statements[0]?.rows.map((r) => r.cells[0])).toEqual(['one', 'two']);
  });

  it('pre-seeds macros from options, with or without $', () => {
    const statement = only(lines('INSERT X; a; b', '; $lang ; $country'), { macros: { $lang: 'en', country: 'DE' } });
    expect(statement.rows[0]?.cells).toEqual(['en', 'DE']);
  });

  it('lets file definitions override seeded macros', () => {
    const statement = only(lines('$lang=de', 'INSERT X; a', '; $lang'), { macros: { lang: 'en' } });
    expect(statement.rows[0]?.cells).toEqual(['de']);
  });

  it('continues a definition with a trailing backslash', () => {
    const statement = only(lines('$ref=catalogVersion(catalog(id),\\', 'version)', 'INSERT X; $ref'));
    expect(statement.header.columns[0]?.reference.map((r) => r.attribute)).toEqual(['catalog', 'version']);
  });

  it('warns about an undefined macro in a header and leaves it as written', () => {
    const doc = parse(lines('INSERT_UPDATE X; $item[unique=true]; code', '; a ; b'));
    expect(doc.errors).toEqual([]);
    expect(doc.statements[0]?.header.columns[0]?.qualifier).toBe('$item');
    expect(doc.warnings).toEqual([{ file: FILE, line: 1, message: expect.stringContaining('$item') as unknown as string }]);
  });

  it('does not warn about $ text in data rows', () => {
    const doc = parse(lines('INSERT Endpoint; id; specUrl', '; e1 ; https://host/odata2webservices/InboundOrder/$metadata'));
    expect(doc.warnings).toEqual([]);
    expect(doc.statements[0]?.rows[0]?.cells[1]).toBe('https://host/odata2webservices/InboundOrder/$metadata');
  });

  it('warns about a $ line that is not a definition', () => {
    const doc = parse(lines('$justAName', 'INSERT X; code'));
    expect(doc.warnings).toEqual([{ file: FILE, line: 1, message: expect.stringContaining('not a macro definition') as unknown as string }]);
  });
});

describe('$config- macros', () => {
  const config = { 'website.url': 'https://shop.example', 'website.url.secure': 'https://secure.example', 'default.lang': 'en' };

  it('resolves from options.config, longest key first', () => {
    const statement = only(
      lines('INSERT X; a; b; c; d', '; $config-website.url ; $config-website.url.secure/cart ; $config-default.lang ; $config-website.url.secureX'),
      { config },
    );
    // like Commerce's per-property macros, the longest property key that prefixes the text wins
    expect(statement.rows[0]?.cells).toEqual(['https://shop.example', 'https://secure.example/cart', 'en', 'https://secure.exampleX']);
  });

  it('resolves inside macro definitions and headers', () => {
    const statement = only(lines('$lang=$config-default.lang', 'INSERT Product; name[lang=$lang]'), { config });
    expect(statement.header.columns[0]?.modifiers).toEqual({ lang: 'en' });
  });

  it('warns and leaves unresolved references as written', () => {
    const doc = parse(lines('INSERT X; a', '', '; $config-missing.key'), { config });
    expect(doc.statements[0]?.rows[0]?.cells).toEqual(['$config-missing.key']);
    expect(doc.warnings).toEqual([
      { file: FILE, line: 3, message: expect.stringContaining('$config-missing.key') as unknown as string },
    ]);
    expect(doc.errors).toEqual([]);
  });
});

describe('comments and scripting directives', () => {
  it('ignores comments and blank lines, also between rows', () => {
    const statement = only(lines('# setup', '', 'INSERT X; code', '  # indented comment', '; a', '', '# x;y;z', '; b'));
    expect(statement.rows.map((r) => [r.line, r.cells[0]])).toEqual([
      [5, 'a'],
      [8, 'b'],
    ]);
  });

  it('skips #% directives with a warning naming file and line', () => {
    const doc = parse(lines('INSERT X; code', '#% impex.enableCodeExecution(true);', '#%groovy% println "x; y"', '; a'));
    expect(doc.errors).toEqual([]);
    expect(doc.statements[0]?.rows).toHaveLength(1);
    expect(doc.warnings.map((w) => [w.file, w.line])).toEqual([
      [FILE, 2],
      [FILE, 3],
    ]);
    expect(doc.warnings[0]?.message).toContain('impex.enableCodeExecution(true);');
  });

  it('skips the quoted multi-line "#% …" form and keeps later line numbers right', () => {
    const doc = parse(
      lines(
        'INSERT X; code',
        '"#% if (true) {',
        '   impex.info(""a; b"");',
        '}"',
        '; after',
      ),
    );
    expect(doc.errors).toEqual([]);
    expect(doc.warnings.map((w) => w.line)).toEqual([2]);
    expect(doc.statements[0]?.rows).toEqual([{ line: 5, cells: ['after'] }]);
  });
});

describe('quoted values', () => {
  it('keeps ; inside quotes, unescapes doubled quotes and keeps blanks verbatim', () => {
    const statement = only(lines('INSERT X; a; b; c; d', '; "x;y" ; "say ""hi""" ;"  padded  " ; 5" screen'));
    expect(statement.rows[0]?.cells).toEqual(['x;y', 'say "hi"', '  padded  ', '5" screen']);
  });

  it('treats an empty quoted cell as empty', () => {
    expect(only(lines('INSERT X; a; b', '; "" ; b')).rows[0]?.cells).toEqual(['', 'b']);
  });

  it('spans lines inside quotes; the row keeps its first line number', () => {
    const statement = only(
      lines('INSERT_UPDATE Script; code[unique=true]; content', '; s1 ; "line one', '  line; two', 'end" ', '; s2 ; plain'),
    );
    expect(statement.rows).toEqual([
      { line: 2, cells: ['s1', 'line one\n  line; two\nend'] },
      { line: 5, cells: ['s2', 'plain'] },
    ]);
  });

  it('does not treat # or $ lines inside a quoted value as comments or definitions', () => {
    const statement = only(lines('INSERT X; code; text', '; a ; "first', '# not a comment', '$notAMacro=1"'));
    expect(statement.rows[0]?.cells[1]).toBe('first\n# not a comment\n$notAMacro=1');
  });
});

describe('line continuation', () => {
  it('joins a row whose line ends with a backslash', () => {
    const statement = only(lines('INSERT X; a; b; c', '; one ; tw\\', 'o ; three', '; next'));
    expect(statement.rows).toEqual([
      { line: 2, cells: ['one', 'two', 'three'] },
      { line: 4, cells: ['next', '', ''] },
    ]);
  });

  it('continues after a separator and allows a quote on the next line', () => {
    const statement = only(lines('INSERT X; a; b', '; one ;\\', '"two;2"'));
    expect(statement.rows[0]?.cells).toEqual(['one', 'two;2']);
  });

  it('continues a header', () => {
    const header = only(lines('INSERT_UPDATE Product; code[unique=true];\\', '  name[lang=en]')).header;
    expect(header.columns.map((c) => c.qualifier)).toEqual(['code', 'name']);
  });

  it('keeps a backslash inside quotes literally (the line break stays part of the value)', () => {
    const statement = only(lines('INSERT X; a', '; "C:\\dir\\', 'next"'));
    expect(statement.rows[0]?.cells).toEqual(['C:\\dir\\\nnext']);
  });
});

describe('collections and reference paths', () => {
  it('splits collections on , trimming and dropping blanks', () => {
    expect(splitCollection('a, b ,c')).toEqual(['a', 'b', 'c']);
    expect(splitCollection('group1,,group2, ')).toEqual(['group1', 'group2']);
    expect(splitCollection('')).toEqual([]);
    expect(splitCollection('   ')).toEqual([]);
  });

  it('honours an escaped delimiter and a custom delimiter', () => {
    expect(splitCollection('a\\,b,c')).toEqual(['a,b', 'c']);
    expect(splitCollection('x|y | z', '|')).toEqual(['x', 'y', 'z']);
  });

  it('splits collection cells taken from a row', () => {
    const statement = only(lines('INSERT_UPDATE Employee; uid[unique=true]; groups(uid)[mode=append]', '; u1 ; integrationadmingroup, integrationviewgroup'));
    expect(splitCollection(statement.rows[0]?.cells[1] ?? '')).toEqual(['integrationadmingroup', 'integrationviewgroup']);
  });

  it('splits reference paths on :, keeping empty positions', () => {
    expect(splitReferencePath('Default:Staged')).toEqual(['Default', 'Staged']);
    expect(splitReferencePath('Electronics:Staged:dimensions')).toEqual(['Electronics', 'Staged', 'dimensions']);
    expect(splitReferencePath(':Staged')).toEqual(['', 'Staged']);
    expect(splitReferencePath('single')).toEqual(['single']);
    expect(splitReferencePath('')).toEqual([]);
  });

  it('honours an escaped : and a custom path delimiter', () => {
    expect(splitReferencePath('https\\://host:v1')).toEqual(['https://host', 'v1']);
    expect(splitReferencePath('a/b', '/')).toEqual(['a', 'b']);
  });
});

describe('row shape', () => {
  it('reads the subtype from the first cell', () => {
    const statement = only(lines('INSERT_UPDATE User; uid[unique=true]; name', 'Employee; e1 ; Emma', '; c1 ; Carl', 'Customer ;c2;'));
    expect(statement.rows).toEqual([
      { line: 2, subtype: 'Employee', cells: ['e1', 'Emma'] },
      { line: 3, cells: ['c1', 'Carl'] },
      { line: 4, subtype: 'Customer', cells: ['c2', ''] },
    ]);
    expect('subtype' in (statement.rows[1] ?? {})).toBe(false);
  });

  it('pads missing cells with empty strings', () => {
    expect(only(lines('INSERT X; a; b; c', '; only')).rows[0]?.cells).toEqual(['only', '', '']);
  });

  it('warns about non-empty extra cells and ignores them', () => {
    const doc = parse(lines('INSERT X; a; b', '; 1 ; 2 ; 3'));
    expect(doc.statements[0]?.rows[0]?.cells).toEqual(['1', '2']);
    expect(doc.warnings).toEqual([{ file: FILE, line: 2, message: expect.stringContaining('extra') as unknown as string }]);
  });

  it('accepts trailing empty cells silently', () => {
    const doc = parse(lines('INSERT X; a; b', '; 1 ; 2 ; ; ;'));
    expect(doc.warnings).toEqual([]);
    expect(doc.statements[0]?.rows[0]?.cells).toEqual(['1', '2']);
  });

  it('skips rows without any content, as Commerce does', () => {
    const statement = only(lines('INSERT X; a; b', ';;', ' ; ; ', '; x'));
    expect(statement.rows).toEqual([{ line: 4, cells: ['x', ''] }]);
  });
});

describe('user rights', () => {
  const block = lines(
    'INSERT_UPDATE UserGroup; uid[unique=true]',
    '; integrationadmingroup',
    '$START_USERRIGHTS;;;;;;;;;',
    'Type ; UID ; MemberOfGroups ; Password ; Target ; read ; change ; create ; remove ; change_perm',
    '# groups',
    'UserGroup ; integrationadmingroup ; ; ; ; ; ; ; ; ',
    '',
    '; ; ; ; Product ; + ; + ; + ; + ; -',
    ';;;;Product.code;+;-;;;',
    '$END_USERRIGHTS;;;;;',
    '; integrationviewgroup',
  );

  it('collects header and rows split on ;, trimmed, keeping empty cells', () => {
    const doc = parse(block);
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
    expect(doc.userRights).toEqual([
      {
        line: 3,
        header: ['Type', 'UID', 'MemberOfGroups', 'Password', 'Target', 'read', 'change', 'create', 'remove', 'change_perm'],
        rows: [
          { line: 6, cells: ['UserGroup', 'integrationadmingroup', '', '', '', '', '', '', '', ''] },
          { line: 8, cells: ['', '', '', '', 'Product', '+', '+', '+', '+', '-'] },
          { line: 9, cells: ['', '', '', '', 'Product.code', '+', '-', '', '', ''] },
        ],
      },
    ]);
  });

  it('keeps file order in items; rows after the block continue the header as a new statement', () => {
    const doc = parse(block);
    expect(doc.items.map((item) => [item.kind, item.line])).toEqual([
      ['statement', 1],
      ['userRights', 3],
      ['statement', 11],
    ]);
    const [before, after] = doc.statements;
    expect(after?.header).toBe(before?.header);
    expect(before?.rows.map((r) => r.cells[0])).toEqual(['integrationadmingroup']);
    expect(after?.rows.map((r) => r.cells[0])).toEqual(['integrationviewgroup']);
  });

  it('expands macros inside the block (Commerce replaces definitions on every line)', () => {
    const doc = parse(lines('$group=integrationadmingroup', '$START_USERRIGHTS', 'Type;UID;Target;read', 'UserGroup;$group;;', ';;Unit;+', '$END_USERRIGHTS'));
    expect(doc.userRights[0]?.rows[0]?.cells).toEqual(['UserGroup', 'integrationadmingroup', '', '']);
  });

  it('drops a block without $END_USERRIGHTS with a warning', () => {
    const doc = parse(lines('$START_USERRIGHTS', 'Type;UID', 'UserGroup;g'));
    expect(doc.userRights).toEqual([]);
    expect(doc.items).toEqual([]);
    expect(doc.warnings).toEqual([{ file: FILE, line: 1, message: expect.stringContaining('$END_USERRIGHTS') as unknown as string }]);
  });

  it('reports an empty block as an error', () => {
    const doc = parse(lines('$START_USERRIGHTS', '# nothing', '$END_USERRIGHTS'));
    expect(doc.errors).toEqual([{ file: FILE, line: 1, message: expect.stringContaining('empty') as unknown as string }]);
  });

  it('warns about $END_USERRIGHTS without a start', () => {
    const doc = parse('$END_USERRIGHTS');
    expect(doc.warnings.map((w) => w.line)).toEqual([1]);
    expect(doc.errors).toEqual([]);
  });
});

describe('errors', () => {
  function errorsOf(text: string): { line: number; message: string }[] {
    const doc = parse(text);
    for (const error of doc.errors) expect(error.file).toBe(FILE);
    return doc.errors.map(({ line, message }) => ({ line, message }));
  }

  it('reports a data row before any header', () => {
    expect(errorsOf(lines('# c', '; orphan', 'INSERT X; a', '; ok'))).toEqual([{ line: 2, message: 'data row before any header' }]);
  });

  it.each([
    ['UPSERT Product; code', /unknown mode "UPSERT"/],
    ['INSERTUPDATE Language; isocode[unique=true]', /unknown mode "INSERTUPDATE"/],
    ['INSERT_UPDATE ; code', /missing type/],
    ['INSERT_UPDATE', /missing type/],
    ['INSERT_UPDATE Product; code[unique=true', /unbalanced brackets in column 1 "code\[unique=true"/],
    ['INSERT_UPDATE Product; code; catalogVersion(catalog(id),version', /unbalanced parentheses in column 2/],
    ['INSERT_UPDATE Product; code)', /unbalanced parentheses/],
    ['INSERT_UPDATE Product; code[unique=true]]', /unbalanced brackets/],
    ['INSERT_UPDATE Product[batchmode=true; code', /unbalanced brackets in type/],
    ['INSERT_UPDATE Product(x); code', /must not have a reference/],
    ['INSERT_UPDATE Product; code[unique]', /modifier "unique" has no value/],
    ['INSERT_UPDATE Product; catalogVersion(catalog(),version)', /empty reference attribute/],
    ['INSERT_UPDATE Product; [unique=true]', /missing attribute name/],
    ["INSERT_UPDATE Product; code[default='x]", /unterminated quoted modifier value/],
    ['INSERT_UPDATE Product; code name', /unexpected text "name"/],
  ])('reports a malformed header: %s', (header, message) => {
    const errors = errorsOf(lines('# first line', header, '; skipped ; row'));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(2);
    expect(errors[0]?.message).toMatch(/^malformed header: /);
    expect(errors[0]?.message).toMatch(message);
  });

  it('skips rows of a malformed header and recovers at the next header', () => {
    const doc = parse(lines('INSERT_UPDATE Product; code[unique=true', '; lost', '; lost too', 'INSERT_UPDATE Unit; code[unique=true]', '; pieces'));
    expect(doc.errors.map((e) => e.line)).toEqual([1]);
    expect(doc.statements).toHaveLength(1);
    expect(doc.statements[0]?.header.typeCode).toBe('Unit');
    expect(doc.statements[0]?.rows).toEqual([{ line: 5, cells: ['pieces'] }]);
  });

  it('reports an unterminated quote at the end of the file at the line where it opened', () => {
    const doc = parse(lines('INSERT X; a; b', '; ok ; fine', '; bad ; "never closed', 'more text', '; still inside'));
    expect(doc.errors).toEqual([{ file: FILE, line: 3, message: expect.stringContaining('unterminated') as unknown as string }]);
    expect(doc.statements[0]?.rows).toEqual([{ line: 2, cells: ['ok', 'fine'] }]);
  });

  it('reports an unterminated quote inside a user rights block', () => {
    const doc = parse(lines('$START_USERRIGHTS', 'Type;UID', 'UserGroup;"g'));
    expect(doc.errors.map((e) => e.line)).toEqual([3]);
  });

  it('never throws on arbitrary input', () => {
    const alphabet = ['INSERT_UPDATE ', 'X', ';', '"', '\\', '\n', '\r\n', '[', ']', '(', ')', '=', ',', '$a', '$a=', '#', '#%', ' ', '$START_USERRIGHTS', '$END_USERRIGHTS', "'"];
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let n = 0; n < 500; n += 1) {
      let text = '';
      for (let i = 0; i < 40; i += 1) text += alphabet[next() % alphabet.length] ?? '';
      const doc = parseImpex(text, 'fuzz.impex');
      for (const d of [...doc.errors, ...doc.warnings]) {
        expect(d.file).toBe('fuzz.impex');
        expect(d.line).toBeGreaterThanOrEqual(1);
      }
    }
  });
});

describe('line endings', () => {
  const text = lines(
    '$lang=en',
    'INSERT_UPDATE Product; code[unique=true]; name[lang=$lang]; description',
    '; p1 ; "multi',
    'line" ; tw\\',
    'o',
    '$START_USERRIGHTS',
    'Type;UID;Target;read',
    ';;Product;+',
    '$END_USERRIGHTS',
    '; p2 ; Second ;',
  );

  it('parses CRLF input exactly like LF input (embedded line breaks become \\n)', () => {
    const lf = parse(text);
    const crlf = parse(text.replace(/\n/g, '\r\n'));
    expect(crlf).toEqual(lf);
    expect(lf.errors).toEqual([]);
    expect(lf.statements[0]?.rows[0]).toEqual({ line: 3, cells: ['p1', 'multi\nline', 'two'] });
    expect(lf.statements[1]?.rows[0]).toEqual({ line: 10, cells: ['p2', 'Second', ''] });
  });

  it('ignores a trailing newline and a UTF-8 BOM', () => {
    const doc = parse('\uFEFFINSERT X; code\r\n; a\r\n');
    expect(doc.statements[0]?.header.typeCode).toBe('X');
    expect(doc.statements[0]?.rows).toEqual([{ line: 2, cells: ['a'] }]);
  });
});

describe('a realistic integration object file', () => {
  const text = lines(
    '# Inbound product integration object',
    '$io = InboundThing',
    '$item = integrationObjectItem(integrationObject(code), code)',
    '$descriptor = attributeDescriptor(enclosingType(code), qualifier)',
    '$returnItem = returnIntegrationObjectItem(integrationObject(code), code)',
    '',
    'INSERT_UPDATE IntegrationObject; code[unique = true]; integrationType(code)',
    '; $io ; INBOUND',
    '',
    'INSERT_UPDATE IntegrationObjectItem; integrationObject(code)[unique = true]; code[unique = true]; type(code); root[default = false]',
    '; $io ; Product        ; Product        ; true',
    '; $io ; CatalogVersion ; CatalogVersion ;',
    '; $io ; Catalog        ; Catalog        ; ; ;',
    '',
    'INSERT_UPDATE IntegrationObjectItemAttribute; $item[unique = true]; attributeName[unique = true]; $descriptor; $returnItem; unique[default = false]; autoCreate[default = false]',
    '; $io:Product        ; code           ; Product:code           ;                    ; true ;',
    '; $io:Product        ; catalogVersion ; Product:catalogVersion ; $io:CatalogVersion ; true ;',
    '; $io:CatalogVersion ; version        ; CatalogVersion:version ;',
    '; $io:CatalogVersion ; catalog        ; CatalogVersion:catalog ; $io:Catalog',
    '; $io:Catalog        ; id             ; Catalog:id',
  );

  it('yields three clean statements with expanded references', () => {
    const doc = parse(text);
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
    expect(doc.statements.map((s) => [s.header.typeCode, s.rows.length])).toEqual([
      ['IntegrationObject', 1],
      ['IntegrationObjectItem', 3],
      ['IntegrationObjectItemAttribute', 5],
    ]);
    const attributes = doc.statements[2];
    expect(attributes?.header.columns.map((c) => [c.qualifier, c.reference.map((r) => r.attribute), modifier(c, 'unique') ?? null])).toEqual([
      ['integrationObjectItem', ['integrationObject', 'code'], 'true'],
      ['attributeName', [], 'true'],
      ['attributeDescriptor', ['enclosingType', 'qualifier'], null],
      ['returnIntegrationObjectItem', ['integrationObject', 'code'], null],
      ['unique', [], null],
      ['autoCreate', [], null],
    ]);
    expect(attributes?.rows[1]).toEqual({
      line: 17,
      cells: ['InboundThing:Product', 'catalogVersion', 'Product:catalogVersion', 'InboundThing:CatalogVersion', 'true', ''],
    });
    expect(doc.statements[1]?.rows[2]?.cells).toEqual(['InboundThing', 'Catalog', 'Catalog', '']);
  });
});
