import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { FrontendService } from "../gen/trespasser/frontend/v1/frontend_pb.js";

export type FrontendClient = Client<typeof FrontendService>;

/**
 * Where the player API lives. Normally the page's own origin (the frontend serves the bundle and
 * gRPC-Web on one port). A build may name another origin (VITE_API_BASE_URL); `?api=` is honoured
 * only by the dev server, so nobody can send a player a link that makes a real build post their
 * password to some other site.
 */
export function apiBaseUrl(location: { origin: string; search: string }, buildTimeUrl: string | undefined, dev: boolean): string {
  if (dev) {
    const override = new URLSearchParams(location.search).get("api");
    if (override) {
      return new URL(override).origin;
    }
  }
  if (buildTimeUrl) {
    return new URL(buildTimeUrl).origin;
  }
  return location.origin;
}

export function frontendTransport(baseUrl: string): Transport {
  return createGrpcWebTransport({ baseUrl });
}

export function frontendClient(transport: Transport): FrontendClient {
  return createClient(FrontendService, transport);
}
