/**
 * Fault planning: which of a route's faults strike this call, decided up front and without any I/O, so
 * that the same seed and the same calls always give the same plan. The transports (`node-transport.ts`,
 * `fetch-transport.ts`) then carry the plan out on the wire.
 *
 * Rules:
 * - `probability` (default 1) is rolled per fault and call; 1 and above always strike, 0 and below never
 *   (neither consumes a random number).
 * - `when` (the definition model's) restricts a fault to one call number of the route (`'once'` = 1).
 * - `sequence` on an error fault is the route's call pattern for that fault: call n of the route uses
 *   `sequence[n]`, and after the end the last value repeats (`[true, true, false]`: fail twice, then
 *   succeed for good). When the sequence says `true`, the probability is still rolled.
 * - Several faults combine: latencies add up; the first error, timeout or reset wins (the others still
 *   roll, so one fault never shifts another's random numbers); the first `malformed` wins; of several
 *   `slowBody`s the slowest wins. A timeout or reset drops the call, so corruption and slow bodies are
 *   left out of such a plan (the delay stays: the connection breaks after the latency).
 * - Every route id has its own random stream derived from the seed, so the outcome of the n-th call to a
 *   route does not depend on how calls to other routes interleave with it (concurrent scenarios).
 */
import type { FaultDefinition } from './model.js';
import { seededRandom } from '../../mock-commerce/util/random.js';

/**
 * When a fault may strike, by the route's call number (1-based, counted per fault): `'always'`
 * (default), `'once'` (= `1`: the first call only), or one call number. The definition model
 * (`mock-third-party/definition/faults-model.ts`) declares it on every fault.
 */
export type FaultWhen = 'always' | 'once' | number;

/** A fault as planned: the contract's `FaultDefinition`, optionally with the definition model's `when`. */
export type FaultInput = FaultDefinition & { when?: FaultWhen };

export interface FaultPlanError {
  status: number;
  /** String or Buffer: sent as is; anything else is sent as JSON. */
  body: unknown;
  headers: Record<string, string>;
}

export interface FaultPlan {
  /** Milliseconds to wait before answering (or dropping). */
  delayMs: number;
  /** Answer with this instead of the service's response. */
  error?: FaultPlanError;
  /** `timeout`: never answer; `reset`: break the connection. */
  drop?: 'timeout' | 'reset';
  /** `truncate`: send half the body under the full Content-Length, then close; `garbage`: random bytes. */
  corrupt?: 'truncate' | 'garbage';
  /** Pace the body to this many bytes per second. */
  bytesPerSecond?: number;
}

export interface FaultContext {
  routeId: string;
  /** Clock of the call (ms); reserved for time-dependent faults, not used by today's fault types. */
  now: number;
}

/** Seeded random streams and per-route sequence positions. Create one per engine run. */
export interface FaultState {
  readonly seed: number;
  /** The route's random stream: uniform numbers in [0, 1). */
  random(routeId: string): number;
  /** Starts sequences over (all routes, or one route). */
  resetSequences(routeId?: string): void;
  /** @internal Position of a sequence fault on a route (calls seen so far), advanced by `planFault`. */
  nextSequenceIndex(routeId: string, faultKey: string): number;
}

/** The plan without faults. */
export const NO_FAULT: Readonly<FaultPlan> = Object.freeze({ delayMs: 0 });

/** Body of an error fault without `body`. */
export function defaultErrorBody(status: number): { error: string; status: number } {
  return { error: 'simulated fault', status };
}

export function createFaultState(seed: number): FaultState {
  if (!Number.isFinite(seed)) throw new Error(`createFaultState: seed must be a finite number, got ${String(seed)}`);
  const base = seedToUint32(seed);
  const streams = new Map<string, () => number>();
  const sequences = new Map<string, Map<string, number>>();
  return {
    seed,
    random(routeId) {
      let stream = streams.get(routeId);
      if (!stream) {
        stream = seededRandom(mix32(base ^ fnv1a(routeId)));
        streams.set(routeId, stream);
      }
      return stream();
    },
    resetSequences(routeId) {
      if (routeId === undefined) sequences.clear();
      else sequences.delete(routeId);
    },
    nextSequenceIndex(routeId, faultKey) {
      let perRoute = sequences.get(routeId);
      if (!perRoute) {
        perRoute = new Map();
        sequences.set(routeId, perRoute);
      }
      const index = perRoute.get(faultKey) ?? 0;
      perRoute.set(faultKey, index + 1);
      return index;
    },
  };
}

export function planFault(faults: readonly FaultInput[], state: FaultState, context: FaultContext): FaultPlan {
  const { routeId } = context;
  const random = (): number => state.random(routeId);
  const plan: FaultPlan = { delayMs: 0 };
  let outcomeDecided = false;
  for (const fault of faults) {
    const sequence = fault.type === 'error' && fault.sequence && fault.sequence.length > 0 ? fault.sequence : undefined;
    const when = fault.when ?? 'always';
    if (sequence || when !== 'always') {
      // The call count advances on every call of the route, whatever the probability or other faults say.
      const index = state.nextSequenceIndex(routeId, faultKey(fault));
      if (sequence && !sequenceValue(sequence, index)) continue;
      if (when !== 'always' && index + 1 !== (when === 'once' ? 1 : when)) continue;
    }
    if (!strikes(fault.probability, random)) continue;
    switch (fault.type) {
      case 'latency':
        plan.delayMs += sampleLatency(fault, random);
        break;
      case 'error':
        if (!outcomeDecided) {
          plan.error = {
            status: fault.status,
            body: fault.body === undefined ? defaultErrorBody(fault.status) : fault.body,
            headers: { ...(fault.headers ?? {}) },
          };
          outcomeDecided = true;
        }
        break;
      case 'timeout':
      case 'reset':
        if (!outcomeDecided) {
          plan.drop = fault.type;
          outcomeDecided = true;
        }
        break;
      case 'malformed':
        plan.corrupt ??= fault.mode;
        break;
      case 'slowBody':
        if (fault.bytesPerSecond > 0) {
          plan.bytesPerSecond = Math.min(plan.bytesPerSecond ?? Infinity, fault.bytesPerSecond);
        }
        break;
    }
  }
  if (plan.drop) {
    delete plan.corrupt;
    delete plan.bytesPerSecond;
  }
  return plan;
}

/** True when the plan changes nothing. */
export function isNoFault(plan: FaultPlan): boolean {
  return plan.delayMs <= 0 && !plan.error && !plan.drop && !plan.corrupt && plan.bytesPerSecond === undefined;
}

function sequenceValue(sequence: readonly boolean[], index: number): boolean {
  return sequence[Math.min(index, sequence.length - 1)] ?? false;
}

function strikes(probability: number | undefined, random: () => number): boolean {
  if (probability === undefined || probability >= 1) return true;
  if (!(probability > 0)) return false; // also NaN
  return random() < probability;
}

type LatencyFault = Extract<FaultInput, { type: 'latency' }>;

/** One latency sample in ms (never negative). */
export function sampleLatency(fault: LatencyFault, random: () => number): number {
  switch (fault.distribution) {
    case 'fixed':
      return Math.max(0, fault.ms);
    case 'uniform': {
      const lo = Math.max(0, Math.min(fault.minMs, fault.maxMs));
      const hi = Math.max(0, Math.max(fault.minMs, fault.maxMs));
      return lo + random() * (hi - lo);
    }
    case 'lognormal':
      return Math.max(0, fault.medianMs) * Math.exp(fault.sigma * standardNormal(random));
  }
}

/** Box–Muller: a standard normal sample from two uniforms. */
export function standardNormal(random: () => number): number {
  const u1 = 1 - random(); // (0, 1]: log(0) impossible
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

// --- sequence keys ---------------------------------------------------------------------------------

/** Fault objects registered by the switchboard: each enable starts its sequences afresh. */
const instanceTags = new WeakMap<object, number>();
let nextInstanceTag = 1;
const keyCache = new WeakMap<object, string>();

/**
 * Marks a fault object as a distinct instance: its sequence counts separately from structurally equal
 * faults. Used by the runtime switchboard so that enabling "fail twice" again fails twice again.
 */
export function tagFaultInstance<T extends FaultInput>(fault: T): T {
  instanceTags.set(fault, nextInstanceTag++);
  return fault;
}

/**
 * Sequence counters are keyed by the fault's content (plus its instance tag, if any), not by its position
 * or object identity: an engine that rebuilds or reorders its fault list per call keeps its sequences.
 */
function faultKey(fault: FaultInput): string {
  let key = keyCache.get(fault);
  if (key === undefined) {
    const tag = instanceTags.get(fault);
    key = stableStringify(fault) + (tag === undefined ? '' : `#${String(tag)}`);
    keyCache.set(fault, key);
  }
  return key;
}

function stableStringify(value: unknown, seen = new Set<unknown>()): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? String(value);
  }
  if (seen.has(value)) return '"[cycle]"';
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v, seen)).join(',')}]`;
    if (Buffer.isBuffer(value)) return JSON.stringify(`buffer:${value.toString('base64')}`);
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k], seen)}`);
    return `{${entries.join(',')}}`;
  } finally {
    seen.delete(value);
  }
}

// --- PRNG ----------------------------------------------------------------------------------------

function seedToUint32(seed: number): number {
  const whole = Math.trunc(seed);
  const lo = whole >>> 0;
  const hi = Math.floor(whole / 2 ** 32) >>> 0;
  // Fractional seeds differ from their integer part too.
  const frac = Math.round((seed - whole) * 2 ** 32) >>> 0;
  return mix32(lo ^ Math.imul(hi, 0x9e3779b9) ^ Math.imul(frac, 0x85ebca6b));
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finalizer. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

