/** Fault injection and rate limiting for simulated third-party APIs. */
export type { FaultDefinition, RateLimitDefinition } from './model.js';
export {
  createFaultState,
  defaultErrorBody,
  isNoFault,
  NO_FAULT,
  planFault,
  sampleLatency,
  standardNormal,
  type FaultContext,
  type FaultInput,
  type FaultWhen,
  type FaultPlan,
  type FaultPlanError,
  type FaultState,
} from './plan.js';
export { createRateLimiter, rateLimitedResponse, type RateLimiter, type RateLimitResult } from './rate-limit.js';
export { ALL_ROUTES, createFaultSwitchboard, type EnableOptions, type FaultSwitch, type FaultSwitchboard, type FaultTarget } from './runtime.js';
export { errorResponse, garbageBytes, plannedResponse, type RandomSource } from './body.js';
export {
  heldConnections,
  trackFaultConnections,
  writeWithFault,
  type FaultOutcome,
  type WriteWithFaultOptions,
} from './node-transport.js';
export { responseWithFault, type ResponseWithFaultOptions } from './fetch-transport.js';
export { faultProblems, faultsProblems, isFaultDefinition, rateLimitProblems } from './validate.js';
