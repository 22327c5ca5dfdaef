import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { readQueueOptions } from "../../src/api/queue-options.js";
import { GameMode, GetQueueOptionsResponseSchema } from "../../src/gen/trespasser/frontend/v1/frontend_pb.js";

function answer(regions: string[], modes: { mode: number; label: string; teamSize: number }[]) {
  return create(GetQueueOptionsResponseSchema, { regions, modes: modes.map((m) => ({ ...m, mode: m.mode as GameMode })) });
}

const FOUR = { mode: GameMode.GAME_MODE_4V4, label: "4v4", teamSize: 4 };

describe("readQueueOptions", () => {
  it("keeps the server's order", () => {
    const options = readQueueOptions(
      answer(["us-east", "eu"], [FOUR, { mode: GameMode.GAME_MODE_1V1, label: "1v1", teamSize: 1 }]),
    );
    expect(options).toEqual({
      regions: ["us-east", "eu"],
      modes: [FOUR, { mode: GameMode.GAME_MODE_1V1, label: "1v1", teamSize: 1 }],
    });
  });

  it("drops what the page should not draw: malformed, duplicate, unspecified, absurd", () => {
    const options = readQueueOptions(
      answer(
        ["eu", "EU", "eu", "", "us west", "<img src=x>", "a".repeat(33), "x".repeat(32), "9lives", "ap-south-1"],
        [
          FOUR,
          { ...FOUR, label: "again" },
          { mode: GameMode.GAME_MODE_UNSPECIFIED, label: "none", teamSize: 4 },
          { mode: GameMode.GAME_MODE_2V2, label: "<b>2v2</b>", teamSize: 2 },
          { mode: GameMode.GAME_MODE_2V2, label: "", teamSize: 2 },
          { mode: GameMode.GAME_MODE_2V2, label: "2v2", teamSize: 0 },
          { mode: GameMode.GAME_MODE_2V2, label: "2v2", teamSize: 1_000_000 },
          { mode: GameMode.GAME_MODE_2V2, label: "x".repeat(17), teamSize: 2 },
          // A mode this build does not know is still offered: the server knows it.
          { mode: 7, label: "3v3", teamSize: 3 },
        ],
      ),
    );
    expect(options.regions).toEqual(["eu", "x".repeat(32), "ap-south-1"]);
    expect(options.modes).toEqual([FOUR, { mode: 7, label: "3v3", teamSize: 3 }]);
  });

  it("reads at most 64 of each", () => {
    const regions = Array.from({ length: 10_000 }, (_, i) => `r${i}`);
    expect(readQueueOptions(answer(regions, [FOUR])).regions).toHaveLength(64);
  });

  it("an answer with no usable region or mode is an error, not an empty choice", () => {
    expect(() => readQueueOptions(answer([], [FOUR]))).toThrow(expect.objectContaining({ code: Code.Internal }));
    expect(() => readQueueOptions(answer(["EU"], [FOUR]))).toThrow(expect.objectContaining({ code: Code.Internal }));
    expect(() => readQueueOptions(answer(["eu"], []))).toThrow(expect.objectContaining({ code: Code.Internal }));
  });
});
