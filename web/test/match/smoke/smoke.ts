// A browser smoke run of the match view without a server (see web/src/match/README.md): a fake
// WebSocket answers the join with the recorded Welcome (plus depot's geometry) and replays the
// recorded frames at 30 Hz; run.mjs drives it in Debian's chromium and prints __trespasser.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { AssignmentSchema } from "../../../src/gen/trespasser/frontend/v1/frontend_pb.js";
import { MapGeometrySchema, ServerMessageSchema } from "../../../src/gen/trespasser/game/v1/game_pb.js";
import { startMatch } from "../../../src/match/index.js";
import framesUrl from "../../fixtures/recorded-frames.bin?url";
import mapText from "../../../../game-client/src/main/resources/maps/depot.map?raw";

const w = window as unknown as { smoke: { sent: string[]; errors: string[]; left: string[] } };
w.smoke = { sent: [], errors: [], left: [] };
window.addEventListener("error", (e) => w.smoke.errors.push(String(e.message)));

function parseMap(text: string) {
  const walls: number[] = [];
  const spawns: number[] = [];
  let width = 0, height = 0;
  for (const raw of text.split("\n")) {
    const f = raw.replace(/#.*/, "").trim().split(/\s+/);
    if (f[0] === "size") { width = +f[1]!; height = +f[2]!; }
    if (f[0] === "spawn") spawns.push(+f[2]!, +f[3]!, +f[4]!, +f[5]!);
    if (f[0] === "wall") walls.push(f[1] === "h" ? 0 : 1, +f[2]!, +f[3]!, +f[4]!, f[5] ? +f[5] : 6);
  }
  return { format: 1, name: "depot", width, height, sliceLength: 2, walls, spawns };
}

const bin = await fetch(framesUrl).then((r) => r.arrayBuffer());
const frames: Uint8Array[] = [];
const dv = new DataView(bin);
for (let at = 0; at < bin.byteLength; ) { const n = dv.getUint32(at); frames.push(new Uint8Array(bin, at + 4, n).slice()); at += 4 + n; }
// Decoded once here, so the replay itself adds no garbage to the page being measured.
const isSnapshot = frames.map((f) => fromBinary(ServerMessageSchema, f).kind.case === "snapshot");
const welcome = fromBinary(ServerMessageSchema, frames[0]!);
if (welcome.kind.case === "welcome") welcome.kind.value.map = create(MapGeometrySchema, parseMap(mapText));
const welcomeBytes = toBinary(ServerMessageSchema, welcome);

/** ClientMessage's oneof field numbers (game.proto). */
const CLIENT_KINDS: Record<number, string> = { 1: "join", 2: "input", 3: "ack", 4: "vote" };

class FakeSocket {
  binaryType = "blob"; readyState = 0;
  onopen: (() => void) | null = null; onmessage: ((e: { data: ArrayBuffer }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null; onerror: (() => void) | null = null;
  constructor() { setTimeout(() => { this.readyState = 1; this.onopen?.(); }, 10); }
  send(b: Uint8Array) {
    // The ClientMessage's kind from its first tag byte, not a decode: decoding 60 inputs a second
    // would add garbage of the harness's own to the page being measured.
    const kind = CLIENT_KINDS[b[0]! >> 3] ?? "?";
    w.smoke.sent.push(kind);
    if (kind === "join") this.play();
  }
  close() { this.readyState = 3; }
  private deliver(b: Uint8Array) { this.onmessage?.({ data: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer }); }
  private play() {
    this.deliver(welcomeBytes);
    let i = 1;
    const timer = setInterval(() => {
      // One snapshot (with the events before it) per 33 ms; stop before the match end.
      while (i < frames.length - 2) {
        const snapshot = isSnapshot[i]!;
        this.deliver(frames[i++]!);
        if (snapshot) break;
      }
      if (i >= frames.length - 2) clearInterval(timer);
    }, 33);
  }
}
(window as unknown as { WebSocket: unknown }).WebSocket = FakeSocket;
startMatch(document.body, create(AssignmentSchema, { host: "localhost", port: 7000, token: "t", matchId: "m", tls: false }), {
  onLeave: (r, d) => w.smoke.left.push(`${r} ${d ?? ""}`),
});
