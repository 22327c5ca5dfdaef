import type { GameMode, GetProfileResponse, Assignment } from "../gen/trespasser/frontend/v1/frontend_pb.js";
import type { LeaveReason, MatchHandle, StartMatch } from "../match/contract.js";
import type { AssignmentStore } from "../api/assignment-store.js";
import { describeError } from "../api/errors.js";
import { QueueWatch, type Backoff, type QueueOutcome } from "../api/queue.js";
import { QueueOptionsSource, type QueueOptions } from "../api/queue-options.js";
import type { QueueMemory } from "../api/queue-memory.js";
import type { PlayerSession, SignOutReason } from "../api/session.js";
import type { FrontendClient } from "../api/transport.js";

/** What the main screen shows. */
export interface MainView {
  username: string;
  /** A sentence about what just happened (match over, queue timed out), or nothing. */
  notice: string | null;
  /** The stored assignment of a match this tab was in: offer to rejoin it. */
  rejoin: Assignment | null;
}

/** The main screen's queue choices, which come from the server (GetQueueOptions). */
export interface MainScreen {
  /** The choices to offer; may come again (newer options), keeping what the player picked if offered. */
  queueOptions(options: QueueOptions): void;
  /** Asking for them failed: say why and offer to retry (Flow.retryQueueOptions). */
  queueOptionsFailed(message: string): void;
}

export interface ProfileView {
  /** Registered players have a password to change; guests do not. */
  canChangePassword: boolean;
}

export interface QueueScreen {
  status(waitingSeconds: number, requeueCount: number): void;
  reconnecting(delayMs: number, message: string): void;
}

export interface ProfileScreen {
  show(profile: GetProfileResponse): void;
  failed(message: string): void;
}

/**
 * The screens the flow moves between; the DOM implementation is in screens.ts, tests record. Each
 * call replaces what is shown. Actions (buttons) call back into the Flow; a failing action's error
 * is thrown to the screen, which shows it in place and keeps what the player typed.
 */
export interface Screens {
  signedOut(notice: string | null): void;
  /** The queue choices are filled in through the returned screen, as they arrive. */
  main(view: MainView): MainScreen;
  queue(mode: GameMode, region: string): QueueScreen;
  /** Empties the page for the match view and returns the element it draws into. */
  match(): HTMLElement;
  profile(view: ProfileView): ProfileScreen;
  /** The change-password form; it calls Flow.changePassword and shows the outcome itself. */
  changePassword(): void;
}

export interface FlowDeps {
  session: PlayerSession;
  client: FrontendClient;
  screens: Screens;
  startMatch: StartMatch;
  assignments: AssignmentStore;
  /** Remembers the queue this tab is in, so a reload goes on watching it. */
  queueMemory?: QueueMemory;
  backoff?: Backoff;
  /** Where the main screen's choices come from; by default GetQueueOptions through `client`. */
  queueOptions?: QueueOptionsSource;
}

function leaveNotice(reason: LeaveReason, detail: string | undefined): string | null {
  switch (reason) {
    case "finished":
      return "Match over. Ready for another?";
    case "quit":
      return null;
    case "refused":
      return detail ? `The match server turned the seat down: ${detail}` : "The match server turned the seat down.";
    case "lost":
      return detail ? `The connection to the match was lost: ${detail}` : "The connection to the match was lost.";
  }
}

const SIGN_OUT_NOTICES: Record<SignOutReason, string | null> = {
  logout: null,
  expired: "Your session has ended. Please log in again.",
  "other-tab": "You logged out in another tab.",
};

/** The app's state machine: signed out → main → queue → match → main, and the profile. */
export class Flow {
  private watch: QueueWatch | null = null;
  private matchHandle: MatchHandle | null = null;
  private inMatch = false;
  private readonly queueOptions: QueueOptionsSource;
  private mainScreen: MainScreen | null = null;

  constructor(private readonly deps: FlowDeps) {
    this.queueOptions = deps.queueOptions ?? new QueueOptionsSource(deps.client);
    deps.session.onSignOut((reason) => {
      this.mainScreen = null;
      deps.queueMemory?.clear();
      this.watch?.stop();
      this.watch = null;
      // A match in progress carries on (its join token is not the session's); the shell follows
      // when the player leaves it.
      if (!this.inMatch) {
        deps.screens.signedOut(SIGN_OUT_NOTICES[reason]);
      }
    });
  }

  /** First screen: the stored session continued, or the login screen. */
  async start(): Promise<void> {
    // Public, so asked at once: the choices are usually there when the main screen is.
    this.queueOptions.load().catch(() => undefined);
    try {
      if (await this.deps.session.resume()) {
        const playerId = this.deps.session.playerId ?? "";
        const queued = this.deps.queueMemory?.load(playerId);
        if (queued && !this.deps.assignments.load(playerId)) {
          this.watchQueue(queued.mode, queued.region);
        } else {
          this.showMain(null);
        }
        return;
      }
      this.deps.screens.signedOut(null);
    } catch (error) {
      this.deps.screens.signedOut(`Could not restore your session: ${describeError(error)} Reload the page to try again.`);
    }
  }

  async login(username: string, password: string): Promise<void> {
    await this.deps.session.login(username, password);
    this.showMain(null);
  }

  async register(username: string, password: string): Promise<void> {
    await this.deps.session.register(username, password);
    this.showMain(null);
  }

  async loginGuest(): Promise<void> {
    await this.deps.session.loginGuest();
    this.showMain(null);
  }

  async logout(): Promise<void> {
    await this.deps.session.logout();
  }

  async logoutEverywhere(): Promise<void> {
    await this.deps.session.logoutEverywhere();
  }

  /** Queues (FindMatch) and watches for the assignment. Refused: thrown, the main screen says why. */
  async findMatch(mode: GameMode, region: string): Promise<void> {
    const { session, client } = this.deps;
    await session.call((options) => client.findMatch({ mode, region }, options));
    // A new queue makes any remembered match stale.
    this.deps.assignments.clear();
    this.deps.queueMemory?.save(session.playerId ?? "", mode, region);
    this.watchQueue(mode, region);
  }

  /** Leaves the queue; on failure thrown (still queued, still watching). */
  async cancelQueue(): Promise<void> {
    await this.watch?.cancel();
  }

  rejoin(): void {
    const playerId = this.deps.session.playerId;
    const assignment = playerId ? this.deps.assignments.load(playerId) : null;
    if (assignment) {
      this.enterMatch(assignment);
    } else {
      this.showMain("That match is no longer available.");
    }
  }

  /** Asks for the queue choices again (after a failure) and fills the main screen with them. */
  retryQueueOptions(): Promise<void> {
    return this.mainScreen ? this.fillQueueOptions(this.mainScreen) : Promise.resolve();
  }

  async showProfile(): Promise<void> {
    this.mainScreen = null;
    const screen = this.deps.screens.profile({ canChangePassword: !this.deps.session.guest });
    try {
      screen.show(await this.deps.session.call((options) => this.deps.client.getProfile({}, options)));
    } catch (error) {
      screen.failed(describeError(error));
    }
  }

  back(): void {
    this.showMain(null);
  }

  showChangePassword(): void {
    this.mainScreen = null;
    this.deps.screens.changePassword();
  }

  /**
   * Changes the password; the refusal is thrown for the screen to show. This tab stays signed in
   * with the session the server answers; every other session of the player has ended.
   */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.deps.session.changePassword(currentPassword, newPassword);
  }

  private watchQueue(mode: GameMode, region: string): void {
    this.mainScreen = null;
    this.watch?.stop();
    const screen = this.deps.screens.queue(mode, region);
    const watch = new QueueWatch(this.deps.session, this.deps.client, screen, this.deps.backoff);
    this.watch = watch;
    void watch.outcome.then((outcome) => {
      if (this.watch === watch) {
        this.watch = null;
        this.queueEnded(outcome);
      }
    });
  }

  private queueEnded(outcome: QueueOutcome): void {
    if (outcome.kind !== "stopped") {
      this.deps.queueMemory?.clear();
    }
    switch (outcome.kind) {
      case "assigned":
        this.enterMatch(outcome.assignment);
        return;
      case "cancelled":
        this.showMain(null);
        return;
      case "left":
        if (this.deps.session.signedIn) {
          this.showMain(outcome.message);
        }
        return;
      case "stopped":
        return;
    }
  }

  private enterMatch(assignment: Assignment): void {
    const { session, assignments, screens } = this.deps;
    if (session.playerId) {
      assignments.save(session.playerId, assignment);
    }
    this.inMatch = true;
    this.mainScreen = null;
    const root = screens.match();
    let left = false;
    try {
      const handle = this.deps.startMatch(root, assignment, {
        onLeave: (reason, detail) => {
          if (left) {
            return;
          }
          left = true;
          this.leaveMatch(reason, detail);
        },
      });
      if (left) {
        // onLeave came before startMatch returned.
        stopQuietly(handle);
      } else {
        this.matchHandle = handle;
      }
    } catch (error) {
      // The stored assignment stays: "Rejoin match" tries again.
      this.inMatch = false;
      this.matchHandle = null;
      this.showMain(`The match view failed to start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private leaveMatch(reason: LeaveReason, detail: string | undefined): void {
    this.inMatch = false;
    this.deps.assignments.clear();
    if (this.matchHandle) {
      stopQuietly(this.matchHandle);
      this.matchHandle = null;
    }
    if (!this.deps.session.signedIn) {
      this.deps.screens.signedOut(SIGN_OUT_NOTICES.expired);
      return;
    }
    this.showMain(leaveNotice(reason, detail));
  }

  private showMain(notice: string | null): void {
    const { session, assignments, screens } = this.deps;
    const playerId = session.playerId;
    const screen = screens.main({
      username: session.username ?? "",
      notice,
      rejoin: playerId ? assignments.load(playerId) : null,
    });
    this.mainScreen = screen;
    void this.fillQueueOptions(screen);
  }

  /**
   * Fills the main screen's choices: at once from options still fresh; otherwise the last ones
   * (if any) while the server is asked again. A failure is shown only when there is nothing to
   * offer; older options stay offered (FindMatch's refusal names the regions it accepts).
   */
  private async fillQueueOptions(screen: MainScreen): Promise<void> {
    const source = this.queueOptions;
    const last = source.last;
    if (last) {
      screen.queueOptions(last);
      if (source.fresh) {
        return;
      }
    }
    try {
      const options = await source.load();
      if (this.mainScreen === screen) {
        screen.queueOptions(options);
      }
    } catch (error) {
      if (this.mainScreen === screen && !last) {
        screen.queueOptionsFailed(describeError(error));
      }
    }
  }
}

function stopQuietly(handle: MatchHandle): void {
  try {
    handle.stop();
  } catch {
    // The view is gone either way: the next screen replaces the page.
  }
}
