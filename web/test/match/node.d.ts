// The two Node built-ins the match tests read fixtures with (Vitest runs them in Node); the
// package has no @types/node and the shell owns package.json.
declare module "node:fs" {
  export function readFileSync(path: string): Uint8Array;
  export function readFileSync(path: string, encoding: "utf8"): string;
}
declare module "node:url" {
  export function fileURLToPath(url: URL): string;
}
