import type { StartMatch } from "./contract.js";

// Replaced by the match view (branch webmatch); the shell compiles against the contract.
export const startMatch: StartMatch = () => {
  throw new Error("the match view is not in this build");
};
