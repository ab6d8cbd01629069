/**
 * Runtime fault control: faults switched on and off while the simulator runs (a control API, a scenario
 * step, a test), for one route id or for all routes (`'*'`), on top of the faults the definition declares.
 *
 *   const board = createFaultSwitchboard();
 *   board.enable('orders.create', [{ type: 'error', status: 503, sequence: [true, true, false] }]);
 *   const plan = board.plan(route.faults ?? [], state, { routeId: 'orders.create', now });
 *
 * Merge order (it matters because the first error/timeout/reset wins): the route's runtime faults, then
 * the global runtime faults, then the definition's. Runtime switches are the operator's explicit intent,
 * so they take precedence; latencies add up regardless. `exclusive` switches the definition's faults off
 * for the target (`enable('*', [], { exclusive: true })`: a clean run whatever the definition says).
 *
 * `enable` replaces what the target had (idempotent, like a PUT); each enable starts its error sequences
 * afresh, so enabling "fail twice, then succeed" again fails twice again.
 */
import { planFault, tagFaultInstance, type FaultContext, type FaultInput, type FaultPlan, type FaultState } from './plan.js';
import { faultsProblems } from './validate.js';

/** A route id, or `'*'` for every route. */
export type FaultTarget = string;
export const ALL_ROUTES = '*';

export interface FaultSwitch {
  target: FaultTarget;
  faults: FaultInput[];
  /** The definition's faults are ignored on the target's routes. */
  exclusive: boolean;
}

export interface EnableOptions {
  exclusive?: boolean;
}

export interface FaultSwitchboard {
  /** Switches faults on for a route id or `'*'`, replacing what that target had. Throws on invalid faults. */
  enable(target: FaultTarget, faults: FaultInput | readonly FaultInput[], options?: EnableOptions): void;
  /** Switches a target's runtime faults off; without a target, all of them. True if something was on. */
  disable(target?: FaultTarget): boolean;
  /** What is switched on (copies). */
  list(): FaultSwitch[];
  /** The faults that apply to a call of `routeId`, in merge order. */
  faultsFor(routeId: string, definitionFaults?: readonly FaultInput[]): FaultInput[];
  /** `planFault` over `faultsFor(context.routeId, definitionFaults)`. */
  plan(definitionFaults: readonly FaultInput[] | undefined, state: FaultState, context: FaultContext): FaultPlan;
}

export function createFaultSwitchboard(): FaultSwitchboard {
  const switches = new Map<FaultTarget, { faults: FaultInput[]; exclusive: boolean }>();

  const faultsFor = (routeId: string, definitionFaults: readonly FaultInput[] = []): FaultInput[] => {
    const own = routeId === ALL_ROUTES ? undefined : switches.get(routeId);
    const global = switches.get(ALL_ROUTES);
    const exclusive = (own?.exclusive ?? false) || (global?.exclusive ?? false);
    return [...(own?.faults ?? []), ...(global?.faults ?? []), ...(exclusive ? [] : definitionFaults)];
  };

  return {
    enable(target, faults, options = {}) {
      if (typeof target !== 'string' || target === '') throw new Error('FaultSwitchboard.enable: target must be a route id or "*"');
      const list: readonly FaultInput[] = Array.isArray(faults) ? faults : [faults as FaultInput];
      const problems = faultsProblems(list);
      if (problems.length > 0) throw new Error(`FaultSwitchboard.enable(${target}): ${problems.join('; ')}`);
      // Private tagged copies: later changes to the caller's objects do not leak in, and sequences restart.
      switches.set(target, { faults: list.map((f) => tagFaultInstance(structuredClone(f))), exclusive: options.exclusive ?? false });
    },
    disable(target) {
      if (target === undefined) {
        const had = switches.size > 0;
        switches.clear();
        return had;
      }
      return switches.delete(target);
    },
    list() {
      return [...switches].map(([target, s]) => ({ target, faults: structuredClone(s.faults), exclusive: s.exclusive }));
    },
    faultsFor,
    plan(definitionFaults, state, context) {
      return planFault(faultsFor(context.routeId, definitionFaults), state, context);
    },
  };
}
