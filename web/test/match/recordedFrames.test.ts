// Frames recorded from the Java server (match-server's RecordedFramesTest: the real Match,
// SnapshotEncoder and EventCollector for one player of a scripted 2v2 on depot, every fifth ack
// lost) decoded and assembled here must give the facts the Java SnapshotAssembler read from them.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type ServerMessage, SoundKind } from "../../src/gen/trespasser/game/v1/game_pb.js";
import { decodeServerFrame, SnapshotAssembler, unpackSound } from "../../src/match/wire.js";

interface Facts {
  welcome: { slot: number; team: number; mapName: string; sliceCount: number; sliceHp: number; positionScale: number; tickRateHz: number; mapFormat: number; rosterSize: number };
  events: { batches: number; sounds: number; kills: number; slicesDestroyed: number };
  snapshots: {
    tick: number;
    baselineAge: number;
    lastInputSequence: number;
    phase: number;
    phaseSecondsLeft: number;
    redKills: number;
    blueKills: number;
    players: number[][];
    damagedSlices: number[][];
    charges: number[][];
  }[];
}

const dir = new URL("../fixtures/", import.meta.url);
const bytes = readFileSync(fileURLToPath(new URL("recorded-frames.bin", dir)));
const facts = JSON.parse(readFileSync(fileURLToPath(new URL("recorded-frames.json", dir)), "utf8")) as Facts;

/** Splits the fixture: each frame a 4-byte big-endian length, then the ServerMessage bytes. */
function frames(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at < data.byteLength) {
    const length = view.getUint32(at);
    at += 4;
    out.push(data.slice(at, at + length));
    at += length;
  }
  expect(at).toBe(data.byteLength);
  return out;
}

function decodeAll(): ServerMessage[] {
  return frames(bytes).map((f) => {
    const d = decodeServerFrame(f);
    if (!d.ok) {
      throw new Error(d.error);
    }
    return d.message;
  });
}

describe("frames recorded from the Java server", () => {
  const messages = decodeAll();

  it("start with the Welcome the server sent", () => {
    const first = messages[0]!;
    expect(first.kind.case).toBe("welcome");
    if (first.kind.case !== "welcome") return;
    const w = first.kind.value;
    expect({
      slot: w.slot,
      team: w.team,
      mapName: w.mapName,
      sliceCount: w.sliceCount,
      sliceHp: w.sliceHp,
      positionScale: w.positionScale,
      tickRateHz: w.tickRateHz,
      mapFormat: w.map?.format ?? 0,
      rosterSize: w.roster.length,
    }).toEqual(facts.welcome);
  });

  it("assemble into the same views the Java SnapshotAssembler built", () => {
    const assembler = new SnapshotAssembler();
    const got = [];
    for (const m of messages) {
      if (m.kind.case !== "snapshot") continue;
      const v = assembler.apply(m.kind.value);
      got.push({
        tick: v.tick,
        baselineAge: m.kind.value.baselineAge,
        lastInputSequence: v.lastInputSequence,
        phase: v.phase,
        phaseSecondsLeft: v.phaseSecondsLeft,
        redKills: v.redKills,
        blueKills: v.blueKills,
        players: [...v.players.values()].map((p) => [p.slot, p.x, p.y, p.aim, p.health, p.speed, p.flags]),
        damagedSlices: [...v.damagedSlices.entries()].map(([i, hp]) => [i, hp]),
        charges: [...v.charges.values()].map((c) => [c.id, c.x, c.y, c.explodesAtTick]),
      });
    }
    expect(got.length).toBe(facts.snapshots.length);
    got.forEach((g, i) => expect(g, `snapshot ${i} (tick ${g.tick})`).toEqual(facts.snapshots[i]));
    // The recording exercises deltas against older baselines (lost acks) and enemies coming and going.
    expect(got.filter((g) => g.baselineAge > 2).length).toBeGreaterThan(10);
  });

  it("carry the events and sounds the server collected", () => {
    let batches = 0;
    let sounds = 0;
    let kills = 0;
    let destroyed = 0;
    for (const m of messages) {
      if (m.kind.case !== "events") continue;
      batches++;
      sounds += m.kind.value.sounds.length;
      for (const s of m.kind.value.sounds) {
        expect(unpackSound(s).kind).not.toBe(SoundKind.UNSPECIFIED);
      }
      for (const e of m.kind.value.events) {
        if (e.kind.case === "kill") kills++;
        if (e.kind.case === "slicesDestroyed") destroyed += e.kind.value.indices.length;
      }
    }
    expect({ batches, sounds, kills, slicesDestroyed: destroyed }).toEqual(facts.events);
  });

  it("end with the scoreboard and the match end", () => {
    expect(messages.at(-2)?.kind.case).toBe("scoreboard");
    expect(messages.at(-1)?.kind.case).toBe("matchEnd");
  });
});
