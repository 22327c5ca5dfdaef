// Frame-work benchmark of the match view in headless Debian chromium (software canvas), driven
// like the smoke run (a fake socket replaying recorded server frames, see ../smoke): walks and
// fires while sweeping the mouse, then reads window.__trespasser.frameTimesMs() (the last 600
// frames' work) and prints p50, p99 and max. Usage:
//   npx vite build test/match/smoke --outDir /tmp/trespasser-match-smoke --emptyOutDir
//   node test/match/bench/run.mjs /tmp/trespasser-match-smoke [runs]
import { serveSmokeSite, launchChromium } from "../smokeSite.mjs";
const root = process.argv[2] ?? "/tmp/trespasser-match-smoke";
const runs = Number(process.argv[3] ?? 3);
const { server, port } = serveSmokeSite(root);
const browser = await launchChromium(["--no-sandbox", "--disable-gpu"]);
const pct = (s, q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
for (let r = 0; r < runs; r++) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
  page.on("pageerror", (e) => console.log("pageerror:", e.message));
  await page.goto(`http://localhost:${port}/`);
  await page.waitForTimeout(1500);
  // ~12 s of play: walk, fire, sweep the aim so the cone and the walls in view keep changing.
  const keys = ["KeyD", "KeyS", "KeyA", "KeyW"];
  await page.mouse.down();
  for (let i = 0; i < 48; i++) {
    if (i % 12 === 0) { if (i > 0) await page.keyboard.up(keys[(i / 12 - 1) % 4]); await page.keyboard.down(keys[(i / 12) % 4]); }
    await page.mouse.move(500 + 300 * Math.cos(i / 3), 300 + 200 * Math.sin(i / 3), { steps: 4 });
    await page.waitForTimeout(250);
  }
  await page.mouse.up();
  await page.keyboard.up("KeyW");
  const out = await page.evaluate(() => {
    const t = window.__trespasser;
    const ft = t.frameTimesMs();
    return { ft, state: t.state(), sections: window.__sec && Object.fromEntries(Object.entries(window.__sec).filter(([k]) => k[0] !== "_").map(([k, v]) => { const s = v.slice(-600).sort((a, b) => a - b); return [k, [+s[300]?.toFixed(2), +s[594]?.toFixed(2), +s[s.length - 1]?.toFixed(2)]]; })) };
  });
  const s = [...out.ft].sort((a, b) => a - b);
  console.log(JSON.stringify({ run: r + 1, frames: s.length, p50: +pct(s, 0.5).toFixed(2), p99: +pct(s, 0.99).toFixed(2), max: +s[s.length - 1].toFixed(2), snapshots: out.state.snapshotsApplied, sections: out.sections }));
  await page.close();
}
await browser.close();
server.close();
