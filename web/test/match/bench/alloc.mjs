// What the match view allocates while it plays: the drive of run.mjs (walk, fire, sweep the aim
// for ~12 s against the smoke replay) with one of two instruments, in headless Debian chromium.
//   gc:     a Chromium trace (disabled-by-default-v8.gc): young-generation collections (count,
//           durations, bytes they found allocated) and full ones, plus the frame times.
//   sample: V8's sampling heap profiler over the drive, counting objects the young and old
//           collections freed too: bytes allocated per second, by function. It slows the page,
//           so its frame times are not the benchmark's.
// Usage:
//   npx vite build test/match/smoke --outDir /tmp/trespasser-match-smoke --emptyOutDir
//   node test/match/bench/alloc.mjs /tmp/trespasser-match-smoke gc|sample [runs]
import { serveSmokeSite, launchChromium } from "../smokeSite.mjs";

const root = process.argv[2] ?? "/tmp/trespasser-match-smoke";
const mode = process.argv[3] ?? "gc";
const runs = Number(process.argv[4] ?? 1);
const { server, port } = serveSmokeSite(root);
const browser = await launchChromium(["--no-sandbox", "--disable-gpu"]);
const pct = (s, q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];

async function drive(page) {
  const keys = ["KeyD", "KeyS", "KeyA", "KeyW"];
  await page.mouse.down();
  for (let i = 0; i < 48; i++) {
    if (i % 12 === 0) { if (i > 0) await page.keyboard.up(keys[(i / 12 - 1) % 4]); await page.keyboard.down(keys[(i / 12) % 4]); }
    await page.mouse.move(500 + 300 * Math.cos(i / 3), 300 + 200 * Math.sin(i / 3), { steps: 4 });
    await page.waitForTimeout(250);
  }
  await page.mouse.up();
  await page.keyboard.up("KeyW");
}

/** The page's main-thread GC events from a trace: young (scavenges) and full collections. */
function gcEvents(traceBuffer) {
  const events = JSON.parse(traceBuffer.toString()).traceEvents ?? [];
  const young = [];
  const full = [];
  for (const e of events) {
    if (e.ph !== "X") continue;
    if (e.name === "MinorGC") young.push(e);
    else if (e.name === "MajorGC") full.push(e);
  }
  const ms = (list) => list.map((e) => +(e.dur / 1000).toFixed(1)).sort((a, b) => b - a);
  // Bytes the young collections found: what was allocated since the previous one, roughly.
  let freed = 0;
  for (const e of young) {
    const a = e.args?.data ?? e.args ?? {};
    if (a.usedHeapSizeBefore !== undefined && a.usedHeapSizeAfter !== undefined) freed += a.usedHeapSizeBefore - a.usedHeapSizeAfter;
  }
  return { young: young.length, youngMs: ms(young), youngFreedKB: Math.round(freed / 1024), full: full.length, fullMs: ms(full) };
}

for (let r = 0; r < runs; r++) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 600 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.log("pageerror:", e.message));
  const cdp = await context.newCDPSession(page);
  await page.goto(`http://localhost:${port}/`);
  await page.waitForTimeout(1500);
  const startedMs = Date.now();
  let result;
  if (mode === "sample") {
    await cdp.send("HeapProfiler.enable");
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.send("HeapProfiler.startSampling", {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    await drive(page);
    const { profile } = await cdp.send("HeapProfiler.stopSampling");
    const seconds = (Date.now() - startedMs) / 1000;
    const byFunction = new Map();
    let total = 0;
    const walk = (node, stack) => {
      const f = node.callFrame;
      const name = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
      if (node.selfSize > 0) {
        total += node.selfSize;
        // Charge the bytes to the innermost frame of ours, so library internals name their caller too.
        const key = name;
        byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
        const ours = [...stack, name].reverse().find((n) => !n.startsWith("(") && n.includes(".js"));
        if (ours !== undefined && ours !== key) byFunction.set(`  via ${ours}`, (byFunction.get(`  via ${ours}`) ?? 0) + node.selfSize);
      }
      for (const c of node.children) walk(c, [...stack, name]);
    };
    walk(profile.head, []);
    const top = [...byFunction.entries()].filter(([k]) => !k.startsWith("  via")).sort((a, b) => b[1] - a[1]).slice(0, 25);
    result = {
      seconds: +seconds.toFixed(1),
      allocatedKB: Math.round(total / 1024),
      kbPerSecond: Math.round(total / 1024 / seconds),
      top: top.map(([k, v]) => `${Math.round(v / 1024 / seconds)} KB/s  ${k}`),
    };
  } else {
    await browser.startTracing(page, { categories: ["devtools.timeline", "v8", "disabled-by-default-v8.gc"] });
    await drive(page);
    const trace = await browser.stopTracing();
    result = gcEvents(trace);
    result.seconds = +((Date.now() - startedMs) / 1000).toFixed(1);
  }
  const out = await page.evaluate(() => ({ ft: window.__trespasser.frameTimesMs(), snapshots: window.__trespasser.state().snapshotsApplied }));
  const s = [...out.ft].sort((a, b) => a - b);
  console.log(JSON.stringify({ run: r + 1, mode, frames: s.length, p50: +pct(s, 0.5).toFixed(2), p99: +pct(s, 0.99).toFixed(2), max: +s[s.length - 1].toFixed(2), snapshots: out.snapshots, ...result }, null, mode === "sample" ? 1 : 0));
  await context.close();
}
await browser.close();
server.close();
