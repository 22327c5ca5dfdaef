import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join, extname } from "node:path";
const root = process.argv[2] ?? "/tmp/trespasser-match-smoke";
const types = { ".html": "text/html", ".js": "text/javascript", ".bin": "application/octet-stream", ".map": "text/plain" };
const server = createServer((req, res) => {
  const p = join(root, req.url === "/" ? "index.html" : req.url.split("?")[0]);
  let body;
  try { body = readFileSync(p); } catch { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "content-type": types[extname(p)] ?? "application/octet-stream" }); res.end(body);
}).listen(4188);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
page.on("console", (m) => console.log("console:", m.type(), m.text()));
page.on("pageerror", (e) => console.log("pageerror:", e.message));
await page.goto("http://localhost:4188/");
await page.waitForTimeout(2500);
await page.mouse.move(600, 250);
await page.keyboard.down("KeyD");
await page.mouse.down();
await page.waitForTimeout(1500);
await page.mouse.up();
await page.keyboard.up("KeyD");
await page.waitForTimeout(500);
const out = await page.evaluate(() => {
  const t = window.__trespasser;
  const ft = t ? t.frameTimesMs() : [];
  return { state: t?.state(), frames: ft.length, maxFrame: Math.max(...ft), meanFrame: ft.reduce((a, b) => a + b, 0) / ft.length, smoke: { ...window.smoke, sent: window.smoke.sent.length, kinds: [...new Set(window.smoke.sent)] } };
});
console.log(JSON.stringify(out, null, 1));
await page.screenshot({ path: `${root}/screenshot.png` });
await browser.close();
server.close();
