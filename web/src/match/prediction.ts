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
  private records: TickRecord[] = [];
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
    this.records = [];
    this.firstTickOf.clear();
  }

  /** Runs one local tick holding input `sequence` (the newest sent). */
  step(sequence: number, buttons: number, speed: MovementSpeed): void {
    this.localTick++;
    if (!this.firstTickOf.has(sequence)) {
      this.firstTickOf.set(sequence, this.localTick);
    }
    this.records.push({ tick: this.localTick, sequence, buttons, speed });
    if (this.records.length > MAX_RECORDS) {
      this.records.shift();
    }
    step(this.rules, this.slices, this.x, this.y, buttons, speed, this.out);
    this.x = this.out[0];
    this.y = this.out[1];
  }

  /** The estimated server-minus-local tick offset, if learnt. */
  offset(): number | undefined {
    return this.samples.length === 0 ? undefined : Math.min(...this.samples);
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
    if (first === undefined) {
      // An input this predictor never held (before a reconnect): replay only the newer ones.
      const newer = this.records.find((r) => r.sequence > lastSequence);
      replayAfter = newer === undefined ? this.localTick : newer.tick - 1;
    } else {
      const next = this.records.find((r) => r.sequence > lastSequence);
      const lastOfL = next === undefined ? this.localTick : next.tick - 1;
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
    // What the server has run is settled: forget it.
    this.records = this.records.filter((r) => r.tick > replayAfter);
    for (const seq of this.firstTickOf.keys()) {
      if (seq < lastSequence) {
        this.firstTickOf.delete(seq);
      }
    }
    return Math.hypot(this.x - beforeX, this.y - beforeY);
  }
}
