// Reads a shipped map file (game-client/src/main/resources/maps) into the geometry Welcome.map
// carries, for tests that need the real map without a server: `size`, `spawn`, `wall h|v x y n [t]`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Geometry, WallDef } from "../../src/match/world.js";

export function loadShippedMap(name: string): Geometry {
  const url = new URL(`../../../game-client/src/main/resources/maps/${name}.map`, import.meta.url);
  const text = readFileSync(fileURLToPath(url), "utf8");
  let width = 0;
  let height = 0;
  const walls: WallDef[] = [];
  const spawns: Geometry["spawns"] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "" || line.startsWith("trespasser-map")) {
      continue;
    }
    const f = line.split(/\s+/);
    if (f[0] === "size") {
      width = Number(f[1]);
      height = Number(f[2]);
    } else if (f[0] === "spawn") {
      spawns.push({ x: Number(f[2]), y: Number(f[3]), width: Number(f[4]), height: Number(f[5]) });
    } else if (f[0] === "wall") {
      walls.push({
        orientation: f[1] === "h" ? 0 : 1,
        x: Number(f[2]),
        y: Number(f[3]),
        slices: Number(f[4]),
        thickness: f[5] === undefined ? 6 : Number(f[5]),
      });
    } else {
      throw new Error(`unknown map line: ${line}`);
    }
  }
  return { name, width, height, sliceLength: 2, walls, spawns };
}
