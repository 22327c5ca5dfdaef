// Plays one match as a person would, in Debian's chromium driven by playwright-core, against a
// running local stack: log in as a guest, queue, get assigned, connect over wss, move, fire, see the
// scoreboard and vote. Writes report.json and screenshots into the output folder; exits non-zero
// with the step that failed. Run by local-stack's BrowserPlayTest (the README's test command).
//
//   node e2e/play.mjs --url https://localhost:PORT/ --out DIR [--spki HASH] [--chromium PATH]
import { chromium } from "playwright-core";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, value, i, all) => (i % 2 === 0 ? [...pairs, [value.replace(/^--/, ""), all[i + 1]]] : pairs), []),
);
const url = args.url;
const out = args.out;
if (!url || !out) {
  console.error("usage: play.mjs --url URL --out DIR [--spki HASH] [--chromium PATH]");
  process.exit(2);
}
mkdirSync(out, { recursive: true });

const report = { url, steps: [], screenshots: [], failure: null };
const step = (name, detail = {}) => {
  report.steps.push({ name, atMs: Date.now() - started, ...detail });
  console.log(`play: ${name} ${JSON.stringify(detail)}`);
};
const started = Date.now();

const launchArgs = ["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"];
// Trust exactly this run's local CA (its SPKI hash), not every certificate.
if (args.spki) launchArgs.push(`--ignore-certificate-errors-spki-list=${args.spki}`);
const browser = await chromium.launch({
  executablePath: args.chromium ?? "/usr/bin/chromium",
  headless: true,
  args: launchArgs,
});

async function shot(page, name) {
  const file = join(out, `${String(report.screenshots.length + 1).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file });
  report.screenshots.push(file);
  return file;
}

// Runs in the page: compares the canvas's native pixels with what the match view says it drew.
function pixelCheck() {
  const debug = window.__trespasser;
  const state = debug.state();
  const canvas = document.querySelector("canvas");
  const image = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
  const at = (x, y) => {
    const i = (Math.round(y) * image.width + Math.round(x)) * 4;
    return [image.data[i], image.data[i + 1], image.data[i + 2]];
  };
  const luma = ([r, g, b]) => 0.299 * r + 0.587 * g + 0.114 * b;
  const cam = state.camera;
  const slices = debug.intactSlices();
  const inView = slices.filter(
    (s) => s.minX - cam.x >= 1 && s.maxX - cam.x < canvas.width - 1 && s.minY - cam.y >= 1 && s.maxY - cam.y < canvas.height - 1,
  );
  const nearWall = (x, y) => slices.some((s) => x > s.minX - 4 && x < s.maxX + 4 && y > s.minY - 4 && y < s.maxY + 4);
  let wall = 0;
  let ground = 0;
  let groundSamples = 0;
  for (const s of inView) {
    wall += luma(at((s.minX + s.maxX) / 2 - cam.x, (s.minY + s.maxY) / 2 - cam.y));
    // The ground beside the slice, in the same light.
    for (const [dx, dy] of [[0, -8], [0, 8], [-8, 0], [8, 0]]) {
      const gx = (s.minX + s.maxX) / 2 + dx;
      const gy = (s.minY + s.maxY) / 2 + dy;
      if (!nearWall(gx, gy) && gx - cam.x >= 0 && gx - cam.x < canvas.width && gy - cam.y >= 0 && gy - cam.y < canvas.height) {
        ground += luma(at(gx - cam.x, gy - cam.y));
        groundSamples++;
      }
    }
  }
  const own = state.position ? at(state.position.x - cam.x, state.position.y - cam.y) : [0, 0, 0];
  const ownTeamColour = state.team === "BLUE" ? own[2] > own[0] + 60 : own[0] > own[2] + 60;
  return {
    slicesInView: inView.length,
    wallLuma: Math.round(inView.length ? wall / inView.length : 0),
    groundLuma: Math.round(groundSamples ? ground / groundSamples : 0),
    team: state.team,
    ownPixel: own,
    ownTeamColour,
  };
}

let page;
try {
  const context = await browser.newContext({ viewport: { width: 960, height: 600 } });
  page = await context.newPage();
  const sockets = [];
  page.on("websocket", (ws) => sockets.push(ws.url()));
  page.on("console", (m) => m.type() === "error" && console.log(`play: page error: ${m.text()}`));

  const t0 = Date.now();
  await page.goto(url);
  await page.getByTestId("guest").waitFor({ timeout: 15_000 });
  const loginScreenMs = Date.now() - t0;
  step("login screen", { loginScreenMs });
  await shot(page, "login");

  await page.getByTestId("guest").click();
  await page.getByTestId("find-match").waitFor({ timeout: 15_000 });
  step("logged in as guest");
  await page.getByTestId("find-match").click();
  await page.getByTestId("queue-status").waitFor({ timeout: 15_000 });
  step("queued");
  await shot(page, "queue");

  await page.waitForFunction(() => window.__trespasser?.state()?.connected === true, null, { timeout: 60_000 });
  const welcome = await page.evaluate(() => window.__trespasser.state());
  step("assigned and connected", { sockets, slot: welcome.slot, team: welcome.team });
  if (!sockets.some((u) => u.startsWith("wss://"))) {
    throw new Error(`the match connection is not wss: ${sockets}`);
  }
  report.matchSocket = sockets.find((u) => u.startsWith("wss://"));
  await page.waitForFunction(() => window.__trespasser.state().phase === "ACTIVE", null, { timeout: 60_000 });
  step("round active");
  await page.waitForTimeout(500);
  await shot(page, "match");

  // Pixels, not just "not blank": the walls the map says are standing are drawn where they stand,
  // brighter than the ground around them, and our own player is a disc of the team's colour.
  const pixels = await page.evaluate(pixelCheck);
  step("pixels", pixels);
  if (pixels.slicesInView < 5 || pixels.wallLuma < pixels.groundLuma + 10) {
    throw new Error(`walls not drawn where the map has them: ${JSON.stringify(pixels)}`);
  }
  if (!pixels.ownTeamColour) {
    throw new Error(`own player not drawn at its position: ${JSON.stringify(pixels)}`);
  }

  const before = await page.evaluate(() => window.__trespasser.state().serverPosition);
  const canvas = page.locator("canvas");
  await canvas.hover();
  await page.keyboard.down("KeyD");
  await page.keyboard.down("KeyS");
  await page.waitForTimeout(800);
  await page.keyboard.up("KeyD");
  await page.keyboard.up("KeyS");
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => window.__trespasser.state().serverPosition);
  step("moved", { before, after });
  if (!before || !after || Math.hypot(after.x - before.x, after.y - before.y) < 5) {
    throw new Error(`the server did not confirm movement: ${JSON.stringify({ before, after })}`);
  }

  const shotsBefore = await page.evaluate(() => window.__trespasser.state().shotEvents);
  await page.mouse.down();
  await page.waitForTimeout(400);
  await page.mouse.up();
  await page.waitForFunction((n) => window.__trespasser.state().shotEvents > n, shotsBefore, { timeout: 5_000 });
  step("fired", { shotEvents: await page.evaluate(() => window.__trespasser.state().shotEvents) });
  await shot(page, "fired");

  await page.getByTestId("scoreboard").waitFor({ timeout: 120_000 });
  step("scoreboard");
  await shot(page, "scoreboard");
  await page.getByTestId("vote-restart").click();
  step("voted");

  const frameTimes = await page.evaluate(() => window.__trespasser.frameTimesMs());
  const sorted = [...frameTimes].sort((a, b) => a - b);
  const round = (ms) => Math.round(ms * 100) / 100;
  const pct = (p) => round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
  report.frames = { count: sorted.length, p50Ms: pct(50), p99Ms: pct(99), maxMs: round(sorted[sorted.length - 1]) };
  step("frame times", report.frames);
  report.loginScreenMs = loginScreenMs;
  report.moved = { before, after };
  report.pixels = pixels;
} catch (error) {
  report.failure = String(error?.stack ?? error);
  console.error(`play: FAILED after ${report.steps.at(-1)?.name ?? "start"}: ${error}`);
  if (page) await shot(page, "failure").catch(() => {});
} finally {
  writeFileSync(join(out, "report.json"), JSON.stringify(report, null, 2));
  await browser.close();
}
process.exit(report.failure ? 1 : 0);
