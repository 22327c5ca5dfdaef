// The wire rules every client follows (game-client's dev.trespasser.game.wire and input.Aim,
// ported): delta snapshots, acks riding on inputs, input pacing, aim and position quantisation,
// sound packing. Pure code: no DOM, no socket, so the tests run it as the match view does.
import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import {
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

/**
 * A read-only map from small integer keys (slot, slice index, charge id) to values, in ascending
 * key order, kept in two arrays. The assembler refills a table in place when it reuses a view, so
 * a snapshot allocates nothing for it; `keyAt`/`valueAt` read it without an iterator.
 */
export class SortedTable<V> implements Iterable<[number, V]> {
  /** Ascending, no duplicates. */
  readonly keyList: number[] = [];
  readonly valueList: V[] = [];

  get size(): number {
    return this.keyList.length;
  }

  keyAt(i: number): number {
    return this.keyList[i]!;
  }

  valueAt(i: number): V {
    return this.valueList[i]!;
  }

  /** Position of `key`, or -1. */
  indexOf(key: number): number {
    const keys = this.keyList;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid]!;
      if (k < key) {
        lo = mid + 1;
      } else if (k > key) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  get(key: number): V | undefined {
    const i = this.indexOf(key);
    return i < 0 ? undefined : this.valueList[i];
  }

  has(key: number): boolean {
    return this.indexOf(key) >= 0;
  }

  *keys(): IterableIterator<number> {
    for (let i = 0; i < this.keyList.length; i++) {
      yield this.keyList[i]!;
    }
  }

  *values(): IterableIterator<V> {
    for (let i = 0; i < this.valueList.length; i++) {
      yield this.valueList[i]!;
    }
  }

  *entries(): IterableIterator<[number, V]> {
    for (let i = 0; i < this.keyList.length; i++) {
      yield [this.keyList[i]!, this.valueList[i]!];
    }
  }

  [Symbol.iterator](): IterableIterator<[number, V]> {
    return this.entries();
  }
}

/** One snapshot applied to its baseline: the whole view (SnapshotAssembler.View). */
export interface View {
  tick: number;
  lastInputSequence: number;
  phase: MatchPhase;
  phaseSecondsLeft: number;
  redKills: number;
  blueKills: number;
  players: SortedTable<PlayerView>;
  damagedSlices: SortedTable<number>;
  charges: SortedTable<ChargeView>;
}

function emptyView(): View {
  return {
    tick: 0,
    lastInputSequence: 0,
    phase: MatchPhase.UNSPECIFIED,
    phaseSecondsLeft: 0,
    redKills: 0,
    blueKills: 0,
    players: new SortedTable(),
    damagedSlices: new SortedTable(),
    charges: new SortedTable(),
  };
}

export const EMPTY_VIEW: View = emptyView();

export class UnknownBaselineError extends Error {}

function byNumber(a: number, b: number): number {
  return a - b;
}

/** Whether sorted `list` holds `v` (binary search). */
function sortedHas(list: number[], v: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = list[mid]!;
    if (k < v) {
      lo = mid + 1;
    } else if (k > v) {
      hi = mid - 1;
    } else {
      return true;
    }
  }
  return false;
}

/** `keys` sorted ascending without duplicates, in place. */
function sortUnique(keys: number[]): void {
  keys.sort(byNumber);
  let n = 0;
  for (let i = 0; i < keys.length; i++) {
    if (n === 0 || keys[n - 1] !== keys[i]) {
      keys[n++] = keys[i]!;
    }
  }
  keys.length = n;
}

/**
 * Applies delta snapshots to the baselines this client assembled before (or the empty view) and
 * returns whole views. Absent optional fields keep the baseline's value; a player new to the
 * baseline is read against an all-zero player. Keeps 64 views: the server's ring is 32.
 *
 * Views are reused: the view an `apply` returns is refilled in place HISTORY applies later (when
 * its slot in the ring comes round again), together with its player and charge objects. Until
 * then it does not change. 30 snapshots a second otherwise made three maps, sorted copies of them
 * and an object per player each (GC pauses in the frame, docs/benchmarks.md).
 */
export class SnapshotAssembler {
  static readonly HISTORY = 64;
  private readonly history: (View | undefined)[] = new Array<View | undefined>(SnapshotAssembler.HISTORY);
  private next = 0;
  private newest: View = EMPTY_VIEW;
  private readonly sparePlayers: PlayerView[] = [];
  private readonly spareCharges: ChargeView[] = [];
  private readonly added: number[] = [];
  private readonly removed: number[] = [];

  latest(): View {
    return this.newest;
  }

  /** Forgets every baseline (a new connection starts from full snapshots). */
  reset(): void {
    // Views handed out before stay as they are (the caller may hold the newest): none is reused.
    this.history.fill(undefined);
    this.next = 0;
    this.newest = EMPTY_VIEW;
  }

  /** @throws UnknownBaselineError when the baseline is not one this client assembled */
  apply(s: Snapshot): View {
    let base: View | undefined;
    if (s.baselineAge === 0) {
      base = EMPTY_VIEW;
    } else {
      const baseTick = (s.tick - s.baselineAge) >>> 0;
      for (const v of this.history) {
        if (v !== undefined && v.tick === baseTick) {
          base = v;
          break;
        }
      }
      if (base === undefined) {
        throw new UnknownBaselineError(`snapshot ${s.tick} refers to unknown baseline ${baseTick}`);
      }
    }
    const view = this.takeView(base);
    this.fillPlayers(view.players, base.players, s);
    this.fillSlices(view.damagedSlices, base.damagedSlices, s);
    this.fillCharges(view.charges, base.charges, s);
    view.tick = s.tick;
    view.lastInputSequence = s.lastInputSequence ?? base.lastInputSequence;
    view.phase = s.phase ?? base.phase;
    view.phaseSecondsLeft = s.phaseSecondsLeft ?? base.phaseSecondsLeft;
    view.redKills = s.redKills ?? base.redKills;
    view.blueKills = s.blueKills ?? base.blueKills;
    this.history[this.next] = view;
    this.next = (this.next + 1) % SnapshotAssembler.HISTORY;
    this.newest = view;
    return view;
  }

  /** The view leaving the ring now, emptied (its objects kept for reuse), unless it is the baseline. */
  private takeView(base: View): View {
    const old = this.history[this.next];
    if (old !== undefined && old !== base) {
      for (const p of old.players.valueList) {
        this.sparePlayers.push(p);
      }
      for (const c of old.charges.valueList) {
        this.spareCharges.push(c);
      }
      old.players.keyList.length = 0;
      old.players.valueList.length = 0;
      old.damagedSlices.keyList.length = 0;
      old.damagedSlices.valueList.length = 0;
      old.charges.keyList.length = 0;
      old.charges.valueList.length = 0;
      return old;
    }
    return emptyView();
  }

  /**
   * Keys of the new table: the baseline's (ascending) except `removed`, merged with `added` (both
   * sorted and unique). Calls `init(key, baseIndex or -1)` in ascending key order.
   */
  private mergeKeys<V>(out: SortedTable<V>, base: SortedTable<V>, init: (baseIndex: number) => V): void {
    const added = this.added;
    const removed = this.removed;
    const bk = base.keyList;
    let i = 0;
    let j = 0;
    while (i < bk.length || j < added.length) {
      const fromBase = i < bk.length ? bk[i]! : Number.POSITIVE_INFINITY;
      const fromAdded = j < added.length ? added[j]! : Number.POSITIVE_INFINITY;
      let key: number;
      let baseIndex = -1;
      if (fromBase <= fromAdded) {
        key = fromBase;
        if (!sortedHas(removed, key)) {
          baseIndex = i;
        }
        i++;
        if (fromAdded === fromBase) {
          j++;
        }
      } else {
        key = fromAdded;
        j++;
      }
      if (baseIndex < 0 && !sortedHas(added, key)) {
        continue; // removed and not sent again
      }
      out.keyList.push(key);
      out.valueList.push(init(baseIndex));
    }
  }

  private fillPlayers(out: SortedTable<PlayerView>, base: SortedTable<PlayerView>, s: Snapshot): void {
    const added = this.added;
    const removed = this.removed;
    added.length = 0;
    removed.length = 0;
    for (const d of s.players) {
      added.push(d.slot);
    }
    for (const slot of s.hiddenSlots) {
      removed.push(slot);
    }
    sortUnique(added);
    sortUnique(removed);
    this.mergeKeys(out, base, (baseIndex) => {
      const p = this.sparePlayers.pop() ?? { slot: 0, x: 0, y: 0, aim: 0, health: 0, speed: MovementSpeed.UNSPECIFIED, flags: 0 };
      const b = baseIndex >= 0 ? base.valueList[baseIndex]! : ZERO_PLAYER;
      p.slot = b.slot;
      p.x = b.x;
      p.y = b.y;
      p.aim = b.aim;
      p.health = b.health;
      p.speed = b.speed;
      p.flags = b.flags;
      return p;
    });
    // In the order sent: a slot sent twice takes the second's fields over the first's.
    for (const d of s.players) {
      const p = out.valueList[out.indexOf(d.slot)]!;
      p.slot = d.slot;
      p.x = d.x ?? p.x;
      p.y = d.y ?? p.y;
      p.aim = d.aim ?? p.aim;
      p.health = d.health ?? p.health;
      p.speed = d.speed ?? p.speed;
      p.flags = d.flags ?? p.flags;
    }
  }

  private fillSlices(out: SortedTable<number>, base: SortedTable<number>, s: Snapshot): void {
    const added = this.added;
    added.length = 0;
    this.removed.length = 0;
    for (const slice of s.slices) {
      added.push(slice.index);
    }
    sortUnique(added);
    this.mergeKeys(out, base, (baseIndex) => (baseIndex >= 0 ? base.valueList[baseIndex]! : 0));
    for (const slice of s.slices) {
      out.valueList[out.indexOf(slice.index)] = slice.hp;
    }
  }

  private fillCharges(out: SortedTable<ChargeView>, base: SortedTable<ChargeView>, s: Snapshot): void {
    const added = this.added;
    const removed = this.removed;
    added.length = 0;
    removed.length = 0;
    for (const c of s.charges) {
      added.push(c.id);
    }
    for (const id of s.removedCharges) {
      removed.push(id);
    }
    sortUnique(added);
    sortUnique(removed);
    this.mergeKeys(out, base, (baseIndex) => {
      const c = this.spareCharges.pop() ?? { id: 0, x: 0, y: 0, explodesAtTick: 0 };
      const b = baseIndex >= 0 ? base.valueList[baseIndex]! : ZERO_CHARGE;
      c.id = b.id;
      c.x = b.x;
      c.y = b.y;
      c.explodesAtTick = b.explodesAtTick;
      return c;
    });
    for (const sent of s.charges) {
      const c = out.valueList[out.indexOf(sent.id)]!;
      c.id = sent.id;
      c.x = sent.x;
      c.y = sent.y;
      c.explodesAtTick = sent.explodesAtTick;
    }
  }
}

const ZERO_PLAYER: PlayerView = { slot: 0, x: 0, y: 0, aim: 0, health: 0, speed: MovementSpeed.UNSPECIFIED, flags: 0 };
const ZERO_CHARGE: ChargeView = { id: 0, x: 0, y: 0, explodesAtTick: 0 };

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
  /** A copy of the last input sent (the caller may reuse its object); valid while `hasLast`. */
  private readonly last: PacedInput = { buttons: 0, speed: MovementSpeed.UNSPECIFIED, aim: 0, throwDistance: 0 };
  private hasLast = false;
  private lastAtMs = Number.NEGATIVE_INFINITY;

  constructor(readonly intervalMs = 100) {}

  shouldSend(input: PacedInput, nowMs: number): boolean {
    const l = this.last;
    return (
      !this.hasLast ||
      l.buttons !== input.buttons ||
      l.speed !== input.speed ||
      l.aim !== input.aim ||
      l.throwDistance !== input.throwDistance ||
      nowMs - this.lastAtMs >= this.intervalMs
    );
  }

  sent(input: PacedInput, nowMs: number): void {
    const l = this.last;
    l.buttons = input.buttons;
    l.speed = input.speed;
    l.aim = input.aim;
    l.throwDistance = input.throwDistance;
    this.hasLast = true;
    this.lastAtMs = nowMs;
  }

  /** A new connection: the next input goes out at once. */
  reset(): void {
    this.hasLast = false;
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

// The two frames a client sends every tick or snapshot, encoded by hand: protobuf-es builds a
// message object, a writer and its chunk arrays for each, which was garbage 60 times a second.
// The bytes are exactly protobuf-es's (fields in number order, implicit zeros left out, the
// optional ack written whenever present); test/match/inputEncoding.test.ts compares them.

/** ClientMessage.input = 2, ClientMessage.ack = 3, both length-delimited. */
const TAG_INPUT = (2 << 3) | 2;
const TAG_ACK = (3 << 3) | 2;
/** Largest InputCommand: five uint32 (6 bytes each with the tag) and the int32 enum (11). */
const scratch = new Uint8Array(64);

/** ClientMessage{input} bytes for `input` with `sequence` and, when defined, the riding ack. */
export function encodeInputMessage(sequence: number, input: PacedInput, ackSnapshotTick: number | undefined): Uint8Array {
  let n = 2;
  n = writeUint32Field(scratch, n, 1, sequence);
  n = writeUint32Field(scratch, n, 2, input.buttons);
  n = writeEnumField(scratch, n, 3, input.speed);
  n = writeUint32Field(scratch, n, 4, input.aim);
  n = writeUint32Field(scratch, n, 5, input.throwDistance);
  if (ackSnapshotTick !== undefined) {
    checkUint32(ackSnapshotTick);
    scratch[n++] = (6 << 3) | 0;
    n = writeVarint32(scratch, n, ackSnapshotTick);
  }
  scratch[0] = TAG_INPUT;
  scratch[1] = n - 2; // at most 41: a one-byte length
  return scratch.slice(0, n);
}

/** ClientMessage{ack: SnapshotAck{snapshot_tick}} bytes. */
export function encodeAckMessage(snapshotTick: number): Uint8Array {
  const n = writeUint32Field(scratch, 2, 1, snapshotTick);
  scratch[0] = TAG_ACK;
  scratch[1] = n - 2;
  return scratch.slice(0, n);
}

/** protobuf-es refuses what is not a uint32 (it throws); so does this encoder. */
function checkUint32(v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new RangeError(`invalid uint32: ${v}`);
  }
}

/** An implicit-presence uint32 field: nothing when 0. */
function writeUint32Field(buf: Uint8Array, at: number, field: number, v: number): number {
  checkUint32(v);
  if (v === 0) {
    return at;
  }
  buf[at++] = field << 3;
  return writeVarint32(buf, at, v);
}

/** An implicit-presence enum field (int32: a negative value takes ten bytes, sign-extended). */
function writeEnumField(buf: Uint8Array, at: number, field: number, v: number): number {
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
    throw new RangeError(`invalid int32: ${v}`);
  }
  if (v === 0) {
    return at;
  }
  buf[at++] = field << 3;
  if (v > 0) {
    return writeVarint32(buf, at, v);
  }
  let lo = v >>> 0;
  for (let i = 0; i < 4; i++) {
    buf[at++] = (lo & 0x7f) | 0x80;
    lo >>>= 7;
  }
  // Bits 28-31 of the low word and the first three of the all-ones high word, then the rest.
  buf[at++] = (lo & 0x0f) | 0x70 | 0x80;
  for (let i = 0; i < 4; i++) {
    buf[at++] = 0xff;
  }
  buf[at++] = 0x01;
  return at;
}

function writeVarint32(buf: Uint8Array, at: number, v: number): number {
  while (v > 0x7f) {
    buf[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[at++] = v;
  return at;
}
