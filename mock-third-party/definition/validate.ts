/**
 * Validation of a third-party definition: the JSON Schema (ajv) for shapes, then the engine's compiler
 * for everything else (templates, regexes, JSONPath, duplicate or unreachable routes, references).
 * Every problem becomes an issue with the JSON path of the culprit and, when the definition came from
 * a file, its line and column.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { compileDefinition, formatJsonPath, type CompiledDefinition, type JsonPathSegments } from '../engine/compile.js';
import type { ThirdPartyDefinition } from './model.js';
import { countSchema, definitionSchema, patternSchema } from './schema.js';

export interface DefinitionIssue {
  /** File the definition came from, if any. */
  file?: string;
  /** 1-based line and column, when known. */
  line?: number;
  column?: number;
  /** JSON path of the culprit: `$.routes[0].match.query.page`. */
  path: string;
  message: string;
}

export class DefinitionError extends Error {
  constructor(readonly issues: DefinitionIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'DefinitionError';
  }
}

export function formatIssue(issue: DefinitionIssue): string {
  const where = issue.file ? `${issue.file}${issue.line !== undefined ? `:${issue.line.toString()}:${(issue.column ?? 1).toString()}` : ''}: ` : '';
  return `${where}${issue.path}: ${issue.message}`;
}

/** Finds the source position of a JSON path (the key itself when `key` is set). */
export interface SourceLocator {
  file?: string;
  locate(path: JsonPathSegments, key: boolean): { line: number; column: number } | undefined;
}

let validators: { definition: ValidateFunction; pattern: ValidateFunction; count: ValidateFunction } | undefined;

function getValidators(): NonNullable<typeof validators> {
  if (!validators) {
    // Compiled once per process; validation speed does not matter here, compile time does (no code optimisation).
    const ajv = new Ajv({ allErrors: true, verbose: true, discriminator: true, strict: true, strictTypes: false, code: { optimize: false } });
    validators = {
      definition: ajv.compile(definitionSchema),
      pattern: ajv.compile(patternSchema),
      count: ajv.compile(countSchema),
    };
  }
  return validators;
}

/** Validates and compiles; throws DefinitionError listing every problem. */
export function checkDefinition(value: unknown, source?: SourceLocator): { definition: ThirdPartyDefinition; compiled: CompiledDefinition } {
  const issue = (path: JsonPathSegments, message: string, key = false): DefinitionIssue => {
    const pos = source?.locate(path, key);
    return { ...(source?.file ? { file: source.file } : {}), ...(pos ? { line: pos.line, column: pos.column } : {}), path: formatJsonPath(path), message };
  };
  const input = normaliseMethods(value);
  const validate = getValidators().definition;
  if (!validate(input)) {
    throw new DefinitionError(byPosition(schemaIssues(validate.errors ?? []).map((e) => issue(e.path, e.message, e.key))));
  }
  const definition = normaliseAuth(input as ThirdPartyDefinition);
  const { compiled, issues } = compileDefinition(definition);
  if (!compiled || issues.length > 0) throw new DefinitionError(byPosition(issues.map((i) => issue(i.path, i.message))));
  return { definition, compiled };
}

/** In file order where positions are known (stable otherwise). */
export function byPosition(issues: DefinitionIssue[]): DefinitionIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => (a.issue.line ?? 0) - (b.issue.line ?? 0) || (a.issue.column ?? 0) - (b.issue.column ?? 0) || a.i - b.i)
    .map((x) => x.issue);
}

/** Validates a definition (e.g. built in code) and returns it normalised. */
export function validateDefinition(value: unknown, source?: SourceLocator): ThirdPartyDefinition {
  return checkDefinition(value, source).definition;
}

/** Validates a verification pattern and count as the admin API receives them; messages, or none. */
export function patternProblems(pattern: unknown, count: unknown): string[] {
  const { pattern: vp, count: vc } = getValidators();
  const problems: string[] = [];
  if (!vp(pattern)) problems.push(...schemaIssues(vp.errors ?? []).map((e) => `pattern${formatJsonPath(e.path).slice(1)}: ${e.message}`));
  if (count !== undefined && !vc(count)) problems.push(...schemaIssues(vc.errors ?? []).map((e) => `count${formatJsonPath(e.path).slice(1)}: ${e.message}`));
  return problems;
}

/** Methods may be written in any case. */
function normaliseMethods(value: unknown): unknown {
  if (!value || typeof value !== 'object' || !Array.isArray((value as { routes?: unknown }).routes)) return value;
  const def = value as { routes: unknown[] };
  return {
    ...def,
    routes: def.routes.map((r) =>
      r && typeof r === 'object' && typeof (r as { method?: unknown }).method === 'string'
        ? { ...r, method: (r as { method: string }).method.toUpperCase() }
        : r,
    ),
  };
}

/** `auth: none` is short for `auth: {type: none}`. */
function normaliseAuth(def: ThirdPartyDefinition): ThirdPartyDefinition {
  const fix = (a: unknown): ThirdPartyDefinition['auth'] => (a === 'none' ? { type: 'none' } : (a as ThirdPartyDefinition['auth']));
  return {
    ...def,
    ...(def.auth !== undefined ? { auth: fix(def.auth) } : {}),
    routes: def.routes.map((r) => (r.auth !== undefined ? { ...r, auth: fix(r.auth) as NonNullable<typeof r.auth> } : r)),
  };
}

interface SchemaIssue {
  path: JsonPathSegments;
  message: string;
  /** Points at a key (unknown key) rather than a value. */
  key: boolean;
}

/**
 * Turns ajv's errors into one readable issue per problem: unions (if/then/else, oneOf, anyOf)
 * report only the branch that applies, unknown keys name the allowed ones.
 */
export function schemaIssues(errors: ErrorObject[]): SchemaIssue[] {
  const pathOf = (e: ErrorObject): JsonPathSegments => pointerToPath(e.instancePath);
  const useful = errors.filter((e) => !['if', 'anyOf', 'oneOf'].includes(e.keyword));
  const kept = useful.length > 0 ? useful : errors;
  // Where a value has other problems, "must be <type>" of the union branch it did not take is noise.
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of kept) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e]);
  const out: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const e of kept) {
    const siblings = byPath.get(e.instancePath) ?? [];
    if (e.keyword === 'type' && siblings.some((s) => s.keyword !== 'type')) continue;
    if (e.propertyName !== undefined) continue; // reported by its "propertyNames" error
    const issue = describe(e, pathOf(e));
    const k = `${formatJsonPath(issue.path)}|${issue.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(issue);
  }
  return out;
}

function pointerToPath(pointer: string): JsonPathSegments {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function describe(e: ErrorObject, path: JsonPathSegments): SchemaIssue {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return { path: [...path, key], key: true, message: `unknown key "${key}"${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}` };
    }
    case 'required':
      return { path, key: false, message: `missing required key "${String(params.missingProperty)}"` };
    case 'type':
      return { path, key: false, message: `must be ${String(params.type).replace(/,/g, ' or ')}, not ${typeName(e.data)}` };
    case 'enum':
      return { path, key: false, message: `must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(e.data)})` };
    case 'const':
      return { path, key: false, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'discriminator': {
      const tag = String(params.tag);
      const branches = ((e.parentSchema as { oneOf?: Array<{ properties?: Record<string, { const?: unknown }> }> } | undefined)?.oneOf ?? [])
        .map((b) => b.properties?.[tag]?.const)
        .filter((v) => v !== undefined)
        .map((v) => JSON.stringify(v));
      if (params.error === 'tag') return { path: [...path, tag], key: false, message: `"${tag}" must be a string, one of: ${branches.join(', ')}` };
      return { path: [...path, tag], key: false, message: `unknown ${tag} ${JSON.stringify(params.tagValue)} (one of: ${branches.join(', ')})` };
    }
    case 'minProperties':
      return { path, key: false, message: 'must not be empty' };
    case 'pattern': {
      const hints: Record<string, string> = {
        '^/': 'must start with "/"',
        '^(/[^/?#]+)*$': 'must be empty or "/segment[/segment…]" without a trailing "/"',
      };
      return { path, key: false, message: hints[String(params.pattern)] ?? `must match ${String(params.pattern)}` };
    }
    case 'propertyNames':
      return { path: [...path, String(params.propertyName)], key: true, message: `bad name ${JSON.stringify(params.propertyName)} (letters, digits, _ and -; not starting with a digit)` };
    default:
      return { path, key: false, message: e.message ?? e.keyword };
  }
}
