// The hand-written encoder of the two frames sent per tick or snapshot must give protobuf-es's
// bytes exactly (the server decodes them with the generated Java code, and protobuf-es is the
// reference the rest of the client uses).
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ClientMessageSchema, MovementSpeed } from "../../src/gen/trespasser/game/v1/game_pb.js";
import { encodeAckMessage, encodeInputMessage, type PacedInput } from "../../src/match/wire.js";
import { xorshift32 } from "./fixtures.js";

const U32_EDGES = [0, 1, 2, 127, 128, 255, 256, 16383, 16384, 65535, 65536, 2097151, 2097152, 268435455, 268435456, 0x7fffffff, 0x80000000, 0xffffffff];
const SPEEDS = [MovementSpeed.UNSPECIFIED, MovementSpeed.SNEAK, MovementSpeed.WALK, MovementSpeed.RUN, 127, 128, 0x7fffffff, -1, -128, -0x80000000];

function reference(sequence: number, input: PacedInput, ack: number | undefined): Uint8Array {
  return toBinary(
    ClientMessageSchema,
    create(ClientMessageSchema, { kind: { case: "input", value: { sequence, ...input, ackSnapshotTick: ack } } }),
  );
}


describe("hand-encoded InputCommand frames", () => {
  it("equal protobuf-es's bytes for every edge value in every field", () => {
    let cases = 0;
    for (const v of U32_EDGES) {
      for (const field of ["sequence", "buttons", "aim", "throwDistance", "ack"] as const) {
        const input: PacedInput = { buttons: 5, speed: MovementSpeed.WALK, aim: 40000, throwDistance: 12 };
        let sequence = 9;
        let ack: number | undefined = 300;
        if (field === "sequence") sequence = v;
        else if (field === "ack") ack = v;
        else input[field] = v;
        expect(encodeInputMessage(sequence, input, ack), `${field} = ${v}`).toEqual(reference(sequence, input, ack));
        cases++;
      }
    }
    for (const speed of SPEEDS) {
      for (const ack of [undefined, 0, 1, 0xffffffff]) {
        const input: PacedInput = { buttons: 0, speed, aim: 0, throwDistance: 0 };
        expect(encodeInputMessage(0, input, ack), `speed ${speed}, ack ${ack}`).toEqual(reference(0, input, ack));
        cases++;
      }
    }
    expect(cases).toBe(U32_EDGES.length * 5 + SPEEDS.length * 4);
  });

  it("equal protobuf-es's bytes over 5000 random inputs, and decode to the same fields", () => {
    const next = xorshift32(20261202);
    for (let i = 0; i < 5000; i++) {
      // Mostly the sizes a match sends (small numbers, 16-bit aim), sometimes any uint32.
      const wide = next() % 8 === 0;
      const pick = (small: number) => (wide ? next() : next() % small);
      const input: PacedInput = {
        buttons: pick(64),
        speed: next() % 4,
        aim: pick(65536),
        throwDistance: pick(41),
      };
      const sequence = pick(1 << 20);
      const ack = next() % 3 === 0 ? undefined : pick(1 << 20);
      const bytes = encodeInputMessage(sequence, input, ack);
      const want = reference(sequence, input, ack);
      // An expect per case is slow; it runs (and reports) on a mismatch.
      if (bytes.length !== want.length || bytes.some((b, k) => b !== want[k])) {
        expect(bytes, `case ${i}`).toEqual(want);
      }
      if (i % 10 !== 0) continue;
      const m = fromBinary(ClientMessageSchema, bytes);
      expect(m.kind.case).toBe("input");
      if (m.kind.case === "input") {
        const v = m.kind.value;
        expect([v.sequence, v.buttons, v.speed, v.aim, v.throwDistance, v.ackSnapshotTick]).toEqual([
          sequence,
          input.buttons,
          input.speed,
          input.aim,
          input.throwDistance,
          ack,
        ]);
      }
    }
  });

  it("returns a fresh array each time (the socket may keep what it was given)", () => {
    const input: PacedInput = { buttons: 1, speed: MovementSpeed.RUN, aim: 7, throwDistance: 0 };
    const a = encodeInputMessage(1, input, 10);
    const copy = a.slice();
    encodeInputMessage(2, { buttons: 0, speed: 0, aim: 0, throwDistance: 40 }, undefined);
    encodeAckMessage(99);
    expect(a).toEqual(copy);
  });

  it("refuses what protobuf-es refuses (not a uint32 or int32)", () => {
    const ok: PacedInput = { buttons: 0, speed: MovementSpeed.WALK, aim: 0, throwDistance: 0 };
    for (const bad of [-1, 0x100000000, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => reference(bad, ok, undefined)).toThrow();
      expect(() => encodeInputMessage(bad, ok, undefined)).toThrow(RangeError);
      expect(() => encodeInputMessage(1, { ...ok, aim: bad }, undefined)).toThrow(RangeError);
      expect(() => encodeInputMessage(1, ok, bad)).toThrow(RangeError);
      expect(() => encodeAckMessage(bad)).toThrow(RangeError);
    }
    for (const bad of [0x80000000, -0x80000001, 0.5]) {
      expect(() => reference(1, { ...ok, speed: bad }, undefined)).toThrow();
      expect(() => encodeInputMessage(1, { ...ok, speed: bad }, undefined)).toThrow(RangeError);
    }
  });
});

describe("hand-encoded SnapshotAck frames", () => {
  it("equal protobuf-es's bytes for edge and random ticks", () => {
    const next = xorshift32(7);
    const ticks = [...U32_EDGES, ...Array.from({ length: 2000 }, () => (next() % 2 === 0 ? next() % 100000 : next()))];
    for (const tick of ticks) {
      const want = toBinary(ClientMessageSchema, create(ClientMessageSchema, { kind: { case: "ack", value: { snapshotTick: tick } } }));
      const got = encodeAckMessage(tick);
      if (got.length !== want.length || got.some((b, k) => b !== want[k])) {
        expect(got, `tick ${tick}`).toEqual(want);
      }
    }
  });
});
