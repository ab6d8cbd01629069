/**
 * The engine's default fault hook: what makes a definition's `faults` and `rateLimit` real when no
 * `planFault` option is given.
 *
 * - Faults: the route's runtime faults (switched on through `RuntimeFaults` / `POST /__sandbox/faults`),
 *   the global runtime faults (`'*'`), then the definition's top-level and route faults, planned by the
 *   fault module's `planFault` on a FaultState seeded with the definition's `seed` (one random stream per
 *   route id, so the n-th call of a route always gets the same plan).
 * - Rate limits: a token bucket (`createRateLimiter`) per scope, counting all clients together: a route
 *   with its own `rateLimit` has a bucket of its own; routes without one share the API-wide bucket of
 *   the top-level `rateLimit` (unmatched requests count against it too). A request without a token is
 *   refused before any fault is planned: an error plan of 429 with `Retry-After` and the limiter's
 *   headers. Answers that pass carry the limiter's headers (`X-Ratelimit-*`, `Ratelimit-*`), error
 *   faults included (their own headers win).
 *
 * `reset()` (the engine's) starts everything over: fault random streams and sequences, buckets, and the
 * runtime switches.
 */
import type { HttpResponse } from '../../mock-commerce/http/types.js';
import type { RateLimitDefinition } from '../definition/faults-model.js';
import {
  ALL_ROUTES,
  createFaultState,
  createFaultSwitchboard,
  createRateLimiter,
  errorResponse,
  isNoFault,
  rateLimitedResponse,
  type EnableOptions,
  type FaultInput,
  type FaultPlan,
  type FaultState,
  type FaultSwitch,
  type FaultSwitchboard,
  type RateLimiter,
} from '../faults/index.js';
import type { CompiledDefinition } from './compile.js';
import type { FaultHookInput } from './third-party.js';

/** Route id the fault layer uses for requests no route takes. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** A plan as the default hook makes it: the fault module's, plus headers for answers that pass. */
export type WireFaultPlan = FaultPlan & {
  /** Added to the service's answer (rate-limit headers). */
  headers?: Record<string, string>;
};

/** Runtime fault switches of a third party (`ThirdParty.runtimeFaults`, `/__sandbox/faults`). */
export interface RuntimeFaults {
  /** Route ids a switch may target (besides `'*'`). */
  readonly routes: readonly string[];
  /** Switches faults on for a route id or `'*'`, replacing what it had; throws on invalid faults or an unknown route. */
  enable(target: string, faults: FaultInput | readonly FaultInput[], options?: EnableOptions): void;
  /** Switches a target's faults off (all targets without one); true if something was on. */
  disable(target?: string): boolean;
  list(): FaultSwitch[];
}

export interface DefaultFaultHook {
  /** Undefined when nothing strikes and no limit applies (the answer goes out untouched). */
  plan(input: FaultHookInput): WireFaultPlan | undefined;
  reset(): void;
  readonly runtime: RuntimeFaults;
}

export function createDefaultFaultHook(compiled: CompiledDefinition): DefaultFaultHook {
  let state: FaultState = createFaultState(compiled.seed);
  const switchboard: FaultSwitchboard = createFaultSwitchboard();
  const ownLimits = new Map<string, RateLimitDefinition>();
  for (const route of compiled.routes) if (route.rateLimit) ownLimits.set(route.id, route.rateLimit);
  const limiters = new Map<string, RateLimiter>();
  const routes = compiled.routes.map((r) => r.id);
  const known = new Set(routes);

  /** The bucket scope and limiter for a call: the route's own limit, else the API-wide one. */
  const limiterFor = (routeId: string): { scope: string; limiter: RateLimiter } | undefined => {
    const own = ownLimits.get(routeId);
    const scope = own ? `route ${routeId}` : 'api';
    const def = own ?? compiled.rateLimit;
    if (!def) return undefined;
    let limiter = limiters.get(scope);
    if (!limiter) {
      limiter = createRateLimiter(def);
      limiters.set(scope, limiter);
    }
    return { scope, limiter };
  };

  return {
    plan(input) {
      const routeId = input.route ?? UNMATCHED_ROUTE;
      const limit = limiterFor(routeId);
      const taken = limit?.limiter.take(limit.scope, input.now);
      if (taken && !taken.allowed) {
        const refused = rateLimitedResponse(taken);
        return { delayMs: 0, error: { status: refused.status, headers: refused.headers, body: refused.body } };
      }
      const plan: WireFaultPlan = switchboard.plan(input.faults as FaultInput[], state, { routeId, now: input.now });
      if (taken) {
        if (plan.error) plan.error.headers = { ...taken.headers, ...plan.error.headers };
        else plan.headers = taken.headers;
      }
      return isNoFault(plan) && !plan.headers ? undefined : plan;
    },
    reset() {
      state = createFaultState(compiled.seed);
      limiters.clear();
      switchboard.disable();
    },
    runtime: {
      routes,
      enable(target, faults, options) {
        if (target !== ALL_ROUTES && !known.has(target)) {
          throw new Error(`no route "${target}" (routes: ${routes.join(', ')}; or "*" for all)`);
        }
        switchboard.enable(target, faults, options);
      },
      disable: (target) => switchboard.disable(target),
      list: () => switchboard.list(),
    },
  };
}

/** What the engine makes of a hook's result: a fault plan, or nothing it understands. */
export function asFaultPlan(fault: unknown): WireFaultPlan | undefined {
  if (typeof fault !== 'object' || fault === null) return undefined;
  const plan = fault as Partial<WireFaultPlan>;
  return typeof plan.delayMs === 'number' ? (plan as WireFaultPlan) : undefined;
}

/**
 * How a planned fault changes the engine's answer: an error or a dropped call never reaches the service
 * (no action, no sequence step); `response` is what `handle()` returns instead (the error fault's
 * answer; for a drop, a 504 stand-in the adapters never send).
 */
export function blockingAnswer(plan: WireFaultPlan | undefined): HttpResponse | undefined {
  if (!plan) return undefined;
  if (plan.error) return errorResponse(plan.error);
  if (plan.drop) {
    const body = JSON.stringify({ error: 'simulated_fault', fault: plan.drop, error_description: `no answer: the call was dropped (${plan.drop})` });
    return { status: 504, headers: { 'Content-Type': 'application/json' }, body };
  }
  return undefined;
}
