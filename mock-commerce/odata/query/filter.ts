/**
 * `$filter` for OData reads (spec §5.4, help V-GET-14/15, B-085, §3 (e)): parsed and checked against the
 * integration object the way Olingo 2 and Commerce's filter visitor do, then compiled to a predicate over
 * stored items. Pure functions; errors are {@link ODataRequestError}s.
 *
 * Processing order, which decides the answer when a filter has several faults:
 * 1. empty text → 400 (Olingo: `Value for '$filter' must not be null.`);
 * 2. tokenizing (`tokenizer.ts`): unterminated strings, unknown characters, malformed prefixed literals;
 * 3. when the filter uses arithmetic, `not`, unary `-` or a function: property names are still checked
 *    (Olingo parses those constructs), then arithmetic → 400 `operator_not_supported`, else → 500
 *    `unknown_error` (Commerce's visitor throws `UnsupportedOperationException` into the default populator);
 * 4. parsing, left to right like Olingo's parser: property paths resolved (unknown → 400 "No property …"),
 *    operand types checked per operator ("Operator … incompatible with operand types …"), and the usual
 *    syntax errors; comparisons are read by odata-parser (see `odata-parser-adapter.ts`), `and` binds
 *    tighter than `or`;
 * 5. Commerce's visitor, comparison by comparison in text order: top-level `integrationKey` → 400
 *    `integration_key_not_supported`; two or more navigation steps → 400 `filter_not_supported` (bracket
 *    content: the path as written, e.g. `[catalogVersion/catalog/id]`); `nav/integrationKey` with an operator
 *    the profile does not allow → 400 `operation_not_supported` (2005: `eq` only; 2211 help also documents
 *    `ne`; ordering operators are rejected in both, with the one documented message); a comparison of two
 *    properties or two literals, or a bare boolean property/literal as a condition → 500 `unknown_error`.
 *
 * Semantics (FlexibleSearch/SQL, which Commerce translates filters to): `eq null` / `ne null` test for
 * null (IS NULL / IS NOT NULL); any other comparison is false for a null value, `ne` included; strings
 * compare in Java `String` order; Int64/Decimal compare exactly; a navigation filter holds when the
 * referenced item satisfies the comparison (no reference, or no matching referenced item → false; a
 * filter whose navigation condition matches nothing yields an empty result, not an error).
 */
import { IntegrationKeyError, keyParts } from '../../integration-objects/integration-key.js';
import type { IntegrationObjectModel, IoAttribute, IoItem } from '../../integration-objects/model.js';
import type { Item, ItemStore } from '../../store/store.js';
import { entityKey, navigationTarget, primitiveValue } from '../entity-values.js';
import { ODataRequestError } from '../odata-error.js';
import {
  coerceLiteral,
  compareIn,
  domainOf,
  operandTypesValid,
  toDomain,
  type ComparableValue,
  type Domain,
  type OperandType,
} from './edm-values.js';
import { commerceErrors, olingoErrors } from './messages.js';
import { LITERAL_PLACEHOLDER, PROPERTY_PLACEHOLDER, parseComparison } from './odata-parser-adapter.js';
import { resolvePath, type PathSegment, type ResolvedPath } from './properties.js';
import { OLINGO_FUNCTIONS, tokenize, type Literal, type Token } from './tokenizer.js';

export type { Literal, LiteralType } from './tokenizer.js';
export type { ComparableValue, Domain } from './edm-values.js';

export interface QueryContext {
  io: IntegrationObjectModel;
  /** The IO item of the entity set being read. */
  item: IoItem;
  store: ItemStore;
  /** Language of localized values (the request's language). */
  language: string;
  profile: '2211' | '2005';
}

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** The single-valued navigation a nested operand goes through. */
export interface NavigationStep {
  attribute: IoAttribute;
  /** The IO item of the referenced entities. */
  target: IoItem;
}

export type FilterOperand =
  /**
   * A primitive attribute of the item (`code`) or of the referenced item (`catalogVersion/version`); or a
   * single-valued navigation compared with null (`unit eq null`, domain `reference`).
   */
  | { kind: 'attribute'; attribute: IoAttribute; via?: NavigationStep }
  /** The integrationKey of the referenced item (`catalogVersion/integrationKey`). */
  | { kind: 'integrationKey'; via: NavigationStep };

export interface ComparisonNode {
  kind: 'comparison';
  operand: FilterOperand;
  /** Seen from the operand: `5 lt reviewCount` is stored as `reviewCount gt 5`. */
  operator: ComparisonOperator;
  /** The literal as written, typed as Olingo types URI literals. */
  literal: Literal;
  /** How the operand's values compare. */
  domain: Domain;
  /** The literal converted to the operand's type (null for `null`). */
  value: ComparableValue;
}

export interface LogicalNode {
  kind: 'and' | 'or';
  left: FilterNode;
  right: FilterNode;
}

export type FilterNode = ComparisonNode | LogicalNode;

/** Parses and checks `$filter` text against `ctx.item`; throws {@link ODataRequestError}. */
export function parseFilter(text: string, ctx: QueryContext): FilterNode {
  if (text.trim() === '') throw olingoErrors.emptyOption('$filter');
  const elements = classify(tokenize(text));
  rejectUnsupported(elements, text, ctx);
  const parser = new StructureParser(elements, text, ctx);
  const parsed = parser.parse();
  return toFilterNode(parsed, ctx);
}

/** Compiles a parsed filter to a predicate over stored items of `ctx.item`'s type. */
export function compileFilter(node: FilterNode, ctx: QueryContext): (stored: Item) => boolean {
  if (node.kind === 'comparison') return compileComparison(node, ctx);
  const kind = node.kind;
  const operands = chain<FilterNode>(node, (n) => (n.kind === kind ? [n.left, n.right] : undefined));
  const predicates = operands.map((n) => compileFilter(n, ctx));
  return kind === 'and' ? (stored) => predicates.every((p) => p(stored)) : (stored) => predicates.some((p) => p(stored));
}

// ---------------------------------------------------------------------------------------------------
// Elements: tokens classified by position (operand or operator), as Olingo's parser reads them.

const COMPARISON_OPERATORS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const ARITHMETIC_OPERATORS = new Set(['add', 'sub', 'mul', 'div', 'mod']);

interface Positioned {
  text: string;
  /** 0-based position in the expression. */
  position: number;
}

type Element =
  | ({ kind: 'path'; segments: PathSegment[] } & Positioned)
  | ({ kind: 'literal'; literal: Literal } & Positioned)
  | ({ kind: 'compare'; operator: ComparisonOperator } & Positioned)
  | ({ kind: 'logical'; operator: 'and' | 'or' } & Positioned)
  | ({ kind: 'arithmetic' } & Positioned)
  /** `not`, unary `-`, a function name. */
  | ({ kind: 'unsupported' } & Positioned)
  | ({ kind: 'open' | 'close' } & Positioned)
  /** A token that cannot stand where it is. */
  | ({ kind: 'other' } & Positioned);

function classify(tokens: Token[]): Element[] {
  const out: Element[] = [];
  let expectOperand = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const at = { text: t.text, position: t.position };
    if (t.kind === ')') {
      out.push({ kind: 'close', ...at });
      expectOperand = false;
    } else if (t.kind === ',') {
      out.push({ kind: 'other', ...at });
      expectOperand = true;
    } else if (expectOperand) {
      if (t.kind === '(') out.push({ kind: 'open', ...at });
      else if (t.kind === 'literal') {
        out.push({ kind: 'literal', literal: t.literal, ...at });
        expectOperand = false;
      } else if (t.kind === 'word' && (t.text === 'not' || (OLINGO_FUNCTIONS.has(t.text) && tokens[i + 1]?.kind === '('))) {
        out.push({ kind: 'unsupported', ...at });
      } else if (t.kind === 'word') {
        const segments: PathSegment[] = [{ name: t.text, position: t.position }];
        while (tokens[i + 1]?.kind === 'symbol' && tokens[i + 1]!.text === '/' && tokens[i + 2]?.kind === 'word') {
          const next = tokens[i + 2]!;
          segments.push({ name: next.text, position: next.position });
          i += 2;
        }
        out.push({ kind: 'path', segments, text: segments.map((s) => s.name).join('/'), position: t.position });
        expectOperand = false;
      } else if (t.kind === 'symbol' && t.text === '-') {
        out.push({ kind: 'unsupported', ...at });
      } else {
        out.push({ kind: 'other', ...at });
        expectOperand = false;
      }
    } else if (t.kind === 'word' && COMPARISON_OPERATORS.has(t.text)) {
      out.push({ kind: 'compare', operator: t.text as ComparisonOperator, ...at });
      expectOperand = true;
    } else if (t.kind === 'word' && (t.text === 'and' || t.text === 'or')) {
      out.push({ kind: 'logical', operator: t.text, ...at });
      expectOperand = true;
    } else if (t.kind === 'word' && ARITHMETIC_OPERATORS.has(t.text)) {
      out.push({ kind: 'arithmetic', ...at });
      expectOperand = true;
    } else {
      out.push({ kind: 'other', ...at });
    }
  }
  return out;
}

/** Step 3 of the processing order (see the module comment). */
function rejectUnsupported(elements: Element[], expression: string, ctx: QueryContext): void {
  if (!elements.some((e) => e.kind === 'arithmetic' || e.kind === 'unsupported')) return;
  for (const e of elements) if (e.kind === 'path') resolvePath(ctx.io, ctx.item, e.segments, expression);
  const arithmetic = elements.find((e) => e.kind === 'arithmetic');
  throw arithmetic ? commerceErrors.operator(arithmetic.text) : commerceErrors.unexpected();
}

// ---------------------------------------------------------------------------------------------------
// Structure: precedence parsing of and/or/parentheses; comparisons through odata-parser.

type Operand = { kind: 'path'; path: ResolvedPath } | { kind: 'literal'; literal: Literal };

type Parsed =
  | { kind: 'comparison'; left: Operand; operator: ComparisonOperator; right: Operand }
  | { kind: 'value'; operand: Operand }
  | { kind: 'logical'; operator: 'and' | 'or'; left: Parsed; right: Parsed };

/** Deeper parenthesis nesting is refused (400) rather than risking the stack. */
const MAX_DEPTH = 200;

function operandType(operand: Operand): OperandType {
  return operand.kind === 'path' ? operand.path.type : operand.literal.type;
}

function parsedType(parsed: Parsed): OperandType {
  return parsed.kind === 'value' ? operandType(parsed.operand) : 'Edm.Boolean';
}

class StructureParser {
  private index = 0;
  /** Positions of the parentheses currently open. */
  private readonly open: number[] = [];

  constructor(
    private readonly elements: Element[],
    private readonly expression: string,
    private readonly ctx: QueryContext,
  ) {}

  parse(): Parsed {
    const result = this.parseOr();
    const rest = this.elements[this.index];
    if (rest) throw olingoErrors.trailingToken(rest.text, rest.position + 1, this.expression);
    const type = parsedType(result);
    if (type !== 'Edm.Boolean') throw olingoErrors.booleanExpected(type, this.expression);
    return result;
  }

  private peek(): Element | undefined {
    return this.elements[this.index];
  }

  private parseOr(): Parsed {
    let left = this.parseAnd();
    for (let e = this.peek(); e?.kind === 'logical' && e.operator === 'or'; e = this.peek()) {
      this.index++;
      left = this.logical(e, left, this.parseAnd());
    }
    return left;
  }

  private parseAnd(): Parsed {
    let left = this.parsePrimary();
    for (let e = this.peek(); e?.kind === 'logical' && e.operator === 'and'; e = this.peek()) {
      this.index++;
      left = this.logical(e, left, this.parsePrimary());
    }
    return left;
  }

  private logical(token: Element & { kind: 'logical' }, left: Parsed, right: Parsed): Parsed {
    const [lt, rt] = [parsedType(left), parsedType(right)];
    if (!operandTypesValid(token.operator, lt, rt)) throw olingoErrors.incompatibleTypes(token.text, lt, rt, token.position + 1, this.expression);
    return { kind: 'logical', operator: token.operator, left, right };
  }

  private parsePrimary(): Parsed {
    const e = this.peek();
    const previous = this.elements[this.index - 1];
    if (e?.kind === 'open') {
      if (this.open.length >= MAX_DEPTH) throw olingoErrors.invalidFilter(this.expression);
      this.index++;
      this.open.push(e.position);
      const inner = this.parseOr();
      if (this.peek()?.kind !== 'close') throw olingoErrors.missingClosingParenthesis(e.position + 1, this.expression);
      this.index++;
      this.open.pop();
      return inner;
    }
    if (e?.kind === 'path' || e?.kind === 'literal') return this.parseAtom();
    // Nothing where an operand belongs.
    if (previous?.kind === 'logical' && (e === undefined || e.kind === 'close' || e.text === ',')) {
      throw olingoErrors.expressionExpectedAfter(previous.position + previous.text.length, this.expression);
    }
    if (e === undefined && previous?.kind === 'open') throw olingoErrors.missingClosingParenthesis(previous.position + 1, this.expression);
    if (e?.kind === 'close' && previous === undefined) throw olingoErrors.trailingToken(e.text, e.position + 1, this.expression);
    throw olingoErrors.invalidFilter(this.expression);
  }

  /** A comparison `operand op operand`, or a lone operand. */
  private parseAtom(): Parsed {
    const start = this.index;
    while (this.index < this.elements.length && !['logical', 'open', 'close'].includes(this.elements[this.index]!.kind)) this.index++;
    const atom = this.elements.slice(start, this.index);
    const [first, second, third, fourth] = atom;
    // Olingo reads (and checks) the left operand, the operator and the right operand, in this order.
    const left = first && this.operand(first);
    if (!left) throw olingoErrors.invalidFilter(this.expression); // unreachable: an atom starts with an operand
    if (!second) return { kind: 'value', operand: left };
    if (second.kind !== 'compare') throw this.stray(second);
    const right = third && this.operand(third);
    if (!right) {
      if (third || this.peek()?.kind === 'open') throw olingoErrors.invalidFilter(this.expression);
      throw olingoErrors.expressionExpectedAfter(second.position + second.text.length, this.expression);
    }
    if (fourth) throw fourth.kind === 'compare' ? olingoErrors.invalidFilter(this.expression) : this.stray(fourth);
    const placeholder = (o: Operand) => (o.kind === 'path' ? PROPERTY_PLACEHOLDER : LITERAL_PLACEHOLDER);
    const comparison = parseComparison(`${placeholder(left)} ${second.operator} ${placeholder(right)}`);
    if (!comparison || comparison.operator !== second.operator) throw olingoErrors.invalidFilter(this.expression);
    const [lt, rt] = [operandType(left), operandType(right)];
    if (!operandTypesValid(second.operator, lt, rt)) throw olingoErrors.incompatibleTypes(second.text, lt, rt, second.position + 1, this.expression);
    return { kind: 'comparison', left, operator: second.operator, right };
  }

  /** The element as an operand (a path is resolved here, Olingo's order), or undefined if it is none. */
  private operand(e: Element): Operand | undefined {
    if (e.kind === 'literal') return { kind: 'literal', literal: e.literal };
    if (e.kind === 'path') return { kind: 'path', path: resolvePath(this.ctx.io, this.ctx.item, e.segments, this.expression) };
    return undefined;
  }

  /** A token where an operator, `)` or the end belongs. */
  private stray(e: Element): ODataRequestError {
    const open = this.open[this.open.length - 1];
    return open === undefined
      ? olingoErrors.trailingToken(e.text, e.position + 1, this.expression)
      : olingoErrors.missingClosingParenthesis(open + 1, this.expression);
  }
}

// ---------------------------------------------------------------------------------------------------
// Commerce's checks and the filter tree.

/**
 * The operands of a left-associative chain of one logical operator (`a and b and c`), in text order,
 * collected without recursion: chains can be long, parenthesis nesting cannot.
 */
function chain<T>(node: T, children: (n: T) => [T, T] | undefined): T[] {
  const rights: T[] = [];
  let current = node;
  for (let pair = children(current); pair; pair = children(current)) {
    rights.push(pair[1]);
    current = pair[0];
  }
  return [current, ...rights.reverse()];
}

function toFilterNode(parsed: Parsed, ctx: QueryContext): FilterNode {
  switch (parsed.kind) {
    case 'value':
      throw commerceErrors.unexpected();
    case 'comparison':
      return comparisonNode(parsed, ctx);
    case 'logical': {
      const operator = parsed.operator;
      const operands = chain<Parsed>(parsed, (n) => (n.kind === 'logical' && n.operator === operator ? [n.left, n.right] : undefined));
      const [first, ...rest] = operands.map((p) => toFilterNode(p, ctx));
      return rest.reduce<FilterNode>((left, right) => ({ kind: operator, left, right }), first!);
    }
  }
}

const MIRRORED: Record<ComparisonOperator, ComparisonOperator> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

function comparisonNode(parsed: Parsed & { kind: 'comparison' }, ctx: QueryContext): ComparisonNode {
  const { left, right } = parsed;
  for (const side of [left, right]) if (side.kind === 'path') checkPath(side.path, parsed.operator, ctx);
  let path: ResolvedPath;
  let literal: Literal;
  let operator = parsed.operator;
  if (left.kind === 'path' && right.kind === 'literal') [path, literal] = [left.path, right.literal];
  else if (left.kind === 'literal' && right.kind === 'path') [path, literal, operator] = [right.path, left.literal, MIRRORED[operator]];
  else throw commerceErrors.unexpected(); // two properties or two literals: nothing the visitor can turn into a condition
  const { operand, domain } = operandOf(path, ctx);
  const coerced = coerceLiteral(literal, domain);
  return { kind: 'comparison', operand, operator, literal, domain: coerced.domain, value: coerced.value };
}

/** Commerce's filter visitor on a property path (module comment, step 5). */
function checkPath(path: ResolvedPath, operator: ComparisonOperator, ctx: QueryContext): void {
  const [first, second] = path.steps;
  if (path.steps.length === 1 && first?.kind === 'integrationKey') throw commerceErrors.integrationKeyFilter();
  if (path.steps.length > 2) throw commerceErrors.nestedFilter(path.text);
  if (second?.kind === 'integrationKey') {
    const allowed = ctx.profile === '2005' ? ['eq'] : ['eq', 'ne'];
    if (!allowed.includes(operator)) throw commerceErrors.nestedKeyOperator();
  }
}

function operandOf(path: ResolvedPath, ctx: QueryContext): { operand: FilterOperand; domain: Domain } {
  const [first, second] = path.steps;
  if (!first || first.kind === 'integrationKey') throw commerceErrors.unexpected(); // excluded by checkPath
  if (!second) {
    return first.kind === 'primitive'
      ? { operand: { kind: 'attribute', attribute: first.attribute }, domain: domainOf(first.edmType) }
      : { operand: { kind: 'attribute', attribute: first.attribute }, domain: 'reference' };
  }
  if (first.kind !== 'navigation') throw commerceErrors.unexpected(); // a primitive has no properties (Olingo)
  const via: NavigationStep = { attribute: first.attribute, target: first.target };
  switch (second.kind) {
    case 'primitive':
      return { operand: { kind: 'attribute', attribute: second.attribute, via }, domain: domainOf(second.edmType) };
    case 'navigation':
      return { operand: { kind: 'attribute', attribute: second.attribute, via }, domain: 'reference' };
    case 'integrationKey':
      try {
        keyParts(ctx.io, first.target);
      } catch (e) {
        if (e instanceof IntegrationKeyError) throw new ODataRequestError(400, e.code, e.message);
        throw e;
      }
      return { operand: { kind: 'integrationKey', via }, domain: 'string' };
  }
}

// ---------------------------------------------------------------------------------------------------
// Evaluation.

function compileComparison(node: ComparisonNode, ctx: QueryContext): (stored: Item) => boolean {
  const test = valueTest(node);
  const { operand } = node;
  const read = operand.kind === 'integrationKey' ? keyReader(operand.via, ctx) : attributeReader(operand.attribute, node.domain, ctx);
  if (!operand.via) return (stored) => test(read(stored));
  const navigation = operand.via.attribute;
  return (stored) => {
    const target = navigationTarget(ctx.store, stored, navigation);
    return target !== null && test(read(target));
  };
}

function attributeReader(attribute: IoAttribute, domain: Domain, ctx: QueryContext): (stored: Item) => ComparableValue {
  if (domain === 'reference') return (stored) => (navigationTarget(ctx.store, stored, attribute) === null ? null : 'reference');
  return (stored) => toDomain(primitiveValue(stored, attribute, ctx.language), domain);
}

function keyReader(via: NavigationStep, ctx: QueryContext): (target: Item) => ComparableValue {
  const keys = new Map<number, string>();
  return (target) => {
    let key = keys.get(target.pk);
    if (key === undefined) {
      key = entityKey(ctx.io, via.target, target, ctx.store);
      keys.set(target.pk, key);
    }
    return key;
  };
}

/** The comparison as a test of one (domain) value; SQL null semantics (module comment). */
function valueTest(node: ComparisonNode): (value: ComparableValue) => boolean {
  const { operator, value: literal, domain } = node;
  if (literal === null) {
    if (operator === 'eq') return (v) => v === null;
    if (operator === 'ne') return (v) => v !== null;
    return () => false;
  }
  const holds: Record<ComparisonOperator, (c: number) => boolean> = {
    eq: (c) => c === 0,
    ne: (c) => c !== 0,
    gt: (c) => c > 0,
    ge: (c) => c >= 0,
    lt: (c) => c < 0,
    le: (c) => c <= 0,
  };
  const accept = holds[operator];
  return (v) => v !== null && accept(compareIn(domain, v, literal));
}
