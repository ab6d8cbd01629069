/**
 * The timer start event, "run once": SCPI fires it once after deployment; the sandbox fires it on
 * `trigger()` (re-running a real run-once flow means redeploying it, spec §4.1).
 *
 * Runs never overlap. A trigger while a run is in progress waits for that run to end and then starts
 * its own (queued, not skipped), so every `trigger()` resolves with the log of the run it caused.
 * (Scheduled timers on SCPI skip a tick that finds a run in progress; a sandbox "trigger now" is a
 * request for a run, so it is queued instead.) A run that fails resolves with its FAILED log; the
 * promise only rejects for errors of the runtime itself.
 */
import type { FlowRun } from '../flows/contract.js';
import { Message } from './message.js';
import type { MessageRun, ProcessingLog } from './processing-log.js';

export class TimerStart {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly log: ProcessingLog,
    /** The flow, started with an empty message. */
    private readonly process: (message: Message, run: MessageRun) => Promise<void>,
  ) {}

  trigger(): Promise<FlowRun> {
    const next = this.queue.then(() => this.runOnce());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves once no run is in progress or queued (the deployed flow is being stopped). */
  async settled(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.queue;
      await seen;
    } while (seen !== this.queue);
  }

  private async runOnce(): Promise<FlowRun> {
    const run = this.log.begin();
    try {
      await this.process(new Message(), run);
      return run.complete();
    } catch (e) {
      return run.fail(e);
    }
  }
}
