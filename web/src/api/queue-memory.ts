import type { GameMode } from "../gen/trespasser/frontend/v1/frontend_pb.js";
import type { KeyValueStore } from "./session.js";

export const QUEUE_KEY = "trespasser.queue";

/**
 * The queue this tab joined, kept in sessionStorage: a reload while queued goes on watching the
 * same queue instead of dropping the player on the main screen (the ticket lives on server-side).
 */
export class QueueMemory {
  constructor(private readonly store: KeyValueStore) {}

  save(playerId: string, mode: GameMode, region: string): void {
    try {
      this.store.setItem(QUEUE_KEY, JSON.stringify({ playerId, mode, region }));
    } catch {
      // Without storage a reload shows the main screen; Find match picks the ticket up again.
    }
  }

  load(playerId: string): { mode: GameMode; region: string } | null {
    try {
      const parsed = JSON.parse(this.store.getItem(QUEUE_KEY) ?? "null") as { playerId?: unknown; mode?: unknown; region?: unknown } | null;
      if (
        parsed?.playerId === playerId &&
        Number.isInteger(parsed.mode) &&
        typeof parsed.region === "string" &&
        /^[a-z][a-z0-9-]{0,31}$/.test(parsed.region)
      ) {
        return { mode: parsed.mode as GameMode, region: parsed.region };
      }
    } catch {
      // Damaged: as if nothing were stored.
    }
    return null;
  }

  clear(): void {
    try {
      this.store.removeItem(QUEUE_KEY);
    } catch {
      // Nothing stored then.
    }
  }
}
