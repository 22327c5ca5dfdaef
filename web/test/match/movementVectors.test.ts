// Replays game-client's committed movement vectors (the Java rules' output, checked against the
// server's simulation by match-server's ClientMovementVectorsTest) through the TypeScript port.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MovementSpeed } from "../../src/gen/trespasser/game/v1/game_pb.js";
import { DEFAULT_RULES, step } from "../../src/match/movement.js";
import { wirePosition } from "../../src/match/wire.js";
import { SliceField } from "../../src/match/world.js";
import { loadShippedMap } from "./mapFile.js";

interface VectorFile {
  format: string;
  version: number;
  map: string;
  rules: { playerRadius: number; sneakSpeed: number; walkSpeed: number; runSpeed: number; tickRateHz: number; positionScale: number };
  cases: {
    name: string;
    start: { x: number; y: number };
    destroyedSlices: number[];
    ticks: { buttons: number; speed: "SNEAK" | "WALK" | "RUN"; x: number; y: number; wireX: number; wireY: number }[];
  }[];
}

const file = fileURLToPath(new URL("../../../game-client/src/test/resources/vectors/movement.json", import.meta.url));
const vectors = JSON.parse(readFileSync(file, "utf8")) as VectorFile;
const speeds = { SNEAK: MovementSpeed.SNEAK, WALK: MovementSpeed.WALK, RUN: MovementSpeed.RUN };

describe("movement vectors", () => {
  it("are the format this replay reads, with the rules the client predicts with", () => {
    expect(vectors.format).toBe("trespasser-movement-vectors");
    expect(vectors.version).toBe(1);
    const { positionScale, ...rules } = vectors.rules;
    expect(rules).toEqual(DEFAULT_RULES);
    expect(positionScale).toBe(8);
    expect(vectors.cases.length).toBeGreaterThanOrEqual(13);
  });

  for (const c of vectors.cases) {
    it(`replays ${c.name} exactly`, () => {
      const field = new SliceField(loadShippedMap(vectors.map), 1);
      for (const s of c.destroyedSlices) {
        field.setHp(s, 0);
      }
      let x = c.start.x;
      let y = c.start.y;
      const out: [number, number] = [0, 0];
      c.ticks.forEach((t, i) => {
        step(DEFAULT_RULES, field, x, y, t.buttons, speeds[t.speed], out);
        [x, y] = out;
        // Doubles survive JSON exactly (Java's Double.toString reads back to the same bits).
        expect([x, y], `${c.name} tick ${i}`).toEqual([t.x, t.y]);
        expect([wirePosition(x), wirePosition(y)], `${c.name} tick ${i} on the wire`).toEqual([t.wireX, t.wireY]);
      });
    });
  }
});
