// @vitest-environment happy-dom
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AssignmentStore } from "../../src/api/assignment-store.js";
import { PlayerSession } from "../../src/api/session.js";
import { Flow } from "../../src/ui/flow.js";
import { passwordChangeProblem } from "../../src/ui/password.js";
import { DomScreens, formatWait, WaitClock } from "../../src/ui/screens.js";
import type { StartMatch } from "../../src/match/contract.js";
import { anAssignment, FakeFrontend, MemoryStore } from "../api/fake-frontend.js";

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!element) {
    throw new Error(`no element with data-testid=${id}; page: ${document.body.innerHTML.slice(0, 500)}`);
  }
  return element;
}

describe("DomScreens", () => {
  let server: FakeFrontend;
  let root: HTMLElement;
  let started: string[];
  let local: MemoryStore;

  async function settle(): Promise<void> {
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(0);
  }

  /** A fresh page on the current server: the DOM, a session and a flow, started. */
  async function start(): Promise<void> {
    document.body.innerHTML = '<main id="app"></main>';
    root = document.getElementById("app") as HTMLElement;
    server.calls.splice(0);
    const startMatch: StartMatch = (matchRoot, assignment) => {
      started.push(`${matchRoot.dataset.testid} ${assignment.matchId}`);
      return { stop: () => undefined };
    };
    const client = server.client();
    const screens = new DomScreens(root, local);
    const flow = new Flow({
      session: new PlayerSession(client, local),
      client,
      screens,
      startMatch,
      assignments: new AssignmentStore(new MemoryStore()),
    });
    screens.attach(flow);
    await flow.start();
  }

  beforeEach(async () => {
    vi.useFakeTimers({ now: new Date("2026-12-02T12:00:00Z") });
    server = new FakeFrontend();
    started = [];
    local = new MemoryStore();
    await start();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("shows a bad login's error and keeps what was typed", async () => {
    const username = byId<HTMLInputElement>("username");
    const password = byId<HTMLInputElement>("password");
    expect(document.activeElement).toBe(username);
    username.value = "alice";
    password.value = "not-the-password";

    byId<HTMLButtonElement>("login").click();
    await settle();

    expect(byId("auth-error").hidden).toBe(false);
    expect(byId("auth-error").textContent).toBe("Wrong username or password.");
    expect(byId<HTMLInputElement>("username").value).toBe("alice");
    expect(byId<HTMLInputElement>("password").value).toBe("not-the-password");
    expect(byId<HTMLButtonElement>("login").disabled).toBe(false);
    expect(byId("screen-login").getAttribute("aria-busy")).toBeNull();
  });

  it("registers with the register button and shows a validation message", async () => {
    byId<HTMLInputElement>("username").value = "ab";
    byId<HTMLInputElement>("password").value = "long enough";
    byId<HTMLButtonElement>("register").click();
    await settle();
    expect(byId("auth-error").textContent).toBe("Username must be 3 to 20 characters long, got 2.");

    byId<HTMLInputElement>("username").value = "alice";
    byId<HTMLButtonElement>("register").click();
    await settle();

    expect(byId("player-name").textContent).toBe("alice");
    expect(server.calls.filter((call) => call !== "GetQueueOptions")).toEqual(["Register", "Register"]);
  });

  it("offers exactly the modes and regions the server lists, and queues with them", async () => {
    server.queueOptions.regions = ["ap-south", "eu-west"];
    server.queueOptions.modes = server.queueOptions.modes.filter((choice) => choice.label !== "2v2");
    await start();
    byId<HTMLButtonElement>("guest").click();
    await settle();

    const modes = [...byId<HTMLSelectElement>("mode").options].map((option) => [option.value, option.textContent, option.title]);
    expect(modes).toEqual([
      ["1", "4v4", "4 per team"],
      ["3", "1v1", "1 per team"],
    ]);
    const regions = [...byId<HTMLSelectElement>("region").options].map((option) => [option.value, option.textContent]);
    expect(regions).toEqual([
      ["ap-south", "AP-SOUTH"],
      ["eu-west", "EU-WEST"],
    ]);
    expect(byId("queue-options-loading").hidden).toBe(true);
    expect(byId<HTMLButtonElement>("find-match").disabled).toBe(false);
    expect(document.activeElement).toBe(byId("find-match"));
    expect(byId("player-name").textContent).toMatch(/^Guest/);

    byId<HTMLSelectElement>("mode").value = "3";
    byId<HTMLSelectElement>("region").value = "eu-west";
    byId<HTMLButtonElement>("find-match").click();
    await settle();

    expect(server.findMatchRequests[0]).toMatchObject({ mode: 3, region: "eu-west" });
    expect(byId("screen-queue").textContent).toContain("1v1 · EU-WEST");
  });

  it("a remembered choice the server no longer offers falls back to its first", async () => {
    local.setItem("trespasser.prefs", JSON.stringify({ mode: 2, region: "us" }));
    server.queueOptions.regions = ["sa-east", "eu"];
    server.queueOptions.modes = server.queueOptions.modes.filter((choice) => choice.label !== "2v2");
    await start();
    byId<HTMLButtonElement>("guest").click();
    await settle();

    expect(byId<HTMLSelectElement>("mode").value).toBe("1");
    expect(byId<HTMLSelectElement>("region").value).toBe("sa-east");
  });

  it("cannot queue until the choices arrive; says why they did not, and Retry fills them", async () => {
    server.queueOptionsFailure = new ConnectError("Redis is unavailable; retry shortly", Code.Unavailable);
    await start();
    byId<HTMLButtonElement>("guest").click();
    await settle();

    expect(byId("queue-options-error").hidden).toBe(false);
    expect(byId("queue-options-error").textContent).toBe(
      "Could not load the queues to choose from. The server is busy (Redis is unavailable; retry shortly). Try again shortly.",
    );
    expect(byId("queue-options-loading").hidden).toBe(true);
    expect(byId<HTMLButtonElement>("find-match").disabled).toBe(true);
    expect(byId<HTMLSelectElement>("region").options).toHaveLength(0);
    byId<HTMLButtonElement>("find-match").click();
    await settle();
    expect(server.findMatchRequests).toHaveLength(0);

    // Still failing: the retry says so again.
    byId<HTMLButtonElement>("queue-options-retry").click();
    expect(byId("queue-options-loading").hidden).toBe(false);
    await settle();
    expect(byId("queue-options-error").hidden).toBe(false);
    expect(byId<HTMLButtonElement>("queue-options-retry").disabled).toBe(false);

    server.queueOptionsFailure = null;
    byId<HTMLButtonElement>("queue-options-retry").click();
    await settle();

    expect(byId("queue-options-error").hidden).toBe(true);
    expect(byId("queue-options-retry").hidden).toBe(true);
    expect([...byId<HTMLSelectElement>("region").options].map((option) => option.value)).toEqual(["eu", "us"]);
    expect(byId<HTMLButtonElement>("find-match").disabled).toBe(false);
    expect(server.calls.filter((call) => call === "GetQueueOptions")).toHaveLength(4);
  });

  it("an answer with nothing usable in it is a failure, not an empty list", async () => {
    server.queueOptions.regions = ["EU West", ""];
    await start();
    byId<HTMLButtonElement>("guest").click();
    await settle();

    expect(byId("queue-options-error").hidden).toBe(false);
    expect(byId<HTMLButtonElement>("find-match").disabled).toBe(true);
  });

  it("queues, ticks the waiting time locally between updates, and cancels", async () => {
    byId<HTMLButtonElement>("guest").click();
    await settle();
    byId<HTMLSelectElement>("mode").value = "3";
    byId<HTMLSelectElement>("region").value = "us";
    byId<HTMLButtonElement>("find-match").click();
    await settle();

    expect(server.findMatchRequests[0]).toMatchObject({ mode: 3, region: "us" });
    const stream = await server.nextStream(0);
    stream.queued(10);
    await settle();
    expect(byId("queue-wait").textContent).toBe("0:10");
    await vi.advanceTimersByTimeAsync(3_000);
    expect(byId("queue-wait").textContent).toBe("0:13");
    expect(byId("queue-wait").dataset.seconds).toBe("13");
    stream.queued(72, 1);
    await settle();
    expect(byId("queue-wait").textContent).toBe("1:12");
    expect(byId("queue-requeues").textContent).toBe("(requeued 1×)");

    byId<HTMLButtonElement>("cancel").click();
    await settle();

    expect(server.calls).toContain("CancelMatch");
    expect(byId("screen-main")).toBeTruthy();
    // The choice is remembered for the next visit.
    expect(byId<HTMLSelectElement>("mode").value).toBe("3");
    expect(byId<HTMLSelectElement>("region").value).toBe("us");
  });

  it("shows a reconnecting notice while the stream is re-opened", async () => {
    byId<HTMLButtonElement>("guest").click();
    await settle();
    byId<HTMLButtonElement>("find-match").click();
    await settle();
    (await server.nextStream(0)).fail(14 /* Code.Unavailable */, "frontend shutting down; you are still queued, watch again");
    await settle();

    expect(byId("queue-reconnecting").hidden).toBe(false);
    expect(byId("queue-reconnecting").textContent).toContain("Retrying in 1 s.");
    expect(byId("queue-state").textContent).toBe("Reconnecting");
  });

  it("hands the page to the match view on assignment", async () => {
    byId<HTMLButtonElement>("guest").click();
    await settle();
    byId<HTMLButtonElement>("find-match").click();
    await settle();
    (await server.nextStream(0)).assign(anAssignment("m-3"));
    await settle();

    expect(started).toEqual(["screen-match m-3"]);
    expect(root.children).toHaveLength(1);
    expect(byId("screen-match")).toBeTruthy();
  });

  it("shows the profile and goes back", async () => {
    byId<HTMLButtonElement>("guest").click();
    await settle();
    byId<HTMLButtonElement>("profile").click();
    await settle();

    expect(byId("profile-rating").textContent).toBe("1512");
    expect(byId("profile-kd").textContent).toBe("2.50");
    byId<HTMLButtonElement>("back").click();
    expect(byId("screen-main")).toBeTruthy();
  });

  it("logs out to the login screen", async () => {
    byId<HTMLButtonElement>("guest").click();
    await settle();
    byId<HTMLButtonElement>("logout").click();
    await settle();

    expect(byId("screen-login")).toBeTruthy();
    expect(server.calls).toContain("Logout");
  });

  /** Registers alice and opens the change-password screen from the profile. */
  async function openChangePassword(): Promise<void> {
    byId<HTMLInputElement>("username").value = "alice";
    byId<HTMLInputElement>("password").value = "correct horse";
    byId<HTMLButtonElement>("register").click();
    await settle();
    byId<HTMLButtonElement>("profile").click();
    await settle();
    byId<HTMLButtonElement>("change-password").click();
    expect(byId("screen-password")).toBeTruthy();
    expect(document.activeElement).toBe(byId("password-current"));
  }

  function fill(current: string, next: string, repeated = next): void {
    byId<HTMLInputElement>("password-current").value = current;
    byId<HTMLInputElement>("password-new").value = next;
    byId<HTMLInputElement>("password-repeat").value = repeated;
  }

  it("changes the password: a confirmation, this tab signed in, the other sessions ended", async () => {
    await openChangePassword();
    const before = JSON.parse(local.getItem("trespasser.session") ?? "{}") as { refreshToken: string };
    expect(byId("password-rules").textContent).toContain("8 to 128 characters");
    expect(byId<HTMLInputElement>("password-current").autocomplete).toBe("current-password");
    expect(byId<HTMLInputElement>("password-new").autocomplete).toBe("new-password");

    fill("correct horse", "battery staple");
    byId<HTMLButtonElement>("password-submit").click();
    await settle();

    expect(byId("password-done").hidden).toBe(false);
    expect(byId("password-done").textContent).toBe(
      "Password changed. You are still signed in here; every other device has been signed out and needs the new password to log in again.",
    );
    expect(byId("password-error").hidden).toBe(true);
    expect(byId<HTMLInputElement>("password-new").value).toBe("");
    expect(byId<HTMLInputElement>("password-current").value).toBe("");
    expect(server.refreshTokenWorks(before.refreshToken)).toBe(false);

    // Still signed in: back to the profile, which loads with the new session.
    byId<HTMLButtonElement>("back").click();
    await settle();
    expect(byId("profile-name").textContent).toBe("alice");
    expect(server.calls.filter((call) => call === "ChangePassword")).toHaveLength(1);
  });

  it("says the current password is wrong, without refreshing and resending", async () => {
    await openChangePassword();
    fill("not my password", "battery staple");
    byId<HTMLButtonElement>("password-submit").click();
    await settle();

    expect(byId("password-error").hidden).toBe(false);
    expect(byId("password-error").textContent).toBe("The current password is wrong.");
    expect(server.calls.filter((call) => call === "ChangePassword")).toHaveLength(1);
    expect(server.calls).not.toContain("Refresh");
    // What was typed stays, to correct it.
    expect(byId<HTMLInputElement>("password-new").value).toBe("battery staple");
    expect(byId<HTMLButtonElement>("password-submit").disabled).toBe(false);
    expect(byId("screen-password").getAttribute("aria-busy")).toBeNull();
  });

  it("says when the account is locked after too many wrong passwords, and for how long", async () => {
    await openChangePassword();
    for (let i = 0; i < 5; i++) {
      fill(`wrong guess ${i}`, "battery staple");
      byId<HTMLButtonElement>("password-submit").click();
      await settle();
    }

    expect(byId("password-error").textContent).toBe(
      "Too many wrong passwords for this account. Try again in 30 s (logging in to it waits as long).",
    );
    expect(server.calls.filter((call) => call === "ChangePassword")).toHaveLength(5);
  });

  it("checks the new password against the server's rules before sending it", async () => {
    await openChangePassword();
    const cases: [string, string, string, string][] = [
      ["", "battery staple", "battery staple", "Enter your current password."],
      ["correct horse", "short", "short", "The new password must be 8 to 128 characters long."],
      ["correct horse", "x".repeat(129), "x".repeat(129), "The new password must be 8 to 128 characters long."],
      ["correct horse", "tab\there ok", "tab\there ok", "The new password must not contain control characters."],
      ["correct horse", "battery staple", "battery stapel", "The two new passwords do not match."],
      ["correct horse", "correct horse", "correct horse", "The new password is the same as the current one."],
    ];
    for (const [current, next, repeated, message] of cases) {
      fill(current, next, repeated);
      byId<HTMLButtonElement>("password-submit").click();
      await settle();
      expect(byId("password-error").textContent).toBe(message);
    }
    expect(server.calls).not.toContain("ChangePassword");
  });

  it("offers no password change to a guest", async () => {
    byId<HTMLButtonElement>("guest").click();
    await settle();
    byId<HTMLButtonElement>("profile").click();
    await settle();

    expect(document.querySelector('[data-testid="change-password"]')).toBeNull();
    expect(byId("logout-everywhere")).toBeTruthy();
  });
});

describe("passwordChangeProblem", () => {
  it("counts as the server does: 8 code points at least, 128 UTF-16 units at most", () => {
    // Seven emoji are 14 UTF-16 units but 7 characters: too short for the server.
    expect(passwordChangeProblem("old password", "😀".repeat(7), "😀".repeat(7))).toMatch(/8 to 128/);
    expect(passwordChangeProblem("old password", "😀".repeat(8), "😀".repeat(8))).toBeNull();
    // 65 emoji are 130 UTF-16 units: too long for the server.
    expect(passwordChangeProblem("old password", "😀".repeat(65), "😀".repeat(65))).toMatch(/8 to 128/);
    expect(passwordChangeProblem("old password", "a".repeat(128), "a".repeat(128))).toBeNull();
    expect(passwordChangeProblem("old password", "del\u007f char", "del\u007f char")).toMatch(/control/);
    expect(passwordChangeProblem("old password", "c1\u0085 char", "c1\u0085 char")).toMatch(/control/);
    expect(passwordChangeProblem("old password", "ünïcödé pass", "ünïcödé pass")).toBeNull();
  });
});

describe("WaitClock", () => {
  it("counts whole seconds since the last status", () => {
    const clock = new WaitClock(1_000);
    expect(clock.secondsAt(1_999)).toBe(0);
    clock.update(20, 5_000);
    expect(clock.secondsAt(5_000)).toBe(20);
    expect(clock.secondsAt(7_500)).toBe(22);
    // A clock that stepped back never counts down.
    expect(clock.secondsAt(0)).toBe(20);
  });

  it("formats minutes and seconds", () => {
    expect(formatWait(0)).toBe("0:00");
    expect(formatWait(65)).toBe("1:05");
    expect(formatWait(3_600)).toBe("60:00");
  });
});
