import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAi, type FakeOpenAi } from "#e2e/fake-llm/fake-openai-server";
import { createOpenAiProvider, type OpenAiProviderOptions } from "./openai-provider.server";
import { LlmError, type ChatTurn } from "./provider.server";

const messages: ChatTurn[] = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "Say hello." },
];

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

function provider(options: Partial<OpenAiProviderOptions> = {}) {
  return createOpenAiProvider({ baseUrl: fake.url, defaultModel: "fake-model-a", ...options });
}

/** Drains a stream, keeping what arrived before any failure. */
async function drain(stream: AsyncIterable<string>, onChunk?: (chunk: string) => unknown) {
  const chunks: string[] = [];
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      await onChunk?.(chunk);
    }
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error };
  }
}

function stream(p = provider(), signal = new AbortController().signal) {
  return p.streamChat({ model: "fake-model-a", messages, signal });
}

describe("openai provider: streaming", () => {
  it("yields the reply's chunks exactly and in order, and sends the request OpenAI expects", async () => {
    const chunks = ["Hel", "lo", ", ", "wörld 👋", "\n\n- item"];
    fake.enqueue({ type: "reply", chunks, delayMs: 5 });

    const result = await drain(stream());

    expect(result.error).toBeUndefined();
    expect(result.chunks).toEqual(chunks);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].path).toBe("/v1/chat/completions");
    expect(fake.requests[0].body).toEqual({ model: "fake-model-a", messages, stream: true });
  });

  it("accepts a base URL with a trailing slash", async () => {
    const result = await drain(stream(provider({ baseUrl: `${fake.url}/` })));
    expect(result.chunks.join("")).toBe("Hello from the fake model.");
  });

  it("sends Authorization only when an API key is set", async () => {
    await drain(stream(provider({ apiKey: "sk-test-123" })));
    await drain(stream(provider()));

    expect(fake.requests[0].headers.authorization).toBe("Bearer sk-test-123");
    expect(fake.requests[1].headers.authorization).toBeUndefined();
  });

  it("reads CRLF line endings, comments and several events per chunk", async () => {
    const event = (content: string) =>
      `data: {"choices":[{"index":0,"delta":{"content":"${content}"}}]}\r\n\r\n`;
    fake.enqueue({
      type: "status",
      status: 200,
      body: `: keep-alive\r\n\r\n${event("a")}${event("b")}data: {"choices":[]}\r\n\r\ndata: [DONE]\r\n\r\n`,
    });
    const result = await drain(stream());
    expect(result).toEqual({ chunks: ["a", "b"], error: undefined });
  });

  it("reads the same reply however the network splits the bytes, even inside a CRLF or a character", async () => {
    const event = (content: string) =>
      `data: {"choices":[{"index":0,"delta":{"content":"${content}"}}]}\r\n\r\n`;
    const body = new TextEncoder().encode(
      `\uFEFF: keep-alive\r\n\r\nevent: x\r\n${event("wörld ")}${event("👋")}data: [DONE]\r\n\r\n`,
    );
    for (const pieceSize of [1, 2, 3, 5, 7, body.length]) {
      const result = await drain(stream(provider({ fetch: fetchInPieces(body, pieceSize) })));
      expect(result, `pieces of ${pieceSize} bytes`).toEqual({ chunks: ["wörld ", "👋"], error: undefined });
    }
  });

  it("reads a last event the server did not end with a blank line", async () => {
    fake.enqueue({
      type: "status",
      status: 200,
      body: 'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: [DONE]',
    });
    expect(await drain(stream())).toEqual({ chunks: ["Hi"], error: undefined });
  });

  it("stops iterating cleanly when the consumer breaks early", async () => {
    fake.enqueue({ type: "reply", chunks: ["one", "two", "three"], delayMs: 20 });
    const seen: string[] = [];
    for await (const chunk of stream()) {
      seen.push(chunk);
      break;
    }
    expect(seen).toEqual(["one"]);
    // The next request still works: nothing was left half-open on our side.
    expect((await drain(stream())).chunks.join("")).toBe("Hello from the fake model.");
  });
});

describe("openai provider: failures", () => {
  it("turns a 500 into LlmError http with a short public message", async () => {
    fake.enqueue({ type: "status", status: 500 });
    const { chunks, error } = await drain(stream());
    expect(chunks).toEqual([]);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ reason: "http", status: 500 });
    expect((error as LlmError).publicMessage).toMatch(/^The model provider answered 500/);
  });

  it("keeps keys and links out of the public message of an error body", async () => {
    const leaky =
      "Incorrect API key provided: sk-proj-abc***xyz. See https://platform.example.com/keys?k=1 for help.";
    fake.enqueue({ type: "status", status: 401, body: JSON.stringify({ error: { message: leaky } }) });
    const { error } = await drain(stream(provider({ apiKey: "sk-proj-abcdefxyz" })));
    const text = `${(error as LlmError).publicMessage} ${(error as LlmError).message}`;
    expect((error as LlmError).publicMessage).toMatch(
      /^The model provider answered 401: Incorrect API key provided/,
    );
    expect(text).not.toMatch(/sk-|https?:|platform\.example/);
  });

  it("does not echo a non-JSON error body", async () => {
    fake.enqueue({ type: "status", status: 502, body: "<html>Bad gateway at /srv/internal/path</html>" });
    const { error } = await drain(stream());
    expect(error).toMatchObject({ reason: "http", publicMessage: "The model provider answered 502." });
  });

  it("times out when no byte arrives", async () => {
    fake.enqueue({ type: "hang" });
    const started = Date.now();
    const { error } = await drain(stream(provider({ firstByteTimeoutMs: 300 })));
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ reason: "timeout" });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("times out even with an injected fetch that ignores the abort signal", async () => {
    fake.enqueue({ type: "hang" });
    const deaf: typeof fetch = (input, init) => fetch(input, { ...init, signal: undefined });
    const { error } = await drain(stream(provider({ fetch: deaf, firstByteTimeoutMs: 300 })));
    expect(error).toMatchObject({ reason: "timeout" });
  });

  it("times out after a first byte that comes too late", async () => {
    fake.enqueue({ type: "reply", chunks: ["late"], firstDelayMs: 1000 });
    const { error } = await drain(stream(provider({ firstByteTimeoutMs: 300 })));
    expect(error).toMatchObject({ reason: "timeout" });
  });

  it("times out a stalled stream after yielding what arrived", async () => {
    fake.enqueue({ type: "stall-after", chunks: ["Partial ", "answer"] });
    const { chunks, error } = await drain(stream(provider({ idleTimeoutMs: 300 })));
    expect(chunks).toEqual(["Partial ", "answer"]);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({
      reason: "timeout",
      publicMessage: "The model provider stopped sending the reply.",
    });
  });

  it("counts SSE keep-alive comments as a live stream, past the idle timeout, until the caller stops it", async () => {
    fake.enqueue({ type: "hold", chunks: ["Thinking ", "hard"], keepAliveMs: 50 });
    const controller = new AbortController();
    const reason = new Error("stopped by the person");
    const started = Date.now();
    // Stop only after more than three idle timeouts of nothing but comments.
    const { chunks, error } = await drain(
      stream(provider({ idleTimeoutMs: 200 }), controller.signal),
      (chunk) => {
        if (chunk === "hard") setTimeout(() => controller.abort(reason), 700);
      },
    );
    expect(chunks).toEqual(["Thinking ", "hard"]);
    expect(error).toBe(reason);
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
  });

  it("does not count time the consumer spends between chunks as idle time", async () => {
    fake.enqueue({ type: "reply", chunks: ["a", "b"], delayMs: 20 });
    const slow = stream(provider({ idleTimeoutMs: 400 }));
    // A consumer busy elsewhere (e.g. writing to the database) for longer than the idle timeout.
    const { chunks, error } = await drain(slow, () => new Promise((resolve) => setTimeout(resolve, 1000)));
    expect(error).toBeUndefined();
    expect(chunks).toEqual(["a", "b"]);
  });

  it("reports unparseable data as malformed after the chunks before it", async () => {
    fake.enqueue({ type: "malformed" });
    const { chunks, error } = await drain(stream());
    expect(chunks).toEqual(["Partial"]);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ reason: "malformed" });
  });

  it("reports a stream that ends without [DONE] or a finish reason as malformed", async () => {
    fake.enqueue({ type: "status", status: 200, body: 'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\n' });
    const { chunks, error } = await drain(stream());
    expect(chunks).toEqual(["Hi"]);
    expect(error).toMatchObject({ reason: "malformed" });
  });

  it("accepts a stream that ends after a finish reason but without [DONE]", async () => {
    fake.enqueue({
      type: "status",
      status: 200,
      body: 'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: {"choices":[{"delta":{},"finish_reason":"stop"}]}\n\n',
    });
    expect(await drain(stream())).toEqual({ chunks: ["Hi"], error: undefined });
  });

  it("fails a stream event that never ends as malformed, after buffering at most about a megabyte", async () => {
    let delivered = 0;
    const piece = new TextEncoder().encode("x".repeat(64 * 1024));
    const endless: typeof fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('data: {"choices":[{"delta":{"content":"'));
          },
          pull(controller) {
            // Bounded only so that a parser without a cap fails this test instead of hanging it.
            if (delivered > 16 * 1024 * 1024) return controller.close();
            delivered += piece.length;
            controller.enqueue(piece);
          },
        }),
        { status: 200, headers: { "Content-Type": "text/event-stream" } },
      );
    const { chunks, error } = await drain(stream(provider({ fetch: endless })));
    expect(chunks).toEqual([]);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ reason: "malformed" });
    expect(delivered).toBeLessThan(2 * 1024 * 1024);
  });

  it("reports an error object in the stream as an http failure", async () => {
    fake.enqueue({ type: "status", status: 200, body: 'data: {"error":{"message":"model overloaded"}}\n\n' });
    const { error } = await drain(stream());
    expect(error).toMatchObject({
      reason: "http",
      publicMessage: "The model provider reported an error: model overloaded",
    });
  });

  it("reports a refused connection as network", async () => {
    const closedPort = await freePort();
    const { error } = await drain(stream(provider({ baseUrl: `http://127.0.0.1:${closedPort}/v1` })));
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ reason: "network", publicMessage: "Could not reach the model provider." });
  });
});

describe("openai provider: abort", () => {
  it("stops mid-stream with the signal's reason", async () => {
    fake.enqueue({ type: "reply", chunks: ["a", "b", "c", "d", "e"], delayMs: 100 });
    const controller = new AbortController();
    const reason = new Error("stopped by user");
    const started = Date.now();
    const { chunks, error } = await drain(stream(provider(), controller.signal), () =>
      controller.abort(reason),
    );
    expect(chunks).toEqual(["a"]);
    expect(error).toBe(reason);
    expect(Date.now() - started).toBeLessThan(400);
  });

  it("rejects with an AbortError when aborted while waiting for the first byte", async () => {
    fake.enqueue({ type: "hang" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const { error } = await drain(stream(provider(), controller.signal));
    expect(error).toMatchObject({ name: "AbortError" });
    expect(error).not.toBeInstanceOf(LlmError);
  });

  it("does not send a request when already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const { error } = await drain(stream(provider(), controller.signal));
    expect(error).toMatchObject({ name: "AbortError" });
    expect(fake.requests).toHaveLength(0);
  });
});

describe("openai provider: listModels", () => {
  it("returns the ids of the provider's models", async () => {
    expect(await provider().listModels()).toEqual(["fake-model-a", "fake-model-b"]);
  });

  it("reports an unreachable provider as network", async () => {
    const closedPort = await freePort();
    await expect(
      provider({ baseUrl: `http://127.0.0.1:${closedPort}/v1` }).listModels(),
    ).rejects.toMatchObject({
      reason: "network",
    });
  });

  it("reports an error status as http and a body that is not a model list as malformed", async () => {
    // The fake answers 404 for unknown routes such as /v1/nope/models.
    await expect(provider({ baseUrl: `${fake.url}/nope` }).listModels()).rejects.toMatchObject({
      reason: "http",
      status: 404,
    });
    const other = await startPlainServer('{"object":"list","models":["x"]}');
    try {
      await expect(provider({ baseUrl: other.url }).listModels()).rejects.toMatchObject({
        reason: "malformed",
      });
    } finally {
      await other.close();
    }
  });
});

/** A fetch that answers 200 with `body` as an event stream, delivered `pieceSize` bytes at a time. */
function fetchInPieces(body: Uint8Array, pieceSize: number): typeof fetch {
  return async () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < body.length; at += pieceSize)
            controller.enqueue(body.slice(at, at + pieceSize));
          controller.close();
        },
      }),
      { status: 200, headers: { "Content-Type": "text/event-stream" } },
    );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server that answers every request with the same 200 JSON body. */
async function startPlainServer(body: string) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
