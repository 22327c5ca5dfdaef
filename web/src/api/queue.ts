import { Code, ConnectError } from "@connectrpc/connect";
import type { Assignment } from "../gen/trespasser/frontend/v1/frontend_pb.js";
import { describeError } from "./errors.js";
import type { PlayerSession } from "./session.js";
import type { FrontendClient } from "./transport.js";

/** How a queue watch ended. */
export type QueueOutcome =
  | { kind: "assigned"; assignment: Assignment }
  /** CancelMatch: from this tab, or from another tab or device of the player. */
  | { kind: "cancelled" }
  /** The player is no longer queued here (timed out, not queued, watched elsewhere, signed out). */
  | { kind: "left"; message: string }
  /** stop() was called: the player may still be queued server-side. */
  | { kind: "stopped" };

export interface QueueListener {
  /** A QueueStatus arrived. */
  status(waitingSeconds: number, requeueCount: number): void;
  /** The stream failed; it is re-opened after delayMs. */
  reconnecting(delayMs: number, message: string): void;
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 15_000 };

/**
 * Watches the queue (WatchAssignment) until the assignment arrives or the player leaves the queue.
 * A stream that fails while the player is still queued (network, frontend restart, Redis hiccup)
 * is re-opened with exponential backoff; a message arriving resets the backoff.
 */
export class QueueWatch {
  readonly outcome: Promise<QueueOutcome>;
  private readonly abort = new AbortController();
  private cancelled = false;

  constructor(
    private readonly session: PlayerSession,
    private readonly client: FrontendClient,
    private readonly listener: QueueListener,
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
  ) {
    this.outcome = this.run();
  }

  /**
   * Leaves the queue (CancelMatch), then ends the watch. If CancelMatch fails the watch goes on
   * and the error is thrown: the player is still queued.
   */
  async cancel(): Promise<void> {
    await this.session.call((options) => this.client.cancelMatch({}, options));
    this.cancelled = true;
    this.abort.abort();
  }

  /** Ends the watch without leaving the queue (the page is going away, the player signed out). */
  stop(): void {
    this.abort.abort();
  }

  private async run(): Promise<QueueOutcome> {
    const signal = this.abort.signal;
    let failures = 0;
    while (!signal.aborted) {
      let failure: ConnectError;
      try {
        const options = await this.session.callOptions();
        for await (const response of this.client.watchAssignment({}, { ...options, signal })) {
          failures = 0;
          const update = response.update;
          if (update.case === "queued") {
            this.listener.status(Number(update.value.waitingSeconds), update.value.requeueCount);
          } else if (update.case === "assignment") {
            return { kind: "assigned", assignment: update.value };
          }
        }
        failure = new ConnectError("the queue stream ended without an assignment", Code.Unavailable);
      } catch (error) {
        if (signal.aborted) {
          break;
        }
        failure = ConnectError.from(error);
        const ended = this.ending(failure);
        if (ended) {
          return ended;
        }
        if (failure.code === Code.Unauthenticated) {
          try {
            await this.session.refresh();
          } catch {
            if (!this.session.signedIn) {
              return { kind: "left", message: "Your session has ended. Please log in again." };
            }
          }
        }
      }
      const delayMs = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** failures);
      failures++;
      this.listener.reconnecting(delayMs, describeError(failure));
      await sleep(delayMs, signal);
    }
    return this.cancelled ? { kind: "cancelled" } : { kind: "stopped" };
  }

  /** The stream errors that mean the player is not queued (here) any more. */
  private ending(failure: ConnectError): QueueOutcome | null {
    switch (failure.code) {
      case Code.Canceled:
        return { kind: "cancelled" };
      case Code.DeadlineExceeded:
        return { kind: "left", message: "No match was found in time. You have left the queue." };
      case Code.FailedPrecondition:
        return { kind: "left", message: "You are not in the queue any more." };
      case Code.Aborted:
        return { kind: "left", message: "Your queue is being watched in another tab or window." };
      default:
        return null;
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
