// Shared set-up of the $filter / $orderby tests: a real store from the built-in type system, essential
// data (languages en, de), an integration object and a handful of items, all imported through ImpEx.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { importImpex } from '../../../mock-commerce/impex/import.js';
import { parseImpex } from '../../../mock-commerce/impex/parse.js';
import { itemByCode, readIntegrationObject, type IntegrationObjectModel } from '../../../mock-commerce/integration-objects/model.js';
import { integrationObjectValidators } from '../../../mock-commerce/integration-objects/validation.js';
import { ODataRequestError } from '../../../mock-commerce/odata/odata-error.js';
import type { QueryContext } from '../../../mock-commerce/odata/query/filter.js';
import { ItemStore, type Item } from '../../../mock-commerce/store/store.js';
import { loadTypeSystem } from '../../../mock-commerce/types/load.js';
import { packageRoot } from '../../../mock-commerce/util/package-root.js';

const ESSENTIAL_DATA = readFileSync(join(packageRoot(), 'mock-commerce', 'essential-data', '00-essentialdata.impex'), 'utf8');

/**
 * IO `FilterProduct`: Product (root; code, name localized, reviewCount Integer, reviewRating Double,
 * onlineDate Date, catalogVersion, unit, supercategories, approvalStatus enum), CatalogVersion (version,
 * active Boolean, catalog), Catalog (id), Unit (code, name localized), Category (code), Media (code,
 * size Long), ProductFeature (qualifier, numberValue BigDecimal), ArticleApprovalStatus (code).
 */
const IO = `
INSERT_UPDATE IntegrationObject; code[unique = true]; integrationType(code)
; FilterProduct ; INBOUND

INSERT_UPDATE IntegrationObjectItem; integrationObject(code)[unique = true]; code[unique = true]; type(code); root[default = false]
; FilterProduct ; Product               ; Product               ; true
; FilterProduct ; CatalogVersion        ; CatalogVersion        ;
; FilterProduct ; Catalog               ; Catalog               ;
; FilterProduct ; Unit                  ; Unit                  ;
; FilterProduct ; Category              ; Category              ;
; FilterProduct ; Media                 ; Media                 ;
; FilterProduct ; ProductFeature        ; ProductFeature        ;
; FilterProduct ; ArticleApprovalStatus ; ArticleApprovalStatus ;

$item = integrationObjectItem(integrationObject(code), code)
$descriptor = attributeDescriptor(enclosingType(code), qualifier)
$returnItem = returnIntegrationObjectItem(integrationObject(code), code)
INSERT_UPDATE IntegrationObjectItemAttribute; $item[unique = true]; attributeName[unique = true]; $descriptor; $returnItem; unique[default = false]
; FilterProduct:Product               ; code            ; Product:code               ;                                     ; true
; FilterProduct:Product               ; name            ; Product:name               ;                                     ;
; FilterProduct:Product               ; reviewCount     ; Product:reviewCount        ;                                     ;
; FilterProduct:Product               ; reviewRating    ; Product:reviewRating       ;                                     ;
; FilterProduct:Product               ; onlineDate      ; Product:onlineDate         ;                                     ;
; FilterProduct:Product               ; catalogVersion  ; Product:catalogVersion     ; FilterProduct:CatalogVersion        ; true
; FilterProduct:Product               ; unit            ; Product:unit               ; FilterProduct:Unit                  ;
; FilterProduct:Product               ; supercategories ; Product:supercategories    ; FilterProduct:Category              ;
; FilterProduct:Product               ; approvalStatus  ; Product:approvalStatus     ; FilterProduct:ArticleApprovalStatus ;
; FilterProduct:CatalogVersion        ; version         ; CatalogVersion:version     ;                                     ; true
; FilterProduct:CatalogVersion        ; active          ; CatalogVersion:active      ;                                     ;
; FilterProduct:CatalogVersion        ; catalog         ; CatalogVersion:catalog     ; FilterProduct:Catalog               ; true
; FilterProduct:Catalog               ; id              ; Catalog:id                 ;                                     ; true
; FilterProduct:Unit                  ; code            ; Unit:code                  ;                                     ; true
; FilterProduct:Unit                  ; name            ; Unit:name                  ;                                     ;
; FilterProduct:Category              ; code            ; Category:code              ;                                     ; true
; FilterProduct:Media                 ; code            ; Media:code                 ;                                     ; true
; FilterProduct:Media                 ; size            ; Media:size                 ;                                     ;
; FilterProduct:ProductFeature        ; qualifier       ; ProductFeature:qualifier   ;                                     ; true
; FilterProduct:ProductFeature        ; numberValue     ; ProductFeature:numberValue ;                                     ;
; FilterProduct:ArticleApprovalStatus ; code            ; ArticleApprovalStatus:code ;                                     ; true
`;

/**
 * Products, in creation (pk) order:
 * | code | catalogVersion  | name en / de    | reviewCount | reviewRating | onlineDate (UTC)    | unit   | approvalStatus |
 * | p1   | Default:Staged  | Shirt / Hemd    | 12          | 4.5          | 2020-01-01T10:00:00 | pieces | approved       |
 * | p2   | Default:Staged  | Trousers / Hose | 5           | 3.8          | 2021-06-15T00:00:00 | kg     | check          |
 * | p3   | Default:Online  | Shoe / –        | 0           | –            | –                   | pieces | unapproved     |
 * | p4   | Other:Staged    | shirt / Äpfel   | 0 (default) | 5.0          | 2012-05-29T09:13:28 | –      | approved       |
 * | p5   | Default:Staged  | – / –           | 12          | 1.25         | 2012-05-29T09:13:27 | pieces | check          |
 * | p'6  | Other:Staged    | Zebra / Zebra   | -3          | 0.0          | 2012-05-29T09:13:28.5 | kg   | unapproved     |
 */
const DATA = `
INSERT_UPDATE Catalog; id[unique = true]
; Default
; Other

INSERT_UPDATE CatalogVersion; catalog(id)[unique = true]; version[unique = true]; active
; Default ; Staged ; false
; Default ; Online ; true
; Other   ; Staged ; false

INSERT_UPDATE Unit; code[unique = true]; unitType; name[lang = en]; name[lang = de]
; pieces ; pieces ; Piece    ; Stück
; kg     ; weight ; Kilogram ; Kilogramm

INSERT_UPDATE Category; code[unique = true]; catalogVersion(catalog(id), version)[unique = true]
; c1 ; Default:Staged

$cv = catalogVersion(catalog(id), version)
INSERT_UPDATE Product; code[unique = true]; $cv[unique = true]; name[lang = en]; name[lang = de]; reviewCount; reviewRating; onlineDate[dateformat = yyyy-MM-dd'T'HH:mm:ss.SSS]; unit(code); approvalStatus(code); supercategories(code, $cv)
; p1  ; Default:Staged ; Shirt    ; Hemd  ; 12 ; 4.5  ; 2020-01-01T10:00:00.000 ; pieces ; approved   ; c1:Default:Staged
; p2  ; Default:Staged ; Trousers ; Hose  ; 5  ; 3.8  ; 2021-06-15T00:00:00.000 ; kg     ; check      ;
; p3  ; Default:Online ; Shoe     ;       ; 0  ;      ;                         ; pieces ; unapproved ;
; p4  ; Other:Staged   ; shirt    ; Äpfel ;    ; 5.0  ; 2012-05-29T09:13:28.000 ;        ; approved   ;
; p5  ; Default:Staged ;          ;       ; 12 ; 1.25 ; 2012-05-29T09:13:27.000 ; pieces ; check      ;
; p'6 ; Other:Staged   ; Zebra    ; Zebra ; -3 ; 0.0  ; 2012-05-29T09:13:28.500 ; kg     ; unapproved ;

INSERT_UPDATE Media; code[unique = true]; $cv[unique = true]; size
; m1 ; Default:Staged ; 12345678901234
; m2 ; Default:Staged ; 9007199254740993
; m3 ; Default:Staged ; 9007199254740992
; m4 ; Default:Staged ; -5
; m5 ; Default:Staged ;

INSERT_UPDATE ProductFeature; qualifier[unique = true]; product(code, $cv); numberValue
; f1 ; p1:Default:Staged ; 10.33
; f2 ; p1:Default:Staged ; 10.330
; f3 ; p1:Default:Staged ; 8
; f4 ; p1:Default:Staged ; 9.5
; f5 ; p1:Default:Staged ;
; f6 ; p1:Default:Staged ; 0.1000000000000000000000000001
`;

export interface Fixture {
  store: ItemStore;
  io: IntegrationObjectModel;
  context(itemCode?: string, options?: Partial<Pick<QueryContext, 'language' | 'profile'>>): QueryContext;
  /** Items of the IO item's type, in store order. */
  items(itemCode?: string): Item[];
}

function importText(store: ItemStore, text: string, file: string): void {
  const report = importImpex(parseImpex(text, file), store, { validators: integrationObjectValidators });
  expect(report.errors, file).toEqual([]);
}

export function buildFixture(): Fixture {
  const store = new ItemStore(loadTypeSystem().typeSystem);
  importText(store, ESSENTIAL_DATA, 'essentialdata.impex');
  importText(store, IO, 'io.impex');
  importText(store, DATA, 'data.impex');
  const io = readIntegrationObject(store, 'FilterProduct');
  if (!io) throw new Error('integration object FilterProduct was not imported');
  const ioItem = (code: string) => {
    const item = itemByCode(io, code);
    if (!item) throw new Error(`no IO item ${code}`);
    return item;
  };
  return {
    store,
    io,
    context: (itemCode = 'Product', options = {}) => ({ io, item: ioItem(itemCode), store, language: 'en', profile: '2211', ...options }),
    items: (itemCode = 'Product') => [...store.all(ioItem(itemCode).typeCode)],
  };
}

/** The error `run` throws; fails when it throws something else or nothing. */
export function errorOf(run: () => unknown): ODataRequestError {
  try {
    run();
  } catch (e) {
    if (e instanceof ODataRequestError) return e;
    throw new Error(`expected an ODataRequestError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected an ODataRequestError, nothing was thrown');
}

/** The error as a plain object, for `toEqual`. */
export function describeError(run: () => unknown): { status: number; code: string | null; message: string } {
  const e = errorOf(run);
  return { status: e.status, code: e.code, message: e.message };
}
