// Fixtures shared by the match view's tests.

/** A small deterministic generator (xorshift32), so a failure names a reproducible case. */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** {@link xorshift32} as whole numbers below `n`. */
export function seededBelow(seed: number): (n: number) => number {
  const next = xorshift32(seed);
  return (n) => next() % n;
}

/** A 200×100 room with one vertical wall of 10 slices (x 100..106, y 40..60). */
export const oneWallRoom = {
  name: "test",
  width: 200,
  height: 100,
  sliceLength: 2,
  walls: [{ orientation: 1, x: 100, y: 40, slices: 10, thickness: 6 }],
  spawns: [],
};
