/**
 * Templates: Handlebars (WireMock's response-templating language) over a JSON value. Every string leaf
 * of a templated value is a template; the rest is kept as written.
 *
 * - A string that is exactly one `{{…}}` keeps the type of what it evaluates to (number, boolean,
 *   object, array, null): `'{{request.body}}'` echoes the body as JSON, `'{{action.page}}'` is a number.
 *   `{{string …}}` forces text.
 * - Any other string is text: `'/p/{{params.code}}'`. Nothing is HTML-escaped.
 * - Templates are parsed when the definition loads: a syntax error, an unknown helper, a partial or an
 *   unknown faker method is a load error.
 *
 * Helpers: `faker 'module.method' args… key=value…`, `now [format='iso'|'date'|'epoch'|'unix'] [offset='-1d']`,
 * `json`, `jsonPath value '$.expr'`, `eq`, `not`, `and`, `or`, `default`, `size`, `add`, `string`,
 * `number`, `array`, `object`, and Handlebars' own `#if`, `#unless`, `#each`, `#with`, `lookup`.
 */
import type { Faker } from '@faker-js/faker';
import { fakerModule } from '../../mock-commerce/util/faker.js';
import Handlebars from 'handlebars';
import { JSONPath } from 'jsonpath-plus';

/** Per-render services the helpers use. */
export interface TemplateRuntime {
  /** The seeded faker for this render (created on first use). */
  faker(): Faker;
  now(): number;
}

export type TemplateContext = Record<string, unknown>;

export type CompiledValue = (context: TemplateContext, runtime: TemplateRuntime) => unknown;

/** A template that does not compile; `path` leads from the compiled value to the bad string. */
export class TemplateCompileError extends Error {
  constructor(
    message: string,
    readonly path: Array<string | number>,
  ) {
    super(message);
  }
}

/** Handlebars copies the data frame: the raw value travels in an object the copy shares. */
interface RenderData {
  rt: TemplateRuntime;
  sink?: { value?: unknown };
}

interface HelperOptions {
  hash: Record<string, unknown>;
  data: { rt?: TemplateRuntime; root?: unknown } & Partial<RenderData>;
}

const hb = Handlebars.create();

const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);

const HELPERS: Record<string, (...args: unknown[]) => unknown> = {
  faker: (...args) => {
    const options = args.pop() as HelperOptions;
    const [method, ...rest] = args;
    const fn = fakerMethod(runtimeOf(options).faker(), String(method));
    if (!fn) throw new Error(`unknown faker method "${String(method)}"`);
    const hash = options.hash;
    const callArgs = Object.keys(hash).length > 0 ? [...rest, hash] : rest;
    return fn(...callArgs);
  },
  now: (...args) => {
    const options = args.pop() as HelperOptions;
    const offset = options.hash.offset === undefined ? 0 : parseOffset(String(options.hash.offset));
    const t = runtimeOf(options).now() + offset;
    switch (options.hash.format ?? 'iso') {
      case 'iso':
        return new Date(t).toISOString();
      case 'date':
        return new Date(t).toISOString().slice(0, 10);
      case 'epoch':
        return t;
      case 'unix':
        return Math.floor(t / 1000);
      default:
        throw new Error(`now: unknown format "${String(options.hash.format)}" (iso, date, epoch, unix)`);
    }
  },
  json: (value) => JSON.stringify(value ?? null),
  jsonPath: (value, expression) => {
    const results = JSONPath({ path: String(expression), json: toJsonPathInput(value), wrap: true, eval: 'safe' }) as unknown[];
    return results[0];
  },
  eq: (a, b) => a === b || (a !== undefined && a !== null && b !== undefined && b !== null && String(a) === String(b)),
  not: (a) => !a,
  and: (...args) => args.slice(0, -1).every(Boolean),
  or: (...args) => args.slice(0, -1).some(Boolean),
  default: (value, fallback) => (value === undefined || value === null || value === '' ? fallback : value),
  size: (value) =>
    Array.isArray(value) ? value.length : typeof value === 'string' ? value.length : value && typeof value === 'object' ? Object.keys(value).length : 0,
  add: (...args) => args.slice(0, -1).reduce((sum: number, v) => sum + Number(v), 0),
  string: (value) => (value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)),
  number: (value) => Number(value),
  array: (...args) => args.slice(0, -1),
  object: (...args) => ({ ...(args.at(-1) as HelperOptions).hash }),
  __raw: (value, options) => {
    const sink = (options as HelperOptions).data.sink;
    if (sink) sink.value = value;
    return '';
  },
};
for (const [name, fn] of Object.entries(HELPERS)) hb.registerHelper(name, fn as Handlebars.HelperDelegate);

export const HELPER_NAMES = new Set([...Object.keys(HELPERS).filter((n) => n !== '__raw'), ...BLOCK_HELPERS, 'lookup', 'log']);

const COMPILE_OPTIONS = { noEscape: true, strict: false } as const;

function runtimeOf(options: HelperOptions): TemplateRuntime {
  const rt = options.data.rt;
  if (!rt) throw new Error('template rendered without a runtime');
  return rt;
}

/** jsonpath-plus wants an object or array; wrap scalars so `$` still finds them. */
function toJsonPathInput(value: unknown): object {
  return value !== null && typeof value === 'object' ? value : ([value] as unknown[]);
}

const OFFSET = /^([+-]?\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseOffset(text: string): number {
  const m = OFFSET.exec(text.trim());
  if (!m) throw new Error(`now: bad offset "${text}" (e.g. -1d, +2h, 30m, 15s, 500ms)`);
  return Number(m[1]) * (UNIT_MS[m[2] ?? 'ms'] ?? 1);
}

/** A faker method by its dotted path (`person.fullName`), bound to its module; undefined if none. */
export function fakerMethod(faker: Faker, path: string): ((...args: unknown[]) => unknown) | undefined {
  const parts = path.split('.');
  if (parts.length !== 2) return undefined;
  const [moduleName = '', methodName = ''] = parts;
  if (!/^[a-z][A-Za-z0-9]*$/.test(moduleName) || !/^[a-z][A-Za-z0-9]*$/.test(methodName)) return undefined;
  const mod = (faker as unknown as Record<string, unknown>)[moduleName];
  if (!mod || typeof mod !== 'object') return undefined;
  const fn = (mod as Record<string, unknown>)[methodName];
  return typeof fn === 'function' ? (fn as (...args: unknown[]) => unknown).bind(mod) : undefined;
}

/** Only to check faker method names at load time. */
let referenceFakerValue: Faker | undefined;
/** A Faker to check method names against (created when the first template names one). */
function referenceFaker(): Faker {
  const { Faker, en } = fakerModule();
  referenceFakerValue ??= new Faker({ locale: [en] });
  return referenceFakerValue;
}

type Node = hbs.AST.Node;

function checkAst(program: hbs.AST.Program): void {
  const visit = (node: Node | undefined): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const s of (node as hbs.AST.Program).body) visit(s);
        return;
      case 'PartialStatement':
      case 'PartialBlockStatement':
        throw new Error('partials ({{> …}}) are not supported');
      case 'Decorator':
      case 'DecoratorBlock':
        throw new Error('decorators are not supported');
      case 'MustacheStatement':
      case 'SubExpression':
      case 'BlockStatement': {
        const call = node as hbs.AST.MustacheStatement;
        checkCall(call, node.type === 'BlockStatement');
        for (const p of call.params) visit(p);
        for (const pair of call.hash?.pairs ?? []) visit(pair.value);
        if (node.type === 'BlockStatement') {
          visit((node as hbs.AST.BlockStatement).program);
          visit((node as hbs.AST.BlockStatement).inverse);
        }
        return;
      }
      default:
        return;
    }
  };
  visit(program);
}

function checkCall(call: hbs.AST.MustacheStatement, block: boolean): void {
  if (call.path.type !== 'PathExpression') return;
  const path = call.path as hbs.AST.PathExpression;
  const name = path.original;
  const isCall = block || call.params.length > 0 || (call.hash?.pairs.length ?? 0) > 0;
  if (isCall && (!HELPER_NAMES.has(name) || path.parts.length !== 1)) {
    throw new Error(`unknown helper "${name}" (helpers: ${[...HELPER_NAMES].filter((n) => n !== 'log').sort().join(', ')})`);
  }
  if (block && !BLOCK_HELPERS.has(name)) throw new Error(`"${name}" is not a block helper (use #if, #unless, #each or #with)`);
  if (!block && BLOCK_HELPERS.has(name) && isCall) throw new Error(`"${name}" needs a block: {{#${name} …}}…{{/${name}}}`);
  if (name === 'faker') {
    const first = call.params[0];
    if (!first) throw new Error('faker needs a method name, e.g. {{faker "person.fullName"}}');
    if (first.type === 'StringLiteral') {
      const method = (first as hbs.AST.StringLiteral).value;
      if (!fakerMethod(referenceFaker(), method)) throw new Error(`unknown faker method "${method}" (e.g. "person.fullName", "string.alphanumeric")`);
    }
  }
  if (name === 'now') {
    for (const pair of call.hash?.pairs ?? []) {
      if (pair.key !== 'format' && pair.key !== 'offset') throw new Error(`now: unknown option "${pair.key}" (format, offset)`);
      if (pair.value.type !== 'StringLiteral') continue;
      const v = (pair.value as hbs.AST.StringLiteral).value;
      if (pair.key === 'format' && !['iso', 'date', 'epoch', 'unix'].includes(v)) throw new Error(`now: unknown format "${v}" (iso, date, epoch, unix)`);
      if (pair.key === 'offset' && !OFFSET.test(v.trim())) throw new Error(`now: bad offset "${v}" (e.g. -1d, +2h, 30m, 15s, 500ms)`);
    }
  }
}

function parse(source: string): hbs.AST.Program {
  try {
    return hb.parse(source);
  } catch (e) {
    throw new Error(`template syntax: ${(e as Error).message.replace(/\n/g, ' ').replace(/\s+/g, ' ')}`, { cause: e });
  }
}

/** The text between `{{`/`{{{` and `}}`/`}}}` of a mustache, as written. */
function innerSource(source: string, node: hbs.AST.MustacheStatement): string {
  const lines = source.split('\n');
  const offset = (pos: hbs.AST.Position): number => lines.slice(0, pos.line - 1).reduce((n, l) => n + l.length + 1, 0) + pos.column;
  const text = source.slice(offset(node.loc.start), offset(node.loc.end));
  return text.replace(/^\{\{\{?~?&?/, '').replace(/~?\}?\}\}$/, '');
}

/** Compiles one template string. */
export function compileString(source: string): CompiledValue {
  if (!source.includes('{{')) return () => source;
  const program = parse(source);
  checkAst(program);
  const only = program.body.length === 1 ? program.body[0] : undefined;
  if (only?.type === 'MustacheStatement') {
    const node = only as hbs.AST.MustacheStatement;
    const inner = innerSource(source, node).trim();
    const path = node.path.type === 'PathExpression' ? (node.path as hbs.AST.PathExpression) : undefined;
    const call = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0 || (path !== undefined && path.parts.length === 1 && HELPER_NAMES.has(path.original));
    const template = hb.compile(`{{__raw ${call ? `(${inner})` : inner}}}`, COMPILE_OPTIONS);
    return (context, rt) => {
      const data: RenderData = { rt, sink: {} };
      template(context, { data });
      return data.sink?.value;
    };
  }
  const template = hb.compile(source, COMPILE_OPTIONS);
  return (context, rt) => template(context, { data: { rt } });
}

/** Compiles every string leaf of a JSON value; throws TemplateCompileError naming the bad leaf. */
export function compileValue(value: unknown, at: Array<string | number> = []): CompiledValue {
  if (typeof value === 'string') {
    try {
      return compileString(value);
    } catch (e) {
      throw new TemplateCompileError((e as Error).message, at);
    }
  }
  if (Array.isArray(value)) {
    const parts = value.map((v, i) => compileValue(v, [...at, i]));
    return (context, rt) => parts.map((p) => p(context, rt));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, compileValue(v, [...at, k])] as const);
    return (context, rt) => {
      const out: Record<string, unknown> = {};
      for (const [k, part] of entries) {
        const v = part(context, rt);
        if (v !== undefined) out[k] = v;
      }
      return out;
    };
  }
  return () => value;
}

/** A compiled value rendered as text (header values, ids). */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
