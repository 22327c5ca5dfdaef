import { AssignmentStore } from "./api/assignment-store.js";
import { QueueMemory } from "./api/queue-memory.js";
import { PlayerSession, SESSION_KEY, webLock } from "./api/session.js";
import { apiBaseUrl, frontendClient, frontendTransport } from "./api/transport.js";
import { startMatch } from "./match/index.js";
import { Flow } from "./ui/flow.js";
import { DomScreens } from "./ui/screens.js";

const root = document.getElementById("app");
if (!root) {
  throw new Error("index.html has no #app element");
}

const env = import.meta.env as ImportMetaEnv & { VITE_API_BASE_URL?: string };
const client = frontendClient(frontendTransport(apiBaseUrl(location, env.VITE_API_BASE_URL, import.meta.env.DEV)));
const session = new PlayerSession(client, localStorage, webLock(navigator.locks));
// The queue's regions and modes come from the frontend (GetQueueOptions), not from the build.
const screens = new DomScreens(root, localStorage);
const flow = new Flow({
  session,
  client,
  screens,
  startMatch,
  assignments: new AssignmentStore(sessionStorage),
  queueMemory: new QueueMemory(sessionStorage),
});
screens.attach(flow);

// Another tab logged out (removed the stored session): follow it here.
addEventListener("storage", (event) => {
  if (event.key === SESSION_KEY || event.key === null) {
    session.storageChanged();
  }
});

void flow.start();
