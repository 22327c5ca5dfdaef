// The match view: one connection, the local simulation at the tick rate, drawing at the display
// rate (requestAnimationFrame), HUD, scoreboard, sound and input. See web/src/match/README.md.
import type { Assignment } from "../gen/trespasser/frontend/v1/frontend_pb.js";
import {
  type EventBatch,
  MatchPhase,
  MovementSpeed,
  type Scoreboard,
  type ServerMessage,
  SoundKind,
  Team,
  type Welcome,
} from "../gen/trespasser/game/v1/game_pb.js";
import { MatchAudio } from "./audio.js";
import { MatchConnection, matchServerUrl } from "./connection.js";
import type { LeaveReason, MatchCallbacks, MatchHandle } from "./contract.js";
import { FixedStep, FrameTimes } from "./frameClock.js";
import { Hud } from "./hud.js";
import { Interpolator, type Pose } from "./interpolation.js";
import {
  BUTTON_DOWN,
  BUTTON_FIRE,
  BUTTON_LEFT,
  BUTTON_RIGHT,
  BUTTON_THROW_CHARGE,
  BUTTON_UP,
  DEFAULT_RULES,
} from "./movement.js";
import { Predictor } from "./prediction.js";
import { type DrawnCharge, type DrawnPlayer, type Effect, Renderer, type Scene, VIEW_HEIGHT, VIEW_WIDTH, wholeScale } from "./render.js";
import {
  aimToRadians,
  aimTowards,
  encodeAckMessage,
  encodeInputMessage,
  InputPacer,
  type PacedInput,
  PendingAck,
  SnapshotAssembler,
  UnknownBaselineError,
  unpackSound,
  type View,
} from "./wire.js";
import { decodeGeometry, type Geometry, SliceField } from "./world.js";

const FLAG_ALIVE = 1;
const FLAG_SPAWN_PROTECTED = 2;
const FLAG_HAS_CHARGE = 4;
const FIRE_INTERVAL_MS = 300;
const RIFLE_RANGE = 320;
const THROW_RANGE = 40;
/** Other players are drawn this far in the past, between two snapshots. */
const INTERPOLATION_DELAY_MS = 100;
const FRAME_SAMPLES = 600;

/** What a browser test reads through window.__trespasser.state(). */
export interface MatchState {
  connected: boolean;
  slot: number | undefined;
  team: string;
  phase: string;
  phaseSecondsLeft: number;
  score: { red: number; blue: number };
  /** Predicted own position (world units), or null before the first snapshot. */
  position: { x: number; y: number } | null;
  /** Own position in the newest snapshot (what the server confirmed). */
  serverPosition: { x: number; y: number } | null;
  alive: boolean;
  health: number;
  snapshotTick: number;
  snapshotsApplied: number;
  inputSequenceSent: number;
  inputSequenceAcked: number;
  /** Newest snapshot tick acknowledged (on an input or alone). */
  snapshotAcked: number;
  /** Gunshots heard (EventBatch sounds of kind GUNSHOT), own shots included. */
  shotsSeen: number;
  /** Shots this client fired (fire held while the rifle was ready). */
  ownShots: number;
  /** ShotEvents received: own shots the server resolved. */
  shotEvents: number;
  kills: number;
  badFrames: number;
  reconnects: number;
  /** World position of the canvas's top-left native pixel in the last drawn frame. */
  camera: { x: number; y: number };
}

export interface MatchDebug {
  frameTimesMs(): number[];
  state(): MatchState;
  /** Rectangles (world units) of the slices standing now: a test checks them against pixels. */
  intactSlices(): { minX: number; minY: number; maxX: number; maxY: number }[];
}

declare global {
  interface Window {
    __trespasser?: MatchDebug;
  }
}

export class MatchView implements MatchHandle {
  private readonly container: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly renderer: Renderer;
  private readonly hud: Hud;
  private readonly audio = new MatchAudio();
  private readonly connection: MatchConnection;
  private readonly assembler = new SnapshotAssembler();
  private readonly pendingAck = new PendingAck();
  private readonly pacer = new InputPacer(100);
  private readonly interpolator = new Interpolator();
  private welcome: Welcome | undefined;
  private geometry: Geometry | undefined;
  private field: SliceField | undefined;
  private predictor: Predictor | undefined;
  private view: View | undefined;
  private sequence = 0;
  private readonly step = new FixedStep(1000 / 60);
  private teams = new Map<number, Team>();
  private lastFrameMs = 0;
  private clockOffset: number | undefined;
  private scale = 1;
  private raf = 0;
  private stopped = false;
  private readonly keys = new Set<string>();
  private mouseX = VIEW_WIDTH / 2 + 40;
  private mouseY = VIEW_HEIGHT / 2;
  private fireHeld = false;
  private throwHeld = false;
  private lastShotMs = -Infinity;
  private readonly effects: Effect[] = [];
  private readonly frameTimes = new FrameTimes(FRAME_SAMPLES);
  private readonly removers: (() => void)[] = [];
  private correctionX = 0;
  private correctionY = 0;
  private ownAlive = false;
  private voted = false;
  private leaveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly stats = { snapshotsApplied: 0, shotsSeen: 0, ownShots: 0, shotEvents: 0, kills: 0, badFrames: 0, reconnects: 0, acked: 0 };
  // Objects a frame or tick fills in place instead of allocating (the p99's tail was young-GC
  // pauses, docs/benchmarks.md): the rAF callback, the input, the eye, the scene and its lists.
  private readonly onFrame = (t: number) => this.frame(t);
  private readonly input: PacedInput = { buttons: 0, speed: MovementSpeed.WALK, aim: 0, throwDistance: 0 };
  private readonly eyePose: Pose = { x: 0, y: 0, aim: 0 };
  private readonly drawnPlayers: DrawnPlayer[] = [];
  private readonly drawnCharges: DrawnCharge[] = [];
  private readonly scene: Scene = { field: emptyField(), eye: undefined, players: [], charges: [], effects: [], nowMs: 0, spawns: [] };

  constructor(
    root: HTMLElement,
    assignment: Assignment,
    private readonly callbacks: MatchCallbacks,
  ) {
    this.container = document.createElement("div");
    this.container.className = "tm-match";
    this.canvas = document.createElement("canvas");
    this.canvas.width = VIEW_WIDTH;
    this.canvas.height = VIEW_HEIGHT;
    this.canvas.className = "tm-canvas";
    this.canvas.tabIndex = 0;
    this.container.append(this.canvas);
    this.hud = new Hud(this.container, {
      vote: () => this.vote(),
      backToQueue: () => this.leave("finished"),
      quit: () => this.leave("quit"),
    });
    root.append(this.container);
    const ctx = this.canvas.getContext("2d", { alpha: false });
    if (ctx === null) {
      throw new Error("this browser has no 2D canvas");
    }
    ctx.imageSmoothingEnabled = false;
    this.renderer = new Renderer(ctx);
    this.connection = new MatchConnection(matchServerUrl(assignment.host, assignment.port, assignment.tls), assignment.token, {
      opened: () => this.hud.status(""),
      message: (m) => this.onMessage(m),
      badFrame: () => {
        this.stats.badFrames++;
      },
      reconnecting: (attempt) => {
        this.stats.reconnects++;
        this.hud.status(`connection lost, rejoining (${attempt})…`);
      },
      ended: (kind, detail) => this.onEnded(kind, detail),
    });
    this.bindInput();
    this.fit();
    window.__trespasser = {
      frameTimesMs: () => this.frameTimes.toArray(),
      state: () => this.state(),
      intactSlices: () => this.intactSlices(),
    };
    this.connection.start();
    this.lastFrameMs = performance.now();
    this.raf = requestAnimationFrame(this.onFrame);
  }

  stop(): void {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    cancelAnimationFrame(this.raf);
    if (this.leaveTimer !== undefined) {
      clearTimeout(this.leaveTimer);
    }
    this.connection.stop();
    this.audio.close();
    for (const remove of this.removers) {
      remove();
    }
    this.container.remove();
    if (window.__trespasser !== undefined) {
      delete window.__trespasser;
    }
  }

  private leave(reason: LeaveReason, detail?: string): void {
    if (this.stopped) {
      return;
    }
    this.stop();
    this.callbacks.onLeave(reason, detail);
  }

  // ---- messages -----------------------------------------------------------------------------

  private onMessage(m: ServerMessage): void {
    switch (m.kind.case) {
      case "welcome":
        this.onWelcome(m.kind.value);
        break;
      case "snapshot": {
        let view: View;
        try {
          view = this.assembler.apply(m.kind.value);
        } catch (e) {
          if (e instanceof UnknownBaselineError) {
            this.stats.badFrames++;
            return;
          }
          throw e;
        }
        this.onView(view);
        break;
      }
      case "events":
        this.onEvents(m.kind.value);
        break;
      case "scoreboard":
        this.onScoreboard(m.kind.value);
        break;
      case "matchEnd": {
        const end = m.kind.value;
        if (end.restarting) {
          this.voted = false;
          this.hud.hideScoreboard();
        } else {
          this.connection.markFinished();
          this.hud.final(end, this.welcome?.team ?? Team.UNSPECIFIED);
          this.leaveTimer = setTimeout(() => this.leave("finished"), 8000);
        }
        break;
      }
      case "error":
        this.hud.status(`server: ${m.kind.value.message}`);
        break;
      default:
        break;
    }
  }

  private onWelcome(w: Welcome): void {
    const first = this.welcome === undefined;
    this.welcome = w;
    this.sequence = Math.max(this.sequence, w.lastInputSequence);
    this.step.stepMs = 1000 / Math.max(1, w.tickRateHz || 60);
    this.teams = new Map(w.roster.map((r) => [r.slot, r.team]));
    this.assembler.reset();
    this.pendingAck.takeForInput();
    this.pacer.reset();
    this.interpolator.clear();
    this.clockOffset = undefined;
    if (first || this.geometry === undefined) {
      try {
        this.geometry = decodeGeometry(w.map);
      } catch (e) {
        this.leave("refused", e instanceof Error ? e.message : String(e));
        return;
      }
      this.field = new SliceField(this.geometry, w.sliceHp || 100);
      this.predictor = new Predictor({ ...DEFAULT_RULES, tickRateHz: w.tickRateHz || 60 }, this.field);
    }
    this.ownAlive = false;
    this.hud.roster(w);
  }

  private onView(view: View): void {
    const w = this.welcome;
    const field = this.field;
    const predictor = this.predictor;
    if (w === undefined || field === undefined || predictor === undefined) {
      return;
    }
    const before = this.view;
    this.view = view;
    this.stats.snapshotsApplied++;
    this.chargesGone(before, view);
    const waiting = this.pendingAck.snapshotApplied(view.tick);
    if (waiting !== undefined) {
      this.connection.sendEncoded(encodeAckMessage(waiting));
      this.stats.acked = waiting;
    }
    field.restore();
    const damaged = view.damagedSlices;
    for (let i = 0; i < damaged.size; i++) {
      field.setHp(damaged.keyAt(i), damaged.valueAt(i));
    }
    const scale = w.positionScale || 8;
    const now = performance.now();
    const sample = view.tick - (now / 1000) * (w.tickRateHz || 60);
    this.clockOffset = this.clockOffset === undefined || sample > this.clockOffset ? sample : this.clockOffset + (sample - this.clockOffset) * 0.05;
    this.interpolator.begin(view.tick);
    for (let i = 0; i < view.players.size; i++) {
      const p = view.players.valueAt(i);
      if (p.slot !== w.slot) {
        this.interpolator.add(p.slot, p.x / scale, p.y / scale, p.aim);
      }
    }
    const me = view.players.get(w.slot);
    const alive = me !== undefined && (me.flags & FLAG_ALIVE) !== 0;
    if (me !== undefined) {
      const sx = me.x / scale;
      const sy = me.y / scale;
      if (!alive || !this.ownAlive) {
        predictor.reset(sx, sy);
        this.correctionX = 0;
        this.correctionY = 0;
      } else {
        const bx = predictor.x;
        const by = predictor.y;
        predictor.reconcile(view.tick, view.lastInputSequence, sx, sy);
        // Small corrections are blended away over a few frames instead of snapping.
        const dx = bx - predictor.x;
        const dy = by - predictor.y;
        if (Math.hypot(dx, dy) < 16) {
          this.correctionX += dx;
          this.correctionY += dy;
        } else {
          this.correctionX = 0;
          this.correctionY = 0;
        }
      }
    }
    this.ownAlive = alive;
    this.hud.update(view, me, w);
  }

  /** A charge that leaves the view when its fuse is out exploded there. */
  private chargesGone(before: View | undefined, now: View): void {
    if (before === undefined) {
      return;
    }
    const scale = this.welcome?.positionScale || 8;
    for (let i = 0; i < before.charges.size; i++) {
      const c = before.charges.valueAt(i);
      if (!now.charges.has(c.id) && now.tick + 2 >= c.explodesAtTick) {
        this.effects.push({ kind: "explosion", x: c.x / scale, y: c.y / scale, x2: 0, y2: 0, bornMs: performance.now(), lifeMs: 500 });
      }
    }
  }

  private onEvents(batch: EventBatch): void {
    const w = this.welcome;
    const now = performance.now();
    for (const e of batch.events) {
      switch (e.kind.case) {
        case "kill":
          this.stats.kills++;
          this.hud.kill(e.kind.value.killerSlot, e.kind.value.victimSlot);
          break;
        case "slicesDestroyed":
          for (const i of e.kind.value.indices) {
            this.field?.setHp(i, 0);
          }
          break;
        case "phaseChange":
          this.hud.phase(e.kind.value.phase, e.kind.value.seconds);
          break;
        case "connection":
          this.hud.connection(e.kind.value);
          break;
        case "shot": {
          // Our own shot as the server resolved it: the tracer drawn at the click was a prediction;
          // the impact is drawn where the server says the shot ended.
          const scale = w?.positionScale || 8;
          const shot = e.kind.value;
          this.stats.shotEvents++;
          this.effects.push({ kind: "flash", x: shot.toX / scale, y: shot.toY / scale, x2: 0, y2: 0, bornMs: now, lifeMs: 90 });
          break;
        }
        default:
          break;
      }
    }
    const eye = this.eye();
    for (const packed of batch.sounds) {
      const sound = unpackSound(packed);
      if (sound.kind === SoundKind.GUNSHOT) {
        this.stats.shotsSeen++;
      }
      this.audio.play(sound);
      if (eye !== undefined && w !== undefined) {
        const a = aimToRadians(sound.direction);
        this.effects.push({ kind: "sound", x: eye.x, y: eye.y, x2: a, y2: 0, bornMs: now, lifeMs: 600 });
        if (sound.kind === SoundKind.GUNSHOT) {
          this.tracerFromShooter(a, eye, now);
        }
      }
    }
  }

  /** Gunshots carry a direction only: draw the tracer of the player we see in that direction. */
  private tracerFromShooter(direction: number, eye: Pose, now: number): void {
    let best: Pose | undefined;
    let bestDiff = 0.12;
    const n = this.otherPoses(now);
    for (let i = 0; i < n; i++) {
      const p = this.interpolator.sampledAt(i);
      const bearing = Math.atan2(p.y - eye.y, p.x - eye.x);
      let diff = Math.abs(bearing - direction) % (2 * Math.PI);
      diff = diff > Math.PI ? 2 * Math.PI - diff : diff;
      if (diff < bestDiff) {
        bestDiff = diff;
        best = p;
      }
    }
    if (best !== undefined) {
      this.addShot(best.x, best.y, best.aim, now);
    }
  }

  private addShot(x: number, y: number, aim: number, now: number): void {
    const field = this.field;
    if (field === undefined) {
      return;
    }
    const dx = Math.cos(aim);
    const dy = Math.sin(aim);
    field.raycast(x + dx * 6, y + dy * 6, dx, dy, RIFLE_RANGE);
    const t = field.lastHitT();
    this.effects.push({ kind: "tracer", x: x + dx * 6, y: y + dy * 6, x2: x + dx * (6 + t), y2: y + dy * (6 + t), bornMs: now, lifeMs: 120 });
    this.effects.push({ kind: "flash", x: x + dx * 7, y: y + dy * 7, x2: 0, y2: 0, bornMs: now, lifeMs: 60 });
  }

  private onScoreboard(s: Scoreboard): void {
    this.hud.scoreboard(s, this.welcome?.slot, this.voted);
  }

  private vote(): void {
    if (!this.voted && this.connection.send({ kind: { case: "vote", value: {} } })) {
      this.voted = true;
    }
  }

  private onEnded(kind: "refused" | "lost" | "finished", detail: string): void {
    if (kind === "finished") {
      // The scoreboard stays up until the player leaves or the timer from MatchEnd runs out.
      if (this.leaveTimer === undefined) {
        this.leave("finished");
      }
      return;
    }
    this.leave(kind, detail);
  }

  // ---- simulation and input ----------------------------------------------------------------

  private frame(t: number): void {
    if (this.stopped) {
      return;
    }
    this.raf = requestAnimationFrame(this.onFrame);
    const start = performance.now();
    const ticks = this.step.advance(t - this.lastFrameMs);
    this.lastFrameMs = t;
    for (let i = 0; i < ticks; i++) {
      this.simulate(start);
    }
    this.draw(start);
    this.frameTimes.push(performance.now() - start);
  }

  /** The input held now, in `this.input` (one object, refilled each tick). */
  private currentInput(): PacedInput {
    let buttons = 0;
    const k = this.keys;
    if (k.has("KeyW") || k.has("ArrowUp")) buttons |= BUTTON_UP;
    if (k.has("KeyS") || k.has("ArrowDown")) buttons |= BUTTON_DOWN;
    if (k.has("KeyA") || k.has("ArrowLeft")) buttons |= BUTTON_LEFT;
    if (k.has("KeyD") || k.has("ArrowRight")) buttons |= BUTTON_RIGHT;
    if (this.fireHeld) buttons |= BUTTON_FIRE;
    if (this.throwHeld) buttons |= BUTTON_THROW_CHARGE;
    const sneak = k.has("ControlLeft") || k.has("ControlRight") || k.has("KeyC");
    const run = k.has("ShiftLeft") || k.has("ShiftRight");
    const speed = sneak ? MovementSpeed.SNEAK : run ? MovementSpeed.RUN : MovementSpeed.WALK;
    const me = this.predictor;
    const wx = this.renderer.camX + this.mouseX;
    const wy = this.renderer.camY + this.mouseY;
    const aim = me === undefined ? 0 : aimTowards(me.x, me.y, wx, wy);
    const distance = me === undefined ? 0 : Math.hypot(wx - me.x, wy - me.y);
    const input = this.input;
    input.buttons = buttons;
    input.speed = speed;
    input.aim = aim;
    input.throwDistance = Math.min(THROW_RANGE, Math.round(distance));
    return input;
  }

  private simulate(now: number): void {
    const predictor = this.predictor;
    if (predictor === undefined || !this.connection.welcomed || this.view === undefined) {
      return;
    }
    const input = this.currentInput();
    this.sendIfDue(input, now);
    if (this.ownAlive) {
      // The server moves players only in warmup and active play; a still tick keeps the timeline.
      const phase = this.view.phase;
      const moving = phase === MatchPhase.WARMUP || phase === MatchPhase.ACTIVE;
      predictor.step(this.sequence, moving ? input.buttons : 0, input.speed);
      if ((input.buttons & BUTTON_FIRE) !== 0 && phase === MatchPhase.ACTIVE && now - this.lastShotMs >= FIRE_INTERVAL_MS) {
        this.lastShotMs = now;
        this.stats.ownShots++;
        this.addShot(predictor.x, predictor.y, aimToRadians(input.aim), now);
      }
    }
  }

  /** Sends the input when the pacing rule says so (or `force`), with the waiting ack on it. */
  private sendIfDue(input: PacedInput, now: number, force = false): void {
    if (!this.connection.canSend() || (!force && !this.pacer.shouldSend(input, now))) {
      return;
    }
    this.sequence++;
    const ack = this.pendingAck.takeForInput();
    const sent = this.connection.sendEncoded(encodeInputMessage(this.sequence, input, ack));
    if (sent) {
      this.pacer.sent(input, now);
      if (ack !== undefined) {
        this.stats.acked = ack;
      }
    }
    // Not sent (the socket closed in between): the sequence is skipped, which the server allows.
  }

  /** Focus lost: the keys are no longer ours, so the server must stop holding the old input. */
  private releaseAll(): void {
    this.keys.clear();
    this.fireHeld = false;
    this.throwHeld = false;
    if (this.connection.welcomed && this.view !== undefined) {
      this.sendIfDue(this.currentInput(), performance.now(), true);
    }
  }

  private eye(): Pose | undefined {
    const p = this.predictor;
    if (p === undefined || !this.ownAlive) {
      return undefined;
    }
    const eye = this.eyePose;
    eye.x = p.x + this.correctionX;
    eye.y = p.y + this.correctionY;
    eye.aim = this.currentInputAim();
    return eye;
  }

  private currentInputAim(): number {
    const p = this.predictor!;
    return aimToRadians(aimTowards(p.x, p.y, this.renderer.camX + this.mouseX, this.renderer.camY + this.mouseY));
  }

  /** Poses the other players at the render time; read them with `interpolator.sampledAt`. */
  private otherPoses(now: number): number {
    const rate = this.welcome?.tickRateHz || 60;
    const renderTick = (now / 1000) * rate + (this.clockOffset ?? 0) - (INTERPOLATION_DELAY_MS / 1000) * rate;
    return this.interpolator.sampleInto(renderTick);
  }

  private draw(now: number): void {
    const w = this.welcome;
    const field = this.field;
    const view = this.view;
    const scene = this.scene;
    scene.nowMs = now;
    scene.players.length = 0;
    scene.charges.length = 0;
    if (w === undefined || field === undefined || view === undefined || this.geometry === undefined) {
      scene.field = field ?? emptyField();
      scene.eye = undefined;
      scene.effects = NO_EFFECTS;
      scene.spawns = NO_SPAWNS;
      this.renderer.draw(scene);
      return;
    }
    this.correctionX *= 0.8;
    this.correctionY *= 0.8;
    const players = scene.players;
    const teams = this.teams;
    const n = this.otherPoses(now);
    for (let i = 0; i < n; i++) {
      const pose = this.interpolator.sampledAt(i);
      const p = view.players.get(pose.slot);
      if (p === undefined) {
        continue;
      }
      players.push(
        this.drawnPlayer(players.length, pose.x, pose.y, pose.aim, pose.slot, teams.get(pose.slot) ?? Team.UNSPECIFIED, p.flags, false),
      );
    }
    const eye = this.eye();
    const me = view.players.get(w.slot);
    if (me !== undefined) {
      const scale = w.positionScale || 8;
      const x = eye !== undefined ? eye.x : me.x / scale;
      const y = eye !== undefined ? eye.y : me.y / scale;
      const aim = eye !== undefined ? eye.aim : aimToRadians(me.aim);
      players.push(this.drawnPlayer(players.length, x, y, aim, w.slot, w.team, me.flags, true));
    }
    const rate = w.tickRateHz || 60;
    const tickNow = (now / 1000) * rate + (this.clockOffset ?? 0);
    const charges = scene.charges;
    const scale = w.positionScale || 8;
    for (let i = 0; i < view.charges.size; i++) {
      const c = view.charges.valueAt(i);
      const drawn = (this.drawnCharges[charges.length] ??= { x: 0, y: 0, secondsLeft: 0 });
      drawn.x = c.x / scale;
      drawn.y = c.y / scale;
      drawn.secondsLeft = Math.max(0, (c.explodesAtTick - tickNow) / rate);
      charges.push(drawn);
    }
    // Effects past their life are dropped in place.
    const effects = this.effects;
    let kept = 0;
    for (let i = 0; i < effects.length; i++) {
      const e = effects[i]!;
      if (now - e.bornMs < e.lifeMs) {
        effects[kept++] = e;
      }
    }
    effects.length = kept;
    scene.field = field;
    scene.eye = eye;
    scene.effects = effects;
    scene.spawns = this.geometry.spawns;
    this.renderer.draw(scene);
    this.hud.charge(me !== undefined && (me.flags & FLAG_HAS_CHARGE) !== 0);
  }

  /** The reused DrawnPlayer at `index`, filled in. */
  private drawnPlayer(index: number, x: number, y: number, aim: number, slot: number, team: Team, flags: number, own: boolean): DrawnPlayer {
    const d = (this.drawnPlayers[index] ??= { x: 0, y: 0, aim: 0, slot: 0, team: Team.UNSPECIFIED, alive: false, protectedNow: false, own: false });
    d.x = x;
    d.y = y;
    d.aim = aim;
    d.slot = slot;
    d.team = team;
    d.alive = (flags & FLAG_ALIVE) !== 0;
    d.protectedNow = (flags & FLAG_SPAWN_PROTECTED) !== 0;
    d.own = own;
    return d;
  }

  private bindInput(): void {
    const on = <K extends keyof WindowEventMap>(target: Window | HTMLElement, type: K, fn: (e: WindowEventMap[K]) => void) => {
      target.addEventListener(type, fn as EventListener);
      this.removers.push(() => target.removeEventListener(type, fn as EventListener));
    };
    const gameKeys = new Set(["KeyW", "KeyA", "KeyS", "KeyD", "KeyC", "KeyE", "ShiftLeft", "ShiftRight", "ControlLeft", "ControlRight", "Space", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"]);
    on(window, "keydown", (e) => {
      this.audio.unlock();
      if (gameKeys.has(e.code)) {
        e.preventDefault();
        this.keys.add(e.code);
        if (e.code === "KeyE") {
          this.throwHeld = true;
        }
      }
    });
    on(window, "keyup", (e) => {
      this.keys.delete(e.code);
      if (e.code === "KeyE") {
        this.throwHeld = false;
      }
    });
    on(window, "blur", () => this.releaseAll());
    const visibility = () => {
      if (document.hidden) {
        this.releaseAll();
      }
    };
    document.addEventListener("visibilitychange", visibility);
    this.removers.push(() => document.removeEventListener("visibilitychange", visibility));
    on(window, "resize", () => this.fit());
    on(this.canvas, "mousemove", (e) => {
      const r = this.canvas.getBoundingClientRect();
      // Whole-pixel scale: one native pixel is `scale` CSS pixels.
      this.mouseX = Math.floor((e.clientX - r.left) / this.scale);
      this.mouseY = Math.floor((e.clientY - r.top) / this.scale);
    });
    on(this.canvas, "mousedown", (e) => {
      this.audio.unlock();
      this.canvas.focus();
      if (e.button === 0) {
        this.fireHeld = true;
      } else if (e.button === 2) {
        this.throwHeld = true;
      }
      e.preventDefault();
    });
    on(window, "mouseup", (e) => {
      if (e.button === 0) {
        this.fireHeld = false;
      } else if (e.button === 2) {
        this.throwHeld = false;
      }
    });
    on(this.canvas, "contextmenu", (e) => e.preventDefault());
  }

  private fit(): void {
    this.scale = wholeScale(window.innerWidth, window.innerHeight - 8);
    this.canvas.style.width = `${VIEW_WIDTH * this.scale}px`;
    this.canvas.style.height = `${VIEW_HEIGHT * this.scale}px`;
    this.container.style.setProperty("--tm-scale", String(this.scale));
  }

  private state(): MatchState {
    const w = this.welcome;
    const v = this.view;
    const me = w !== undefined ? v?.players.get(w.slot) : undefined;
    const scale = w?.positionScale || 8;
    return {
      connected: this.connection.welcomed,
      slot: w?.slot,
      team: w === undefined ? "" : Team[w.team],
      phase: v === undefined ? "" : MatchPhase[v.phase],
      phaseSecondsLeft: v?.phaseSecondsLeft ?? 0,
      score: { red: v?.redKills ?? 0, blue: v?.blueKills ?? 0 },
      position: this.predictor !== undefined && me !== undefined ? { x: this.predictor.x, y: this.predictor.y } : null,
      serverPosition: me !== undefined ? { x: me.x / scale, y: me.y / scale } : null,
      alive: this.ownAlive,
      health: me?.health ?? 0,
      snapshotTick: v?.tick ?? 0,
      snapshotsApplied: this.stats.snapshotsApplied,
      inputSequenceSent: this.sequence,
      inputSequenceAcked: v?.lastInputSequence ?? 0,
      snapshotAcked: this.stats.acked,
      shotsSeen: this.stats.shotsSeen,
      ownShots: this.stats.ownShots,
      shotEvents: this.stats.shotEvents,
      kills: this.stats.kills,
      badFrames: this.stats.badFrames,
      reconnects: this.stats.reconnects,
      camera: { x: this.renderer.camX, y: this.renderer.camY },
    };
  }

  private intactSlices(): { minX: number; minY: number; maxX: number; maxY: number }[] {
    const field = this.field;
    const out: { minX: number; minY: number; maxX: number; maxY: number }[] = [];
    if (field === undefined) {
      return out;
    }
    for (let s = 0; s < field.count; s++) {
      if (field.intact(s)) {
        out.push({ minX: field.minX[s]!, minY: field.minY[s]!, maxX: field.maxX[s]!, maxY: field.maxY[s]! });
      }
    }
    return out;
  }
}

const NO_EFFECTS: Effect[] = [];
const NO_SPAWNS: Scene["spawns"] = [];
let empty: SliceField | undefined;
function emptyField(): SliceField {
  empty ??= new SliceField({ name: "", width: VIEW_WIDTH, height: VIEW_HEIGHT, sliceLength: 2, walls: [], spawns: [] }, 1);
  return empty;
}
