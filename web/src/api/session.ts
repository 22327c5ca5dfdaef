import { Code, ConnectError, type CallOptions } from "@connectrpc/connect";
import type { Session as IssuedSession } from "../gen/trespasser/frontend/v1/frontend_pb.js";
import { isWrongPassword } from "./errors.js";
import type { FrontendClient } from "./transport.js";

/** The part of the Web Storage API the client uses (localStorage in the browser, a Map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Runs `work` while no other tab of this origin refreshes (Web Locks), or just runs it. */
export type RefreshLock = <T>(work: () => Promise<T>) => Promise<T>;

export type SignOutReason =
  /** This tab logged out (or out everywhere). */
  | "logout"
  /** The server no longer accepts the refresh token (expired, revoked, reused). */
  | "expired"
  /** Another tab of this origin logged out. */
  | "other-tab";

export const SESSION_KEY = "trespasser.session";

/** Refresh when this share of the access token's lifetime has passed. */
const REFRESH_AT_SHARE = 0.8;
/** Bounds on the lifetime read from the server's expiry, so a wrong local clock cannot make the
 *  client refresh in a tight loop or never. The retry on UNAUTHENTICATED covers what is left. */
const MIN_LIFETIME_MS = 30_000;
const MAX_LIFETIME_MS = 24 * 3600_000;
/** A token this close to its end is refreshed before a call rather than sent. */
const STALE_MARGIN_MS = 5_000;
const RETRY_INITIAL_MS = 2_000;
const RETRY_MAX_MS = 60_000;

interface StoredSession {
  refreshToken: string;
  playerId: string;
  username: string;
}

/**
 * A player's session with the frontend: the access token (memory only) with its expiry, and the
 * refresh token. The access token is refreshed before it runs out; a call refused with
 * UNAUTHENTICATED refreshes once and is sent again once.
 *
 * Why the refresh token is in localStorage: the API hands tokens out in message bodies (gRPC-Web,
 * no cookie endpoint), and a reload must keep the player logged in, so the refresh token has to
 * live somewhere that survives one. It is single-use (every refresh rotates it, and a rotated-out
 * token presented again revokes the whole session server-side), it can be revoked by Logout and
 * Log out everywhere, and the page runs under a CSP that allows only its own scripts. The access
 * token, which is what authorises calls, never leaves memory.
 *
 * Tabs share the stored refresh token. Because reuse revokes the session, a refresh always reads
 * the current token from storage inside a cross-tab lock and writes the rotated one back before
 * releasing it, so two tabs never present the same token.
 */
export class PlayerSession {
  private access: { token: string; staleAt: number } | null = null;
  private identity: { playerId: string; username: string } | null = null;
  private refreshTokenInMemory: string | null = null;
  private refreshing: Promise<void> | null = null;
  /** The end of the last token-changing step (refresh, password change) of this tab. */
  private tokenSteps: Promise<unknown> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private retryDelayMs = RETRY_INITIAL_MS;
  private readonly signOutListeners = new Set<(reason: SignOutReason) => void>();

  constructor(
    private readonly client: FrontendClient,
    private readonly store: KeyValueStore,
    private readonly lock: RefreshLock = (work) => work(),
  ) {}

  get signedIn(): boolean {
    return this.identity !== null;
  }

  get playerId(): string | null {
    return this.identity?.playerId ?? null;
  }

  get username(): string | null {
    return this.identity?.username ?? null;
  }

  /** Guests play under a generated name starting with "guest", which the server reserves for them. */
  get guest(): boolean {
    return /^guest/i.test(this.identity?.username ?? "");
  }

  /** True when a refresh token from an earlier visit is stored. */
  get resumable(): boolean {
    return this.readStored() !== null;
  }

  onSignOut(listener: (reason: SignOutReason) => void): () => void {
    this.signOutListeners.add(listener);
    return () => this.signOutListeners.delete(listener);
  }

  async login(username: string, password: string): Promise<void> {
    this.adopt((await this.client.login({ username, password })).session);
  }

  async register(username: string, password: string): Promise<void> {
    this.adopt((await this.client.register({ username, password })).session);
  }

  async loginGuest(): Promise<void> {
    this.adopt((await this.client.loginGuest({})).session);
  }

  /**
   * Continues the stored session of an earlier visit. False when there is none or the server no
   * longer accepts it; other failures (offline) are thrown and the stored token is kept.
   */
  async resume(): Promise<boolean> {
    if (!this.resumable) {
      return false;
    }
    try {
      await this.refresh();
      return true;
    } catch (error) {
      if (!this.resumable) {
        return false;
      }
      throw error;
    }
  }

  /** Rotates the refresh token for a new access token; one refresh at a time per tab. */
  refresh(): Promise<void> {
    this.refreshing ??= this.tokenStep(() => this.rotate()).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * Runs an authenticated call with fresh credentials; refused with UNAUTHENTICATED, it refreshes
   * and runs once more.
   */
  async call<T>(run: (options: CallOptions) => Promise<T>): Promise<T> {
    const options = await this.callOptions();
    try {
      return await run(options);
    } catch (error) {
      if (ConnectError.from(error).code !== Code.Unauthenticated) {
        throw error;
      }
      await this.refresh();
      return run(this.currentOptions());
    }
  }

  /** Call options carrying a current access token (refreshing first if it is about to run out). */
  async callOptions(): Promise<CallOptions> {
    if (!this.access || Date.now() >= this.access.staleAt) {
      await this.refresh();
    }
    return this.currentOptions();
  }

  /** Ends this device's session: the refresh token is revoked server-side (best effort). */
  async logout(): Promise<void> {
    const token = this.readStored()?.refreshToken ?? this.refreshTokenInMemory;
    this.end("logout", true);
    if (token) {
      try {
        await this.client.logout({ refreshToken: token }, { timeoutMs: 5_000 });
      } catch {
        // Locally logged out either way; the token runs out by its TTL if the server missed it.
      }
    }
  }

  /** Ends every session of the player on every device; on failure nothing changes here. */
  async logoutEverywhere(): Promise<void> {
    await this.call((options) => this.client.logoutEverywhere({}, options));
    this.end("logout", true);
  }

  /**
   * Changes the password (the current one is needed). The server ends every session of the player
   * and answers a new one for this caller, which is adopted and stored: this tab, and the tabs of
   * this browser that share the stored token, stay signed in; other devices are signed out.
   *
   * It runs as a token step (under the refresh lock): a refresh racing it could otherwise store a
   * token of a session the change has just ended. A wrong current password is UNAUTHENTICATED as
   * well, but not a token problem: it reaches the caller at once (a resend would count twice
   * toward the account's lockout). An access token the server no longer accepts is refreshed and
   * the change sent once more.
   */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    const send = (options: CallOptions) =>
      this.tokenStep(async () => {
        this.adopt((await this.client.changePassword({ currentPassword, newPassword }, options)).session);
      });
    try {
      await send(await this.callOptions());
    } catch (error) {
      if (ConnectError.from(error).code !== Code.Unauthenticated || isWrongPassword(error)) {
        throw error;
      }
      await this.refresh();
      await send(this.currentOptions());
    }
  }

  /** Another tab removed the stored session (logged out): follow it. */
  storageChanged(): void {
    if (this.signedIn && this.readStored() === null) {
      this.end("other-tab", false);
    }
  }

  private currentOptions(): CallOptions {
    if (!this.access) {
      throw new ConnectError("not logged in", Code.Unauthenticated);
    }
    return { headers: { authorization: `Bearer ${this.access.token}` } };
  }

  /**
   * Runs a step that replaces the stored refresh token: one at a time in this tab, and across the
   * tabs of this origin under the lock. Never call refresh() inside one (the lock is not reentrant).
   */
  private tokenStep<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tokenSteps.then(() => this.lock(work));
    this.tokenSteps = run.catch(() => undefined);
    return run;
  }

  private async rotate(): Promise<void> {
    const refreshToken = this.readStored()?.refreshToken ?? this.refreshTokenInMemory;
    if (!refreshToken) {
      this.end("expired", false);
      throw new ConnectError("not logged in", Code.Unauthenticated);
    }
    let issued: IssuedSession | undefined;
    try {
      issued = (await this.client.refresh({ refreshToken })).session;
    } catch (error) {
      if (ConnectError.from(error).code === Code.Unauthenticated) {
        this.end("expired", true);
      } else if (this.signedIn) {
        // Offline or the server is busy: the access token may still be good; try again later.
        this.schedule(this.retryDelayMs);
        this.retryDelayMs = Math.min(RETRY_MAX_MS, this.retryDelayMs * 2);
      }
      throw error;
    }
    this.adopt(issued);
  }

  private adopt(issued: IssuedSession | undefined): void {
    if (!issued || !issued.accessToken || !issued.refreshToken) {
      throw new ConnectError("the server answered without a session", Code.Internal);
    }
    const now = Date.now();
    const lifetime = Math.min(
      MAX_LIFETIME_MS,
      Math.max(MIN_LIFETIME_MS, Number(issued.accessExpiresAtEpochSeconds) * 1000 - now),
    );
    this.access = { token: issued.accessToken, staleAt: now + lifetime - STALE_MARGIN_MS };
    this.identity = { playerId: issued.playerId, username: issued.username };
    this.refreshTokenInMemory = issued.refreshToken;
    const stored: StoredSession = { refreshToken: issued.refreshToken, ...this.identity };
    try {
      this.store.setItem(SESSION_KEY, JSON.stringify(stored));
    } catch {
      // Storage full or disabled: this tab still works; a reload will ask to log in.
    }
    this.retryDelayMs = RETRY_INITIAL_MS;
    this.schedule(lifetime * REFRESH_AT_SHARE);
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      // Failures are handled in rotate (retry or sign-out); nobody awaits this one.
      this.refresh().catch(() => undefined);
    }, delayMs);
  }

  private end(reason: SignOutReason, clearStore: boolean): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const wasSignedIn = this.signedIn;
    this.access = null;
    this.identity = null;
    this.refreshTokenInMemory = null;
    if (clearStore) {
      try {
        this.store.removeItem(SESSION_KEY);
      } catch {
        // Nothing stored then.
      }
    }
    if (wasSignedIn) {
      for (const listener of [...this.signOutListeners]) {
        listener(reason);
      }
    }
  }

  private readStored(): StoredSession | null {
    let raw: string | null;
    try {
      raw = this.store.getItem(SESSION_KEY);
    } catch {
      return null;
    }
    if (!raw) {
      return null;
    }
    try {
      const parsed: unknown = JSON.parse(raw);
      if (
        typeof parsed === "object" &&
        parsed !== null &&
        typeof (parsed as StoredSession).refreshToken === "string" &&
        (parsed as StoredSession).refreshToken.length > 0 &&
        (parsed as StoredSession).refreshToken.length <= 4096
      ) {
        return parsed as StoredSession;
      }
    } catch {
      // Not ours or damaged: treated as absent.
    }
    return null;
  }
}

/** Serialises refreshes across the tabs of this origin where the browser has Web Locks. */
export function webLock(locks: LockManager | undefined): RefreshLock {
  if (!locks) {
    return (work) => work();
  }
  return <T>(work: () => Promise<T>) => locks.request("trespasser.refresh", () => work()) as Promise<T>;
}
