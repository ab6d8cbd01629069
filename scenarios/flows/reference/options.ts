/**
 * Options every reference flow takes (a scenario file's `flow.options`, so they arrive untyped and are
 * checked here).
 */

export interface ReferenceFlowOptions {
  /** The sample with its quirks fixed (what changes is documented per flow); default false: quirks kept. */
  fixed?: boolean;
  /** Basic credentials the sender endpoint accepts (Commerce-triggered flows); default {@link DEFAULT_INBOUND_CREDENTIALS}. */
  inboundCredentials?: { username: string; password: string };
  /** Receiver timeout in ms (HTTP and OData receivers); default 60 000, the adapters' default. */
  timeoutMs?: number;
  /** Sender endpoint CSRF protection; default true. */
  csrf?: boolean;
  /** Interface the sender endpoint listens on; default 127.0.0.1. */
  host?: string;
}

export const DEFAULT_INBOUND_CREDENTIALS = Object.freeze({ username: 'commerce', password: 'sandbox' });

const CHECKS: Record<keyof ReferenceFlowOptions, (value: unknown) => boolean> = {
  fixed: (v) => typeof v === 'boolean',
  inboundCredentials: (v) => {
    const c = v as { username?: unknown; password?: unknown } | null;
    return typeof c === 'object' && c !== null && typeof c.username === 'string' && c.username !== '' && typeof c.password === 'string';
  },
  timeoutMs: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0,
  csrf: (v) => typeof v === 'boolean',
  host: (v) => typeof v === 'string' && v !== '',
};

const EXPECTED: Record<keyof ReferenceFlowOptions, string> = {
  fixed: 'a boolean',
  inboundCredentials: 'an object { username, password } of strings',
  timeoutMs: 'a positive number of milliseconds',
  csrf: 'a boolean',
  host: 'a host name or address',
};

/** @throws TypeError naming the flow and the option for an unknown option or a value of the wrong type. */
export function checkOptions(flow: string, options: unknown): ReferenceFlowOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${flow}: options must be an object`);
  for (const [key, value] of Object.entries(options)) {
    const check = CHECKS[key as keyof ReferenceFlowOptions] as ((value: unknown) => boolean) | undefined;
    if (!check) throw new TypeError(`${flow}: unknown option '${key}' (allowed: ${Object.keys(CHECKS).join(', ')})`);
    if (value !== undefined && !check(value)) throw new TypeError(`${flow}: option ${key} must be ${EXPECTED[key as keyof ReferenceFlowOptions]}`);
  }
  return options as ReferenceFlowOptions;
}
