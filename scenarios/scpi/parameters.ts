/**
 * Externalized parameters: `{{Name}}` in a flow's configuration, replaced by the configured value when
 * the flow is deployed (spec §6). The value goes in literally — no escaping, no trimming — so a value
 * with `&` in an XML template is the flow designer's problem, as on SCPI.
 */

const PLACEHOLDER = /\{\{([^{}]+)\}\}/g;

export class MissingParameterError extends Error {
  constructor(readonly names: string[]) {
    super(`externalized parameter${names.length > 1 ? 's' : ''} without a value: ${names.join(', ')}`);
    this.name = 'MissingParameterError';
  }
}

/**
 * `text` with every `{{Name}}` replaced by `parameters[Name]`.
 * @throws MissingParameterError naming every placeholder without a value (SCPI refuses to deploy then).
 */
export function substituteParameters(text: string, parameters: Readonly<Record<string, string>>): string {
  const missing = parameterNames(text).filter((name) => !Object.prototype.hasOwnProperty.call(parameters, name));
  if (missing.length > 0) throw new MissingParameterError(missing);
  return text.replace(PLACEHOLDER, (_m, name: string) => parameters[name]!);
}

/** The distinct parameter names `text` refers to, in order of first use. */
export function parameterNames(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * The parameters a flow deploys with: its defaults, overridden by what the caller configured.
 * @throws MissingParameterError when a `required` name ends up without a value.
 */
export function resolveParameters(
  defaults: Readonly<Record<string, string>>,
  configured: Readonly<Record<string, string>>,
  required: readonly string[] = [],
): Record<string, string> {
  const out = { ...defaults, ...configured };
  const missing = required.filter((name) => out[name] === undefined);
  if (missing.length > 0) throw new MissingParameterError(missing);
  return out;
}
