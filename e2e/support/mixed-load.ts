import { randomUUID } from "node:crypto";

/**
 * A load generator for drills through a proxy: each client (a guest with its own cookie and
 * chats) loops over what a tab does, one request at a time: opens a chat page, reloads its data
 * (Remix's `.data` request), asks the sync check, and sends a message with a client id (as a
 * plain form POST; never while the chat's previous reply is still being written, which Parley
 * refuses by design). Every answer is counted; a send answered 2xx/3xx is "acknowledged".
 */
export type RequestKind = "document" | "data" | "sync" | "send";

export interface LoadClient {
  cookie: string;
  chatIds: string[];
  /** Whether the chat's last reply is still being written (then the client reads instead of sending). */
  replyPending(chatId: string): Promise<boolean>;
}

export interface Failure {
  kind: RequestKind;
  /** The status, or the network error's message. */
  outcome: number | string;
  at: number;
}

export interface AcknowledgedSend {
  chatId: string;
  clientId: string;
  content: string;
}

export interface LoadFigures {
  requests: number;
  byKind: Record<RequestKind, number>;
  failures: Failure[];
  acknowledged: AcknowledgedSend[];
}

const CYCLE: RequestKind[] = ["document", "sync", "data", "sync", "send"];
const EXPECTED: Record<RequestKind, (status: number) => boolean> = {
  document: (status) => status === 200,
  data: (status) => status === 200,
  sync: (status) => status === 200,
  send: (status) => status === 302 || status === 303,
};

export function startMixedLoad(baseUrl: string, clients: LoadClient[]): { stop(): Promise<LoadFigures> } {
  const figures: LoadFigures = {
    requests: 0,
    byKind: { document: 0, data: 0, sync: 0, send: 0 },
    failures: [],
    acknowledged: [],
  };
  let stopping = false;

  async function one(client: LoadClient, kind: RequestKind, chatId: string): Promise<void> {
    const headers: Record<string, string> = { Cookie: client.cookie };
    let url = `${baseUrl}/chats/${chatId}`;
    let init: RequestInit = { headers, redirect: "manual" };
    let send: AcknowledgedSend | undefined;
    if (kind === "data") url += ".data";
    if (kind === "sync") url = `${baseUrl}/resources/sync?chat=${chatId}`;
    if (kind === "send") {
      send = { chatId, clientId: randomUUID(), content: `Drill message ${randomUUID().slice(0, 8)}` };
      init = {
        method: "POST",
        headers: { ...headers, Origin: baseUrl },
        body: new URLSearchParams({ intent: "send", content: send.content, clientId: send.clientId }),
        redirect: "manual",
      };
    }
    figures.requests += 1;
    figures.byKind[kind] += 1;
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
      await response.arrayBuffer();
      if (!EXPECTED[kind](response.status)) {
        figures.failures.push({ kind, outcome: response.status, at: Date.now() });
      } else if (send) {
        figures.acknowledged.push(send);
      }
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      figures.failures.push({ kind, outcome: `${String(error)}${cause}`, at: Date.now() });
    }
  }

  async function run(client: LoadClient, offset: number): Promise<void> {
    for (let step = offset; !stopping; step += 1) {
      const chatId = client.chatIds[Math.floor(step / CYCLE.length) % client.chatIds.length];
      let kind = CYCLE[step % CYCLE.length];
      if (kind === "send" && (await client.replyPending(chatId))) kind = "sync";
      await one(client, kind, chatId);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  const running = Promise.all(clients.map((client, index) => run(client, index)));
  return {
    async stop() {
      stopping = true;
      await running;
      return figures;
    },
  };
}
