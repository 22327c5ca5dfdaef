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

/** One drawn player of `Interpolator.sampleInto`. */
export interface SlotPose extends Pose {
  slot: number;
}

/**
 * One snapshot's players. Frames, and the pose objects in them, are reused once they leave the
 * buffer: 30 snapshots a second otherwise made a Map and a pose per player each (GC pauses in the
 * frame, docs/benchmarks.md). Slots are kept in arrival order and looked up by a scan (≤ 8).
 */
class Frame {
  tick = 0;
  count = 0;
  readonly slots: number[] = [];
  readonly poses: Pose[] = [];

  find(slot: number): Pose | undefined {
    for (let i = 0; i < this.count; i++) {
      if (this.slots[i] === slot) {
        return this.poses[i];
      }
    }
    return undefined;
  }
}

export class Interpolator {
  /** Oldest first; at most MAX_FRAMES. */
  private readonly frames: Frame[] = [];
  private readonly spare: Frame[] = [];
  private readonly sampled: SlotPose[] = [];

  static readonly MAX_FRAMES = 32;

  /** @param maxExtrapolationTicks how far past the newest snapshot a player keeps moving */
  constructor(private readonly maxExtrapolationTicks = 2) {}

  /** Adds a snapshot's players (positions in world units, aim quantised). */
  push(tick: number, players: Iterable<{ slot: number; x: number; y: number; aim: number }>): void {
    this.begin(tick);
    for (const p of players) {
      this.add(p.slot, p.x, p.y, p.aim);
    }
  }

  /** Starts a snapshot's frame; `add` its players next (`push` without the player objects). */
  begin(tick: number): void {
    const frames = this.frames;
    const last = frames[frames.length - 1];
    if (last !== undefined && tick <= last.tick) {
      if (tick < last.tick) {
        // Ticks went back: a new round or connection; start over.
        this.clear();
      } else {
        this.spare.push(frames.pop()!);
      }
    }
    const frame = this.spare.pop() ?? new Frame();
    frame.tick = tick;
    frame.count = 0;
    frames.push(frame);
    if (frames.length > Interpolator.MAX_FRAMES) {
      this.spare.push(frames.shift()!);
    }
  }

  /** A player of the frame `begin` started (world units, aim quantised); a repeated slot replaces. */
  add(slot: number, x: number, y: number, aim: number): void {
    const frame = this.frames[this.frames.length - 1];
    if (frame === undefined) {
      return;
    }
    let pose = frame.find(slot);
    if (pose === undefined) {
      const i = frame.count++;
      frame.slots[i] = slot;
      pose = frame.poses[i] ??= { x: 0, y: 0, aim: 0 };
    }
    pose.x = x;
    pose.y = y;
    pose.aim = aimToRadians(aim);
  }

  clear(): void {
    while (this.frames.length > 0) {
      this.spare.push(this.frames.pop()!);
    }
  }

  newestTick(): number | undefined {
    return this.frames[this.frames.length - 1]?.tick;
  }

  /** Every slot in the newest snapshot, posed at `renderTick` (fractional server ticks). */
  sample(renderTick: number): Map<number, Pose> {
    const out = new Map<number, Pose>();
    const n = this.sampleInto(renderTick);
    for (let i = 0; i < n; i++) {
      const p = this.sampled[i]!;
      out.set(p.slot, { x: p.x, y: p.y, aim: p.aim });
    }
    return out;
  }

  /**
   * `sample` without allocating: poses the newest snapshot's slots at `renderTick` into objects
   * this interpolator owns (read them before the next call) and returns how many.
   */
  sampleInto(renderTick: number): number {
    const newest = this.frames[this.frames.length - 1];
    if (newest === undefined) {
      return 0;
    }
    for (let i = 0; i < newest.count; i++) {
      const out = (this.sampled[i] ??= { slot: 0, x: 0, y: 0, aim: 0 });
      out.slot = newest.slots[i]!;
      this.poseOf(out.slot, renderTick, out);
    }
    return newest.count;
  }

  /** The pose `sampleInto` wrote at index `i`. */
  sampledAt(i: number): SlotPose {
    return this.sampled[i]!;
  }

  private poseOf(slot: number, t: number, out: Pose): void {
    const frames = this.frames;
    let i = frames.length - 1;
    while (i > 0 && frames[i]!.tick > t) {
      i--;
    }
    const a = frames[i]!;
    const pa = a.find(slot);
    // The newest pose exists (sampleInto iterates the newest frame's slots).
    const newestPose = frames[frames.length - 1]!.find(slot)!;
    if (pa === undefined) {
      copyPose(newestPose, out);
      return;
    }
    const b = frames[i + 1];
    const pb = b?.find(slot);
    if (b !== undefined && pb !== undefined) {
      const f = Math.min(1, Math.max(0, (t - a.tick) / (b.tick - a.tick)));
      lerpPoseInto(pa, pb, f, out);
      return;
    }
    if (b !== undefined) {
      copyPose(newestPose, out);
      return;
    }
    // Past the newest snapshot: extrapolate from the previous one, bounded.
    const prev = frames[i - 1];
    const pp = prev?.find(slot);
    if (prev === undefined || pp === undefined || t <= a.tick) {
      copyPose(pa, out);
      return;
    }
    const limit = this.maxExtrapolationTicks;
    const past = t - a.tick;
    // Up to the limit it keeps moving; over the next twice the limit it eases back.
    const ahead = past <= limit ? past : Math.max(0, limit * (1 - (past - limit) / (2 * limit)));
    const dt = a.tick - prev.tick;
    // A jump (respawn) is not a velocity.
    if (Math.hypot(pa.x - pp.x, pa.y - pp.y) > 4 * dt) {
      copyPose(pa, out);
      return;
    }
    out.x = pa.x + ((pa.x - pp.x) / dt) * ahead;
    out.y = pa.y + ((pa.y - pp.y) / dt) * ahead;
    out.aim = pa.aim;
  }
}

function copyPose(from: Pose, to: Pose): void {
  to.x = from.x;
  to.y = from.y;
  to.aim = from.aim;
}

export function lerpPose(a: Pose, b: Pose, f: number): Pose {
  return lerpPoseInto(a, b, f, { x: 0, y: 0, aim: 0 });
}

/** `lerpPose` written into `out` (which may be neither a nor b). */
export function lerpPoseInto(a: Pose, b: Pose, f: number, out: Pose): Pose {
  let d = b.aim - a.aim;
  if (d > Math.PI) {
    d -= 2 * Math.PI;
  } else if (d < -Math.PI) {
    d += 2 * Math.PI;
  }
  // A jump of more than a few units between snapshots is a respawn: no sliding across the map.
  if (Math.hypot(b.x - a.x, b.y - a.y) > 30) {
    copyPose(f < 1 ? a : b, out);
    return out;
  }
  out.x = a.x + (b.x - a.x) * f;
  out.y = a.y + (b.y - a.y) * f;
  out.aim = a.aim + d * f;
  return out;
}
