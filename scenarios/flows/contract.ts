/**
 * The flow under test, behind one contract: a reference flow on the simulated SCPI runtime, an
 * external flow at a URL, or a command the runner starts. The scenario engine only sees this.
 */

/** Where the simulated systems of one sandbox are reached. */
export interface SandboxEndpoints {
  /** Base URL of the simulated Commerce, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  commerceUrl: string;
  /** Base URL of each simulated third party, by name (e.g. `reviews`). */
  thirdParties: Record<string, string>;
}

export interface FlowContext {
  endpoints: SandboxEndpoints;
  /** Externalized parameters (`{{Name}}`), already defaulted by the flow where it has defaults. */
  parameters: Record<string, string>;
  /** Credentials the flow uses to call Commerce (the SCPI credential `commerce-credentials`). */
  commerceCredentials: { username: string; password: string };
  /** Now, in epoch ms (the sandbox clock; flows stamp logs and compute dates with it). */
  now: () => number;
}

/** Message processing log statuses (SCPI). */
export type FlowRunStatus = 'COMPLETED' | 'PROCESSING' | 'RETRY' | 'ESCALATED' | 'FAILED' | 'CANCELLED' | 'DISCARDED' | 'ABANDONED';

export interface FlowStep {
  name: string;
  status: 'COMPLETED' | 'FAILED';
  /** Epoch ms (sandbox clock). */
  startedAt: number;
  durationMs: number;
  /** What the step did, in a line (e.g. `POST http://…/oauth/token → 200`). */
  detail?: string;
}

/** A message processing log: one per message (sender call) or timer run. */
export interface FlowRun {
  id: string;
  flow: string;
  status: FlowRunStatus;
  startedAt: number;
  endedAt?: number;
  steps: FlowStep[];
  /** Why it failed. */
  error?: string;
  attachments: { name: string; contentType: string; body: string }[];
}

export interface RunningFlow {
  /** For Commerce-triggered flows: the URL Commerce's ConsumedDestination points at (an entity set). */
  inboundUrl?: string;
  /** The CSRF fetch URL for the destination's `csrfURL` (the service root), when the endpoint wants one. */
  csrfUrl?: string;
  /** Basic credentials the flow's sender endpoint accepts. */
  inboundCredentials?: { username: string; password: string };
  /** For timer flows: run now; resolves with the finished run's log. */
  trigger?(): Promise<FlowRun>;
  /** Every message processing log so far, oldest first. */
  runs(): FlowRun[];
  close(): Promise<void>;
}

export interface FlowUnderTest {
  /** Short name for reports, e.g. `reference:send-orders`. */
  readonly name: string;
  start(context: FlowContext): Promise<RunningFlow>;
}
