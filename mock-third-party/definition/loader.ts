/**
 * Loads a third-party definition from YAML (JSON is YAML too). Errors — YAML syntax, schema, and the
 * compiler's checks — name the file, the line and column, and the JSON path:
 *
 *   reviews.yaml:14:9: $.routes[1].match.query.page.regex: bad regex /[0-9/: Unterminated character class
 */
import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { CompiledDefinition, JsonPathSegments } from '../engine/compile.js';
import type { ThirdPartyDefinition } from './model.js';
import { checkDefinition, DefinitionError, type SourceLocator } from './validate.js';

/** Reads and validates a definition file; throws DefinitionError (or the file system's error). */
export function loadDefinitionFile(file: string): ThirdPartyDefinition {
  return parseDefinition(readFileSync(file, 'utf8'), file);
}

/** Parses and validates definition text; `file` only names it in errors. */
export function parseDefinition(text: string, file = '<definition>'): ThirdPartyDefinition {
  return parseAndCompile(text, file).definition;
}

/** Like parseDefinition, also returning the compiled form. */
export function parseAndCompile(text: string, file = '<definition>'): { definition: ThirdPartyDefinition; compiled: CompiledDefinition } {
  const { value, locator } = readYaml(text, file);
  return checkDefinition(value, locator);
}

/**
 * Parses YAML into plain values with a locator that turns JSON paths back into line and column (also
 * used by the scenario file loader). A syntax error throws DefinitionError at its position.
 */
export function readYaml(text: string, file: string): { value: unknown; locator: SourceLocator } {
  const lineCounter = new LineCounter();
  // Anchors, aliases and merge keys (`<<: *envelope`) let a file share parts.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, merge: true });
  if (doc.errors.length > 0) {
    // The first syntax error; the ones after it mostly follow from it.
    throw new DefinitionError(
      doc.errors.slice(0, 1).map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, line: pos.line, column: pos.col, path: '$', message: `YAML: ${e.message.split('\n')[0] ?? e.code}` };
      }),
    );
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  const locator: SourceLocator = {
    file,
    locate: (path, key) => {
      const range = rangeOf(doc, path, key);
      if (range === undefined) return undefined;
      const pos = lineCounter.linePos(range);
      return { line: pos.line, column: pos.col };
    },
  };
  return { value, locator };
}

/**
 * Start offset of the node at `path` (of its key when `key` is set). Where the path leaves the
 * document (a missing key), the deepest node that exists.
 */
function rangeOf(doc: Document, path: JsonPathSegments, key: boolean): number | undefined {
  let node: unknown = doc.contents;
  let best: number | undefined = startOf(node);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return best;
      if (last && key) return startOf(pair.key) ?? best;
      node = pair.value;
      // `key:` with nothing after it has no value node: point at the key.
      if (node === null || node === undefined) return startOf(pair.key) ?? best;
    } else return best;
    best = startOf(node) ?? best;
  }
  return best;
}

function startOf(node: unknown): number | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return range ? range[0] : undefined;
}
