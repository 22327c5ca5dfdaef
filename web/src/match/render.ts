// Draws one frame on the 480×270 native canvas: world units are native pixels (GAME.md), the
// camera follows the own player and stays inside the map. Everything outside the vision cone
// (and awareness circle) is darkened; intact slices shadow, holes let sight through.
import { Team } from "../gen/trespasser/game/v1/game_pb.js";
import type { Pose } from "./interpolation.js";
import { DEFAULT_VISION, visionPolygon } from "./vision.js";
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

export class Renderer {
  private readonly shade: HTMLCanvasElement;
  private readonly shadeCtx: CanvasRenderingContext2D;
  camX = 0;
  camY = 0;

  constructor(private readonly ctx: CanvasRenderingContext2D) {
    this.shade = document.createElement("canvas");
    this.shade.width = VIEW_WIDTH;
    this.shade.height = VIEW_HEIGHT;
    this.shadeCtx = this.shade.getContext("2d")!;
  }

  draw(scene: Scene): void {
    const ctx = this.ctx;
    const field = scene.field;
    const focus = scene.eye ?? scene.players.find((p) => p.own) ?? { x: field.width / 2, y: field.height / 2, aim: 0 };
    [this.camX, this.camY] = cameraFor(focus.x, focus.y, field.width, field.height);
    const ox = -this.camX;
    const oy = -this.camY;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#101214";
    ctx.fillRect(0, 0, VIEW_WIDTH, VIEW_HEIGHT);
    ctx.setTransform(1, 0, 0, 1, ox, oy);
    // Ground and spawn zones.
    ctx.fillStyle = "#2a2d26";
    ctx.fillRect(0, 0, field.width, field.height);
    scene.spawns.forEach((z, i) => {
      ctx.fillStyle = i === 0 ? "rgba(200,60,60,0.18)" : "rgba(60,110,220,0.18)";
      ctx.fillRect(z.x, z.y, z.width, z.height);
    });
    // Walls, slice by slice in table order; holes (HP 0) are not drawn.
    const x0 = this.camX - 16;
    const y0 = this.camY - 16;
    const x1 = this.camX + VIEW_WIDTH + 16;
    const y1 = this.camY + VIEW_HEIGHT + 16;
    for (let s = 0; s < field.count; s++) {
      const hp = field.hp[s]!;
      if (hp <= 0) {
        continue;
      }
      const minX = field.minX[s]!;
      const minY = field.minY[s]!;
      if (minX > x1 || minY > y1 || field.maxX[s]! < x0 || field.maxY[s]! < y0) {
        continue;
      }
      ctx.fillStyle = sliceColour(hp, field.maxHp);
      ctx.fillRect(minX, minY, field.maxX[s]! - minX, field.maxY[s]! - minY);
    }
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

  private drawShade(scene: Scene, ox: number, oy: number): void {
    const s = this.shadeCtx;
    s.globalCompositeOperation = "source-over";
    s.setTransform(1, 0, 0, 1, 0, 0);
    s.clearRect(0, 0, VIEW_WIDTH, VIEW_HEIGHT);
    s.fillStyle = "rgba(0,0,0,0.72)";
    s.fillRect(0, 0, VIEW_WIDTH, VIEW_HEIGHT);
    const eye = scene.eye;
    if (eye !== undefined) {
      s.setTransform(1, 0, 0, 1, ox, oy);
      s.globalCompositeOperation = "destination-out";
      s.fillStyle = "#000";
      const poly = visionPolygon(scene.field, eye.x, eye.y, eye.aim);
      s.beginPath();
      s.moveTo(poly[0]!, poly[1]!);
      for (let i = 2; i < poly.length; i += 2) {
        // Reach a little past the hit so the face of the wall that stops sight is lit.
        const dx = poly[i]! - eye.x;
        const dy = poly[i + 1]! - eye.y;
        const d = Math.hypot(dx, dy) || 1;
        const extra = d < DEFAULT_VISION.range - 0.5 ? 2 : 0;
        s.lineTo(poly[i]! + (dx / d) * extra, poly[i + 1]! + (dy / d) * extra);
      }
      s.closePath();
      s.fill();
      s.beginPath();
      s.arc(eye.x, eye.y, DEFAULT_VISION.awareness, 0, Math.PI * 2);
      s.fill();
    }
    this.ctx.setTransform(1, 0, 0, 1, 0, 0);
    this.ctx.drawImage(this.shade, 0, 0);
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
