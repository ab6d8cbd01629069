/**
 * Scenario expectations: match an actual value against an expected one and explain the differences.
 *
 * API
 * - `match(expected, actual, { loose?, captures?, path?, maxValueLength? }) → { ok, mismatches, captures }`
 * - `validateMatcher(expected, { knownCaptures? }) → MatcherProblem[]` — authoring errors, no actual needed
 * - `interpolate(value, captures) → { value, unknown }` — the same `${name}` rules for values to send
 * - `captureNames(expected) → string[]` — names its `$capture`s record (for checking later `${name}`s)
 * - `renderMismatches(mismatches, { title?, indent? }) → string` — the readable multi-line diff
 * - `renderValue(value, max?) → string`, `childPath(path, key)` — the renderings mismatches use
 * - `MatcherError` — thrown by `match` for an invalid expectation, with `path` and `problems`
 *
 * The language (an expectation is plain JSON/YAML data)
 * - Objects match as a subset: every expected key must match, extra actual keys are fine. With
 *   `$exact: true` among its keys, an object also forbids extra keys (that object only, not nested
 *   ones). A literal key starting with `$` is written `$$`: `{ $$ref: 1 }` matches `{ "$ref": 1 }`.
 * - Arrays match element by element and must have the same length (a length difference is one
 *   mismatch at the array). `{ $contains: [a, b] }`: the actual array has, for each expected element,
 *   a distinct matching element (any order, extra elements fine).
 * - Strings, numbers, booleans and null match by strict equality. With `loose`, an expected number
 *   (or a `$gte`/`$lte` bound) also matches a decimal numeric string (`"10.00"` matches `10`).
 * - A matcher is an object whose keys all start with `$`; several keys in one matcher must all hold
 *   (`{ $gte: 1, $lte: 9 }`, `{ $capture: "token", $regex: "^ey" }`):
 *   `$regex: "…"` a string matching the (unanchored, JavaScript) pattern ·
 *   `$type: string|number|boolean|object|array|null` ·
 *   `$absent: true` the key does not exist (alone only) · `$any: true` any value present ·
 *   `$capture: "name"` any value present, recorded as `captures.name` when the whole matcher holds
 *   (the same name captured twice in one match must hold equal values) ·
 *   `$gte: n` / `$lte: n` a number within the bound ·
 *   `$oneOf: [a, b]` matches one of the alternatives ·
 *   `$not: m` does not match `m` (an absent value satisfies `$not` unless `m` is `$absent`) ·
 *   `$json: m` a string holding JSON whose parsed value matches `m` (paths continue inside it) ·
 *   `$contains: [...]` as above.
 *   A missing key fails every matcher except `$absent`, `$not` and `$oneOf` alternatives that allow it.
 * - `${name}` in an expected string (also in a `$regex`, regex-escaped) is replaced with the value
 *   `options.captures.name` (strings as they are, other values as JSON); a string that is exactly
 *   `"${name}"` stands for the captured value itself, any type, compared by deep equality. An unknown
 *   name is a mismatch. `$${` is a literal `${`.
 * - Invalid expectations (unknown `$` key, matcher keys mixed with field keys, bad operands, bad
 *   `${…}`) are reported by `validateMatcher` and thrown by `match` as `MatcherError`.
 */
export { match, interpolate, type MatchOptions, type MatchResult } from './match.js';
export { validateMatcher, captureNames, MatcherError, MATCHER_KEYS, TYPE_NAMES, type MatcherProblem, type ValidateOptions, type MatcherKey, type TypeName } from './syntax.js';
export { renderMismatches, renderValue, childPath, type Mismatch, type RenderMismatchesOptions } from './render.js';
