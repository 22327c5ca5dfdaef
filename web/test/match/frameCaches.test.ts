import { describe, expect, it } from "vitest";
import { SliceChanges } from "../../src/match/render.js";
import { VisionCache, visionPolygon } from "../../src/match/vision.js";
import { SliceField } from "../../src/match/world.js";
import { oneWallRoom } from "./fixtures.js";

const geometry = oneWallRoom;

describe("SliceChanges (what the wall layer redraws)", () => {
  it("asks for everything first, then nothing while no HP changes", () => {
    const field = new SliceField(geometry, 100);
    const changes = new SliceChanges();
    expect(changes.take(field)).toBeUndefined();
    expect(changes.take(field)).toEqual([]);
  });

  it("names exactly the slices whose HP changed, once", () => {
    const field = new SliceField(geometry, 100);
    const changes = new SliceChanges();
    changes.take(field);
    field.setHp(3, 40);
    field.setHp(7, 0);
    expect(changes.take(field)).toEqual([3, 7]);
    expect(changes.take(field)).toEqual([]);
    field.restore();
    expect(changes.take(field)).toEqual([3, 7]);
  });

  it("asks for everything again when the field is replaced", () => {
    const changes = new SliceChanges();
    changes.take(new SliceField(geometry, 100));
    expect(changes.take(new SliceField(geometry, 100))).toBeUndefined();
  });
});

describe("VisionCache", () => {
  it("recasts only when the eye moves, the aim turns or a slice falls or stands again", () => {
    const field = new SliceField(geometry, 100);
    const cache = new VisionCache();
    const first = cache.polygon(field, 50, 50, 0);
    expect(cache.casts).toBe(1);
    expect(cache.polygon(field, 50, 50, 0)).toBe(first);
    expect(cache.casts).toBe(1);
    // Damage that leaves the slice standing does not change sight.
    field.setHp(5, 10);
    cache.polygon(field, 50, 50, 0);
    expect(cache.casts).toBe(1);
    field.setHp(5, 0);
    const holed = cache.polygon(field, 50, 50, 0);
    expect(cache.casts).toBe(2);
    expect(Array.from(holed)).toEqual(Array.from(visionPolygon(field, 50, 50, 0)));
    cache.polygon(field, 51, 50, 0);
    expect(cache.casts).toBe(3);
    cache.polygon(field, 51, 50, 0.1);
    expect(cache.casts).toBe(4);
    field.restore();
    expect(Array.from(cache.polygon(field, 51, 50, 0.1))).toEqual(Array.from(visionPolygon(field, 51, 50, 0.1)));
    expect(cache.casts).toBe(5);
  });
});
