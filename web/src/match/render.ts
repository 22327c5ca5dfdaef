// Draws one frame on the 480×270 native canvas: world units are native pixels (GAME.md), the
// camera follows the own player and stays inside the map. Everything outside the vision cone
// (and awareness circle) is darkened; intact slices shadow, holes let sight through.
import { Team } from "../gen/trespasser/game/v1/game_pb.js";
import type { Pose } from "./interpolation.js";
import { DEFAULT_VISION, VisionCache } from "./vision.js";
import type { SliceField } from "./world.js";

export const VIEW_WIDTH = 480;
export const VIEW_HEIGHT = 270;
const CHARGE_RADIUS = 24;
const CHARGE_FUSE_SECONDS = 1.5;

export interface DrawnPlayer extends Pose {
  slot: number;
  team: Team;
  alive: boolean;
  protectedNow: boolean;
  own: boolean;
}

export interface Effect {
  kind: "tracer" | "flash" | "explosion" | "sound";
  x: number;
  y: number;
  x2: number;
  y2: number;
  bornMs: number;
  lifeMs: number;
}

export interface DrawnCharge {
  x: number;
  y: number;
  secondsLeft: number;
}

export interface Scene {
  field: SliceField;
  /** Own eye (predicted), or undefined while dead or not yet placed. */
  eye: Pose | undefined;
  players: DrawnPlayer[];
  charges: DrawnCharge[];
  effects: Effect[];
  nowMs: number;
  spawns: { x: number; y: number; width: number; height: number }[];
}

export function cameraFor(focusX: number, focusY: number, mapWidth: number, mapHeight: number): [number, number] {
  const cx = mapWidth <= VIEW_WIDTH ? (mapWidth - VIEW_WIDTH) / 2 : clamp(focusX - VIEW_WIDTH / 2, 0, mapWidth - VIEW_WIDTH);
  const cy = mapHeight <= VIEW_HEIGHT ? (mapHeight - VIEW_HEIGHT) / 2 : clamp(focusY - VIEW_HEIGHT / 2, 0, mapHeight - VIEW_HEIGHT);
  return [Math.round(cx), Math.round(cy)];
}

/** Slice colour by HP: light stone when whole, darker and redder as it is shot down. */
export function sliceColour(hp: number, maxHp: number): string {
  const f = Math.max(0, Math.min(1, hp / maxHp));
  const r = Math.round(90 + 70 * f);
  const g = Math.round(50 + 100 * f);
  const b = Math.round(45 + 95 * f);
  return `rgb(${r},${g},${b})`;
}

/**
 * Which slices' HP changed since the last call: keeps a copy of the HP it last reported, so the
 * wall layer redraws exactly the slices a snapshot or event changed (and everything on the first
 * call or when the field is replaced).
 */
export class SliceChanges {
  private field: SliceField | undefined;
  private seen = new Int32Array(0);
  private readonly changed: number[] = [];

  /** Slices whose HP differs from the last call's, or undefined when everything must be drawn. */
  take(field: SliceField): number[] | undefined {
    if (field !== this.field || this.seen.length !== field.count) {
      this.field = field;
      this.seen = Int32Array.from(field.hp);
      return undefined;
    }
    const changed = this.changed;
    changed.length = 0;
    const hp = field.hp;
    const seen = this.seen;
    for (let s = 0; s < hp.length; s++) {
      if (hp[s] !== seen[s]) {
        seen[s] = hp[s]!;
        changed.push(s);
      }
    }
    return changed;
  }
}

/**
 * Ground, spawn zones and walls of the whole map drawn once into an offscreen canvas; a frame
 * copies the part in view. A slice whose HP changed is redrawn alone (clipped to its rectangle:
 * ground, the spawn zones under it, then the slice if it still stands).
 */
class WallLayer {
  private canvas: HTMLCanvasElement | undefined;
  private ctx: CanvasRenderingContext2D | undefined;
  private readonly changes = new SliceChanges();
  private spawns: Scene["spawns"] = [];

  update(field: SliceField, spawns: Scene["spawns"]): HTMLCanvasElement {
    let canvas = this.canvas;
    if (canvas === undefined || canvas.width !== field.width || canvas.height !== field.height) {
      canvas = document.createElement("canvas");
      canvas.width = Math.max(1, field.width);
      canvas.height = Math.max(1, field.height);
      this.canvas = canvas;
      this.ctx = canvas.getContext("2d")!;
      this.spawns = [];
    }
    const changed = spawns !== this.spawns ? (this.changes.take(field), undefined) : this.changes.take(field);
    this.spawns = spawns;
    const ctx = this.ctx!;
    if (changed === undefined) {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      fillGround(ctx, spawns, 0, 0, field.width, field.height);
      for (let s = 0; s < field.count; s++) {
        fillSlice(ctx, field, s);
      }
      return canvas;
    }
    for (const s of changed) {
      const x = field.minX[s]!;
      const y = field.minY[s]!;
      const w = field.maxX[s]! - x;
      const h = field.maxY[s]! - y;
      ctx.save();
      ctx.beginPath();
      ctx.rect(x, y, w, h);
      ctx.clip();
      fillGround(ctx, spawns, x, y, w, h);
      fillSlice(ctx, field, s);
      ctx.restore();
    }
    return canvas;
  }
}

function fillGround(ctx: CanvasRenderingContext2D, spawns: Scene["spawns"], x: number, y: number, w: number, h: number): void {
  ctx.clearRect(x, y, w, h);
  ctx.fillStyle = "#2a2d26";
  ctx.fillRect(x, y, w, h);
  spawns.forEach((z, i) => {
    if (z.x < x + w && z.x + z.width > x && z.y < y + h && z.y + z.height > y) {
      ctx.fillStyle = i === 0 ? "rgba(200,60,60,0.18)" : "rgba(60,110,220,0.18)";
      ctx.fillRect(z.x, z.y, z.width, z.height);
    }
  });
}

/** Walls slice by slice; holes (HP 0) are not drawn. */
function fillSlice(ctx: CanvasRenderingContext2D, field: SliceField, s: number): void {
  const hp = field.hp[s]!;
  if (hp > 0) {
    ctx.fillStyle = sliceColour(hp, field.maxHp);
    ctx.fillRect(field.minX[s]!, field.minY[s]!, field.maxX[s]! - field.minX[s]!, field.maxY[s]! - field.minY[s]!);
  }
}

export class Renderer {
  private readonly walls = new WallLayer();
  private readonly vision = new VisionCache();
  camX = 0;
  camY = 0;

  constructor(private readonly ctx: CanvasRenderingContext2D) {}

  draw(scene: Scene): void {
    const ctx = this.ctx;
    const field = scene.field;
    const focus = scene.eye ?? scene.players.find((p) => p.own) ?? { x: field.width / 2, y: field.height / 2, aim: 0 };
    [this.camX, this.camY] = cameraFor(focus.x, focus.y, field.width, field.height);
    const ox = -this.camX;
    const oy = -this.camY;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (this.camX < 0 || this.camY < 0 || this.camX + VIEW_WIDTH > field.width || this.camY + VIEW_HEIGHT > field.height) {
      ctx.fillStyle = "#101214";
      ctx.fillRect(0, 0, VIEW_WIDTH, VIEW_HEIGHT);
    }
    // Ground, spawn zones and walls from the cached layer (whole pixels: the camera is rounded).
    ctx.drawImage(this.walls.update(field, scene.spawns), ox, oy);
    ctx.setTransform(1, 0, 0, 1, ox, oy);
    for (const c of scene.charges) {
      // The blast radius, and the fuse burning down around it (1.5 s).
      ctx.strokeStyle = "rgba(255,160,40,0.35)";
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.arc(c.x, c.y, CHARGE_RADIUS, -Math.PI / 2, -Math.PI / 2 + 2 * Math.PI * Math.min(1, c.secondsLeft / CHARGE_FUSE_SECONDS));
      ctx.stroke();
      ctx.fillStyle = Math.floor(scene.nowMs / 150) % 2 === 0 ? "#ffd040" : "#a06010";
      ctx.fillRect(Math.round(c.x) - 2, Math.round(c.y) - 2, 4, 4);
    }
    for (const p of scene.players) {
      drawPlayer(ctx, p, scene.nowMs);
    }
    for (const e of scene.effects) {
      drawEffect(ctx, e, scene.nowMs);
    }
    this.drawShade(scene, ox, oy);
  }

  /**
   * Darkens everything outside the cone and the awareness circle in one even-odd fill: the view
   * rectangle plus their union, a region star-shaped around the eye (each ray's reach, at least
   * the awareness radius, then the circle's arc behind the cone).
   */
  private drawShade(scene: Scene, ox: number, oy: number): void {
    const s = this.ctx;
    s.setTransform(1, 0, 0, 1, 0, 0);
    s.fillStyle = "rgba(0,0,0,0.72)";
    s.beginPath();
    s.rect(0, 0, VIEW_WIDTH, VIEW_HEIGHT);
    const eye = scene.eye;
    if (eye !== undefined) {
      const poly = this.vision.polygon(scene.field, eye.x, eye.y, eye.aim);
      const ex = eye.x + ox;
      const ey = eye.y + oy;
      const awareness = DEFAULT_VISION.awareness;
      for (let i = 2; i < poly.length; i += 2) {
        // Reach a little past the hit so the face of the wall that stops sight is lit.
        const dx = poly[i]! - eye.x;
        const dy = poly[i + 1]! - eye.y;
        const d = Math.hypot(dx, dy) || 1;
        const reach = Math.max(awareness, d + (d < DEFAULT_VISION.range - 0.5 ? 2 : 0));
        const x = ex + (dx / d) * reach;
        const y = ey + (dy / d) * reach;
        if (i === 2) {
          s.moveTo(x, y);
        } else {
          s.lineTo(x, y);
        }
      }
      const half = DEFAULT_VISION.coneAngle / 2;
      s.arc(ex, ey, awareness, eye.aim + half, eye.aim - half + Math.PI * 2);
      s.closePath();
    }
    s.fill("evenodd");
  }
}

function drawPlayer(ctx: CanvasRenderingContext2D, p: DrawnPlayer, nowMs: number): void {
  if (!p.alive) {
    ctx.strokeStyle = "rgba(200,200,200,0.5)";
    ctx.beginPath();
    ctx.moveTo(p.x - 3, p.y - 3);
    ctx.lineTo(p.x + 3, p.y + 3);
    ctx.moveTo(p.x + 3, p.y - 3);
    ctx.lineTo(p.x - 3, p.y + 3);
    ctx.stroke();
    return;
  }
  if (p.protectedNow && Math.floor(nowMs / 120) % 2 === 0) {
    ctx.globalAlpha = 0.5;
  }
  ctx.fillStyle = p.team === Team.RED ? "#e04848" : p.team === Team.BLUE ? "#4a86ff" : "#cccccc";
  ctx.beginPath();
  ctx.arc(p.x, p.y, 5, 0, Math.PI * 2);
  ctx.fill();
  if (p.own) {
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = 1;
    ctx.stroke();
  }
  ctx.strokeStyle = "#f0f0f0";
  ctx.beginPath();
  ctx.moveTo(p.x, p.y);
  ctx.lineTo(p.x + Math.cos(p.aim) * 8, p.y + Math.sin(p.aim) * 8);
  ctx.stroke();
  ctx.globalAlpha = 1;
}

function drawEffect(ctx: CanvasRenderingContext2D, e: Effect, nowMs: number): void {
  const f = 1 - (nowMs - e.bornMs) / e.lifeMs;
  if (f <= 0) {
    return;
  }
  switch (e.kind) {
    case "tracer":
      ctx.strokeStyle = `rgba(255,240,170,${0.8 * f})`;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(e.x, e.y);
      ctx.lineTo(e.x2, e.y2);
      ctx.stroke();
      break;
    case "flash":
      ctx.fillStyle = `rgba(255,220,120,${f})`;
      ctx.beginPath();
      ctx.arc(e.x, e.y, 3, 0, Math.PI * 2);
      ctx.fill();
      break;
    case "explosion":
      ctx.fillStyle = `rgba(255,150,40,${0.6 * f})`;
      ctx.beginPath();
      ctx.arc(e.x, e.y, CHARGE_RADIUS * (1.2 - 0.4 * f), 0, Math.PI * 2);
      ctx.fill();
      break;
    case "sound":
      // A heard sound's direction: a short arc segment around the own player.
      ctx.strokeStyle = `rgba(255,255,255,${0.7 * f})`;
      ctx.beginPath();
      ctx.arc(e.x, e.y, 14, e.x2 - 0.25, e.x2 + 0.25);
      ctx.stroke();
      break;
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** The largest whole factor at which the native view fits the given box (at least 1). */
export function wholeScale(width: number, height: number): number {
  return Math.max(1, Math.floor(Math.min(width / VIEW_WIDTH, height / VIEW_HEIGHT)));
}
