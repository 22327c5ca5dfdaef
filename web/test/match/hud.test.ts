// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  PlayerConnectionEventSchema,
  ScoreboardSchema,
  Team,
  type Welcome,
  WelcomeSchema,
} from "../../src/gen/trespasser/game/v1/game_pb.js";
import { Hud } from "../../src/match/hud.js";

// Names are signed by the director, but they are still other people's text: the HUD must show
// them as text, never parse them as markup.
const HOSTILE = '<img src=x onerror="alert(1)">';

function welcome(): Welcome {
  return create(WelcomeSchema, {
    slot: 0,
    team: Team.RED,
    roster: [
      { slot: 0, playerId: "p-AbCdEfGhIjKlMnOpQrSt", team: Team.RED, displayName: "alice" },
      { slot: 1, playerId: "p-ZyXwVuTsRqPoNmLkJiHg", team: Team.BLUE, displayName: "Zoë" },
      { slot: 2, playerId: "p-QqQqQqQqQqQqQqQqQqQq", team: Team.RED, displayName: HOSTILE },
      // Not joined yet when we were welcomed: the server sends the id's short form.
      { slot: 3, playerId: "guest-a1B2c3D4e5F6g7H8i9J0", team: Team.BLUE, displayName: "guest-a1B2c3D4" },
      // A server from before names sends none: the id is shown.
      { slot: 4, playerId: "p-old-server", team: Team.BLUE },
    ],
  });
}

describe("Hud names", () => {
  let container: HTMLElement;
  let hud: Hud;

  beforeEach(() => {
    vi.useFakeTimers();
    document.body.innerHTML = "";
    container = document.createElement("div");
    document.body.append(container);
    hud = new Hud(container, { vote: () => {}, backToQueue: () => {}, quit: () => {} });
    hud.roster(welcome());
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const feed = (): HTMLElement => container.querySelector(".tm-feed")!;

  it("kill feed shows display names in team colours, not ids", () => {
    hud.kill(0, 1);
    hud.kill(3, 3);
    const lines = [...feed().children].map((l) => l.textContent);
    expect(lines).toEqual(["guest-a1B2c3D4 died", "alice ✕ Zoë"]);
    const spans = [...feed().querySelectorAll("span")];
    expect(spans.map((s) => [s.textContent, s.className])).toEqual([
      ["guest-a1B2c3D4", "tm-blue"],
      ["alice", "tm-red"],
      ["Zoë", "tm-blue"],
    ]);
    expect(feed().textContent).not.toContain("p-AbCdEf");
  });

  it("scoreboard rows show display names, and the id where the server sent no name", () => {
    hud.scoreboard(
      create(ScoreboardSchema, {
        players: [
          { slot: 0, playerId: "p-AbCdEfGhIjKlMnOpQrSt", team: Team.RED, kills: 3, deaths: 1, connected: true },
          { slot: 1, playerId: "p-ZyXwVuTsRqPoNmLkJiHg", team: Team.BLUE, kills: 2, deaths: 2, connected: true },
          { slot: 4, playerId: "p-old-server", team: Team.BLUE, kills: 0, deaths: 1, connected: false },
        ],
        redKills: 3,
        blueKills: 3,
      }),
      0,
      false,
    );
    const board = container.querySelector('[data-testid="scoreboard"]')!;
    const rows = [...board.querySelectorAll("tr")].slice(1).map((r) => [...r.querySelectorAll("td")].map((c) => c.textContent));
    expect(rows).toEqual([
      ["alice", "3", "1", ""],
      ["Zoë", "2", "2", ""],
      ["p-old-server", "0", "1", "gone"],
    ]);
    expect(board.querySelector("tr.tm-me td")!.textContent).toBe("alice");
  });

  it("a player who joins after our Welcome is named by the join event", () => {
    hud.connection(create(PlayerConnectionEventSchema, { slot: 3, connected: true, displayName: "carol" }));
    expect(feed().firstElementChild!.textContent).toBe("carol joined");
    hud.kill(3, 0);
    expect(feed().firstElementChild!.textContent).toBe("carol ✕ alice");
    // Leaving carries no name and keeps the one known.
    hud.connection(create(PlayerConnectionEventSchema, { slot: 3, connected: false }));
    expect(feed().firstElementChild!.textContent).toBe("carol disconnected");
  });

  it("a name that looks like markup stays text everywhere", () => {
    hud.kill(2, 1);
    hud.connection(create(PlayerConnectionEventSchema, { slot: 1, connected: true, displayName: HOSTILE }));
    hud.scoreboard(
      create(ScoreboardSchema, {
        players: [{ slot: 2, playerId: "p-QqQqQqQqQqQqQqQqQqQq", team: Team.RED, connected: true }],
      }),
      0,
      false,
    );
    expect(container.querySelector("img")).toBeNull();
    expect(feed().textContent).toContain(`${HOSTILE} ✕ Zoë`);
    expect(feed().textContent).toContain(`${HOSTILE} joined`);
    expect(container.querySelector('[data-testid="scoreboard"] td')!.textContent).toBe(HOSTILE);
  });
});
