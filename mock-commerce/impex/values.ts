// Helpers for cell values and modifiers, shared by the importer.

/**
 * Splits a collection cell (`a, b, c`). As in Commerce's CSVUtils.splitAndUnescape, a delimiter
 * preceded by a backslash is literal. Elements are trimmed and blank elements dropped, because
 * an empty element can never be resolved to a value; '' therefore gives [].
 */
export function splitCollection(value: string, delimiter = ','): string[] {
  return splitEscaped(value, delimiter)
    .map((element) => element.trim())
    .filter((element) => element !== '');
}

/**
 * Splits a reference value such as `Default:Staged` (path delimiter `:` by default, `\:` literal).
 * Parts are trimmed but empty parts are kept: positions map onto the reference pattern's leaves,
 * so `:Staged` must still yield two parts. '' gives [].
 */
export function splitReferencePath(value: string, delimiter = ':'): string[] {
  if (value.trim() === '') return [];
  return splitEscaped(value, delimiter).map((part) => part.trim());
}

/** Case-insensitive modifier lookup (`Unique`, `unique` and `UNIQUE` are the same modifier to Commerce). */
export function modifier(column: { modifiers: Record<string, string> }, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const key = Object.keys(column.modifiers).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : column.modifiers[key];
}

function splitEscaped(value: string, delimiter: string): string[] {
  if (delimiter === '') return [value];
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i += 1) {
    if (value.charAt(i) === '\\' && value.startsWith(delimiter, i + 1)) {
      current += delimiter;
      i += delimiter.length;
    } else if (value.startsWith(delimiter, i)) {
      parts.push(current);
      current = '';
      i += delimiter.length - 1;
    } else {
      current += value.charAt(i);
    }
  }
  parts.push(current);
  return parts;
}
