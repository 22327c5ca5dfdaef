import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AssignmentStore, ASSIGNMENT_KEY } from "../../src/api/assignment-store.js";
import { PlayerSession } from "../../src/api/session.js";
import { QUEUE_KEY, QueueMemory } from "../../src/api/queue-memory.js";
import { GameMode, type Assignment, type GetProfileResponse } from "../../src/gen/trespasser/frontend/v1/frontend_pb.js";
import type { MatchCallbacks, StartMatch } from "../../src/match/contract.js";
import type { QueueOptions } from "../../src/api/queue-options.js";
import { Flow, type MainView, type ProfileView, type Screens } from "../../src/ui/flow.js";
import { anAssignment, FakeFrontend, MemoryStore } from "../api/fake-frontend.js";

type Shown =
  | { screen: "signed-out"; notice: string | null }
  | { screen: "main"; view: MainView }
  | { screen: "queue"; mode: GameMode; region: string }
  | { screen: "match" }
  | { screen: "profile"; view: ProfileView }
  | { screen: "change-password" };

/** Records what the flow shows, and what each queue and profile screen is told. */
class RecordingScreens implements Screens {
  readonly shown: Shown[] = [];
  readonly queueEvents: string[] = [];
  /** What each main screen was told about its queue choices, in order. */
  readonly optionEvents: (QueueOptions | string)[] = [];
  profileShown: GetProfileResponse | string | null = null;

  get current(): Shown | undefined {
    return this.shown.at(-1);
  }

  signedOut(notice: string | null): void {
    this.shown.push({ screen: "signed-out", notice });
  }
  main(view: MainView) {
    this.shown.push({ screen: "main", view });
    return {
      queueOptions: (options: QueueOptions) => void this.optionEvents.push(options),
      queueOptionsFailed: (message: string) => void this.optionEvents.push(message),
    };
  }
  queue(mode: GameMode, region: string) {
    this.shown.push({ screen: "queue", mode, region });
    return {
      status: (waitingSeconds: number, requeueCount: number) => this.queueEvents.push(`status ${waitingSeconds} ${requeueCount}`),
      reconnecting: (delayMs: number) => this.queueEvents.push(`reconnecting ${delayMs}`),
    };
  }
  match(): HTMLElement {
    this.shown.push({ screen: "match" });
    return { id: "match-root" } as HTMLElement;
  }
  changePassword(): void {
    this.shown.push({ screen: "change-password" });
  }
  profile(view: ProfileView) {
    this.shown.push({ screen: "profile", view });
    return {
      show: (profile: GetProfileResponse) => (this.profileShown = profile),
      failed: (message: string) => (this.profileShown = message),
    };
  }
}

/** The match view's side of the seam: records startMatch and lets the test leave. */
class FakeMatchView {
  readonly started: { root: HTMLElement; assignment: Assignment }[] = [];
  callbacks: MatchCallbacks | null = null;
  stops = 0;
  failWith: Error | null = null;
  readonly startMatch: StartMatch = (root, assignment, callbacks) => {
    if (this.failWith) {
      throw this.failWith;
    }
    this.started.push({ root, assignment });
    this.callbacks = callbacks;
    return { stop: () => void this.stops++ };
  };
}

describe("Flow", () => {
  let server: FakeFrontend;
  let local: MemoryStore;
  let tab: MemoryStore;
  let screens: RecordingScreens;
  let matchView: FakeMatchView;
  let session: PlayerSession;
  let flow: Flow;

  function newFlow(): Flow {
    session = new PlayerSession(server.client(), local);
    screens = new RecordingScreens();
    matchView = new FakeMatchView();
    return new Flow({
      session,
      client: server.client(),
      screens,
      startMatch: matchView.startMatch,
      assignments: new AssignmentStore(tab),
      queueMemory: new QueueMemory(tab),
      backoff: { initialMs: 1_000, maxMs: 8_000 },
    });
  }

  beforeEach(async () => {
    vi.useFakeTimers({ now: new Date("2026-12-02T12:00:00Z") });
    server = new FakeFrontend();
    local = new MemoryStore();
    tab = new MemoryStore();
    flow = newFlow();
    await flow.start();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  async function settle(): Promise<void> {
    await vi.advanceTimersByTimeAsync(0);
  }

  it("starts signed out, and a guest lands on the main screen", async () => {
    expect(screens.current).toEqual({ screen: "signed-out", notice: null });

    await flow.loginGuest();

    expect(screens.current).toMatchObject({ screen: "main", view: { notice: null, rejoin: null } });
    expect((screens.current as { view: MainView }).view.username).toMatch(/^Guest/);
  });

  it("queued → assignment → match → leave → main, and queues again with one click", async () => {
    await flow.loginGuest();
    await flow.findMatch(GameMode.GAME_MODE_2V2, "us");

    expect(server.findMatchRequests[0]).toMatchObject({ mode: GameMode.GAME_MODE_2V2, region: "us" });
    expect(screens.current).toEqual({ screen: "queue", mode: GameMode.GAME_MODE_2V2, region: "us" });
    const stream = await server.nextStream(0);
    stream.queued(0);
    stream.queued(5, 1);
    await settle();
    expect(screens.queueEvents).toEqual(["status 0 0", "status 5 1"]);

    const assignment = anAssignment("m-42");
    stream.assign(assignment);
    await settle();

    expect(screens.current).toEqual({ screen: "match" });
    expect(matchView.started).toHaveLength(1);
    expect(matchView.started[0]?.assignment.matchId).toBe("m-42");
    expect(matchView.started[0]?.root).toEqual({ id: "match-root" });
    expect(new AssignmentStore(tab).load(session.playerId ?? "")?.token).toBe("join-m-42");

    matchView.callbacks?.onLeave("finished");

    expect(screens.current).toMatchObject({ screen: "main", view: { notice: "Match over. Ready for another?", rejoin: null } });
    expect(tab.getItem(ASSIGNMENT_KEY)).toBeNull();
    expect(matchView.stops).toBe(1);

    await flow.findMatch(GameMode.GAME_MODE_2V2, "us");
    await settle();
    expect(screens.current).toMatchObject({ screen: "queue" });
    expect(server.openedStreams).toBe(2);
  });

  it("says why the player left a match that ended badly, once", async () => {
    await flow.loginGuest();
    await flow.findMatch(GameMode.GAME_MODE_4V4, "eu");
    (await server.nextStream(0)).assign(anAssignment());
    await settle();

    matchView.callbacks?.onLeave("lost", "no answer for 10 s");
    matchView.callbacks?.onLeave("quit");

    expect(screens.shown.filter((s) => s.screen === "main")).toHaveLength(2);
    expect(screens.current).toMatchObject({ view: { notice: "The connection to the match was lost: no answer for 10 s" } });
  });

  it("cancel: CancelMatch, the stream ends, back to the main screen", async () => {
    await flow.loginGuest();
    await flow.findMatch(GameMode.GAME_MODE_4V4, "eu");
    const stream = await server.nextStream(0);
    stream.queued(3);
    await settle();

    await flow.cancelQueue();
    await settle();

    expect(server.calls).toContain("CancelMatch");
    expect(screens.current).toMatchObject({ screen: "main", view: { notice: null } });
    expect(stream.closedByClient || server.openedStreams === 1).toBe(true);
    // Nothing re-opens the stream afterwards.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.openedStreams).toBe(1);
  });

  it("a failed cancel keeps the player queued and watching", async () => {
    await flow.loginGuest();
    await flow.findMatch(GameMode.GAME_MODE_4V4, "eu");
    const stream = await server.nextStream(0);
    server.cancelFailure = new ConnectError("om-core is unavailable; nothing changed, retry shortly", Code.Unavailable);

    await expect(flow.cancelQueue()).rejects.toMatchObject({ code: Code.Unavailable });
    stream.queued(9);
    await settle();

    expect(screens.current).toMatchObject({ screen: "queue" });
    expect(screens.queueEvents).toEqual(["status 9 0"]);
  });

  it("re-opens a failed stream with exponential backoff while queued; a message resets it", async () => {
    await flow.loginGuest();
    await flow.findMatch(GameMode.GAME_MODE_4V4, "eu");

    (await server.nextStream(0)).fail(Code.Unavailable, "frontend shutting down; you are still queued, watch again");
    await settle();
    expect(screens.queueEvents).toEqual(["reconnecting 1000"]);
    await vi.advanceTimersByTimeAsync(999);
    expect(server.openedStreams).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.openedStreams).toBe(2);

    (await server.nextStream(1)).fail(Code.Unknown, "Failed to fetch");
    await settle();
    await vi.advanceTimersByTimeAsync(2_000);
    (await server.nextStream(2)).end();
    await settle();
    await vi.advanceTimersByTimeAsync(4_000);
    const fourth = await server.nextStream(3);
    fourth.queued(40);
    fourth.fail(Code.Unavailable);
    await settle();
    await vi.advanceTimersByTimeAsync(1_000);
    (await server.nextStream(4)).assign(anAssignment());
    await settle();

    expect(screens.queueEvents).toEqual(["reconnecting 1000", "reconnecting 2000", "reconnecting 4000", "status 40 0", "reconnecting 1000"]);
    expect(screens.current).toEqual({ screen: "match" });
  });

  it("caps the backoff", async () => {
    await flow.loginGuest();
    await flow.findMatch(GameMode.GAME_MODE_4V4, "eu");
    for (let i = 0; i < 6; i++) {
      (await server.nextStream(i)).fail(Code.Unavailable);
      await settle();
      await vi.advanceTimersByTimeAsync(8_000);
    }
    expect(screens.queueEvents).toEqual([1000, 2000, 4000, 8000, 8000, 8000].map((d) => `reconnecting ${d}`));
  });

  it("refreshes an expired access token and re-opens the stream", async () => {
    await flow.loginGuest();
    await flow.findMatch(GameMode.GAME_MODE_4V4, "eu");
    const first = await server.nextStream(0);
    server.expireAccessTokens();
    first.fail(Code.Unavailable);
    await settle();
    await vi.advanceTimersByTimeAsync(1_000);
    await settle();
    // The re-open was refused (UNAUTHENTICATED): the session refreshes, the next try works.
    expect(server.calls.slice(-2)).toEqual(["WatchAssignment", "Refresh"]);
    await vi.advanceTimersByTimeAsync(2_000);
    (await server.nextStream(1)).queued(12);
    await settle();
    expect(screens.queueEvents.at(-1)).toBe("status 12 0");
  });

  it.each([
    [Code.DeadlineExceeded, "No match was found in time. You have left the queue."],
    [Code.FailedPrecondition, "You are not in the queue any more."],
    [Code.Aborted, "Your queue is being watched in another tab or window."],
  ])("a stream ending with %s goes back to the main screen and says why", async (code, notice) => {
    await flow.loginGuest();
    await flow.findMatch(GameMode.GAME_MODE_4V4, "eu");
    (await server.nextStream(0)).fail(code);
    await settle();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(screens.current).toMatchObject({ screen: "main", view: { notice } });
    expect(server.openedStreams).toBe(1);
  });

  it("cancelled elsewhere (another tab or device): back to the main screen", async () => {
    await flow.loginGuest();
    await flow.findMatch(GameMode.GAME_MODE_4V4, "eu");
    (await server.nextStream(0)).fail(Code.Canceled, "matchmaking was cancelled (CancelMatch)");
    await settle();
    expect(screens.current).toMatchObject({ screen: "main", view: { notice: null } });
  });

  it("a refused FindMatch stays on the main screen and throws for it to show", async () => {
    await flow.loginGuest();
    server.findMatchFailure = new ConnectError("too many FindMatch calls; wait a minute", Code.ResourceExhausted);

    await expect(flow.findMatch(GameMode.GAME_MODE_4V4, "eu")).rejects.toMatchObject({ code: Code.ResourceExhausted });

    expect(screens.current).toMatchObject({ screen: "main" });
    expect(server.openedStreams).toBe(0);
  });

  it("a reload during a match offers to rejoin it, with the same token", async () => {
    await flow.loginGuest();
    await flow.findMatch(GameMode.GAME_MODE_4V4, "eu");
    (await server.nextStream(0)).assign(anAssignment("m-7"));
    await settle();

    const reloaded = newFlow();
    await reloaded.start();

    expect(screens.current).toMatchObject({ screen: "main", view: { rejoin: { matchId: "m-7", token: "join-m-7" } } });
    reloaded.rejoin();
    expect(matchView.started[0]?.assignment.token).toBe("join-m-7");
    expect(screens.current).toEqual({ screen: "match" });
  });

  it("a reload while queued goes on watching the same queue without a new FindMatch", async () => {
    await flow.loginGuest();
    await flow.findMatch(GameMode.GAME_MODE_1V1, "us");
    await server.nextStream(0);

    const reloaded = newFlow();
    await reloaded.start();
    await settle();

    expect(screens.current).toEqual({ screen: "queue", mode: GameMode.GAME_MODE_1V1, region: "us" });
    expect(server.findMatchRequests).toHaveLength(1);
    (await server.nextStream(1)).fail(Code.FailedPrecondition, "not queued; call FindMatch first");
    await settle();
    expect(screens.current).toMatchObject({ screen: "main", view: { notice: "You are not in the queue any more." } });
    expect(tab.getItem(QUEUE_KEY)).toBeNull();
  });

  it("forgets the queue when it is cancelled, and ignores a damaged or foreign one", async () => {
    await flow.loginGuest();
    await flow.findMatch(GameMode.GAME_MODE_4V4, "eu");
    await server.nextStream(0);
    await flow.cancelQueue();
    await settle();
    expect(tab.getItem(QUEUE_KEY)).toBeNull();

    const memory = new QueueMemory(tab);
    for (const junk of ["{", "7", JSON.stringify({ playerId: session.playerId, mode: "x", region: "eu" }), JSON.stringify({ playerId: session.playerId, mode: 1, region: "<script>" })]) {
      tab.setItem(QUEUE_KEY, junk);
      expect(memory.load(session.playerId ?? "")).toBeNull();
    }
    memory.save("someone-else", GameMode.GAME_MODE_4V4, "eu");
    expect(memory.load(session.playerId ?? "")).toBeNull();
  });

  it("does not offer another player's stored match", async () => {
    await flow.loginGuest();
    new AssignmentStore(tab).save("someone-else", anAssignment());
    flow.back();
    expect(screens.current).toMatchObject({ screen: "main", view: { rejoin: null } });
  });

  it("a match view that fails to start leaves the player on the main screen, rejoin still offered", async () => {
    await flow.loginGuest();
    matchView.failWith = new Error("the match view is not in this build");
    await flow.findMatch(GameMode.GAME_MODE_4V4, "eu");
    (await server.nextStream(0)).assign(anAssignment("m-9"));
    await settle();

    expect(screens.current).toMatchObject({
      screen: "main",
      view: { notice: "The match view failed to start: the match view is not in this build", rejoin: { matchId: "m-9" } },
    });
  });

  it("shows the profile, or why it could not", async () => {
    await flow.loginGuest();
    await flow.showProfile();
    // A guest has no password to change.
    expect(screens.current).toEqual({ screen: "profile", view: { canChangePassword: false } });
    expect((screens.profileShown as GetProfileResponse).wins).toBe(4n);

    server.expireAccessTokens();
    server.refreshFailure = Code.Unavailable;
    await flow.showProfile();
    expect(screens.profileShown).toBe("The server is busy (Redis is unavailable; retry shortly). Try again shortly.");
  });

  it("logout stops the queue watch and shows the login screen", async () => {
    await flow.loginGuest();
    await flow.findMatch(GameMode.GAME_MODE_4V4, "eu");
    const stream = await server.nextStream(0);

    await flow.logout();
    await settle();

    expect(screens.current).toEqual({ screen: "signed-out", notice: null });
    stream.queued(30);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.openedStreams).toBe(1);
    expect(screens.queueEvents).toEqual([]);
  });

  it("a session that ends during a match lets the match finish, then asks to log in", async () => {
    await flow.loginGuest();
    await flow.findMatch(GameMode.GAME_MODE_4V4, "eu");
    (await server.nextStream(0)).assign(anAssignment());
    await settle();

    const other = new PlayerSession(server.client(), local);
    await other.resume();
    await other.logout();
    session.storageChanged();
    expect(screens.current).toEqual({ screen: "match" });

    matchView.callbacks?.onLeave("finished");
    expect(screens.current).toEqual({ screen: "signed-out", notice: "Your session has ended. Please log in again." });
  });

  it("login and register errors reach the caller and change no screen", async () => {
    await expect(flow.login("nobody", "whatever1")).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(flow.register("ab", "whatever1")).rejects.toMatchObject({ code: Code.InvalidArgument });
    expect(screens.shown).toEqual([{ screen: "signed-out", notice: null }]);

    await flow.register("alice", "correct horse");
    expect(screens.current).toMatchObject({ screen: "main", view: { username: "alice" } });
  });

  it("asks the server for the queue choices once at start and fills every main screen with them", async () => {
    await settle();
    await flow.loginGuest();
    await settle();
    expect(screens.optionEvents).toHaveLength(1);
    expect(screens.optionEvents[0]).toMatchObject({ regions: ["eu", "us"], modes: [{ label: "4v4", teamSize: 4 }, { label: "2v2" }, { label: "1v1" }] });

    await flow.showProfile();
    flow.back();
    await settle();
    expect(screens.optionEvents).toHaveLength(2);
    expect(server.calls.filter((call) => call === "GetQueueOptions")).toHaveLength(1);
  });

  it("asks again for choices older than ten minutes, and keeps offering the old ones meanwhile", async () => {
    await flow.loginGuest();
    await settle();
    server.queueOptions.regions = ["eu", "us", "ap-south"];
    await vi.advanceTimersByTimeAsync(10 * 60_000);

    flow.back();
    expect(screens.optionEvents).toHaveLength(2);
    expect(screens.optionEvents[1]).toMatchObject({ regions: ["eu", "us"] });
    await settle();
    expect(screens.optionEvents[2]).toMatchObject({ regions: ["eu", "us", "ap-south"] });
    expect(server.calls.filter((call) => call === "GetQueueOptions")).toHaveLength(2);
  });

  it("says why the queue choices could not be had, and a retry fills them", async () => {
    server.queueOptionsFailure = new ConnectError("Redis is unavailable; retry shortly", Code.Unavailable);
    flow = newFlow();
    await flow.start();
    await flow.loginGuest();
    await settle();
    expect(screens.optionEvents).toEqual(["The server is busy (Redis is unavailable; retry shortly). Try again shortly."]);

    server.queueOptionsFailure = null;
    await flow.retryQueueOptions();
    expect(screens.optionEvents[1]).toMatchObject({ regions: ["eu", "us"] });
  });

  it("changes a registered player's password and stays signed in with the new session", async () => {
    await flow.register("alice", "correct horse");
    await flow.showProfile();
    expect(screens.current).toMatchObject({ screen: "profile", view: { canChangePassword: true } });
    flow.showChangePassword();
    expect(screens.current).toEqual({ screen: "change-password" });
    const before = JSON.parse(local.getItem("trespasser.session") ?? "{}") as { refreshToken: string };

    await flow.changePassword("correct horse", "battery staple");

    const after = JSON.parse(local.getItem("trespasser.session") ?? "{}") as { refreshToken: string };
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(server.refreshTokenWorks(before.refreshToken)).toBe(false);
    expect(server.refreshTokenWorks(after.refreshToken)).toBe(true);
    expect(session.signedIn).toBe(true);
    await expect(flow.login("alice", "correct horse")).rejects.toMatchObject({ code: Code.Unauthenticated });
    await flow.login("alice", "battery staple");
  });
});
