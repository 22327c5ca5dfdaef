import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  MatchPhase,
  MovementSpeed,
  ServerMessageSchema,
  type Snapshot,
  SnapshotSchema,
  SoundKind,
} from "../../src/gen/trespasser/game/v1/game_pb.js";
import { toBinary } from "@bufbuild/protobuf";
import {
  aimFromRadians,
  aimToRadians,
  aimTowards,
  decodeServerFrame,
  InputPacer,
  MAX_SERVER_FRAME_BYTES,
  PendingAck,
  SnapshotAssembler,
  UnknownBaselineError,
  unpackSound,
  wirePosition,
} from "../../src/match/wire.js";

type SnapshotInit = Parameters<typeof create<typeof SnapshotSchema>>[1];
const snap = (init: SnapshotInit): Snapshot => create(SnapshotSchema, init);

describe("SnapshotAssembler", () => {
  it("reads a full snapshot against the empty view", () => {
    const a = new SnapshotAssembler();
    const v = a.apply(
      snap({ tick: 10, baselineAge: 0, phase: MatchPhase.ACTIVE, redKills: 2, players: [{ slot: 1, x: 80, y: 16, flags: 1 }], slices: [{ index: 5, hp: 75 }] }),
    );
    expect(v.tick).toBe(10);
    expect(v.phase).toBe(MatchPhase.ACTIVE);
    expect(v.redKills).toBe(2);
    expect(v.blueKills).toBe(0);
    expect(v.players.get(1)).toEqual({ slot: 1, x: 80, y: 16, aim: 0, health: 0, speed: MovementSpeed.UNSPECIFIED, flags: 1 });
    expect([...v.damagedSlices]).toEqual([[5, 75]]);
  });

  it("keeps the baseline's value for every absent optional and applies what changed", () => {
    const a = new SnapshotAssembler();
    a.apply(
      snap({
        tick: 10,
        lastInputSequence: 4,
        phase: MatchPhase.ACTIVE,
        phaseSecondsLeft: 100,
        players: [
          { slot: 0, x: 8, y: 8, aim: 100, health: 100, speed: MovementSpeed.RUN, flags: 9 },
          { slot: 3, x: 40, y: 40, flags: 1 },
        ],
        charges: [{ id: 7, x: 1, y: 2, explodesAtTick: 90 }],
      }),
    );
    const v = a.apply(
      snap({ tick: 12, baselineAge: 2, players: [{ slot: 0, x: 16 }], hiddenSlots: [3], slices: [{ index: 2, hp: 0 }], removedCharges: [7] }),
    );
    expect(v.lastInputSequence).toBe(4);
    expect(v.phase).toBe(MatchPhase.ACTIVE);
    expect(v.phaseSecondsLeft).toBe(100);
    expect(v.players.get(0)).toEqual({ slot: 0, x: 16, y: 8, aim: 100, health: 100, speed: MovementSpeed.RUN, flags: 9 });
    expect(v.players.has(3)).toBe(false);
    expect(v.charges.size).toBe(0);
    expect(v.damagedSlices.get(2)).toBe(0);
  });

  it("encodes against an older acked baseline, not the newest view", () => {
    const a = new SnapshotAssembler();
    a.apply(snap({ tick: 10, redKills: 1, players: [{ slot: 0, x: 1 }] }));
    a.apply(snap({ tick: 12, baselineAge: 2, redKills: 5, players: [{ slot: 0, x: 2 }] }));
    // The server never saw the ack for 12: it encodes 14 against 10.
    const v = a.apply(snap({ tick: 14, baselineAge: 4, players: [{ slot: 0, y: 3 }] }));
    expect(v.redKills).toBe(1);
    expect(v.players.get(0)?.x).toBe(1);
    expect(v.players.get(0)?.y).toBe(3);
  });

  it("reads a player new to the baseline against an all-zero player", () => {
    const a = new SnapshotAssembler();
    a.apply(snap({ tick: 10 }));
    const v = a.apply(snap({ tick: 11, baselineAge: 1, players: [{ slot: 6, aim: 5 }] }));
    expect(v.players.get(6)).toEqual({ slot: 6, x: 0, y: 0, aim: 5, health: 0, speed: 0, flags: 0 });
  });

  it("refuses an unknown baseline without changing the latest view", () => {
    const a = new SnapshotAssembler();
    const first = a.apply(snap({ tick: 10, redKills: 3 }));
    expect(() => a.apply(snap({ tick: 20, baselineAge: 4 }))).toThrow(UnknownBaselineError);
    expect(a.latest()).toBe(first);
  });

  it("forgets baselines older than its history", () => {
    const a = new SnapshotAssembler();
    for (let t = 1; t <= SnapshotAssembler.HISTORY + 1; t++) {
      a.apply(snap({ tick: t, baselineAge: t === 1 ? 0 : 1 }));
    }
    expect(() => a.apply(snap({ tick: 100, baselineAge: 99 }))).toThrow(UnknownBaselineError);
    expect(a.apply(snap({ tick: 100, baselineAge: 100 - SnapshotAssembler.HISTORY })).tick).toBe(100);
  });
});

describe("PendingAck", () => {
  it("lets the newest ack ride on the next input", () => {
    const p = new PendingAck();
    expect(p.snapshotApplied(10)).toBeUndefined();
    expect(p.takeForInput()).toBe(10);
    expect(p.takeForInput()).toBeUndefined();
  });

  it("hands back a waiting ack to send alone when the next snapshot comes first", () => {
    const p = new PendingAck();
    p.snapshotApplied(10);
    expect(p.snapshotApplied(12)).toBe(10);
    expect(p.takeForInput()).toBe(12);
  });
});

describe("InputPacer", () => {
  const still = { buttons: 0, speed: MovementSpeed.WALK, aim: 0, throwDistance: 0 };

  it("sends the first input, then only on change or after the interval", () => {
    const p = new InputPacer(100);
    expect(p.shouldSend(still, 0)).toBe(true);
    p.sent(still, 0);
    expect(p.shouldSend(still, 50)).toBe(false);
    expect(p.shouldSend(still, 99.9)).toBe(false);
    expect(p.shouldSend(still, 100)).toBe(true);
  });

  it("sends at once when buttons, speed, aim or throw distance change", () => {
    const p = new InputPacer(100);
    p.sent(still, 0);
    expect(p.shouldSend({ ...still, buttons: 8 }, 1)).toBe(true);
    expect(p.shouldSend({ ...still, speed: MovementSpeed.RUN }, 1)).toBe(true);
    expect(p.shouldSend({ ...still, aim: 1 }, 1)).toBe(true);
    expect(p.shouldSend({ ...still, throwDistance: 30 }, 1)).toBe(true);
  });

  it("does not keep the caller's object", () => {
    const p = new InputPacer(100);
    const input = { ...still };
    p.sent(input, 0);
    input.buttons = 1;
    expect(p.shouldSend(input, 1)).toBe(true);
  });
});

describe("aim and positions", () => {
  it("quantises like Aim.fromRadians: 16 bits over [0, 2π), wrapping", () => {
    expect(aimFromRadians(0)).toBe(0);
    expect(aimFromRadians(Math.PI / 2)).toBe(16384);
    expect(aimFromRadians(Math.PI)).toBe(32768);
    expect(aimFromRadians(-Math.PI / 2)).toBe(49152);
    expect(aimFromRadians(2 * Math.PI)).toBe(0);
    expect(aimFromRadians(2 * Math.PI - 1e-9)).toBe(0);
    expect(aimFromRadians(5 * Math.PI)).toBe(32768);
    for (let a = 0; a < 65536; a += 97) {
      expect(aimFromRadians(aimToRadians(a))).toBe(a);
    }
  });

  it("points down the screen for +y", () => {
    expect(aimTowards(10, 10, 10, 20)).toBe(16384);
    expect(aimTowards(10, 10, 10, 10)).toBe(0);
  });

  it("rounds positions like Java's Math.round", () => {
    expect(wirePosition(1.0625)).toBe(9);
    expect(wirePosition(-0.0625)).toBe(0);
    expect(wirePosition(-0.1875)).toBe(-1);
    expect(wirePosition(375)).toBe(3000);
  });

  it("unpacks sounds: direction, muffled bit, kind", () => {
    expect(unpackSound(1234 | (1 << 16) | (SoundKind.GUNSHOT << 17))).toEqual({ kind: SoundKind.GUNSHOT, direction: 1234, muffled: true });
    expect(unpackSound(5 | (SoundKind.FOOTSTEP_RUN << 17))).toEqual({ kind: SoundKind.FOOTSTEP_RUN, direction: 5, muffled: false });
    expect(unpackSound(99 << 17).kind).toBe(SoundKind.UNSPECIFIED);
  });
});

describe("decodeServerFrame", () => {
  it("decodes a real frame", () => {
    const bytes = toBinary(ServerMessageSchema, create(ServerMessageSchema, { kind: { case: "snapshot", value: { tick: 5 } } }));
    const d = decodeServerFrame(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(d.ok && d.message.kind.case === "snapshot" && d.message.kind.value.tick).toBe(5);
  });

  it("turns garbage, truncation, unknown kinds, oversized and non-binary frames into errors", () => {
    const hostile: unknown[] = [
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
      new Uint8Array([0x12, 0x10, 0x08]), // snapshot field claiming 16 bytes, 1 present
      new Uint8Array([0x0a]), // tag without length
      new Uint8Array([0xba, 0x06, 0x02, 0x08, 0x01]), // field 103: an unknown oneof kind
      new Uint8Array([]), // nothing at all: no kind
      new Uint8Array(MAX_SERVER_FRAME_BYTES + 1),
      "a text frame",
      null,
      { length: 3 },
    ];
    for (const frame of hostile) {
      const d = decodeServerFrame(frame);
      expect(d.ok, String(frame)).toBe(false);
    }
  });

  it("never throws on random bytes", () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 500; i++) {
      const bytes = new Uint8Array(next() % 64);
      for (let j = 0; j < bytes.length; j++) {
        bytes[j] = next() & 0xff;
      }
      expect(() => decodeServerFrame(bytes)).not.toThrow();
    }
  });
});
