import { Code, ConnectError } from "@connectrpc/connect";
import { GameMode, type GetQueueOptionsResponse } from "../gen/trespasser/frontend/v1/frontend_pb.js";
import type { FrontendClient } from "./transport.js";

export interface ModeChoice {
  mode: GameMode;
  /** The proto's mode_label, as the server sends it ("4v4"). */
  label: string;
  /** Players per team. */
  teamSize: number;
}

/** What FindMatch accepts on the deployment this page talks to (GetQueueOptions). */
export interface QueueOptions {
  regions: string[];
  /** The first is what the server makes of an unspecified mode. */
  modes: ModeChoice[];
}

/** The frontend's own rule for a region name (FrontendConfig). */
const REGION = /^[a-z][a-z0-9-]{0,31}$/;
const LABEL = /^[\p{L}\p{N} ._-]{1,16}$/u;
/** More choices than any deployment has: beyond them the answer is not one to draw. */
const MAX_CHOICES = 64;
const MAX_TEAM_SIZE = 64;
const TIMEOUT_MS = 10_000;
/** A deployment's regions rarely change; after this long the main screen asks again. */
export const QUEUE_OPTIONS_MAX_AGE_MS = 10 * 60_000;

/**
 * The choices to offer, from the server's answer: only well-formed, distinct entries are kept (the
 * page draws them, so nothing odd reaches the DOM). Throws when nothing usable is left.
 */
export function readQueueOptions(response: GetQueueOptionsResponse): QueueOptions {
  const regions = [...new Set(response.regions.slice(0, MAX_CHOICES).filter((region) => REGION.test(region)))];
  const modes: ModeChoice[] = [];
  for (const choice of response.modes.slice(0, MAX_CHOICES)) {
    const usable =
      choice.mode !== GameMode.GAME_MODE_UNSPECIFIED &&
      LABEL.test(choice.label) &&
      Number.isInteger(choice.teamSize) &&
      choice.teamSize >= 1 &&
      choice.teamSize <= MAX_TEAM_SIZE &&
      !modes.some((known) => known.mode === choice.mode);
    if (usable) {
      modes.push({ mode: choice.mode, label: choice.label, teamSize: choice.teamSize });
    }
  }
  if (regions.length === 0 || modes.length === 0) {
    throw new ConnectError("the server offers no region or no mode to queue for", Code.Internal);
  }
  return { regions, modes };
}

/**
 * The queue options, asked once and kept for QUEUE_OPTIONS_MAX_AGE_MS. GetQueueOptions is public
 * (no token), so it can be asked before the player is logged in; one call at a time.
 */
export class QueueOptionsSource {
  private cached: { options: QueueOptions; at: number } | null = null;
  private pending: Promise<QueueOptions> | null = null;

  constructor(
    private readonly client: FrontendClient,
    private readonly maxAgeMs = QUEUE_OPTIONS_MAX_AGE_MS,
  ) {}

  /** The last options received, however old; null before the first answer. */
  get last(): QueueOptions | null {
    return this.cached?.options ?? null;
  }

  /** Whether the last options are recent enough to use without asking again. */
  get fresh(): boolean {
    return this.cached !== null && Date.now() - this.cached.at < this.maxAgeMs;
  }

  /** Asks the server (or joins the question already asked). Failures are thrown; the cache stays. */
  load(): Promise<QueueOptions> {
    this.pending ??= this.client
      .getQueueOptions({}, { timeoutMs: TIMEOUT_MS })
      .then((response) => {
        const options = readQueueOptions(response);
        this.cached = { options, at: Date.now() };
        return options;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }
}
