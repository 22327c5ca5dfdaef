// Other players drawn between the two snapshots around a render time a little in the past
// (100 ms: three snapshot intervals at 30 Hz), so they move smoothly at any frame rate. Past the
// newest snapshot a player is extrapolated along its last velocity for a short, bounded time and
// then eased back to its last known position: the server sends no snapshot while the view does
// not change, so a missing snapshot most often means "stopped", and a late one is bridged.
import { aimToRadians } from "./wire.js";

export interface Pose {
  x: number;
  y: number;
  /** Radians. */
  aim: number;
}

interface Frame {
  tick: number;
  poses: Map<number, Pose>;
}

export class Interpolator {
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
      return lerpPose(pa, pb, f);
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

export function lerpPose(a: Pose, b: Pose, f: number): Pose {
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
