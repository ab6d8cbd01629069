/** The simulated third party's public surface: definitions, the core, the adapters. */
export { loadDefinitionFile, parseDefinition } from './definition/loader.js';
export { DefinitionError, formatIssue, validateDefinition, type DefinitionIssue } from './definition/validate.js';
export type * from './definition/model.js';
export {
  createThirdParty,
  VerificationError,
  type CountSpec,
  type FaultHookInput,
  type FaultPlanner,
  type JournalEntry,
  type RequestPattern,
  type ThirdParty,
  type ThirdPartyOptions,
  type ThirdPartyRequest,
  type ThirdPartyResponse,
} from './engine/third-party.js';
export { createThirdPartyApp, startThirdPartyServer, type RunningThirdParty, type ThirdPartyServerOptions, type ThirdPartySource } from './app.js';
export { thirdPartyHandlers, type ThirdPartyHandlersOptions } from './msw.js';
