/**
 * Message processing logs (MPL): one per message a sender endpoint receives or per timer run, with
 * its steps, timings, error and attachments — what a user inspects after a run (spec §6). The shape is
 * the scenario contract's `FlowRun`.
 *
 * All times come from the flow's clock (`FlowContext.now`, the sandbox clock), durations included, so
 * a run on a fixed clock logs the same numbers every time.
 */
import type { FlowRun, FlowStep } from '../flows/contract.js';

/** What a step can add to its log line while it runs. */
export interface StepHandle {
  /** One line saying what the step did, e.g. `POST http://…/oauth/token → 200`. */
  detail?: string;
}

/** The logs of one deployed flow, oldest first. */
export class ProcessingLog {
  private readonly all: FlowRun[] = [];
  private sequence = 0;

  constructor(
    readonly flow: string,
    private readonly now: () => number,
  ) {}

  /** Starts the log of a new message (status PROCESSING). */
  begin(): MessageRun {
    this.sequence += 1;
    const run: FlowRun = {
      id: `${this.flow}-${String(this.sequence).padStart(6, '0')}`,
      flow: this.flow,
      status: 'PROCESSING',
      startedAt: this.now(),
      steps: [],
      attachments: [],
    };
    this.all.push(run);
    return new MessageRun(run, this.now);
  }

  /** Copies of every log so far (a running one shows PROCESSING). */
  runs(): FlowRun[] {
    return this.all.map((run) => structuredClone(run));
  }
}

/** The log of one message while it is processed. */
export class MessageRun {
  constructor(
    private readonly run: FlowRun,
    private readonly now: () => number,
  ) {}

  get id(): string {
    return this.run.id;
  }

  /**
   * Runs one step and logs it: COMPLETED with its detail, or FAILED (the error is rethrown so the
   * flow stops, as an unhandled exception stops an SCPI flow).
   */
  async step<T>(name: string, action: (step: StepHandle) => T | Promise<T>): Promise<T> {
    const handle: StepHandle = {};
    const startedAt = this.now();
    const log = (status: FlowStep['status'], detail: string | undefined): void => {
      this.run.steps.push({ name, status, startedAt, durationMs: Math.max(0, this.now() - startedAt), ...(detail !== undefined ? { detail } : {}) });
    };
    try {
      const result = await action(handle);
      log('COMPLETED', handle.detail);
      return result;
    } catch (e) {
      log('FAILED', handle.detail ?? errorText(e));
      throw e;
    }
  }

  attach(name: string, contentType: string, body: string): void {
    this.run.attachments.push({ name, contentType, body });
  }

  complete(): FlowRun {
    return this.end('COMPLETED');
  }

  fail(error: unknown): FlowRun {
    this.run.error = errorText(error);
    return this.end('FAILED');
  }

  private end(status: FlowRun['status']): FlowRun {
    this.run.status = status;
    this.run.endedAt = this.now();
    return structuredClone(this.run);
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
