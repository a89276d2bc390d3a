/**
 * A fake OpenAI-compatible API on a real loopback socket, so tests exercise the actual
 * HTTP client, SSE parsing and timeouts. Tests script it per request: in-process through
 * the returned handle, or from another process (Playwright) through /__control/*.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { behaviourSchema, DEFAULT_REPLY, type Behaviour, type RecordedRequest } from "./behaviours";

export type { Behaviour, RecordedRequest } from "./behaviours";

export interface FakeOpenAiOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  models?: string[];
}

export interface FakeOpenAi {
  /** Base URL for the client, ending in /v1. */
  readonly url: string;
  readonly port: number;
  /** Chat completion requests, oldest first. Cleared (in place) by reset(). */
  readonly requests: RecordedRequest[];
  enqueue(...behaviours: Behaviour[]): void;
  setDefault(behaviour: Behaviour): void;
  /** Clears the queue and recorded requests and restores the default reply. */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const host = options.host ?? "127.0.0.1";
  const models = options.models ?? ["fake-model-a", "fake-model-b"];
  const requests: RecordedRequest[] = [];
  let queue: Behaviour[] = [];

  /** The first queued behaviour meant for this request (unmatched ones are for anyone). */
  function takeBehaviour(lastUser: string): Behaviour {
    const index = queue.findIndex((behaviour) => !behaviour.match || lastUser.includes(behaviour.match));
    if (index === -1) return fallback;
    const [behaviour] = queue.splice(index, 1);
    return behaviour;
  }
  let fallback: Behaviour = DEFAULT_REPLY;
  let completionCount = 0;

  const handle: Omit<FakeOpenAi, "url" | "port" | "close"> = {
    requests,
    enqueue: (...behaviours) => void queue.push(...behaviours),
    setDefault: (behaviour) => void (fallback = behaviour),
    reset: () => {
      queue = [];
      fallback = DEFAULT_REPLY;
      requests.length = 0;
    },
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error) } });
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const key = `${req.method} ${path}`;
    if (key === "GET /v1/models") {
      const created = Math.floor(Date.now() / 1000);
      return sendJson(res, 200, {
        object: "list",
        data: models.map((id) => ({ id, object: "model", created, owned_by: "fake-openai" })),
      });
    }
    if (key === "POST /v1/chat/completions") {
      const raw = await readBody(req);
      const body = parseJson(raw);
      requests.push({
        method: "POST",
        path,
        headers: flatHeaders(req),
        body: body ?? raw,
        receivedAt: new Date().toISOString(),
      });
      // Parley's "name this chat" request gets a fixed title and leaves the scripted queue
      // to the replies the tests are about.
      const behaviour = isTitleRequest(body) ? TITLE_REPLY : takeBehaviour(lastUserMessage(body));
      const model =
        typeof (body as { model?: unknown })?.model === "string"
          ? (body as { model: string }).model
          : models[0];
      return perform(behaviour, res, { id: `chatcmpl-fake-${++completionCount}`, model });
    }
    if (path.startsWith("/__control/")) return control(key, req, res);
    sendJson(res, 404, { error: { message: `No route for ${key}`, type: "invalid_request_error" } });
  }

  async function control(key: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const input = key.startsWith("POST ") ? parseJson(await readBody(req)) : undefined;
    switch (key) {
      case "POST /__control/enqueue": {
        const parsed = z.array(behaviourSchema).safeParse(input);
        if (!parsed.success) return sendJson(res, 400, { error: z.prettifyError(parsed.error) });
        handle.enqueue(...parsed.data);
        return sendJson(res, 200, { queued: queue.length });
      }
      case "POST /__control/default": {
        const parsed = behaviourSchema.safeParse(input);
        if (!parsed.success) return sendJson(res, 400, { error: z.prettifyError(parsed.error) });
        handle.setDefault(parsed.data);
        return sendJson(res, 200, { ok: true });
      }
      case "POST /__control/reset":
        handle.reset();
        return sendJson(res, 200, { ok: true });
      case "GET /__control/requests":
        return sendJson(res, 200, requests);
      default:
        return sendJson(res, 404, { error: `No control route for ${key}` });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    ...handle,
    url: `http://${urlHost}:${port}/v1`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hanging and stalled responses never end by themselves.
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Plays one behaviour on a chat completion response, stopping if the client goes away. */
async function perform(
  behaviour: Behaviour,
  res: ServerResponse,
  ids: { id: string; model: string },
): Promise<void> {
  const gone = new Promise<void>((resolve) => res.once("close", resolve));
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: Record<string, string>, finishReason: string | null = null) =>
    `data: ${JSON.stringify({
      id: ids.id,
      object: "chat.completion.chunk",
      created,
      model: ids.model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    })}\n\n`;
  const startStream = () => {
    res.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
    });
    res.flushHeaders();
  };
  // Resolves false once the client has gone, so the caller stops writing.
  const wait = async (ms: number) => {
    if (ms > 0) await Promise.race([gone, new Promise((r) => setTimeout(r, ms))]);
    return !res.destroyed && !res.writableEnded;
  };

  switch (behaviour.type) {
    case "reply": {
      if (!(await wait(behaviour.firstDelayMs ?? 0))) return;
      startStream();
      res.write(chunk({ role: "assistant" }));
      for (const text of behaviour.chunks) {
        if (!(await wait(behaviour.delayMs ?? 0))) return;
        res.write(chunk({ content: text }));
      }
      res.write(chunk({}, "stop"));
      res.end("data: [DONE]\n\n");
      return;
    }
    case "status": {
      const body =
        behaviour.body ?? JSON.stringify({ error: { message: "Fake failure", type: "server_error" } });
      const type = parseJson(body) === undefined ? "text/plain; charset=utf-8" : "application/json";
      res.writeHead(behaviour.status, { "Content-Type": type });
      res.end(body);
      return;
    }
    case "hang":
      await gone;
      return;
    case "malformed":
      startStream();
      res.write(chunk({ role: "assistant" }));
      res.write(chunk({ content: "Partial" }));
      res.end("data: {not json\n\n");
      return;
    case "stall-after":
      startStream();
      res.write(chunk({ role: "assistant" }));
      for (const text of behaviour.chunks) res.write(chunk({ content: text }));
      await gone;
      return;
    case "hold":
      startStream();
      res.write(chunk({ role: "assistant" }));
      for (const text of behaviour.chunks) res.write(chunk({ content: text }));
      while (await wait(behaviour.keepAliveMs ?? 500)) res.write(": keep-alive\n\n");
      return;
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(value));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function lastUserMessage(body: unknown): string {
  const messages = (body as { messages?: Array<{ role?: unknown; content?: unknown }> } | null)?.messages;
  if (!Array.isArray(messages)) return "";
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message?.role === "user" && typeof message.content === "string") return message.content;
  }
  return "";
}

export const FAKE_TITLE = "Fake chat title";
const TITLE_REPLY: Behaviour = { type: "reply", chunks: ["Fake ", "chat ", "title"] };

function isTitleRequest(body: unknown): boolean {
  const messages = (body as { messages?: Array<{ role?: unknown; content?: unknown }> } | null)?.messages;
  return (
    Array.isArray(messages) &&
    messages.some(
      (message) => message?.role === "system" && String(message.content).startsWith("Name this conversation"),
    )
  );
}
