import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { vi } from "vitest";
import { PlayerSession, SESSION_KEY, type RefreshLock, type SignOutReason } from "../../src/api/session.js";
import { FakeFrontend, MemoryStore } from "./fake-frontend.js";

function stored(store: MemoryStore): { refreshToken: string; playerId: string; username: string } {
  return JSON.parse(store.getItem(SESSION_KEY) ?? "null");
}

/** A lock shared by "tabs" in one test: runs one work at a time, like navigator.locks. */
function mutex(): RefreshLock {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>) => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

describe("PlayerSession", () => {
  let server: FakeFrontend;
  let store: MemoryStore;
  let session: PlayerSession;
  let signOuts: SignOutReason[];

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-12-02T12:00:00Z") });
    server = new FakeFrontend();
    store = new MemoryStore();
    session = new PlayerSession(server.client(), store);
    signOuts = [];
    session.onSignOut((reason) => signOuts.push(reason));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps the refresh token in storage and the access token only in memory", async () => {
    await session.loginGuest();

    expect(session.signedIn).toBe(true);
    expect(session.username).toMatch(/^Guest/);
    const saved = stored(store);
    expect(saved.refreshToken).toMatch(/^refresh-/);
    expect(saved.playerId).toBe(session.playerId);
    expect([...store.items.values()].join()).not.toContain("access-");
    const options = await session.callOptions();
    expect(new Headers(options.headers).get("authorization")).toMatch(/^Bearer access-/);
  });

  it("refreshes when 80% of the access token's lifetime has passed, and rotates the stored token", async () => {
    await session.loginGuest();
    const first = stored(store).refreshToken;

    await vi.advanceTimersByTimeAsync(0.8 * 900_000 - 1_000);
    expect(server.calls).not.toContain("Refresh");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.calls.filter((call) => call === "Refresh")).toHaveLength(1);

    const second = stored(store).refreshToken;
    expect(second).not.toBe(first);
    expect(server.refreshTokenWorks(second)).toBe(true);
    // And again on the new token's schedule.
    await vi.advanceTimersByTimeAsync(0.8 * 900_000);
    expect(server.calls.filter((call) => call === "Refresh")).toHaveLength(2);
    expect(signOuts).toEqual([]);
  });

  it("refreshes before a call when the access token is about to run out (timer missed, e.g. a sleeping laptop)", async () => {
    await session.loginGuest();
    vi.setSystemTime(Date.now() + 899_000);

    const profile = await session.call((options) => server.client().getProfile({}, options));

    expect(profile.rating).toBeCloseTo(1512.4);
    expect(server.calls).toEqual(["LoginGuest", "Refresh", "GetProfile"]);
  });

  it("refreshes once on UNAUTHENTICATED and sends the call once more", async () => {
    await session.loginGuest();
    server.expireAccessTokens();

    const profile = await session.call((options) => server.client().getProfile({}, options));

    expect(profile.username).toBe("alice");
    expect(server.calls).toEqual(["LoginGuest", "GetProfile", "Refresh", "GetProfile"]);
  });

  it("retries only once: a second UNAUTHENTICATED reaches the caller", async () => {
    await session.loginGuest();
    let attempts = 0;

    const call = session.call(async () => {
      attempts++;
      throw new ConnectError("invalid or expired access token", Code.Unauthenticated);
    });

    await expect(call).rejects.toMatchObject({ code: Code.Unauthenticated });
    expect(attempts).toBe(2);
    expect(server.calls.filter((c) => c === "Refresh")).toHaveLength(1);
  });

  it("does not retry other errors", async () => {
    await session.loginGuest();
    server.findMatchFailure = new ConnectError("unknown region 'mars'; one of [eu, us]", Code.InvalidArgument);

    await expect(session.call((o) => server.client().findMatch({ region: "mars" }, o))).rejects.toMatchObject({
      code: Code.InvalidArgument,
    });
    expect(server.calls).toEqual(["LoginGuest", "FindMatch"]);
  });

  it("signs out when the server refuses the refresh token", async () => {
    await session.loginGuest();
    const token = stored(store).refreshToken;
    await server.client().logout({ refreshToken: token });
    server.expireAccessTokens();

    await expect(session.call((o) => server.client().getProfile({}, o))).rejects.toMatchObject({ code: Code.Unauthenticated });

    expect(session.signedIn).toBe(false);
    expect(store.getItem(SESSION_KEY)).toBeNull();
    expect(signOuts).toEqual(["expired"]);
  });

  it("keeps the session through a failed refresh (offline) and tries again with backoff", async () => {
    await session.loginGuest();
    server.refreshFailure = Code.Unavailable;

    await vi.advanceTimersByTimeAsync(720_000);
    expect(server.calls.filter((c) => c === "Refresh")).toHaveLength(1);
    expect(session.signedIn).toBe(true);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(server.calls.filter((c) => c === "Refresh")).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(3_999);
    expect(server.calls.filter((c) => c === "Refresh")).toHaveLength(2);
    server.refreshFailure = null;
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls.filter((c) => c === "Refresh")).toHaveLength(3);
    expect(session.signedIn).toBe(true);
    expect(server.refreshTokenWorks(stored(store).refreshToken)).toBe(true);
  });

  it("logs out: revokes the refresh token at the server and forgets everything", async () => {
    await session.login("x", "y").catch(() => undefined);
    await session.register("alice", "correct horse");
    const token = stored(store).refreshToken;

    await session.logout();

    expect(session.signedIn).toBe(false);
    expect(session.username).toBeNull();
    expect(store.getItem(SESSION_KEY)).toBeNull();
    expect(server.refreshTokenWorks(token)).toBe(false);
    expect(signOuts).toEqual(["logout"]);
    await expect(session.callOptions()).rejects.toMatchObject({ code: Code.Unauthenticated });
    // No refresh timer is left behind.
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(server.calls.filter((c) => c === "Refresh")).toHaveLength(0);
  });

  it("logs out everywhere: every session of the player ends", async () => {
    await session.register("alice", "correct horse");
    const otherStore = new MemoryStore();
    const other = new PlayerSession(server.client(), otherStore);
    await other.login("alice", "correct horse");
    const otherToken = stored(otherStore).refreshToken;

    await session.logoutEverywhere();

    expect(session.signedIn).toBe(false);
    expect(server.refreshTokenWorks(otherToken)).toBe(false);
    await expect(other.refresh()).rejects.toMatchObject({ code: Code.Unauthenticated });
    expect(other.signedIn).toBe(false);
  });

  it("resumes a stored session after a reload", async () => {
    await session.register("alice", "correct horse");
    const reloaded = new PlayerSession(server.client(), store);

    expect(await reloaded.resume()).toBe(true);

    expect(reloaded.username).toBe("alice");
    expect(reloaded.playerId).toBe(session.playerId);
  });

  it("does not resume without a stored session, or with a damaged or revoked one", async () => {
    expect(await new PlayerSession(server.client(), store).resume()).toBe(false);
    for (const junk of ["{", "null", "[]", '{"refreshToken":42}', '{"refreshToken":""}', JSON.stringify({ refreshToken: "x".repeat(5000) })]) {
      store.setItem(SESSION_KEY, junk);
      expect(await new PlayerSession(server.client(), store).resume()).toBe(false);
    }
    expect(server.calls).toEqual([]);
    store.setItem(SESSION_KEY, JSON.stringify({ refreshToken: "refresh-unknown", playerId: "p", username: "u" }));
    expect(await new PlayerSession(server.client(), store).resume()).toBe(false);
    expect(store.getItem(SESSION_KEY)).toBeNull();
  });

  it("keeps the stored session when resuming fails for another reason (offline)", async () => {
    await session.loginGuest();
    server.refreshFailure = Code.Unavailable;

    await expect(new PlayerSession(server.client(), store).resume()).rejects.toMatchObject({ code: Code.Unavailable });
    expect(store.getItem(SESSION_KEY)).not.toBeNull();
  });

  it("two tabs sharing the stored token never present the same refresh token twice", async () => {
    await session.loginGuest();
    const lock = mutex();
    const tabA = new PlayerSession(server.client(), store, lock);
    const tabB = new PlayerSession(server.client(), store, lock);

    await Promise.all([tabA.resume(), tabB.resume()]);
    await Promise.all([tabA.refresh(), tabB.refresh(), tabA.refresh()]);

    expect(server.reusedTokens).toBe(0);
    expect(tabA.signedIn && tabB.signedIn).toBe(true);
    expect(server.refreshTokenWorks(stored(store).refreshToken)).toBe(true);
  });

  it("follows another tab's logout", async () => {
    await session.loginGuest();
    const tabB = new PlayerSession(server.client(), store);
    await tabB.resume();

    await tabB.logout();
    session.storageChanged();

    expect(session.signedIn).toBe(false);
    expect(signOuts).toEqual(["other-tab"]);
  });

  it("refuses a session answer without tokens", async () => {
    const empty = new PlayerSession(
      { ...server.client(), loginGuest: async () => ({ session: undefined }) } as unknown as ReturnType<FakeFrontend["client"]>,
      store,
    );
    await expect(empty.loginGuest()).rejects.toMatchObject({ code: Code.Internal });
    expect(empty.signedIn).toBe(false);
    expect(store.getItem(SESSION_KEY)).toBeNull();
  });

  it("changes the password: the other sessions end, this one goes on with the new token", async () => {
    await session.register("alice", "correct horse");
    const before = stored(store).refreshToken;
    const otherStore = new MemoryStore();
    const otherDevice = new PlayerSession(server.client(), otherStore);
    await otherDevice.login("alice", "correct horse");

    await session.changePassword("correct horse", "battery staple");

    expect(session.signedIn).toBe(true);
    expect(signOuts).toEqual([]);
    expect(server.refreshTokenWorks(before)).toBe(false);
    expect(server.refreshTokenWorks(stored(otherStore).refreshToken)).toBe(false);
    expect(server.refreshTokenWorks(stored(store).refreshToken)).toBe(true);
    await session.refresh();
    expect(session.signedIn).toBe(true);
    await expect(otherDevice.refresh()).rejects.toMatchObject({ code: Code.Unauthenticated });
  });

  it("a wrong current password reaches the caller at once: no refresh, no second attempt", async () => {
    await session.register("alice", "correct horse");
    const calls = server.calls.length;

    await expect(session.changePassword("wrong horse", "battery staple")).rejects.toMatchObject({ code: Code.Unauthenticated });

    expect(server.calls.slice(calls)).toEqual(["ChangePassword"]);
    expect(session.signedIn).toBe(true);
  });

  it("an access token the server no longer takes is refreshed and the change sent once more", async () => {
    await session.register("alice", "correct horse");
    server.expireAccessTokens();
    const calls = server.calls.length;

    await session.changePassword("correct horse", "battery staple");

    expect(server.calls.slice(calls)).toEqual(["ChangePassword", "Refresh", "ChangePassword"]);
    expect(server.refreshTokenWorks(stored(store).refreshToken)).toBe(true);
  });

  it("a refresh racing the change waits for it and rotates the new token, so the session survives", async () => {
    await session.register("alice", "correct horse");
    const lock = mutex();
    const tabA = new PlayerSession(server.client(), store, lock);
    const tabB = new PlayerSession(server.client(), store, lock);
    await tabA.resume();
    await tabB.resume();

    await Promise.all([tabA.changePassword("correct horse", "battery staple"), tabB.refresh(), tabA.refresh()]);

    expect(server.reusedTokens).toBe(0);
    expect(tabA.signedIn && tabB.signedIn).toBe(true);
    expect(server.refreshTokenWorks(stored(store).refreshToken)).toBe(true);
    await tabB.refresh();
    expect(tabB.signedIn).toBe(true);
  });
});
