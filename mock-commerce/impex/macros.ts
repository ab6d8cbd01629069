// Macro (`$name=value`) and `$config-<key>` substitution. Purely textual, as in Commerce:
// replacement is substring-based, so a shorter name would otherwise eat a longer one.

const MACRO_NAME = /^\$[A-Za-z0-9_][\w.-]*$/;
const CONFIG_REFERENCE = /\$config-([\w.-]+)/g;
const MACRO_REFERENCE = /\$[A-Za-z_][\w.-]*/g;

export interface MacroTable {
  readonly values: ReadonlyMap<string, string>;
  /** Names ordered longest first, so `$catalogVersion` is replaced before `$catalog`. */
  readonly order: readonly string[];
}

export function isMacroName(name: string): boolean {
  return MACRO_NAME.test(name);
}

export function macroTable(values: ReadonlyMap<string, string>): MacroTable {
  const order = [...values.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return { values, order };
}

export function defineMacro(table: MacroTable, name: string, value: string): MacroTable {
  return macroTable(new Map(table.values).set(name, value));
}

/** Options may name macros with or without the leading `$`. */
export function seedMacros(macros: Record<string, string> | undefined): MacroTable {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(macros ?? {})) {
    values.set(name.startsWith('$') ? name : `$${name}`, value);
  }
  return macroTable(values);
}

/** Replaces every occurrence of every macro, longest name first (each name one pass, like Commerce). */
export function expandMacros(text: string, table: MacroTable): string {
  if (!text.includes('$')) return text;
  let result = text;
  for (const name of table.order) {
    if (result.includes(name)) result = result.split(name).join(table.values.get(name) ?? '');
  }
  return result;
}

/**
 * Resolves `$config-<key>` from configuration. Commerce registers every property as a macro,
 * so the longest property key that prefixes the referenced text wins; the rest stays literal.
 */
export function expandConfig(
  text: string,
  config: Readonly<Record<string, string>>,
): { text: string; unresolved: string[] } {
  const unresolved: string[] = [];
  const expanded = text.replace(CONFIG_REFERENCE, (match: string, key: string) => {
    const known = longestKnownPrefix(key, config);
    if (known === undefined) {
      unresolved.push(match);
      return match;
    }
    return (config[known] ?? '') + key.slice(known.length);
  });
  return { text: expanded, unresolved };
}

function longestKnownPrefix(key: string, config: Readonly<Record<string, string>>): string | undefined {
  for (let length = key.length; length > 0; length -= 1) {
    const candidate = key.slice(0, length);
    if (Object.hasOwn(config, candidate)) return candidate;
  }
  return undefined;
}

/** `$name` tokens still present after expansion (unresolved `$config-` references excluded: reported separately). */
export function leftoverMacroReferences(text: string): string[] {
  return (text.match(MACRO_REFERENCE) ?? []).filter((ref) => !ref.startsWith('$config-'));
}
