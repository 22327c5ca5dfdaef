// An in-memory FrontendService for the shell's logic tests, served through connect's router
// transport: the real generated client, real serialisation, real ConnectErrors. It follows the
// frontend's rules that the shell depends on: single-use refresh tokens whose reuse revokes the
// family, Bearer access tokens on the protected calls, the WatchAssignment stream, the public
// GetQueueOptions, and ChangePassword (its refusals, its lockout, every other session ended).
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createRouterTransport, type HandlerContext } from "@connectrpc/connect";
import {
  AssignmentSchema,
  FrontendService,
  GameMode,
  type GetQueueOptionsResponse,
  GetQueueOptionsResponseSchema,
  SessionSchema,
  WatchAssignmentResponseSchema,
  type Assignment,
  type FindMatchRequest,
  type WatchAssignmentResponse,
} from "../../src/gen/trespasser/frontend/v1/frontend_pb.js";
import { frontendClient, type FrontendClient } from "../../src/api/transport.js";

interface Family {
  playerId: string;
  username: string;
  current: string;
  rotated: Set<string>;
  revoked: boolean;
}

/** One open WatchAssignment stream, driven by the test. */
export class StreamControl {
  private readonly pending: (WatchAssignmentResponse | ConnectError | null)[] = [];
  private wake: (() => void) | null = null;
  closedByClient = false;

  queued(waitingSeconds: number, requeueCount = 0): void {
    this.push(create(WatchAssignmentResponseSchema, { update: { case: "queued", value: { waitingSeconds: BigInt(waitingSeconds), requeueCount } } }));
  }

  assign(assignment: Assignment): void {
    this.push(create(WatchAssignmentResponseSchema, { update: { case: "assignment", value: assignment } }));
    this.push(null);
  }

  fail(code: Code, message = "stream failed"): void {
    this.push(new ConnectError(message, code));
  }

  end(): void {
    this.push(null);
  }

  async *run(signal: AbortSignal): AsyncGenerator<WatchAssignmentResponse> {
    const aborted = new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    for (;;) {
      while (this.pending.length === 0) {
        await Promise.race([new Promise<void>((resolve) => (this.wake = resolve)), aborted]);
        if (signal.aborted) {
          this.closedByClient = true;
          return;
        }
      }
      const next = this.pending.shift();
      if (next === null || next === undefined) {
        return;
      }
      if (next instanceof ConnectError) {
        throw next;
      }
      yield next;
    }
  }

  private push(item: WatchAssignmentResponse | ConnectError | null): void {
    this.pending.push(item);
    this.wake?.();
    this.wake = null;
  }
}

export function anAssignment(matchId = "match-1"): Assignment {
  return create(AssignmentSchema, { host: "10-0-0-7.gs.example.com", port: 7777, token: `join-${matchId}`, matchId, tls: true });
}

export class FakeFrontend {
  accessTtlSeconds = 900;
  /** Every call by method name, in order. */
  readonly calls: string[] = [];
  readonly findMatchRequests: FindMatchRequest[] = [];
  /** Set to make the next refreshes fail with this code (transient failures). */
  refreshFailure: Code | null = null;
  /** Set to refuse FindMatch with this error. */
  findMatchFailure: ConnectError | null = null;
  cancelFailure: ConnectError | null = null;
  reusedTokens = 0;
  /** What GetQueueOptions answers (the frontend's defaults: FRONTEND_REGIONS "eu,us", every mode). */
  queueOptions: GetQueueOptionsResponse = create(GetQueueOptionsResponseSchema, {
    regions: ["eu", "us"],
    modes: [
      { mode: GameMode.GAME_MODE_4V4, label: "4v4", teamSize: 4 },
      { mode: GameMode.GAME_MODE_2V2, label: "2v2", teamSize: 2 },
      { mode: GameMode.GAME_MODE_1V1, label: "1v1", teamSize: 1 },
    ],
  });
  /** Set to make GetQueueOptions fail with this error. */
  queueOptionsFailure: ConnectError | null = null;
  /** Failed password checks before the account locks (FRONTEND_LOGIN_FAILURES_BEFORE_LOCKOUT). */
  failuresBeforeLockout = 5;

  private readonly accounts = new Map<string, { username: string; password: string; playerId: string; failures: number }>();
  private readonly families = new Map<string, Family>();
  private readonly familyOfToken = new Map<string, Family>();
  private readonly access = new Map<string, string>();
  private readonly streams: StreamControl[] = [];
  private streamWaiters: ((stream: StreamControl) => void)[] = [];
  private counter = 0;

  readonly transport = createRouterTransport(({ service }) => {
    service(FrontendService, {
      register: (request) => {
        this.calls.push("Register");
        if (request.username.length < 3) {
          throw new ConnectError("username must be 3 to 20 characters long, got " + request.username.length, Code.InvalidArgument);
        }
        if (this.accounts.has(request.username.toLowerCase())) {
          throw new ConnectError(`username '${request.username}' is already taken`, Code.AlreadyExists);
        }
        const playerId = this.id("player");
        this.accounts.set(request.username.toLowerCase(), { username: request.username, password: request.password, playerId, failures: 0 });
        return { session: this.issue(playerId, request.username) };
      },
      login: (request) => {
        this.calls.push("Login");
        const account = this.accounts.get(request.username.toLowerCase());
        if (!account || account.password !== request.password) {
          throw new ConnectError("unknown username or wrong password", Code.Unauthenticated);
        }
        return { session: this.issue(account.playerId, request.username) };
      },
      loginGuest: () => {
        this.calls.push("LoginGuest");
        const playerId = this.id("guest");
        return { session: this.issue(playerId, `Guest${playerId}`) };
      },
      refresh: (request) => {
        this.calls.push("Refresh");
        if (this.refreshFailure !== null) {
          throw new ConnectError("Redis is unavailable; retry shortly", this.refreshFailure);
        }
        const family = this.familyOfToken.get(request.refreshToken);
        if (!family || family.revoked) {
          throw new ConnectError("refresh token is invalid, expired, or already used; log in again", Code.Unauthenticated);
        }
        if (family.current !== request.refreshToken) {
          this.reusedTokens++;
          family.revoked = true;
          throw new ConnectError("refresh token is invalid, expired, or already used; log in again", Code.Unauthenticated);
        }
        family.rotated.add(family.current);
        family.current = this.id("refresh");
        this.familyOfToken.set(family.current, family);
        return { session: this.session(family, family.current) };
      },
      logout: (request) => {
        this.calls.push("Logout");
        const family = this.familyOfToken.get(request.refreshToken);
        if (family) {
          family.revoked = true;
        }
        return {};
      },
      logoutEverywhere: (_request, context) => {
        const playerId = this.authenticate("LogoutEverywhere", context);
        for (const family of this.families.values()) {
          if (family.playerId === playerId) {
            family.revoked = true;
          }
        }
        return {};
      },
      findMatch: (request, context) => {
        this.authenticate("FindMatch", context);
        if (this.findMatchFailure) {
          throw this.findMatchFailure;
        }
        this.findMatchRequests.push(request);
        return { ticketId: this.id("ticket"), alreadyQueued: false };
      },
      cancelMatch: (_request, context) => {
        this.authenticate("CancelMatch", context);
        if (this.cancelFailure) {
          throw this.cancelFailure;
        }
        const open = this.streams.at(-1);
        open?.fail(Code.Canceled, "matchmaking was cancelled (CancelMatch)");
        return {};
      },
      watchAssignment: (_request, context) => {
        this.authenticate("WatchAssignment", context);
        const stream = new StreamControl();
        this.streams.push(stream);
        const waiters = this.streamWaiters;
        this.streamWaiters = [];
        waiters.forEach((resolve) => resolve(stream));
        return stream.run(context.signal);
      },
      getProfile: (_request, context) => {
        const playerId = this.authenticate("GetProfile", context);
        return { playerId, username: "alice", rating: 1512.4, matchesPlayed: 7n, wins: 4n, losses: 2n, draws: 1n, kills: 30n, deaths: 12n };
      },
      getQueueOptions: () => {
        // Public: no token.
        this.calls.push("GetQueueOptions");
        if (this.queueOptionsFailure) {
          throw this.queueOptionsFailure;
        }
        return this.queueOptions;
      },
      changePassword: (request, context) => {
        const playerId = this.authenticate("ChangePassword", context);
        const account = [...this.accounts.values()].find((candidate) => candidate.playerId === playerId);
        if (!account) {
          throw new ConnectError("guests have no password; register an account", Code.FailedPrecondition);
        }
        if (request.currentPassword.length === 0) {
          throw new ConnectError("password is required", Code.InvalidArgument);
        }
        const length = [...request.newPassword].length;
        if (length < 8 || request.newPassword.length > 128) {
          throw new ConnectError("password must be 8 to 128 characters long", Code.InvalidArgument);
        }
        if (account.failures >= this.failuresBeforeLockout) {
          throw new ConnectError("too many failed logins for this account; retry in 30 s", Code.ResourceExhausted);
        }
        if (account.password !== request.currentPassword) {
          account.failures++;
          if (account.failures >= this.failuresBeforeLockout) {
            throw new ConnectError("too many failed logins for this account; retry in 30 s", Code.ResourceExhausted);
          }
          throw new ConnectError("unknown username or wrong password", Code.Unauthenticated);
        }
        account.failures = 0;
        account.password = request.newPassword;
        for (const family of this.families.values()) {
          if (family.playerId === playerId) {
            family.revoked = true;
          }
        }
        return { session: this.issue(playerId, account.username) };
      },
    });
  });

  client(): FrontendClient {
    return frontendClient(this.transport);
  }

  /** Every access token issued so far stops working (as if they had expired). */
  expireAccessTokens(): void {
    this.access.clear();
  }

  /** Whether a refresh token would still be accepted. */
  refreshTokenWorks(token: string): boolean {
    const family = this.familyOfToken.get(token);
    return family !== undefined && !family.revoked && family.current === token;
  }

  get openedStreams(): number {
    return this.streams.length;
  }

  /** The stream opened next (or the latest one, if it is already open and unclaimed). */
  nextStream(after = this.streams.length): Promise<StreamControl> {
    const existing = this.streams[after];
    if (existing) {
      return Promise.resolve(existing);
    }
    return new Promise((resolve) => this.streamWaiters.push(resolve));
  }

  private authenticate(method: string, context: HandlerContext): string {
    this.calls.push(method);
    const header = context.requestHeader.get("authorization") ?? "";
    const playerId = header.startsWith("Bearer ") ? this.access.get(header.slice("Bearer ".length)) : undefined;
    if (!playerId) {
      throw new ConnectError("invalid or expired access token; log in or refresh", Code.Unauthenticated);
    }
    return playerId;
  }

  private issue(playerId: string, username: string) {
    const family: Family = { playerId, username, current: this.id("refresh"), rotated: new Set(), revoked: false };
    this.families.set(this.id("family"), family);
    this.familyOfToken.set(family.current, family);
    return this.session(family, family.current);
  }

  private session(family: Family, refreshToken: string) {
    const accessToken = this.id("access");
    this.access.set(accessToken, family.playerId);
    return create(SessionSchema, {
      playerId: family.playerId,
      username: family.username,
      accessToken,
      refreshToken,
      accessExpiresAtEpochSeconds: BigInt(Math.floor(Date.now() / 1000) + this.accessTtlSeconds),
    });
  }

  private id(prefix: string): string {
    this.counter++;
    return `${prefix}-${this.counter}`;
  }
}

/** A Web Storage stand-in. */
export class MemoryStore {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}
