import { getOption } from "@bufbuild/protobuf";
import { GameMode, GameModeSchema, mode_label } from "../gen/trespasser/frontend/v1/frontend_pb.js";

export interface ModeChoice {
  mode: GameMode;
  /** The proto's mode_label ("4v4"). */
  label: string;
}

/** Every mode the proto offers, in its order (GAME_MODE_UNSPECIFIED aside). */
export function modeChoices(): ModeChoice[] {
  return GameModeSchema.values
    .filter((value) => value.number !== GameMode.GAME_MODE_UNSPECIFIED)
    .map((value) => ({ mode: value.number as GameMode, label: getOption(value, mode_label) || value.name }));
}

export function modeLabel(mode: GameMode): string {
  return modeChoices().find((choice) => choice.mode === mode)?.label ?? "4v4";
}

/**
 * The regions to offer. The API does not list them (the frontend's FRONTEND_REGIONS, default
 * "eu,us"), so a build names them in VITE_REGIONS; a name the frontend does not know is refused
 * by FindMatch with the list it has, which the main screen shows.
 */
export function regionChoices(configured: string | undefined): string[] {
  const regions = (configured ?? "eu,us")
    .split(",")
    .map((region) => region.trim())
    .filter((region) => /^[a-z][a-z0-9-]{0,31}$/.test(region));
  return regions.length > 0 ? [...new Set(regions)] : ["eu", "us"];
}
