import { getOption } from "@bufbuild/protobuf";
import { GameMode, GameModeSchema, mode_label } from "../gen/trespasser/frontend/v1/frontend_pb.js";

/**
 * A mode's label from the proto this page was built with ("4v4"): what the queue screen shows when
 * it has no answer from GetQueueOptions yet (a reload while queued). The choices offered come from
 * the server (src/api/queue-options.ts).
 */
export function modeLabel(mode: GameMode): string {
  const value = GameModeSchema.values.find((candidate) => candidate.number === mode && mode !== GameMode.GAME_MODE_UNSPECIFIED);
  return value ? getOption(value, mode_label) || value.name : `mode ${mode}`;
}
