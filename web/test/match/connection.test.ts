import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ClientMessageSchema, ErrorReason, type ServerMessage, ServerMessageSchema } from "../../src/gen/trespasser/game/v1/game_pb.js";
import { type ConnectionEvents, MatchConnection, matchServerUrl, reasonOfCloseCode, RECONNECT_DELAYS_MS } from "../../src/match/connection.js";

/** A WebSocket stand-in: records what is sent, lets the test open, deliver and close. */
class FakeSocket {
  binaryType = "blob";
  readyState = 0;
  sent: Uint8Array[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {}
  send(b: Uint8Array) {
    this.sent.push(b);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  deliver(m: Parameters<typeof create<typeof ServerMessageSchema>>[1]) {
    const b = toBinary(ServerMessageSchema, create(ServerMessageSchema, m));
    this.onmessage?.({ data: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) });
  }
  drop(code: number, reason = "") {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const log = { messages: [] as ServerMessage[], bad: [] as string[], ended: [] as string[], reconnecting: [] as number[] };
  const events: ConnectionEvents = {
    opened: () => undefined,
    message: (m) => log.messages.push(m),
    badFrame: (e) => log.bad.push(e),
    ended: (kind, detail) => log.ended.push(`${kind}: ${detail}`),
    reconnecting: (n) => log.reconnecting.push(n),
  };
  const c = new MatchConnection("ws://host:7000/", "tok-1", events, (url) => {
    const s = new FakeSocket(url);
    sockets.push(s);
    return s as unknown as WebSocket;
  });
  c.start();
  return { c, sockets, log };
}

const joinOf = (b: Uint8Array) => {
  const m = fromBinary(ClientMessageSchema, b);
  return m.kind.case === "join" ? m.kind.value : undefined;
};

describe("MatchConnection", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("joins with the token as the first frame, in arraybuffer mode", () => {
    const { sockets } = harness();
    const s = sockets[0]!;
    s.open();
    expect(s.binaryType).toBe("arraybuffer");
    expect(joinOf(s.sent[0]!)).toMatchObject({ token: "tok-1", protocolVersion: 1 });
  });

  it("sends nothing but the join before the Welcome", () => {
    const { c, sockets } = harness();
    sockets[0]!.open();
    expect(c.send({ kind: { case: "vote", value: {} } })).toBe(false);
    sockets[0]!.deliver({ kind: { case: "welcome", value: { slot: 2 } } });
    expect(c.send({ kind: { case: "vote", value: {} } })).toBe(true);
    expect(sockets[0]!.sent.length).toBe(2);
  });

  it("survives hostile frames without throwing out of the socket handler", () => {
    const { sockets, log } = harness();
    const s = sockets[0]!;
    s.open();
    const hostile: unknown[] = [
      new Uint8Array([0xff, 0xff, 0xff]).buffer,
      new Uint8Array([0xba, 0x06, 0x00]).buffer, // an unknown oneof kind
      new Uint8Array(300 * 1024).buffer, // oversized
      "text",
      new Uint8Array([0x12, 0x05, 0x08]).buffer, // truncated snapshot
    ];
    for (const data of hostile) {
      expect(() => s.onmessage!({ data })).not.toThrow();
    }
    expect(log.bad.length).toBe(hostile.length);
    expect(log.messages.length).toBe(0);
  });

  it("contains a handler that throws on a well-formed message", () => {
    const sockets: FakeSocket[] = [];
    const bad: string[] = [];
    const c = new MatchConnection(
      "ws://x:1/",
      "t",
      {
        opened: () => undefined,
        message: () => {
          throw new Error("boom");
        },
        badFrame: (e) => bad.push(e),
        ended: () => undefined,
        reconnecting: () => undefined,
      },
      (u) => {
        const s = new FakeSocket(u);
        sockets.push(s);
        return s as unknown as WebSocket;
      },
    );
    c.start();
    sockets[0]!.open();
    expect(() => sockets[0]!.deliver({ kind: { case: "snapshot", value: { tick: 1 } } })).not.toThrow();
    expect(bad[0]).toContain("boom");
  });

  it("rejoins with the same token after an unexpected drop, with backoff, then gives up", () => {
    const { sockets, log } = harness();
    sockets[0]!.open();
    sockets[0]!.deliver({ kind: { case: "welcome", value: {} } });
    sockets[0]!.drop(1006);
    expect(log.reconnecting).toEqual([1]);
    expect(sockets.length).toBe(1);
    vi.advanceTimersByTime(RECONNECT_DELAYS_MS[0]!);
    expect(sockets.length).toBe(2);
    sockets[1]!.open();
    expect(joinOf(sockets[1]!.sent[0]!)?.token).toBe("tok-1");
    // Never welcomed again: every further try fails until the backoff list runs out.
    for (let i = 1; i < RECONNECT_DELAYS_MS.length + 1; i++) {
      sockets[i]!.drop(1006);
      vi.advanceTimersByTime(RECONNECT_DELAYS_MS[i] ?? 0);
    }
    expect(log.ended).toHaveLength(1);
    expect(log.ended[0]).toMatch(/^lost/);
  });

  it("a Welcome after a rejoin resets the backoff", () => {
    const { sockets, log } = harness();
    sockets[0]!.open();
    sockets[0]!.drop(1006);
    vi.advanceTimersByTime(RECONNECT_DELAYS_MS[0]!);
    sockets[1]!.open();
    sockets[1]!.deliver({ kind: { case: "welcome", value: {} } });
    sockets[1]!.drop(1006);
    expect(log.reconnecting).toEqual([1, 1]);
  });

  it("treats fatal close codes and notices as refusals, not drops", () => {
    const a = harness();
    a.sockets[0]!.open();
    a.sockets[0]!.drop(4003, "bad token");
    expect(a.log.ended[0]).toMatch(/^refused: BAD_TOKEN/);
    expect(a.log.reconnecting).toEqual([]);

    const b = harness();
    b.sockets[0]!.open();
    b.sockets[0]!.deliver({ kind: { case: "error", value: { reason: ErrorReason.NOT_ON_ROSTER, message: "who are you" } } });
    b.sockets[0]!.drop(1006);
    expect(b.log.ended[0]).toBe("refused: NOT_ON_ROSTER: who are you");
  });

  it("retries after a transient refusal (token still in use by the dying socket)", () => {
    const { sockets, log } = harness();
    sockets[0]!.open();
    sockets[0]!.drop(4016);
    expect(log.ended).toEqual([]);
    expect(log.reconnecting).toEqual([1]);
  });

  it("ends as finished when the server closes after a final MatchEnd", () => {
    const { sockets, log } = harness();
    sockets[0]!.open();
    sockets[0]!.deliver({ kind: { case: "welcome", value: {} } });
    sockets[0]!.deliver({ kind: { case: "matchEnd", value: { restarting: false } } });
    sockets[0]!.drop(4010);
    expect(log.ended).toEqual(["finished: the match is over"]);
  });

  it("names close codes and builds URLs", () => {
    expect(reasonOfCloseCode(4010)).toBe(ErrorReason.MATCH_OVER);
    expect(reasonOfCloseCode(1006)).toBeUndefined();
    expect(reasonOfCloseCode(4999)).toBeUndefined();
    expect(matchServerUrl("10-0-0-1.gs.example.com", 7000, true)).toBe("wss://10-0-0-1.gs.example.com:7000/");
    expect(matchServerUrl("127.0.0.1", 7000, false)).toBe("ws://127.0.0.1:7000/");
    expect(matchServerUrl("::1", 7000, false)).toBe("ws://[::1]:7000/");
  });
});
