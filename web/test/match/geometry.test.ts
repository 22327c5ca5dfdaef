import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { MapGeometrySchema } from "../../src/gen/trespasser/game/v1/game_pb.js";
import { decodeGeometry, GeometryError, MAX_MAP_SIDE, SliceField } from "../../src/match/world.js";

const good = { format: 1, name: "t", width: 100, height: 50, sliceLength: 2, walls: [0, 10, 10, 3, 6, 1, 40, 0, 2, 4], spawns: [0, 0, 10, 10, 90, 40, 10, 10] };

describe("decodeGeometry", () => {
  it("reads walls in slice-table order and both spawn zones", () => {
    const g = decodeGeometry(create(MapGeometrySchema, good));
    expect(g.walls).toEqual([
      { orientation: 0, x: 10, y: 10, slices: 3, thickness: 6 },
      { orientation: 1, x: 40, y: 0, slices: 2, thickness: 4 },
    ]);
    expect(g.spawns[1]).toEqual({ x: 90, y: 40, width: 10, height: 10 });
    const f = new SliceField(g, 100);
    expect(f.count).toBe(5);
    // Slice 2 is the third of the horizontal wall; slice 4 the second of the vertical one.
    expect([f.minX[2], f.minY[2], f.maxX[2], f.maxY[2]]).toEqual([14, 10, 16, 16]);
    expect([f.minX[4], f.minY[4], f.maxX[4], f.maxY[4]]).toEqual([40, 2, 44, 4]);
  });

  it("refuses a missing map, an unknown format and malformed or oversized geometry", () => {
    const bad = [
      undefined,
      create(MapGeometrySchema, {}),
      create(MapGeometrySchema, { ...good, format: 2 }),
      create(MapGeometrySchema, { ...good, walls: [0, 1, 2] }),
      create(MapGeometrySchema, { ...good, spawns: [1, 2, 3] }),
      create(MapGeometrySchema, { ...good, walls: [2, 0, 0, 1, 1] }),
      create(MapGeometrySchema, { ...good, walls: [0, 0, 0, 0, 6] }),
      create(MapGeometrySchema, { ...good, width: MAX_MAP_SIDE + 1 }),
      create(MapGeometrySchema, { ...good, height: 0 }),
      create(MapGeometrySchema, { ...good, walls: [0, 0, 0, 300_000, 6] }),
    ];
    for (const m of bad) {
      expect(() => decodeGeometry(m)).toThrow(GeometryError);
    }
  });

  it("keeps HP updates inside the table", () => {
    const f = new SliceField(decodeGeometry(create(MapGeometrySchema, good)), 100);
    f.setHp(99, 0);
    f.setHp(-1, 0);
    f.setHp(1, 250);
    expect([...f.hp]).toEqual([100, 100, 100, 100, 100]);
    f.setHp(1, 0);
    expect(f.intact(1)).toBe(false);
  });
});
