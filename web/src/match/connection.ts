// The WebSocket to the match server: join with the token as the first frame, decode each binary
// frame into a ServerMessage, and after an unexpected drop rejoin with the same token (backoff, a
// few tries). Fatal notices and close codes (4000 + ErrorReason) end the seat for good.
import { ErrorReason, type ServerMessage } from "../gen/trespasser/game/v1/game_pb.js";
import { type ClientMessageInit, decodeServerFrame, encodeClientMessage } from "./wire.js";

export const PROTOCOL_VERSION = 1;
const CLOSE_CODE_BASE = 4000;
/** WebSocket.OPEN, spelt out so the class also runs where no WebSocket global exists (tests). */
const OPEN = 1;
/** Backoff before each rejoin attempt; after the last the connection is lost. */
export const RECONNECT_DELAYS_MS = [250, 1000, 2000, 4000, 8000];

/** Reasons after which rejoining with the same token cannot help. */
const FATAL: ReadonlySet<ErrorReason> = new Set([
  ErrorReason.BAD_TOKEN,
  ErrorReason.TOKEN_EXPIRED,
  ErrorReason.WRONG_MATCH,
  ErrorReason.NOT_ON_ROSTER,
  ErrorReason.MATCH_OVER,
  ErrorReason.NO_MATCH,
  ErrorReason.REPLACED,
  ErrorReason.UNSUPPORTED_VERSION,
  ErrorReason.WRONG_SERVER,
  ErrorReason.SERVER_SHUTTING_DOWN,
  ErrorReason.JOIN_REQUIRED,
]);

export function isFatal(reason: ErrorReason): boolean {
  return FATAL.has(reason);
}

/** The ErrorReason a close code names, if it is one of ours (4000 + reason). */
export function reasonOfCloseCode(code: number): ErrorReason | undefined {
  const r = code - CLOSE_CODE_BASE;
  return code >= CLOSE_CODE_BASE && r in ErrorReason && r !== 0 ? (r as ErrorReason) : undefined;
}

export function matchServerUrl(host: string, port: number, tls: boolean): string {
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `${tls ? "wss" : "ws"}://${h}:${port}/`;
}

export interface ConnectionEvents {
  /** A socket opened and the join went out; `attempt` 0 is the first connection. */
  opened(attempt: number): void;
  message(message: ServerMessage): void;
  /** A frame that does not decode: dropped, counted, never thrown. */
  badFrame(error: string): void;
  /** The seat is gone for good. */
  ended(kind: "refused" | "lost" | "finished", detail: string): void;
  /** Reconnecting after a drop (attempt from 1). */
  reconnecting(attempt: number): void;
}

type SocketFactory = (url: string) => WebSocket;

export class MatchConnection {
  private socket: WebSocket | undefined;
  private attempt = 0;
  private retries = 0;
  private stopped = false;
  private finished = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private notice: { reason: ErrorReason; message: string } | undefined;
  /** True once a Welcome arrived on the current socket. */
  welcomed = false;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly events: ConnectionEvents,
    private readonly factory: SocketFactory = (u) => new WebSocket(u),
  ) {}

  start(): void {
    this.open();
  }

  /** The match ended normally: the close that follows is not a drop. */
  markFinished(): void {
    this.finished = true;
  }

  /** True when a frame sent now goes out (socket open and the Welcome received). */
  canSend(): boolean {
    return this.socket !== undefined && this.socket.readyState === OPEN && this.welcomed;
  }

  send(message: ClientMessageInit): boolean {
    if (!this.canSend()) {
      return false;
    }
    this.socket!.send(encodeClientMessage(message));
    return true;
  }

  /** Sends bytes encoded already (the hand-encoded input and ack frames of wire.ts). */
  sendEncoded(bytes: Uint8Array): boolean {
    if (!this.canSend()) {
      return false;
    }
    this.socket!.send(bytes);
    return true;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    this.socket?.close(1000, "left");
    this.socket = undefined;
  }

  private open(): void {
    if (this.stopped) {
      return;
    }
    let socket: WebSocket;
    try {
      socket = this.factory(this.url);
    } catch (e) {
      this.dropped(`cannot open ${this.url}: ${String(e)}`);
      return;
    }
    this.socket = socket;
    this.welcomed = false;
    this.notice = undefined;
    socket.binaryType = "arraybuffer";
    socket.onopen = () => {
      socket.send(encodeClientMessage({ kind: { case: "join", value: { token: this.token, protocolVersion: PROTOCOL_VERSION } } }));
      this.events.opened(this.attempt);
    };
    socket.onmessage = (e: MessageEvent) => this.receive(e.data);
    socket.onclose = (e: CloseEvent) => {
      if (this.socket !== socket) {
        return;
      }
      this.socket = undefined;
      this.closed(e.code, e.reason);
    };
    socket.onerror = () => {
      // A close event always follows; it decides.
    };
  }

  /** One frame from the socket; whatever it holds, nothing escapes this handler. */
  receive(data: unknown): void {
    const decoded = decodeServerFrame(data);
    if (!decoded.ok) {
      this.events.badFrame(decoded.error);
      return;
    }
    const m = decoded.message;
    if (m.kind.case === "welcome") {
      this.welcomed = true;
      this.retries = 0;
    } else if (m.kind.case === "error") {
      this.notice = { reason: m.kind.value.reason, message: m.kind.value.message };
    } else if (m.kind.case === "matchEnd" && !m.kind.value.restarting) {
      this.finished = true;
    }
    try {
      this.events.message(m);
    } catch (e) {
      this.events.badFrame(`handling ${m.kind.case} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private closed(code: number, reason: string): void {
    if (this.stopped) {
      return;
    }
    const r = this.notice?.reason ?? reasonOfCloseCode(code);
    if (this.finished && (r === undefined || r === ErrorReason.MATCH_OVER)) {
      this.stopped = true;
      this.events.ended("finished", "the match is over");
      return;
    }
    if (r !== undefined && isFatal(r)) {
      this.stopped = true;
      this.events.ended("refused", `${ErrorReason[r]}${this.notice?.message ? `: ${this.notice.message}` : reason ? `: ${reason}` : ""}`);
      return;
    }
    this.dropped(`closed with ${code}${reason ? ` (${reason})` : ""}`);
  }

  private dropped(detail: string): void {
    const delay = RECONNECT_DELAYS_MS[this.retries];
    if (delay === undefined) {
      this.stopped = true;
      this.events.ended("lost", detail);
      return;
    }
    this.retries++;
    this.attempt++;
    this.events.reconnecting(this.retries);
    this.timer = setTimeout(() => this.open(), delay);
  }
}
