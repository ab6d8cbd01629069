/**
 * Applies parsed ImpEx to the item store, the way Commerce's ImpEx import does:
 * - `INSERT` creates, `INSERT_UPDATE` creates or updates by the `[unique=true]` columns, `UPDATE` updates
 *   (error when nothing matches), `REMOVE` removes (warning when nothing matches);
 * - each data row is one transaction: a row either applies completely or not at all;
 * - the rest of the file goes on when a row fails (as real Commerce does: it imports what it can and
 *   reports the rest). Rows whose references cannot be resolved yet are retried after the whole file,
 *   pass after pass while some succeed, so forward references inside a file work; what still fails is
 *   reported with file, line and reason;
 * - an empty cell leaves the attribute unchanged, unless the column has `[default=…]` (the default is
 *   used) or `[allownull=true]` (null is written).
 */
import type { ItemStore, Pk, StoredValue } from '../store/store.js';
import type { AttributeDescriptor, TypeSystem, ValueShape } from '../types/type-system.js';
import { defaultValues, missingMandatory } from '../store/model-rules.js';
import { ValueError, convertAtomic } from './atomic-values.js';
import {
  type ImpexColumn,
  type ImpexDiagnostic,
  type ImpexDocument,
  type ImpexReference,
  type ImpexRow,
  type ImpexStatement,
  type UserRightsBlock,
  modifier,
  splitCollection,
  splitReferencePath,
} from './parse.js';

/** Business rules checked when an item is saved (Commerce's validate interceptors). */
export type SaveValidator = (event: {
  typeCode: string;
  pk?: Pk;
  values: Readonly<Record<string, StoredValue>>;
  store: ItemStore;
}) => string | undefined;

export interface ImportOptions {
  /** Language of localized columns without `[lang=…]`. */
  defaultLanguage?: string;
  validators?: SaveValidator[];
}

export interface ImportReport {
  file: string;
  created: number;
  updated: number;
  removed: number;
  errors: ImpexDiagnostic[];
  warnings: ImpexDiagnostic[];
  userRights: UserRightsBlock[];
}

/** A reference that points to no item (yet): the row is retried after the rest of the file. */
class UnresolvedReference extends Error {}
class RowError extends Error {}

interface PreparedColumn {
  column: ImpexColumn;
  attribute: AttributeDescriptor;
  unique: boolean;
  language?: string;
}

interface PreparedHeader {
  statement: ImpexStatement;
  columns: PreparedColumn[];
}

export function importImpex(doc: ImpexDocument, store: ItemStore, options: ImportOptions = {}): ImportReport {
  const report: ImportReport = {
    file: doc.file,
    created: 0,
    updated: 0,
    removed: 0,
    errors: [...doc.errors],
    warnings: [...doc.warnings],
    userRights: [...doc.userRights],
  };
  const ts = store.typeSystem;
  const error = (line: number, message: string): void => void report.errors.push({ file: doc.file, line, message });
  const warning = (line: number, message: string): void => void report.warnings.push({ file: doc.file, line, message });

  let pending: { header: PreparedHeader; row: ImpexRow }[] = [];
  for (const statement of doc.statements) {
    if (ts.enumType(statement.header.typeCode)) {
      importEnumValues(statement, ts, error);
      continue;
    }
    const header = prepareHeader(statement, ts, options, error, warning);
    if (!header) continue;
    for (const row of statement.rows) {
      const outcome = applyRow(header, row, store, options, report);
      if (outcome instanceof UnresolvedReference) pending.push({ header, row });
      else if (outcome) error(row.line, outcome.message);
    }
  }
  // Later passes for rows that referenced items defined further down the file.
  while (pending.length > 0) {
    const next: typeof pending = [];
    const failures: { line: number; message: string }[] = [];
    for (const p of pending) {
      const outcome = applyRow(p.header, p.row, store, options, report);
      if (outcome instanceof UnresolvedReference) {
        next.push(p);
        failures.push({ line: p.row.line, message: outcome.message });
      } else if (outcome) error(p.row.line, outcome.message);
    }
    if (next.length === pending.length) {
      for (const f of failures) error(f.line, f.message);
      break;
    }
    pending = next;
  }
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}

/**
 * `INSERT_UPDATE OrderStatus; code[unique=true]` adds values to a dynamic enumeration; values of a static
 * enumeration must already exist. Other columns (e.g. `name[lang=en]`) are accepted and not kept.
 */
function importEnumValues(statement: ImpexStatement, ts: TypeSystem, error: (line: number, message: string) => void): void {
  const { header } = statement;
  const enumType = ts.enumType(header.typeCode)!;
  const codeColumn = header.columns.find((c) => c.qualifier === 'code');
  if (!codeColumn) {
    error(header.line, `header ${header.mode} ${header.typeCode} needs a code column`);
    return;
  }
  for (const row of statement.rows) {
    const code = (row.cells[codeColumn.index] ?? '').trim();
    if (code === '') continue;
    if (header.mode === 'REMOVE') continue;
    if (!enumType.values.includes(code) && !enumType.dynamic) {
      error(row.line, `'${code}' is not a value of the static enumeration ${header.typeCode}`);
      continue;
    }
    ts.addEnumValue(header.typeCode, code);
  }
}

function prepareHeader(
  statement: ImpexStatement,
  ts: TypeSystem,
  options: ImportOptions,
  error: (line: number, message: string) => void,
  warning: (line: number, message: string) => void,
): PreparedHeader | undefined {
  const { header } = statement;
  if (!ts.hasComposedType(header.typeCode)) {
    error(header.line, `unknown type ${header.typeCode}`);
    return undefined;
  }
  const columns: PreparedColumn[] = [];
  let ok = true;
  for (const column of header.columns) {
    if (column.ignored) continue;
    if (column.qualifier.startsWith('@')) {
      warning(header.line, `special column ${column.qualifier} is not supported by the sandbox; ignored`);
      continue;
    }
    for (const m of Object.keys(column.modifiers)) {
      const name = m.toLowerCase();
      if (!KNOWN_MODIFIERS.has(name)) warning(header.line, `unknown modifier [${m}] on column ${column.qualifier}; ignored`);
      else if (name === 'translator' || name === 'cellDecorator'.toLowerCase()) {
        warning(header.line, `modifier [${m}] on column ${column.qualifier} is not supported by the sandbox; the value is imported as is`);
      }
    }
    const attribute = ts.attribute(header.typeCode, column.qualifier);
    if (!attribute) {
      error(header.line, `unknown attribute ${header.typeCode}.${column.qualifier} in header`);
      ok = false;
      continue;
    }
    const lang = modifier(column, 'lang');
    if (lang && attribute.shape.kind !== 'localized') warning(header.line, `[lang=${lang}] on non-localized attribute ${column.qualifier}; ignored`);
    columns.push({
      column,
      attribute,
      unique: (modifier(column, 'unique') ?? '').toLowerCase() === 'true',
      ...(attribute.shape.kind === 'localized' ? { language: lang ?? options.defaultLanguage ?? 'en' } : {}),
    });
  }
  if (!ok) return undefined;
  if (header.mode !== 'INSERT' && !columns.some((c) => c.unique)) {
    error(header.line, `header ${header.mode} ${header.typeCode} has no [unique=true] column to look items up by`);
    return undefined;
  }
  return { statement, columns };
}

const KNOWN_MODIFIERS = new Set([
  'unique',
  'default',
  'lang',
  'mode',
  'allownull',
  'translator',
  'dateformat',
  'numberformat',
  'collection-delimiter',
  'path-delimiter',
  'key2value-delimiter',
  'map-delimiter',
  'forcewrite',
  'ignorenull',
  'ignorekeycase',
  'virtual',
  'celldecorator',
  'pos',
  'alias',
  'cacheunique',
  'processor',
  'batchmode',
  'disable.interceptor.types',
  'disable.unique.attributes.validator.for.types',
  'impex.legacy.mode',
]);

/** Applies one row. Returns undefined on success, or the error (UnresolvedReference → retry later). */
function applyRow(header: PreparedHeader, row: ImpexRow, store: ItemStore, options: ImportOptions, report: ImportReport): Error | undefined {
  const { statement } = header;
  const mode = statement.header.mode;
  const ts = store.typeSystem;
  const typeCode = row.subtype && row.subtype.trim() !== '' ? row.subtype.trim() : statement.header.typeCode;
  if (!ts.hasComposedType(typeCode) || !ts.isSubtypeOf(typeCode, statement.header.typeCode)) {
    return new RowError(`${typeCode} is not a subtype of ${statement.header.typeCode}`);
  }
  try {
    return store.transaction(() => {
      const values: Record<string, StoredValue> = {};
      const criteria: Record<string, StoredValue> = {};
      const appendModes: Record<string, 'append' | 'remove'> = {};
      const localizedWrites: { qualifier: string; language: string; value: StoredValue }[] = [];
      for (const pc of header.columns) {
        const raw = row.cells[pc.column.index] ?? '';
        const cell = raw === '' ? (modifier(pc.column, 'default') ?? '') : raw;
        const allowNull = (modifier(pc.column, 'allownull') ?? '').toLowerCase() === 'true';
        if (cell === '' && !allowNull) {
          if (pc.unique && mode !== 'INSERT') criteria[pc.attribute.qualifier] = null;
          continue;
        }
        const value = cell === '' ? null : convertCell(cell, pc, store);
        if (pc.unique) criteria[pc.attribute.qualifier] = pc.language ? { [pc.language]: value } : value;
        if (pc.language) {
          localizedWrites.push({ qualifier: pc.attribute.qualifier, language: pc.language, value: value });
          continue;
        }
        const m = (modifier(pc.column, 'mode') ?? '').toLowerCase();
        if (m === 'append' || m === 'remove') appendModes[pc.attribute.qualifier] = m;
        values[pc.attribute.qualifier] = value;
      }

      const existing = mode === 'INSERT' ? [] : findExisting(store, typeCode, statement.header.typeCode, criteria);
      if (existing.length > 1) throw new RowError(`ambiguous unique keys: ${existing.length} items of ${statement.header.typeCode} match ${describe(criteria)}`);
      const found = existing[0];

      if (mode === 'REMOVE') {
        if (!found) {
          report.warnings.push({ file: report.file, line: row.line, message: `no ${statement.header.typeCode} matches ${describe(criteria)}; nothing removed` });
          return undefined;
        }
        store.remove(found.pk);
        report.removed++;
        return undefined;
      }
      if (mode === 'UPDATE' && !found) throw new RowError(`no ${statement.header.typeCode} matches ${describe(criteria)}; nothing to update`);

      for (const [q, m] of Object.entries(appendModes)) {
        // No collection yet (new item, or never set) counts as empty: [mode=remove] then leaves it empty
        // instead of writing the very members it was asked to remove.
        const stored = found?.values[q];
        const current = Array.isArray(stored) ? stored : [];
        const added = values[q];
        if (Array.isArray(added)) {
          values[q] = m === 'append' ? [...current, ...added.filter((v) => !current.includes(v))] : current.filter((v) => !added.includes(v));
        }
      }
      for (const w of localizedWrites) {
        const base = (values[w.qualifier] ?? found?.values[w.qualifier] ?? {}) as Record<string, StoredValue>;
        values[w.qualifier] = { ...base, [w.language]: w.value };
      }

      if (found) {
        // Plain [unique=true] columns only identify the item: their values equal the stored ones, so they
        // are not written. This lets INSERT_UPDATE re-import rows keyed by initial-only attributes, e.g.
        // `CatalogVersion; catalog(id)[unique=true]` or `OrderEntry; order(code)[unique=true]`.
        for (const pc of header.columns) if (pc.unique && !pc.language) delete values[pc.attribute.qualifier];
        checkWritable(ts, found.typeCode, values, true);
        validate(options, { typeCode: found.typeCode, pk: found.pk, values: { ...found.values, ...values }, store });
        store.update(found.pk, values);
        report.updated++;
      } else {
        if (ts.composedType(typeCode)?.abstract) throw new RowError(`cannot create an item of abstract type ${typeCode}`);
        const full = { ...defaultValues(ts, typeCode), ...values };
        checkWritable(ts, typeCode, values, false);
        checkMandatory(ts, typeCode, full);
        validate(options, { typeCode, values: full, store });
        if (mode === 'INSERT') checkUniqueness(store, typeCode, full);
        store.create(typeCode, full);
        report.created++;
      }
      return undefined;
    });
  } catch (e) {
    if (e instanceof UnresolvedReference || e instanceof RowError || e instanceof ValueError) return e;
    throw e;
  }
}

function findExisting(store: ItemStore, typeCode: string, headerType: string, criteria: Record<string, StoredValue>) {
  // Items of the header type family match, as ImpEx searches the header type with its subtypes.
  void typeCode;
  const localized = Object.entries(criteria).filter(([, v]) => v !== null && typeof v === 'object' && !Array.isArray(v));
  if (localized.length === 0) return store.find(headerType, criteria);
  const plain = Object.fromEntries(Object.entries(criteria).filter(([, v]) => !(v !== null && typeof v === 'object' && !Array.isArray(v))));
  const candidates = Object.keys(plain).length ? store.find(headerType, plain) : [...store.all(headerType)];
  return candidates.filter((item) =>
    localized.every(([q, v]) => {
      const [lang, value] = Object.entries(v as Record<string, StoredValue>)[0]!;
      return ((item.values[q] ?? {}) as Record<string, StoredValue>)[lang] === value;
    }),
  );
}

function describe(criteria: Record<string, StoredValue>): string {
  return `[${Object.entries(criteria)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}]`;
}

function validate(options: ImportOptions, event: Parameters<SaveValidator>[0]): void {
  for (const v of options.validators ?? []) {
    const problem = v(event);
    if (problem) throw new RowError(problem);
  }
}

function checkMandatory(ts: TypeSystem, typeCode: string, values: Record<string, StoredValue>): void {
  const missing = missingMandatory(ts, typeCode, values);
  if (missing.length) throw new RowError(`missing values for mandatory attributes [${missing.join(', ')}] of new ${typeCode}`);
}

function checkWritable(ts: TypeSystem, typeCode: string, values: Record<string, StoredValue>, updating: boolean): void {
  for (const q of Object.keys(values)) {
    const a = ts.attribute(typeCode, q);
    if (!a) continue;
    // Writable dynamic/jalo attributes (User.password, Media.URL, …) have handlers in Commerce that
    // store the value somewhere; the sandbox keeps it under the attribute itself.
    if (!a.writable && (updating || !a.initial)) {
      if (updating) throw new RowError(`attribute ${typeCode}.${q} is not writable`);
      throw new RowError(`attribute ${typeCode}.${q} is not writable (only initial attributes may be set on creation)`);
    }
  }
}

function checkUniqueness(store: ItemStore, typeCode: string, values: Record<string, StoredValue>): void {
  const uniques = store.typeSystem.attributes(typeCode).filter((a) => a.unique);
  if (uniques.length === 0) return;
  const criteria = Object.fromEntries(uniques.map((a) => [a.qualifier, values[a.qualifier] ?? null]));
  if (store.find(typeCode, criteria).length > 0) throw new RowError(`an item of ${typeCode} with ${describe(criteria)} already exists`);
}

// ---- cell conversion ----------------------------------------------------------------------------

function convertCell(cell: string, pc: PreparedColumn, store: ItemStore): StoredValue {
  const shape = pc.attribute.shape.kind === 'localized' ? pc.attribute.shape.value : pc.attribute.shape;
  const where = `${pc.attribute.declaringType}.${pc.attribute.qualifier}`;
  try {
    return convertShaped(cell, shape, pc.column.reference, pc.column, store, where);
  } catch (e) {
    if (e instanceof ValueError) throw new ValueError(`column ${pc.column.qualifier}: ${e.message}`);
    throw e;
  }
}

function convertShaped(
  cell: string,
  shape: ValueShape,
  reference: ImpexReference[],
  column: ImpexColumn,
  store: ItemStore,
  where: string,
): StoredValue {
  const ts = store.typeSystem;
  switch (shape.kind) {
    case 'atomic': {
      const dateFormat = modifier(column, 'dateformat');
      return convertAtomic(cell, shape.javaClass, dateFormat ? { dateFormat } : {});
    }
    case 'enum': {
      const code = cell.trim();
      const e = ts.enumType(shape.typeCode);
      // Values of dynamic enumerations are created with their own header (`INSERT_UPDATE OrderStatus;
      // code[unique=true]`), not by naming them in a reference; an unknown value may still be defined
      // further down the file, so it is retried like any unresolved reference.
      if (e && !e.values.includes(code)) throw new UnresolvedReference(`'${code}' is not a value of enumeration ${shape.typeCode} (column ${column.qualifier})`);
      return code;
    }
    case 'type': {
      const code = cell.trim();
      if (!ts.hasComposedType(code) && !ts.enumType(code) && ts.shapeOf(code).kind === 'unknown') {
        throw new UnresolvedReference(`column ${column.qualifier}: unknown type '${code}'`);
      }
      return code;
    }
    case 'attributeDescriptor': {
      const parts = splitReferencePath(cell, modifier(column, 'path-delimiter') ?? ':');
      const [enclosing, qualifier] = parts.length >= 2 ? [parts[0]!, parts[1]!] : ['', parts[0] ?? ''];
      if (!ts.hasComposedType(enclosing)) throw new UnresolvedReference(`column ${column.qualifier}: unknown type '${enclosing}' in attribute descriptor '${cell}'`);
      if (!ts.attribute(enclosing, qualifier)) throw new UnresolvedReference(`column ${column.qualifier}: type ${enclosing} has no attribute '${qualifier}'`);
      return `${enclosing}:${qualifier}`;
    }
    case 'item':
      return resolveItem(cell, shape.typeCode, reference, column, store);
    case 'collection': {
      const elements = splitCollection(cell, modifier(column, 'collection-delimiter') ?? ',');
      const converted = elements.map((el) => convertShaped(el, shape.element, reference, column, store, where));
      return shape.collectionKind === 'set' ? [...new Set(converted)] : converted;
    }
    case 'map': {
      const out: Record<string, StoredValue> = {};
      const delimiter = modifier(column, 'key2value-delimiter') ?? '->';
      for (const entry of splitCollection(cell, modifier(column, 'map-delimiter') ?? ';')) {
        const at = entry.indexOf(delimiter);
        if (at < 0) throw new ValueError(`map entry '${entry}' has no '${delimiter}'`);
        out[entry.slice(0, at).trim()] = convertShaped(entry.slice(at + delimiter.length).trim(), shape.value, [], column, store, where);
      }
      return out;
    }
    case 'localized':
      return convertShaped(cell, shape.value, reference, column, store, where);
    case 'unknown':
      throw new ValueError(`${where} has type ${shape.typeCode}, which the type system does not know`);
  }
}

/** Resolves `Default:Staged` against `catalogVersion(catalog(id),version)` to an item pk. */
function resolveItem(cell: string, typeCode: string, reference: ImpexReference[], column: ImpexColumn, store: ItemStore): Pk {
  if (reference.length === 0) {
    // A reference column without a pattern carries the PK itself.
    if (/^\d+$/.test(cell.trim()) && store.get(Number(cell.trim()))) return Number(cell.trim());
    throw new ValueError(`reference column ${column.qualifier} needs a key pattern such as ${column.qualifier}(code)`);
  }
  const parts = splitReferencePath(cell, modifier(column, 'path-delimiter') ?? ':');
  const leaves = countLeaves(reference);
  if (parts.length !== leaves) {
    throw new ValueError(`'${cell}' has ${parts.length} part(s) but ${column.text} expects ${leaves}`);
  }
  const cursor = { i: 0 };
  const pk = resolveNested(typeCode, reference, parts, cursor, column, store);
  if (pk === null) throw new ValueError(`reference '${cell}' is empty`);
  return pk;
}

function countLeaves(refs: ImpexReference[]): number {
  return refs.reduce((n, r) => n + (r.children.length === 0 ? 1 : countLeaves(r.children)), 0);
}

function resolveNested(typeCode: string, refs: ImpexReference[], parts: string[], cursor: { i: number }, column: ImpexColumn, store: ItemStore): Pk | null {
  const ts = store.typeSystem;
  const criteria: Record<string, StoredValue> = {};
  let allEmpty = true;
  for (const ref of refs) {
    const attribute = ts.attribute(typeCode, ref.attribute);
    if (!attribute) throw new ValueError(`type ${typeCode} has no attribute '${ref.attribute}' (in ${column.text})`);
    const shape = attribute.shape.kind === 'localized' ? attribute.shape.value : attribute.shape;
    if (ref.children.length === 0) {
      const raw = parts[cursor.i++] ?? '';
      if (raw !== '') allEmpty = false;
      if (shape.kind === 'item') {
        criteria[ref.attribute] = raw === '' ? null : resolveItem(raw, shape.typeCode, [], column, store);
      } else {
        criteria[ref.attribute] = raw === '' ? null : convertShaped(raw, shape, [], column, store, `${typeCode}.${ref.attribute}`);
      }
      continue;
    }
    if (shape.kind !== 'item' && shape.kind !== 'enum' && shape.kind !== 'type') {
      throw new ValueError(`attribute ${typeCode}.${ref.attribute} is not a reference (in ${column.text})`);
    }
    if (shape.kind === 'item') {
      const nested = resolveNested(shape.typeCode, ref.children, parts, cursor, column, store);
      if (nested !== null) allEmpty = false;
      criteria[ref.attribute] = nested;
    } else {
      // enum(code) / type(code): the value is the code itself.
      const raw = parts[cursor.i++] ?? '';
      cursor.i += countLeaves(ref.children) - 1;
      if (raw !== '') allEmpty = false;
      criteria[ref.attribute] = raw === '' ? null : convertShaped(raw, shape, [], column, store, `${typeCode}.${ref.attribute}`);
    }
  }
  if (allEmpty) return null;
  const localized = Object.keys(criteria).filter((q) => ts.attribute(typeCode, q)?.shape.kind === 'localized');
  for (const q of localized) delete criteria[q];
  const found = store.find(typeCode, criteria);
  if (found.length === 0) throw new UnresolvedReference(`cannot resolve ${typeCode} with ${describe(criteria)} (column ${column.qualifier})`);
  if (found.length > 1) throw new ValueError(`${found.length} items of ${typeCode} match ${describe(criteria)} (column ${column.qualifier})`);
  return found[0]!.pk;
}
