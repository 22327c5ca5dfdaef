// The SnapshotAssembler reuses its views, tables and player/charge objects. These tests compare
// it with the straightforward version it replaced (new maps per snapshot, kept here as the
// reference) over long random delta streams, and check that reuse never leaks one snapshot's
// state into another or changes a view before its slot in the ring comes round again.
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { type MatchPhase, MovementSpeed, type Snapshot, SnapshotSchema } from "../../src/gen/trespasser/game/v1/game_pb.js";
import { SnapshotAssembler, UnknownBaselineError, type View } from "../../src/match/wire.js";
import { seededBelow } from "./fixtures.js";

type SnapshotInit = Parameters<typeof create<typeof SnapshotSchema>>[1];

interface RefPlayer {
  slot: number;
  x: number;
  y: number;
  aim: number;
  health: number;
  speed: MovementSpeed;
  flags: number;
}
interface RefCharge {
  id: number;
  x: number;
  y: number;
  explodesAtTick: number;
}
interface RefView {
  tick: number;
  lastInputSequence: number;
  phase: MatchPhase;
  phaseSecondsLeft: number;
  redKills: number;
  blueKills: number;
  players: Map<number, RefPlayer>;
  damagedSlices: Map<number, number>;
  charges: Map<number, RefCharge>;
}

const REF_EMPTY: RefView = {
  tick: 0,
  lastInputSequence: 0,
  phase: 0,
  phaseSecondsLeft: 0,
  redKills: 0,
  blueKills: 0,
  players: new Map(),
  damagedSlices: new Map(),
  charges: new Map(),
};

/** The assembler as it was before reuse (new maps per snapshot), as the reference. */
class ReferenceAssembler {
  private history: (RefView | undefined)[] = new Array(SnapshotAssembler.HISTORY);
  private next = 0;

  reset(): void {
    this.history.fill(undefined);
    this.next = 0;
  }

  apply(s: Snapshot): RefView {
    let base: RefView;
    if (s.baselineAge === 0) {
      base = REF_EMPTY;
    } else {
      const baseTick = (s.tick - s.baselineAge) >>> 0;
      const found = this.history.find((v) => v !== undefined && v.tick === baseTick);
      if (found === undefined) throw new UnknownBaselineError("unknown baseline");
      base = found;
    }
    const players = new Map(base.players);
    for (const slot of s.hiddenSlots) players.delete(slot);
    for (const d of s.players) {
      const b = players.get(d.slot);
      players.set(d.slot, {
        slot: d.slot,
        x: d.x ?? b?.x ?? 0,
        y: d.y ?? b?.y ?? 0,
        aim: d.aim ?? b?.aim ?? 0,
        health: d.health ?? b?.health ?? 0,
        speed: d.speed ?? b?.speed ?? MovementSpeed.UNSPECIFIED,
        flags: d.flags ?? b?.flags ?? 0,
      });
    }
    const slices = new Map(base.damagedSlices);
    for (const slice of s.slices) slices.set(slice.index, slice.hp);
    const charges = new Map(base.charges);
    for (const id of s.removedCharges) charges.delete(id);
    for (const c of s.charges) charges.set(c.id, { id: c.id, x: c.x, y: c.y, explodesAtTick: c.explodesAtTick });
    const sorted = <V>(m: Map<number, V>) => new Map([...m.entries()].sort((a, b) => a[0] - b[0]));
    const view: RefView = {
      tick: s.tick,
      lastInputSequence: s.lastInputSequence ?? base.lastInputSequence,
      phase: s.phase ?? base.phase,
      phaseSecondsLeft: s.phaseSecondsLeft ?? base.phaseSecondsLeft,
      redKills: s.redKills ?? base.redKills,
      blueKills: s.blueKills ?? base.blueKills,
      players: sorted(players),
      damagedSlices: sorted(slices),
      charges: sorted(charges),
    };
    this.history[this.next] = view;
    this.next = (this.next + 1) % SnapshotAssembler.HISTORY;
    return view;
  }
}

/** Everything a view says, as plain data (a deep copy). */
function plain(v: View | RefView) {
  return {
    tick: v.tick,
    lastInputSequence: v.lastInputSequence,
    phase: v.phase,
    phaseSecondsLeft: v.phaseSecondsLeft,
    redKills: v.redKills,
    blueKills: v.blueKills,
    players: [...v.players.entries()].map(([k, p]) => [k, { ...p }]),
    damagedSlices: [...v.damagedSlices.entries()],
    charges: [...v.charges.entries()].map(([k, c]) => [k, { ...c }]),
  };
}


/** A random delta snapshot: optional fields absent or present, repeated and hidden slots, charges. */
function randomSnapshot(r: (n: number) => number, tick: number, ages: number[]): Snapshot {
  const opt = <T>(v: T): T | undefined => (r(3) === 0 ? undefined : v);
  const init: SnapshotInit = {
    tick,
    baselineAge: r(6) === 0 ? 0 : ages[r(ages.length)] ?? 0,
    lastInputSequence: opt(r(1000)),
    phase: opt(r(6)),
    phaseSecondsLeft: opt(r(300)),
    redKills: opt(r(50)),
    blueKills: opt(r(50)),
    players: Array.from({ length: r(6) }, () => ({
      slot: r(10),
      x: opt(r(4000) - 2000),
      y: opt(r(4000) - 2000),
      aim: opt(r(65536)),
      health: opt(r(101)),
      speed: opt(r(4)),
      flags: opt(r(16)),
    })),
    hiddenSlots: Array.from({ length: r(3) }, () => r(10)),
    slices: Array.from({ length: r(4) }, () => ({ index: r(60), hp: r(101) })),
    charges: Array.from({ length: r(3) === 0 ? 1 : 0 }, () => ({ id: r(8), x: r(500), y: r(500), explodesAtTick: tick + r(90) })),
    removedCharges: Array.from({ length: r(4) === 0 ? 1 : 0 }, () => r(8)),
  };
  return create(SnapshotSchema, init);
}

describe("SnapshotAssembler reusing its views", () => {
  it("assembles exactly what the map-per-snapshot version did, over long random delta streams", () => {
    for (const seed of [1, 42, 20261202]) {
      const r = seededBelow(seed);
      const a = new SnapshotAssembler();
      const ref = new ReferenceAssembler();
      let tick = 1;
      let unknown = 0;
      for (let n = 0; n < 1000; n++) {
        if (r(500) === 0) {
          a.reset();
          ref.reset();
        }
        tick += 1 + r(3);
        // Baselines mostly recent, sometimes near or past the end of the history (unknown).
        const s = randomSnapshot(r, tick, [2, 2, 4, 6, 10, 30, 60, 120, 130, 200]);
        let want: RefView | undefined;
        try {
          want = ref.apply(s);
        } catch (e) {
          expect(e).toBeInstanceOf(UnknownBaselineError);
        }
        if (want === undefined) {
          const latest = plain(a.latest());
          expect(() => a.apply(s)).toThrow(UnknownBaselineError);
          expect(plain(a.latest())).toEqual(latest);
          unknown++;
          continue;
        }
        const got = plain(a.apply(s));
        // Compared as JSON first: an expect per snapshot is slow; it reports a mismatch.
        if (JSON.stringify(got) !== JSON.stringify(plain(want))) {
          expect(got, `seed ${seed}, snapshot ${n}`).toEqual(plain(want));
        }
      }
      expect(unknown).toBeGreaterThan(10);
    }
  }, 60_000);

  it("never changes a view before HISTORY more snapshots were applied, and then reuses it", () => {
    const r = seededBelow(9);
    const a = new SnapshotAssembler();
    const held: { view: View; copy: string }[] = [];
    for (let tick = 1; tick <= 200; tick++) {
      const s = randomSnapshot(r, tick, [1, 1, 2, 3]);
      let v: View;
      try {
        v = a.apply(s);
      } catch {
        continue;
      }
      held.push({ view: v, copy: JSON.stringify(plain(v)) });
      if (held.length > SnapshotAssembler.HISTORY) {
        held.shift();
      }
      for (const h of held) {
        if (JSON.stringify(plain(h.view)) !== h.copy) {
          expect(plain(h.view), `view of tick ${h.view.tick} at tick ${tick}`).toEqual(JSON.parse(h.copy));
        }
      }
    }
    // The ring's object comes back: the 65th view after one is the same object, refilled.
    const first = a.apply(create(SnapshotSchema, { tick: 1000, players: [{ slot: 1, x: 5 }] }));
    let last = first;
    for (let t = 1; t <= SnapshotAssembler.HISTORY; t++) {
      last = a.apply(create(SnapshotSchema, { tick: 1000 + t, baselineAge: 1, players: [{ slot: 2, y: t }] }));
    }
    expect(last).toBe(first);
    expect(plain(last).players).toEqual([
      [1, { slot: 1, x: 5, y: 0, aim: 0, health: 0, speed: 0, flags: 0 }],
      [2, { slot: 2, x: 0, y: SnapshotAssembler.HISTORY, aim: 0, health: 0, speed: 0, flags: 0 }],
    ]);
  });

  it("does not reuse the view a snapshot is read against (a baseline HISTORY - 1 snapshots old)", () => {
    const a = new SnapshotAssembler();
    a.apply(create(SnapshotSchema, { tick: 1, redKills: 7, players: [{ slot: 3, x: 9, flags: 1 }], slices: [{ index: 4, hp: 20 }] }));
    for (let t = 2; t <= SnapshotAssembler.HISTORY; t++) {
      a.apply(create(SnapshotSchema, { tick: t, baselineAge: 1, players: [{ slot: 3, x: t }] }));
    }
    // Tick 1's view sits in the slot the next view takes; the next snapshot is read against it.
    const v = a.apply(create(SnapshotSchema, { tick: 100, baselineAge: 99, players: [{ slot: 5, aim: 2 }] }));
    expect(plain(v).players).toEqual([
      [3, { slot: 3, x: 9, y: 0, aim: 0, health: 0, speed: 0, flags: 1 }],
      [5, { slot: 5, x: 0, y: 0, aim: 2, health: 0, speed: 0, flags: 0 }],
    ]);
    expect(v.redKills).toBe(7);
    expect([...v.damagedSlices]).toEqual([[4, 20]]);
  });

  it("reads a player hidden and sent again in one snapshot against an all-zero player", () => {
    const a = new SnapshotAssembler();
    a.apply(create(SnapshotSchema, { tick: 1, players: [{ slot: 2, x: 50, y: 60, health: 90 }] }));
    const v = a.apply(create(SnapshotSchema, { tick: 2, baselineAge: 1, hiddenSlots: [2], players: [{ slot: 2, y: 7 }] }));
    expect(v.players.get(2)).toEqual({ slot: 2, x: 0, y: 7, aim: 0, health: 0, speed: 0, flags: 0 });
  });

  it("handles a hostile snapshot with many thousands of entries (no quadratic work)", () => {
    const a = new SnapshotAssembler();
    const n = 60000;
    const s = create(SnapshotSchema, {
      tick: 5,
      players: Array.from({ length: n }, (_, i) => ({ slot: (i * 7919) % n, x: i })),
      hiddenSlots: Array.from({ length: n }, (_, i) => i),
      slices: Array.from({ length: n }, (_, i) => ({ index: n - i, hp: 1 })),
    });
    const v = a.apply(s);
    expect(v.players.size).toBe(n);
    expect(v.damagedSlices.size).toBe(n);
    expect(v.players.keyAt(0)).toBe(0);
    expect(v.players.keyAt(n - 1)).toBe(n - 1);
  });
});
