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
): Float64Array {
  const points = new Float64Array((rays + 2) * 2);
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
