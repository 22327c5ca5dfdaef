import { describe, expect, it } from "vitest";
import { MovementSpeed } from "../../src/gen/trespasser/game/v1/game_pb.js";
import { BUTTON_DOWN, BUTTON_RIGHT, BUTTON_UP, DEFAULT_RULES, step } from "../../src/match/movement.js";
import { Predictor } from "../../src/match/prediction.js";
import { SliceField } from "../../src/match/world.js";
import { loadShippedMap } from "./mapFile.js";

/**
 * A stand-in for the server's input handling (Match.submitInput/drainInputs): inputs arrive
 * `delay` ticks after the client first held them; each tick the newest arrived input is held and
 * the player moves with the same rules. Snapshots every two ticks.
 */
class HeldInputServer {
  x: number;
  y: number;
  tick = 0;
  lastSequence = 0;
  private buttons = 0;
  private speed = MovementSpeed.WALK;
  private queue: { at: number; sequence: number; buttons: number; speed: MovementSpeed }[] = [];
  private readonly out: [number, number] = [0, 0];

  constructor(
    private readonly field: SliceField,
    x: number,
    y: number,
  ) {
    this.x = x;
    this.y = y;
  }

  receive(at: number, sequence: number, buttons: number, speed: MovementSpeed): void {
    this.queue.push({ at, sequence, buttons, speed });
  }

  run(): void {
    this.tick++;
    while (this.queue.length > 0 && this.queue[0]!.at <= this.tick) {
      const i = this.queue.shift()!;
      this.lastSequence = i.sequence;
      this.buttons = i.buttons;
      this.speed = i.speed;
    }
    step(DEFAULT_RULES, this.field, this.x, this.y, this.buttons, this.speed, this.out);
    [this.x, this.y] = this.out;
  }
}

/** Held buttons per local tick: changes at uneven ticks, walls met, standing in between. */
function script(tick: number): { buttons: number; speed: MovementSpeed } {
  const phase = Math.floor(tick / 23) % 4;
  const buttons = [BUTTON_RIGHT, BUTTON_UP | BUTTON_RIGHT, 0, BUTTON_DOWN][phase]!;
  return { buttons, speed: tick % 50 < 25 ? MovementSpeed.RUN : MovementSpeed.WALK };
}

function play(delay: number, ticks: number, disturb?: (server: HeldInputServer) => void) {
  const field = new SliceField(loadShippedMap("depot"), 100);
  // Start just west of the warehouse so the walk runs into its wall.
  const server = new HeldInputServer(field, 340, 220);
  const predictor = new Predictor(DEFAULT_RULES, new SliceField(loadShippedMap("depot"), 100));
  predictor.reset(340, 220);
  let sequence = 0;
  let sentAtMs = -Infinity;
  let last = { buttons: -1, speed: MovementSpeed.UNSPECIFIED };
  const corrections: number[] = [];
  for (let t = 1; t <= ticks; t++) {
    const input = script(t);
    // The pacing rule: on change, or every 100 ms (6 ticks).
    if (input.buttons !== last.buttons || input.speed !== last.speed || t * (1000 / 60) - sentAtMs >= 100) {
      sequence++;
      server.receive(t + delay, sequence, input.buttons, input.speed);
      last = input;
      sentAtMs = t * (1000 / 60);
    }
    predictor.step(sequence, input.buttons, input.speed);
    server.run();
    if (t === 200 && disturb !== undefined) {
      disturb(server);
    }
    // The snapshot of server tick t arrives `delay` ticks later; here applied at once, which is
    // the same to the predictor: it only compares ticks.
    if (t % 2 === 0) {
      corrections.push(predictor.reconcile(server.tick, server.lastSequence, server.x, server.y));
    }
  }
  return { predictor, server, corrections };
}

describe("Predictor", () => {
  it("needs no correction while the server agrees (same rules, steady delay)", () => {
    const { corrections } = play(5, 600);
    // The first samples teach it the delay; after that every snapshot matches the prediction.
    expect(corrections.slice(20).every((c) => c === 0)).toBe(true);
    expect(corrections.slice(20).length).toBeGreaterThan(250);
  });

  it("replays the unacknowledged inputs from the server's position after a correction", () => {
    const { predictor, server } = play(4, 400, (s) => {
      // The server disagrees once (say it clamped a move): 3 units off.
      s.y += 3;
    });
    // Prediction now includes the server's correction plus the replayed inputs, and equals a
    // player running the rest of the script from the corrected spot.
    let x = server.x;
    let y = server.y;
    const out: [number, number] = [0, 0];
    const field = new SliceField(loadShippedMap("depot"), 100);
    // The server has not run the last `delay` ticks of input yet: the prediction is ahead by them.
    for (let t = 401 - 4; t <= 400; t++) {
      const i = script(t);
      step(DEFAULT_RULES, field, x, y, i.buttons, i.speed, out);
      [x, y] = out;
    }
    expect(predictor.x).toBe(x);
    expect(predictor.y).toBe(y);
  });

  it("follows the correction rather than keeping its own position", () => {
    const { corrections } = play(3, 400, (s) => {
      s.x -= 6;
    });
    const big = corrections.filter((c) => c > 1);
    expect(big.length).toBeGreaterThanOrEqual(1);
    expect(corrections[corrections.length - 1]).toBe(0);
  });

  it("snaps to the server for an input it never held (after a reconnect)", () => {
    const p = new Predictor(DEFAULT_RULES, new SliceField(loadShippedMap("depot"), 100));
    p.reset(300, 120);
    p.step(50, BUTTON_RIGHT, MovementSpeed.WALK);
    p.reconcile(1000, 49, 310, 120);
    // Input 50 is replayed on top of the server position.
    expect(p.x).toBe(311);
    expect(p.y).toBe(120);
  });
});
