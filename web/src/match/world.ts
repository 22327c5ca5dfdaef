// The map's slice table with its 16-unit grid: a faithful port of game-client's SliceField
// (rays, circle collision, moveCircle), so prediction lands on the server's doubles bit for bit.
// Loop orders and tie-breaks follow the Java code exactly; change both or neither.
import type { MapGeometry } from "../gen/trespasser/game/v1/game_pb.js";

export const CELL_SIZE = 16;
const CONTACT_SLACK = 1e-6;
const PUSH_ITERATIONS = 8;

export interface WallDef {
  /** 0 horizontal, 1 vertical (MapGeometry.walls' orientation number). */
  orientation: number;
  x: number;
  y: number;
  slices: number;
  thickness: number;
}

export interface Geometry {
  name: string;
  width: number;
  height: number;
  sliceLength: number;
  walls: WallDef[];
  /** Red zone first, then blue: x, y, width, height. */
  spawns: { x: number; y: number; width: number; height: number }[];
}

export class GeometryError extends Error {}

export const MAX_MAP_SIDE = 16384;
export const MAX_SLICES = 200_000;

/** Reads Welcome.map (format 1); refuses what it does not know instead of drawing a wrong map. */
export function decodeGeometry(map: MapGeometry | undefined): Geometry {
  if (map === undefined || map.format === 0) {
    throw new GeometryError("the server sent no map geometry");
  }
  if (map.format !== 1) {
    throw new GeometryError(`unknown map geometry format ${map.format}`);
  }
  // Bounds keep the collision grid small (a 16384² map is a million cells) whatever a server sends.
  if (map.width < 1 || map.height < 1 || map.width > MAX_MAP_SIDE || map.height > MAX_MAP_SIDE || map.sliceLength < 1 || map.sliceLength > 64) {
    throw new GeometryError("map bounds or slice length out of range");
  }
  if (map.walls.length % 5 !== 0 || map.spawns.length % 4 !== 0) {
    throw new GeometryError("map geometry arrays have the wrong length");
  }
  const walls: WallDef[] = [];
  let slices = 0;
  for (let i = 0; i < map.walls.length; i += 5) {
    const [orientation, x, y, n, thickness] = map.walls.slice(i, i + 5) as [number, number, number, number, number];
    if (orientation > 1 || n < 1 || thickness < 1) {
      throw new GeometryError(`wall ${i / 5} is malformed`);
    }
    slices += n;
    if (slices > MAX_SLICES) {
      throw new GeometryError("too many slices");
    }
    walls.push({ orientation, x, y, slices: n, thickness });
  }
  const spawns = [];
  for (let i = 0; i < map.spawns.length; i += 4) {
    const [x, y, width, height] = map.spawns.slice(i, i + 4) as [number, number, number, number];
    spawns.push({ x, y, width, height });
  }
  return { name: map.name, width: map.width, height: map.height, sliceLength: map.sliceLength, walls, spawns };
}

export class SliceField {
  readonly width: number;
  readonly height: number;
  readonly count: number;
  readonly maxHp: number;
  readonly minX: Int32Array;
  readonly minY: Int32Array;
  readonly maxX: Int32Array;
  readonly maxY: Int32Array;
  readonly hp: Int32Array;
  private readonly cols: number;
  private readonly rows: number;
  private readonly cellStart: Int32Array;
  private readonly cellItems: Int32Array;
  private hitT = 0;

  constructor(geometry: Geometry, sliceHp: number) {
    this.width = geometry.width;
    this.height = geometry.height;
    this.maxHp = Math.max(1, sliceHp);
    const len = geometry.sliceLength;
    let count = 0;
    for (const w of geometry.walls) {
      count += w.slices;
    }
    this.count = count;
    this.minX = new Int32Array(count);
    this.minY = new Int32Array(count);
    this.maxX = new Int32Array(count);
    this.maxY = new Int32Array(count);
    this.hp = new Int32Array(count);
    let i = 0;
    for (const w of geometry.walls) {
      for (let s = 0; s < w.slices; s++, i++) {
        if (w.orientation === 0) {
          this.minX[i] = w.x + s * len;
          this.maxX[i] = this.minX[i]! + len;
          this.minY[i] = w.y;
          this.maxY[i] = w.y + w.thickness;
        } else {
          this.minX[i] = w.x;
          this.maxX[i] = w.x + w.thickness;
          this.minY[i] = w.y + s * len;
          this.maxY[i] = this.minY[i]! + len;
        }
      }
    }
    this.cols = Math.max(1, Math.trunc((this.width + CELL_SIZE - 1) / CELL_SIZE));
    this.rows = Math.max(1, Math.trunc((this.height + CELL_SIZE - 1) / CELL_SIZE));
    const cells = this.cols * this.rows;
    const start = new Int32Array(cells + 1);
    for (let s = 0; s < count; s++) {
      for (let cy = this.cellY(this.minY[s]!); cy <= this.cellY(this.maxY[s]!); cy++) {
        for (let cx = this.cellX(this.minX[s]!); cx <= this.cellX(this.maxX[s]!); cx++) {
          start[cy * this.cols + cx + 1]!++;
        }
      }
    }
    for (let c = 0; c < cells; c++) {
      start[c + 1]! += start[c]!;
    }
    const items = new Int32Array(start[cells]!);
    const fill = start.slice(0, cells);
    for (let s = 0; s < count; s++) {
      for (let cy = this.cellY(this.minY[s]!); cy <= this.cellY(this.maxY[s]!); cy++) {
        for (let cx = this.cellX(this.minX[s]!); cx <= this.cellX(this.maxX[s]!); cx++) {
          items[fill[cy * this.cols + cx]!++] = s;
        }
      }
    }
    this.cellStart = start;
    this.cellItems = items;
    this.restore();
  }

  restore(): void {
    this.hp.fill(this.maxHp);
  }

  /** Sets a slice's HP as a snapshot or event says (out-of-range indices are ignored). */
  setHp(slice: number, hp: number): void {
    if (slice >= 0 && slice < this.count) {
      this.hp[slice] = Math.max(0, Math.min(hp, this.maxHp));
    }
  }

  intact(slice: number): boolean {
    return this.hp[slice]! > 0;
  }

  /** The first intact slice along origin + t·direction for 0 <= t < maxT, or -1; see lastHitT. */
  raycast(ox: number, oy: number, dx: number, dy: number, maxT: number): number {
    let cx = this.clampCol(Math.floor(ox / CELL_SIZE));
    let cy = this.clampRow(Math.floor(oy / CELL_SIZE));
    const stepX = dx > 0 ? 1 : dx < 0 ? -1 : 0;
    const stepY = dy > 0 ? 1 : dy < 0 ? -1 : 0;
    let tMaxX = dx > 0 ? ((cx + 1) * CELL_SIZE - ox) / dx : dx < 0 ? (cx * CELL_SIZE - ox) / dx : Infinity;
    let tMaxY = dy > 0 ? ((cy + 1) * CELL_SIZE - oy) / dy : dy < 0 ? (cy * CELL_SIZE - oy) / dy : Infinity;
    const tDeltaX = dx !== 0 ? CELL_SIZE / Math.abs(dx) : Infinity;
    const tDeltaY = dy !== 0 ? CELL_SIZE / Math.abs(dy) : Infinity;
    let best = -1;
    let bestT = maxT;
    for (;;) {
      const cell = cy * this.cols + cx;
      for (let k = this.cellStart[cell]!, end = this.cellStart[cell + 1]!; k < end; k++) {
        const s = this.cellItems[k]!;
        if (this.hp[s]! <= 0) {
          continue;
        }
        const t = this.entry(s, ox, oy, dx, dy);
        if (t < bestT) {
          bestT = t;
          best = s;
        }
      }
      const cellExit = Math.min(tMaxX, tMaxY);
      if (best >= 0 && bestT <= cellExit) {
        break;
      }
      if (cellExit >= maxT) {
        break;
      }
      if (tMaxX < tMaxY) {
        cx += stepX;
        tMaxX += tDeltaX;
        if (cx < 0 || cx >= this.cols) {
          break;
        }
      } else {
        cy += stepY;
        tMaxY += tDeltaY;
        if (cy < 0 || cy >= this.rows) {
          break;
        }
      }
    }
    this.hitT = best >= 0 ? bestT : maxT;
    return best;
  }

  lastHitT(): number {
    return this.hitT;
  }

  clearLine(ax: number, ay: number, bx: number, by: number): boolean {
    return this.raycast(ax, ay, bx - ax, by - ay, 1.0) < 0;
  }

  private entry(s: number, ox: number, oy: number, dx: number, dy: number): number {
    let tEnter = -Infinity;
    let tExit = Infinity;
    const minX = this.minX[s]!;
    const maxX = this.maxX[s]!;
    const minY = this.minY[s]!;
    const maxY = this.maxY[s]!;
    if (dx === 0) {
      if (ox < minX || ox >= maxX) {
        return Infinity;
      }
    } else {
      const t1 = (minX - ox) / dx;
      const t2 = (maxX - ox) / dx;
      tEnter = Math.min(t1, t2);
      tExit = Math.max(t1, t2);
    }
    if (dy === 0) {
      if (oy < minY || oy >= maxY) {
        return Infinity;
      }
    } else {
      const t1 = (minY - oy) / dy;
      const t2 = (maxY - oy) / dy;
      tEnter = Math.max(tEnter, Math.min(t1, t2));
      tExit = Math.min(tExit, Math.max(t1, t2));
    }
    if (tEnter >= tExit || tExit <= 0) {
      return Infinity;
    }
    return Math.max(tEnter, 0);
  }

  blocksCircle(x: number, y: number, radius: number): boolean {
    if (x < radius || y < radius || x > this.width - radius || y > this.height - radius) {
      return true;
    }
    const x0 = this.cellX(x - radius);
    const x1 = this.cellX(x + radius);
    const y0 = this.cellY(y - radius);
    const y1 = this.cellY(y + radius);
    const limit = (radius - CONTACT_SLACK) * (radius - CONTACT_SLACK);
    for (let cy = y0; cy <= y1; cy++) {
      for (let cx = x0; cx <= x1; cx++) {
        const cell = cy * this.cols + cx;
        for (let k = this.cellStart[cell]!, end = this.cellStart[cell + 1]!; k < end; k++) {
          const s = this.cellItems[k]!;
          if (this.hp[s]! > 0 && this.distanceSquared(s, x, y) < limit) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Moves a circle by (dx, dy), sliding along slices, clamped to the bounds (SliceField.moveCircle). */
  moveCircle(x: number, y: number, dx: number, dy: number, radius: number, out: [number, number]): void {
    const length = Math.sqrt(dx * dx + dy * dy);
    const steps = Math.max(1, Math.ceil(length / (radius * 0.5)));
    const sx = dx / steps;
    const sy = dy / steps;
    for (let i = 0; i < steps; i++) {
      out[0] = clamp(x + sx, radius, this.width - radius);
      out[1] = clamp(y + sy, radius, this.height - radius);
      if (!this.pushOut(out, radius)) {
        break;
      }
      x = clamp(out[0], radius, this.width - radius);
      y = clamp(out[1], radius, this.height - radius);
      if (x !== out[0] || y !== out[1]) {
        if (this.blocksCircle(x, y, radius)) {
          break;
        }
      }
    }
    out[0] = x;
    out[1] = y;
  }

  private pushOut(p: [number, number], radius: number): boolean {
    const limit = (radius - CONTACT_SLACK) * (radius - CONTACT_SLACK);
    for (let iteration = 0; iteration < PUSH_ITERATIONS; iteration++) {
      let deepest = -1;
      let nearest = limit;
      const x0 = this.cellX(p[0] - radius);
      const x1 = this.cellX(p[0] + radius);
      const y0 = this.cellY(p[1] - radius);
      const y1 = this.cellY(p[1] + radius);
      for (let cy = y0; cy <= y1; cy++) {
        for (let cx = x0; cx <= x1; cx++) {
          const cell = cy * this.cols + cx;
          for (let k = this.cellStart[cell]!, end = this.cellStart[cell + 1]!; k < end; k++) {
            const s = this.cellItems[k]!;
            if (this.hp[s]! <= 0) {
              continue;
            }
            const d2 = this.distanceSquared(s, p[0], p[1]);
            if (d2 < nearest) {
              nearest = d2;
              deepest = s;
            }
          }
        }
      }
      if (deepest < 0) {
        return true;
      }
      this.separate(deepest, p, radius);
    }
    return !this.blocksCircle(p[0], p[1], radius);
  }

  private separate(s: number, p: [number, number], radius: number): void {
    const minX = this.minX[s]!;
    const maxX = this.maxX[s]!;
    const minY = this.minY[s]!;
    const maxY = this.maxY[s]!;
    const qx = clamp(p[0], minX, maxX);
    const qy = clamp(p[1], minY, maxY);
    const ex = p[0] - qx;
    const ey = p[1] - qy;
    const d = Math.sqrt(ex * ex + ey * ey);
    if (d > 1e-9) {
      p[0] = qx + (ex / d) * radius;
      p[1] = qy + (ey / d) * radius;
      return;
    }
    const left = p[0] - minX;
    const right = maxX - p[0];
    const up = p[1] - minY;
    const down = maxY - p[1];
    const min = Math.min(Math.min(left, right), Math.min(up, down));
    if (min === left) {
      p[0] = minX - radius;
    } else if (min === right) {
      p[0] = maxX + radius;
    } else if (min === up) {
      p[1] = minY - radius;
    } else {
      p[1] = maxY + radius;
    }
  }

  private distanceSquared(s: number, x: number, y: number): number {
    const ex = x - clamp(x, this.minX[s]!, this.maxX[s]!);
    const ey = y - clamp(y, this.minY[s]!, this.maxY[s]!);
    return ex * ex + ey * ey;
  }

  private cellX(x: number): number {
    return this.clampCol(Math.floor(x / CELL_SIZE));
  }

  private cellY(y: number): number {
    return this.clampRow(Math.floor(y / CELL_SIZE));
  }

  private clampCol(c: number): number {
    return c < 0 ? 0 : c >= this.cols ? this.cols - 1 : c;
  }

  private clampRow(r: number): number {
    return r < 0 ? 0 : r >= this.rows ? this.rows - 1 : r;
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
