/**
 * Checks fault and rate-limit definitions that come from outside (definition files, the runtime control
 * API). Returns readable problems, empty when valid.
 */
import type { RateLimitDefinition } from './model.js';
import type { FaultInput } from './plan.js';

export function faultProblems(value: unknown, where = 'fault'): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${where}: must be an object`];
  const f = value as Record<string, unknown>;
  const problems: string[] = [];
  const num = (key: string, min: number, opts: { integer?: boolean; exclusiveMin?: boolean } = {}): void => {
    const v = f[key];
    const bad =
      typeof v !== 'number' || !Number.isFinite(v) || (opts.exclusiveMin ? v <= min : v < min) || (opts.integer && !Number.isInteger(v));
    if (bad) problems.push(`${where}.${key}: must be a ${opts.integer ? 'whole ' : ''}number ${opts.exclusiveMin ? '>' : '>='} ${String(min)}`);
  };
  if (f.probability !== undefined) {
    const p = f.probability;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) problems.push(`${where}.probability: must be a number in [0, 1]`);
  }
  if (f.when !== undefined && f.when !== 'always' && f.when !== 'once') {
    if (typeof f.when !== 'number' || !Number.isInteger(f.when) || f.when < 1) {
      problems.push(`${where}.when: must be 'always', 'once' or a call number >= 1`);
    }
  }
  switch (f.type) {
    case 'latency':
      if (f.distribution === 'fixed') num('ms', 0);
      else if (f.distribution === 'uniform') {
        num('minMs', 0);
        num('maxMs', 0);
        if (typeof f.minMs === 'number' && typeof f.maxMs === 'number' && f.minMs > f.maxMs) {
          problems.push(`${where}: minMs must not exceed maxMs`);
        }
      } else if (f.distribution === 'lognormal') {
        num('medianMs', 0);
        num('sigma', 0);
      } else problems.push(`${where}.distribution: must be fixed, uniform or lognormal`);
      break;
    case 'error':
      num('status', 100, { integer: true });
      if (typeof f.status === 'number' && f.status > 599) problems.push(`${where}.status: must be at most 599`);
      if (f.headers !== undefined) {
        const h = f.headers;
        if (typeof h !== 'object' || h === null || Array.isArray(h) || Object.values(h).some((v) => typeof v !== 'string')) {
          problems.push(`${where}.headers: must be an object of strings`);
        }
      }
      if (f.sequence !== undefined) {
        if (!Array.isArray(f.sequence) || f.sequence.length === 0 || f.sequence.some((v) => typeof v !== 'boolean')) {
          problems.push(`${where}.sequence: must be a non-empty array of booleans`);
        }
      }
      break;
    case 'timeout':
    case 'reset':
      break;
    case 'malformed':
      if (f.mode !== 'truncate' && f.mode !== 'garbage') problems.push(`${where}.mode: must be truncate or garbage`);
      break;
    case 'slowBody':
      num('bytesPerSecond', 0, { exclusiveMin: true });
      break;
    default:
      problems.push(`${where}.type: must be latency, error, timeout, reset, malformed or slowBody`);
  }
  return problems;
}

export function faultsProblems(value: unknown, where = 'faults'): string[] {
  if (!Array.isArray(value)) return [`${where}: must be an array`];
  return value.flatMap((f, i) => faultProblems(f, `${where}[${String(i)}]`));
}

export function isFaultDefinition(value: unknown): value is FaultInput {
  return faultProblems(value).length === 0;
}

export function rateLimitProblems(value: unknown, where = 'rateLimit'): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${where}: must be an object`];
  const r = value as Partial<Record<keyof RateLimitDefinition, unknown>>;
  const problems: string[] = [];
  if (typeof r.requestsPerMinute !== 'number' || !Number.isFinite(r.requestsPerMinute) || r.requestsPerMinute <= 0) {
    problems.push(`${where}.requestsPerMinute: must be a number > 0`);
  }
  if (r.burst !== undefined && (typeof r.burst !== 'number' || !Number.isFinite(r.burst) || r.burst < 1)) {
    problems.push(`${where}.burst: must be a number >= 1`);
  }
  if (
    r.retryAfterSeconds !== undefined &&
    (typeof r.retryAfterSeconds !== 'number' || !Number.isInteger(r.retryAfterSeconds) || r.retryAfterSeconds < 0)
  ) {
    problems.push(`${where}.retryAfterSeconds: must be a whole number >= 0`);
  }
  return problems;
}
