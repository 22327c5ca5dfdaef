// The HUD over the canvas (DOM, so text stays crisp at any scale): health, charge, score, time
// left, kill feed, connection status; the scoreboard with restart vote and back-to-queue.
import {
  type MatchEnd,
  MatchPhase,
  type PlayerConnectionEvent,
  type Scoreboard,
  Team,
  type Welcome,
} from "../gen/trespasser/game/v1/game_pb.js";
import type { PlayerView, View } from "./wire.js";
import "./hud.css";

export interface HudActions {
  vote(): void;
  backToQueue(): void;
  quit(): void;
}


export class Hud {
  private readonly root: HTMLDivElement;
  private readonly top: HTMLDivElement;
  private readonly bottom: HTMLDivElement;
  private readonly feed: HTMLDivElement;
  private readonly statusLine: HTMLDivElement;
  private readonly board: HTMLDivElement;
  private names = new Map<number, { name: string; team: Team }>();
  private hasCharge = false;
  private health = 0;
  private alive = false;
  private lastTop = "";
  /** What the top line and the bottom line were last built from (rebuilt only when it changes). */
  private readonly topOf = { red: -1, blue: -1, phase: -1, secs: -1, limit: -1 };
  private bottomOf = -1;
  private lastStatus = "";

  constructor(
    container: HTMLElement,
    private readonly actions: HudActions,
  ) {
    this.root = div(container, "tm-hud");
    this.top = div(this.root, "tm-top");
    this.bottom = div(this.root, "tm-bottom");
    this.feed = div(this.root, "tm-feed");
    this.statusLine = div(this.root, "tm-status");
    this.board = div(this.root, "tm-board");
    this.board.dataset.testid = "scoreboard";
    this.board.hidden = true;
    const quit = document.createElement("button");
    quit.className = "tm-quit";
    quit.textContent = "Leave match";
    quit.onclick = () => actions.quit();
    this.root.append(quit);
    this.status("connecting…");
  }

  status(text: string): void {
    if (text !== this.lastStatus) {
      this.statusLine.textContent = text;
      this.lastStatus = text;
    }
  }

  // Display names come from the server's roster (signed into each join token); a server from
  // before names sends none, and the id is shown. Names are text: only ever set as textContent.
  roster(w: Welcome): void {
    this.names = new Map(w.roster.map((r) => [r.slot, { name: r.displayName || r.playerId, team: r.team }]));
  }

  private name(slot: number): HTMLSpanElement {
    const n = this.names.get(slot);
    const span = document.createElement("span");
    span.className = n?.team === Team.RED ? "tm-red" : n?.team === Team.BLUE ? "tm-blue" : "";
    span.textContent = this.plain(slot);
    return span;
  }

  update(view: View, me: PlayerView | undefined, w: Welcome): void {
    const secs = view.phaseSecondsLeft;
    const limit = w.settings?.killLimit ?? 50;
    const o = this.topOf;
    // 30 snapshots a second mostly change none of these: build the line only when one did.
    if (o.red !== view.redKills || o.blue !== view.blueKills || o.phase !== view.phase || o.secs !== secs || o.limit !== limit) {
      o.red = view.redKills;
      o.blue = view.blueKills;
      o.phase = view.phase;
      o.secs = secs;
      o.limit = limit;
      const phase = phaseName(view.phase);
      const clock = `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, "0")}`;
      const top = `<span class="tm-red">RED ${view.redKills}</span><span>${phase} ${clock}</span><span class="tm-blue">BLUE ${view.blueKills}</span><span>to ${limit}</span>`;
      if (top !== this.lastTop) {
        this.top.innerHTML = top;
        this.lastTop = top;
      }
    }
    this.health = me?.health ?? 0;
    this.alive = me !== undefined && (me.flags & 1) !== 0;
    if (view.phase === MatchPhase.WAITING) {
      this.status("waiting for players…");
    } else if (view.phase === MatchPhase.WARMUP) {
      this.status(warmupText(secs));
    } else if (!this.alive && view.phase === MatchPhase.ACTIVE) {
      this.status("respawning…");
    } else if (this.lastStatus !== "" && !this.lastStatus.startsWith("connection")) {
      this.status("");
    }
    this.renderBottom();
  }

  charge(has: boolean): void {
    if (has !== this.hasCharge) {
      this.hasCharge = has;
      this.renderBottom();
    }
  }

  private renderBottom(): void {
    const hp = this.alive ? this.health : 0;
    // HP and the charge in one number: the text is rebuilt only when one of them changed.
    const of = hp * 2 + (this.hasCharge ? 1 : 0);
    if (of === this.bottomOf) {
      return;
    }
    this.bottomOf = of;
    const text = `HP ${hp} · charge ${this.hasCharge ? "ready (E)" : "—"}`;
    if (this.bottom.textContent !== text) {
      this.bottom.textContent = text;
    }
  }

  kill(killer: number, victim: number): void {
    const line = document.createElement("div");
    if (killer === victim) {
      line.append(this.name(victim), " died");
    } else {
      line.append(this.name(killer), " ✕ ", this.name(victim));
    }
    this.feed.prepend(line);
    while (this.feed.childElementCount > 5) {
      this.feed.lastElementChild?.remove();
    }
    setTimeout(() => line.remove(), 6000);
  }

  phase(phase: MatchPhase, seconds: number): void {
    if (phase === MatchPhase.ACTIVE) {
      this.flash("fight!");
    } else if (phase === MatchPhase.ENDING) {
      this.flash("round over");
    }
    void seconds;
  }

  connection(e: PlayerConnectionEvent): void {
    const known = this.names.get(e.slot);
    if (e.connected && e.displayName !== "" && known !== undefined) {
      // A player who joined after our Welcome: the event carries their name.
      known.name = e.displayName;
    }
    this.flash(`${this.plain(e.slot)} ${e.dropped ? "left" : e.connected ? "joined" : "disconnected"}`);
  }

  private plain(slot: number): string {
    return this.names.get(slot)?.name ?? `#${slot}`;
  }

  private flash(text: string): void {
    const line = document.createElement("div");
    line.textContent = text;
    this.feed.prepend(line);
    setTimeout(() => line.remove(), 3000);
  }

  scoreboard(s: Scoreboard, ownSlot: number | undefined, voted: boolean): void {
    this.board.hidden = false;
    this.board.innerHTML = `<div><span class="tm-red">RED ${s.redKills}</span> : <span class="tm-blue">${s.blueKills} BLUE</span> · ${s.secondsLeft}s · ${s.restartVotes} vote(s) to play again</div>
<table><tr><th>player</th><th>kills</th><th>deaths</th><th></th></tr></table>`;
    const rows = this.board.querySelector("tr")!.parentElement!;
    for (const p of [...s.players].sort((a, b) => a.team - b.team || b.kills - a.kills)) {
      const row = document.createElement("tr");
      if (p.slot === ownSlot) {
        row.className = "tm-me";
      }
      const cells = [this.name(p.slot), String(p.kills), String(p.deaths), `${p.connected ? "" : "gone"}${p.voted ? " ✓ again" : ""}`];
      for (const content of cells) {
        const cell = document.createElement("td");
        cell.append(content);
        row.append(cell);
      }
      rows.append(row);
    }
    const vote = document.createElement("button");
    vote.dataset.testid = "vote-restart";
    vote.textContent = voted ? "Voted to play again" : "Play again";
    vote.disabled = voted;
    vote.onclick = () => {
      this.actions.vote();
      vote.disabled = true;
      vote.textContent = "Voted to play again";
    };
    const back = document.createElement("button");
    back.dataset.testid = "back-to-queue";
    back.textContent = "Back to queue";
    back.onclick = () => this.actions.backToQueue();
    this.board.append(vote, back);
  }

  final(end: MatchEnd, ownTeam: Team): void {
    this.board.hidden = false;
    const result = end.abandoned ? "match abandoned" : end.winner === Team.UNSPECIFIED ? "draw" : end.winner === ownTeam ? "victory" : "defeat";
    const header = document.createElement("h2");
    header.textContent = `${result} — red ${end.redKills} : ${end.blueKills} blue`;
    this.board.querySelectorAll("button").forEach((b) => {
      if (b.textContent !== "Back to queue") b.remove();
    });
    this.board.prepend(header);
    if (this.board.querySelector("button") === null) {
      const back = document.createElement("button");
      back.textContent = "Back to queue";
      back.onclick = () => this.actions.backToQueue();
      this.board.append(back);
    }
  }

  hideScoreboard(): void {
    this.board.hidden = true;
    this.board.textContent = "";
  }
}

function div(parent: HTMLElement, cls: string): HTMLDivElement {
  const d = document.createElement("div");
  d.className = cls;
  parent.append(d);
  return d;
}

const WARMUP_TEXT: string[] = [];
/** "warmup N", one string per second count. */
function warmupText(secs: number): string {
  if (secs < 0 || secs > 600 || !Number.isInteger(secs)) {
    return `warmup ${secs}`;
  }
  return (WARMUP_TEXT[secs] ??= `warmup ${secs}`);
}

function phaseName(p: MatchPhase): string {
  switch (p) {
    case MatchPhase.WAITING:
      return "waiting";
    case MatchPhase.WARMUP:
      return "warmup";
    case MatchPhase.ACTIVE:
      return "";
    case MatchPhase.ENDING:
      return "ending";
    case MatchPhase.SCOREBOARD:
      return "scoreboard";
    default:
      return "";
  }
}
