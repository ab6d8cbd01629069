/** The library's public surface. */
export { Commerce, ODATA_ROOT } from './mock-commerce/commerce.js';
export { createCommerceApp, startCommerceServer, type RunningServer } from './mock-commerce/app.js';
export { loadCommerce, type LoadOptions, type LoadReport, type LoadResult } from './mock-commerce/project.js';
export { CommerceConfig, type CommerceVersion } from './mock-commerce/config/profile.js';
export type { HttpRequest, HttpResponse } from './mock-commerce/http/types.js';
export { createThirdParty, createThirdPartyApp, loadDefinitionFile, parseDefinition, startThirdPartyServer, thirdPartyHandlers } from './mock-third-party/index.js';
export { builtInProfiles, reviewsProfile } from './mock-third-party/profiles/index.js';
export { commerceHandlers } from './mock-commerce/msw.js';
export { startSandbox, SandboxStartError, type Sandbox, type SandboxOptions, type ThirdPartySpec } from './scenarios/sandbox/start-sandbox.js';
export { runScenarioFile, runScenarios, findScenarioFiles, loadScenario, CATALOG_DIR } from './scenarios/engine/run-scenarios.js';
/** `runScenario(file, { flow? })`: loads one scenario file and runs it in a fresh sandbox. */
export { runScenarioFile as runScenario } from './scenarios/engine/run-scenarios.js';
export { parseScenario, loadScenarioFile, ScenarioFileError } from './scenarios/definition/loader.js';
export type { ScenarioDefinition } from './scenarios/definition/model.js';
export { referenceFlows } from './scenarios/flows/reference/index.js';
export { externalFlow, commandFlow } from './scenarios/flows/external.js';
export type { FlowUnderTest, RunningFlow, FlowRun, FlowContext } from './scenarios/flows/contract.js';
export { consoleReporter, jsonReport, junitReport, type RunSummary, type ScenarioResult } from './scenarios/report/index.js';
export { match, renderMismatches } from './scenarios/expect/index.js';
