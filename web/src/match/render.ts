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
/** Path coordinates of the shade in 1/16 px, whole numbers (see drawShade). */
const SUBPIXEL = 16;

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
  return [cameraAxis(focusX, mapWidth, VIEW_WIDTH), cameraAxis(focusY, mapHeight, VIEW_HEIGHT)];
}

/** One axis of `cameraFor` (no array per frame). */
function cameraAxis(focus: number, mapSize: number, viewSize: number): number {
  return Math.round(mapSize <= viewSize ? (mapSize - viewSize) / 2 : clamp(focus - viewSize / 2, 0, mapSize - viewSize));
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
    const focus = scene.eye ?? ownPlayer(scene.players);
    this.camX = cameraAxis(focus !== undefined ? focus.x : field.width / 2, field.width, VIEW_WIDTH);
    this.camY = cameraAxis(focus !== undefined ? focus.y : field.height / 2, field.height, VIEW_HEIGHT);
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
    // Players in 1/SUBPIXEL px units with whole-number coordinates, like the shade (no boxed
    // numbers per call); line widths scale with the transform.
    ctx.setTransform(1 / SUBPIXEL, 0, 0, 1 / SUBPIXEL, ox, oy);
    ctx.lineWidth = SUBPIXEL;
    for (const p of scene.players) {
      drawPlayer(ctx, p, scene.nowMs);
    }
    ctx.setTransform(1, 0, 0, 1, ox, oy);
    ctx.lineWidth = 1;
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
    // The path is given in 1/SUBPIXEL pixel units, rounded to int32: they reach the canvas API
    // as small integers, where a fractional coordinate is boxed into a fresh heap number on
    // every call (2 × 121 per frame, most of what a frame allocated). 1/16 px is below what
    // the antialiasing resolves.
    s.setTransform(1 / SUBPIXEL, 0, 0, 1 / SUBPIXEL, 0, 0);
    s.fillStyle = "rgba(0,0,0,0.72)";
    s.beginPath();
    s.rect(0, 0, VIEW_WIDTH * SUBPIXEL, VIEW_HEIGHT * SUBPIXEL);
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
        // sqrt, not Math.hypot: the builtin returns a boxed number (no overflow at these sizes).
        const d = Math.sqrt(dx * dx + dy * dy) || 1;
        const reach = Math.max(awareness, d + (d < DEFAULT_VISION.range - 0.5 ? 2 : 0));
        const x = Math.round((ex + (dx / d) * reach) * SUBPIXEL) | 0;
        const y = Math.round((ey + (dy / d) * reach) * SUBPIXEL) | 0;
        if (i === 2) {
          s.moveTo(x, y);
        } else {
          s.lineTo(x, y);
        }
      }
      const half = DEFAULT_VISION.coneAngle / 2;
      s.arc(Math.round(ex * SUBPIXEL) | 0, Math.round(ey * SUBPIXEL) | 0, awareness * SUBPIXEL, eye.aim + half, eye.aim - half + Math.PI * 2);
      s.closePath();
    }
    s.fill("evenodd");
  }

}

/** In 1/SUBPIXEL px units (the caller's transform), coordinates rounded to whole numbers. */
function drawPlayer(ctx: CanvasRenderingContext2D, p: DrawnPlayer, nowMs: number): void {
  const x = Math.round(p.x * SUBPIXEL) | 0;
  const y = Math.round(p.y * SUBPIXEL) | 0;
  if (!p.alive) {
    const c = 3 * SUBPIXEL;
    ctx.strokeStyle = "rgba(200,200,200,0.5)";
    ctx.beginPath();
    ctx.moveTo(x - c, y - c);
    ctx.lineTo(x + c, y + c);
    ctx.moveTo(x + c, y - c);
    ctx.lineTo(x - c, y + c);
    ctx.stroke();
    return;
  }
  if (p.protectedNow && Math.floor(nowMs / 120) % 2 === 0) {
    ctx.globalAlpha = 0.5;
  }
  ctx.fillStyle = p.team === Team.RED ? "#e04848" : p.team === Team.BLUE ? "#4a86ff" : "#cccccc";
  ctx.beginPath();
  ctx.arc(x, y, 5 * SUBPIXEL, 0, Math.PI * 2);
  ctx.fill();
  if (p.own) {
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
  }
  ctx.strokeStyle = "#f0f0f0";
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo((x + Math.round(Math.cos(p.aim) * 8 * SUBPIXEL)) | 0, (y + Math.round(Math.sin(p.aim) * 8 * SUBPIXEL)) | 0);
  ctx.stroke();
  ctx.globalAlpha = 1;
}

function ownPlayer(players: DrawnPlayer[]): DrawnPlayer | undefined {
  for (const p of players) {
    if (p.own) {
      return p;
    }
  }
  return undefined;
}

/** Fading effects: a constant colour under globalAlpha, not an rgba string built per frame. */
function drawEffect(ctx: CanvasRenderingContext2D, e: Effect, nowMs: number): void {
  const f = 1 - (nowMs - e.bornMs) / e.lifeMs;
  if (f <= 0) {
    return;
  }
  switch (e.kind) {
    case "tracer":
      ctx.globalAlpha = 0.8 * f;
      ctx.strokeStyle = "rgb(255,240,170)";
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(e.x, e.y);
      ctx.lineTo(e.x2, e.y2);
      ctx.stroke();
      break;
    case "flash":
      ctx.globalAlpha = f;
      ctx.fillStyle = "rgb(255,220,120)";
      ctx.beginPath();
      ctx.arc(e.x, e.y, 3, 0, Math.PI * 2);
      ctx.fill();
      break;
    case "explosion":
      ctx.globalAlpha = 0.6 * f;
      ctx.fillStyle = "rgb(255,150,40)";
      ctx.beginPath();
      ctx.arc(e.x, e.y, CHARGE_RADIUS * (1.2 - 0.4 * f), 0, Math.PI * 2);
      ctx.fill();
      break;
    case "sound":
      // A heard sound's direction: a short arc segment around the own player.
      ctx.globalAlpha = 0.7 * f;
      ctx.strokeStyle = "rgb(255,255,255)";
      ctx.beginPath();
      ctx.arc(e.x, e.y, 14, e.x2 - 0.25, e.x2 + 0.25);
      ctx.stroke();
      break;
  }
  ctx.globalAlpha = 1;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** The largest whole factor at which the native view fits the given box (at least 1). */
export function wholeScale(width: number, height: number): number {
  return Math.max(1, Math.floor(Math.min(width / VIEW_WIDTH, height / VIEW_HEIGHT)));
}
