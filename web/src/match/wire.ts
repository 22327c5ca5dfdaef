// The wire rules every client follows (game-client's dev.trespasser.game.wire and input.Aim,
// ported): delta snapshots, acks riding on inputs, input pacing, aim and position quantisation,
// sound packing. Pure code: no DOM, no socket, so the tests run it as the match view does.
import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import {
  type ChargeState,
  ClientMessageSchema,
  MatchPhase,
  MovementSpeed,
  type ServerMessage,
  ServerMessageSchema,
  type Snapshot,
  SoundKind,
} from "../gen/trespasser/game/v1/game_pb.js";

/** Aim steps: 16 bits cover [0, 2π); angle 0 points along +x, angles grow towards +y (down). */
export const AIM_STEPS = 65536;
const TWO_PI = 2 * Math.PI;

export function aimToRadians(aim: number): number {
  return (aim & 0xffff) * (TWO_PI / AIM_STEPS);
}

/** Nearest quantised angle to `radians` (any value, wrapped), exactly as Aim.fromRadians. */
export function aimFromRadians(radians: number): number {
  let turns = radians / TWO_PI;
  turns -= Math.floor(turns);
  return Math.round(turns * AIM_STEPS) & 0xffff;
}

/** Direction from one point towards another; 0 when they coincide (Aim.towards). */
export function aimTowards(fromX: number, fromY: number, toX: number, toY: number): number {
  const dx = toX - fromX;
  const dy = toY - fromY;
  if (dx === 0 && dy === 0) {
    return 0;
  }
  return aimFromRadians(Math.atan2(dy, dx));
}

/** Wire.position: world units times the position scale, rounded like Java's Math.round. */
export function wirePosition(worldUnits: number, scale = 8): number {
  return Math.floor(worldUnits * scale + 0.5);
}

export interface HeardSound {
  kind: SoundKind;
  /** Direction from the listener, quantised like aim. */
  direction: number;
  muffled: boolean;
}

/** EventBatch.sounds unpacking: direction bits 0-15, muffled bit 16, kind from bit 17. */
export function unpackSound(packed: number): HeardSound {
  const kindNumber = packed >>> 17;
  const kind = kindNumber <= SoundKind.SLICE_DESTROYED ? (kindNumber as SoundKind) : SoundKind.UNSPECIFIED;
  return { kind, direction: packed & 0xffff, muffled: (packed & (1 << 16)) !== 0 };
}

/** A player as the assembled view holds it: every field explicit, 0 where never sent. */
export interface PlayerView {
  slot: number;
  x: number;
  y: number;
  aim: number;
  health: number;
  speed: MovementSpeed;
  flags: number;
}

export interface ChargeView {
  id: number;
  x: number;
  y: number;
  explodesAtTick: number;
}

/** One snapshot applied to its baseline: the whole view (SnapshotAssembler.View). */
export interface View {
  tick: number;
  lastInputSequence: number;
  phase: MatchPhase;
  phaseSecondsLeft: number;
  redKills: number;
  blueKills: number;
  players: ReadonlyMap<number, PlayerView>;
  damagedSlices: ReadonlyMap<number, number>;
  charges: ReadonlyMap<number, ChargeView>;
}

export const EMPTY_VIEW: View = {
  tick: 0,
  lastInputSequence: 0,
  phase: MatchPhase.UNSPECIFIED,
  phaseSecondsLeft: 0,
  redKills: 0,
  blueKills: 0,
  players: new Map(),
  damagedSlices: new Map(),
  charges: new Map(),
};

export class UnknownBaselineError extends Error {}

/**
 * Applies delta snapshots to the baselines this client assembled before (or the empty view) and
 * returns whole views. Absent optional fields keep the baseline's value; a player new to the
 * baseline is read against an all-zero player. Keeps 64 views: the server's ring is 32.
 */
export class SnapshotAssembler {
  static readonly HISTORY = 64;
  private readonly history: (View | undefined)[] = new Array<View | undefined>(SnapshotAssembler.HISTORY);
  private next = 0;
  private newest: View = EMPTY_VIEW;

  latest(): View {
    return this.newest;
  }

  /** Forgets every baseline (a new connection starts from full snapshots). */
  reset(): void {
    this.history.fill(undefined);
    this.next = 0;
    this.newest = EMPTY_VIEW;
  }

  /** @throws UnknownBaselineError when the baseline is not one this client assembled */
  apply(s: Snapshot): View {
    let base: View;
    if (s.baselineAge === 0) {
      base = EMPTY_VIEW;
    } else {
      const baseTick = (s.tick - s.baselineAge) >>> 0;
      const found = this.history.find((v) => v !== undefined && v.tick === baseTick);
      if (found === undefined) {
        throw new UnknownBaselineError(`snapshot ${s.tick} refers to unknown baseline ${baseTick}`);
      }
      base = found;
    }
    const players = new Map(base.players);
    for (const slot of s.hiddenSlots) {
      players.delete(slot);
    }
    for (const d of s.players) {
      const b = players.get(d.slot);
      players.set(d.slot, {
        slot: d.slot,
        x: d.x ?? b?.x ?? 0,
        y: d.y ?? b?.y ?? 0,
        aim: d.aim ?? b?.aim ?? 0,
        health: d.health ?? b?.health ?? 0,
        speed: d.speed ?? b?.speed ?? MovementSpeed.UNSPECIFIED,
        flags: d.flags ?? b?.flags ?? 0,
      });
    }
    const slices = new Map(base.damagedSlices);
    for (const slice of s.slices) {
      slices.set(slice.index, slice.hp);
    }
    const charges = new Map(base.charges);
    for (const id of s.removedCharges) {
      charges.delete(id);
    }
    for (const c of s.charges) {
      charges.set(c.id, chargeView(c));
    }
    const view: View = {
      tick: s.tick,
      lastInputSequence: s.lastInputSequence ?? base.lastInputSequence,
      phase: s.phase ?? base.phase,
      phaseSecondsLeft: s.phaseSecondsLeft ?? base.phaseSecondsLeft,
      redKills: s.redKills ?? base.redKills,
      blueKills: s.blueKills ?? base.blueKills,
      players: sorted(players),
      damagedSlices: sorted(slices),
      charges: sorted(charges),
    };
    this.history[this.next] = view;
    this.next = (this.next + 1) % SnapshotAssembler.HISTORY;
    this.newest = view;
    return view;
  }
}

function chargeView(c: ChargeState): ChargeView {
  return { id: c.id, x: c.x, y: c.y, explodesAtTick: c.explodesAtTick };
}

function sorted<V>(m: Map<number, V>): Map<number, V> {
  return new Map([...m.entries()].sort((a, b) => a[0] - b[0]));
}

/**
 * The newest applied snapshot's ack, waiting to ride on the next input (PendingAck). When a
 * second snapshot is applied before any input went out, the waiting ack must go alone.
 */
export class PendingAck {
  private waiting: number | undefined;

  /** A snapshot was applied; returns the ack that was still waiting (send it alone now). */
  snapshotApplied(tick: number): number | undefined {
    const before = this.waiting;
    this.waiting = tick;
    return before;
  }

  /** The ack an input going out now carries, if any. */
  takeForInput(): number | undefined {
    const t = this.waiting;
    this.waiting = undefined;
    return t;
  }
}

/** What an InputCommand says, before sequence and ack. */
export interface PacedInput {
  buttons: number;
  speed: MovementSpeed;
  aim: number;
  throwDistance: number;
}

/**
 * When an input goes out (the rule of game-client's InputPacer): whenever buttons, speed,
 * quantised aim or throw distance changed since the last one sent, and at least every
 * `intervalMs` otherwise, so the server's held input and the ack stream stay fresh.
 */
export class InputPacer {
  private last: PacedInput | undefined;
  private lastAtMs = Number.NEGATIVE_INFINITY;

  constructor(readonly intervalMs = 100) {}

  shouldSend(input: PacedInput, nowMs: number): boolean {
    const l = this.last;
    return (
      l === undefined ||
      l.buttons !== input.buttons ||
      l.speed !== input.speed ||
      l.aim !== input.aim ||
      l.throwDistance !== input.throwDistance ||
      nowMs - this.lastAtMs >= this.intervalMs
    );
  }

  sent(input: PacedInput, nowMs: number): void {
    this.last = { ...input };
    this.lastAtMs = nowMs;
  }

  /** A new connection: the next input goes out at once. */
  reset(): void {
    this.last = undefined;
    this.lastAtMs = Number.NEGATIVE_INFINITY;
  }
}

/** The largest frame the client accepts; the server's snapshots are far below (~50 bytes). */
export const MAX_SERVER_FRAME_BYTES = 256 * 1024;

export type Decoded = { ok: true; message: ServerMessage } | { ok: false; error: string };

/** Decodes one server frame; never throws (hostile or broken frames become an error). */
export function decodeServerFrame(data: unknown): Decoded {
  if (!(data instanceof ArrayBuffer) && !(data instanceof Uint8Array)) {
    return { ok: false, error: "not a binary frame" };
  }
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.byteLength > MAX_SERVER_FRAME_BYTES) {
    return { ok: false, error: `frame of ${bytes.byteLength} bytes is over the limit` };
  }
  try {
    const message = fromBinary(ServerMessageSchema, bytes);
    if (message.kind.case === undefined) {
      return { ok: false, error: "frame of unknown kind" };
    }
    return { ok: true, message };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export type ClientMessageInit = MessageInitShape<typeof ClientMessageSchema>;

export function encodeClientMessage(init: ClientMessageInit): Uint8Array {
  return toBinary(ClientMessageSchema, create(ClientMessageSchema, init));
}
