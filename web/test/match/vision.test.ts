import { describe, expect, it } from "vitest";
import { cameraFor, VIEW_HEIGHT, VIEW_WIDTH, wholeScale } from "../../src/match/render.js";
import { DEFAULT_VISION, visionPolygon } from "../../src/match/vision.js";
import { SliceField } from "../../src/match/world.js";
import { oneWallRoom } from "./fixtures.js";

const geometry = oneWallRoom;

function reach(poly: Float64Array, ray: number, eyeX: number, eyeY: number): number {
  return Math.hypot(poly[2 + ray * 2]! - eyeX, poly[3 + ray * 2]! - eyeY);
}

describe("visionPolygon", () => {
  it("spans the cone from the eye and reaches the full range in the open", () => {
    const field = new SliceField(geometry, 100);
    const poly = visionPolygon(field, 50, 20, -Math.PI / 2, DEFAULT_VISION, 8);
    expect(poly.length).toBe((8 + 2) * 2);
    expect([poly[0], poly[1]]).toEqual([50, 20]);
    // Pointing up (−y) from y 20 at range 220: nothing blocks but rays leave the room (no walls there).
    expect(reach(poly, 4, 50, 20)).toBeCloseTo(DEFAULT_VISION.range);
    // First and last rays are at ±45°.
    const a0 = Math.atan2(poly[3]! - 20, poly[2]! - 50);
    expect(a0).toBeCloseTo(-Math.PI / 2 - Math.PI / 4);
  });

  it("stops at an intact slice and sees through a hole shot in it", () => {
    const field = new SliceField(geometry, 100);
    const middle = 4; // rays 0..8: ray 4 points straight along the aim
    let poly = visionPolygon(field, 50, 50, 0, DEFAULT_VISION, 8);
    expect(reach(poly, middle, 50, 50)).toBeCloseTo(50);
    // Shoot out the slices at y 48..52 (indices 4 and 5).
    field.setHp(4, 0);
    field.setHp(5, 0);
    poly = visionPolygon(field, 50, 50, 0, DEFAULT_VISION, 8);
    expect(reach(poly, middle, 50, 50)).toBeGreaterThan(100);
  });

  it("is shadowed only where the wall is", () => {
    const field = new SliceField(geometry, 100);
    const poly = visionPolygon(field, 50, 50, 0, DEFAULT_VISION, 8);
    // The outermost ray (−45°) passes above the wall.
    expect(reach(poly, 0, 50, 50)).toBeGreaterThan(60);
  });
});

describe("screen", () => {
  it("scales by the largest whole factor that fits", () => {
    expect(wholeScale(1920, 1080)).toBe(4);
    expect(wholeScale(1919, 1080)).toBe(3);
    expect(wholeScale(300, 200)).toBe(1);
  });

  it("keeps the camera inside the map and centred on the player", () => {
    expect(cameraFor(480, 270, 960, 540)).toEqual([240, 135]);
    expect(cameraFor(10, 10, 960, 540)).toEqual([0, 0]);
    expect(cameraFor(955, 535, 960, 540)).toEqual([960 - VIEW_WIDTH, 540 - VIEW_HEIGHT]);
  });
});
