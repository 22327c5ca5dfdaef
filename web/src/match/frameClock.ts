// The fixed simulation step inside requestAnimationFrame: elapsed display time accumulates and is
// spent in whole ticks, at most `maxTicksPerFrame` per frame so a stalled frame (GC, a busy CPU)
// is caught up over the next few frames instead of in one long one. The remainder is carried, so
// every tick still runs, in order, with the input held when it runs.
export class FixedStep {
  private accumulatorMs = 0;

  constructor(
    public stepMs: number,
    private readonly maxTicksPerFrame = 4,
    /** Longest gap counted at once (a hidden tab's pause is not replayed). */
    private readonly maxGapMs = 250,
  ) {}

  /** Adds the time since the last frame and returns how many ticks to run now. */
  advance(elapsedMs: number): number {
    this.accumulatorMs += Math.max(0, Math.min(this.maxGapMs, elapsedMs));
    let ticks = Math.floor(this.accumulatorMs / this.stepMs);
    if (ticks > this.maxTicksPerFrame) {
      ticks = this.maxTicksPerFrame;
    }
    this.accumulatorMs -= ticks * this.stepMs;
    return ticks;
  }

  /** Time owed to the simulation (ms), including ticks deferred by the cap. */
  get backlogMs(): number {
    return this.accumulatorMs;
  }
}

/** The last `size` frame times in a fixed buffer (no per-frame allocation or shifting). */
export class FrameTimes {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(size: number) {
    this.samples = new Float64Array(size);
  }

  push(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    this.filled = Math.min(this.filled + 1, this.samples.length);
  }

  /** Oldest first. */
  toArray(): number[] {
    const out: number[] = [];
    const start = (this.next - this.filled + this.samples.length) % this.samples.length;
    for (let i = 0; i < this.filled; i++) {
      out.push(this.samples[(start + i) % this.samples.length]!);
    }
    return out;
  }
}
