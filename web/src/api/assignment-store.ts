import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { AssignmentSchema, type Assignment } from "../gen/trespasser/frontend/v1/frontend_pb.js";
import type { KeyValueStore } from "./session.js";

export const ASSIGNMENT_KEY = "trespasser.assignment";

/**
 * The assignment of the match in progress, kept in sessionStorage (this tab only, gone with it) so
 * a reload can rejoin: the match server accepts the same join token after a drop.
 */
export class AssignmentStore {
  constructor(private readonly store: KeyValueStore) {}

  save(playerId: string, assignment: Assignment): void {
    try {
      this.store.setItem(ASSIGNMENT_KEY, JSON.stringify({ playerId, assignment: toJson(AssignmentSchema, assignment) }));
    } catch {
      // Without storage there is no rejoin after a reload; the match itself is unaffected.
    }
  }

  /** The stored assignment if it belongs to this player; anything else stored is ignored. */
  load(playerId: string): Assignment | null {
    try {
      const raw = this.store.getItem(ASSIGNMENT_KEY);
      if (!raw || raw.length > 16_384) {
        return null;
      }
      const parsed = JSON.parse(raw) as { playerId?: unknown; assignment?: JsonValue };
      if (parsed.playerId !== playerId || parsed.assignment === undefined) {
        return null;
      }
      const assignment = fromJson(AssignmentSchema, parsed.assignment);
      return assignment.host && assignment.port > 0 && assignment.token ? assignment : null;
    } catch {
      return null;
    }
  }

  clear(): void {
    try {
      this.store.removeItem(ASSIGNMENT_KEY);
    } catch {
      // Nothing stored then.
    }
  }
}
