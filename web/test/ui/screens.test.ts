// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AssignmentStore } from "../../src/api/assignment-store.js";
import { PlayerSession } from "../../src/api/session.js";
import { Flow } from "../../src/ui/flow.js";
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

  async function settle(): Promise<void> {
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(0);
  }

  beforeEach(async () => {
    vi.useFakeTimers({ now: new Date("2026-12-02T12:00:00Z") });
    document.body.innerHTML = '<main id="app"></main>';
    root = document.getElementById("app") as HTMLElement;
    server = new FakeFrontend();
    started = [];
    const startMatch: StartMatch = (matchRoot, assignment) => {
      started.push(`${matchRoot.dataset.testid} ${assignment.matchId}`);
      return { stop: () => undefined };
    };
    const client = server.client();
    const local = new MemoryStore();
    const screens = new DomScreens(root, local, ["eu", "us"]);
    const flow = new Flow({
      session: new PlayerSession(client, local),
      client,
      screens,
      startMatch,
      assignments: new AssignmentStore(new MemoryStore()),
    });
    screens.attach(flow);
    await flow.start();
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
    expect(server.calls).toEqual(["Register", "Register"]);
  });

  it("offers exactly the proto's modes and the configured regions", async () => {
    byId<HTMLButtonElement>("guest").click();
    await settle();

    const modes = [...byId<HTMLSelectElement>("mode").options].map((option) => option.textContent);
    expect(modes).toEqual(["4v4", "2v2", "1v1"]);
    const regions = [...byId<HTMLSelectElement>("region").options].map((option) => option.value);
    expect(regions).toEqual(["eu", "us"]);
    expect(byId("player-name").textContent).toMatch(/^Guest/);
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
