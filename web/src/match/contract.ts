// The seam between the app shell (accounts, queue, profile) and the match view. The shell calls
// startMatch with the assignment WatchAssignment delivered; the match view owns the screen until it
// calls onLeave, and the shell then shows the queue again.
import type { Assignment } from "../gen/trespasser/frontend/v1/frontend_pb.js";

export type LeaveReason =
  /** The match ended: scoreboard shown, restart vote done or declined, server said goodbye. */
  | "finished"
  /** The server refused or closed the seat for good (ErrorNotice, close code 40xx). */
  | "refused"
  /** The player chose to leave. */
  | "quit"
  /** The connection could not be restored with the same token. */
  | "lost";

export interface MatchCallbacks {
  onLeave(reason: LeaveReason, detail?: string): void;
}

export interface MatchHandle {
  /** Closes the connection and removes the match view from the page. */
  stop(): void;
}

export type StartMatch = (root: HTMLElement, assignment: Assignment, callbacks: MatchCallbacks) => MatchHandle;
