// The match view behind the contract the app shell compiles against (contract.ts).
import type { StartMatch } from "./contract.js";
import { MatchView } from "./view.js";

export const startMatch: StartMatch = (root, assignment, callbacks) => new MatchView(root, assignment, callbacks);
