/**
 * A scenario file (YAML), as the loader hands it to the runner. The format is documented with examples
 * in `scenarios/README.md`; `schema.ts` is its JSON Schema.
 */
import type { CommerceVersion } from '../../mock-commerce/config/profile.js';

export interface ScenarioDefinition {
  name: string;
  description?: string;
  tags?: string[];
  sandbox: SandboxSection;
  flow: FlowSection;
  /** Whole-scenario limit; default 10 s. */
  timeout?: string | number;
  steps: Step[];
  /** Checked after the last step. */
  expect?: Expectations;
}

export interface SandboxSection {
  /** `demo` (built-in, default) or a folder relative to the scenario file. */
  project?: string;
  commerceVersion?: CommerceVersion;
  seed?: number;
  /** Fixed start of the sandbox clock (ISO 8601); default 2026-01-05T09:00:00Z. */
  time?: string;
  properties?: Record<string, string>;
  thirdParties?: ThirdPartyEntry[];
  /** ImpEx files (relative to the scenario file) imported after the flow is wired, then `impexText`. */
  impex?: string[];
  /** ImpEx with placeholders: `${flow.url}`, `${flow.csrfUrl}`, `${flow.username}`, `${flow.password}`, `${thirdParty.<name>.url}`, `${commerce.url}`. */
  impexText?: string;
}

export type ThirdPartyEntry = { profile: string; name?: string; options?: Record<string, unknown> } | { file: string; name?: string };

export interface FlowSection {
  /** A reference flow by name (send-orders, send-product-ratings, pass-through, transform, basic-auth). */
  reference?: string;
  options?: Record<string, unknown>;
  /** A flow already running at a URL. */
  external?: ExternalFlowSpec;
  /** A flow the runner starts as a process. */
  command?: CommandFlowSpec;
  /** Externalized parameters; `${thirdParty.<name>.url}` and `${commerce.url}` are substituted. */
  parameters?: Record<string, string>;
  /** The user the flow calls Commerce as; default integrationuser / sandbox (the demo's). */
  commerceCredentials?: { username: string; password: string };
  /** Commerce-triggered: an outbound channel (autoGenerate) from this IO to a destination at the flow. */
  outbound?: { integrationObject: string; channel?: string };
}

export interface ExternalFlowSpec {
  /** The entity-set URL Commerce posts to. */
  url?: string;
  csrfUrl?: string;
  username?: string;
  password?: string;
  /** POSTed by a `trigger` step (a timer flow's "run now"). */
  triggerUrl?: string;
}

export interface CommandFlowSpec {
  /** Shell command; runs with the sandbox URLs and a free `FLOW_PORT` in its environment. */
  run: string;
  /** The entity-set URL Commerce posts to; `${port}` is FLOW_PORT. */
  url?: string;
  csrfUrl?: string;
  username?: string;
  password?: string;
  triggerUrl?: string;
  /** Polled until it answers (any status) before the steps start; default `url`. */
  readyUrl?: string;
}

export interface ODataCall {
  /** Integration object (service), e.g. `OrderCapture`. */
  service: string;
  /** Resource path under the service, e.g. `Orders` or `OrderEntries('0|E2E-1')`. */
  path: string;
  body?: unknown;
  /** Default: 201 for create, 200 for update and delete. */
  status?: number;
}

export type Step =
  | ({ name?: string } & { create: ODataCall })
  | ({ name?: string } & { update: ODataCall })
  | ({ name?: string } & { delete: ODataCall })
  | ({ name?: string } & { runCronJob: string })
  | ({ name?: string } & { advanceClock: string | number })
  | ({ name?: string } & { trigger: true | { expectStatus?: string } })
  | ({ name?: string } & { fault: { thirdParty: string; set?: unknown; clear?: boolean } })
  | ({ name?: string } & { waitUntil: Expectations; timeout?: string | number })
  | ({ name?: string } & { expect: Expectations });

export interface CommerceRead {
  /** Path under `/odata2webservices/`, e.g. `ThirdPartyInboundProduct/Products('…')`. */
  get: string;
  /** Default: the flow's Commerce credentials. */
  as?: { username: string; password: string };
  status?: number;
  /** Matched against the JSON answer. */
  body?: unknown;
}

export interface Expectations {
  /** Per third party: its request journal (array of {method, path, query, headers, body, status}). */
  thirdParty?: Record<string, { requests?: unknown; count?: number }>;
  commerce?: CommerceRead[];
  /** `OutboundRequest` records, oldest first: {status, integrationKey, type, destination, error}. */
  outboundRequests?: unknown;
  /** `InboundRequest` records, oldest first: {status, integrationKey, type, httpMethod, errorCode}. */
  inboundRequests?: unknown;
  /** `OutboundSyncRetry` records: {integrationKey?, syncAttempts, remainingSyncAttempts, reachedMaxRetries}. */
  outboundSyncRetries?: unknown;
  /** The flow's message processing logs, oldest first. */
  flowRuns?: unknown;
  /** The last cron job run of a `runCronJob` step. */
  cronJob?: unknown;
}
