/**
 * English pluralization exactly as `org.atteo.evo.inflector.English.plural(word)` of evo-inflector 1.2.2
 * computes it (default mode, MODE.ENGLISH_ANGLICIZED).
 *
 * Why a port and not a "better" inflector: the Integration API names each OData EntitySet after the
 * plural of the item's entity type, and Commerce gets that plural from evo-inflector 1.2.2. Clients
 * (SCPI iFlows among them) address `Products`, `Medias`, `PaymentInfoes`, … literally, so the sandbox has
 * to produce the same string byte for byte — wrong English included. Do not "fix" anything here.
 *
 * How evo-inflector works, and so this module: an ordered list of rules; the first rule that applies to
 * the whole word produces the result. Rules are of two kinds:
 * - suffix-list rules ("category" and "uncountable" rules): apply when the lower-cased word ends with one
 *   of the listed words; they then cut `strip` characters off the end of the word as given and append a
 *   fixed string;
 * - regular-expression rules: a case-insensitive pattern, the first match of which is replaced (Java's
 *   `Matcher.find` + `appendReplacement` + `appendTail`), with `$1` standing for the first group.
 *
 * Consequences worth knowing (all kept on purpose, all covered by test/odata/pluralize.test.ts):
 * - Nothing looks at word boundaries, so a CamelCase name is pluralized by its last word:
 *   `OrderEntry` → `OrderEntries`, `PaymentInfo` → `PaymentInfoes`, `Ireland` → `Ireland` (ends with the
 *   uncountable "eland").
 * - A replacement is written as given, so a suffix that it replaces loses its letter case: `Man` → `men`,
 *   `Goose` → `geese`, `HERO` → `HERoes`. Only a captured group (`$1`) or the untouched stem keeps it.
 * - The capitalized nationalities in the -man → -mans list never match (the word is lower-cased before
 *   the comparison), so `German` → `Germen`; only `human` → `humans` works.
 * - `ulum` → `ula` is not anchored to the end of the word (fixed only in 1.3): `CurriculumVitae` →
 *   `CurriculaVitae`, without an `s`.
 * - A final `s` not caught before becomes `ses` by replacing that `s` (`SMS` → `SMses`), and the empty
 *   string becomes `s`.
 */

/**
 * Java's `$` without MULTILINE: the end of the input, or just before a line terminator that ends the
 * input (`\r\n`, `\n`, `\r`, U+0085, U+2028, U+2029), but never between the `\r` and `\n` of a final
 * `\r\n`. JavaScript's `$` only knows the end of the input, so every end-anchored rule uses this instead.
 */
const JAVA_END = String.raw`(?=(?:\r\n|(?<!\r)\n|[\r\u0085\u2028\u2029])?$)`;

type Rule =
  | { kind: 'suffixes'; suffixes: readonly string[]; strip: number; append: string }
  | { kind: 'regex'; pattern: RegExp; replacement: string };

/** A rule applying when the lower-cased word ends with one of `suffixes`; the word is then left as is. */
function uncountable(suffixes: readonly string[]): Rule {
  return { kind: 'suffixes', suffixes, strip: 0, append: '' };
}

/**
 * A rule applying when the lower-cased word ends with one of `suffixes`: it then replaces the last
 * `singular.length` characters of the word (as given, not lower-cased) with `plural`.
 */
function category(suffixes: readonly string[], singular: string, plural: string): Rule {
  return { kind: 'suffixes', suffixes, strip: singular.length, append: plural };
}

/** A case-insensitive rule anchored to the end of the word (Java's `$`, see JAVA_END). */
function atEnd(pattern: string, replacement: string): Rule {
  return { kind: 'regex', pattern: new RegExp(pattern + JAVA_END, 'i'), replacement };
}

/** A case-insensitive rule that matches anywhere in the word; only the first match is replaced. */
function anywhere(pattern: string, replacement: string): Rule {
  return { kind: 'regex', pattern: new RegExp(pattern, 'i'), replacement };
}

/**
 * Irregular plurals. evo-inflector keeps the case of the first letter of the matched singular (it is the
 * captured group) and writes the rest of the plural in lower case, wherever the singular ends the word:
 * `GrandChild` → `GrandChildren`, `QUIZ` → `Quizzes`. (For pairs whose first letters differ it has another
 * form, used only in classical mode, which 1.2.2's default does not use.)
 */
function irregulars(pairs: readonly (readonly [string, string])[]): Rule[] {
  return pairs.map(([singular, plural]) => {
    if (singular[0] !== plural[0]) {
      throw new Error(`pluralize: irregular ${singular}/${plural} needs the classical-mode rule form`);
    }
    return atEnd(`(${singular[0]})${singular.slice(1)}`, `$1${plural.slice(1)}`);
  });
}

// The word lists of evo-inflector 1.2.2 (from Damian Conway's "An Algorithmic Approach to English
// Pluralization"), restricted to those that anglicized mode consults.

/** Words and endings that do not change in the plural. */
const UNCOUNTABLE = [
  // endings
  'fish', 'ois', 'sheep', 'deer', 'pox', 'itis',
  // words
  'bison', 'flounder', 'pliers', 'bream', 'gallows', 'proceedings', 'breeches', 'graffiti', 'rabies',
  'britches', 'headquarters', 'salmon', 'carp', 'herpes', 'scissors', 'chassis', 'high-jinks', 'sea-bass',
  'clippers', 'homework', 'series', 'cod', 'innings', 'shears', 'contretemps', 'jackanapes', 'species',
  'corps', 'mackerel', 'swine', 'debris', 'measles', 'trout', 'diabetes', 'mews', 'tuna', 'djinn', 'mumps',
  'whiting', 'eland', 'news', 'wildebeest', 'elk', 'pincers', 'sugar',
] as const;

/** Irregular plurals common to both modes, then the anglicized ones. */
const IRREGULAR: readonly (readonly [string, string])[] = [
  ['child', 'children'],
  ['ephemeris', 'ephemerides'],
  ['mongoose', 'mongoose'],
  ['mythos', 'mythoi'],
  ['soliloquy', 'soliloquies'],
  ['trilby', 'trilbys'],
  ['genus', 'genera'],
  ['quiz', 'quizzes'],
  // anglicized mode
  ['beef', 'beefs'],
  ['brother', 'brothers'],
  ['cow', 'cows'],
  ['genie', 'genies'],
  ['money', 'moneys'],
  ['octopus', 'octopuses'],
  ['opus', 'opuses'],
];

/** -man → -mans. Only the lower-case entry can ever match (see the module comment). */
const MAN_MANS = [
  'human', 'Alabaman', 'Bahaman', 'Burman', 'German', 'Hiroshiman', 'Liman', 'Nakayaman', 'Oklahoman',
  'Panaman', 'Selman', 'Sonaman', 'Tacoman', 'Yakiman', 'Yokohaman', 'Yuman',
] as const;

const EX_ICES = ['codex', 'murex', 'silex'] as const;
const IX_ICES = ['radix', 'helix'] as const;
const UM_A = [
  'bacterium', 'agendum', 'desideratum', 'erratum', 'stratum', 'datum', 'ovum', 'extremum', 'candelabrum',
] as const;
const ON_A = [
  'criterion', 'perihelion', 'aphelion', 'phenomenon', 'prolegomenon', 'noumenon', 'organon', 'asyndeton',
  'hyperbaton',
] as const;
const A_AE = ['alumna', 'alga', 'vertebra', 'persona'] as const;
/** Always -us → -i. */
const US_I = [
  'alumnus', 'alveolus', 'bacillus', 'bronchus', 'locus', 'nucleus', 'stimulus', 'meniscus', 'thesaurus',
] as const;
/** Take -es in both modes (a bare word list: the rule appends "es"). */
const S_ES = [
  'acropolis', 'chaos', 'lens', 'aegis', 'cosmos', 'mantis', 'alias', 'dais', 'marquis', 'asbestos',
  'digitalis', 'metropolis', 'atlas', 'epidermis', 'pathos', 'bathos', 'ethos', 'pelvis', 'bias', 'gas',
  'polis', 'caddis', 'glottis', 'rhinoceros', 'cannabis', 'sassafras', 'canvas', 'ibis', 'trellis',
] as const;
/** -is → -ides in classical mode; -es in anglicized mode. */
const IS_IDES = ['iris', 'clitoris'] as const;
/** -us → -us in classical mode; -uses in anglicized mode. */
const US_US = [
  'apparatus', 'impetus', 'prospectus', 'cantus', 'nexus', 'sinus', 'coitus', 'plexus', 'status', 'hiatus',
] as const;
/** -a → -ata in classical mode; -as in anglicized mode. */
const A_ATA = [
  'anathema', 'enema', 'oedema', 'bema', 'enigma', 'sarcoma', 'carcinoma', 'gumma', 'schema', 'charisma',
  'lemma', 'soma', 'diploma', 'lymphoma', 'stigma', 'dogma', 'magma', 'stoma', 'drama', 'melisma', 'trauma',
  'edema', 'miasma',
] as const;
/** -o → -i in classical mode; -os in anglicized mode. */
const O_I = ['solo', 'soprano', 'basso', 'alto', 'contralto', 'tempo', 'piano', 'virtuoso'] as const;
/** Always -o → -os ("todo" was added in 1.2.2). */
const O_OS = [
  'albino', 'archipelago', 'armadillo', 'commando', 'crescendo', 'fiasco', 'ditto', 'dynamo', 'embryo',
  'ghetto', 'guano', 'inferno', 'jumbo', 'lumbago', 'magneto', 'manifesto', 'medico', 'octavo', 'photo',
  'pro', 'quarto', 'canto', 'lingo', 'generalissimo', 'stylo', 'rhino', 'casino', 'auto', 'macro', 'zero',
  'todo',
] as const;

/** The rules of English(MODE.ENGLISH_ANGLICIZED), in the order evo-inflector 1.2.2 tries them. */
const RULES: readonly Rule[] = [
  uncountable(UNCOUNTABLE),
  ...irregulars(IRREGULAR),
  category(MAN_MANS, '', 's'),

  // Irregular inflections of common suffixes. The replacements are plain text: the suffix's case is lost.
  atEnd('man', 'men'),
  atEnd('([lm])ouse', '$1ice'),
  atEnd('tooth', 'teeth'),
  atEnd('goose', 'geese'),
  atEnd('foot', 'feet'),
  atEnd('zoon', 'zoa'),
  atEnd('([csx])is', '$1es'),

  // Fully assimilated classical inflections.
  category(EX_ICES, 'ex', 'ices'),
  category(IX_ICES, 'ix', 'ices'),
  category(UM_A, 'um', 'a'),
  category(ON_A, 'on', 'a'),
  category(A_AE, 'a', 'ae'),

  // (Classical-mode rules would come here; anglicized mode skips them.)
  category(US_I, 'us', 'i'),

  atEnd('([cs]h|[zx])', '$1es'),
  category(S_ES, '', 'es'),
  category(IS_IDES, '', 'es'),
  category(US_US, '', 'es'),
  atEnd('(us)', '$1es'),
  category(A_ATA, '', 's'),

  // -ch, -sh (already handled just above, kept for order's sake) and -ss take -es.
  atEnd('([cs])h', '$1hes'),
  atEnd('ss', 'sses'),

  // Some -f / -fe words take -ves.
  atEnd('([aeo]l)f', '$1ves'),
  atEnd('([^d]ea)f', '$1ves'),
  atEnd('(ar)f', '$1ves'),
  atEnd('([nlw]i)fe', '$1ves'),

  // -y after a vowel takes -ys, otherwise -ies.
  atEnd('([aeiou])y', '$1ys'),
  atEnd('y', 'ies'),

  // -o takes -os for the listed words and after a vowel, otherwise -oes.
  category(O_I, 'o', 'os'),
  category(O_OS, 'o', 'os'),
  atEnd('([aeiou])o', '$1os'),
  atEnd('o', 'oes'),

  // Not anchored in 1.2.2: the first "ulum" anywhere becomes "ula", and nothing is appended.
  anywhere('ulum', 'ula'),

  // Unreachable (A_ATA words already got -s above), kept for order's sake.
  category(A_ATA, '', 'es'),

  atEnd('s', 'ses'),
  // Otherwise just add -s.
  atEnd('', 's'),
];

function applyRule(rule: Rule, word: string, lowerWord: string): string | undefined {
  if (rule.kind === 'regex') {
    // A non-global RegExp replaces the first match only, like find + appendReplacement + appendTail.
    return rule.pattern.test(word) ? word.replace(rule.pattern, rule.replacement) : undefined;
  }
  // Java lower-cases the word for the comparison but cuts the word as given.
  for (const suffix of rule.suffixes) {
    if (lowerWord.endsWith(suffix)) return word.slice(0, word.length - rule.strip) + rule.append;
  }
  return undefined;
}

function computePlural(word: string): string {
  const lowerWord = word.toLowerCase();
  for (const rule of RULES) {
    const plural = applyRule(rule, word, lowerWord);
    if (plural !== undefined) return plural;
  }
  // The last rule matches every string.
  throw new Error(`pluralize: no rule matched ${JSON.stringify(word)}`);
}

/** Entity type names repeat (every $metadata and request asks again), so results are memoized. */
const cache = new Map<string, string>();
/** A bound on the memo, so that arbitrary input (e.g. from requests) cannot grow it without limit. */
const CACHE_LIMIT = 10_000;

/**
 * The plural of `word` as evo-inflector 1.2.2's `English.plural(word)` returns it (anglicized mode):
 * `Product` → `Products`, `Media` → `Medias`, `Category` → `Categories`, `Man` → `men`.
 */
export function pluralize(word: string): string {
  const cached = cache.get(word);
  if (cached !== undefined) return cached;
  const plural = computePlural(word);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, plural);
  return plural;
}
