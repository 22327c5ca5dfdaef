import { describe, expect, it } from "vitest";
import { FixedStep, FrameTimes } from "../../src/match/frameClock.js";

describe("FixedStep", () => {
  it("runs whole ticks and carries the fractions", () => {
    const step = new FixedStep(10);
    const ticks = [6, 6, 6, 6, 6, 6].map((ms) => step.advance(ms));
    expect(ticks).toEqual([0, 1, 0, 1, 1, 0]);
    expect(step.backlogMs).toBe(6);
  });

  it("spreads a stall over the next frames at most 4 ticks each, losing none", () => {
    const step = new FixedStep(10);
    expect(step.advance(100)).toBe(4);
    expect(step.advance(0)).toBe(4);
    expect(step.advance(5)).toBe(2);
    expect(step.backlogMs).toBeCloseTo(5);
    expect(step.advance(5)).toBe(1);
  });

  it("counts at most 250 ms of a gap and ignores a clock going back", () => {
    const step = new FixedStep(10, 100);
    expect(step.advance(10_000)).toBe(25);
    expect(step.advance(-50)).toBe(0);
    expect(step.backlogMs).toBe(0);
  });
});

describe("FrameTimes", () => {
  it("keeps the newest samples, oldest first", () => {
    const times = new FrameTimes(3);
    expect(times.toArray()).toEqual([]);
    times.push(1);
    times.push(2);
    expect(times.toArray()).toEqual([1, 2]);
    times.push(3);
    times.push(4);
    expect(times.toArray()).toEqual([2, 3, 4]);
  });
});
