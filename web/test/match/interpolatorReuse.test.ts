// The Interpolator reuses its frames and pose objects. It is compared here with the version it
// replaced (a Map and new poses per snapshot and per sample, kept below as the reference) over
// random snapshot streams: players coming and going, repeated ticks, ticks going back, respawn
// jumps, render times before, between and past the snapshots.
import { describe, expect, it } from "vitest";
import { Interpolator, type Pose } from "../../src/match/interpolation.js";
import { aimToRadians } from "../../src/match/wire.js";
import { seededBelow } from "./fixtures.js";

interface Frame {
  tick: number;
  poses: Map<number, Pose>;
}

class ReferenceInterpolator {
  private frames: Frame[] = [];

  /** @param maxExtrapolationTicks how far past the newest snapshot a player keeps moving */
  constructor(private readonly maxExtrapolationTicks = 2) {}

  /** Adds a snapshot's players (positions in world units, aim quantised). */
  push(tick: number, players: Iterable<{ slot: number; x: number; y: number; aim: number }>): void {
    const poses = new Map<number, Pose>();
    for (const p of players) {
      poses.set(p.slot, { x: p.x, y: p.y, aim: aimToRadians(p.aim) });
    }
    const last = this.frames[this.frames.length - 1];
    if (last !== undefined && tick <= last.tick) {
      if (tick < last.tick) {
        // Ticks went back: a new round or connection; start over.
        this.frames = [];
      } else {
        this.frames.pop();
      }
    }
    this.frames.push({ tick, poses });
    if (this.frames.length > 32) {
      this.frames.shift();
    }
  }

  clear(): void {
    this.frames = [];
  }

  newestTick(): number | undefined {
    return this.frames[this.frames.length - 1]?.tick;
  }

  /** Every slot in the newest snapshot, posed at `renderTick` (fractional server ticks). */
  sample(renderTick: number): Map<number, Pose> {
    const out = new Map<number, Pose>();
    const newest = this.frames[this.frames.length - 1];
    if (newest === undefined) {
      return out;
    }
    for (const slot of newest.poses.keys()) {
      out.set(slot, this.poseOf(slot, renderTick));
    }
    return out;
  }

  private poseOf(slot: number, t: number): Pose {
    const frames = this.frames;
    let i = frames.length - 1;
    while (i > 0 && frames[i]!.tick > t) {
      i--;
    }
    const a = frames[i]!;
    const pa = a.poses.get(slot);
    // The newest pose exists (sample iterates the newest frame's slots).
    const newestPose = frames[frames.length - 1]!.poses.get(slot)!;
    if (pa === undefined) {
      return newestPose;
    }
    const b = frames[i + 1];
    const pb = b?.poses.get(slot);
    if (b !== undefined && pb !== undefined) {
      const f = Math.min(1, Math.max(0, (t - a.tick) / (b.tick - a.tick)));
      return refLerpPose(pa, pb, f);
    }
    if (b !== undefined) {
      return newestPose;
    }
    // Past the newest snapshot: extrapolate from the previous one, bounded.
    const prev = frames[i - 1];
    const pp = prev?.poses.get(slot);
    if (prev === undefined || pp === undefined || t <= a.tick) {
      return pa;
    }
    const limit = this.maxExtrapolationTicks;
    const past = t - a.tick;
    // Up to the limit it keeps moving; over the next twice the limit it eases back.
    const ahead = past <= limit ? past : Math.max(0, limit * (1 - (past - limit) / (2 * limit)));
    const dt = a.tick - prev.tick;
    // A jump (respawn) is not a velocity.
    if (Math.hypot(pa.x - pp.x, pa.y - pp.y) > 4 * dt) {
      return pa;
    }
    return { x: pa.x + ((pa.x - pp.x) / dt) * ahead, y: pa.y + ((pa.y - pp.y) / dt) * ahead, aim: pa.aim };
  }
}

function refLerpPose(a: Pose, b: Pose, f: number): Pose {
  let d = b.aim - a.aim;
  if (d > Math.PI) {
    d -= 2 * Math.PI;
  } else if (d < -Math.PI) {
    d += 2 * Math.PI;
  }
  // A jump of more than a few units between snapshots is a respawn: no sliding across the map.
  if (Math.hypot(b.x - a.x, b.y - a.y) > 30) {
    return f < 1 ? a : b;
  }
  return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, aim: a.aim + d * f };
}


describe("Interpolator reusing its frames and poses", () => {
  it("poses every player exactly as the map-per-snapshot version did", () => {
    for (const seed of [1, 2026]) {
      const r = seededBelow(seed);
      const got = new Interpolator();
      const want = new ReferenceInterpolator();
      const where = new Map<number, { x: number; y: number }>();
      let tick = 10;
      for (let n = 0; n < 600; n++) {
        const step = r(20);
        // Mostly forward by two ticks; sometimes the same tick again or back (a new round).
        tick = step === 0 ? tick : step === 1 ? Math.max(0, tick - 1 - r(50)) : tick + 1 + r(3);
        const players = [];
        for (let slot = 0; slot < 8; slot++) {
          if (r(5) === 0) continue; // out of view this snapshot
          const p = where.get(slot) ?? { x: r(400), y: r(400) };
          // Walking, or a respawn jump now and then.
          p.x = r(60) === 0 ? r(400) : p.x + r(9) - 4;
          p.y = r(60) === 0 ? r(400) : p.y + r(9) - 4;
          where.set(slot, p);
          players.push({ slot, x: p.x, y: p.y, aim: r(65536) });
        }
        if (r(7) === 0 && players.length > 0) players.push({ ...players[0]!, x: players[0]!.x + 1 }); // repeated slot
        if (n % 2 === 0) {
          got.push(tick, players);
        } else {
          got.begin(tick);
          for (const p of players) got.add(p.slot, p.x, p.y, p.aim);
        }
        want.push(tick, players);
        expect(got.newestTick()).toBe(want.newestTick());
        for (const offset of [-40, -6.5, -3, -1.25, 0, 0.5, 1.5, 3, 7]) {
          const t = tick + offset;
          const a = [...got.sample(t).entries()];
          const b = [...want.sample(t).entries()];
          // Compared as JSON first (an expect per sample is slow); a mismatch is reported.
          if (JSON.stringify(a) !== JSON.stringify(b)) {
            expect(a, `seed ${seed}, snapshot ${n}, t ${t}`).toEqual(b.map(([k, v]) => [k, { ...v }]));
          }
          // The allocation-free path says the same, in the same order.
          const count = got.sampleInto(t);
          const into: [number, Pose][] = [];
          for (let i = 0; i < count; i++) {
            const p = got.sampledAt(i);
            into.push([p.slot, { x: p.x, y: p.y, aim: p.aim }]);
          }
          if (JSON.stringify(into) !== JSON.stringify(a)) {
            expect(into).toEqual(a);
          }
        }
      }
    }
  }, 60_000);

  it("does not carry a player of a reused frame into a snapshot without it", () => {
    const i = new Interpolator();
    for (let t = 0; t < 3 * Interpolator.MAX_FRAMES; t += 2) {
      // Slots 1..5 early on, then only slot 9: reused frames must forget the old slots.
      i.push(t, t < 2 * Interpolator.MAX_FRAMES ? [1, 2, 3, 4, 5].map((slot) => ({ slot, x: t, y: slot, aim: 0 })) : [{ slot: 9, x: t, y: 0, aim: 16384 }]);
    }
    const newest = i.newestTick()!;
    for (const t of [newest - 40, newest - 3, newest, newest + 1]) {
      const s = i.sample(t);
      expect([...s.keys()]).toEqual([9]);
      expect(s.get(9)!.aim).toBeCloseTo(aimToRadians(16384));
    }
    // Between two snapshots with slot 9 the pose is interpolated, not read from a stale frame.
    expect(i.sample(newest - 1).get(9)!.x).toBeCloseTo(newest - 1);
  });
});
