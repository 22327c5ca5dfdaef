// The own vision cone as a polygon: rays cast from the eye across the cone against intact slices
// (holes let sight through), each stopping at the first slice or the cone's range.
import type { SliceField } from "./world.js";

export interface VisionSettings {
  /** Full cone angle, radians (GAME.md: 90°). */
  coneAngle: number;
  range: number;
  /** 360° awareness radius. */
  awareness: number;
}

export const DEFAULT_VISION: VisionSettings = { coneAngle: Math.PI / 2, range: 220, awareness: 18 };

/**
 * Points of the visible region, starting at the eye: the eye, then one point per ray from
 * aim - cone/2 to aim + cone/2 (`rays` + 1 of them).
 */
export function visionPolygon(
  slices: SliceField,
  eyeX: number,
  eyeY: number,
  aim: number,
  vision: VisionSettings = DEFAULT_VISION,
  rays = 120,
  into?: Float64Array,
): Float64Array {
  const points = into !== undefined && into.length === (rays + 2) * 2 ? into : new Float64Array((rays + 2) * 2);
  points[0] = eyeX;
  points[1] = eyeY;
  const start = aim - vision.coneAngle / 2;
  for (let i = 0; i <= rays; i++) {
    const a = start + (vision.coneAngle * i) / rays;
    const dx = Math.cos(a);
    const dy = Math.sin(a);
    slices.raycast(eyeX, eyeY, dx, dy, vision.range);
    const t = slices.lastHitT();
    points[2 + i * 2] = eyeX + dx * t;
    points[3 + i * 2] = eyeY + dy * t;
  }
  return points;
}

/**
 * The polygon of the last eye and aim, recast only when the eye moved, the aim turned or a slice's
 * HP changed (a hole opened or a slice was restored), into one reused array.
 */
export class VisionCache {
  private points: Float64Array | undefined;
  private field: SliceField | undefined;
  private hp = new Int32Array(0);
  private eyeX = NaN;
  private eyeY = NaN;
  private aim = NaN;
  /** How many times the rays were cast (for tests). */
  casts = 0;

  polygon(slices: SliceField, eyeX: number, eyeY: number, aim: number): Float64Array {
    let same = this.points !== undefined && slices === this.field && eyeX === this.eyeX && eyeY === this.eyeY && aim === this.aim;
    const hp = slices.hp;
    if (this.hp.length !== hp.length) {
      this.hp = new Int32Array(hp.length);
      same = false;
    }
    for (let s = 0; s < hp.length; s++) {
      // Only standing or not matters to sight.
      if ((hp[s]! > 0 ? 1 : 0) !== this.hp[s]) {
        this.hp[s] = hp[s]! > 0 ? 1 : 0;
        same = false;
      }
    }
    if (same) {
      return this.points!;
    }
    this.field = slices;
    this.eyeX = eyeX;
    this.eyeY = eyeY;
    this.aim = aim;
    this.casts++;
    this.points = visionPolygon(slices, eyeX, eyeY, aim, DEFAULT_VISION, 120, this.points);
    return this.points;
  }
}
