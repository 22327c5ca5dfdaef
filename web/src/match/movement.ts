// One tick of a player's movement (game-client's MovementRules), the same code the server runs,
// so the client predicts its own position exactly. Speeds are world units per second.
import { MovementSpeed } from "../gen/trespasser/game/v1/game_pb.js";
import type { SliceField } from "./world.js";

export const BUTTON_UP = 1;
export const BUTTON_DOWN = 2;
export const BUTTON_LEFT = 4;
export const BUTTON_RIGHT = 8;
export const BUTTON_FIRE = 16;
export const BUTTON_THROW_CHARGE = 32;

export interface MovementRules {
  playerRadius: number;
  sneakSpeed: number;
  walkSpeed: number;
  runSpeed: number;
  tickRateHz: number;
}

/** GAME.md's numbers; MovementRules.DEFAULTS and the server's MatchSettings.defaults() agree. */
export const DEFAULT_RULES: MovementRules = { playerRadius: 5, sneakSpeed: 30, walkSpeed: 60, runSpeed: 100, tickRateHz: 60 };

export function speedOf(rules: MovementRules, speed: MovementSpeed): number {
  switch (speed) {
    case MovementSpeed.SNEAK:
      return rules.sneakSpeed;
    case MovementSpeed.RUN:
      return rules.runSpeed;
    default:
      // UNSPECIFIED is WALK, as the server reads it.
      return rules.walkSpeed;
  }
}

/** Moves a player at (x, y) by one tick of the held buttons at speed; writes the end to out. */
export function step(
  rules: MovementRules,
  slices: SliceField,
  x: number,
  y: number,
  buttons: number,
  speed: MovementSpeed,
  out: [number, number],
): void {
  const ix = ((buttons & BUTTON_RIGHT) !== 0 ? 1 : 0) - ((buttons & BUTTON_LEFT) !== 0 ? 1 : 0);
  const iy = ((buttons & BUTTON_DOWN) !== 0 ? 1 : 0) - ((buttons & BUTTON_UP) !== 0 ? 1 : 0);
  if (ix === 0 && iy === 0) {
    out[0] = x;
    out[1] = y;
    return;
  }
  const stepLength = speedOf(rules, speed) / rules.tickRateHz;
  const scale = ix !== 0 && iy !== 0 ? stepLength * Math.sqrt(0.5) : stepLength;
  slices.moveCircle(x, y, ix * scale, iy * scale, rules.playerRadius, out);
}
