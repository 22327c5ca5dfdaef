// The built smoke page (test/match/smoke) served on loopback, and Debian's chromium to open it:
// shared by the smoke run and the frame benches so they serve the same files the same way.
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join, extname } from "node:path";

const types = { ".html": "text/html", ".js": "text/javascript", ".bin": "application/octet-stream", ".map": "text/plain" };

/** Serves `root` on `port` (0: any free port); returns the server and its port. */
export function serveSmokeSite(root, port = 0) {
  const server = createServer((req, res) => {
    const p = join(root, req.url === "/" ? "index.html" : req.url.split("?")[0]);
    let body;
    try { body = readFileSync(p); } catch { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "content-type": types[extname(p)] ?? "application/octet-stream" }); res.end(body);
  }).listen(port);
  return { server, port: server.address().port };
}

/** Debian's chromium, headless; nothing is downloaded. */
export function launchChromium(args = ["--no-sandbox", "--disable-gpu"]) {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args });
}
