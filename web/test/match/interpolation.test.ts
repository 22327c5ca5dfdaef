import { describe, expect, it } from "vitest";
import { Interpolator, lerpPose } from "../../src/match/interpolation.js";

const at = (slot: number, x: number, y: number, aim = 0) => ({ slot, x, y, aim });

describe("Interpolator", () => {
  it("places a player between the two snapshots around the render tick", () => {
    const i = new Interpolator();
    i.push(10, [at(1, 0, 0)]);
    i.push(12, [at(1, 4, 2)]);
    const p = i.sample(11).get(1)!;
    expect(p.x).toBeCloseTo(2);
    expect(p.y).toBeCloseTo(1);
    expect(i.sample(10).get(1)!.x).toBe(0);
    expect(i.sample(12).get(1)!.x).toBe(4);
  });

  it("holds the oldest known pose before the buffer", () => {
    const i = new Interpolator();
    i.push(10, [at(1, 0, 0)]);
    i.push(12, [at(1, 4, 0)]);
    expect(i.sample(5).get(1)!.x).toBe(0);
  });

  it("extrapolates past the newest snapshot up to its limit, then eases back to the last known pose", () => {
    const i = new Interpolator(2);
    i.push(10, [at(1, 0, 0)]);
    i.push(12, [at(1, 4, 0)]);
    expect(i.sample(13).get(1)!.x).toBeCloseTo(6);
    expect(i.sample(14).get(1)!.x).toBeCloseTo(8);
    expect(i.sample(16).get(1)!.x).toBeCloseTo(6);
    expect(i.sample(18).get(1)!.x).toBeCloseTo(4);
    expect(i.sample(100).get(1)!.x).toBeCloseTo(4);
  });

  it("does not slide a respawned player across the map", () => {
    const i = new Interpolator();
    i.push(10, [at(1, 0, 0)]);
    i.push(12, [at(1, 400, 0)]);
    expect(i.sample(11).get(1)!.x).toBe(0);
    expect(i.sample(14).get(1)!.x).toBe(400);
  });

  it("draws only players of the newest snapshot; one new there appears where it is", () => {
    const i = new Interpolator();
    i.push(10, [at(1, 0, 0), at(2, 5, 5)]);
    i.push(12, [at(1, 2, 0), at(3, 9, 9)]);
    const s = i.sample(11);
    expect([...s.keys()].sort()).toEqual([1, 3]);
    expect(s.get(3)!.x).toBe(9);
  });

  it("starts over when ticks go back (a new round or connection)", () => {
    const i = new Interpolator();
    i.push(500, [at(1, 0, 0)]);
    i.push(4, [at(1, 50, 0)]);
    expect(i.newestTick()).toBe(4);
    expect(i.sample(3).get(1)!.x).toBe(50);
  });

  it("turns the aim the short way round", () => {
    const p = lerpPose({ x: 0, y: 0, aim: 0.1 }, { x: 0, y: 0, aim: 2 * Math.PI - 0.1 }, 0.5);
    expect(Math.abs(Math.sin(p.aim))).toBeLessThan(1e-9);
    expect(Math.cos(p.aim)).toBeCloseTo(1);
  });
});
