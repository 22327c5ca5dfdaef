// Client-side prediction of the own player, reconciled on each snapshot's last_input_sequence.
//
// The server holds a player's newest input and applies it every tick until the next arrives, so
// "inputs after L" is not enough to replay: input L itself may have been held for ticks the server
// has not run yet. Each local tick therefore records the input it held. A snapshot of server tick S
// corresponds to local tick S - offset, where offset (server tick an input took effect minus the
// local tick it was first held) is learnt from the first snapshot acknowledging each input, taking
// the smallest recent sample (the late ones only measure jitter). Reconciling starts from the
// server's position and replays every recorded local tick after S - offset with the rules the
// server runs; that tick is clamped to lie within input L's ticks, which the server has begun
// (it acknowledged L) and not finished (it has not seen L + 1).
import type { MovementSpeed } from "../gen/trespasser/game/v1/game_pb.js";
import { type MovementRules, step } from "./movement.js";
import type { SliceField } from "./world.js";

interface TickRecord {
  tick: number;
  sequence: number;
  buttons: number;
  speed: MovementSpeed;
}

const MAX_RECORDS = 600;
const OFFSET_SAMPLES = 20;

export class Predictor {
  x = 0;
  y = 0;
  /** Local simulation ticks run so far. */
  localTick = 0;
  /** Oldest first. Records leaving it go to `spare` and are reused: one tick made one before. */
  private readonly records: TickRecord[] = [];
  private readonly spare: TickRecord[] = [];
  private readonly firstTickOf = new Map<number, number>();
  private samples: number[] = [];
  private lastAcked = 0;
  private readonly out: [number, number] = [0, 0];

  constructor(
    private readonly rules: MovementRules,
    private readonly slices: SliceField,
  ) {}

  /** Places the player without history (spawn, reconnect, death). */
  reset(x: number, y: number): void {
    this.x = x;
    this.y = y;
    this.dropOldest(this.records.length);
    this.firstTickOf.clear();
  }

  /** Runs one local tick holding input `sequence` (the newest sent). */
  step(sequence: number, buttons: number, speed: MovementSpeed): void {
    this.localTick++;
    if (!this.firstTickOf.has(sequence)) {
      this.firstTickOf.set(sequence, this.localTick);
    }
    const r = this.spare.pop() ?? { tick: 0, sequence: 0, buttons: 0, speed: 0 };
    r.tick = this.localTick;
    r.sequence = sequence;
    r.buttons = buttons;
    r.speed = speed;
    this.records.push(r);
    if (this.records.length > MAX_RECORDS) {
      this.dropOldest(1);
    }
    step(this.rules, this.slices, this.x, this.y, buttons, speed, this.out);
    this.x = this.out[0];
    this.y = this.out[1];
  }

  /** The estimated server-minus-local tick offset, if learnt. */
  offset(): number | undefined {
    const samples = this.samples;
    if (samples.length === 0) {
      return undefined;
    }
    let min = samples[0]!;
    for (let i = 1; i < samples.length; i++) {
      min = Math.min(min, samples[i]!);
    }
    return min;
  }

  /**
   * The server says the player stood at (sx, sy) at server tick `serverTick` having applied
   * inputs up to `lastSequence`. Returns how far the prediction moved (0: server agreed).
   */
  reconcile(serverTick: number, lastSequence: number, sx: number, sy: number): number {
    const first = this.firstTickOf.get(lastSequence);
    if (lastSequence > this.lastAcked && first !== undefined) {
      this.samples.push(serverTick - first);
      if (this.samples.length > OFFSET_SAMPLES) {
        this.samples.shift();
      }
    }
    this.lastAcked = Math.max(this.lastAcked, lastSequence);
    const beforeX = this.x;
    const beforeY = this.y;
    let replayAfter: number;
    const newer = this.firstRecordAfter(lastSequence);
    if (first === undefined) {
      // An input this predictor never held (before a reconnect): replay only the newer ones.
      replayAfter = newer === undefined ? this.localTick : newer.tick - 1;
    } else {
      const lastOfL = newer === undefined ? this.localTick : newer.tick - 1;
      const offset = this.offset() ?? serverTick - first;
      replayAfter = Math.min(Math.max(serverTick - offset, first), lastOfL);
    }
    this.x = sx;
    this.y = sy;
    for (const r of this.records) {
      if (r.tick > replayAfter) {
        step(this.rules, this.slices, this.x, this.y, r.buttons, r.speed, this.out);
        this.x = this.out[0];
        this.y = this.out[1];
      }
    }
    // What the server has run is settled: forget it (records are in tick order).
    let settled = 0;
    while (settled < this.records.length && this.records[settled]!.tick <= replayAfter) {
      settled++;
    }
    this.dropOldest(settled);
    for (const seq of this.firstTickOf.keys()) {
      if (seq < lastSequence) {
        this.firstTickOf.delete(seq);
      }
    }
    return Math.hypot(this.x - beforeX, this.y - beforeY);
  }

  private firstRecordAfter(sequence: number): TickRecord | undefined {
    for (const r of this.records) {
      if (r.sequence > sequence) {
        return r;
      }
    }
    return undefined;
  }

  /** Forgets the `n` oldest records, keeping their objects for reuse. */
  private dropOldest(n: number): void {
    const records = this.records;
    if (n <= 0) {
      return;
    }
    for (let i = 0; i < n; i++) {
      this.spare.push(records[i]!);
    }
    records.copyWithin(0, n);
    records.length -= n;
  }
}
