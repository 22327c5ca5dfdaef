import type { GameMode, GetProfileResponse } from "../gen/trespasser/frontend/v1/frontend_pb.js";
import { describeError, describePasswordChangeError } from "../api/errors.js";
import type { QueueOptions } from "../api/queue-options.js";
import type { KeyValueStore } from "../api/session.js";
import { busy, h, tid } from "./dom.js";
import type { Flow, MainScreen, MainView, ProfileScreen, ProfileView, QueueScreen, Screens } from "./flow.js";
import { modeLabel } from "./modes.js";
import { PASSWORD_RULES, passwordChangeProblem } from "./password.js";

const PREFS_KEY = "trespasser.prefs";

/** The part of the Flow the screens' buttons call. */
export type Actions = Pick<
  Flow,
  | "login"
  | "register"
  | "loginGuest"
  | "logout"
  | "logoutEverywhere"
  | "findMatch"
  | "cancelQueue"
  | "rejoin"
  | "showProfile"
  | "back"
  | "retryQueueOptions"
  | "showChangePassword"
  | "changePassword"
>;

/**
 * The waiting time shown while queued: the last QueueStatus plus the seconds counted locally
 * since it arrived, so the clock ticks between the server's updates.
 */
export class WaitClock {
  private seconds = 0;
  private since: number;

  constructor(now: number) {
    this.since = now;
  }

  update(waitingSeconds: number, now: number): void {
    this.seconds = waitingSeconds;
    this.since = now;
  }

  secondsAt(now: number): number {
    return this.seconds + Math.max(0, Math.floor((now - this.since) / 1000));
  }
}

export function formatWait(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

/** The screens drawn into one root element; each replaces the last. */
export class DomScreens implements Screens {
  private actions: Actions | null = null;
  private teardown: (() => void) | null = null;
  /** The last queue choices shown, for the queue screen's label of its mode. */
  private lastOptions: QueueOptions | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly prefs: KeyValueStore,
  ) {}

  attach(actions: Actions): void {
    this.actions = actions;
  }

  signedOut(notice: string | null): void {
    const username = h("input", { ...tid("username"), name: "username", autocomplete: "username", required: true, maxlength: "20", spellcheck: "false" });
    const password = h("input", { ...tid("password"), name: "password", type: "password", autocomplete: "current-password", required: true, maxlength: "128" });
    const alert = h("p", { ...tid("auth-error"), class: "alert", role: "alert", hidden: true });
    const login = h("button", { ...tid("login"), type: "submit", value: "login" }, "Log in");
    const register = h("button", { ...tid("register"), type: "submit", value: "register", class: "secondary" }, "Register");
    const form = h(
      "form",
      { class: "panel", novalidate: true, "aria-labelledby": "login-title" },
      h("h2", { id: "login-title" }, "Sign in"),
      h("label", { for: "username" }, "Username"),
      username,
      h("label", { for: "password" }, "Password"),
      password,
      h("p", { class: "hint" }, "New here? Register: 3–20 letters, digits, _ or -; a password of 8+ characters."),
      h("div", { class: "row" }, login, register),
      alert,
    );
    const guest = h("button", { ...tid("guest"), type: "button", class: "secondary" }, "Play as guest");
    const screen = h(
      "section",
      { ...tid("screen-login"), class: "screen" },
      title(),
      notice ? h("p", { ...tid("notice"), class: "notice", role: "status" }, notice) : null,
      form,
      h("div", { class: "panel" }, guest),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const submitter = (event as SubmitEvent).submitter;
      const name = username.value.trim();
      void busy(screen, alert, () =>
        submitter === register ? this.act().register(name, password.value) : this.act().login(name, password.value),
      describeError);
    });
    guest.addEventListener("click", () => void busy(screen, alert, () => this.act().loginGuest(), describeError));
    this.show(screen, username);
  }

  main(view: MainView): MainScreen {
    const saved = this.loadPrefs();
    // Empty and disabled until the server's choices arrive (GetQueueOptions).
    const mode = h("select", { ...tid("mode"), name: "mode", disabled: true });
    const region = h("select", { ...tid("region"), name: "region", disabled: true });
    const alert = h("p", { ...tid("main-error"), class: "alert", role: "alert", hidden: true });
    const find = h("button", { ...tid("find-match"), type: "submit", disabled: true }, "Find match");
    const loading = h("p", { ...tid("queue-options-loading"), class: "hint", role: "status" }, "Loading the queues…");
    const optionsError = h("p", { ...tid("queue-options-error"), class: "alert", role: "alert", hidden: true });
    const retry = h("button", { ...tid("queue-options-retry"), type: "button", class: "secondary", hidden: true }, "Retry");
    const form = h(
      "form",
      { class: "panel", "aria-label": "Find a match" },
      h("div", { class: "row" }, field("Mode", "mode", mode), field("Region", "region", region)),
      loading,
      optionsError,
      retry,
      find,
      alert,
    );
    const rejoin = view.rejoin ? h("button", { ...tid("rejoin"), type: "button" }, "Rejoin match") : null;
    const profile = h("button", { ...tid("profile"), type: "button", class: "secondary" }, "Profile");
    const logout = h("button", { ...tid("logout"), type: "button", class: "secondary" }, "Log out");
    const screen = h(
      "section",
      { ...tid("screen-main"), class: "screen" },
      title(),
      h("p", { class: "player" }, "Playing as ", h("strong", tid("player-name"), view.username)),
      view.notice ? h("p", { ...tid("notice"), class: "notice", role: "status" }, view.notice) : null,
      rejoin ? h("div", { class: "panel" }, rejoin) : null,
      form,
      h("div", { class: "row" }, profile, logout),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (find.disabled || mode.options.length === 0 || region.options.length === 0) {
        return;
      }
      const chosen = { mode: Number(mode.value) as GameMode, region: region.value };
      this.savePrefs(chosen);
      void busy(screen, alert, () => this.act().findMatch(chosen.mode, chosen.region), describeError);
    });
    retry.addEventListener("click", () => {
      retry.disabled = true;
      optionsError.hidden = true;
      loading.hidden = false;
      void this.act()
        .retryQueueOptions()
        .finally(() => (retry.disabled = false));
    });
    rejoin?.addEventListener("click", () => this.act().rejoin());
    profile.addEventListener("click", () => void this.act().showProfile());
    logout.addEventListener("click", () => void busy(screen, alert, () => this.act().logout(), describeError));
    this.show(screen, rejoin);
    return {
      queueOptions: (options: QueueOptions) => {
        this.lastOptions = options;
        // What the player picked on this screen, else what they picked last time, if still offered.
        const wantedMode = mode.options.length > 0 ? Number(mode.value) : saved.mode;
        const wantedRegion = region.options.length > 0 ? region.value : saved.region;
        mode.replaceChildren(
          ...options.modes.map((choice) =>
            h("option", { value: String(choice.mode), title: `${choice.teamSize} per team` }, choice.label),
          ),
        );
        region.replaceChildren(...options.regions.map((name) => h("option", { value: name }, name.toUpperCase())));
        if (options.modes.some((choice) => choice.mode === wantedMode)) {
          mode.value = String(wantedMode);
        }
        if (wantedRegion !== null && options.regions.includes(wantedRegion)) {
          region.value = wantedRegion;
        }
        loading.hidden = true;
        optionsError.hidden = true;
        retry.hidden = true;
        // A running action re-enables its controls itself when it ends.
        if (!screen.hasAttribute("aria-busy")) {
          for (const control of [mode, region, find]) {
            control.disabled = false;
          }
        }
        if (document.activeElement === null || document.activeElement === document.body) {
          find.focus();
        }
      },
      queueOptionsFailed: (message: string) => {
        loading.hidden = true;
        optionsError.textContent = `Could not load the queues to choose from. ${message}`;
        optionsError.hidden = false;
        retry.hidden = false;
      },
    };
  }

  queue(mode: GameMode, region: string): QueueScreen {
    const clock = new WaitClock(Date.now());
    const wait = h("span", { ...tid("queue-wait"), "data-seconds": "0" }, formatWait(0));
    const state = h("span", tid("queue-state"), "Searching");
    const requeues = h("span", { ...tid("queue-requeues"), hidden: true });
    const reconnecting = h("p", { ...tid("queue-reconnecting"), class: "notice", role: "status", hidden: true });
    const alert = h("p", { ...tid("queue-error"), class: "alert", role: "alert", hidden: true });
    const cancel = h("button", { ...tid("cancel"), type: "button" }, "Cancel");
    const screen = h(
      "section",
      { ...tid("screen-queue"), class: "screen" },
      title(),
      h(
        "div",
        { class: "panel" },
        h("p", { class: "queue-mode" }, `${this.labelOf(mode)} · ${region.toUpperCase()}`),
        h("p", { ...tid("queue-status"), class: "queue-status", role: "status" }, state, " ", wait, " ", requeues),
        reconnecting,
        cancel,
        alert,
      ),
    );
    const tick = (): void => {
      const seconds = clock.secondsAt(Date.now());
      wait.textContent = formatWait(seconds);
      wait.dataset.seconds = String(seconds);
    };
    const ticker = setInterval(tick, 1000);
    cancel.addEventListener("click", () => void busy(screen, alert, () => this.act().cancelQueue(), describeError));
    this.show(screen, cancel, () => clearInterval(ticker));
    return {
      status(waitingSeconds, requeueCount) {
        clock.update(waitingSeconds, Date.now());
        tick();
        state.textContent = "Searching";
        reconnecting.hidden = true;
        requeues.hidden = requeueCount === 0;
        requeues.textContent = requeueCount > 0 ? `(requeued ${requeueCount}×)` : "";
      },
      reconnecting(delayMs, message) {
        state.textContent = "Reconnecting";
        reconnecting.hidden = false;
        reconnecting.textContent = `${message} Retrying in ${Math.ceil(delayMs / 1000)} s.`;
      },
    };
  }

  match(): HTMLElement {
    const root = h("section", { ...tid("screen-match"), class: "match" });
    this.show(root, null);
    return root;
  }

  profile(view: ProfileView): ProfileScreen {
    const body = h("div", { ...tid("profile-body"), class: "panel", "aria-busy": "true" }, "Loading…");
    const alert = h("p", { ...tid("profile-error"), class: "alert", role: "alert", hidden: true });
    const back = h("button", { ...tid("back"), type: "button" }, "Back");
    const change = view.canChangePassword
      ? h("button", { ...tid("change-password"), type: "button", class: "secondary" }, "Change password")
      : null;
    const everywhere = h("button", { ...tid("logout-everywhere"), type: "button", class: "secondary" }, "Log out everywhere");
    const screen = h(
      "section",
      { ...tid("screen-profile"), class: "screen" },
      title(),
      body,
      alert,
      h("div", { class: "row" }, back, change, everywhere),
    );
    back.addEventListener("click", () => this.act().back());
    change?.addEventListener("click", () => this.act().showChangePassword());
    everywhere.addEventListener("click", () => void busy(screen, alert, () => this.act().logoutEverywhere(), describeError));
    this.show(screen, back);
    return {
      show(profile: GetProfileResponse) {
        body.removeAttribute("aria-busy");
        const ratio = profile.deaths > 0n ? (Number(profile.kills) / Number(profile.deaths)).toFixed(2) : String(profile.kills);
        body.replaceChildren(
          h("h2", tid("profile-name"), profile.username),
          h(
            "dl",
            { class: "stats" },
            ...stat("Rating", "profile-rating", Math.round(profile.rating).toString()),
            ...stat("Matches", "profile-matches", profile.matchesPlayed.toString()),
            ...stat("Wins", "profile-wins", profile.wins.toString()),
            ...stat("Losses", "profile-losses", profile.losses.toString()),
            ...stat("Draws", "profile-draws", profile.draws.toString()),
            ...stat("Kills", "profile-kills", profile.kills.toString()),
            ...stat("Deaths", "profile-deaths", profile.deaths.toString()),
            ...stat("K/D", "profile-kd", ratio),
          ),
        );
      },
      failed(message: string) {
        body.removeAttribute("aria-busy");
        body.textContent = "";
        alert.textContent = message;
        alert.hidden = false;
      },
    };
  }

  changePassword(): void {
    const current = password("password-current", "current-password", "current-password");
    const next = password("password-new", "new-password", "new-password");
    const repeated = password("password-repeat", "repeat-password", "new-password");
    const alert = h("p", { ...tid("password-error"), class: "alert", role: "alert", hidden: true });
    const submit = h("button", { ...tid("password-submit"), type: "submit" }, "Change password");
    const done = h("p", { ...tid("password-done"), class: "notice", role: "status", hidden: true });
    const back = h("button", { ...tid("back"), type: "button", class: "secondary" }, "Back");
    const form = h(
      "form",
      { class: "panel", novalidate: true, "aria-labelledby": "password-title" },
      h("h2", { id: "password-title" }, "Change password"),
      h("label", { for: "password-current" }, "Current password"),
      current,
      h("label", { for: "password-new" }, "New password"),
      next,
      h("label", { for: "password-repeat" }, "New password again"),
      repeated,
      h(
        "p",
        { ...tid("password-rules"), class: "hint" },
        `${PASSWORD_RULES} Changing it signs you out on every other device; you stay signed in here.`,
      ),
      submit,
      alert,
    );
    const screen = h("section", { ...tid("screen-password"), class: "screen" }, title(), form, done, h("div", { class: "row" }, back));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const problem = passwordChangeProblem(current.value, next.value, repeated.value);
      if (problem) {
        alert.textContent = problem;
        alert.hidden = false;
        return;
      }
      void busy(
        screen,
        alert,
        async () => {
          await this.act().changePassword(current.value, next.value);
          // Nothing of the passwords stays in the page.
          for (const input of [current, next, repeated]) {
            input.value = "";
          }
          form.hidden = true;
          done.textContent =
            "Password changed. You are still signed in here; every other device has been signed out and needs the new password to log in again.";
          done.hidden = false;
        },
        describePasswordChangeError,
      );
    });
    back.addEventListener("click", () => void this.act().showProfile());
    this.show(screen, current);
  }

  private labelOf(mode: GameMode): string {
    return this.lastOptions?.modes.find((choice) => choice.mode === mode)?.label ?? modeLabel(mode);
  }

  private act(): Actions {
    if (!this.actions) {
      throw new Error("screens are not attached to a flow");
    }
    return this.actions;
  }

  private show(screen: HTMLElement, focus: HTMLElement | null, teardown?: () => void): void {
    this.teardown?.();
    this.teardown = teardown ?? null;
    this.root.replaceChildren(screen);
    focus?.focus();
  }

  private loadPrefs(): { mode: GameMode | null; region: string | null } {
    try {
      const parsed = JSON.parse(this.prefs.getItem(PREFS_KEY) ?? "{}") as { mode?: unknown; region?: unknown };
      return {
        mode: typeof parsed.mode === "number" ? (parsed.mode as GameMode) : null,
        region: typeof parsed.region === "string" ? parsed.region : null,
      };
    } catch {
      return { mode: null, region: null };
    }
  }

  private savePrefs(prefs: { mode: GameMode; region: string }): void {
    try {
      this.prefs.setItem(PREFS_KEY, JSON.stringify(prefs));
    } catch {
      // Only a convenience.
    }
  }
}

function title(): HTMLElement {
  return h("h1", { class: "title" }, "TRESPASSER");
}

function field(label: string, id: string, control: HTMLElement): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}

function password(id: string, name: string, autocomplete: string): HTMLInputElement {
  return h("input", { ...tid(id), name, type: "password", autocomplete, required: true, maxlength: "128" });
}

function stat(label: string, id: string, value: string): HTMLElement[] {
  return [h("dt", {}, label), h("dd", tid(id), value)];
}
